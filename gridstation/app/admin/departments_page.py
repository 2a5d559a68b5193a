"""部门: the departments cases are dispatched to (level, parent, street, contact, active)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from gridstation.admin import departments as core
from gridstation.admin import regions as regions_mod
from gridstation.app.i18n import level_label
from gridstation.app.admin.common import IdCombo, RecordPage


def load_departments(s) -> dict:
    streets = [(r.id, f"{r.name} ({r.code})") for r in regions_mod.regions(s) if r.active]
    return {"departments": core.list_departments(s), "regions": streets}


class DepartmentsPage(RecordPage):
    """The table and the editor are ui/departments_page.ui."""

    entities = ("department", "region", "category", "user")
    editor_fields = ("name", "level", "parent_dept", "region", "contact", "save_button")

    HEADERS = 9

    table: QTableWidget
    new_button: QPushButton
    box: QGroupBox
    code: QLineEdit
    name: QLineEdit
    level: QComboBox
    parent_dept: IdCombo
    region: IdCombo
    contact: QLineEdit
    active: QCheckBox
    save_button: QPushButton
    split: QSplitter

    def title(self) -> str:
        return self.tr("Departments")

    def hint(self) -> str:
        return self.tr("Departments are disabled, never deleted. A department that current categories route to "
                       "cannot be disabled until they have another one.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.departments: list[core.DepartmentInfo] = []
        self.by_id: dict[int, core.DepartmentInfo] = {}
        self.size_columns(self.table.horizontalHeader())
        for lv in ("district", "street"):
            self.level.addItem(level_label(lv), lv)
        self.parent_dept.none_label = self.region.none_label = self.tr("— none —")
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([980, 420])

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
        for i, d in enumerate(self.departments):
            cells = [d.code, d.name + ("" if d.active else f"  ({self.tr('disabled')})"), level_label(d.level), d.parent,
                     d.region, d.contact, str(d.categories), str(d.users), str(d.open_cases)]
            items = [QTableWidgetItem(text) for text in cells]
            self.grey(items, d.active)
            for j, it in enumerate(items):
                it.setData(Qt.ItemDataRole.UserRole, d.id)
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
        self.set_editing(d is not None, "active")
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
        self.new_record(self.code, self.tr("New department"))

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "level": self.level.currentData(),
                "parent_id": self.parent_dept.value(), "region_id": self.region.value(),
                "contact": self.contact.text().strip(), "active": self.active.isChecked()}

    def save(self) -> None:
        values = self.values()
        code = self.code.text().strip()
        new = {k: v for k, v in values.items() if k != "active"}
        d = self._current
        self.save_record(
            values,
            add=lambda engine, actor: core.add_department(engine, actor, code=code, **new),
            added=lambda new_id: (self.message.info(self.tr("Added %1.").replace("%1", code)), self._written(new_id)),
            update=core.update_department, label=d.code if d is not None else code)
