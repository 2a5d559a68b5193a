"""Rollups: the summaries that drill-down, evaluation and early warning read (统计汇总).

Kept current inside every workflow action's transaction (``on_event``, one call in
``Workflow._run`` and ``Workflow._report_once``) and rebuildable from the event log
(``rebuild``). Both paths run the same rules (``_facts``) against two views of a case: the live
case row of the action (``_HookView``), or a replay of the case's events over its stored row
(``_ReplayView``). The test suite proves that incremental maintenance over a sequence of
workflow actions equals a full rebuild.

What the numbers mean (see docs/evaluation.md for the full definitions):

* **Cohort by report day.** Every case figure is kept on the day the case was *reported*,
  whatever day it happens: a case reported on 3 March and closed on 20 March adds to the
  ``closed`` of 3 March. A period's figures are "what became of the cases reported in the
  period, as of now", so rates stay between 0 and 1 and the cases behind a number are simply
  the period's cases that have the property.
* **Category** is the category a case was filed (立案) under; until it is filed it counts under
  category 0 (unclassified), and filing moves its earlier facts to the filed category.
* **Department** is the department the event names: the one dispatched to, the one whose work
  failed a re-check (返工), the one that returned (回退), parked or fed back; 0 for facts before
  dispatch.
* **On time** is judged against the deadline stored on the case when the event happened
  (extensions and parked time included). A rebuild uses the stored deadline of the last
  occurrence of a stage and recomputes earlier occurrences (a case dispatched again after a
  return or a rework) from the category's limits and the working calendar in force at the
  rebuild: the two agree as long as the catalogue's limits were not changed in between.
* **Time to close** is working minutes from report to close, parked (挂账) time excluded,
  rounded to 1/64 minute (so sums are exact in any order), and counted in a half-octave
  histogram (``model_analytics``) for percentiles.

Position counters (``rollup_position_day``) are kept on the day the person acted, except three
cohort counters kept on the day of the act they judge: ``valid_reports``/``invalid_reports``
on the report's day (for its reporter), ``filed_voided`` on the filing's day (for the shift
leader who filed), ``dispatch_returned`` on the dispatch's day (for its dispatcher).
"""

from __future__ import annotations

import json
import math
import time as _time
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine, delete, select, text
from sqlalchemy.orm import Session

from gridstation.store.db import is_postgres, writer
from gridstation.store.model import Case, CaseEvent, CaseSource, CaseState, Category, Position, Stage, UnitGrid
from gridstation.analytics.model import (
    CASE_COUNTERS,
    HIST_COLUMNS,
    N_BUCKETS,
    POSITION_COUNTERS,
    RollupCaseDay,
    RollupGridMonth,
    RollupPositionDay,
    RollupRegionDay,
    RollupRegionMonth,
)
from gridstation.worktime.timelimits import limit_of, rebuild_clock, start_clock
from gridstation.worktime.workcal import WorkCalendar

__all__ = [
    "PUBLIC_SOURCES",
    "TASK_DISPATCH_LIMIT_MINUTES",
    "RebuildStats",
    "bucket_bounds",
    "bucket_of",
    "month_of",
    "on_event",
    "percentile",
    "rebuild",
]

#: Sources whose reports count as found by the public (公众发现: 热线 and 公众举报).
PUBLIC_SOURCES = frozenset({CaseSource.HOTLINE.value, CaseSource.PUBLIC.value})
#: An intake operator dispatches a 核实 task (from the report) or a 核查 task (from the
#: department's feedback) on time within this many working minutes (the common "10 minutes"
#: rule for urgent dispatching). Changing it needs a ``rebuild``.
TASK_DISPATCH_LIMIT_MINUTES = 10.0

CASE_KEY = ("day", "grid_id", "category_id", "department_id", "source")
MONTH_KEY = ("month", "grid_id")
REGION_DAY_KEY = ("day", "region_id")
REGION_MONTH_KEY = ("month", "region_id")
POSITION_KEY = ("day", "user_id", "position")
CASE_VALUE_COLUMNS = CASE_COUNTERS + ("close_minutes",) + HIST_COLUMNS

_S = CaseState
_CLOSED, _TO_FILE, _TO_DISPATCH = _S.CLOSED.value, _S.TO_FILE.value, _S.TO_DISPATCH.value


# --------------------------------------------------------------------------- histogram


