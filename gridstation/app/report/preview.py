"""Print preview, print and save-as-PDF of the weekly review from the client.

    dlg = WeeklyPreview(data, place="郑州市", parent=window); dlg.exec()

The same painter code as the PDF file (``paint_weekly``); charts are rendered once and reused
on every repaint of the preview.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QToolBar

from gridstation.app.report.weekly import paint_weekly, render_charts, write_weekly_pdf


class WeeklyPreview(QPrintPreviewDialog):
    def __init__(self, data, *, place: str | None = None, parent=None):
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        self._printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        self._printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        super().__init__(self._printer, parent)
        self.data, self.place = data, place
        self._charts = render_charts(data)
        self.setWindowTitle(QCoreApplication.translate("WeeklyReview", "Weekly review · %1 · %2")
                            .replace("%1", place or data.scope.name).replace("%2", data.week))
        self.paintRequested.connect(self._paint)
        bar = self.findChild(QToolBar)
        if bar is not None:
            act = bar.addAction(QCoreApplication.translate("WeeklyReview", "Save PDF…"))
            act.triggered.connect(self.save_pdf)
        self.resize(1000, 1100)

    def _paint(self, printer) -> None:
        paint_weekly(printer, self.data, place=self.place, charts=self._charts)

    def save_pdf(self) -> str | None:
        path, _ = QFileDialog.getSaveFileName(
            self, QCoreApplication.translate("WeeklyReview", "Save weekly review"), f"weekly-review-{self.data.week}.pdf",
            QCoreApplication.translate("WeeklyReview", "PDF files (*.pdf)"))
        if not path:
            return None
        write_weekly_pdf(path, self.data, place=self.place)
        return path


def open_weekly_preview(ctx, parent=None, *, week: str | None = None, region_code: str | None = None) -> int:
    """From the main window: compute the review (default: last complete week, whole city) and preview it."""
    from gridstation.report.weekly import previous_iso_week
    from gridstation.app.report.weekly import load_weekly

    now = ctx.now() if hasattr(ctx, "now") else None
    week = week or previous_iso_week(now.date() if now else None)
    with ctx.session() as s:
        data, place = load_weekly(s, region_code, week, now=now)
    return WeeklyPreview(data, place=place, parent=parent).exec()
