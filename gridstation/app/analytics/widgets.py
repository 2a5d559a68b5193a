"""Small shared widgets: the period picker and the dialog of the cases behind a number."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridstation.analytics import drilldown as dd
from gridstation.analytics.scope import unit_to_date, whole_unit
from gridstation.exchange.exporters import export_cases_behind
from gridstation.app import tasks
from gridstation.app.analytics import data
from gridstation.app.analytics.models import CasesModel, RowIdRole


def period_for(kind: str, today: date, start: date | None = None, end: date | None = None) -> dd.Period:
    """today / week / month / quarter / year so far (本周至今 …: from the unit's first day up to
    and including today, compared with the same span before), last_week / last_month (the whole
    unit before), or custom (``start`` .. ``end`` inclusive)."""
    if kind == "today":
        return unit_to_date("day", today)
    if kind in ("week", "month", "quarter", "year"):
        return unit_to_date(kind, today)
    if kind in ("last_week", "last_month"):
        unit = kind[5:]
        return whole_unit(unit, unit_to_date(unit, today).start - timedelta(days=1))
    start = start or today
    end = max(end or today, start)
    return dd.Period(start, end + timedelta(days=1))


def period_kinds() -> list[tuple[str, str]]:
    return [("today", QCoreApplication.translate("PeriodPicker", "Today")), ("week", QCoreApplication.translate("PeriodPicker", "This week to date")), ("month", QCoreApplication.translate("PeriodPicker", "This month to date")),
            ("quarter", QCoreApplication.translate("PeriodPicker", "This quarter to date")), ("year", QCoreApplication.translate("PeriodPicker", "This year to date")),
            ("last_week", QCoreApplication.translate("PeriodPicker", "Last week")), ("last_month", QCoreApplication.translate("PeriodPicker", "Last month")), ("custom", QCoreApplication.translate("PeriodPicker", "Custom range"))]


def comparison_text(period: dd.Period, prev: dd.Period | None, yoy: dd.Period | None) -> str:
    """Which spans were compared, in words: "本月至今 12-01 – 12-04 · 环比: 上月同期 11-01 – 11-04 ·
    同比: 去年同期 2025-12-01 – 2025-12-04"."""
    unit = period.unit
    names = {  # (this, the one before) for a unit so far / a whole unit
        "day": (QCoreApplication.translate("PeriodPicker", "Today"), QCoreApplication.translate("PeriodPicker", "the day before")),
        "week": (QCoreApplication.translate("PeriodPicker", "This week to date"), QCoreApplication.translate("PeriodPicker", "the same days of last week")),
        "month": (QCoreApplication.translate("PeriodPicker", "This month to date"), QCoreApplication.translate("PeriodPicker", "the same days of last month")),
        "quarter": (QCoreApplication.translate("PeriodPicker", "This quarter to date"), QCoreApplication.translate("PeriodPicker", "the same span of last quarter")),
        "year": (QCoreApplication.translate("PeriodPicker", "This year to date"), QCoreApplication.translate("PeriodPicker", "the same span of last year")),
    }
    whole = {"day": QCoreApplication.translate("PeriodPicker", "Day"), "week": QCoreApplication.translate("PeriodPicker", "Week"), "month": QCoreApplication.translate("PeriodPicker", "Month"), "quarter": QCoreApplication.translate("PeriodPicker", "Quarter"),
             "year": QCoreApplication.translate("PeriodPicker", "Year")}
    whole_prev = {"day": QCoreApplication.translate("PeriodPicker", "the day before"), "week": QCoreApplication.translate("PeriodPicker", "the week before"), "month": QCoreApplication.translate("PeriodPicker", "the month before"),
                  "quarter": QCoreApplication.translate("PeriodPicker", "the quarter before"), "year": QCoreApplication.translate("PeriodPicker", "the year before")}
    if unit and period.to_date:
        this, before = names[unit]
    elif unit:
        this, before = whole[unit], whole_prev[unit]
    else:
        this, before = QCoreApplication.translate("PeriodPicker", "Period"), QCoreApplication.translate("PeriodPicker", "the same number of days before")
    parts = [f"{this} {period.span_text()}"]
    if prev is not None:
        parts.append(QCoreApplication.translate("PeriodPicker", "环比 against %1 %2").replace("%1", before).replace("%2", prev.span_text()))
    if yoy is not None:
        parts.append(QCoreApplication.translate("PeriodPicker", "同比 against the same days a year earlier %1").replace("%1", yoy.span_text()))
    return " · ".join(parts)


