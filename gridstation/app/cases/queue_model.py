"""The case queue as a lazy table model (after Anki's browser table model).

The model holds the ordered list of case ids of one queue; rows are fetched from the database
in pages, in the background, and cached by id. A row not fetched yet shows a placeholder and
asks for its page. Sorting is the database's (``sort()`` re-queries the ids). New id lists are
applied with row-level signals (remove, reorder, insert) so that the view keeps its selection
and scroll position during live updates; a model reset happens only for a different queue or
a change too scattered to describe cheaply.

Time left is recomputed from each row's stored ``due_at`` / ``warn_at`` and the working
calendar on a 30 s tick, without a query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from sqlalchemy import select

from gridstation.cases import queues as core
from gridstation.store.model import Case, CaseState
from gridstation.worktime.workcal import GREEN, RED, YELLOW, TimeUnit
from gridstation.app import i18n
from gridstation.app import tasks
from gridstation.app.context import AppContext

PAGE = 200  # rows per background fetch
TICK_MS = 30_000  # time left refreshes this often, without a query
MAX_BLOCKS = 64  # more separate inserted/removed runs than this: a model reset is cheaper
REFRESH_AHEAD = 400  # rows a live refresh fetches at most besides the changed ones

(COL_NUMBER, COL_LIGHT, COL_STATE, COL_CATEGORY, COL_GRID, COL_ADDRESS, COL_AGE, COL_DEPARTMENT,
 COL_SOURCE, COL_FLAGS) = range(10)
COLUMN_COUNT = 10

# Column -> queues.SORT_COLUMNS key. Age sorts by reported_at the other way round (young first
# when ascending). Flags has no database order.
SORT_KEYS = {
    COL_NUMBER: "number",
    COL_LIGHT: "due_at",
    COL_STATE: "state",
    COL_CATEGORY: "category",
    COL_GRID: "grid",
    COL_ADDRESS: "address",
    COL_AGE: "reported_at",
    COL_DEPARTMENT: "department",
    COL_SOURCE: "source",
}

CaseIdRole = Qt.ItemDataRole.UserRole + 1  # int, for every row (fetched or not)
RowRole = Qt.ItemDataRole.UserRole + 2  # the cached QueueRow, or None
LightRole = Qt.ItemDataRole.UserRole + 3  # "green" / "yellow" / "red" / "parked" / None
RemainingRole = Qt.ItemDataRole.UserRole + 4  # minutes left now (negative: overdue), or None

PARKED = "parked"
LIGHT_COLOURS = {GREEN: "#2e9d4a", YELLOW: "#e6a700", RED: "#d93025", PARKED: "#8a8f98"}
OVERDUE_TEXT = QColor("#c5221f")
PLACEHOLDER_TEXT = QColor("#9aa0a6")
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ANSWERED = frozenset([_DISPLAY, _DECORATION, _FOREGROUND, _ALIGNMENT, _TOOLTIP,
                       int(CaseIdRole), int(RowRole), int(LightRole), int(RemainingRole)])
_RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
_ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_DISPLAY_ROLES = [
    Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ForegroundRole,
    Qt.ItemDataRole.ToolTipRole, LightRole, RemainingRole,
]


@dataclass(frozen=True)
class CachedRow:
    """A fetched row plus what the 30 s tick needs to recompute its time left."""

    row: core.QueueRow
    natural: bool  # the stage clock runs in natural minutes (紧急: nights and holidays count)
    warn_at: datetime | None


# ---------------------------------------------------------------------- background work (no Qt)


def fetch_cached(session, ids: list[int], *, now: datetime, calendar) -> list[CachedRow]:
    """Display rows for ``ids`` plus each one's clock unit and warning time."""
    if not ids:
        return []
    rows = core.fetch_rows(session, ids, now=now, calendar=calendar)
    extra = {
        i: (unit, warn)
        for i, unit, warn in session.execute(
            select(Case.id, Case.stage_unit, Case.warn_at).where(Case.id.in_([r.id for r in rows]))
        )
    }
    out = []
    for r in rows:
        unit, warn = extra.get(r.id, (None, None))
        out.append(CachedRow(r, unit == TimeUnit.NATURAL_HOUR.value, warn))
    return out


