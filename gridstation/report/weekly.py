"""The weekly review (周报): the plain data of the printed review handed round at the Monday
meeting: headline figures with 同比/环比, rankings of streets and departments, early
warnings, the longest overdue and parked cases, notable cases. ``app.report.weekly`` draws it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from gridstation.analytics import early_warning, evaluation
from gridstation.analytics.drilldown import OVERDUE_STATES, S, Figures, figure_change, figures_by_group, overdue_by_group
from gridstation.analytics.model import RollupCaseDay
from gridstation.analytics.scope import Node, Period, subtree_grid_ids, _levels, iso_week_period, resolve_node
from gridstation.store.model import Case, CaseEvent, Category, Department, UnitGrid



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


def previous_iso_week(today: date | None = None) -> str:
    d = (today or date.today()) - timedelta(days=7)
    y, w, _ = d.isocalendar()
    return f"{y}-W{w:02d}"



# A printed list longer than this helps nobody at a meeting: the longest ones, and the count.
LIST_LIMIT = 50


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
        change[k] = figure_change(k, getattr(cur_f, k), getattr(prev_f, k))  # rates in points

    grids = subtree_grid_ids(session, scope)
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
