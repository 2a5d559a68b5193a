"""部门: the departments cases are dispatched to (level, parent, street, contact, active)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridstation.admin import departments as core
from gridstation.admin import regions as regions_mod
from gridstation.app.i18n import level_label
from gridstation.app.admin.common import IdCombo, Page


def load_departments(s) -> dict:
    streets = [(r.id, f"{r.name} ({r.code})") for r in regions_mod.regions(s) if r.active]
    return {"departments": core.list_departments(s), "regions": streets}


class DepartmentsPage(Page):
    entities = ("department", "region", "category", "user")

    HEADERS = 9

    def title(self) -> str:
        return self.tr("Departments")

    def hint(self) -> str:
        return self.tr("Departments are disabled, never deleted. A department that current categories route to "
                       "cannot be disabled until they have another one.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.departments: list[core.DepartmentInfo] = []
        self.by_id: dict[int, core.DepartmentInfo] = {}
        self._current: core.DepartmentInfo | None = None
        self._new = False
        self._select_after: int | None = None

        self.table = QTableWidget(0, self.HEADERS)
        self.table.setObjectName("DepartmentTable")
        self.table.setHorizontalHeaderLabels([self.tr("Code"), self.tr("Name"), self.tr("Level"), self.tr("Parent"),
                                              self.tr("Region"), self.tr("Contact"), self.tr("Categories"),
                                              self.tr("Users"), self.tr("Open cases")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.new_button = QPushButton(self.tr("New department…"))

        self.box = QGroupBox(self.tr("Department"))
        self.code = QLineEdit()
        self.code.setMaxLength(32)
        self.name = QLineEdit()
        self.name.setObjectName("DepartmentName")
        self.name.setMaxLength(128)
        self.level = QComboBox()
        for lv in ("district", "street"):
            self.level.addItem(level_label(lv), lv)
        self.parent_dept = IdCombo(self.tr("— none —"))
        self.region = IdCombo(self.tr("— none —"))
        self.contact = QLineEdit()
        self.contact.setMaxLength(128)
        self.active = QCheckBox(self.tr("Active (may receive cases)"))
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Code"), self.code)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Level"), self.level)
        form.addRow(self.tr("Parent"), self.parent_dept)
        form.addRow(self.tr("Serves region"), self.region)
        form.addRow(self.tr("Contact"), self.contact)
        form.addRow("", self.active)
        note = QLabel(self.tr("A street-level department serves one street; the parent of a street unit is the "
                              "district department it is the local arm of (dispatch suggests it for that "
                              "department's categories)."))
        note.setObjectName("AdminNote")
        note.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("SaveDepartment")
        self.save_button.setProperty("primary", True)
        bl = QVBoxLayout(self.box)
        bl.addLayout(form)
        bl.addWidget(note)
        bl.addStretch(1)
        bl.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.new_button)
        ll.addLayout(top)
        ll.addWidget(self.table, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([980, 420])
        self.body.addWidget(split, 1)

        self.table.currentCellChanged.connect(lambda r, *_: self._show(self._id_at(r)))
        self.new_button.clicked.connect(self.new_department)
        self.save_button.clicked.connect(self.save)
        self._show(None)

    def load(self) -> None:
        self.read(load_departments, self._loaded)

    def _loaded(self, data) -> None:
        self.departments = data["departments"]
        self.by_id = {d.id: d for d in self.departments}
        self.region.set_items(data["regions"])
        self.parent_dept.set_items([(d.id, f"{d.code} {d.name}") for d in self.departments if d.active])
        keep = self._select_after or (self._current.id if self._current else None)
        self._select_after = None
        self.table.setRowCount(len(self.departments))
        grey = QBrush(QColor("#9aa5b1"))
        for i, d in enumerate(self.departments):
            cells = [d.code, d.name + ("" if d.active else f"  ({self.tr('disabled')})"), level_label(d.level), d.parent,
                     d.region, d.contact, str(d.categories), str(d.users), str(d.open_cases)]
            for j, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(Qt.ItemDataRole.UserRole, d.id)
                if not d.active:
                    it.setForeground(grey)
                if j >= 6:
                    it.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(i, j, it)
        if keep is None and not self._new and self.departments:
            keep = self.departments[0].id
        if keep is not None:
            self.select(keep)

    def _id_at(self, row: int) -> int | None:
        it = self.table.item(row, 0) if row >= 0 else None
        return it.data(Qt.ItemDataRole.UserRole) if it else None

    def select(self, dept_id: int) -> None:
        for r in range(self.table.rowCount()):
            if self._id_at(r) == dept_id:
                self.table.setCurrentCell(r, 0)
                self._show(dept_id)
                return

    def _show(self, dept_id: int | None) -> None:
        d = self.by_id.get(dept_id) if dept_id is not None else None
        self._current, self._new = d, False
        self.code.setReadOnly(True)
        for w in (self.name, self.level, self.parent_dept, self.region, self.contact, self.active, self.save_button):
            w.setEnabled(d is not None)
        if d is None:
            self.box.setTitle(self.tr("Department"))
            for w in (self.code, self.name, self.contact):
                w.clear()
            return
        self.box.setTitle(f"{d.code} {d.name}")
        self.code.setText(d.code)
        self.name.setText(d.name)
        self.level.setCurrentIndex(max(0, self.level.findData(d.level)))
        self.parent_dept.set_value(d.parent_id)
        self.region.set_value(d.region_id)
        self.contact.setText(d.contact)
        self.active.setChecked(d.active)

    def new_department(self) -> None:
        self.table.clearSelection()
        self._show(None)
        self._new = True
        self.box.setTitle(self.tr("New department"))
        self.code.setReadOnly(False)
        for w in (self.name, self.level, self.parent_dept, self.region, self.contact, self.save_button):
            w.setEnabled(True)
        self.code.setFocus()

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "level": self.level.currentData(),
                "parent_id": self.parent_dept.value(), "region_id": self.region.value(),
                "contact": self.contact.text().strip(), "active": self.active.isChecked()}

    def save(self) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        values = self.values()
        if self._new:
            code = self.code.text().strip()
            values.pop("active")
            self.run(lambda: core.add_department(engine, actor, code=code, **values),
                     lambda new: (self.message.info(self.tr("Added %1.").replace("%1", code)), self._written(new)))
            return
        d = self._current
        if d is None:
            return
        old = d.values()
        changes = {k: v for k, v in values.items() if v != old.get(k)}
        if changes:
            self.run(lambda: core.update_department(engine, actor, d.id, changes),
                     lambda _: (self.message.info(self.tr("Saved %1.").replace("%1", d.code)), self._written(d.id)))

    def _written(self, select_id: int | None) -> None:
        self._select_after = select_id
        if not getattr(self.window(), "live", False):
            self.load()