def time_left(c: CachedRow, now: datetime, calendar) -> tuple[float | None, str | None]:
    """(minutes left, light) at ``now`` from the stored deadlines, by the same rule the
    database uses for the light filter (red past due_at, yellow past warn_at)."""
    r = c.row
    if r.state == CaseState.PARKED.value:
        return r.remaining_minutes, PARKED  # the clock stands still while parked
    if r.due_at is None:
        return r.remaining_minutes, r.light
    try:
        if c.natural:
            left = (r.due_at - now).total_seconds() / 60.0
        elif now < r.due_at:
            left = calendar.working_minutes_between(now, r.due_at)
        else:
            left = -calendar.working_minutes_between(r.due_at, now)
    except (ValueError, KeyError):  # outside the calendar's years: keep what was fetched
        left = r.remaining_minutes
    if r.due_at < now:
        lt = RED
    elif c.warn_at is not None and c.warn_at < now:
        lt = YELLOW
    else:
        lt = GREEN
    return left, lt


def age_text(reported_at: datetime | None, now: datetime) -> str:
    """Natural time since the report: '35m', '3h', '2d'."""
    if reported_at is None:
        return ""
    m = max(0, int((now - reported_at).total_seconds() // 60))
    if m < 60:
        return f"{m}{i18n.time_unit('m')}"
    if m < 60 * 24:
        return f"{m // 60}{i18n.time_unit('h')}"
    return f"{m // (60 * 24)}{i18n.time_unit('d')}"


_icons: dict[str, QIcon] = {}


def light_icon(light: str | None) -> QIcon | None:
    """A filled dot in the light's colour (made once per colour)."""
    if light not in LIGHT_COLOURS:
        return None
    icon = _icons.get(light)
    if icon is None:
        icon = QIcon()
        for size in (12, 24):  # 24 for high-DPI screens
            pm = QPixmap(size, size)
            pm.fill(Qt.GlobalColor.transparent)
            p = QPainter(pm)
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            colour = QColor(LIGHT_COLOURS[light])
            p.setPen(colour.darker(125))
            p.setBrush(colour)
            m = size / 6
            p.drawEllipse(int(m), int(m), int(size - 2 * m), int(size - 2 * m))
            p.end()
            icon.addPixmap(pm)
            icon.addPixmap(pm, QIcon.Mode.Selected)  # the light keeps its colour on a selected row
        _icons[light] = icon
    return icon


# ---------------------------------------------------------------------- the model


class QueueModel(QAbstractTableModel):
    """Ordered case ids of one queue, rows fetched lazily in pages."""

    loaded = Signal()  # a load()/reload() result was applied (ids plus the rows it fetched)
    failed = Signal(object)  # the exception of a failed query
    rowsFetched = Signal(list)  # ids whose rows were (re)fetched and are in the cache now
    idsAboutToChange = Signal(bool)  # set_ids is about to change the rows (True: a reset)
    idsChanged = Signal(bool)  # ... and has changed them

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.key: str | None = None
        self.filter = core.QueueFilter()
        self.sort_key = "due_at"
        self.descending = False
        self._ids: list[int] = []
        self._row_of: dict[int, int] = {}
        self._cache: dict[int, CachedRow] = {}
        self._stale: set[int] = set()  # cached, but changed since: shown until re-fetched
        self._inflight: set[int] = set()
        self._wanted_pages: set[int] = set()
        self._derived: dict[int, tuple[float | None, str | None]] = {}  # time left, per tick
        self._texts: dict[int, list[str]] = {}  # display texts that do not change with time
        self._titles: dict[int, str] | None = None
        self._now = ctx.now()
        self._gen = 0  # generation of the id list query; older answers are dropped
        self._querying = False
        self._again: set[int] | None = None  # a reload asked for while one is running
        self._flush = QTimer(self)
        self._flush.setSingleShot(True)
        self._flush.setInterval(0)
        self._flush.timeout.connect(self._fetch_wanted)
        self._ticker = QTimer(self)
        self._ticker.setInterval(TICK_MS)
        self._ticker.timeout.connect(self.tick)
        self._ticker.start()

    # ------------------------------------------------------------------ Qt model API

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else COLUMN_COUNT

    def flags(self, index):
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal:
            if role == _DISPLAY and 0 <= section < len(self._ids):
                return section + 1
            return None
        if role == _DISPLAY:
            if self._titles is None:
                self._titles = self._make_titles()
            return self._titles.get(section)
        if role == _TOOLTIP:
            return self._tips().get(section)
        return None

    def _make_titles(self) -> dict[int, str]:
        return {
            COL_NUMBER: self.tr("Number"),
            COL_LIGHT: self.tr("Time left"),
            COL_STATE: self.tr("State"),
            COL_CATEGORY: self.tr("Category"),
            COL_GRID: self.tr("Grid"),
            COL_ADDRESS: self.tr("Address"),
            COL_AGE: self.tr("Age"),
            COL_DEPARTMENT: self.tr("Department"),
            COL_SOURCE: self.tr("Source"),
            COL_FLAGS: self.tr("Flags"),
        }

    def _tips(self) -> dict[int, str]:
        return {
            COL_LIGHT: self.tr("Time left in the current stage (working time); sorts by deadline"),
            COL_AGE: self.tr("Time since the case was reported"),
            COL_FLAGS: self.tr("⚑ urged; a waiting request (return, extension, parking, void)"),
        }

    def retranslate(self) -> None:
        """The language changed: labels and titles are made again."""
        self._titles = None
        self._texts.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMN_COUNT - 1)
        if self._ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._ids) - 1, COLUMN_COUNT - 1))

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        # Called for every visible cell and several roles on each paint: keep it lean.
        if role not in _ANSWERED or not index.isValid():
            return None
        row, col = index.row(), index.column()
        if row >= len(self._ids) or col >= COLUMN_COUNT:
            return None
        cid = self._ids[row]
        if role == CaseIdRole:
            return cid
        c = self._cache.get(cid)
        if (c is None or cid in self._stale) and cid not in self._inflight:
            self._want(row)
        if c is None:
            if role == _DISPLAY and col == COL_NUMBER:
                return "…"
            if role == _FOREGROUND:
                return PLACEHOLDER_TEXT
            return None
        if role == _DISPLAY:
            if col == COL_LIGHT:
                return i18n.minutes_text(self._clock(c)[0])
            if col == COL_AGE:
                return age_text(c.row.reported_at, self._now)
            texts = self._texts.get(cid)
            if texts is None:
                texts = self._texts[cid] = self._make_texts(c.row)
            return texts[col]
        if role == _DECORATION:
            return light_icon(self._clock(c)[1]) if col == COL_LIGHT else None
        if role == _FOREGROUND:
            return OVERDUE_TEXT if col == COL_LIGHT and self._clock(c)[1] == RED else None
        if role == _ALIGNMENT:
            return _RIGHT if col in (COL_LIGHT, COL_AGE) else None
        if role == RowRole:
            return c.row
        if role == LightRole:
            return self._clock(c)[1]
        if role == RemainingRole:
            return self._clock(c)[0]
        if role == _TOOLTIP:
            return self._tooltip(c, col)
        return None

    def _make_texts(self, r: core.QueueRow) -> list[str]:
        """The texts that do not change with the clock, made once per fetched row."""
        if r.address:
            address = r.address
        else:  # no address given: the description's first line tells where
            address = r.description.strip().splitlines()[0] if r.description.strip() else ""
        flags = []
        if r.urged:
            flags.append("⚑")
        if r.pending:
            flags.append(i18n.request_label(r.pending))
        return [r.number, "", i18n.state_label(r.state), r.category, r.grid_code, address, "",
                r.department, i18n.source_label(r.source), " ".join(flags)]

    def _tooltip(self, c: CachedRow, col: int) -> str | None:
        r = c.row
        if col == COL_LIGHT:
            lt = self._clock(c)[1]
            due = r.due_at.strftime("%Y-%m-%d %H:%M") if r.due_at else ""
            return self.tr("%1, due %2").replace("%1", i18n.light_label(lt)).replace("%2", due) if due else None
        if col == COL_ADDRESS:
            return "\n".join(x for x in (r.address, r.description) if x) or None
        if col == COL_AGE and r.reported_at:
            return self.tr("Reported %1").replace("%1", r.reported_at.strftime("%Y-%m-%d %H:%M"))
        if col == COL_FLAGS:
            tips = []
            if r.urged:
                tips.append(self.tr("Urged, waiting for the department's reply"))
            if r.pending:
                tips.append(self.tr("Waiting for approval: %1").replace("%1", i18n.request_label(r.pending)))
            return "\n".join(tips) or None
        return None

    def _clock(self, c: CachedRow) -> tuple[float | None, str | None]:
        d = self._derived.get(c.row.id)
        if d is None:
            d = self._derived[c.row.id] = time_left(c, self._now, self.ctx.calendar)
        return d

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Database sort: re-query the ids in the new order (applied as a layout change)."""
        key = SORT_KEYS.get(column)
        if key is None:
            return
        desc = order == Qt.SortOrder.DescendingOrder
        if column == COL_AGE:
            desc = not desc
        if (key, desc) == (self.sort_key, self.descending):
            return
        self.sort_key, self.descending = key, desc
        if self.key is not None:
            self._query(reset=False, changed=set())

    def sort_column(self) -> tuple[int, Qt.SortOrder]:
        """The header column and order that show the current database sort."""
        col = next(c for c, k in SORT_KEYS.items() if k == self.sort_key)
        desc = self.descending != (col == COL_AGE)
        return col, Qt.SortOrder.DescendingOrder if desc else Qt.SortOrder.AscendingOrder

    # ------------------------------------------------------------------ reading it

    def ids(self) -> list[int]:
        return list(self._ids)

    def case_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < len(self._ids) else None

    def row_of(self, case_id: int) -> int | None:
        return self._row_of.get(case_id)

    def row_data(self, case_id: int) -> core.QueueRow | None:
        c = self._cache.get(case_id)
        return c.row if c else None

    def is_fetched(self, case_id: int) -> bool:
        return case_id in self._cache and case_id not in self._stale

    @property
    def busy(self) -> bool:
        return self._querying or bool(self._inflight)

    # ------------------------------------------------------------------ loading

    def load(self, key: str, flt: core.QueueFilter | None = None, *, reset: bool = True) -> None:
        """Show queue ``key`` narrowed by ``flt``. ``reset``: a different list (another queue);
        otherwise the new ids are applied row by row where that is cheap."""
        self.key = key
        self.filter = flt or core.QueueFilter()
        self._query(reset=reset, changed=set())

    def reload(self, changed=()) -> None:
        """Re-query the ids (after changes); rows of ``changed`` cases are re-fetched."""
        changed = {int(i) for i in changed if i is not None}
        self._stale |= changed & self._cache.keys()
        self._derived.clear()
        if self.key is None:
            return
        if self._querying:
            self._again = (self._again or set()) | changed
            return
        self._query(reset=False, changed=changed)

    def reload_all(self) -> None:
        """Everything may have changed: re-query the ids and re-fetch every row shown."""
        self._stale = set(self._cache)
        self.reload()

    def _query(self, *, reset: bool, changed: set[int]) -> None:
        self._gen += 1
        gen = self._gen
        self._querying = True
        self._again = None
        ctx, actor = self.ctx, self.ctx.actor
        key, flt, sort, desc = self.key, self.filter, self.sort_key, self.descending
        now = ctx.now()
        fresh = frozenset(self._cache.keys() - self._stale)
        old = frozenset(self._ids)
        want_changed = frozenset(changed)
        self._inflight |= changed & self._cache.keys()

        def job():
            with ctx.session() as s:
                ids = core.queue_ids(s, actor, key, flt, now=now, sort=sort, descending=desc)
                need = [i for i in ids[:PAGE] if i not in fresh]
                seen = set(need)
                extra = [i for i in ids if i in want_changed and i not in seen]
                if not reset:  # rows new to this list, so they appear filled in
                    extra += [i for i in ids if i not in old and i not in fresh and i not in seen][:REFRESH_AHEAD]
                need += [i for i in dict.fromkeys(extra) if i not in seen]
                rows = fetch_cached(s, need, now=now, calendar=ctx.calendar)
            return ids, rows, now

        tasks.run(job, lambda res: self._queried(gen, reset, changed, res),
                  lambda e: self._query_failed(gen, changed, e), owner=self)

    def _queried(self, gen: int, reset: bool, changed: set[int], res) -> None:
        self._inflight -= changed
        if gen != self._gen:
            return
        ids, rows, now = res
        self._querying = False
        self._now = now
        self._derived.clear()
        gone = changed - {r.row.id for r in rows}
        for cid in gone:  # changed and not in this list: drop, a later fetch gets it fresh
            self._cache.pop(cid, None)
            self._texts.pop(cid, None)
            self._stale.discard(cid)
        self.set_ids(ids, reset=reset)
        self._store(rows)
        self.loaded.emit()
        if self._again is not None:
            again, self._again = self._again, None
            self._query(reset=False, changed=again)

    def _query_failed(self, gen: int, changed: set[int], exc: BaseException) -> None:
        self._inflight -= changed
        if gen != self._gen:
            return
        self._querying = False
        self.failed.emit(exc)
        if self._again is not None:
            again, self._again = self._again, None
            self._query(reset=False, changed=again)

    # ------------------------------------------------------------------ pages

    def _want(self, row: int) -> None:
        self._wanted_pages.add(row // PAGE)
        if not self._flush.isActive():
            self._flush.start()

    def _fetch_wanted(self) -> None:
        pages, self._wanted_pages = sorted(self._wanted_pages), set()
        ids: list[int] = []
        for p in pages:
            ids += [
                i for i in self._ids[p * PAGE:(p + 1) * PAGE]
                if (i not in self._cache or i in self._stale) and i not in self._inflight
            ]
        if ids:
            self._fetch(ids)

    def _fetch(self, ids: list[int]) -> None:
        self._inflight |= set(ids)
        ctx = self.ctx
        now = ctx.now()

        def job():
            with ctx.session() as s:
                return fetch_cached(s, ids, now=now, calendar=ctx.calendar)

        def done(rows):
            self._inflight -= set(ids)
            missing = set(ids) - {r.row.id for r in rows}
            for cid in missing:  # deleted meanwhile; the next id query drops the row
                self._stale.discard(cid)
            self._store(rows)

        def fail(exc):
            self._inflight -= set(ids)
            self.failed.emit(exc)

        tasks.run(job, done, fail, owner=self)

    def refresh_rows(self, ids) -> None:
        """Re-fetch the rows of ``ids`` (those in this list) and repaint them."""
        ids = [int(i) for i in ids if i in self._row_of and i not in self._inflight]
        self._stale |= set(ids) & self._cache.keys()
        if ids:
            self._fetch(ids)

    def _store(self, rows: list[CachedRow]) -> None:
        stored = []
        for c in rows:
            cid = c.row.id
            old = self._cache.get(cid)
            if old is not None and old.row.version > c.row.version:
                continue  # an older answer overtaken by a newer one
            self._cache[cid] = c
            self._stale.discard(cid)
            self._derived.pop(cid, None)
            self._texts.pop(cid, None)
            stored.append(cid)
        rows_at = [self._row_of[i] for i in stored if i in self._row_of]
        if rows_at:
            self.dataChanged.emit(self.index(min(rows_at), 0), self.index(max(rows_at), COLUMN_COUNT - 1))
        if stored:
            self.rowsFetched.emit(stored)

    # ------------------------------------------------------------------ applying a new id list

    def set_ids(self, new_ids, *, reset: bool = False) -> None:
        """Make the list ``new_ids``: by removing, reordering (a layout change that keeps
        persistent indexes) and inserting rows, or by a model reset when asked for, when
        nothing is kept, or when the change is too scattered."""
        new_ids = list(new_ids)
        old = self._ids
        if new_ids == old:
            return
        new_set, old_set = set(new_ids), set(old)
        kept = old_set & new_set
        removed = _runs([r for r, i in enumerate(old) if i not in new_set])
        inserted = _runs([r for r, i in enumerate(new_ids) if i not in old_set])
        if reset or not kept or len(removed) + len(inserted) > MAX_BLOCKS:
            self.idsAboutToChange.emit(True)
            self.beginResetModel()
            self._ids = new_ids
            self._row_of = {i: r for r, i in enumerate(new_ids)}
            self.endResetModel()
            self.idsChanged.emit(True)
            return
        self.idsAboutToChange.emit(False)
        for start, end in reversed(removed):
            self.beginRemoveRows(QModelIndex(), start, end)
            del self._ids[start:end + 1]
            self.endRemoveRows()
        order = [i for i in new_ids if i in old_set]
        if order != self._ids:
            self.layoutAboutToBeChanged.emit()
            pos = {i: r for r, i in enumerate(order)}
            before = self.persistentIndexList()
            after = [self.index(pos[self._ids[ix.row()]], ix.column()) for ix in before]
            self._ids = order
            self.changePersistentIndexList(before, after)
            self.layoutChanged.emit()
        for start, end in inserted:  # ascending: each run's position is final when inserted
            self.beginInsertRows(QModelIndex(), start, end)
            self._ids[start:start] = new_ids[start:end + 1]
            self.endInsertRows()
        self._row_of = {i: r for r, i in enumerate(self._ids)}
        self.idsChanged.emit(False)

    # ------------------------------------------------------------------ the clock

    def tick(self) -> None:
        """Time passed: recompute time left and age from the cached deadlines (no query)."""
        self._now = self.ctx.now()
        self._derived.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, COL_LIGHT), self.index(len(self._ids) - 1, COL_AGE), _DISPLAY_ROLES)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out