def bucket_of(minutes: float) -> int:
    """The half-octave bucket of a close time (see ``model_analytics``)."""
    if minutes < 1.0:
        return 0
    return min(N_BUCKETS - 1, 1 + int(math.floor(2.0 * math.log2(minutes))))


def bucket_bounds(b: int) -> tuple[float, float]:
    """[low, high) minutes of bucket ``b`` (the last bucket's high is infinite)."""
    if b == 0:
        return 0.0, 1.0
    lo = 2.0 ** ((b - 1) / 2)
    hi = math.inf if b == N_BUCKETS - 1 else 2.0 ** (b / 2)
    return lo, hi


def percentile(hist: Iterable[int], q: float = 0.9) -> float | None:
    """The q-quantile (nearest rank) of the values counted in ``hist``, estimated inside its
    bucket by log-linear interpolation (linear in the first bucket). None when empty. The
    true nearest-rank value always lies in the same bucket, so the estimate is within a factor
    √2 of it; in the open last bucket the bucket's low bound (32,768 minutes) is returned."""
    counts = list(hist)
    n = sum(counts)
    if n <= 0:
        return None
    rank = max(1, math.ceil(q * n))  # the rank-th smallest value
    seen = 0
    for b, c in enumerate(counts):
        if c and seen + c >= rank:
            lo, hi = bucket_bounds(b)
            frac = (rank - seen - 0.5) / c
            if b == 0:
                return lo + (hi - lo) * frac
            if math.isinf(hi):
                return lo
            return lo * (hi / lo) ** frac
        seen += c
    return None  # pragma: no cover


def month_of(d: date) -> date:
    return d.replace(day=1)


def _r64(x: float) -> float:
    return round(x * 64.0) / 64.0


# --------------------------------------------------------------------------- accumulator


class _Acc:
    """Deltas to the three tables, keyed like their primary keys."""

    def __init__(self) -> None:
        self.case: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(int))
        self.pos: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def add_case(self, key: tuple, deltas: dict[str, float]) -> None:
        row = self.case[key]
        for k, v in deltas.items():
            if v:
                row[k] += v

    def add_pos(self, key: tuple, deltas: dict[str, int]) -> None:
        row = self.pos[key]
        for k, v in deltas.items():
            if v:
                row[k] += v

    def months(self) -> dict[tuple, dict[str, float]]:
        out: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(int))
        for (day, grid, _cat, _dept, _src), row in self.case.items():
            m = out[(month_of(day), grid)]
            for k, v in row.items():
                m[k] += v
        return out

    def regions(self, region_of: dict[int, int]) -> tuple[dict[tuple, dict], dict[tuple, dict]]:
        """The case deltas per (day, region) and (month, region); ``region_of``: grid → region."""
        days: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(int))
        months: dict[tuple, dict[str, float]] = defaultdict(lambda: defaultdict(int))
        for (day, grid, _cat, _dept, _src), row in self.case.items():
            region = region_of.get(grid, 0)
            d, m = days[(day, region)], months[(month_of(day), region)]
            for k, v in row.items():
                d[k] += v
                m[k] += v
        return days, months


# --------------------------------------------------------------------------- the rules


class _Ev:
    """The parts of a case_event the rules read."""

    __slots__ = ("id", "at", "user_id", "position", "action", "to_state", "department_id", "_data", "_raw")

    def __init__(self, id, at, user_id, position, action, to_state, department_id, data=None, raw=None):
        self.id = id
        self.at = at
        self.user_id = user_id
        self.position = position
        self.action = action
        self.to_state = to_state
        self.department_id = department_id
        self._data = data
        self._raw = raw

    @property
    def data(self) -> dict:
        if self._data is None:
            raw = self._raw
            if isinstance(raw, str):
                raw = json.loads(raw) if raw else None
            self._data = raw or {}
        return self._data


_FILE, _DISPATCH, _HANDLE, _CHECK, _CLOSE = Stage.FILE, Stage.DISPATCH, Stage.HANDLE, Stage.CHECK, Stage.CLOSE
_DEADLINE = {st: f"{st.value}_deadline" for st in Stage}


