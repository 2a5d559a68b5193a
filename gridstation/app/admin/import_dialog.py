"""The preview of a catalogue import: every change, field by field, before anything is
written; Apply applies exactly this preview (all or nothing)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
)

from gridstation.admin.catalogue_excel import CatalogueDiff, changes_table
from gridstation.app.i18n import level_label
from gridstation.app.admin.common import ADMIN_QSS, MessageBar, kind_label, limit_label, stage_label
from gridstation.app.uiload import load_ui

ACTION_COLOURS = {"added": "#e3f4e8", "changed": "#fff8e1", "restored": "#e8f0fa", "retired": "#fdecea"}


class ImportPreviewDialog(QDialog):
    """``applyRequested(diff)`` when the administrator accepts the preview."""

    applyRequested = Signal(object)

    COLUMNS = 7

    summary: QLabel
    same: QLabel
    table: QTableWidget
    message: MessageBar
    buttons: QDialogButtonBox

    def __init__(self, diff: CatalogueDiff, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ImportPreviewDialog")
        load_ui(self)  # ui/import_preview_dialog.ui
        self.setStyleSheet(ADMIN_QSS)
        self.diff = diff
        self.setWindowTitle(self.tr("Import preview — %1").replace("%1", diff.file_name or self.tr("sheet")))
        self.resize(1100, 620)
        s = diff.summary()
        self.summary.setText(
            self.tr("%1 added · %2 changed (%3 moved) · %4 restored · %5 retired · %6 unchanged")
            .replace("%1", str(s["added"])).replace("%2", str(s["changed"])).replace("%3", str(s["moved"]))
            .replace("%4", str(s["restored"])).replace("%5", str(s["retired"])).replace("%6", str(s["unchanged"])))
        self.same.setVisible(diff.is_empty)
        hh = self.table.horizontalHeader()
        for i, mode in enumerate([QHeaderView.ResizeMode.ResizeToContents] * 5 + [QHeaderView.ResizeMode.Stretch] * 2):
            hh.setSectionResizeMode(i, mode)
        self._fill()
        self.apply_button = self.buttons.addButton(self.tr("Apply all changes"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.setProperty("primary", True)
        self.apply_button.setEnabled(not diff.is_empty)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.apply)
        self.buttons.rejected.connect(self.reject)

    def action_label(self, action: str) -> str:
        return {"added": self.tr("Added"), "changed": self.tr("Changed"), "restored": self.tr("Restored"),
                "retired": self.tr("Retired"), "moved": self.tr("Moved")}.get(action, action)

    def field_label(self, field: str) -> str:
        if field.endswith("_limit"):
            return self.tr("%1 limit").replace("%1", stage_label(field[: -len("_limit")]))
        return {
            "name": self.tr("Name"), "department_id": self.tr("Responsible department"),
            "command_level": self.tr("Command level"), "urgent": self.tr("Urgent"),
            "filing_condition": self.tr("Filing condition"), "closing_condition": self.tr("Closing condition"),
            "parent": self.tr("Class (major / minor)"), "retired": self.tr("Retired"), "kind": self.tr("Kind"),
        }.get(field, field)

    def value_text(self, field: str, value) -> str:
        if value is None or value == "":
            return "—"
        if field.endswith("_limit"):
            return limit_label(value)
        if isinstance(value, bool):
            return self.tr("yes") if value else self.tr("no")
        if field == "command_level":
            return level_label(value)
        if field == "kind":
            return kind_label({"部件": "component", "事件": "event"}.get(value, value))
        return str(value).replace("\n", " ")

    def _fill(self) -> None:
        rows = list(changes_table(self.diff))
        self.table.setRowCount(len(rows))
        for i, (action, code, name, row, field, old, new) in enumerate(rows):
            shown = "moved" if field == "parent" and action == "changed" else action
            cells = [self.action_label(shown), code, name, str(row) if row else "", self.field_label(field) if field else "",
                     self.value_text(field, old), self.value_text(field, new)]
            colour = QBrush(QColor(ACTION_COLOURS.get(action, "#ffffff")))
            for j, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setBackground(colour)
                if j in (5, 6):
                    it.setToolTip(text)
                if j == 3:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, it)

    def rows(self) -> list[list[str]]:
        """The table as text (tests and screen readers)."""
        return [[self.table.item(r, c).text() for c in range(self.COLUMNS)] for r in range(self.table.rowCount())]

    def apply(self) -> None:
        self.apply_button.setEnabled(False)
        self.applyRequested.emit(self.diff)

    def failed(self, text: str) -> None:
        self.message.error(text)
        self.apply_button.setEnabled(True)