class PeriodPicker(QWidget):
    """Today, this week/month/quarter/year to date, last week/month, or a custom range of days."""

    changed = Signal()

    def __init__(self, today: date, parent=None, *, default: str = "month") -> None:
        super().__init__(parent)
        self.today = today
        self.kind = QComboBox()
        for key, label in period_kinds():
            self.kind.addItem(label, key)
        self.start = QDateEdit(QDate(today.year, today.month, 1))
        self.end = QDateEdit(QDate(today.year, today.month, today.day))
        for d in (self.start, self.end):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
            d.dateChanged.connect(self._dates_changed)
        self.span = QLabel()
        self.span.setStyleSheet("color: #5f6368")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(QLabel(self.tr("Period:")))
        lay.addWidget(self.kind)
        lay.addWidget(self.start)
        lay.addWidget(QLabel("–"))
        lay.addWidget(self.end)
        lay.addWidget(self.span)
        self.kind.setCurrentIndex(self.kind.findData(default))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        custom = self.kind.currentData() == "custom"
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)
        if not custom:
            p = self.period()
            for w, d in ((self.start, p.start), (self.end, p.end - timedelta(days=1))):
                w.blockSignals(True)
                w.setDate(QDate(d.year, d.month, d.day))
                w.blockSignals(False)
        self._show_span()
        self.changed.emit()

    def _dates_changed(self) -> None:
        if self.kind.currentData() == "custom":
            self._show_span()
            self.changed.emit()

    def _show_span(self) -> None:
        p = self.period()
        self.span.setText(self.tr("%n day(s)", "", p.days))

    def set_custom(self, start: date, end_inclusive: date) -> None:
        self.kind.blockSignals(True)
        self.kind.setCurrentIndex(self.kind.findData("custom"))
        self.kind.blockSignals(False)
        for w, d in ((self.start, start), (self.end, end_inclusive)):
            w.blockSignals(True)
            w.setDate(QDate(d.year, d.month, d.day))
            w.blockSignals(False)
        self._kind_changed()

    def period(self) -> dd.Period:
        kind = self.kind.currentData()
        return period_for(kind, self.today, self.start.date().toPython(), self.end.date().toPython())


class CasesDialog(QDialog):
    """The cases behind one number, with export to Excel; double-click (or Enter) opens one."""

    openCase = Signal(int)
    loaded = Signal()

    def __init__(self, ctx, title: str, *, node: dd.Node | None = None, period: dd.Period | None = None,
                 figure: str | None = None, ids: list[int] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.ctx, self.node, self.period, self.figure = ctx, node, period, figure
        self.ids: list[int] | None = list(ids) if ids is not None else None
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(760, 520)
        self.heading = QLabel(title)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: 600")
        self.model = CasesModel(self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.view.verticalHeader().hide()
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.activated.connect(self._activate)
        self.view.doubleClicked.connect(self._activate)
        self.count = QLabel(self.tr("Loading…"))
        self.export_btn = QPushButton(self.tr("Export to Excel…"))
        self.export_btn.clicked.connect(self._ask_export)
        self.export_btn.setEnabled(False)
        self.open_btn = QPushButton(self.tr("Open case"))
        self.open_btn.clicked.connect(lambda: self._activate(self.view.currentIndex()))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count)
        bottom.addStretch(1)
        bottom.addWidget(self.open_btn)
        bottom.addWidget(self.export_btn)
        bottom.addWidget(buttons)
        lay = QVBoxLayout(self)
        lay.addWidget(self.heading)
        lay.addWidget(self.view, 1)
        lay.addLayout(bottom)
        self.exported: tuple[str, int] | None = None
        self._load()

    def _load(self) -> None:
        ctx, node, period, figure, ids = self.ctx, self.node, self.period, self.figure, self.ids
        now = ctx.now()

        def work():
            with ctx.session() as s:
                got = ids if ids is not None else dd.cases_behind(s, node, period, figure, now=now)
                return got, data.case_lines(s, got)

        tasks.run(work, self._loaded, self._failed, owner=self)

    def _loaded(self, res) -> None:
        self.ids, lines = res
        self.model.set_lines(lines)
        self.count.setText(self.tr("%n case(s)", "", len(lines)))
        self.export_btn.setEnabled(bool(lines))
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.count.setText(self.tr("Could not load the cases: %1").replace("%1", str(exc)))

    def _activate(self, index) -> None:
        if index.isValid():
            cid = self.model.data(self.model.index(index.row(), 0), RowIdRole)
            if cid is not None:
                self.openCase.emit(int(cid))

    def _ask_export(self) -> None:
        name = (self.figure or "cases") + ".xlsx"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export to Excel"), name, self.tr("Excel (*.xlsx)"))
        if path:
            if not path.lower().endswith(".xlsx"):
                path += ".xlsx"
            self.export_to(path)

    def export_to(self, path: str, on_done=None) -> None:
        """Write the cases to ``path`` in the background (drilldown's export for a figure)."""
        ctx, node, period, figure, ids = self.ctx, self.node, self.period, self.figure, self.ids
        now = ctx.now()

        def work():
            with ctx.session() as s:
                if figure is not None and node is not None:
                    return export_cases_behind(s, node, period, figure, path, now=now)
                return data.export_ids(s, ids or [], path)

        def done(n):
            self.exported = (path, n)
            self.count.setText(self.tr("%n case(s) exported to %1", "", n).replace("%1", path))
            if on_done:
                on_done(n)

        def failed(exc):
            QMessageBox.warning(self, self.tr("Export"), str(exc))

        tasks.run(work, done, failed, owner=self)
