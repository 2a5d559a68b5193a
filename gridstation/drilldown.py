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
(an indexed query on cases for that one cell) and ``export_cases_behind`` writes them to .xlsx.

``weekly_review`` assembles the plain data of the weekly review (周报).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import and_, func, literal, or_, select, text, union_all
from sqlalchemy.orm import Session, aliased

from . import rollup
from .db import is_postgres
from .model import Case, CaseEvent, CaseState, Category, Department, Region, RegionLevel, UnitGrid
from .model_analytics import CASE_COUNTERS, HIST_COLUMNS, RollupCaseDay, RollupGridMonth

__all__ = [
    "FIGURES",
    "DrillDown",
    "DrillRow",
    "Figures",
    "Node",
    "Period",
    "WeeklyReview",
    "cases_behind",
    "children",
    "drilldown",
    "export_cases_behind",
    "figures_by_group",
    "grid_groups",
    "iso_week_period",
    "resolve_node",
    "weekly_review",
]

S = CaseState
#: Open states whose running stage can be overdue (parked cases are set aside: their clock stands).
OVERDUE_STATES = tuple(s.value for s in S if s not in (S.CLOSED, S.VOIDED, S.PARKED))
VALUE_COLUMNS = rollup.CASE_VALUE_COLUMNS


# =========================================================================== periods


