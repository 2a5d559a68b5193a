"""案件类别: the category catalogue as a tree, with the editor of one category (name,
department, command level, the limit and unit of each stage, conditions), add / move /
retire / restore, and the Excel import (with its preview) and export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeySequence, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeView,
    QWidget,
)
from sqlalchemy import select

from gridstation.admin import catalogue as core
from gridstation.admin import catalogue_excel as excel
from gridstation.store.model import Department
from gridstation.worktime.timelimits import DEFAULT_LIMITS
from gridstation.app.i18n import error_message, level_label
from gridstation.app.admin.common import AmountSpin, IdCombo, Page, kind_label, limit_label, stage_label, unit_label
from gridstation.app.admin.import_dialog import ImportPreviewDialog
from gridstation.app.uiload import load_ui, register

ID_ROLE = Qt.ItemDataRole.UserRole + 1
RETIRED_COLOUR = QColor("#9aa5b1")


def load_catalogue(s) -> dict:
    depts = [(d.id, f"{d.code} {d.name}", bool(d.active)) for d in s.scalars(select(Department).order_by(Department.code))]
    return {"nodes": core.tree(s), "departments": depts}


class CategoryEditor(QGroupBox):
    """The fields of one category; ``values()`` gives them as ``update_category`` takes them."""

    changed = Signal()

    code: QLabel
    where: QLabel
    name: QLineEdit
    department: IdCombo
    level: QComboBox
    urgent: QCheckBox
    limits_box: QGroupBox
    limits: QGridLayout
    impact: QLabel
    filing: QPlainTextEdit
    closing: QPlainTextEdit
    move_button: QPushButton
    retire_button: QPushButton
    revert_button: QPushButton
    save_button: QPushButton

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CategoryEditor")
        load_ui(self)  # ui/category_editor.ui; the rows of the stages are added here
        self.node: core.CategoryNode | None = None
        self._filling = False
        self.department.none_label = self.tr("— none —")
        for lv in ("district", "street"):
            self.level.addItem(level_label(lv), lv)

        self.amounts: dict[str, QDoubleSpinBox] = {}
        self.units: dict[str, QComboBox] = {}
        self.defaults: dict[str, QLabel] = {}
        tab = [self.name, self.department, self.level, self.urgent]
        for i, st in enumerate(core.STAGES, start=1):
            amount = AmountSpin()
            amount.setObjectName(f"Limit_{st.value}")
            amount.setRange(0, core.MAX_AMOUNT)
            amount.setDecimals(2)
            amount.setSpecialValueText(self.tr("default"))
            amount.setToolTip(self.tr("0 = the center default"))
            unit = QComboBox()
            unit.setObjectName(f"Unit_{st.value}")
            for u in core.UNITS:
                unit.addItem(unit_label(u), u)
            d_amount, d_unit = DEFAULT_LIMITS[st]
            default = QLabel(self.tr("default: %1").replace("%1", limit_label((d_amount, d_unit.value))))
            default.setObjectName("AdminPageHint")
            self.amounts[st.value], self.units[st.value], self.defaults[st.value] = amount, unit, default
            self.limits.addWidget(QLabel(stage_label(st.value)), i, 0)
            self.limits.addWidget(amount, i, 1)
            self.limits.addWidget(unit, i, 2)
            self.limits.addWidget(default, i, 3)
            tab += [amount, unit]
            amount.valueChanged.connect(self._amount_changed)
            unit.currentIndexChanged.connect(self._edited)
        self.limits.setColumnStretch(3, 1)
        for a, b in zip(tab, tab[1:] + [self.filing]):  # the stages' rows between the form and the conditions
            QWidget.setTabOrder(a, b)

        self.name.textEdited.connect(self._edited)
        self.department.currentIndexChanged.connect(self._edited)
        self.level.currentIndexChanged.connect(self._edited)
        self.urgent.toggled.connect(self._edited)
        self.filing.textChanged.connect(self._edited)
        self.closing.textChanged.connect(self._edited)
        self.revert_button.clicked.connect(lambda: self.set_node(self.node, self._departments))
        self._departments: list = []
        self.set_node(None, [])

    def _amount_changed(self, *_):
        for st, amount in self.amounts.items():
            self.units[st].setEnabled(amount.value() > 0 and self.isEnabled())
            self.defaults[st].setVisible(amount.value() == 0)
        self._edited()

    def _edited(self, *_):
        if not self._filling:
            self.save_button.setEnabled(self.node is not None and self.is_dirty())
            self.changed.emit()

    def set_node(self, node: core.CategoryNode | None, departments: list, path: str = "") -> None:
        self._filling = True
        self.node = node
        self._departments = departments
        items = [(i, label + ("" if active else "  " + self.tr("(disabled)"))) for i, label, active in departments
                 if active or (node is not None and node.department_id == i)]
        self.department.set_items(items, keep=False)
        enabled = node is not None
        for w in (self.name, self.department, self.level, self.urgent, self.filing, self.closing, self.limits_box,
                  self.move_button, self.retire_button, self.revert_button):
            w.setEnabled(enabled)
        if node is None:
            self.setTitle(self.tr("Category"))
            self.code.setText("—")
            self.where.setText(self.tr("Choose a category in the tree"))
            self.name.clear()
            self.filing.clear()
            self.closing.clear()
            self.impact.hide()
        else:
            self.setTitle(self.tr("Category %1").replace("%1", node.code))
            self.code.setText(node.code)
            state = self.tr("retired") if node.retired else (self.tr("leaf") if node.is_leaf else self.tr("class"))
            self.where.setText(f"{kind_label(node.kind)} · {path or '—'} · {state}")
            self.name.setText(node.name)
            self.department.set_value(node.department_id)
            self.level.setCurrentIndex(max(0, self.level.findData(node.command_level)))
            self.urgent.setChecked(node.urgent)
            for st, (amount, unit) in node.limits.items():
                self.amounts[st].setValue(amount or 0)
                self.units[st].setCurrentIndex(max(0, self.units[st].findData(unit or "minute")))
            self.filing.setPlainText(node.filing_condition)
            self.closing.setPlainText(node.closing_condition)
            self.retire_button.setText(self.tr("Restore") if node.retired else self.tr("Retire…"))
            self.move_button.setEnabled(node.parent_id is not None and not node.retired)
            self.retire_button.setEnabled(node.parent_id is not None)
            if node.open_cases:
                self.impact.setText(self.tr("%1 open cases of this category keep the deadlines they have now. A changed "
                                            "limit applies to case stages that start after you save.")
                                    .replace("%1", str(node.open_cases)))
            else:
                self.impact.setText(self.tr("A changed limit applies to case stages that start after you save."))
            self.impact.show()
        self._filling = False
        self._amount_changed()
        self.save_button.setEnabled(False)

    def values(self) -> dict:
        v = {
            "name": self.name.text().strip(),
            "department_id": self.department.value(),
            "command_level": self.level.currentData(),
            "urgent": self.urgent.isChecked(),
            "filing_condition": self.filing.toPlainText().strip(),
            "closing_condition": self.closing.toPlainText().strip(),
        }
        for st in self.amounts:
            amount = self.amounts[st].value()
            v[f"{st}_limit"] = float(amount) if amount > 0 else None
            v[f"{st}_unit"] = self.units[st].currentData() if amount > 0 else None
        return v

    def changes(self) -> dict:
        """Only the fields that differ from the category as loaded."""
        if self.node is None:
            return {}
        old = self.node.values()
        new = self.values()
        out = {}
        for k, v in new.items():
            if k.endswith("_unit"):
                continue
            if k.endswith("_limit"):
                u = k[: -len("_limit")] + "_unit"
                if (v, new[u]) != ((old[k] if old[u] else None), old[u] or None):
                    out[k], out[u] = v, new[u]
            elif v != (old[k] if old[k] is not None else ("" if isinstance(v, str) else None)):
                out[k] = v
        return out

    def is_dirty(self) -> bool:
        return bool(self.changes())


register(CategoryEditor)


class AddCategoryDialog(QDialog):
    """The code and name of a new category under a class (ui/add_category_dialog.ui)."""

    under: QLabel
    code: QLineEdit
    name: QLineEdit
    buttons: QDialogButtonBox

    def __init__(self, parent_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_ui(self)
        self.under.setText(parent_label)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)


class MoveDialog(QDialog):
    """A new parent for a category and everything under it (ui/move_dialog.ui)."""

    target: IdCombo
    buttons: QDialogButtonBox

    def __init__(self, node: core.CategoryNode, nodes: list[core.CategoryNode], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_ui(self)
        self.setWindowTitle(self.tr("Move %1").replace("%1", f"{node.code} {node.name}"))
        subtree = {node.id}
        for n in nodes:  # pre-order: a node's descendants follow it
            if n.parent_id in subtree:
                subtree.add(n.id)
        for n in nodes:
            if n.id in subtree or n.retired or n.id == node.parent_id:
                continue
            self.target.addItem("　" * n.depth + f"{n.code} {n.name}", n.id)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)


class CataloguePage(Page):
    entities = ("category", "department")

    COLUMNS = 6

    filter: QLineEdit
    show_retired: QCheckBox
    add_button: QPushButton
    import_button: QPushButton
    export_button: QPushButton
    tree: QTreeView
    editor: CategoryEditor
    split: QSplitter

    def title(self) -> str:
        return self.tr("Case categories")

    def hint(self) -> str:
        return self.tr("The component and event catalogue: where each category sits, who handles it, and the time "
                       "limit of each stage. Retired categories stay on old cases and leave the pickers.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)  # the tree and the editor: ui/catalogue_page.ui
        self.nodes: list[core.CategoryNode] = []
        self.by_id: dict[int, core.CategoryNode] = {}
        self.departments: list = []
        self.preview_dialog: ImportPreviewDialog | None = None

        self.model = QStandardItemModel(0, self.COLUMNS, self)
        self.model.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Code"), self.tr("Department"),
                                              self.tr("Handling limit"), self.tr("Level"), self.tr("Open cases")])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.tree.setModel(self.proxy)
        self.size_columns(self.tree.header(), stretch=(0,), last=False)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)

        self.filter.textChanged.connect(self._filter)
        self.show_retired.toggled.connect(lambda *_: self._rebuild())
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.editor.save_button.clicked.connect(self.save)
        self.editor.move_button.clicked.connect(self._ask_move)
        self.editor.retire_button.clicked.connect(self._retire_or_restore)
        self.add_button.clicked.connect(self._ask_add)
        self.import_button.clicked.connect(self._ask_import)
        self.export_button.clicked.connect(self._ask_export)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

    # ---- loading

    def load(self) -> None:
        self.read(load_catalogue, self._loaded)

    def _loaded(self, data: dict) -> None:
        self.nodes = data["nodes"]
        self.by_id = {n.id: n for n in self.nodes}
        self.departments = data["departments"]
        current = self._select_after or self.current_id()
        self._select_after = None
        self._rebuild(current)

    def _rebuild(self, select_id: int | None = None) -> None:
        select_id = select_id if select_id is not None else self.current_id()
        self.model.removeRows(0, self.model.rowCount())
        items: dict[int, QStandardItem] = {}
        show_retired = self.show_retired.isChecked()
        italic = QFont()
        italic.setItalic(True)
        for n in self.nodes:
            if n.retired and not show_retired:
                continue
            name = QStandardItem(n.name + (f"  ({self.tr('retired')})" if n.retired else ""))
            name.setData(n.id, ID_ROLE)
            if not n.is_leaf:
                f = QFont()
                f.setBold(True)
                name.setFont(f)
            row = [
                name,
                QStandardItem(n.code),
                QStandardItem(n.department),
                QStandardItem(limit_label(n.limits.get("handle")) if n.is_leaf else ""),
                QStandardItem(level_label(n.command_level) if n.is_leaf else ""),
                QStandardItem(str(n.open_cases) if n.open_cases else ""),
            ]
            row[5].setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if n.retired:
                for it in row:
                    it.setForeground(QBrush(RETIRED_COLOUR))
                    it.setFont(italic)
            parent = items.get(n.parent_id) if n.parent_id else None
            (parent or self.model.invisibleRootItem()).appendRow(row)
            items[n.id] = name
        self.tree.expandToDepth(1)
        if select_id is not None and select_id in items:
            self.select(select_id)
        else:
            self._show(None)

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.tree.expandAll()

    # ---- selection

    def current_id(self) -> int | None:
        idx = self.tree.currentIndex()
        if not idx.isValid():
            return None
        return self.proxy.index(idx.row(), 0, idx.parent()).data(ID_ROLE)

    def select(self, category_id: int) -> None:
        """Select a category in the tree (and show it in the editor)."""
        src = self._find(category_id)
        if src is None:
            return
        idx = self.proxy.mapFromSource(src)
        if idx.isValid():
            self.tree.scrollTo(idx)
            self.tree.setCurrentIndex(idx)
            self._show(category_id)

    def _find(self, category_id: int):
        matches = self.model.match(self.model.index(0, 0), ID_ROLE, category_id, 1,
                                   Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        return matches[0] if matches else None

    def _current_changed(self, current, _previous) -> None:
        self._show(self.current_id())

    def _path_of(self, node: core.CategoryNode) -> str:
        names = []
        p = self.by_id.get(node.parent_id) if node.parent_id else None
        while p is not None:
            names.append(p.name)
            p = self.by_id.get(p.parent_id) if p.parent_id else None
        return " › ".join(reversed(names))

    def _show(self, category_id: int | None) -> None:
        node = self.by_id.get(category_id) if category_id is not None else None
        if node is not None and self.editor.node is not None and self.editor.node.id == node.id and self.editor.is_dirty():
            if node != self.editor.node:
                self.message.warn(self.tr("This category was changed meanwhile; your unsaved edits are kept. "
                                          "Revert to see the current values."))
            return
        self.editor.set_node(node, self.departments, self._path_of(node) if node else "")

    # ---- commands

    def save(self) -> None:
        node = self.editor.node
        if node is None:
            return
        changes = self.editor.changes()
        if not changes:
            return
        old = node.values()
        expected = {k: old[k] for k in changes}
        engine, actor = self.ctx.engine, self.ctx.actor
        self.editor.save_button.setEnabled(False)

        def done(changed):
            self.message.info(self.tr("Saved %1.").replace("%1", f"{node.code} {changes.get('name', node.name)}"))
            self._written(node.id)

        def failed(exc):
            self.editor.save_button.setEnabled(True)
            self.show_error(exc)

        self.run(lambda: core.update_category(engine, actor, node.id, changes, expected=expected), done, failed)

    def _written(self, select_id: int | None = None) -> None:
        self.editor.node = None  # the saved values are the truth now
        super()._written(select_id)

    def add_category(self, parent_id: int, code: str, name: str) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        self.run(lambda: core.add_category(engine, actor, parent_id=parent_id, code=code, name=name),
                 lambda new_id: (self.message.info(self.tr("Added %1.").replace("%1", f"{code} {name}")),
                                 self._written(new_id)))

    def move_category(self, category_id: int, parent_id: int) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        self.run(lambda: core.move_category(engine, actor, category_id, parent_id),
                 lambda _: (self.message.info(self.tr("Moved.")), self._written(category_id)))

    def retire(self, category_id: int) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        self.run(lambda: core.retire_category(engine, actor, category_id),
                 lambda codes: (self.message.info(self.tr("Retired %1.").replace("%1", ", ".join(codes))),
                                self._written(category_id)))

    def restore(self, category_id: int) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        self.run(lambda: core.restore_category(engine, actor, category_id),
                 lambda _: (self.message.info(self.tr("Restored.")), self._written(category_id)))

    def _ask_add(self) -> None:
        node = self.by_id.get(self.current_id() or -1)
        if node is None or node.retired:
            self.message.warn(self.tr("Choose the class to add the category under."))
            return
        dlg = AddCategoryDialog(f"{node.code} {node.name}", self)
        dlg.accepted.connect(lambda: self.add_category(node.id, dlg.code.text().strip(), dlg.name.text().strip()))
        dlg.open()

    def _ask_move(self) -> None:
        node = self.editor.node
        if node is None:
            return
        dlg = MoveDialog(node, self.nodes, self)
        dlg.accepted.connect(lambda: dlg.target.value() and self.move_category(node.id, dlg.target.value()))
        dlg.open()

    def _retire_or_restore(self) -> None:
        node = self.editor.node
        if node is None:
            return
        if node.retired:
            self.restore(node.id)
            return
        under = sum(1 for n in self.nodes if n.id != node.id and f"/{node.id}/" in self._ancestry(n))
        text = self.tr("Retire %1? It leaves the category pickers; the cases filed with it keep it.").replace(
            "%1", f"{node.code} {node.name}")
        if under:
            text += "\n" + self.tr("The %1 categories under it are retired with it.").replace("%1", str(under))
        if QMessageBox.question(self, self.tr("Retire category"), text) == QMessageBox.StandardButton.Yes:
            self.retire(node.id)

    def _ancestry(self, node: core.CategoryNode) -> str:
        ids, p = [], node
        while p is not None:
            ids.append(str(p.id))
            p = self.by_id.get(p.parent_id) if p.parent_id else None
        return "/" + "/".join(reversed(ids)) + "/"

    # ---- Excel

    def _ask_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import the catalogue"), "", self.tr("Excel workbooks (*.xlsx)"))
        if path:
            self.import_file(path)

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export the catalogue"), "案件类别.xlsx",
                                              self.tr("Excel workbooks (*.xlsx)"))
        if path:
            self.export_file(path)

    def import_file(self, path: str) -> None:
        """Read and compare the sheet in the background, then show the preview."""
        engine = self.ctx.engine
        self.run(lambda: excel.preview_import(engine, path), self._preview, self._import_failed)

    def _import_failed(self, exc: BaseException) -> None:
        problems = getattr(exc, "problems", None)
        if problems:
            lines = [str(p) for p in problems[:8]]
            if len(problems) > 8:
                lines.append(self.tr("… and %1 more").replace("%1", str(len(problems) - 8)))
            self.message.error(self.tr("The sheet was refused; nothing was changed:") + "\n" + "\n".join(lines))
        else:
            self.show_error(exc)

    def _preview(self, diff) -> None:
        self.preview_dialog = ImportPreviewDialog(diff, self)
        self.preview_dialog.applyRequested.connect(self.apply_import)
        self.preview_dialog.open()

    def apply_import(self, diff) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        dlg = self.preview_dialog

        def done(result):
            if dlg is not None:
                dlg.accept()
            self.message.info(self.tr("Imported: %1 added, %2 changed, %3 moved, %4 restored, %5 retired.")
                              .replace("%1", str(result.added)).replace("%2", str(result.changed))
                              .replace("%3", str(result.moved)).replace("%4", str(result.restored))
                              .replace("%5", str(result.retired)))
            self._written(self.current_id())

        def failed(exc):
            if dlg is not None:
                dlg.failed(error_message(exc))
            else:
                self.show_error(exc)

        self.run(lambda: excel.apply_import(engine, actor, diff), done, failed)

    def export_file(self, path: str) -> None:
        engine = self.ctx.engine
        self.run(lambda: excel.export_catalogue(engine, path),
                 lambda n: self.message.info(self.tr("Exported %1 categories to %2.").replace("%1", str(n))
                                             .replace("%2", Path(path).name)))
