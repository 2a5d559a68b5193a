"""Background work of the analytics window (no Qt): plain data in, plain data out.

Every function takes a fresh session (one per background job) and returns dataclasses, lists
and dicts, never ORM objects."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from gridstation.analytics import drilldown as dd
from gridstation.analytics import early_warning
from gridstation.analytics import evaluation
from gridstation.store.model import Case, CaseEvent, CaseState, Category, RegionLevel, UnitGrid
from gridstation.analytics.model import RollupCaseDay


def levels(session: Session) -> list[tuple[int, str, str]]:
    """(depth, key, name) of the configured region levels."""
    return [(lv.depth, lv.key, lv.name) for lv in session.scalars(select(RegionLevel).order_by(RegionLevel.depth))]


def breadcrumb(session: Session, node: dd.Node) -> list[dd.Node]:
    """The nodes from the top down to ``node`` (both included)."""
    out = [dd.TOP]
    if node.kind == "top":
        return out
    ids = [int(p) for p in node.path.strip("/").split("/") if p]
    for rid in ids:
        out.append(dd.resolve_node(session, rid))
    if node.kind == "grid":
        out.append(node)
    return out


@dataclass
class DrillData:
    drill: dd.DrillDown
    crumbs: list[dd.Node]
    warnings: early_warning.Warnings | None
    level_names: dict[str, str] = field(default_factory=dict)  # region level key → its name


def load_drill(session: Session, node: dd.Node | None, period: dd.Period, now: datetime) -> DrillData:
    node = dd.resolve_node(session, node)
    d = dd.drilldown(session, node, period, now=now)
    try:
        w = early_warning.detect(session, period, scope=node)
    except Exception:  # noqa: BLE001 - warnings are a side list; never block the table
        w = None
    return DrillData(d, breadcrumb(session, node), w, {key: name for _, key, name in levels(session)})


@dataclass
class CaseLine:
    id: int
    number: str
    category: str
    grid: str
    state: str
    reported_at: datetime


def case_lines(session: Session, ids: list[int]) -> list[CaseLine]:
    out: list[CaseLine] = []
    for i in range(0, len(ids), 900):
        chunk = ids[i:i + 900]
        q = (
            select(Case.id, Case.number, Category.name, UnitGrid.code, Case.state, Case.reported_at)
            .outerjoin(Category, Category.id == Case.category_id)
            .outerjoin(UnitGrid, UnitGrid.id == Case.grid_id)
            .where(Case.id.in_(chunk))
        )
        out += [CaseLine(r[0], r[1], r[2] or "", r[3] or "", r[4], r[5]) for r in session.execute(q)]
    out.sort(key=lambda c: c.id)
    return out


def export_ids(session: Session, ids: list[int], path: str) -> int:
    from gridstation.exchange.exporters import export_cases

    return export_cases(session, path, ids=ids)


# ------------------------------------------------------------------------------ charts


@dataclass
class ChartData:
    node: dd.Node
    period: dd.Period
    days: list[date] = field(default_factory=list)
    reported: list[int] = field(default_factory=list)
    closed: list[int] = field(default_factory=list)
    weeks: list[dd.Period] = field(default_factory=list)
    on_time: list[float | None] = field(default_factory=list)
    categories: list[tuple[int, str, int]] = field(default_factory=list)  # id, name, count
    departments: list[tuple[int, str, float, str | None]] = field(default_factory=list)  # id, name, score, grade
    buckets: list[tuple[str, list[int]]] = field(default_factory=list)  # label, case ids
    heat: list[list[int]] = field(default_factory=list)  # [weekday][hour]


def _close_events(grids, lo: datetime, hi: datetime):
    q = (
        select(CaseEvent.case_id, CaseEvent.at)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(
            CaseEvent.at >= lo, CaseEvent.at < hi,
            or_(CaseEvent.action == "close",
                and_(CaseEvent.action == "review_self", CaseEvent.to_state == CaseState.CLOSED.value)),
        )
    )
    if grids is not None:
        q = q.where(Case.grid_id.in_(grids or [-1]))
    return q


def _dt(d: date) -> datetime:
    return datetime.combine(d, datetime.min.time())


BUCKETS = ((0, 1, "< 1 day"), (1, 3, "1–3 days"), (3, 7, "3–7 days"), (7, 30, "7–30 days"), (30, None, "> 30 days"))


def load_charts(session: Session, node: dd.Node | None, period: dd.Period, now: datetime) -> ChartData:
    node = dd.resolve_node(session, node)
    grids = dd.subtree_grid_ids(session, node)
    out = ChartData(node, period)
    t = RollupCaseDay.__table__
    # reported (cohort, from the rollup) and closed (close events of the day) per day
    q = select(t.c.day, func.sum(t.c.reported)).where(t.c.day >= period.start, t.c.day < period.end)
    if grids is not None:
        q = q.where(t.c.grid_id.in_(grids or [-1]))
    rep = {(d if isinstance(d, date) else date.fromisoformat(str(d))): int(n or 0) for d, n in session.execute(q.group_by(t.c.day))}
    # days after today have nothing yet: they are not drawn (a custom range may reach past today)
    shown = min(period.days, max(0, (now.date() + timedelta(days=1) - period.start).days))
    closed = Counter(at.date() for _, at in session.execute(_close_events(grids, _dt(period.start), _dt(period.end))))
    out.days = [period.start + timedelta(days=i) for i in range(shown)]
    out.reported = [rep.get(d, 0) for d in out.days]
    out.closed = [closed.get(d, 0) for d in out.days]
    # on-time closure rate, the 12 weeks up to the period's end
    last = min(period.end - timedelta(days=1), max(now.date(), period.start))
    monday = last - timedelta(days=last.weekday())  # the week holding the period's last day
    for w in range(11, -1, -1):
        start = monday - timedelta(days=7 * w)
        p = dd.Period(start, start + timedelta(days=7))
        f = dd.figures_by_group(session, [node], p)[node.key]
        out.weeks.append(p)
        out.on_time.append(f.on_time_rate)
    # top categories (reported in the period)
    q = select(t.c.category_id, func.sum(t.c.reported)).where(t.c.day >= period.start, t.c.day < period.end)
    if grids is not None:
        q = q.where(t.c.grid_id.in_(grids or [-1]))
    names = dict(session.execute(select(Category.id, Category.name)).all())
    # category 0: not classified yet (reported, not filed): the chart names it (未分类), never "—"
    cats = [(k, names.get(k, "") if k else "", int(v or 0)) for k, v in session.execute(q.group_by(t.c.category_id)) if v]
    cats.sort(key=lambda c: (-c[2], c[0] or 0))
    out.categories = cats[:10]
    # department ranking (composite score)
    res = evaluation.evaluate_departments(session, period, now=now)
    deps = [(r.id, r.name, r.score, r.grade) for r in res.rows if r.score is not None]
    deps.sort(key=lambda r: -r[2])
    out.departments = deps[:12]
    # overdue age buckets: open cases overdue now
    q = select(Case.id, Case.due_at).where(Case.state.in_(dd.OVERDUE_STATES), Case.due_at < now)
    if grids is not None:
        q = q.where(Case.grid_id.in_(grids or [-1]))
    b: dict[int, list[int]] = defaultdict(list)
    for cid, due in session.execute(q):
        age = (now - due).total_seconds() / 86400
        for i, (lo, hi, _) in enumerate(BUCKETS):
            if age >= lo and (hi is None or age < hi):
                b[i].append(cid)
                break
    out.buckets = [(label, sorted(b.get(i, []))) for i, (_, _, label) in enumerate(BUCKETS)]
    # hour-of-week load (reports in the period)
    heat = [[0] * 24 for _ in range(7)]
    q = select(Case.reported_at).where(Case.reported_at >= _dt(period.start), Case.reported_at < _dt(period.end))
    if grids is not None:
        q = q.where(Case.grid_id.in_(grids or [-1]))
    for (at,) in session.execute(q):
        heat[at.weekday()][at.hour] += 1
    out.heat = heat
    return out


def closed_on(session: Session, node: dd.Node, day: date) -> list[int]:
    grids = dd.subtree_grid_ids(session, node)
    ids = {cid for cid, _ in session.execute(_close_events(grids, _dt(day), _dt(day + timedelta(days=1))))}
    return sorted(ids)


def category_cases(session: Session, node: dd.Node, period: dd.Period, category_id: int | None) -> list[int]:
    grids = dd.subtree_grid_ids(session, node)
    q = select(Case.id).where(Case.reported_at >= _dt(period.start), Case.reported_at < _dt(period.end))
    if not category_id:  # not classified: no category, or not filed (the rollup's category 0)
        q = q.where(or_(Case.category_id.is_(None), ~dd._filed_expr()))
    else:
        q = q.where(Case.category_id == category_id, dd._filed_expr())
    if grids is not None:
        q = q.where(Case.grid_id.in_(grids or [-1]))
    return list(session.scalars(q.order_by(Case.id)))


def hour_cases(session: Session, node: dd.Node, period: dd.Period, weekday: int, hour: int) -> list[int]:
    grids = dd.subtree_grid_ids(session, node)
    q = select(Case.id, Case.reported_at).where(Case.reported_at >= _dt(period.start), Case.reported_at < _dt(period.end))
    if grids is not None:
        q = q.where(Case.grid_id.in_(grids or [-1]))
    return sorted(cid for cid, at in session.execute(q) if at.weekday() == weekday and at.hour == hour)


def region_node_for(session: Session, level: str, obj_id: int) -> dd.Node:
    if level == "grid":
        return dd.resolve_node(session, f"grid:{obj_id}")
    return dd.resolve_node(session, obj_id)