@dataclass(frozen=True)
class Period:
    """A half-open period of days ``[start, end)``."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"empty period {self.start} .. {self.end}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def year_before(self) -> Period:
        """同比: the same dates one year earlier (29 February becomes 28 February)."""
        return Period(_minus_year(self.start), _minus_year(self.end))

    @property
    def whole_months(self) -> int | None:
        """The number of calendar months if the period is whole months, else None."""
        if self.start.day != 1 or self.end.day != 1:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    def previous(self) -> Period:
        """环比: the period of the same length just before: as many calendar months before for a
        period of whole months (a month against the month before, a year against the year
        before), else as many days before."""
        months = self.whole_months
        if months:
            return Period(_month_add(self.start, -months), self.start)
        return Period(self.start - timedelta(days=self.days), self.start)

    def shifted(self, days: int) -> Period:
        return Period(self.start + timedelta(days=days), self.end + timedelta(days=days))

    def __str__(self) -> str:
        return f"{self.start.isoformat()} .. {self.end.isoformat()}"


def _minus_year(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def iso_week_period(week: str | tuple[int, int]) -> Period:
    """``"2026-W10"`` (or ``(2026, 10)``) as the period Monday .. next Monday."""
    if isinstance(week, str):
        m = re.fullmatch(r"(\d{4})-?W(\d{1,2})", week.strip(), re.IGNORECASE)
        if not m:
            raise ValueError(f"not an ISO week: {week!r} (use e.g. 2026-W10)")
        year, wk = int(m.group(1)), int(m.group(2))
    else:
        year, wk = week
    monday = date.fromisocalendar(year, wk, 1)
    return Period(monday, monday + timedelta(days=7))


def _month_add(d: date, n: int = 1) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _split(period: Period) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """Whole months inside the period (read from the month table) and the days left over."""
    first = period.start if period.start.day == 1 else _month_add(period.start.replace(day=1))
    last = period.end.replace(day=1)  # months end before this one
    if first >= last:
        return None, [(period.start, period.end)]
    edges = []
    if period.start < first:
        edges.append((period.start, first))
    if last < period.end:
        edges.append((last, period.end))
    return (first, last), edges


# =========================================================================== nodes


@dataclass(frozen=True)
class Node:
    """A node of the drill-down: the top (``kind="top"``), a region, or a unit grid."""

    kind: str  # "top" | "region" | "grid"
    id: int | None
    code: str
    name: str
    depth: int  # region depth; grids one below their region; the top 0
    level: str  # region_level key, "grid" or "top"
    path: str = "/"  # the region's materialised path (a grid: its region's)

    @property
    def key(self) -> tuple[str, int | None]:
        return (self.kind, self.id)


TOP = Node("top", None, "", "全部", 0, "top", "/")


def _region_node(r: Region, levels: dict[int, str]) -> Node:
    return Node("region", r.id, r.code, r.name, r.depth, levels.get(r.depth, str(r.depth)), r.path)


def _levels(session: Session) -> dict[int, str]:
    return {lv.depth: lv.key for lv in session.scalars(select(RegionLevel))}


def resolve_node(session: Session, node: Node | int | str | None) -> Node:
    """None → the top; a Node as it is; an int → a region id; a string → a region code, else a
    grid code (the current grid of that code), or ``"grid:<id>"``."""
    if node is None:
        return TOP
    if isinstance(node, Node):
        return node
    levels = _levels(session)
    if isinstance(node, int):
        r = session.get(Region, node)
        if r is None:
            raise LookupError(f"no region with id {node}")
        return _region_node(r, levels)
    text = str(node).strip()
    if text.startswith("grid:"):
        g = session.get(UnitGrid, int(text[5:]))
        if g is None:
            raise LookupError(f"no grid {text}")
        return _grid_node(session, g)
    r = session.scalar(select(Region).where(Region.code == text))
    if r is not None:
        return _region_node(r, levels)
    g = session.scalar(select(UnitGrid).where(UnitGrid.code == text).order_by(UnitGrid.valid_to.is_not(None), UnitGrid.id.desc()))
    if g is not None:
        return _grid_node(session, g)
    raise LookupError(f"no region or grid with code {text!r}")


def _grid_node(session: Session, g: UnitGrid) -> Node:
    r = session.get(Region, g.region_id)
    return Node("grid", g.id, g.code, g.name or g.code, (r.depth if r else 0) + 1, "grid", r.path if r else "/")


def children(session: Session, node: Node) -> list[Node]:
    """Child regions (by code), then the grids hanging directly under the node (by code)."""
    levels = _levels(session)
    if node.kind == "grid":
        return []
    q = select(Region).order_by(Region.code)
    q = q.where(Region.parent_id.is_(None)) if node.kind == "top" else q.where(Region.parent_id == node.id)
    out = [_region_node(r, levels) for r in session.scalars(q)]
    if node.kind == "region":
        for g in session.scalars(select(UnitGrid).where(UnitGrid.region_id == node.id).order_by(UnitGrid.code, UnitGrid.id)):
            out.append(Node("grid", g.id, g.code, g.name or g.code, node.depth + 1, "grid", node.path))
    return out


# =========================================================================== grid → group maps


def grid_groups(nodes: list[Node]):
    """A selectable (grid_id, kind, k): each grid of each node's subtree, labelled with the node.

    Region subtrees are matched on the materialised path (``region.path LIKE node.path || '%'``)
    over the small unit_grid ⋈ region tables, so the rollups are joined to a few thousand map
    rows and never to cases. Overlapping nodes are fine (a grid then counts for each)."""
    parts = []
    region_ids = [n.id for n in nodes if n.kind == "region"]
    grid_ids = [n.id for n in nodes if n.kind == "grid"]
    if any(n.kind == "top" for n in nodes):
        parts.append(select(UnitGrid.id.label("grid_id"), literal("top").label("kind"), literal(0).label("k")))
    if region_ids:
        r, c = aliased(Region), aliased(Region)
        parts.append(
            select(UnitGrid.id.label("grid_id"), literal("region").label("kind"), c.id.label("k"))
            .join(r, r.id == UnitGrid.region_id)
            .join(c, and_(c.id.in_(region_ids), r.path.like(c.path + "%")))
        )
    if grid_ids:
        parts.append(
            select(UnitGrid.id.label("grid_id"), literal("grid").label("kind"), UnitGrid.id.label("k"))
            .where(UnitGrid.id.in_(grid_ids))
        )
    if not parts:
        return None
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("gmap")


def _grid_ids(session: Session, node: Node) -> list[int] | None:
    """The grids of a node's subtree (None: every grid)."""
    if node.kind == "top":
        return None
    if node.kind == "grid":
        return [node.id]
    return list(
        session.scalars(
            select(UnitGrid.id).join(Region, Region.id == UnitGrid.region_id).where(Region.path.like(node.path + "%"))
        )
    )


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
    session: Session, nodes: list[Node], period: Period, *, gm: dict | None = None
) -> dict[tuple[str, int | None], Figures]:
    """Figures of each node over the period, from the rollups (whole months + edge days)."""
    out: dict[tuple, dict] = defaultdict(lambda: defaultdict(float))
    if not nodes:
        return {}
    months, edges = _split(period)
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
    session: Session, nodes: list[Node], now: datetime, *, gm: dict | None = None
) -> dict[tuple[str, int | None], int]:
    """Open, not parked cases whose running stage is overdue now, per node: counted per grid on
    the ``(state, due_at)`` index, then rolled up to the nodes through the grid map."""
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
        """Relative change of a figure against 同比 (``"yoy"``) or 环比 (``"prev"``)."""
        base = getattr(self, against)
        if base is None:
            return None
        a, b = getattr(self.current, figure), getattr(base, figure)
        if a is None or b is None or b == 0:
            return None
        return (a - b) / b


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
    gm = group_map(session, nodes)
    cur = figures_by_group(session, nodes, period, gm=gm)
    od = overdue_by_group(session, nodes, now, gm=gm)
    for k, f in cur.items():
        f.overdue_now = od.get(k, 0)
    yoy = figures_by_group(session, nodes, period.year_before(), gm=gm) if comparisons else {}
    if not comparisons:
        prev = {}
    elif period.previous() == period.year_before():  # a calendar year: 环比 and 同比 coincide
        prev = {k: Figures.from_sums(None).add(f) for k, f in yoy.items()}
    else:
        prev = figures_by_group(session, nodes, period.previous(), gm=gm)
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
    grids = _grid_ids(session, node)
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


