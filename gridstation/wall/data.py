"""What the wall shows, as plain data (Qt-free; every function takes a read session and
``now``, the workstation clock, and is cheap enough to run every minute on a city of
10 million cases with the indexes of revision 0003)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, and_, func, or_, select
from sqlalchemy import case as sql_case

from gridstation.analytics.drilldown import OVERDUE_STATES, Node, Period, drilldown, overdue_by_group
from gridstation.store.model import OPEN_STATES, Case, CaseEvent, CaseState, Category, Region, RegionLevel, UnitGrid

_OPEN = tuple(s.value for s in OPEN_STATES)
_PARKED = CaseState.PARKED.value
#: The ticker looks this far back.
_TICKER_WINDOW = timedelta(hours=24)
#: Ids per ``IN (...)`` list (SQLite's bound-parameter limit is far above, PostgreSQL has none).
_CHUNK = 900


def _midnight(d: date) -> datetime:
    return datetime.combine(d, time.min)


def _n(value) -> int:
    return int(value or 0)


def _count_if(*conds):
    """``sum(case when <all conds> then 1 else 0 end)``: one counter of a one-pass aggregate."""
    return func.sum(sql_case((and_(*conds), 1), else_=0))


def _touched_since(t: datetime):
    """Ids of the cases with an event at or after ``t`` (the indexed ``case_event.at`` range).

    Every stage timestamp of a case (filed_at, dispatched_at, closed_at, voided_at ...) is
    written by an event at that very time (the workflow, the demo and the case importer alike),
    so a case whose timestamp lies in ``[t, …)`` is among these: counting over them needs no scan
    of the (unindexed) timestamp columns over all cases."""
    return select(CaseEvent.case_id).where(CaseEvent.at >= t)


def _month_to_date(now: datetime) -> Period:
    today = now.date()
    return Period(today.replace(day=1), today + timedelta(days=1), "month")  # 本月至今


# --------------------------------------------------------------------------- headline figures


@dataclass(frozen=True)
class Headline:
    """One big number: ``today`` against ``yesterday`` up to the same clock time.

    key: reported | filed | dispatched | closed | open_now | overdue_now
    ``yesterday`` is None where it cannot be known from the database (overdue_now: the light
    of yesterday's open cases at that minute is not kept); ``extra`` then says something true
    instead (overdue_now: {"new_today": n}, cases that went red since midnight and are still red).
    ``good``: "up" or "down", which way is good news (closed: up; reported: neither → "").
    """

    key: str
    today: int
    yesterday: int | None
    good: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def change(self) -> int | None:
        return None if self.yesterday is None else self.today - self.yesterday


def headline(session, now: datetime) -> list[Headline]:
    today0 = _midnight(now.date())
    yday0 = today0 - timedelta(days=1)
    t = now - timedelta(days=1)  # yesterday at this clock time

    def today_yday(col):
        return (_count_if(col >= today0, col < now), _count_if(col >= yday0, col < t))

    # 1. what happened since yesterday 00:00: the cases touched since then (case_event.at index)
    cols = []
    for col in (Case.reported_at, Case.filed_at, Case.dispatched_at, Case.closed_at):
        cols += today_yday(col)
    # cases open at t that have left the loop since (closed or voided after t)
    cols.append(_count_if(
        Case.state.not_in(_OPEN),
        Case.reported_at <= t,
        or_(Case.closed_at.is_(None), Case.closed_at > t),
        or_(Case.voided_at.is_(None), Case.voided_at > t),
    ))
    row = session.execute(select(*cols).where(Case.id.in_(_touched_since(yday0)))).one()
    rep, rep_y, fil, fil_y, dis, dis_y, clo, clo_y, left_since_t = (_n(v) for v in row)

    # 2. the open cases now (state index): how many, which were open already at t, which are red
    red = (Case.state != _PARKED, Case.due_at < now)
    open_now, open_before_t, overdue, overdue_new = (_n(v) for v in session.execute(
        select(
            func.count(),
            _count_if(Case.reported_at <= t),
            _count_if(*red),
            _count_if(*red, Case.due_at >= today0),
        ).where(Case.state.in_(_OPEN))
    ).one())
    # a closed or voided case never reopens, so an open case now was open at t iff reported by t
    open_y = open_before_t + left_since_t
    return [
        Headline("reported", rep, rep_y),
        Headline("filed", fil, fil_y),
        Headline("dispatched", dis, dis_y),
        Headline("closed", clo, clo_y, good="up"),
        Headline("open_now", open_now, open_y, good="down"),
        Headline("overdue_now", overdue, None, good="down", extra={"new_today": overdue_new}),
    ]


# --------------------------------------------------------------------------- trend


@dataclass(frozen=True)
class Trend:
    """Cases reported and cases closed per day over the last ``days`` days, today last
    (today counts up to ``now``)."""

    days: list[date]
    reported: list[int]
    closed: list[int]


def trend(session, now: datetime, days: int = 30) -> Trend:
    if days < 1:
        raise ValueError("days must be at least 1")
    today = now.date()
    first = today - timedelta(days=days - 1)
    start = _midnight(first)
    day_list = [first + timedelta(days=i) for i in range(days)]
    index = {d: i for i, d in enumerate(day_list)}

    def per_day(col, *where) -> list[int]:
        # date(ts) is SQLite's date function and PostgreSQL's function-style cast alike
        day = func.date(col, type_=Date).label("day")
        out = [0] * days
        q = select(day, func.count()).where(col >= start, col < now, *where).group_by(day)
        for d, n in session.execute(q):
            if isinstance(d, str):
                d = date.fromisoformat(d[:10])
            elif isinstance(d, datetime):
                d = d.date()
            i = index.get(d)
            if i is not None:
                out[i] += int(n)
        return out

    reported = per_day(Case.reported_at)
    # closed_at has no index: the closes of the window are among the cases with events in it
    closed = per_day(Case.closed_at, Case.id.in_(_touched_since(start)))
    return Trend(day_list, reported, closed)


# --------------------------------------------------------------------------- rankings


@dataclass(frozen=True)
class RankRow:
    id: int
    name: str
    score: float | None  # the evaluation's composite score, month to date
    grade: str | None
    overdue_now: int  # open cases past their deadline now (department: in its hands; street: in its grids)
    cases: int  # department: cases dispatched to it month to date; street: cases filed in its grids


@dataclass(frozen=True)
class Rankings:
    period_start: date
    departments: list[RankRow]  # best first; None scores last
    streets: list[RankRow]


def rankings(session, now: datetime) -> Rankings:
    from gridstation.analytics import evaluation

    period = _month_to_date(now)

    # departments: overdue now in each department's hands (current_department_id)
    od_dept = dict(session.execute(
        select(Case.current_department_id, func.count())
        .where(Case.state.in_(OVERDUE_STATES), Case.due_at < now, Case.current_department_id.is_not(None))
        .group_by(Case.current_department_id)
    ).all())
    departments = []
    for r in evaluation.evaluate_departments(session, period, now=now).rows:
        v = r.values
        cases = v.get("dept_cases", v.get("cases_due"))
        departments.append(RankRow(r.id, r.name, r.score, r.grade, _n(od_dept.get(r.id)), _n(cases)))

    # streets: overdue now in the grids of each street's subtree
    streets: list[RankRow] = []
    street_depth = session.scalar(select(RegionLevel.depth).where(RegionLevel.key == "street"))
    if street_depth is not None:
        rows = evaluation.evaluate_regions(session, period, "street", now=now).rows
        paths = dict(session.execute(select(Region.id, Region.path).where(Region.depth == street_depth)).all())
        nodes = [Node("region", r.id, r.code, r.name, street_depth, "street", paths.get(r.id, "")) for r in rows]
        od = overdue_by_group(session, nodes, now) if nodes else {}
        for r in rows:
            streets.append(RankRow(r.id, r.name, r.score, r.grade, _n(od.get(("region", r.id))), _n(r.values.get("cases"))))

    return Rankings(period.start, _ranked(departments), _ranked(streets))


def _ranked(rows: list[RankRow]) -> list[RankRow]:
    """Best score first, no score last, ties by name."""
    return sorted(rows, key=lambda r: (r.score is None, -(r.score or 0.0), r.name, r.id))


# --------------------------------------------------------------------------- early warnings


@dataclass(frozen=True)
class WarningItem:
    kind: str  # "grid_spike" | "category_spike" | "bounce"
    title: str  # grid code + name / category name / case number (data, not UI text)
    count: int  # cases today (spikes) / departments in the chain (bounce)
    expected: float | None  # spikes: the baseline mean
    case_ids: list[int]


def warnings(session, now: datetime, limit: int = 12) -> list[WarningItem]:
    from gridstation.analytics import early_warning

    today = now.date()
    w = early_warning.detect(session, Period(today, today + timedelta(days=1)))
    spikes = [("grid_spike", s, f"{s.code} {s.name}".strip()) for s in w.grids]
    spikes += [("category_spike", s, s.name or s.code) for s in w.categories]
    # the strongest evidence first (sorted is stable: grids before categories on a tie)
    spikes.sort(key=lambda x: (x[1].p_value, -x[1].ratio))
    out = [WarningItem(kind, title, s.count, s.expected, list(s.case_ids))
           for kind, s, title in spikes]
    out += [WarningItem("bounce", b.number, len(b.departments), None, [b.case_id]) for b in w.bounces]
    return out[:max(0, limit)]


# --------------------------------------------------------------------------- drill-down pages


@dataclass(frozen=True)
class DrillLine:
    node_id: int
    name: str
    reported: int
    closure_rate: float | None
    on_time_rate: float | None
    overdue_now: int


@dataclass(frozen=True)
class DrillPage:
    node_id: int | None  # None: the city
    name: str  # the region the page is about
    level: str  # the children's region_level key (district, street, community ...)
    period_start: date
    lines: list[DrillLine]
    total: DrillLine


def drill_pages(session, now: datetime, depth: int = 2) -> list[DrillPage]:
    period = _month_to_date(now)
    levels = dict(session.execute(select(RegionLevel.depth, RegionLevel.key)).all())
    roots = list(session.scalars(select(Region).where(Region.parent_id.is_(None)).order_by(Region.code)))
    if len(roots) == 1:  # the city is the one root region
        r = roots[0]
        city = Node("region", r.id, r.code, r.name, r.depth, levels.get(r.depth, str(r.depth)), r.path)
        city_name = r.name
    else:  # several roots (or none): the whole database is the city
        city, city_name = None, ""

    pages: list[DrillPage] = []
    todo: list[tuple[Node | None, str, int]] = [(city, city_name, 0)]  # breadth first: one level at a time
    while todo:
        node, name, lvl = todo.pop(0)
        if lvl >= depth:
            continue
        dd = drilldown(session, node, period, now=now, comparisons=False)
        rows = dd.rows
        if rows:
            level = rows[0].node.level
        elif node is not None and node.kind == "region":
            level = levels.get(node.depth + 1, "grid")
        else:
            level = ""
        page_id = None if lvl == 0 else node.id
        pages.append(DrillPage(page_id, name, level, period.start, [_line(r) for r in rows], _line(dd.total)))
        todo += [(r.node, r.node.name, lvl + 1) for r in rows if r.node.kind == "region"]
    return pages


def _line(row) -> DrillLine:
    f = row.current
    return DrillLine(row.node.id, row.node.name, f.reported, f.closure_rate, f.on_time_rate, f.overdue_now or 0)


# --------------------------------------------------------------------------- ticker


@dataclass(frozen=True)
class TickerItem:
    kind: str  # "new" | "overdue"
    at: datetime  # reported_at / due_at
    case_id: int
    number: str
    category: str
    street: str
    address: str
    lon: float | None
    lat: float | None


def new_cases(session, case_ids: list[int]) -> list[TickerItem]:
    ids = sorted({int(i) for i in case_ids})
    if not ids:
        return []
    rows = []
    for i in range(0, len(ids), _CHUNK):
        rows += _ticker_rows(session, Case.reported_at, Case.id.in_(ids[i:i + _CHUNK]))
    rows.sort(key=lambda r: (r.at, r.id), reverse=True)
    return _ticker_items(session, "new", rows)


def _ticker_rows(session, at_col, *where, order: bool = False, limit: int | None = None) -> list:
    """The case, its ``at``, category name and its grid's region path (outer joins: any may be missing)."""
    q = (
        select(
            Case.id, Case.number, at_col.label("at"), Category.name.label("category"), Region.path,
            Case.address, Case.lon, Case.lat,
        )
        .outerjoin(Category, Category.id == Case.category_id)
        .outerjoin(UnitGrid, UnitGrid.id == Case.grid_id)
        .outerjoin(Region, Region.id == UnitGrid.region_id)
        .where(*where)
    )
    if order:
        q = q.order_by(at_col.desc(), Case.id.desc())
    if limit is not None:
        q = q.limit(limit)
    return list(session.execute(q))


def _ticker_items(session, kind: str, rows: list) -> list[TickerItem]:
    """Rows of ``_ticker_rows`` as ticker items, with the street of each case's grid."""
    streets = _street_names(session, {r.path for r in rows if r.path})
    return [
        TickerItem(kind, r.at, r.id, r.number, r.category or "", streets.get(r.path, "") if r.path else "",
                   r.address or "", r.lon, r.lat)
        for r in rows
    ]


def _street_names(session, paths: set[str]) -> dict[str, str]:
    """Region path → the name of the region at the ``street`` level on it ('' if none)."""
    if not paths:
        return {}
    street_depth = session.scalar(select(RegionLevel.depth).where(RegionLevel.key == "street"))
    if street_depth is None:
        return {}
    ids = sorted({int(x) for p in paths for x in p.strip("/").split("/") if x})
    names: dict[int, str] = {}
    for i in range(0, len(ids), _CHUNK):
        names.update(session.execute(
            select(Region.id, Region.name).where(Region.id.in_(ids[i:i + _CHUNK]), Region.depth == street_depth)
        ).all())
    out = {}
    for p in paths:
        hit = [names[int(x)] for x in p.strip("/").split("/") if x and int(x) in names]
        out[p] = hit[0] if hit else ""
    return out


def newly_overdue(session, since: datetime, now: datetime, limit: int = 200) -> list[TickerItem]:
    # open, not parked, and the light went red in (since, now]: the (state, due_at) index
    rows = _ticker_rows(
        session, Case.due_at, Case.state.in_(OVERDUE_STATES), Case.due_at > since, Case.due_at <= now,
        order=True, limit=max(0, limit),
    )
    return _ticker_items(session, "overdue", rows)


def recent_ticker(session, now: datetime, limit: int = 30) -> list[TickerItem]:
    limit = max(0, limit)
    since = now - _TICKER_WINDOW
    new = _ticker_rows(session, Case.reported_at, Case.reported_at > since, Case.reported_at <= now,
                       order=True, limit=limit)
    items = _ticker_items(session, "new", new) + newly_overdue(session, since, now, limit)
    items.sort(key=lambda x: (x.at, x.kind == "new", x.case_id), reverse=True)
    return items[:limit]