def _stage_started(ev: _Ev) -> Stage | None:
    """The stage whose clock (re)starts with this event, if any."""
    a = ev.action
    if a == "report":
        return _FILE
    if a == "self_handle":
        return _CLOSE
    if a in ("file", "approve_return", "rework"):
        return _DISPATCH
    if a == "dispatch":
        return _HANDLE
    if a == "feedback":
        return _CHECK
    if a == "recheck":
        return _DISPATCH if ev.to_state == _TO_DISPATCH else _CLOSE
    if a == "review_self" and ev.to_state == _TO_FILE:
        return _FILE
    return None


def _reporter_position(source: str) -> str:
    return Position.SUPERVISOR.value if source == CaseSource.SUPERVISOR.value else Position.INTAKE_OPERATOR.value


def _on_time(at: datetime, deadline: datetime | None) -> int:
    """1 if ``at`` is by ``deadline``; a missing deadline (no limit set) counts as on time."""
    return 1 if deadline is None or at <= deadline else 0


_QUIET = frozenset({
    "request_return", "request_extension", "request_park", "request_void", "reject_return", "reject_extension",
    "reject_park", "reject_void", "reply_urge", "change_level",
})


def _facts(ev: _Ev, v, cal: WorkCalendar, acc: _Acc) -> None:
    """What one event adds to the rollups. ``v`` is a view of the case just after the event."""
    a = ev.action
    if a in _QUIET:
        return
    day, grid, src = v.report_day, v.grid_id, v.source
    dept = ev.department_id or 0
    add_case, add_pos = acc.add_case, acc.add_pos

    if a == "report" or a == "self_handle":
        add_case((day, grid, 0, 0, src), {"reported": 1, "public_reports": 1 if src in PUBLIC_SOURCES else 0})
        add_pos((ev.at.date(), ev.user_id or 0, ev.position or ""), {"reports": 1})
        return
    me = (ev.at.date(), ev.user_id or 0, ev.position or "")
    if a == "assign_verify":
        ok = cal.working_minutes_between(v.reported_at, ev.at) <= TASK_DISPATCH_LIMIT_MINUTES
        add_pos(me, {"verify_assigned": 1, "verify_assigned_on_time": int(ok)})
        return
    if a == "verify":
        add_pos(me, {"verify_done": 1, "verify_on_time": _on_time(ev.at, v.deadline(_FILE))})
        return
    if a == "file" or (a == "review_self" and ev.to_state == _CLOSED):
        new = v.category_id or 0
        if new:  # the facts of the case so far move from "unclassified" to its category
            pub = 1 if src in PUBLIC_SOURCES else 0
            urged = v.urges_before()
            add_case((day, grid, 0, 0, src), {"reported": -1, "public_reports": -pub, "urged": -urged})
            add_case((day, grid, new, 0, src), {"reported": 1, "public_reports": pub, "urged": urged})
        add_pos((day, v.reported_by_id or 0, _reporter_position(src)), {"valid_reports": 1})
        if a == "file":
            add_case((day, grid, new, 0, src), {"filed": 1})
            add_pos(me, {"filed": 1, "filed_on_time": _on_time(ev.at, v.deadline(_FILE))})
        else:  # a self-handled case approved: filed and closed at once, never dispatched
            on_time = _on_time(ev.at, v.deadline(_CLOSE))
            minutes = _r64(max(0.0, cal.working_minutes_between(v.reported_at, ev.at)))
            add_case((day, grid, new, 0, src), {
                "filed": 1, "closed": 1, "closed_on_time": on_time, "close_minutes": minutes,
                HIST_COLUMNS[bucket_of(minutes)]: 1,
            })
            add_pos(me, {"closed": 1, "closed_on_time": on_time})
        return
    key = (day, grid, v.category_key(), dept, src)
    if a == "void" or a == "approve_void":
        filed = v.was_filed()
        add_case((day, grid, key[2], 0, src), {"voided": 1, "voided_filed": 1 if filed else 0})
        if filed:
            f_at, f_user, f_pos = v.file_event()
            add_pos((f_at.date(), f_user or 0, f_pos or ""), {"filed_voided": 1})
        else:
            add_pos((day, v.reported_by_id or 0, _reporter_position(src)), {"invalid_reports": 1})
    elif a == "dispatch":
        add_case(key, {"dispatched": 1 if v.first_dispatch() else 0, "dept_cases": 0 if v.dept_due_before(dept) else 1})
        add_pos(me, {"dispatched": 1, "dispatched_on_time": _on_time(ev.at, v.deadline(_DISPATCH))})
    elif a == "approve_return":
        add_case(key, {"returns": 1, "dept_cases": 0 if v.dept_due_after_return(dept) else -1})
        d_at, d_user, d_pos = v.last_dispatch()
        add_pos((d_at.date(), d_user or 0, d_pos or ""), {"dispatch_returned": 1})
    elif a == "feedback":
        add_case(key, {"handled": 1 if v.first_feedback() else 0, "fed_back": 1,
                       "fed_back_on_time": _on_time(ev.at, v.deadline(_HANDLE))})
    elif a == "assign_check":
        fed = v.last_feedback_at()
        ok = fed is None or cal.working_minutes_between(fed, ev.at) <= TASK_DISPATCH_LIMIT_MINUTES
        add_pos(me, {"check_assigned": 1, "check_assigned_on_time": int(ok)})
    elif a == "recheck":
        add_pos(me, {"recheck_done": 1, "recheck_on_time": _on_time(ev.at, v.deadline(_CHECK))})
        if ev.to_state == _TO_DISPATCH:
            add_case(key, {"reworks": 1})
    elif a == "rework":
        add_case(key, {"reworks": 1})
    elif a == "close":
        minutes = _r64(max(0.0, cal.working_minutes_between(v.reported_at, ev.at) - v.parked_minutes()))
        add_case(key, {"closed": 1, "closed_on_time": v.last_round_on_time(), "close_minutes": minutes,
                       HIST_COLUMNS[bucket_of(minutes)]: 1})
        add_pos(me, {"closed": 1, "closed_on_time": _on_time(ev.at, v.deadline(_CLOSE))})
    elif a == "approve_extension":
        add_case(key, {"extensions": 1})
    elif a == "approve_park":
        add_case(key, {"parked": 1, "parked_now": 1})
    elif a == "resume":
        add_case(key, {"parked_now": -1})
    elif a == "urge":
        add_case(key, {"urged": 1})