def export_cases_behind(
    session: Session,
    node: Node | int | str | None,
    period: Period,
    figure: str,
    path: str | Path,
    *,
    now: datetime | None = None,
) -> int:
    """Write the cases behind a number to .xlsx (or .csv); returns how many."""
    ids = cases_behind(session, node, period, figure, now=now)
    try:
        from .exporters import export_cases
    except ImportError:  # pragma: no cover - the exporters module is part of the package
        return _export_local(session, ids, Path(path))
    return export_cases(session, path, ids=ids)


def _export_local(session: Session, ids: list[int], path: Path) -> int:  # pragma: no cover
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["案件编号", "状态", "上报时间", "结案时间"])
    for c in session.scalars(select(Case).where(Case.id.in_(ids)).order_by(Case.id)):
        ws.append([c.number, c.state, c.reported_at, c.closed_at])
    wb.save(path)
    return len(ids)


# =========================================================================== weekly review


@dataclass
class Ranked:
    key: str
    name: str
    value: float | int | None
    previous: float | int | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class CaseNote:
    case_id: int
    number: str
    state: str
    category: str
    grid: str
    department: str
    reported_at: datetime
    due_at: datetime | None
    overdue_minutes: float | None = None
    urge_count: int = 0
    bounces: int = 0
    note: str = ""


@dataclass
class WeeklyReview:
    """The plain data of a weekly review (周报); a renderer turns it into a PDF."""

    scope: Node
    week: str
    period: Period
    now: datetime
    headline: Figures
    previous: Figures
    change: dict[str, float | None]
    daily: list[dict]  # {"day", "reported", "closed"}: reported (cohort) vs closed that day
    on_time_trend: list[dict]  # the last 8 weeks: {"week", "closed", "closed_on_time", "rate"}
    top_categories: list[Ranked]
    top_grids: list[Ranked]
    street_ranking: list[Ranked]
    department_ranking: list[Ranked]
    warnings: object  # early_warning.Warnings
    overdue: list[CaseNote]
    parked: list[CaseNote]
    most_urged: list[CaseNote]
    most_bounced: list[CaseNote]
    longest_overdue: list[CaseNote]
    overdue_total: int = 0  # the lists above hold the LIST_LIMIT longest; these are all of them
    parked_total: int = 0


# A printed list longer than this helps nobody at a meeting: the longest ones, and the count.
LIST_LIMIT = 50


def _rel(a, b):
    if a is None or b is None or not b:
        return None
    return (a - b) / b


