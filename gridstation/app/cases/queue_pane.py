"""The case queue pane (待办): one tab per queue of the user's position, a lazy table of cases
sorted by the database, and a filter bar. Keyboard first: Up/Down move, Enter opens, Ctrl+Tab
and Ctrl+1..9 switch queues, Ctrl+F searches, Esc clears the filter (F5 is the main window's: it refreshes everything).

Live updates (``on_changes``) re-query the ids in the background and apply them row by row, so
the selected case stays selected and the rows the dispatcher is looking at do not jump.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, replace

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QSizePolicy,
    QTabBar,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from gridstation.cases import queues as core
from gridstation.store.model import CaseSource, Category, Department, Region, UnitGrid
from gridstation.worktime.workcal import GREEN, RED, YELLOW
from gridstation.app import i18n
from gridstation.app import tasks
from gridstation.app.context import AppContext
from gridstation.app.cases.queue_model import (
    COL_ADDRESS,
    COL_AGE,
    COL_CATEGORY,
    COL_DEPARTMENT,
    COL_FLAGS,
    COL_GRID,
    COL_LIGHT,
    COL_NUMBER,
    COL_SOURCE,
    COL_STATE,
    SORT_KEYS,
    QueueModel,
)

FILTERS_GROUP = "queues/filters"
HEADER_KEY = "queues/header"
TEXT_DELAY_MS = 300
# Time alone moves cases into the overdue queue and between lights: lists that depend on the
# clock (the overdue queue, a light filter) and the counts are re-queried this often.
TIME_REQUERY_MS = 60_000
# What a column must show whole, to size it in the font in use ("中" is one Chinese character).
COLUMN_SAMPLES = {
    COL_NUMBER: "0" * 13, COL_LIGHT: "-88h88m", COL_CATEGORY: "中" * 6, COL_GRID: "0" * 15,
    COL_ADDRESS: "中" * 9, COL_AGE: "88d", COL_DEPARTMENT: "中" * 6, COL_FLAGS: "⚑ 中中",
}


# ---------------------------------------------------------------------- choices (no Qt)


@dataclass(frozen=True)
class Choices:
    """What the filter combos offer: (label, value, indent) in tree order."""

    categories: list[tuple[str, str, int]]
    regions: list[tuple[str, str, int]]
    departments: list[tuple[str, int]]


def _tree_order(rows, code_of: dict[int, str]):
    """Rows with a materialised ``path`` sorted parent-before-children, siblings by code."""
    def key(path: str):
        return [code_of.get(int(p), "") for p in path.strip("/").split("/") if p]

    return sorted(rows, key=lambda r: key(r.path))


def load_choices(session, actor) -> Choices:
    cats = session.execute(
        select(Category.id, Category.code, Category.name, Category.path).where(Category.retired.is_(False))
    ).all()
    cat_code = {c.id: c.code for c in cats}
    categories = [(c.name, c.path, c.path.strip("/").count("/")) for c in _tree_order(cats, cat_code)]
    q = select(Region.id, Region.code, Region.name, Region.path, Region.depth).where(Region.active.is_(True))
    if actor.region_path:
        q = q.where(Region.path.startswith(actor.region_path))
    regs = session.execute(q).all()
    top = min((r.depth for r in regs), default=0)
    reg_code = {r.id: r.code for r in regs}
    regions = [(r.name, r.path, r.depth - top) for r in _tree_order(regs, reg_code)]
    depts = session.execute(
        select(Department.id, Department.name)
        .where(Department.active.is_(True))
        .order_by(Department.level, Department.code)
    ).all()
    return Choices(categories, regions, [(d.name, d.id) for d in depts])


# ---------------------------------------------------------------------- widgets


class CaseTable(QTableView):
    """The queue's table: Enter opens the current case (never starts an edit)."""

    enterPressed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        # Set when the selected case left the list: the row its successor is on now. With no
        # current row, Down selects that row and Up the one above, so nothing is skipped.
        self.resume_row: int | None = None

    def moveCursor(self, action, modifiers):
        resume, n = self.resume_row, self.model().rowCount() if self.model() else 0
        if resume is not None and not self.currentIndex().isValid() and n:
            A = QAbstractItemView.CursorAction
            if action in (A.MoveDown, A.MoveNext):
                self.resume_row = None
                return self.model().index(min(resume, n - 1), 0)
            if action in (A.MoveUp, A.MovePrevious):
                self.resume_row = None
                return self.model().index(max(min(resume - 1, n - 1), 0), 0)
        return super().moveCursor(action, modifiers)

    def keyPressEvent(self, event) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.enterPressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def updateGeometries(self) -> None:  # public, so the pane can settle the scroll range now
        super().updateGeometries()


