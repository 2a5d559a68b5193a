"""What a figure is asked for: the period (``Period``, ``[start, end)`` in days, with 同比 and
环比) and the node of the region hierarchy (``Node``: the top, a region of any level, or a
unit grid), resolving a node from an id or a code, its children, and the grids under nodes.

Below drill-down, evaluation and early warning, which all take these; it imports only the
base model.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from gridstation.store.model import Region, RegionLevel, UnitGrid

# =========================================================================== periods


#: Calendar units a period can be (a part of): 本日, 本周, 本月, 本季, 本年.
UNITS = ("day", "week", "month", "quarter", "year")
_UNIT_MONTHS = {"month": 1, "quarter": 3, "year": 12}


@dataclass(frozen=True)
class Period:
    """A half-open period of days ``[start, end)``.

    ``unit`` says which calendar unit the period is, or the part of it so far (本月至今 is
    ``unit="month"`` from the 1st to today): the comparisons are then the same span of the
    unit before (上月同期) and of the year before (去年同期). It does not take part in equality."""

    start: date
    end: date
    unit: str | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"empty period {self.start} .. {self.end}")
        if self.unit is not None and self.unit not in UNITS:
            raise ValueError(f"unknown calendar unit {self.unit!r}; one of {UNITS}")

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last(self) -> date:
        """The last day (inclusive)."""
        return self.end - timedelta(days=1)

    @property
    def whole_unit(self) -> bool:
        """The period is a whole calendar unit (not the part of one so far)."""
        return self.unit is not None and self.end == unit_end(self.unit, self.start)

    @property
    def to_date(self) -> bool:
        """The period is a calendar unit from its first day up to a day before its end (…至今)."""
        return self.unit is not None and not self.whole_unit

    def year_before(self) -> Period:
        """同比: the same days one year earlier (29 February becomes 28 February); a whole unit
        against the whole unit a year earlier (all of February 2024 against all of February 2023)."""
        start = _minus_year(self.start)
        if self.whole_unit and self.unit in _UNIT_MONTHS:
            return Period(start, unit_end(self.unit, start), self.unit)
        return Period(start, _minus_year(self.last) + timedelta(days=1), self.unit)

    @property
    def whole_months(self) -> int | None:
        """The number of calendar months if the period is whole months, else None."""
        if self.start.day != 1 or self.end.day != 1:
            return None
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month

    def previous(self) -> Period:
        """环比: the span to compare with just before.

        A calendar unit or the part of it so far: the unit before over the same span (本月至今
        1–4 December against 1–4 November, 本周至今 Monday–Thursday against last Monday–Thursday;
        the last day is moved back by the unit and clamped to the unit before, so 1–30 March
        compares with all of February). Otherwise a period of whole months against as many
        calendar months before, anything else against as many days before."""
        if self.unit is not None:
            start = unit_add(self.unit, self.start, -1)
            if self.whole_unit:
                return Period(start, self.start, self.unit)
            last = min(_shift(self.unit, self.last, -1), self.start - timedelta(days=1))
            return Period(start, last + timedelta(days=1), self.unit)
        months = self.whole_months
        if months:
            return Period(month_add(self.start, -months), self.start)
        return Period(self.start - timedelta(days=self.days), self.start)

    def shifted(self, days: int) -> Period:
        return Period(self.start + timedelta(days=days), self.end + timedelta(days=days))

    def __str__(self) -> str:
        return f"{self.start.isoformat()} .. {self.end.isoformat()}"

    def span_text(self) -> str:
        """The days it covers, both ends included: ``2026-12-01 – 2026-12-04`` (one day: the day)."""
        if self.days == 1:
            return self.start.isoformat()
        return f"{self.start.isoformat()} – {self.last.isoformat()}"


def _minus_year(d: date) -> date:
    try:
        return d.replace(year=d.year - 1)
    except ValueError:  # 29 February
        return d.replace(year=d.year - 1, day=28)


def _shift(unit: str, d: date, n: int) -> date:
    """``d`` moved by ``n`` units, the day of the month clamped (31 March − 1 month = 28/29 February)."""
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(days=7 * n)
    first = month_add(d.replace(day=1), n * _UNIT_MONTHS[unit])
    return first.replace(day=min(d.day, calendar.monthrange(first.year, first.month)[1]))


def unit_start(unit: str, d: date) -> date:
    """The first day of the calendar unit holding ``d`` (weeks start on Monday)."""
    if unit == "day":
        return d
    if unit == "week":
        return d - timedelta(days=d.weekday())
    if unit == "month":
        return d.replace(day=1)
    if unit == "quarter":
        return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)
    if unit == "year":
        return date(d.year, 1, 1)
    raise ValueError(f"unknown calendar unit {unit!r}; one of {UNITS}")


def unit_add(unit: str, start: date, n: int) -> date:
    """The first day of the unit ``n`` units after the one starting on ``start``."""
    if unit in ("day", "week"):
        return start + timedelta(days=n * (1 if unit == "day" else 7))
    return month_add(start, n * _UNIT_MONTHS[unit])


def unit_end(unit: str, d: date) -> date:
    """The day after the calendar unit holding ``d``."""
    return unit_add(unit, unit_start(unit, d), 1)


def whole_unit(unit: str, d: date) -> Period:
    """The whole calendar unit holding ``d`` (本月 = the whole month)."""
    s = unit_start(unit, d)
    return Period(s, unit_add(unit, s, 1), unit)


def unit_to_date(unit: str, today: date) -> Period:
    """本周/本月/本季/本年至今: from the unit's first day up to and including ``today``."""
    return Period(unit_start(unit, today), today + timedelta(days=1), unit)


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
    return Period(monday, monday + timedelta(days=7), "week")


def month_add(d: date, n: int = 1) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _split(period: Period) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """Whole months inside the period (read from the month table) and the days left over."""
    first = period.start if period.start.day == 1 else month_add(period.start.replace(day=1))
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


def subtree_grid_ids(session: Session, node: Node) -> list[int] | None:
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