# --------------------------------------------------------------------------- live view


class _HookView:
    """The case as the action just left it (same transaction), plus lookups of its history."""

    def __init__(self, s: Session, case: Case, ev: _Ev, cal: WorkCalendar) -> None:
        self.s, self.c, self.ev, self.cal = s, case, ev, cal
        self.report_day = case.reported_at.date()
        self.reported_at = case.reported_at
        self.grid_id = case.grid_id or 0
        self.source = case.source
        self.reported_by_id = case.reported_by_id
        self.category_id = case.category_id

    def category_key(self) -> int:
        return (self.c.category_id or 0) if self.c.filed_at is not None else 0

    def was_filed(self) -> bool:
        return self.c.filed_at is not None

    def urges_before(self) -> int:
        return self.c.urge_count or 0

    def deadline(self, stage: Stage) -> datetime | None:
        return getattr(self.c, _DEADLINE[stage])

    def first_dispatch(self) -> bool:
        return (self.c.dispatch_count or 0) == 1

    def first_feedback(self) -> bool:
        return (self.c.rework_count or 0) == 0

    def last_feedback_at(self) -> datetime | None:
        return self.c.handled_at

    def last_round_on_time(self) -> int:
        if self.c.handled_at is None:
            return 1
        return _on_time(self.c.handled_at, self.c.handle_deadline)

    def _history(self, actions: tuple[str, ...], *, through: bool):
        q = (
            select(CaseEvent.id, CaseEvent.at, CaseEvent.user_id, CaseEvent.position, CaseEvent.action,
                   CaseEvent.department_id)
            .where(CaseEvent.case_id == self.c.id, CaseEvent.action.in_(actions))
            .order_by(CaseEvent.id)
        )
        q = q.where(CaseEvent.id <= self.ev.id) if through else q.where(CaseEvent.id < self.ev.id)
        return self.s.execute(q).all()

    def _due_count(self, dept: int, *, through: bool) -> int:
        n = 0
        for row in self._history(("dispatch", "approve_return"), through=through):
            if (row.department_id or 0) == dept:
                n += 1 if row.action == "dispatch" else -1
        return n

    def dept_due_before(self, dept: int) -> bool:
        if (self.c.dispatch_count or 0) <= 1 and not self.c.return_count:
            return False
        return self._due_count(dept, through=False) > 0

    def dept_due_after_return(self, dept: int) -> bool:
        return self._due_count(dept, through=True) > 0

    def file_event(self) -> tuple[datetime, int | None, str | None]:
        rows = self._history(("file",), through=True)
        r = rows[-1]
        return r.at, r.user_id, r.position

    def last_dispatch(self) -> tuple[datetime, int | None, str | None]:
        rows = self._history(("dispatch",), through=False)
        r = rows[-1]
        return r.at, r.user_id, r.position

    def parked_minutes(self) -> float:
        if not self.c.park_count:
            return 0.0
        total, since = 0.0, None
        for row in self._history(("approve_park", "resume"), through=True):
            if row.action == "approve_park":
                since = row.at
            elif since is not None:
                total += self.cal.working_minutes_between(since, row.at)
                since = None
        return total