class QueuePane(QWidget):
    caseActivated = Signal(int)  # Enter or double click on a case
    currentCaseChanged = Signal(int, float, float)  # case id, lon, lat (NaN when unknown)
    countsChanged = Signal(dict)  # queue key -> number of cases

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, *, settings: QSettings | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queuePane")
        self.ctx = ctx
        self.settings = settings if settings is not None else QSettings()
        self.queues = core.queues_for(ctx.actor.position, ctx.actor.role)
        self.counts: dict[str, int] = {}
        self._filter = core.QueueFilter()
        self._grid_code: str | None = None
        self._widths_pending = False
        self._chip_grid: int | None = None
        self._choices: Choices | None = None
        self._applying = False
        self._sel_before: int | None = None
        self._successors: list[int] = []
        self._anchors: list[tuple[int, int]] = []
        self._at_top = True
        self._last_case: int | None = None  # the case currentCaseChanged last announced
        self._announce: int | None = None  # selected, announced once its row is fetched
        self._want_select: int | None = None  # select_case() before its row was there
        self._selected_by_queue: dict[str, int] = {}
        self._counting = False
        self._count_again = False

        self.model = QueueModel(ctx, self)
        self._build()
        self._shortcuts()
        self.model.idsAboutToChange.connect(self._before_ids)
        self.model.idsChanged.connect(self._after_ids)
        self.model.loaded.connect(self._on_loaded)
        self.model.rowsFetched.connect(self._on_rows_fetched)
        self.model.failed.connect(self._on_failed)
        self.model.modelReset.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)
        self.model.rowsRemoved.connect(self._update_status)

        self._reload_saved_filters()
        # The first queue's rows first; counts and filter choices once they are shown.
        self._started = False
        self._time_requery = QTimer(self)
        self._time_requery.setInterval(TIME_REQUERY_MS)
        self._time_requery.timeout.connect(self._requery_for_time)
        self._time_requery.start()
        self.model.load(self.current_queue(), self._filter, reset=True)

    # ------------------------------------------------------------------ building

    def _build(self) -> None:
        self.tabs = QTabBar(self)
        self.tabs.setObjectName("queueTabs")
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.setUsesScrollButtons(True)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        # Themes that pad every QToolButton squeeze the tab bar's scroll arrows to nothing.
        self.tabs.setStyleSheet("QTabBar QToolButton { padding: 0px; border: none; background: palette(window); }")
        for i, q in enumerate(self.queues):
            self.tabs.addTab(i18n.queue_label(q.key))
            self.tabs.setTabData(i, q.key)
            if i < 9:
                self.tabs.setTabToolTip(i, self.tr("Ctrl+%1").replace("%1", str(i + 1)))
        self.tabs.currentChanged.connect(self._on_tab)

        self.search = QLineEdit(self)
        self.search.setObjectName("queueSearch")
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F)"))
        self.search.setToolTip(self.tr("Case number, address or description; Enter goes to the list, Esc clears"))
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        self._text_timer = QTimer(self)
        self._text_timer.setSingleShot(True)
        self._text_timer.setInterval(TEXT_DELAY_MS)
        self._text_timer.timeout.connect(self._apply_text)
        self.search.textEdited.connect(lambda _t: self._text_timer.start())
        self.search.returnPressed.connect(self._search_done)

        def combo(name: str, tip: str, *, fit: bool = False) -> QComboBox:
            c = QComboBox(self)
            c.setObjectName(name)
            c.setToolTip(tip)
            if fit:  # a few short items: show them whole
                c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            else:  # long trees of names: share the width, the popup shows them whole
                c.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
                c.setMinimumContentsLength(6)
                c.view().setMinimumWidth(260)
            c.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            return c

        self.light_combo = combo("lightFilter", self.tr("Time left"), fit=True)
        self.light_combo.addItem(self.tr("Any deadline"), None)
        for lt in (GREEN, YELLOW, RED):
            self.light_combo.addItem(i18n.light_label(lt), lt)
        self.source_combo = combo("sourceFilter", self.tr("Source"), fit=True)
        self.source_combo.addItem(self.tr("All sources"), None)
        for src in CaseSource:
            self.source_combo.addItem(i18n.source_label(src.value), src.value)
        self.category_combo = combo("categoryFilter", self.tr("Category (with its subcategories)"))
        self.category_combo.addItem(self.tr("All categories"), None)
        self.region_combo = combo("regionFilter", self.tr("Region (with the regions inside it)"))
        self.region_combo.addItem(self.tr("All regions"), None)
        self.department_combo = combo("departmentFilter", self.tr("Department"))
        self.department_combo.addItem(self.tr("All departments"), None)
        self.saved_combo = combo("savedFilters", self.tr("Saved filters"), fit=True)
        self.saved_combo.activated.connect(self._on_saved_chosen)
        for c, field_name in ((self.light_combo, "light"), (self.source_combo, "source"),
                              (self.category_combo, "category_path"), (self.region_combo, "region_path"),
                              (self.department_combo, "department_id")):
            c.activated.connect(lambda _i, c=c, f=field_name: self._on_combo(f, c))

        self.save_button = QToolButton(self)
        self.save_button.setObjectName("saveFilter")
        self.save_button.setText(self.tr("Save filter"))
        self.save_button.setToolTip(self.tr("Save the current filter under a name"))
        self.save_button.clicked.connect(self._ask_save_filter)

        self.grid_chip = QToolButton(self)
        self.grid_chip.setObjectName("gridChip")
        self.grid_chip.setToolTip(self.tr("Remove the grid filter"))
        self.grid_chip.setCursor(Qt.CursorShape.PointingHandCursor)
        self.grid_chip.setStyleSheet(
            "QToolButton#gridChip { border: 1px solid palette(mid); border-radius: 9px; padding: 1px 8px;"
            " background: palette(alternate-base); }"
        )
        self.grid_chip.clicked.connect(lambda: self.set_grid_filter(None))
        self.grid_chip.hide()

        self.status = QLabel(self)
        self.status.setObjectName("queueStatus")
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.status.setStyleSheet("QLabel#queueStatus { color: palette(placeholder-text); padding: 0 2px; }")

        self.view = CaseTable(self)
        self.view.setObjectName("queueTable")
        v = self.view
        v.setModel(self.model)
        v.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        v.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        v.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        v.setAlternatingRowColors(True)
        v.setWordWrap(False)
        v.setTextElideMode(Qt.TextElideMode.ElideRight)
        v.setShowGrid(False)
        v.setTabKeyNavigation(False)
        v.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        v.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vh = v.verticalHeader()
        vh.hide()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # uniform rows: no per-row measuring
        vh.setDefaultSectionSize(v.fontMetrics().height() + 8)
        hh = v.horizontalHeader()
        hh.setHighlightSections(False)
        hh.setSectionsMovable(True)
        hh.setStretchLastSection(True)
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        state = self.settings.value(HEADER_KEY)
        restored = state is not None and hh.restoreState(state)  # widths, order and the sort
        self._widths_pending = not restored  # sized in the real font when first shown
        if not restored or hh.sortIndicatorSection() not in SORT_KEYS:
            hh.setSortIndicator(*self.model.sort_column())
        v.setSortingEnabled(True)  # the model's sort() re-queries the database
        self._show_state_column()
        hh.sortIndicatorChanged.connect(self._on_sort_indicator)
        self._header_timer = QTimer(self)
        self._header_timer.setSingleShot(True)
        self._header_timer.setInterval(500)
        self._header_timer.timeout.connect(lambda: self.settings.setValue(HEADER_KEY, hh.saveState()))
        hh.sectionResized.connect(lambda *_: self._header_timer.start())
        hh.sectionMoved.connect(lambda *_: self._header_timer.start())
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._header_menu)
        v.doubleClicked.connect(lambda ix: self._activate(ix.row()))
        v.enterPressed.connect(lambda: self._activate(v.currentIndex().row()))
        v.selectionModel().selectionChanged.connect(self._on_selection)

        row1 = QHBoxLayout()
        row1.setSpacing(6)
        row1.addWidget(self.search, 1)
        row1.addWidget(self.light_combo)
        row1.addWidget(self.source_combo)
        row1.addWidget(self.saved_combo)
        row1.addWidget(self.save_button)
        row2 = QHBoxLayout()
        row2.setSpacing(6)
        row2.addWidget(self.category_combo, 1)
        row2.addWidget(self.region_combo, 1)
        row2.addWidget(self.department_combo, 1)
        row2.addWidget(self.grid_chip)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 2, 4, 4)
        lay.setSpacing(4)
        lay.addWidget(self.tabs)
        lay.addLayout(row1)
        lay.addLayout(row2)
        lay.addWidget(self.view, 1)
        lay.addWidget(self.status)
        self.setFocusProxy(self.view)

    def showEvent(self, event) -> None:
        if self._widths_pending:
            self._widths_pending = False
            self.size_columns()
        super().showEvent(event)

    def size_columns(self) -> None:
        """Column widths that fit their usual content in the font in use (style sheet included)."""
        v = self.view
        v.ensurePolished()
        v.horizontalHeader().ensurePolished()
        fm, hfm = v.fontMetrics(), v.horizontalHeader().fontMetrics()
        pad = 18
        samples = dict(COLUMN_SAMPLES)
        samples[COL_STATE] = max((i18n.state_label(st) for st in core.OPEN), key=fm.horizontalAdvance)
        samples[COL_SOURCE] = max((i18n.source_label(src.value) for src in CaseSource), key=fm.horizontalAdvance)
        for col, sample in samples.items():
            w = fm.horizontalAdvance(sample) + pad + (v.iconSize().width() + 6 if col == COL_LIGHT else 0)
            title = self.model.headerData(col, Qt.Orientation.Horizontal) or ""
            w = max(w, hfm.horizontalAdvance(title) + pad + 14)  # room for the sort arrow
            v.horizontalHeader().resizeSection(col, w)

    def _shortcuts(self) -> None:
        ctx = Qt.ShortcutContext.WidgetWithChildrenShortcut

        def short(keys, slot) -> None:
            for k in keys:
                s = QShortcut(QKeySequence(k), self)
                s.setContext(ctx)
                s.activated.connect(slot)

        short(["Ctrl+Tab"], lambda: self._step_tab(+1))
        short(["Ctrl+Shift+Tab", "Ctrl+Shift+Backtab"], lambda: self._step_tab(-1))
        for n in range(1, 10):
            short([f"Ctrl+{n}"], lambda n=n: self.set_queue_index(n - 1))
        # F5 belongs to the main window (it refreshes queues, case and map together).
        short([QKeySequence.StandardKey.Find], self.focus_search)
        short(["Esc"], self.clear_filter)

    # ------------------------------------------------------------------ queues (tabs)

    def current_queue(self) -> str:
        return self.tabs.tabData(self.tabs.currentIndex()) or self.queues[0].key

    def queue_keys(self) -> list[str]:
        return [self.tabs.tabData(i) for i in range(self.tabs.count())]

    def set_queue(self, key: str) -> None:
        for i in range(self.tabs.count()):
            if self.tabs.tabData(i) == key:
                self.tabs.setCurrentIndex(i)
                return
        raise KeyError(key)

    def set_queue_index(self, i: int) -> None:
        if 0 <= i < self.tabs.count():
            self.tabs.setCurrentIndex(i)

    def _step_tab(self, d: int) -> None:
        n = self.tabs.count()
        if n:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + d) % n)

    def _show_state_column(self) -> None:
        """A queue of one state needs no state column: its width goes to the address."""
        self.view.setColumnHidden(COL_STATE, len(set(core.QUEUES[self.current_queue()].states)) == 1)

    def _on_tab(self, _i: int) -> None:
        key = self.current_queue()
        self._show_state_column()
        self._want_select = self._selected_by_queue.get(key)
        self.model.load(key, self._filter, reset=True)
        self._update_status()

    def _refresh_counts(self) -> None:
        if self._counting:
            self._count_again = True
            return
        self._counting = True
        ctx, actor, now = self.ctx, self.ctx.actor, self.ctx.now()

        def job():
            with ctx.session() as s:
                return core.queue_counts(s, actor, now=now)

        def done(counts):
            self._counting = False
            self.counts = counts
            self._label_tabs()
            self.countsChanged.emit(dict(counts))
            self._update_status()
            if self._count_again:
                self._count_again = False
                self._refresh_counts()

        def fail(exc):
            self._counting = False
            self._on_failed(exc)

        tasks.run(job, done, fail, owner=self)

    def _label_tabs(self) -> None:
        for i in range(self.tabs.count()):
            key = self.tabs.tabData(i)
            n = self.counts.get(key)
            label = i18n.queue_label(key)
            self.tabs.setTabText(i, label if n is None else f"{label} ({n})")  # 待派遣 (12)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        """Texts again in the language now installed (QEvent.LanguageChange)."""
        self.search.setPlaceholderText(self.tr("Search (Ctrl+F)"))
        self.search.setToolTip(self.tr("Case number, address or description; Enter goes to the list, Esc clears"))
        for combo, first in ((self.light_combo, self.tr("Any deadline")), (self.source_combo, self.tr("All sources")),
                             (self.category_combo, self.tr("All categories")),
                             (self.region_combo, self.tr("All regions")),
                             (self.department_combo, self.tr("All departments")),
                             (self.saved_combo, self.tr("Saved filters…"))):
            combo.setItemText(0, first)
        for i in range(1, self.light_combo.count()):
            self.light_combo.setItemText(i, i18n.light_label(self.light_combo.itemData(i)))
        for i in range(1, self.source_combo.count()):
            self.source_combo.setItemText(i, i18n.source_label(self.source_combo.itemData(i)))
        self.light_combo.setToolTip(self.tr("Time left"))
        self.source_combo.setToolTip(self.tr("Source"))
        self.category_combo.setToolTip(self.tr("Category (with its subcategories)"))
        self.region_combo.setToolTip(self.tr("Region (with the regions inside it)"))
        self.department_combo.setToolTip(self.tr("Department"))
        self.saved_combo.setToolTip(self.tr("Saved filters"))
        self.save_button.setText(self.tr("Save filter"))
        self.save_button.setToolTip(self.tr("Save the current filter under a name"))
        self.grid_chip.setToolTip(self.tr("Remove the grid filter"))
        if self._chip_grid is not None:
            self._set_chip_text(self._grid_code or str(self._chip_grid))
        for i in range(min(self.tabs.count(), 9)):
            self.tabs.setTabToolTip(i, self.tr("Ctrl+%1").replace("%1", str(i + 1)))
        self._label_tabs()
        self.model.retranslate()
        self._update_status()

    # ------------------------------------------------------------------ live updates

    def on_changes(self, changes: list) -> None:
        """Change rows from the live hub: re-query this queue and the counts in the background;
        the rows of changed cases are re-fetched."""
        ids: set[int] = set()
        other = False
        for ch in changes:
            if ch.entity == "case":
                if ch.entity_id is not None:
                    ids.add(int(ch.entity_id))
            elif ch.entity != "user":
                other = True  # catalogue, regions, a rebuilt database…: reload everything
        if other:
            self.refresh_all()
            return
        if ids:
            self.model.reload(ids)
            self._refresh_counts()

    def refresh_all(self) -> None:
        self.model.reload_all()
        self._refresh_counts()
        self._load_choices()

    # ------------------------------------------------------------------ keeping the view steady

    def _before_ids(self, reset: bool) -> None:
        """Remember what the user looks at: the selected case and where it is on screen, the
        top row, and the rows after the selected one (its successor, should it leave)."""
        self._applying = True
        v, sb = self.view, self.view.verticalScrollBar()
        vp = v.viewport().rect()
        sel = self.current_case_id()
        self._sel_before = sel
        self._successors = []
        self._anchors = []
        self._at_top = sb.value() == 0
        row = self.model.row_of(sel) if sel is not None else None
        if row is not None:
            self._successors = self.model.ids()[row + 1:row + 1 + 256]
            rect = v.visualRect(self.model.index(row, 0))
            if rect.bottom() >= 0 and rect.top() <= vp.bottom():
                self._anchors.append((sel, rect.top()))
        top = v.rowAt(0)
        if top >= 0 and not reset:
            self._anchors.append((self.model.case_id(top), v.visualRect(self.model.index(top, 0)).top()))

    def _after_ids(self, reset: bool) -> None:
        self._applying = False
        v = self.view
        sel, self._sel_before = self._sel_before, None
        if sel is not None and self.model.row_of(sel) is not None:
            if self.current_case_id() != sel:  # a reset dropped the selection: take it back
                self._select_row(self.model.row_of(sel), scroll=False)
        elif sel is not None and not reset:
            # The selected case left the list (dispatched here or elsewhere). Select nothing
            # rather than silently showing another case; Down or next_case() goes on from here.
            succ = next((i for i in self._successors if self.model.row_of(i) is not None), None)
            sm = v.selectionModel()
            sm.clearSelection()
            sm.clearCurrentIndex()
            v.resume_row = self.model.row_of(succ) if succ is not None else self.model.rowCount()
        v.updateGeometries()
        sb = v.verticalScrollBar()
        if self._at_top and not any(cid == sel for cid, _y in self._anchors):
            sb.setValue(0)  # at the top: stay there, new cases show up
            return
        for cid, y in self._anchors:
            row = self.model.row_of(cid)
            if row is not None:
                sb.setValue(sb.value() + v.rowViewportPosition(row) - y)
                return
        if reset:
            sb.setValue(0)

    # ------------------------------------------------------------------ selection

    def current_case_id(self) -> int | None:
        """The selected case, or None."""
        sm = self.view.selectionModel()
        rows = sm.selectedRows() if sm is not None else []
        return self.model.case_id(rows[0].row()) if rows else None

    def select_case(self, case_id: int) -> bool:
        """Select ``case_id`` if it is in the list (or as soon as it arrives, while loading)."""
        row = self.model.row_of(case_id)
        if row is None:
            self._want_select = case_id if self.model.busy else None
            return False
        self._want_select = None
        self._select_row(row)
        return True

    def next_case(self) -> int | None:
        return self._move(+1)

    def previous_case(self) -> int | None:
        return self._move(-1)

    def _move(self, d: int) -> int | None:
        n = self.model.rowCount()
        if not n:
            return None
        cur = self.view.currentIndex().row()
        resume, self.view.resume_row = self.view.resume_row, None
        if cur >= 0:
            target = min(max(cur + d, 0), n - 1)
        elif resume is not None:  # the selected case just left: its successor is next
            target = min(resume, n - 1) if d > 0 else max(min(resume - 1, n - 1), 0)
        else:
            target = 0 if d > 0 else n - 1
        self._select_row(target)
        return self.model.case_id(target)

    def _select_row(self, row: int, *, scroll: bool = True) -> None:
        ix = self.model.index(row, 0)
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        self.view.selectionModel().setCurrentIndex(ix, flags)
        if scroll:
            self.view.scrollTo(ix, QAbstractItemView.ScrollHint.EnsureVisible)

    def _on_selection(self, *_):
        if self._applying:
            return  # rows moving under the selection are not the user choosing a case
        cid = self.current_case_id()
        if cid is None:
            return
        self.view.resume_row = None
        self._selected_by_queue[self.current_queue()] = cid
        if cid == self._last_case:
            return
        row = self.model.row_data(cid)
        if row is None:
            self._announce = cid  # when its row arrives
            return
        self._emit_current(cid)

    def _emit_current(self, cid: int) -> None:
        row = self.model.row_data(cid)
        lon = row.lon if row is not None and row.lon is not None else math.nan
        lat = row.lat if row is not None and row.lat is not None else math.nan
        self._last_case, self._announce = cid, None
        self.currentCaseChanged.emit(cid, float(lon), float(lat))

    def _on_rows_fetched(self, ids: list) -> None:
        if self._announce is not None and self._announce in ids and self._announce == self.current_case_id():
            self._emit_current(self._announce)

    def _activate(self, row: int) -> None:
        cid = self.model.case_id(row)
        if cid is not None:
            self.caseActivated.emit(cid)

    def _on_loaded(self) -> None:
        if not self._started:
            self._started = True
            QTimer.singleShot(0, self, self._refresh_counts)
            QTimer.singleShot(0, self, self._load_choices)
        if self._want_select is not None:
            cid = self._want_select
            if self.model.row_of(cid) is not None:
                self._want_select = None
                self._select_row(self.model.row_of(cid))
            elif not self.model.busy:
                self._want_select = None
        self._update_status()

    def _on_failed(self, exc: BaseException) -> None:
        self.status.setText(i18n.error_message(exc))
        self.status.setToolTip(str(exc))

    def _header_menu(self, pos) -> None:
        """Right click on the header: show or hide columns (kept with the header's state)."""
        hh = self.view.horizontalHeader()
        menu = QMenu(self)
        for col in range(self.model.columnCount()):
            if col == COL_NUMBER:
                continue
            act = menu.addAction(self.model.headerData(col, Qt.Orientation.Horizontal))
            act.setCheckable(True)
            act.setChecked(not hh.isSectionHidden(col))
            act.toggled.connect(lambda on, c=col: (hh.setSectionHidden(c, not on), self._header_timer.start()))
        menu.addSeparator()
        menu.addAction(self.tr("Default columns"), self.reset_columns)
        menu.exec(hh.mapToGlobal(pos))

    def reset_columns(self) -> None:
        hh = self.view.horizontalHeader()
        for col in range(self.model.columnCount()):
            hh.setSectionHidden(col, False)
            hh.moveSection(hh.visualIndex(col), col)
        self.size_columns()
        self._show_state_column()
        self.settings.remove(HEADER_KEY)

    def _requery_for_time(self) -> None:
        if "overdue" in self.queue_keys():
            self._refresh_counts()
        if self.current_queue() == "overdue" or self._filter.light:
            self.model.reload()

    def _on_sort_indicator(self, col: int, _order) -> None:
        if col not in SORT_KEYS:  # no database order for this column: show the real one again
            hh = self.view.horizontalHeader()
            c, o = self.model.sort_column()
            hh.blockSignals(True)
            hh.setSortIndicator(c, o)
            hh.blockSignals(False)

    # ------------------------------------------------------------------ filter

    @property
    def filter(self) -> core.QueueFilter:
        return self._filter

    def set_filter(self, flt: core.QueueFilter) -> None:
        """Show ``flt`` in the filter bar and apply it."""
        self._text_timer.stop()
        self._filter = flt
        self._sync_widgets(text=True)
        if flt.grid_id != self._chip_grid:
            self._show_chip(flt.grid_id)
        self._apply()

    def set_grid_filter(self, grid_id: int | None) -> None:
        """The map's grid click: narrow the queues to one grid (a removable chip shows it)."""
        self._filter = replace(self._filter, grid_id=grid_id or None)
        self._show_chip(grid_id or None)
        self._apply()

    def clear_filter(self) -> None:
        """Esc: clear the search text; when there is none, clear the whole filter."""
        if self._filter.text or self.search.text():
            self.search.clear()
            self._text_timer.stop()
            self._filter = replace(self._filter, text=None)
            self._apply()
        elif self._filter != core.QueueFilter():
            self.set_filter(core.QueueFilter())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _apply(self) -> None:
        self.saved_combo.setCurrentIndex(self._saved_index(self._filter))
        self.model.load(self.current_queue(), self._filter, reset=False)
        self._update_status()

    def _apply_text(self) -> None:
        text = self.search.text().strip() or None
        if text != self._filter.text:
            self._filter = replace(self._filter, text=text)
            self._apply()

    def _search_done(self) -> None:
        self._text_timer.stop()
        self._apply_text()
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        if self.current_case_id() is None and self.model.rowCount():
            self._select_row(0)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self._search_done()
            return True
        return super().eventFilter(obj, event)

    def _on_combo(self, field_name: str, combo: QComboBox) -> None:
        value = combo.currentData()
        if getattr(self._filter, field_name) != value:
            self._filter = replace(self._filter, **{field_name: value})
            self._apply()

    def _sync_widgets(self, *, text: bool = False) -> None:
        f = self._filter
        if text and self.search.text().strip() != (f.text or ""):
            self.search.setText(f.text or "")
        for combo, value in ((self.light_combo, f.light), (self.source_combo, f.source),
                             (self.category_combo, f.category_path), (self.region_combo, f.region_path),
                             (self.department_combo, f.department_id)):
            i = combo.findData(value) if value is not None else 0
            combo.blockSignals(True)
            combo.setCurrentIndex(max(i, 0))
            combo.blockSignals(False)

    def _show_chip(self, grid_id: int | None) -> None:
        self._chip_grid = grid_id
        if grid_id is None:
            self._grid_code = None
            self.grid_chip.hide()
            return
        self._set_chip_text(str(grid_id))
        self.grid_chip.show()
        ctx = self.ctx

        def job():
            with ctx.session() as s:
                return s.scalar(select(UnitGrid.code).where(UnitGrid.id == grid_id))

        def done(code):
            if self._chip_grid == grid_id and code:
                self._grid_code = code
                self._set_chip_text(code)

        tasks.run(job, done, self._on_failed, owner=self)

    def _set_chip_text(self, code: str) -> None:
        self.grid_chip.setText(self.tr("Grid %1 ×").replace("%1", code))

    def _load_choices(self) -> None:
        ctx, actor = self.ctx, self.ctx.actor

        def job():
            with ctx.session() as s:
                return load_choices(s, actor)

        tasks.run(job, self._set_choices, self._on_failed, owner=self)

    def _set_choices(self, ch: Choices) -> None:
        self._choices = ch
        for combo, items in ((self.category_combo, ch.categories), (self.region_combo, ch.regions)):
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for name, path, indent in items:
                combo.addItem("\u3000" * indent + name, path)
            combo.blockSignals(False)
        self.department_combo.blockSignals(True)
        while self.department_combo.count() > 1:
            self.department_combo.removeItem(1)
        for name, did in ch.departments:
            self.department_combo.addItem(name, did)
        self.department_combo.blockSignals(False)
        self._sync_widgets()

    # ------------------------------------------------------------------ saved filters

    def saved_filter_names(self) -> list[str]:
        self.settings.beginGroup(FILTERS_GROUP)
        names = sorted(self.settings.childKeys())
        self.settings.endGroup()
        return names

    def save_filter(self, name: str) -> None:
        name = name.strip().replace("/", "-")
        if not name:
            return
        self.settings.setValue(f"{FILTERS_GROUP}/{name}", json.dumps(self._filter.as_dict(), ensure_ascii=False))
        self.settings.sync()
        self._reload_saved_filters()
        self.saved_combo.setCurrentIndex(max(self.saved_combo.findText(name), 0))

    def delete_filter(self, name: str) -> None:
        self.settings.remove(f"{FILTERS_GROUP}/{name}")
        self._reload_saved_filters()

    def apply_saved_filter(self, name: str) -> bool:
        raw = self.settings.value(f"{FILTERS_GROUP}/{name}")
        if raw is None:
            return False
        try:
            flt = core.QueueFilter.from_dict(json.loads(raw))
        except (TypeError, ValueError):
            return False
        self.set_filter(flt)
        return True

    def _ask_save_filter(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save filter"), self.tr("Name of this filter:"))
        if ok and name.strip():
            self.save_filter(name)

    def _reload_saved_filters(self) -> None:
        c = self.saved_combo
        c.blockSignals(True)
        c.clear()
        c.addItem(self.tr("Saved filters…"), None)
        for name in self.saved_filter_names():
            c.addItem(name, name)
        c.setCurrentIndex(self._saved_index(self._filter))
        c.blockSignals(False)

    def _saved_index(self, flt: core.QueueFilter) -> int:
        """The saved filter equal to ``flt`` (0: none)."""
        if flt == core.QueueFilter():
            return 0
        for i in range(1, self.saved_combo.count()):
            raw = self.settings.value(f"{FILTERS_GROUP}/{self.saved_combo.itemData(i)}")
            try:
                if raw is not None and core.QueueFilter.from_dict(json.loads(raw)) == flt:
                    return i
            except (TypeError, ValueError):
                continue
        return 0

    def _on_saved_chosen(self, i: int) -> None:
        name = self.saved_combo.itemData(i)
        if name:
            self.apply_saved_filter(name)

    # ------------------------------------------------------------------ status line

    def _update_status(self, *_):
        n = self.model.rowCount()
        total = self.counts.get(self.current_queue())
        if self._filter != core.QueueFilter() and total is not None:
            text = self.tr("Cases: %1 of %2").replace("%1", str(n)).replace("%2", str(total))
        else:
            text = self.tr("Cases: %1").replace("%1", str(n))
        self.status.setText(text)
        self.status.setToolTip("")
