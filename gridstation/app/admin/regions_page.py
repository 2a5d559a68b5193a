"""区域: the region hierarchy (levels and names), adding and renaming regions, merging a
community into another and moving grids between communities, with the grid history kept
(see gridstation/admin/regions.py for what keeps old cases on the grid they were filed in)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QColor, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTreeView,
    QWidget,
)

from gridstation.admin import regions as core
from gridstation.app.admin.common import IdCombo, Page, ui_chinese
from gridstation.app.uiload import load_ui

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def load_regions(s) -> dict:
    return {"levels": core.levels(s), "regions": core.regions(s)}


class TargetDialog(QDialog):
    """Choose a target region, the day the change takes effect, and whether to renumber
    (ui/target_dialog.ui)."""

    explanation: QLabel
    target: IdCombo
    on: QDateEdit
    renumber: QCheckBox
    buttons: QDialogButtonBox

    def __init__(self, title: str, explanation: str, targets: list[tuple[int, str]], today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_ui(self)
        self.setWindowTitle(title)
        self.target.set_items(targets, keep=False)
        self.on.setDate(QDate(today.year, today.month, today.day))
        self.explanation.setText(explanation)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    def day(self) -> date:
        d = self.on.date()
        return date(d.year(), d.month(), d.day())


class AddRegionDialog(QDialog):
    """The code and name of a new region (ui/add_region_dialog.ui)."""

    code: QLineEdit
    name: QLineEdit
    buttons: QDialogButtonBox

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        load_ui(self)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)


class RegionsPage(Page):
    entities = ("region",)

    tree: QTreeView
    box: QGroupBox
    code: QLabel
    level: QLabel
    name: QLineEdit
    rename_button: QPushButton
    add_button: QPushButton
    merge_button: QPushButton
    grids: QTableWidget
    history: QCheckBox
    move_button: QPushButton
    level_table: QTableWidget
    save_levels: QPushButton
    split: QSplitter

    def title(self) -> str:
        return self.tr("Regions and grids")

    def hint(self) -> str:
        return self.tr("The administrative shape of the city and the unit grids under its lowest level. Moving grids "
                       "keeps their history: old cases stay on the grid as it was when they were filed.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)  # the tree and the region's editor: ui/regions_page.ui
        self.levels: list[core.LevelInfo] = []
        self.regions: list[core.RegionInfo] = []
        self.by_id: dict[int, core.RegionInfo] = {}

        self.model = QStandardItemModel(0, 4, self)
        self.model.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Code"), self.tr("Level"), self.tr("Grids")])
        self.tree.setModel(self.model)
        self.size_columns(self.tree.header(), stretch=(0,), last=False)
        self.level_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.size_columns(self.grids.horizontalHeader())
        self.split.setStretchFactor(0, 1)
        self.split.setStretchFactor(1, 1)

        self.tree.selectionModel().currentChanged.connect(lambda *_: self._show(self.current_id()))
        self.rename_button.clicked.connect(self.rename)
        self.add_button.clicked.connect(self._ask_add)
        self.merge_button.clicked.connect(self._ask_merge)
        self.move_button.clicked.connect(self._ask_move)
        self.history.toggled.connect(lambda *_: self._load_grids())
        self.save_levels.clicked.connect(self.save_level_names)
        self._show(None)

    # ---- loading

    def load(self) -> None:
        self.read(load_regions, self._loaded)

    def _loaded(self, data) -> None:
        self.levels, self.regions = data["levels"], data["regions"]
        self.by_id = {r.id: r for r in self.regions}
        level_name = {lv.depth: self._level_name(lv) for lv in self.levels}
        keep = self._select_after or self.current_id()
        self._select_after = None
        self.model.removeRows(0, self.model.rowCount())
        items: dict[int, QStandardItem] = {}
        grey = QBrush(QColor("#9aa5b1"))
        for r in self.regions:
            name = QStandardItem(r.name + ("" if r.active else f"  ({self.tr('disabled')})"))
            name.setData(r.id, ID_ROLE)
            row = [name, QStandardItem(r.code), QStandardItem(level_name.get(r.depth, str(r.depth))),
                   QStandardItem(str(r.grids) if r.grids else "")]
            if not r.active:
                for it in row:
                    it.setForeground(grey)
            (items.get(r.parent_id) or self.model.invisibleRootItem()).appendRow(row)
            items[r.id] = name
        self.tree.expandToDepth(2)
        self.level_table.setRowCount(len(self.levels))
        for i, lv in enumerate(self.levels):
            key = QTableWidgetItem(lv.key)
            key.setFlags(key.flags() & ~Qt.ItemFlag.ItemIsEditable)
            key.setData(Qt.ItemDataRole.UserRole, lv.depth)
            self.level_table.setItem(i, 0, key)
            self.level_table.setItem(i, 1, QTableWidgetItem(lv.name))
            self.level_table.setItem(i, 2, QTableWidgetItem(lv.name_en))
        if keep in items:
            self.select(keep)
        else:
            self._show(None)

    @staticmethod
    def _level_name(lv: core.LevelInfo) -> str:
        return lv.name if ui_chinese() or not lv.name_en else lv.name_en

    def current_id(self) -> int | None:
        idx = self.tree.currentIndex()
        return self.model.index(idx.row(), 0, idx.parent()).data(ID_ROLE) if idx.isValid() else None

    def select(self, region_id: int) -> None:
        m = self.model.match(self.model.index(0, 0), ID_ROLE, region_id, 1,
                             Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive)
        if m:
            self.tree.scrollTo(m[0])
            self.tree.setCurrentIndex(m[0])
            self._show(region_id)

    def _show(self, region_id: int | None) -> None:
        r = self.by_id.get(region_id) if region_id is not None else None
        for w in (self.name, self.rename_button, self.add_button, self.merge_button, self.move_button, self.history):
            w.setEnabled(r is not None and r.active)
        self.history.setEnabled(r is not None)
        if r is None:
            self.box.setTitle(self.tr("Region"))
            self.code.setText("—")
            self.level.setText("—")
            self.name.clear()
            self.grids.setRowCount(0)
            return
        self.box.setTitle(r.name)
        self.code.setText(r.code)
        self.level.setText(next((self._level_name(lv) for lv in self.levels if lv.depth == r.depth), str(r.depth))
                           + ("" if r.active else "  " + self.tr("(disabled)")))
        self.name.setText(r.name)
        self.merge_button.setEnabled(r.active and r.parent_id is not None)
        self._load_grids()

    def _load_grids(self) -> None:
        rid = self.current_id()
        if rid is None:
            return
        history = self.history.isChecked()
        self.read(lambda s: (rid, core.grids(s, rid, history=history)), self._grids_loaded)

    def _grids_loaded(self, data) -> None:
        rid, grids = data
        if rid != self.current_id():
            return
        self.grids.setRowCount(len(grids))
        grey = QBrush(QColor("#9aa5b1"))
        for i, g in enumerate(grids):
            cells = [g.code, g.name, g.valid_from.isoformat(), g.valid_to.isoformat() if g.valid_to else "", str(g.cases)]
            for j, text in enumerate(cells):
                it = QTableWidgetItem(text)
                it.setData(Qt.ItemDataRole.UserRole, g.id)
                if g.valid_to is not None:
                    it.setForeground(grey)
                self.grids.setItem(i, j, it)

    def selected_grid_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.grids.selectedIndexes()})
        return [self.grids.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows
                if not self.grids.item(r, 3).text()]

    # ---- commands

    def rename(self) -> None:
        rid = self.current_id()
        if rid is None:
            return
        engine, actor, name = self.ctx.engine, self.ctx.actor, self.name.text().strip()
        self.run(lambda: core.rename_region(engine, actor, rid, name),
                 lambda _: (self.message.info(self.tr("Renamed.")), self._written(rid)))

    def add_region(self, parent_id: int, code: str, name: str) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        self.run(lambda: core.add_region(engine, actor, parent_id=parent_id, code=code, name=name),
                 lambda new: (self.message.info(self.tr("Added %1.").replace("%1", name)), self._written(new)))

    def _ask_add(self) -> None:
        r = self.by_id.get(self.current_id() or -1)
        if r is None:
            return
        dlg = AddRegionDialog(self)
        dlg.setWindowTitle(self.tr("Add a region under %1").replace("%1", r.name))
        dlg.code.setText(r.code)
        dlg.accepted.connect(lambda: self.add_region(r.id, dlg.code.text().strip(), dlg.name.text().strip()))
        dlg.open()

    def merge(self, source_id: int, target_id: int, on: date | None = None, renumber: bool = False) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        self.run(lambda: core.merge_region(engine, actor, source_id, target_id, on=on, renumber=renumber),
                 lambda moved: (self.message.info(self.tr("Merged; %1 grids moved with their history.")
                                                  .replace("%1", str(len(moved)))), self._written(target_id)))

    def move_grids(self, grid_ids: list[int], target_id: int, on: date | None = None, renumber: bool = False) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        src = self.current_id()
        self.run(lambda: core.move_grids(engine, actor, grid_ids, target_id, on=on, renumber=renumber),
                 lambda moved: (self.message.info(self.tr("%1 grids moved with their history.")
                                                  .replace("%1", str(len(moved)))), self._written(src)))

    def _targets(self, depth: int, exclude: int) -> list[tuple[int, str]]:
        return [(r.id, f"{r.name} ({r.code})") for r in self.regions if r.depth == depth and r.active and r.id != exclude]

    def _ask_merge(self) -> None:
        r = self.by_id.get(self.current_id() or -1)
        if r is None:
            return
        dlg = TargetDialog(
            self.tr("Merge %1").replace("%1", r.name),
            self.tr("The grids of %1 move to the target as new grid versions from the chosen day; cases already "
                    "filed keep the grid as it was. Its users and departments move to the target; %1 stays in the "
                    "tree, disabled.").replace("%1", r.name),
            self._targets(r.depth, r.id), self.ctx.now().date(), self)
        dlg.accepted.connect(lambda: dlg.target.value() and self.merge(r.id, dlg.target.value(), dlg.day(),
                                                                        dlg.renumber.isChecked()))
        dlg.open()

    def _ask_move(self) -> None:
        r = self.by_id.get(self.current_id() or -1)
        ids = self.selected_grid_ids()
        if r is None or not ids:
            self.message.warn(self.tr("Select the current grids to move first."))
            return
        dlg = TargetDialog(
            self.tr("Move %1 grids").replace("%1", str(len(ids))),
            self.tr("The grids move as new versions from the chosen day; cases already filed keep the grid as it was."),
            [t for t in self._targets(r.depth, r.id) if not any(x.parent_id == t[0] and x.active for x in self.regions)],
            self.ctx.now().date(), self)
        dlg.accepted.connect(lambda: dlg.target.value() and self.move_grids(ids, dlg.target.value(), dlg.day(),
                                                                             dlg.renumber.isChecked()))
        dlg.open()

    def save_level_names(self) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        changes = []
        for i in range(self.level_table.rowCount()):
            depth = self.level_table.item(i, 0).data(Qt.ItemDataRole.UserRole)
            lv = next((x for x in self.levels if x.depth == depth), None)
            name, en = self.level_table.item(i, 1).text().strip(), self.level_table.item(i, 2).text().strip()
            if lv is not None and (name != lv.name or en != lv.name_en):
                changes.append((depth, name, en))
        if not changes:
            return

        self.run(lambda: core.rename_levels(engine, actor, changes), lambda _: (self.message.info(self.tr("Level names saved.")), self._written(self.current_id())))