def _case_notes(session: Session, ids: list[int], now: datetime, limit: int | None = None) -> list[CaseNote]:
    if not ids:
        return []
    cat_names = dict(session.execute(select(Category.id, Category.name)).all())
    dept_names = dict(session.execute(select(Department.id, Department.name)).all())
    grid_codes = {}
    out = []
    rows = []
    for i in range(0, len(ids), 900):
        rows += list(session.scalars(select(Case).where(Case.id.in_(ids[i:i + 900]))))
    by_id = {c.id: c for c in rows}
    for cid in ids:
        c = by_id.get(cid)
        if c is None:
            continue
        if c.grid_id not in grid_codes:
            grid_codes[c.grid_id] = session.scalar(select(UnitGrid.code).where(UnitGrid.id == c.grid_id)) or ""
        od = None
        if c.due_at is not None and c.state in OVERDUE_STATES and c.due_at < now:
            od = (now - c.due_at).total_seconds() / 60.0
        out.append(CaseNote(
            c.id, c.number, c.state, cat_names.get(c.category_id, ""), grid_codes[c.grid_id],
            dept_names.get(c.current_department_id, ""), c.reported_at, c.due_at, od, c.urge_count or 0,
            (c.return_count or 0) + max(0, (c.dispatch_count or 0) - 1 - (c.rework_count or 0)),
        ))
        if limit is not None and len(out) >= limit:
            break
    return out


