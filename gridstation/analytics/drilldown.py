"""Drill-down (逐级下钻): a region's children with their figures, comparisons and the cases behind.

For a period ``[start, end)`` and a node of the region hierarchy (the top, any region of any
depth the city configured in ``region_level``, or a unit grid), ``drilldown`` gives each child's
figures, the same for 同比 (the same dates a year earlier) and 环比 (the previous period of the
same length), and the node's own total. The figures come from the rollups (``rollup.py``):
whole months from ``rollup_grid_month``, the days at either end from ``rollup_case_day``, rolled
up to the children by joining the small grid → region map (unit_grid ⋈ region on the
materialised path), never by scanning cases. The one figure read from ``cases`` is *overdue
now*: open cases, not parked, whose running stage's ``due_at`` has passed (the ``(state,
due_at)`` index); it does not depend on the period.

Every figure is about the cohort of cases **reported in the period**, as of now ("what became of
them"); see docs/evaluation.md. ``cases_behind`` returns the ids of the cases behind any number
(an indexed query on cases for that one cell) and ``gridstation.exchange.exporters.export_cases_behind`` writes them to .xlsx.

Periods and nodes live in ``scope``; the weekly review's data in ``gridstation.report.weekly``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import and_, func, or_, select, text
from sqlalchemy.orm import Session

from gridstation.analytics import rollup
from gridstation.analytics.scope import (  # noqa: F401  (re-exported: the drill-down's vocabulary)
    TOP,
    Node,
    Period,
    subtree_grid_ids,
    _levels,
    _split,
    children,
    grid_groups,
    iso_week_period,
    resolve_node,
)
from gridstation.store.db import is_postgres
from gridstation.store.model import Case, CaseState, Region, UnitGrid
from gridstation.analytics.model import CASE_COUNTERS, HIST_COLUMNS, RollupCaseDay, RollupGridMonth

__all__ = [
    "FIGURES",
    "RATE_FIGURES",
    "figure_change",
    "DrillDown",
    "DrillRow",
    "Figures",
    "Node",
    "Period",
    "cases_behind",
    "children",
    "drilldown",
    "figures_by_group",
    "grid_groups",
    "iso_week_period",
    "resolve_node",
]

S = CaseState
#: Open states whose running stage can be overdue (parked cases are set aside: their clock stands).
OVERDUE_STATES = tuple(s.value for s in S if s not in (S.CLOSED, S.VOIDED, S.PARKED))
VALUE_COLUMNS = rollup.CASE_VALUE_COLUMNS


# =========================================================================== figures


@dataclass
class Figures:
    """The figures of one cell of the drill-down (cohort: cases reported in the period)."""

    reported: int = 0
    public_reports: int = 0
    filed: int = 0
    voided: int = 0
    voided_filed: int = 0
    dispatched: int = 0
    handled: int = 0
    closed: int = 0
    closed_on_time: int = 0
    dept_cases: int = 0
    fed_back: int = 0
    fed_back_on_time: int = 0
    reworks: int = 0
    returns: int = 0
    extensions: int = 0
    parked: int = 0
    parked_now: int = 0
    urged: int = 0
    close_minutes: float = 0.0
    hist: tuple[int, ...] = field(default_factory=lambda: (0,) * len(HIST_COLUMNS))
    overdue_now: int | None = None

    @classmethod
    def from_sums(cls, sums: dict | None) -> Figures:
        f = cls()
        if not sums:
            return f
        for c in CASE_COUNTERS:
            setattr(f, c, int(sums.get(c) or 0))
        f.close_minutes = float(sums.get("close_minutes") or 0.0)
        f.hist = tuple(int(sums.get(h) or 0) for h in HIST_COLUMNS)
        return f

    @property
    def due(self) -> int:
        """应结案数: filed cases, less those voided after filing and those parked now."""
        return self.filed - self.voided_filed - self.parked_now

    @property
    def closure_rate(self) -> float | None:
        """结案率 = closed ÷ due."""
        return self.closed / self.due if self.due > 0 else None

    @property
    def on_time_rate(self) -> float | None:
        """按期结案率 = closed on time ÷ closed."""
        return self.closed_on_time / self.closed if self.closed else None

    @property
    def public_share(self) -> float | None:
        """公众上报占比 = hotline and public reports ÷ reports."""
        return self.public_reports / self.reported if self.reported else None

    @property
    def avg_close_minutes(self) -> float | None:
        """Mean working minutes from report to close (parked time excluded)."""
        return self.close_minutes / self.closed if self.closed else None

    @property
    def p90_close_minutes(self) -> float | None:
        """90th percentile of the same, from the half-octave histogram (within a factor √2)."""
        return rollup.percentile(self.hist, 0.9)

    def add(self, other: Figures) -> Figures:
        out = Figures()
        for c in CASE_COUNTERS:
            setattr(out, c, getattr(self, c) + getattr(other, c))
        out.close_minutes = self.close_minutes + other.close_minutes
        out.hist = tuple(a + b for a, b in zip(self.hist, other.hist))
        if self.overdue_now is not None or other.overdue_now is not None:
            out.overdue_now = (self.overdue_now or 0) + (other.overdue_now or 0)
        return out

    def as_dict(self) -> dict:
        d = asdict(self)
        d.pop("hist")
        for k in ("due", "closure_rate", "on_time_rate", "public_share", "avg_close_minutes", "p90_close_minutes"):
            d[k] = getattr(self, k)
        return d


#: The figures a drill-down cell can show, and what the cases behind each are.
FIGURES = {
    "reported": "上报数",
    "public_reports": "公众上报数",
    "filed": "立案数",
    "dispatched": "派遣数",
    "handled": "处置数",
    "closed": "结案数",
    "closed_on_time": "按期结案数",
    "due": "应结案数",
    "closure_rate": "结案率",
    "on_time_rate": "按期结案率",
    "overdue_now": "当前超期数",
    "reworks": "返工数",
    "returns": "回退数",
    "extensions": "延期数",
    "parked": "挂账数",
    "parked_now": "当前挂账数",
    "voided": "作废数",
    "urged": "督办数",
    "avg_close_minutes": "平均结案用时",
    "p90_close_minutes": "90%结案用时",
    "public_share": "公众上报占比",
}


#: Figures that are shares: they compare in percentage points, not in per cent.
RATE_FIGURES = frozenset({"closure_rate", "on_time_rate", "public_share"})


def figure_change(figure: str, a, b) -> float | None:
    """A figure's change from ``b`` to ``a``: rates by difference (percentage points), counts
    and durations relative (per cent); None where there is nothing to compare."""
    if a is None or b is None:
        return None
    if figure in RATE_FIGURES:
        return a - b
    if b == 0:
        return None
    return (a - b) / b


def _sum_select(table, gmap, day_col, lo: date, hi: date, extra_where=()):
    cols = [func.coalesce(func.sum(table.c[c]), 0).label(c) for c in VALUE_COLUMNS]
    q = (
        select(gmap.c.kind, gmap.c.k, *cols)
        .join(gmap, gmap.c.grid_id == table.c.grid_id)
        .where(day_col >= lo, day_col < hi, *extra_where)
        .group_by(gmap.c.kind, gmap.c.k)
    )
    return q


def group_map(session: Session, nodes: list[Node]) -> dict[int, list[tuple[str, int | None]]]:
    """grid id → the keys of the nodes whose subtree holds it (the small grid → region map)."""
    gmap = grid_groups(nodes)
    out: dict[int, list] = defaultdict(list)
    if gmap is None:
        return out
    for gid, kind, k in session.execute(select(gmap.c.grid_id, gmap.c.kind, gmap.c.k)):
        out[gid].append((kind, k if kind != "top" else None))
    return out


def region_map(session: Session, nodes: list[Node]) -> dict[int, list[tuple[str, int | None]]]:
    """region id → the keys of the nodes (the top or regions) whose subtree holds it."""
    out: dict[int, list] = defaultdict(list)
    regions = list(session.execute(select(Region.id, Region.path)))
    for n in nodes:
        for rid, path in regions:
            if n.kind == "top" or (path or "").startswith(n.path):
                out[rid].append((n.kind, n.id))
    return out


def _region_sums(session: Session, parts, rm: dict) -> dict[tuple, dict]:
    """Sums over the region rollups: one pass per part, grouped by region in the database and
    rolled up to the nodes here (a few hundred rows). PostgreSQL maps regions to nodes in the
    query (the array literal), returning one row per node."""
    out: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    pg = is_postgres(session.get_bind())
    simple = all(len(v) == 1 for v in rm.values())
    cols = ", ".join(f"coalesce(sum({c}), 0) AS {c}" for c in VALUE_COLUMNS)
    for table, col, lo, hi in parts:
        where = f"{col} >= DATE '{lo.isoformat()}' AND {col} < DATE '{hi.isoformat()}'" if pg else \
            f"{col} >= '{lo.isoformat()}' AND {col} < '{hi.isoformat()}'"
        if pg and simple and rm:
            keys, arr = _array_map(rm)
            sql = f"SELECT ({arr})[region_id] AS gi, {cols} FROM {table} WHERE {where} GROUP BY 1"
            for row in session.execute(text(sql)).mappings():
                if row["gi"]:
                    acc = out[keys[row["gi"] - 1]]
                    for c in VALUE_COLUMNS:
                        acc[c] += row[c]
            continue
        sql = f"SELECT region_id, {cols} FROM {table} WHERE {where} GROUP BY region_id"
        for row in session.execute(text(sql)).mappings():
            for key in rm.get(row["region_id"], ()):
                acc = out[key]
                for c in VALUE_COLUMNS:
                    acc[c] += row[c]
    return out


def _pg_sums(session: Session, table, day_col: str, lo: date, hi: date, gm: dict, total: int) -> list[tuple]:
    """PostgreSQL: the grid → group map goes in as an integer array indexed by grid id, so the
    rollup rows are grouped by ``map[grid_id]`` with no join (one pass over the period's rows).
    Everything is inlined as literals (integers and ISO dates only): a bound array would be
    re-read for every row once the driver switches to a generic prepared plan."""
    keys, arr = _array_map(gm)
    cols = ", ".join(f"coalesce(sum({c}), 0) AS {c}" for c in VALUE_COLUMNS)
    where = f"{day_col} >= DATE '{lo.isoformat()}' AND {day_col} < DATE '{hi.isoformat()}'"
    if len(gm) < total / 2:  # a small subtree: let the (day, grid) key skip the other grids
        where += " AND grid_id = ANY('{" + ",".join(str(int(g)) for g in sorted(gm)) + "}'::integer[])"
    sql = text(f"SELECT ({arr})[grid_id] AS gi, {cols} FROM {table.name} WHERE {where} GROUP BY 1")
    out = []
    for row in session.execute(sql).mappings():
        gi = row["gi"]
        if gi:
            out.append((keys[gi - 1], row))
    return out


def figures_by_group(
    session: Session, nodes: list[Node], period: Period, *, gm: dict | None = None, rm: dict | None = None
) -> dict[tuple[str, int | None], Figures]:
    """Figures of each node over the period, from the rollups (whole months + edge days)."""
    out: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    if not nodes:
        return {}
    months, edges = _split(period)
    if all(n.kind in ("top", "region") for n in nodes):
        # regions: the region rollups (a tenth of the rows or less); grids hanging directly
        # under a region count for it there as well
        rparts = []
        if months:
            rparts.append(("rollup_region_month", "month", months[0], months[1]))
        for lo, hi in edges:
            rparts.append(("rollup_region_day", "day", lo, hi))
        got = _region_sums(session, rparts, rm if rm is not None else region_map(session, nodes))
        return {(n.kind, n.id): Figures.from_sums(got.get((n.kind, n.id))) for n in nodes}
    parts = []
    if months:
        parts.append((RollupGridMonth.__table__, "month", months[0], months[1]))
    for lo, hi in edges:
        parts.append((RollupCaseDay.__table__, "day", lo, hi))
    if is_postgres(session.get_bind()):
        gm = gm if gm is not None else group_map(session, nodes)
        if gm and all(len(v) == 1 for v in gm.values()):  # nodes do not overlap: the array path
            total = session.execute(select(func.count()).select_from(UnitGrid)).scalar() or 0
            for table, col, lo, hi in parts:
                for key, row in _pg_sums(session, table, col, lo, hi, gm, total):
                    acc = out[key]
                    for c in VALUE_COLUMNS:
                        acc[c] += row[c]
            return {(n.kind, n.id): Figures.from_sums(out.get((n.kind, n.id))) for n in nodes}
    gmap = grid_groups(nodes)
    for table, col, lo, hi in parts:
        for row in session.execute(_sum_select(table, gmap, table.c[col], lo, hi)).mappings():
            acc = out[(row["kind"], row["k"] if row["kind"] != "top" else None)]
            for c in VALUE_COLUMNS:
                acc[c] += row[c]
    return {(n.kind, n.id): Figures.from_sums(out.get((n.kind, n.id))) for n in nodes}


def overdue_by_group(
    session: Session, nodes: list[Node], now: datetime, *, gm: dict | None = None, rm: dict | None = None
) -> dict[tuple[str, int | None], int]:
    """Open, not parked cases whose running stage is overdue now, per node: counted per grid on
    the ``(state, due_at, grid_id)`` index, then rolled up to the nodes through the grid map
    (``rm``, a region map, for nodes that are all regions: counted per region in the database)."""
    if rm is not None:
        got: dict[tuple, int] = defaultdict(int)
        q = (select(UnitGrid.region_id, func.count())
             .select_from(Case).join(UnitGrid, UnitGrid.id == Case.grid_id)
             .where(Case.state.in_(OVERDUE_STATES), Case.due_at < now).group_by(UnitGrid.region_id))
        for rid, n in session.execute(q):
            for key in rm.get(rid, ()):
                got[key] += n
        return {(n.kind, n.id): int(got.get((n.kind, n.id), 0)) for n in nodes}
    gm = gm if gm is not None else group_map(session, nodes)
    got: dict[tuple, int] = defaultdict(int)
    if gm and is_postgres(session.get_bind()) and all(len(v) == 1 for v in gm.values()):
        keys, arr = _array_map(gm)
        states = ", ".join(f"'{st}'" for st in OVERDUE_STATES)
        sql = text(f"SELECT ({arr})[grid_id] AS gi, count(*) FROM cases WHERE state IN ({states}) "
                   f"AND due_at < TIMESTAMP '{now.isoformat(sep=' ')}' GROUP BY 1")
        for gi, n in session.execute(sql):
            if gi:
                got[keys[gi - 1]] += n
    else:
        q = select(Case.grid_id, func.count()).where(Case.state.in_(OVERDUE_STATES), Case.due_at < now).group_by(Case.grid_id)
        for gid, n in session.execute(q):
            for key in gm.get(gid, ()):
                got[key] += n
    return {(n.kind, n.id): int(got.get((n.kind, n.id), 0)) for n in nodes}


def _array_map(gm: dict) -> tuple[list, str]:
    """The group keys, and an SQL integer-array literal mapping grid id → 1-based key index."""
    keys = sorted({ks[0] for ks in gm.values()}, key=lambda k: (k[0], k[1] or 0))
    index = {k: i + 1 for i, k in enumerate(keys)}
    arr = [0] * max(gm)
    for gid, ks in gm.items():
        arr[gid - 1] = index[ks[0]]
    return keys, "'{" + ",".join(map(str, arr)) + "}'::integer[]"


# =========================================================================== drill-down


@dataclass
class DrillRow:
    node: Node
    current: Figures
    yoy: Figures | None = None  # 同比
    prev: Figures | None = None  # 环比

    def change(self, figure: str, against: str = "prev") -> float | None:
        """The change of a figure against 同比 (``"yoy"``) or 环比 (``"prev"``): a rate as the
        difference (percentage points ÷ 100: 0.93 against 0.90 is +0.03), anything else as the
        relative change (per cent ÷ 100)."""
        base = getattr(self, against)
        if base is None:
            return None
        return figure_change(figure, getattr(self.current, figure), getattr(base, figure))


@dataclass
class DrillDown:
    node: Node
    period: Period
    yoy_period: Period
    prev_period: Period
    now: datetime
    rows: list[DrillRow]
    total: DrillRow


def drilldown(
    session: Session,
    node: Node | int | str | None,
    period: Period,
    *,
    now: datetime | None = None,
    comparisons: bool = True,
) -> DrillDown:
    """The children of ``node`` with their figures over ``period``, 同比 and 环比.

    ``total`` is the node itself (the sum of its children; for a grid, the grid). Overdue-now
    is a current figure: it is given for the current period only."""
    now = now or datetime.now()
    node = resolve_node(session, node)
    kids = children(session, node) if node.kind != "grid" else []
    nodes = kids if kids else [node]
    if all(n.kind in ("top", "region") for n in nodes):  # regions: the region rollups, no grid map
        gm, rm = None, region_map(session, nodes)
    else:
        gm, rm = group_map(session, nodes), None
    cur = figures_by_group(session, nodes, period, gm=gm, rm=rm)
    od = overdue_by_group(session, nodes, now, gm=gm, rm=rm)
    for k, f in cur.items():
        f.overdue_now = od.get(k, 0)
    yoy = figures_by_group(session, nodes, period.year_before(), gm=gm, rm=rm) if comparisons else {}
    if not comparisons:
        prev = {}
    elif period.previous() == period.year_before():  # a calendar year: 环比 and 同比 coincide
        prev = {k: Figures.from_sums(None).add(f) for k, f in yoy.items()}
    else:
        prev = figures_by_group(session, nodes, period.previous(), gm=gm, rm=rm)
    rows = [DrillRow(n, cur[n.key], yoy.get(n.key), prev.get(n.key)) for n in nodes]
    if kids:
        tot_cur, tot_yoy, tot_prev = Figures(), Figures(), Figures()
        tot_cur.overdue_now = 0
        for r in rows:
            tot_cur = tot_cur.add(r.current)
            if r.yoy is not None:
                tot_yoy = tot_yoy.add(r.yoy)
            if r.prev is not None:
                tot_prev = tot_prev.add(r.prev)
        total = DrillRow(node, tot_cur, tot_yoy if comparisons else None, tot_prev if comparisons else None)
    else:
        total, rows = rows[0], []
    return DrillDown(node, period, period.year_before(), period.previous(), now, rows, total)


# =========================================================================== the cases behind


def _on_time_expr():
    return or_(
        and_(Case.handled_at.is_not(None), or_(Case.handle_deadline.is_(None), Case.handled_at <= Case.handle_deadline)),
        and_(Case.handled_at.is_(None), or_(Case.close_deadline.is_(None), Case.closed_at <= Case.close_deadline)),
    )


def _filed_expr():
    # filed, or a self-handled case approved (closed without ever being filed)
    return or_(Case.filed_at.is_not(None), and_(Case.state == S.CLOSED.value, Case.filed_at.is_(None)))


def _predicate(figure: str, now: datetime):
    closed = Case.state == S.CLOSED.value
    due = and_(_filed_expr(), Case.state != S.VOIDED.value, Case.state != S.PARKED.value)
    preds = {
        "reported": None,
        "public_reports": Case.source.in_(sorted(rollup.PUBLIC_SOURCES)),
        "public_share": None,
        "filed": _filed_expr(),
        "voided": Case.state == S.VOIDED.value,
        "voided_filed": and_(Case.state == S.VOIDED.value, Case.filed_at.is_not(None)),
        "dispatched": Case.dispatch_count > 0,
        "handled": Case.handled_at.is_not(None),
        "closed": closed,
        "closed_on_time": and_(closed, _on_time_expr()),
        "closed_late": and_(closed, ~_on_time_expr()),
        "on_time_rate": closed,
        "avg_close_minutes": closed,
        "p90_close_minutes": closed,
        "due": due,
        "closure_rate": due,
        "reworks": Case.rework_count > 0,
        "returns": Case.return_count > 0,
        "extensions": Case.extension_count > 0,
        "parked": Case.park_count > 0,
        "parked_now": Case.state == S.PARKED.value,
        "urged": Case.urge_count > 0,
    }
    if figure not in preds:
        raise KeyError(f"unknown figure {figure!r}; one of {sorted(preds) + ['overdue_now']}")
    return preds[figure]


def cases_behind(
    session: Session,
    node: Node | int | str | None,
    period: Period,
    figure: str,
    *,
    now: datetime | None = None,
) -> list[int]:
    """The ids of the cases behind one number of the drill-down (ascending).

    Count figures give exactly their cases; a figure that counts events (reworks, returns,
    extensions, parked, urged) gives the cases with at least one such event; a rate gives the
    cases of its denominator (closure rate → due, on-time rate → closed, public share → reported).
    ``overdue_now`` ignores the period (it is the open cases overdue at ``now``)."""
    now = now or datetime.now()
    node = resolve_node(session, node)
    q = select(Case.id).order_by(Case.id)
    grids = subtree_grid_ids(session, node)
    if grids is not None:
        if not grids:
            return []
        q = q.where(Case.grid_id.in_(grids))
    if figure == "overdue_now":
        q = q.where(Case.state.in_(OVERDUE_STATES), Case.due_at < now)
        return list(session.scalars(q))
    start = datetime.combine(period.start, datetime.min.time())
    end = datetime.combine(period.end, datetime.min.time())
    q = q.where(Case.reported_at >= start, Case.reported_at < end)
    pred = _predicate(figure, now)
    if pred is not None:
        q = q.where(pred)
    return list(session.scalars(q))
