"""变更记录: every configuration change (who, when, what, from what to what), filtered by
entity, user and date, newest first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from gridstation.admin import audit as core
from gridstation.app.admin.common import IdCombo, Page


def entity_label(entity: str) -> str:
    return {
        "region": QCoreApplication.translate("Admin", "Region"),
        "region_level": QCoreApplication.translate("Admin", "Region level"),
        "grid": QCoreApplication.translate("Admin", "Unit grid"),
        "department": QCoreApplication.translate("Admin", "Department"),
        "user": QCoreApplication.translate("Admin", "User"),
        "category": QCoreApplication.translate("Admin", "Category"),
        "calendar": QCoreApplication.translate("Admin", "Calendar"),
        "setting": QCoreApplication.translate("Admin", "Setting"),
        "api_key": QCoreApplication.translate("Admin", "Data exchange key"),
    }.get(entity, entity)


class AuditPage(Page):
    # every configuration change lands here
    entities = ("region", "department", "user", "category", "calendar", "config", "api_key")

    COLUMNS = 7

    entity: IdCombo
    user: IdCombo
    use_from: QCheckBox
    date_from: QDateEdit
    use_to: QCheckBox
    date_to: QDateEdit
    text: QLineEdit
    refresh_button: QPushButton
    table: QTableWidget
    count: QLabel

    def title(self) -> str:
        return self.tr("Change history")

    def hint(self) -> str:
        return self.tr("Every configuration change: who made it, when, and the value before and after.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)  # the filters and the table: ui/audit_page.ui
        self.rows: list[core.AuditRow] = []
        self.entity.none_label = self.user.none_label = self.tr("All")
        today = ctx.now().date()
        self.date_from.setDate(QDate(today.year, today.month, 1))
        self.date_to.setDate(QDate(today.year, today.month, today.day))
        self.size_columns(self.table.horizontalHeader(), stretch=(5, 6))
        for sig in (self.entity.currentIndexChanged, self.user.currentIndexChanged, self.use_from.toggled,
                    self.use_to.toggled, self.date_from.dateChanged, self.date_to.dateChanged):
            sig.connect(lambda *_: self.load())
        self.text.returnPressed.connect(self.load)
        self.refresh_button.clicked.connect(self.load)

    def filters(self) -> dict:
        def day(edit: QDateEdit) -> date:
            d = edit.date()
            return date(d.year(), d.month(), d.day())

        return {"entity": self.entity.value(), "user_id": self.user.value(),
                "since": day(self.date_from) if self.use_from.isChecked() else None,
                "until": day(self.date_to) if self.use_to.isChecked() else None, "text": self.text.text()}

    def load(self) -> None:
        engine, actor, f = self.ctx.engine, self.ctx.actor, self.filters()
        self.run(lambda: (core.query(engine, actor, **f), core.entities(engine), core.authors(engine)), self._loaded)

    def _loaded(self, data) -> None:
        rows, entities, authors = data
        for combo, items in ((self.entity, [(e, entity_label(e)) for e in entities]),
                             (self.user, [(i, f"{login} ({name})") for i, login, name in authors])):
            combo.set_items(items)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            cells = [r.at.strftime("%Y-%m-%d %H:%M:%S"), r.login, entity_label(r.entity), r.entity_id, r.field,
                     r.old or "", r.new or ""]
            for j, text in enumerate(cells):
                it = QTableWidgetItem(text)
                if j >= 5:
                    it.setToolTip(text)
                self.table.setItem(i, j, it)
        self.count.setText(self.tr("%1 changes shown (at most %2).").replace("%1", str(len(rows)))
                           .replace("%2", str(core.MAX_ROWS)))