def weekly_review(
    session: Session,
    region_code: str | None,
    iso_week: str | tuple[int, int],
    *,
    now: datetime | None = None,
    top: int = 10,
) -> WeeklyReview:
    """Everything the weekly review shows for a region (None: the whole city) and ISO week."""
    from . import early_warning, evaluation

    now = now or datetime.now()
    period = iso_week_period(iso_week)
    week = f"{period.start.isocalendar()[0]}-W{period.start.isocalendar()[1]:02d}"
    scope = resolve_node(session, region_code)
    prev = period.previous()
    cur_f = figures_by_group(session, [scope], period)[scope.key]
    cur_f.overdue_now = overdue_by_group(session, [scope], now)[scope.key]
    prev_f = figures_by_group(session, [scope], prev)[scope.key]
    change = {}
    for k in ("reported", "filed", "closed", "closure_rate", "on_time_rate", "avg_close_minutes", "public_share",
              "reworks", "returns"):
        change[k] = _rel(getattr(cur_f, k), getattr(prev_f, k))

    grids = _grid_ids(session, scope)
    # daily: reported (rollup cohort) vs closed that day (close events of the day, in scope)
    daily = []
    for i in range(7):
        d = period.start + timedelta(days=i)
        f = figures_by_group(session, [scope], Period(d, d + timedelta(days=1)))[scope.key]
        daily.append({"day": d, "reported": f.reported, "closed": 0})
    cq = (
        select(CaseEvent.at)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(
            CaseEvent.at >= datetime.combine(period.start, datetime.min.time()),
            CaseEvent.at < datetime.combine(period.end, datetime.min.time()),
            or_(CaseEvent.action == "close", and_(CaseEvent.action == "review_self", CaseEvent.to_state == S.CLOSED.value)),
        )
    )
    if grids is not None:
        cq = cq.where(Case.grid_id.in_(grids or [-1]))
    for (at,) in session.execute(cq):
        daily[(at.date() - period.start).days]["closed"] += 1

    trend = []
    for w in range(7, -1, -1):
        p = period.shifted(-7 * w)
        f = figures_by_group(session, [scope], p)[scope.key]
        iso = p.start.isocalendar()
        trend.append({"week": f"{iso[0]}-W{iso[1]:02d}", "closed": f.closed, "closed_on_time": f.closed_on_time,
                      "rate": f.on_time_rate})

    # top categories and grids (reported in the week, against the week before)
    def by_category(p: Period) -> dict[int, int]:
        t = RollupCaseDay.__table__
        q = select(t.c.category_id, func.sum(t.c.reported)).where(t.c.day >= p.start, t.c.day < p.end)
        if grids is not None:
            q = q.where(t.c.grid_id.in_(grids or [-1]))
        return {k: int(v or 0) for k, v in session.execute(q.group_by(t.c.category_id))}

    cur_c, prev_c = by_category(period), by_category(prev)
    cat_names = dict(session.execute(select(Category.id, Category.name)).all())
    top_categories = [
        Ranked(str(k), cat_names.get(k, "未分类"), v, prev_c.get(k, 0))
        for k, v in sorted(cur_c.items(), key=lambda kv: (-kv[1], kv[0]))
        if v > 0
    ][:top]

    def by_grid(p: Period) -> dict[int, int]:
        t = RollupCaseDay.__table__
        q = select(t.c.grid_id, func.sum(t.c.reported)).where(t.c.day >= p.start, t.c.day < p.end)
        if grids is not None:
            q = q.where(t.c.grid_id.in_(grids or [-1]))
        return {k: int(v or 0) for k, v in session.execute(q.group_by(t.c.grid_id))}

    cur_g, prev_g = by_grid(period), by_grid(prev)
    gcodes = dict(session.execute(select(UnitGrid.id, UnitGrid.code)).all())
    gnames = dict(session.execute(select(UnitGrid.id, UnitGrid.name)).all())
    top_grids = [
        Ranked(gcodes.get(k, str(k)), gnames.get(k, ""), v, prev_g.get(k, 0))
        for k, v in sorted(cur_g.items(), key=lambda kv: (-kv[1], kv[0]))
        if v > 0
    ][:top]

    # rankings: streets (the level named "street", else the level above communities) and departments
    levels = _levels(session)
    street_level = "street" if "street" in levels.values() else (levels.get(max(levels) - 1) if len(levels) > 1 else None)
    street_ranking: list[Ranked] = []
    if street_level:
        for r in evaluation.evaluate_regions(session, period, street_level, within=scope, now=now).rows:
            street_ranking.append(Ranked(r.code, r.name, r.score, None, {"grade": r.grade, **r.values}))
    street_ranking.sort(key=lambda x: (x.value is None, -(x.value or 0), x.key))
    department_ranking = [
        Ranked(r.code, r.name, r.score, None, {"grade": r.grade, **r.values})
        for r in evaluation.evaluate_departments(session, period, now=now).rows
    ]
    department_ranking.sort(key=lambda x: (x.value is None, -(x.value or 0), x.key))

    warnings = early_warning.detect(session, period, scope=scope)

    # lists from the open cases of the scope
    q = select(Case.id).where(Case.state.in_(OVERDUE_STATES), Case.due_at < now)
    if grids is not None:
        q = q.where(Case.grid_id.in_(grids or [-1]))
    overdue_total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    overdue_ids = list(session.scalars(q.order_by(Case.due_at, Case.id).limit(LIST_LIMIT)))
    q = select(Case.id).where(Case.state == S.PARKED.value)
    if grids is not None:
        q = q.where(Case.grid_id.in_(grids or [-1]))
    parked_total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    parked_ids = list(session.scalars(q.order_by(Case.parked_at, Case.id).limit(LIST_LIMIT)))
    start = datetime.combine(period.start, datetime.min.time())
    end = datetime.combine(period.end, datetime.min.time())
    uq = (
        select(CaseEvent.case_id, func.count())
        .join(Case, Case.id == CaseEvent.case_id)
        .where(CaseEvent.action == "urge", CaseEvent.at >= start, CaseEvent.at < end)
        .group_by(CaseEvent.case_id)
    )
    if grids is not None:
        uq = uq.where(Case.grid_id.in_(grids or [-1]))
    urged = sorted(session.execute(uq).all(), key=lambda r: (-r[1], r[0]))[:5]
    bounced = [b.case_id for b in warnings.bounces][:5]
    return WeeklyReview(
        scope=scope,
        week=week,
        period=period,
        now=now,
        headline=cur_f,
        previous=prev_f,
        change=change,
        daily=daily,
        on_time_trend=trend,
        top_categories=top_categories,
        top_grids=top_grids,
        street_ranking=street_ranking,
        department_ranking=department_ranking,
        warnings=warnings,
        overdue=_case_notes(session, overdue_ids, now),
        parked=_case_notes(session, parked_ids, now),
        most_urged=_case_notes(session, [cid for cid, _ in urged], now),
        most_bounced=_case_notes(session, bounced, now),
        longest_overdue=_case_notes(session, overdue_ids[:5], now),
        overdue_total=overdue_total,
        parked_total=parked_total,
    )
