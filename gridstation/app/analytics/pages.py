"""The drill-down page and the evaluation page."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from gridstation.analytics import drilldown as dd
from gridstation.analytics import choropleth, evaluation
from gridstation.app import tasks
from gridstation.app.analytics import data
from gridstation.app.analytics.maplayer import layer_for_map, map_figures
from gridstation.app.analytics.models import DrillModel, EvalModel, FigureRole, RawRole, RowIdRole, figure_labels
from gridstation.app.analytics.widgets import CasesDialog, PeriodPicker, comparison_text


class NumberTable(QTableView):
    """A table where Enter on a cell is ``cellEntered`` (click and double-click as usual)."""

    cellEntered = Signal(object)

    def keyPressEvent(self, ev) -> None:
        if ev.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.cellEntered.emit(self.currentIndex())
            return
        super().keyPressEvent(ev)


def _table(view: QTableView) -> None:
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setHighlightSections(False)


class DrillPage(QWidget):
    """Breadcrumb, period, 同比/环比, the children's figures and the node's early warnings."""

    openCase = Signal(int)
    nodeChanged = Signal(object)  # drilldown.Node
    loaded = Signal()
    # the drill-down on the map: a dict for ``MapView.set_choropleth`` (None: no layer)
    mapLayerChanged = Signal(object)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.map_layer: choropleth.MapLayer | None = None
        self.map_dict: dict | None = None
        self.node: dd.Node | None = None  # None until the first load resolves the top
        self.crumbs: list[dd.Node] = []
        self.dialogs: list[CasesDialog] = []
        self._auto_descend = True
        self._pending_click = None

        self.crumb_bar = QHBoxLayout()
        self.crumb_bar.setSpacing(2)
        crumb_host = QWidget()
        crumb_host.setLayout(self.crumb_bar)
        self.period = PeriodPicker(ctx.now().date(), self)
        self.period.changed.connect(self.reload)
        self.compare = QComboBox()
        for key, label in (("prev", self.tr("环比 (previous period)")), ("yoy", self.tr("同比 (a year earlier)")),
                           ("both", self.tr("同比 and 环比")), ("", self.tr("No comparison"))):
            self.compare.addItem(label, key)
        self.compare.currentIndexChanged.connect(self._compare_changed)
        self.map_figure = QComboBox()  # the figure the main map is coloured by
        self.map_figure.addItem(self.tr("(not shown)"), "")
        for key, label in map_figures():
            self.map_figure.addItem(label, key)
        self.map_figure.setToolTip(self.tr("Colour the main map's regions by this figure, for the children of the "
                                           "current node and the same period; click a region there to drill down"))
        self.map_figure.currentIndexChanged.connect(self._update_map)
        self.up_btn = QPushButton(self.tr("Up"))
        self.up_btn.setShortcut(QKeySequence("Backspace"))
        self.up_btn.clicked.connect(self.go_up)
        self.status = QLabel()
        self.status.setStyleSheet("color: #5f6368")
        self.spans = QLabel()  # which spans were compared
        self.spans.setWordWrap(True)
        self.spans.setStyleSheet("color: #3c4043")

        self.model = DrillModel(self)
        self.view = NumberTable()
        self.view.setModel(self.model)
        _table(self.view)
        self.view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.view.clicked.connect(self._clicked)
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.cellEntered.connect(self._entered)
        self._click_timer = QTimer(self)
        self._click_timer.setSingleShot(True)
        self._click_timer.timeout.connect(self._click_timeout)

        self.warn_list = QListWidget()
        self.warn_list.itemActivated.connect(self._warning_activated)
        self.warn_list.setWordWrap(True)
        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(0, 0, 0, 0)
        self.warn_title = QLabel(self.tr("Early warnings"))
        self.warn_title.setStyleSheet("font-weight: 600")
        sl.addWidget(self.warn_title)
        sl.addWidget(self.warn_list, 1)
        hint = QLabel(self.tr("Double-click a warning to see its cases."))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5f6368")
        sl.addWidget(hint)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.view)
        split.addWidget(side)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([1200, 320])

        top = QHBoxLayout()
        top.addWidget(self.up_btn)
        top.addWidget(crumb_host, 1)
        controls = QHBoxLayout()
        controls.addWidget(self.period)
        controls.addSpacing(16)
        controls.addWidget(QLabel(self.tr("Compare:")))
        controls.addWidget(self.compare)
        controls.addSpacing(16)
        controls.addWidget(QLabel(self.tr("On the map:")))
        controls.addWidget(self.map_figure)
        controls.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(controls)
        lay.addWidget(self.spans)
        lay.addWidget(split, 1)
        lay.addWidget(self.status)
        hint2 = self.tr("Click a number to see the cases behind it; double-click a row to drill down.")
        self.view.setToolTip(hint2)
        self.status.setText(hint2)

    # ---------------------------------------------------------------- loading
    def reload(self) -> None:
        self.load(self.node)

    def load(self, node: dd.Node | None) -> None:
        ctx, period, now = self.ctx, self.period.period(), self.ctx.now()
        self.status.setText(self.tr("Loading…"))

        def work():
            with ctx.session() as s:
                d = data.load_drill(s, node, period, now)
                # the top with a single region (the city): start at the city
                if self._auto_descend and d.drill.node.kind == "top" and len(d.drill.rows) == 1:
                    d = data.load_drill(s, d.drill.rows[0].node, period, now)
                return d

        tasks.run_latest(work, self._loaded, self._failed, owner=self)

    def _loaded(self, d: data.DrillData) -> None:
        self._auto_descend = False
        self.node = d.drill.node
        self.crumbs = d.crumbs
        self.model.level_names = d.level_names
        self.model.set_drill(d.drill)
        self._show_crumbs()
        self._show_warnings(d.warnings)
        dr = d.drill
        self._show_spans()
        self.status.setText(self.tr("%1 · %n child(ren) · click a number to see the cases behind it; double-click a "
                                    "row to drill down", "", len(dr.rows)).replace("%1", dr.node.name))
        self.up_btn.setEnabled(len(self.crumbs) > 1)
        self.nodeChanged.emit(self.node)
        self._update_map()
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Could not load: %1").replace("%1", str(exc)))

    # ---------------------------------------------------------------- the map
    def set_map_figure(self, figure: str) -> None:
        self.map_figure.setCurrentIndex(max(0, self.map_figure.findData(figure)))

    def _update_map(self) -> None:
        """Compute the map layer of the current drill-down for the chosen figure (background)."""
        figure, drill = self.map_figure.currentData(), self.model.drill
        if not figure or drill is None:
            self.map_layer, self.map_dict = None, None
            self.mapLayerChanged.emit(None)
            return
        ctx = self.ctx

        def work():
            with ctx.session() as s:
                return choropleth.map_layer(s, drill, figure)

        def done(layer):
            if self.model.drill is not drill or self.map_figure.currentData() != figure:
                return  # the user moved on meanwhile
            self.map_layer = layer
            self.map_dict = layer_for_map(layer)
            self.mapLayerChanged.emit(self.map_dict)

        tasks.run(work, done, self._failed, owner=self)

    def map_clicked(self, index: int) -> None:
        """A child region clicked on the map: its row is selected, and a region is drilled into."""
        layer = self.map_layer
        if layer is None or not (0 <= index < len(layer.items)):
            return
        node = layer.items[index].node
        self.select_node(node)
        if node.kind != "grid" and node.key != (self.node.key if self.node else None):
            self.load(node)

    def select_node(self, node) -> bool:
        m = self.model
        for r in range(m.rowCount()):
            row = m.row_at(r)
            if row is not None and not m.is_total(r) and row.node.key == node.key:
                self.view.selectionModel().setCurrentIndex(
                    m.index(r, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.view.scrollTo(m.index(r, 0))
                return True
        return False

    def _compare_changed(self) -> None:
        self.model.set_compare(self.compare.currentData())
        self._show_spans()

    def _show_spans(self) -> None:
        """The header line: the period and the spans it is compared with (环比, 同比)."""
        d = self.model.drill
        if d is None:
            return
        mode = self.compare.currentData()
        self.spans.setText(comparison_text(d.period, d.prev_period if mode in ("prev", "both") else None,
                                           d.yoy_period if mode in ("yoy", "both") else None))

    def _show_crumbs(self) -> None:
        while self.crumb_bar.count():
            w = self.crumb_bar.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        levels = {"top": self.tr("All")}
        for i, n in enumerate(self.crumbs):
            if i:
                sep = QLabel("›")
                sep.setStyleSheet("color: #9aa0a6; font-size: 14pt")
                self.crumb_bar.addWidget(sep)
            b = QPushButton(n.name if n.kind != "top" else levels["top"])
            b.setFlat(True)
            if n.kind != "top":
                b.setToolTip(f"{n.code} · {self.model.level_name(n)}")
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            last = i == len(self.crumbs) - 1
            b.setStyleSheet("font-weight: 700; font-size: 12pt" if last else "color: #1a73e8; font-size: 12pt")
            b.setEnabled(not last)
            b.clicked.connect(lambda _=False, node=n: self.load(node))
            self.crumb_bar.addWidget(b)
        self.crumb_bar.addStretch(1)

    def breadcrumb_names(self) -> list[str]:
        return [n.name for n in self.crumbs]

    def _show_warnings(self, w) -> None:
        self.warn_list.clear()
        if w is None:
            self.warn_list.addItem(self.tr("(early warnings unavailable)"))
            return
        for sp in w.grids:
            it = QListWidgetItem(self.tr("Surge in grid %1: %2 reports (expected %3)")
                                 .replace("%1", f"{sp.name or sp.code}").replace("%2", str(sp.count))
                                 .replace("%3", f"{sp.expected:.1f}"))
            it.setData(Qt.ItemDataRole.UserRole, list(sp.case_ids))
            it.setToolTip(f"p = {sp.p_value:.2g}\n{w.rule}")
            self.warn_list.addItem(it)
        for sp in w.categories:
            it = QListWidgetItem(self.tr("Surge in category %1: %2 reports (expected %3)")
                                 .replace("%1", sp.name).replace("%2", str(sp.count)).replace("%3", f"{sp.expected:.1f}"))
            it.setData(Qt.ItemDataRole.UserRole, list(sp.case_ids))
            it.setToolTip(f"p = {sp.p_value:.2g}\n{w.rule}")
            self.warn_list.addItem(it)
        for b in w.bounces:
            it = QListWidgetItem(self.tr("Bounced case %1: %2 returns, %3 department changes")
                                 .replace("%1", b.number).replace("%2", str(b.returns)).replace("%3", str(b.changes)))
            it.setData(Qt.ItemDataRole.UserRole, [b.case_id])
            it.setToolTip(b.note or b.grid_code)
            self.warn_list.addItem(it)
        if not self.warn_list.count():
            it = QListWidgetItem(self.tr("No warnings for this period."))
            it.setFlags(Qt.ItemFlag.NoItemFlags)
            self.warn_list.addItem(it)
        self.warn_title.setText(self.tr("Early warnings (%1)").replace("%1", str(len(w.grids) + len(w.categories) + len(w.bounces))))

    def _warning_activated(self, item: QListWidgetItem) -> None:
        ids = item.data(Qt.ItemDataRole.UserRole)
        if ids:
            self._show_dialog(CasesDialog(self.ctx, item.text(), ids=ids, parent=self))

    # ---------------------------------------------------------------- interaction
    def _clicked(self, index) -> None:
        # a double-click starts with a click: wait for the double-click interval first
        self._pending_click = index
        self._click_timer.start(QApplication.doubleClickInterval())

    def _click_timeout(self) -> None:
        if self._pending_click is not None:
            self.open_cell(self._pending_click)
        self._pending_click = None

    def _double_clicked(self, index) -> None:
        self._click_timer.stop()
        self._pending_click = None
        self.drill_row(index.row())

    def _entered(self, index) -> None:
        if self.model.data(index, FigureRole):
            self.open_cell(index)
        else:
            self.drill_row(index.row())

    def drill_row(self, row: int) -> bool:
        r = self.model.row_at(row)
        if r is None or self.model.is_total(row) or r.node.kind == "grid":
            return False
        self.load(r.node)
        return True

    def go_up(self) -> None:
        if len(self.crumbs) > 1:
            self.load(self.crumbs[-2])

    def open_cell(self, index) -> CasesDialog | None:
        """The cases behind the number in ``index`` (None if the cell is not a figure)."""
        figure = self.model.data(index, FigureRole)
        row = self.model.row_at(index.row())
        d = self.model.drill
        if not figure or row is None or d is None:
            return None
        label = dict(figure_labels()).get(figure, figure)
        value = self.model.data(index)
        title = f"{row.node.name} · {label} ({dd.FIGURES.get(figure, figure)}) = {value} · {d.period}"
        return self._show_dialog(CasesDialog(self.ctx, title, node=row.node, period=d.period, figure=figure,
                                             parent=self))

    def _show_dialog(self, dlg: CasesDialog) -> CasesDialog:
        dlg.openCase.connect(self.openCase)
        self.dialogs = [x for x in self.dialogs if _alive(x)] + [dlg]
        dlg.show()
        return dlg


def _alive(w) -> bool:
    try:
        w.objectName()
        return True
    except RuntimeError:
        return False


# =========================================================================== evaluation

#: Evaluation region indicators → drill-down figures whose cases are behind them.
REGION_FIGURES = {"cases": "filed", "public_share": "public_share", "closure_rate": "closure_rate",
                  "on_time_rate": "on_time_rate"}


class EvaluationPage(QWidget):
    openCase = Signal(int)
    loaded = Signal()

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dialogs: list[CasesDialog] = []
        self.object = QComboBox()
        for key, label in (("regions", self.tr("Regions")), ("departments", self.tr("Departments")),
                           ("positions", self.tr("Positions"))):
            self.object.addItem(label, key)
        self.level = QComboBox()  # regions: the level; positions: which position
        self.period = PeriodPicker(ctx.now().date(), self)
        self.model = EvalModel(self)
        self.view = NumberTable()
        self.view.setModel(self.model)
        _table(self.view)
        self.view.doubleClicked.connect(self.open_cell)
        self.view.cellEntered.connect(self.open_cell)
        self.status = QLabel()
        self.status.setStyleSheet("color: #5f6368")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Evaluate:")))
        row.addWidget(self.object)
        row.addWidget(self.level)
        row.addSpacing(16)
        row.addWidget(self.period)
        row.addStretch(1)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.status)
        self._levels: list[tuple[int, str, str]] = []
        self.object.currentIndexChanged.connect(self._object_changed)
        self.level.currentIndexChanged.connect(self.reload)
        self.period.changed.connect(self.reload)
        self._fetch_levels()

    def _fetch_levels(self) -> None:
        ctx = self.ctx

        def work():
            with ctx.session() as s:
                return data.levels(s)

        def done(lv):
            self._levels = lv
            self.model.level_names = {key: name for _, key, name in lv}
            self._object_changed()

        tasks.run(work, done, owner=self)

    def _object_changed(self) -> None:
        obj = self.object.currentData()
        self.level.blockSignals(True)
        self.level.clear()
        if obj == "regions":
            for depth, key, name in self._levels:
                if depth > 1 or len(self._levels) == 1:
                    self.level.addItem(name, key)
            self.level.addItem(self.tr("Unit grid"), "grid")
            i = self.level.findData("street")
            self.level.setCurrentIndex(max(i, 0))
        elif obj == "positions":
            from gridstation.app.i18n import position_label

            self.level.addItem(self.tr("All positions"), None)
            for p in evaluation.OBJECTS:
                self.level.addItem(position_label(p), p)
        self.level.setVisible(obj != "departments")
        self.level.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        ctx, obj, level, period, now = (self.ctx, self.object.currentData(), self.level.currentData(),
                                        self.period.period(), self.ctx.now())
        self.status.setText(self.tr("Loading…"))

        def work():
            with ctx.session() as s:
                return evaluation.evaluate(s, obj, period, level=level, now=now)

        tasks.run_latest(work, self._loaded, self._failed, owner=self)

    def _loaded(self, res) -> None:
        self.model.set_result(res)
        self.view.sortByColumn(self.model.score_column, Qt.SortOrder.DescendingOrder)
        grades = {}
        for r in res.rows:
            grades[r.grade or "—"] = grades.get(r.grade or "—", 0) + 1
        self.status.setText(
            self.tr("%n object(s) · %1 · hover a column header for its formula", "", len(res.rows))
            .replace("%1", str(res.period)) + " · " + "  ".join(f"{g}: {n}" for g, n in sorted(grades.items())))
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(self.tr("Could not evaluate: %1").replace("%1", str(exc)))

    def open_cell(self, index) -> CasesDialog | None:
        """Regions: the cases behind an indicator (via the drill-down figure it comes from)."""
        res = self.model.result
        row = self.model.row_at(index.row())
        if res is None or row is None or row.object != "region":
            return None
        keys = [k for k in row.values]
        col = index.column()
        key = None
        for k in keys:
            if self.model.indicator_column(k) == col:
                key = k
        figure = REGION_FIGURES.get(key or "", "filed")
        ctx, level, period = self.ctx, res.level or self.level.currentData(), res.period

        def work():
            with ctx.session() as s:
                return data.region_node_for(s, level, row.id)

        def done(node):
            title = f"{row.name} · {key or self.tr('cases')} · {period}"
            dlg = CasesDialog(ctx, title, node=node, period=period, figure=figure, parent=self)
            dlg.openCase.connect(self.openCase)
            self.dialogs.append(dlg)
            dlg.show()

        tasks.run(work, done, owner=self)
        return None


__all__ = ["DrillPage", "EvaluationPage", "QItemSelectionModel", "RawRole", "RowIdRole"]