def on_event(s: Session, case: Case, ev: CaseEvent, calendar: WorkCalendar) -> None:
    """Apply one just-flushed case event to the rollups, in the action's own transaction.

    Called by the workflow right after the event row is flushed; raises nothing of its own (a
    database error aborts the action like any other write would)."""
    e = _Ev(ev.id, ev.at, ev.user_id, ev.position, ev.action, ev.to_state, ev.department_id, data=ev.data or {})
    acc = _Acc()
    _facts(e, _HookView(s, case, e, calendar), calendar, acc)
    _apply(s, acc)


_UPSERTS: dict[tuple[str, str], str] = {}


def _upsert_sql(dialect: str, table, key_cols: tuple[str, ...], value_cols: tuple[str, ...]) -> str:
    """One plain upsert per table and dialect (all value columns: adding zeros costs nothing,
    and a fixed statement needs no per-call SQL compilation)."""
    k = (dialect, table.name)
    sql = _UPSERTS.get(k)
    if sql is None:
        mark = "%s" if dialect == "postgresql" else "?"
        cols = key_cols + value_cols
        sets = ", ".join(f"{c} = {table.name}.{c} + excluded.{c}" for c in value_cols)
        sql = (f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join(mark for _ in cols)}) "
               f"ON CONFLICT ({', '.join(key_cols)}) DO UPDATE SET {sets}")
        _UPSERTS[k] = sql
    return sql


def _region_of(conn, grids) -> dict[int, int]:
    """grid id → the region it hangs under (for the region rollups)."""
    grids = sorted({int(g) for g in grids})
    if not grids:
        return {}
    return dict(conn.execute(select(UnitGrid.id, UnitGrid.region_id).where(UnitGrid.id.in_(grids))).all())


def _apply(s: Session, acc: _Acc) -> None:
    """Upsert the deltas (rows in key order, so concurrent actions lock rows in one order)."""
    conn = s.connection()
    dialect = conn.dialect.name
    region_days, region_months = acc.regions(_region_of(conn, (k[1] for k in acc.case)))
    for table, key_cols, value_cols, rows in (
        (RollupCaseDay.__table__, CASE_KEY, CASE_VALUE_COLUMNS, acc.case),
        (RollupGridMonth.__table__, MONTH_KEY, CASE_VALUE_COLUMNS, acc.months()),
        (RollupRegionDay.__table__, REGION_DAY_KEY, CASE_VALUE_COLUMNS, region_days),
        (RollupRegionMonth.__table__, REGION_MONTH_KEY, CASE_VALUE_COLUMNS, region_months),
        (RollupPositionDay.__table__, POSITION_KEY, POSITION_COUNTERS, acc.pos),
    ):
        sql = None
        for key in sorted(rows):
            deltas = rows[key]
            if not any(deltas.values()):
                continue
            sql = sql or _upsert_sql(dialect, table, key_cols, value_cols)
            conn.exec_driver_sql(sql, tuple(key) + tuple(deltas.get(c, 0) for c in value_cols))
            if table is RollupCaseDay.__table__ and any(v < 0 for v in deltas.values()):
                # filing moved the case's facts away: drop the row if nothing is left in it
                cond = [table.c[k] == v for k, v in zip(key_cols, key)]
                cond += [table.c[k] == 0 for k in CASE_VALUE_COLUMNS]
                s.execute(delete(table).where(*cond))


# --------------------------------------------------------------------------- replay view


