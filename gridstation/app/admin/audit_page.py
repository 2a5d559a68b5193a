"""变更记录: every configuration change (who, when, what, from what to what), filtered by
entity, user and date, newest first."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
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

    def title(self) -> str:
        return self.tr("Change history")

    def hint(self) -> str:
        return self.tr("Every configuration change: who made it, when, and the value before and after.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rows: list[core.AuditRow] = []
        self.entity = IdCombo(self.tr("All"))
        self.entity.setObjectName("AuditEntity")
        self.user = IdCombo(self.tr("All"))
        self.user.setObjectName("AuditUser")
        today = ctx.now().date()
        self.use_from, self.use_to = QCheckBox(self.tr("From")), QCheckBox(self.tr("To"))
        self.date_from = QDateEdit(QDate(today.year, today.month, 1))
        self.date_to = QDateEdit(QDate(today.year, today.month, today.day))
        for d in (self.date_from, self.date_to):
            d.setCalendarPopup(True)
            d.setDisplayFormat("yyyy-MM-dd")
        self.text = QLineEdit()
        self.text.setPlaceholderText(self.tr("Search ids and values"))
        self.text.setClearButtonEnabled(True)
        refresh = QPushButton(self.tr("Refresh"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Entity")))
        bar.addWidget(self.entity)
        bar.addWidget(QLabel(self.tr("User")))
        bar.addWidget(self.user)
        bar.addWidget(self.use_from)
        bar.addWidget(self.date_from)
        bar.addWidget(self.use_to)
        bar.addWidget(self.date_to)
        bar.addWidget(self.text, 1)
        bar.addWidget(refresh)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("AuditTable")
        self.table.setHorizontalHeaderLabels([self.tr("When"), self.tr("User"), self.tr("Entity"), self.tr("Id"),
                                              self.tr("Field"), self.tr("Old value"), self.tr("New value")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        hh = self.table.horizontalHeader()
        for i in range(5):
            hh.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel()
        self.count.setObjectName("AdminPageHint")
        self.body.addLayout(bar)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.count)
        for sig in (self.entity.currentIndexChanged, self.user.currentIndexChanged, self.use_from.toggled,
                    self.use_to.toggled, self.date_from.dateChanged, self.date_to.dateChanged):
            sig.connect(lambda *_: self.load())
        self.text.returnPressed.connect(self.load)
        refresh.clicked.connect(self.load)

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