class _CaseRow:
    __slots__ = (
        "id", "reported_at", "grid_id", "source", "category_id", "reported_by_id", "file_deadline",
        "dispatch_deadline", "handle_deadline", "check_deadline", "close_deadline",
    )

    def __init__(self, row) -> None:
        for k in self.__slots__:
            setattr(self, k, getattr(row, k))


_CASE_COLS = [getattr(Case, k) for k in _CaseRow.__slots__]


class _ReplayView:
    """The case replayed from its events over its stored row (for ``rebuild``)."""

    def __init__(self, c: _CaseRow, events: list[_Ev], cal: WorkCalendar, category) -> None:
        self.c, self.events, self.cal, self.category = c, events, cal, category
        self.report_day = c.reported_at.date()
        self.reported_at = c.reported_at
        self.grid_id = c.grid_id or 0
        self.source = c.source
        self.reported_by_id = c.reported_by_id
        self.category_id = c.category_id
        # the last start of each stage: its deadline is the one stored on the case
        self.last_start: dict[Stage, int] = {}
        self.starts = [_stage_started(e) for e in events]
        for i, st in enumerate(self.starts):
            if st is not None:
                self.last_start[st] = i
        self.i = -1
        self.start: dict[Stage, int] = {}
        self.classified = False
        self.urges = 0
        self.dispatches = 0
        self.feedbacks = 0
        self.due: dict[int, int] = defaultdict(int)
        self.file_ev = None
        self.last_disp = None
        self.fed_at = None
        self.last_ok = 1
        self.ext = 0.0  # approved extension minutes of the running handling round
        self.park = 0.0  # parked minutes (stage unit) of the running handling round
        self.parked_work = 0.0  # parked working minutes of the whole case
        self.park_since = None

    # -- the view
    def category_key(self) -> int:
        return (self.c.category_id or 0) if self.classified else 0

    def was_filed(self) -> bool:
        return self.file_ev is not None

    def urges_before(self) -> int:
        return self.urges

    def deadline(self, stage: Stage) -> datetime | None:
        i = self.start.get(stage)
        if i is None or i == self.last_start.get(stage):
            return getattr(self.c, _DEADLINE[stage])
        at = self.events[i].at
        if stage is _HANDLE:
            amount, unit = limit_of(self.category, stage)
            return rebuild_clock(self.cal, stage, at, self.cal.limit_minutes(amount, unit), unit,
                                 extension_minutes=self.ext, parked_minutes=self.park).due_at
        return start_clock(self.cal, stage, self.category, at).due_at

    def first_dispatch(self) -> bool:
        return self.dispatches == 1

    def first_feedback(self) -> bool:
        return self.feedbacks == 0

    def last_feedback_at(self):
        return self.fed_at

    def last_round_on_time(self) -> int:
        return self.last_ok

    def dept_due_before(self, dept: int) -> bool:
        return self.due[dept] > 0

    def dept_due_after_return(self, dept: int) -> bool:
        return self.due[dept] - 1 > 0

    def file_event(self):
        return self.file_ev

    def last_dispatch(self):
        return self.last_disp

    def parked_minutes(self) -> float:
        return self.parked_work

    # -- replay
    def run(self, acc: _Acc) -> None:
        starts = self.starts
        for i, e in enumerate(self.events):
            self.i = i
            a = e.action
            st = starts[i]
            # state the rules read *after* the event (as the live view sees the case row)
            if a == "dispatch":
                self.dispatches += 1
                self.ext = self.park = 0.0
            elif a == "approve_extension":
                self.ext += float(e.data.get("hours") or 0.0) * 60.0
            elif a == "resume":
                self.park += float(e.data.get("parked_minutes") or 0.0)
                if self.park_since is not None:
                    self.parked_work += self.cal.working_minutes_between(self.park_since, e.at)
                    self.park_since = None
            elif a == "approve_park":
                self.park_since = e.at
            elif a == "file":
                self.file_ev = (e.at, e.user_id, e.position)
            if st is not None:
                self.start[st] = i
            if a == "feedback":
                self.fed_at = e.at
            _facts(e, self, self.cal, acc)
            # state that only later events see
            if a == "urge":
                self.urges += 1
            elif a == "file" or (a == "review_self" and e.to_state == _CLOSED):
                self.classified = True
            elif a == "dispatch":
                self.due[e.department_id or 0] += 1
                self.last_disp = (e.at, e.user_id, e.position)
            elif a == "approve_return":
                self.due[e.department_id or 0] -= 1
            elif a == "feedback":
                self.feedbacks += 1
                self.last_ok = _on_time(e.at, self.deadline(_HANDLE))


# --------------------------------------------------------------------------- rebuild


@dataclass
class RebuildStats:
    since: date | None = None
    cases: int = 0
    events: int = 0
    case_rows: int = 0
    month_rows: int = 0
    region_rows: int = 0
    position_rows: int = 0
    seconds: float = 0.0
    timings: dict[str, float] = field(default_factory=dict)


def _tuples(rows: dict[tuple, dict], value_cols: tuple[str, ...]) -> list[tuple]:
    index = {c: i for i, c in enumerate(value_cols)}
    zero = [0] * len(value_cols)
    out = []
    for key, vals in rows.items():
        row = zero.copy()
        nonzero = False
        for k, v in vals.items():
            if v:
                row[index[k]] = v
                nonzero = True
        if nonzero:
            out.append(key + tuple(row))
    return out


def _write(conn, table, columns: tuple[str, ...], rows: list[tuple], chunk: int) -> None:
    """Bulk insert through the driver: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    raw = conn.connection.driver_connection
    names = ", ".join(columns)
    if is_postgres(conn):
        with raw.cursor() as cur, cur.copy(f"COPY {table.name} ({names}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)
        return
    marks = ", ".join("?" for _ in columns)
    cur = raw.cursor()
    try:
        for i in range(0, len(rows), chunk):
            cur.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows[i : i + chunk])
    finally:
        cur.close()


def _events(conn, start: date | None, chunk: int):
    """The case events in (case_id, id) order, as plain tuples, straight from the driver."""
    sql = ("SELECT case_id, id, at, user_id, position, action, to_state, department_id, CAST(data AS TEXT) "
           "FROM case_event")
    raw = conn.connection.driver_connection
    pg = is_postgres(conn)
    params: tuple = ()
    if start is not None:
        since = datetime.combine(start, datetime.min.time())
        sql += " WHERE case_id IN (SELECT case_id FROM case_event WHERE at >= %s)" if pg else \
            " WHERE case_id IN (SELECT case_id FROM case_event WHERE at >= ?)"
        params = (since,) if pg else (since.strftime("%Y-%m-%d %H:%M:%S.%f"),)
    sql += " ORDER BY case_id, id"
    cur = raw.cursor(name="gs_rollup_events") if pg else raw.cursor()
    try:
        cur.execute(sql, params)
        parse = None if pg else datetime.fromisoformat
        while True:
            batch = cur.fetchmany(chunk)
            if not batch:
                break
            if parse is None:
                yield from batch
            else:
                for r in batch:
                    yield (r[0], r[1], parse(r[2])) + r[3:]
    finally:
        cur.close()


@contextmanager
def _writer_transaction(engine: Engine | None, conn):
    """``conn`` itself (the caller's transaction), or a new writer transaction on ``engine``."""
    if conn is not None:
        yield conn
    else:
        with writer(engine).begin() as c:
            yield c


def rebuild_in(
    conn,
    since: date | datetime | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    chunk: int = 20_000,
) -> RebuildStats:
    """``rebuild`` inside the caller's writer transaction on ``conn`` (a Connection), so that
    what the caller wrote and the rollups it changes commit together, or not at all: an
    import that is killed half-way leaves neither its cases nor stale summaries behind."""
    return rebuild(None, since, progress=progress, chunk=chunk, conn=conn)


def rebuild(
    engine: Engine | None,
    since: date | datetime | None = None,
    *,
    progress: Callable[[str], None] | None = None,
    chunk: int = 20_000,
    conn=None,
) -> RebuildStats:
    """Recompute the rollups from ``cases`` and ``case_event``; idempotent.

    ``since=None`` rebuilds everything. With a date, the rows of that date's month and later
    are recomputed (the month is the unit of ``rollup_grid_month``): from every case that has
    an event on or after the month's first day, keeping the facts whose row day is in range.

    Runs as one writer transaction. On PostgreSQL it locks the three tables first (EXCLUSIVE:
    reads go on, and workflow actions wait at their rollup update until the rebuild commits,
    so none is lost or counted twice); on SQLite the writer transaction (BEGIN IMMEDIATE)
    serialises with every action anyway.
    """
    t0 = _time.perf_counter()
    if isinstance(since, datetime):
        since = since.date()
    start = month_of(since) if since is not None else None
    stats = RebuildStats(since=start)

    def say(msg: str) -> None:
        if progress is not None:
            progress(msg)

    from gridstation.worktime import center_calendar as calendar_mod

    with _writer_transaction(engine, conn) as conn:
        if is_postgres(conn):
            conn.execute(text("LOCK TABLE rollup_case_day, rollup_grid_month, rollup_region_day, rollup_region_month, "
                              "rollup_position_day IN EXCLUSIVE MODE"))
        with Session(bind=conn) as s:
            cal = calendar_mod.load_calendar(s)
            categories = {c.id: c for c in s.scalars(select(Category))}
            for c in categories.values():
                s.expunge(c)
        acc = _Acc()
        cq = select(*_CASE_COLS).order_by(Case.id)
        if start is not None:
            touched = select(CaseEvent.case_id).where(CaseEvent.at >= datetime.combine(start, datetime.min.time()))
            cq = cq.where(Case.id.in_(touched.scalar_subquery()))
        cases = {r.id: _CaseRow(r) for r in conn.execute(cq)}
        stats.cases = len(cases)
        stats.timings["read_cases"] = _time.perf_counter() - t0
        say(f"rollup: {len(cases):,} cases")

        cur_id, cur_events = None, []
        n = 0
        for case_id, eid, at, user_id, position, action, to_state, dept, data in _events(conn, start, chunk):
            if case_id != cur_id:
                c = cases.get(cur_id)
                if c is not None and cur_events:
                    _ReplayView(c, cur_events, cal, categories.get(c.category_id)).run(acc)
                cur_id, cur_events = case_id, []
            cur_events.append(_Ev(eid, at, user_id, position, action, to_state, dept, raw=data))
            n += 1
        c = cases.get(cur_id)
        if c is not None and cur_events:
            _ReplayView(c, cur_events, cal, categories.get(c.category_id)).run(acc)
        stats.events = n
        stats.timings["replay"] = _time.perf_counter() - t0
        say(f"rollup: {n:,} events replayed")

        case_rows, pos_rows = acc.case, acc.pos
        if start is not None:
            case_rows = {k: v for k, v in case_rows.items() if k[0] >= start}
            pos_rows = {k: v for k, v in pos_rows.items() if k[0] >= start}
        acc2 = _Acc()
        acc2.case = case_rows
        month_rows = acc2.months()
        region_of = dict(conn.execute(select(UnitGrid.id, UnitGrid.region_id)).all())
        region_days, region_months = acc2.regions(region_of)

        t_case, t_month, t_pos = RollupCaseDay.__table__, RollupGridMonth.__table__, RollupPositionDay.__table__
        t_rday, t_rmonth = RollupRegionDay.__table__, RollupRegionMonth.__table__
        if start is None:
            for t in (t_case, t_month, t_rday, t_rmonth, t_pos):
                conn.execute(delete(t))
        else:
            conn.execute(delete(t_case).where(t_case.c.day >= start))
            conn.execute(delete(t_month).where(t_month.c.month >= start))
            conn.execute(delete(t_rday).where(t_rday.c.day >= start))
            conn.execute(delete(t_rmonth).where(t_rmonth.c.month >= start))
            conn.execute(delete(t_pos).where(t_pos.c.day >= start))
        for t, key_cols, value_cols, rows, attr in (
            (t_case, CASE_KEY, CASE_VALUE_COLUMNS, case_rows, "case_rows"),
            (t_month, MONTH_KEY, CASE_VALUE_COLUMNS, month_rows, "month_rows"),
            (t_rday, REGION_DAY_KEY, CASE_VALUE_COLUMNS, region_days, None),
            (t_rmonth, REGION_MONTH_KEY, CASE_VALUE_COLUMNS, region_months, "region_rows"),
            (t_pos, POSITION_KEY, POSITION_COUNTERS, pos_rows, "position_rows"),
        ):
            tuples = _tuples(rows, value_cols)
            _write(conn, t, key_cols + value_cols, tuples, chunk)
            if attr:
                setattr(stats, attr, len(tuples))
    stats.seconds = _time.perf_counter() - t0
    stats.timings["write"] = stats.seconds
    say(f"rollup: rebuilt in {stats.seconds:.1f} s")
    return stats
