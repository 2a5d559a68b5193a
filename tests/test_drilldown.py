"""Drill-down figures equal a brute-force count over the raw cases and events (demo city, both DBs).

``build_demo(url, cases=3000)`` writes cases and events directly and rebuilds the rollups at the
end; the drill-down reads only the rollups (and the open cases for overdue-now). The brute force
below reads every case of the period with its events and applies the definitions of
docs/evaluation.md directly, without the rollup code.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.analytics import drilldown as dd
from gridstation.exchange.exporters import export_cases_behind
from gridstation.report.weekly import weekly_review
from gridstation.analytics import model as model_analytics
from gridstation.analytics import rollup
from gridstation.store.db import make_engine
from gridstation.demo.city import build_demo
from gridstation.store.model import Case, CaseEvent, Region, UnitGrid
from gridstation.worktime.center_calendar import load_calendar

NOW = datetime(2026, 3, 20, 10, 0)
PERIOD = dd.Period(date(2026, 1, 10), date(2026, 3, 5))  # edge days + a whole month + edge days
COUNTS = (
    "reported", "public_reports", "filed", "voided", "voided_filed", "dispatched", "handled", "closed",
    "closed_on_time", "dept_cases", "fed_back", "reworks", "returns", "extensions", "parked", "parked_now", "urged",
)


@pytest.fixture
def demo_url(db_url):
    build_demo(db_url, cases=3000, now=NOW)
    return db_url


def _brute(s: Session, nodes: list[dd.Node], period: dd.Period, cal) -> dict:
    """Figures per node straight from cases and case_event."""
    rpath = dict(s.execute(select(Region.id, Region.path)).all())
    gpath = {gid: rpath[rid] for gid, rid in s.execute(select(UnitGrid.id, UnitGrid.region_id))}

    def owners(grid_id):
        p = gpath[grid_id]
        return [n.key for n in nodes if (n.kind == "top") or (n.kind == "grid" and n.id == grid_id)
                or (n.kind == "region" and p.startswith(n.path))]

    start = datetime.combine(period.start, datetime.min.time())
    end = datetime.combine(period.end, datetime.min.time())
    cases = list(s.scalars(select(Case).where(Case.reported_at >= start, Case.reported_at < end)))
    events = defaultdict(list)
    ids = [c.id for c in cases]
    for i in range(0, len(ids), 500):
        for e in s.scalars(select(CaseEvent).where(CaseEvent.case_id.in_(ids[i:i + 500])).order_by(CaseEvent.id)):
            events[e.case_id].append(e)
    out = {n.key: {"counts": defaultdict(int), "minutes": []} for n in nodes}
    for c in cases:
        evs = events[c.id]
        acts = [e.action for e in evs]
        self_ok = any(e.action == "review_self" and e.to_state == "closed" for e in evs)
        f = {}
        f["reported"] = 1
        f["public_reports"] = int(c.source in ("hotline", "public"))
        f["filed"] = int("file" in acts or self_ok)
        f["voided"] = int(c.state == "voided")
        f["voided_filed"] = int(c.state == "voided" and "file" in acts)
        f["dispatched"] = int(c.dispatch_count > 0)
        f["handled"] = int("feedback" in acts)
        f["closed"] = int(c.state == "closed")
        if c.state == "closed":
            ok = (c.handled_at <= c.handle_deadline) if "feedback" in acts else (c.closed_at <= c.close_deadline)
            f["closed_on_time"] = int(ok)
            parked, since = 0.0, None
            for e in evs:
                if e.action == "approve_park":
                    since = e.at
                elif e.action == "resume":
                    parked += cal.working_minutes_between(since, e.at)
            f["_minutes"] = max(0.0, cal.working_minutes_between(c.reported_at, c.closed_at) - parked)
        due = defaultdict(int)
        for e in evs:
            if e.action == "dispatch":
                due[e.department_id] += 1
            elif e.action == "approve_return":
                due[e.department_id] -= 1
        f["dept_cases"] = sum(1 for v in due.values() if v > 0)
        f["fed_back"] = acts.count("feedback")
        f["reworks"] = c.rework_count
        f["returns"] = c.return_count
        f["extensions"] = c.extension_count
        f["parked"] = c.park_count
        f["parked_now"] = int(c.state == "parked")
        f["urged"] = c.urge_count
        for key in owners(c.grid_id):
            for k, v in f.items():
                if k == "_minutes":
                    out[key]["minutes"].append(v)
                else:
                    out[key]["counts"][k] += v
    return out


def _brute_overdue(s: Session, nodes: list[dd.Node], now: datetime) -> dict:
    rpath = dict(s.execute(select(Region.id, Region.path)).all())
    gpath = {gid: rpath[rid] for gid, rid in s.execute(select(UnitGrid.id, UnitGrid.region_id))}
    out = {n.key: 0 for n in nodes}
    for c in s.scalars(select(Case).where(Case.state.not_in(("closed", "voided", "parked")))):
        if c.due_at is not None and c.due_at < now:
            for n in nodes:
                if n.kind == "top" or (n.kind == "grid" and n.id == c.grid_id) or (
                        n.kind == "region" and gpath[c.grid_id].startswith(n.path)):
                    out[n.key] += 1
    return out


def _check(s: Session, result: dd.DrillDown, cal) -> None:
    rows = result.rows or [result.total]
    nodes = [r.node for r in rows]
    for label, period, attr in (("current", result.period, "current"), ("环比", result.prev_period, "prev"),
                                ("同比", result.yoy_period, "yoy")):
        brute = _brute(s, nodes, period, cal)
        for r in rows:
            got: dd.Figures = getattr(r, attr)
            want = brute[r.node.key]
            for k in COUNTS:
                assert getattr(got, k) == want["counts"][k], (label, r.node.name, k)
            mins = sorted(want["minutes"])
            assert len(mins) == got.closed
            assert math.isclose(got.close_minutes, sum(mins), rel_tol=1e-9, abs_tol=0.01 * max(1, len(mins)))
            if mins:
                assert math.isclose(got.avg_close_minutes, sum(mins) / len(mins), rel_tol=1e-6, abs_tol=0.01)
                exact = mins[math.ceil(0.9 * len(mins)) - 1]
                assert rollup.bucket_of(got.p90_close_minutes) == rollup.bucket_of(rollup._r64(exact)), (r.node.name,)
            else:
                assert got.avg_close_minutes is None and got.p90_close_minutes is None
            due = want["counts"]["filed"] - want["counts"]["voided_filed"] - want["counts"]["parked_now"]
            assert got.due == due
            assert got.closure_rate == (want["counts"]["closed"] / due if due else None)
            rep = want["counts"]["reported"]
            assert got.public_share == (want["counts"]["public_reports"] / rep if rep else None)
    od = _brute_overdue(s, nodes, result.now)
    for r in rows:
        assert r.current.overdue_now == od[r.node.key]


def test_figures_equal_brute_force(demo_url):
    engine = make_engine(demo_url)
    try:
        with Session(engine) as s:
            cal = load_calendar(s)
            top = dd.drilldown(s, None, PERIOD, now=NOW)
            assert [r.node.name for r in top.rows] == ["郑州市(演示)"] or len(top.rows) == 1
            city = dd.drilldown(s, top.rows[0].node, PERIOD, now=NOW)
            assert len(city.rows) == 3  # the three districts
            assert city.total.current.reported > 500
            _check(s, city, cal)
            district = dd.drilldown(s, city.rows[0].node, PERIOD, now=NOW)
            _check(s, district, cal)
            community = s.scalar(select(Region).where(Region.depth == 4).order_by(Region.code))
            grids = dd.drilldown(s, community.id, PERIOD, now=NOW)
            assert grids.rows and all(r.node.kind == "grid" for r in grids.rows)
            _check(s, grids, cal)
            one_grid = dd.drilldown(s, grids.rows[0].node, dd.Period(date(2025, 12, 1), date(2026, 3, 21)), now=NOW)
            assert one_grid.rows == []
            _check(s, one_grid, cal)
            # a period inside one month (edge days only) and one of whole months only
            _check(s, dd.drilldown(s, city.rows[1].node, dd.Period(date(2026, 2, 3), date(2026, 2, 17)), now=NOW), cal)
            _check(s, dd.drilldown(s, city.rows[2].node, dd.Period(date(2025, 12, 1), date(2026, 3, 1)), now=NOW), cal)
    finally:
        engine.dispose()


def test_cases_behind_every_number(demo_url, tmp_path):
    engine = make_engine(demo_url)
    try:
        with Session(engine) as s:
            city = dd.drilldown(s, dd.drilldown(s, None, PERIOD, now=NOW).rows[0].node, PERIOD, now=NOW)
            row = city.rows[0]
            f = row.current
            for fig in ("reported", "public_reports", "filed", "voided", "voided_filed", "dispatched", "handled",
                        "closed", "closed_on_time", "parked_now", "due"):
                ids = dd.cases_behind(s, row.node, PERIOD, fig, now=NOW)
                assert len(ids) == getattr(f, fig), fig
                assert ids == sorted(set(ids))
            for fig, counter in (("reworks", "rework_count"), ("returns", "return_count"), ("urged", "urge_count"),
                                 ("extensions", "extension_count"), ("parked", "park_count")):
                ids = dd.cases_behind(s, row.node, PERIOD, fig, now=NOW)
                total = sum(getattr(s.get(Case, i), counter) for i in ids)
                assert total == getattr(f, fig), fig
            assert len(dd.cases_behind(s, row.node, PERIOD, "overdue_now", now=NOW)) == f.overdue_now
            assert len(dd.cases_behind(s, row.node, PERIOD, "closure_rate", now=NOW)) == f.due
            out = tmp_path / "closed.xlsx"
            n = export_cases_behind(s, row.node, PERIOD, "closed_on_time", out, now=NOW)
            assert n == f.closed_on_time
            ws = load_workbook(out).active
            assert ws.max_row == n + 1 and ws.cell(1, 1).value == "案件编号"
            with pytest.raises(KeyError):
                dd.cases_behind(s, row.node, PERIOD, "nonsense", now=NOW)
    finally:
        engine.dispose()


def test_weekly_review(demo_url):
    engine = make_engine(demo_url)
    try:
        with Session(engine) as s:
            wr = weekly_review(s, None, "2026-W10", now=NOW)
            assert wr.period == dd.Period(date(2026, 3, 2), date(2026, 3, 9))
            assert sum(d["reported"] for d in wr.daily) == wr.headline.reported > 0
            assert wr.previous.reported > 0 and wr.change["reported"] is not None
            assert len(wr.on_time_trend) == 8 and wr.on_time_trend[-1]["week"] == "2026-W10"
            assert wr.top_categories and wr.top_grids and wr.department_ranking and wr.street_ranking
            assert sum(x.value for x in wr.top_categories) <= wr.headline.reported
            assert all(n.overdue_minutes and n.overdue_minutes > 0 for n in wr.overdue)
            assert len(wr.overdue) == wr.headline.overdue_now
            assert all(n.state == "parked" for n in wr.parked)
            street = s.scalar(select(Region).where(Region.depth == 3).order_by(Region.code))
            ws = weekly_review(s, street.code, (2026, 10), now=NOW)
            assert ws.scope.code == street.code and ws.headline.reported <= wr.headline.reported
    finally:
        engine.dispose()


def test_periods():
    p = dd.Period(date(2024, 2, 29), date(2024, 3, 10))
    assert p.year_before() == dd.Period(date(2023, 2, 28), date(2023, 3, 10))
    assert p.previous() == dd.Period(date(2024, 2, 19), date(2024, 2, 29))
    # 环比 of whole months is as many calendar months before; of anything else as many days before
    assert dd.Period(date(2026, 3, 1), date(2026, 4, 1)).previous() == dd.Period(date(2026, 2, 1), date(2026, 3, 1))
    year = dd.Period(date(2025, 1, 1), date(2026, 1, 1))
    assert year.previous() == year.year_before() == dd.Period(date(2024, 1, 1), date(2025, 1, 1))
    assert dd.iso_week_period("2026-W01") == dd.Period(date(2025, 12, 29), date(2026, 1, 5))
    assert dd._split(dd.Period(date(2026, 1, 10), date(2026, 3, 5))) == (
        (date(2026, 2, 1), date(2026, 3, 1)), [(date(2026, 1, 10), date(2026, 2, 1)), (date(2026, 3, 1), date(2026, 3, 5))])
    assert dd._split(dd.Period(date(2026, 1, 1), date(2027, 1, 1))) == ((date(2026, 1, 1), date(2027, 1, 1)), [])
    assert dd._split(dd.Period(date(2026, 1, 3), date(2026, 1, 20))) == (None, [(date(2026, 1, 3), date(2026, 1, 20))])
    with pytest.raises(ValueError):
        dd.Period(date(2026, 1, 2), date(2026, 1, 2))


def _span(p: dd.Period) -> tuple[date, date]:
    """A period as (first day, last day), both included."""
    return p.start, p.last


def test_to_date_periods_compare_the_same_span():
    """本月至今 / 本周至今 / 本季至今 / 本年至今 are compared with the same elapsed span of the unit
    before (环比) and with the same days a year earlier (同比); a whole unit with the whole unit."""
    from gridstation.analytics.scope import unit_to_date, whole_unit

    today = date(2026, 12, 4)  # a Friday
    month = unit_to_date("month", today)
    assert _span(month) == (date(2026, 12, 1), date(2026, 12, 4)) and month.to_date
    assert _span(month.previous()) == (date(2026, 11, 1), date(2026, 11, 4))  # 上月同期, not all of November
    assert _span(month.year_before()) == (date(2025, 12, 1), date(2025, 12, 4))
    week = unit_to_date("week", today)
    assert _span(week) == (date(2026, 11, 30), date(2026, 12, 4))  # Monday .. today
    assert _span(week.previous()) == (date(2026, 11, 23), date(2026, 11, 27))  # last Monday .. Friday
    assert _span(week.year_before()) == (date(2025, 11, 30), date(2025, 12, 4))
    quarter = unit_to_date("quarter", today)
    assert _span(quarter) == (date(2026, 10, 1), date(2026, 12, 4))
    assert _span(quarter.previous()) == (date(2026, 7, 1), date(2026, 9, 4))
    assert _span(quarter.year_before()) == (date(2025, 10, 1), date(2025, 12, 4))
    year = unit_to_date("year", today)
    assert _span(year) == (date(2026, 1, 1), date(2026, 12, 4))
    assert _span(year.previous()) == _span(year.year_before()) == (date(2025, 1, 1), date(2025, 12, 4))
    # a longer month than the one before: the span is clamped into the month before
    assert _span(unit_to_date("month", date(2026, 3, 30)).previous()) == (date(2026, 2, 1), date(2026, 2, 28))
    assert _span(unit_to_date("month", date(2026, 5, 31)).previous()) == (date(2026, 4, 1), date(2026, 4, 30))
    # whole units against whole units
    assert whole_unit("month", today).previous() == dd.Period(date(2026, 11, 1), date(2026, 12, 1))
    assert whole_unit("quarter", today).previous() == dd.Period(date(2026, 7, 1), date(2026, 10, 1))
    assert dd.iso_week_period("2026-W49").previous() == dd.iso_week_period("2026-W48")
    # the unit does not take part in equality: a period is its days
    assert month == dd.Period(date(2026, 12, 1), date(2026, 12, 5))


def test_same_days_a_year_earlier_around_29_february():
    from gridstation.analytics.scope import unit_to_date, whole_unit

    leap_day = unit_to_date("day", date(2028, 2, 29))
    assert _span(leap_day.year_before()) == (date(2027, 2, 28), date(2027, 2, 28))
    assert _span(leap_day.previous()) == (date(2028, 2, 28), date(2028, 2, 28))
    # February 2028 up to the 29th is the whole month: all of February 2027 (28 days)
    feb = unit_to_date("month", date(2028, 2, 29))
    assert feb.whole_unit and _span(feb.year_before()) == (date(2027, 2, 1), date(2027, 2, 28))
    # up to the 28th of a leap February: the same days, 1–28 February
    assert _span(unit_to_date("month", date(2028, 2, 28)).year_before()) == (date(2027, 2, 1), date(2027, 2, 28))
    # the year to 29 February against the year to 28 February
    ytd = unit_to_date("year", date(2028, 2, 29))
    assert _span(ytd.year_before()) == _span(ytd.previous()) == (date(2027, 1, 1), date(2027, 2, 28))
    # the other way round: all of February 2029 against all of February 2028 (29 days)
    assert _span(whole_unit("month", date(2029, 2, 10)).year_before()) == (date(2028, 2, 1), date(2028, 2, 29))
    # a custom range from 29 February: the same dates, the 29th as the 28th
    p = dd.Period(date(2028, 2, 29), date(2028, 3, 10))
    assert p.year_before() == dd.Period(date(2027, 2, 28), date(2027, 3, 10))


def test_rates_change_in_points_counts_in_per_cent():
    cur = dd.Figures(reported=120, filed=100, closed=93)
    old = dd.Figures(reported=100, filed=100, closed=90)
    row = dd.DrillRow(dd.TOP, cur, prev=old)
    assert row.change("reported") == pytest.approx(0.20)  # +20 %
    assert row.change("closure_rate") == pytest.approx(0.93 - 0.90)  # +3 percentage points, not +3.3 %
    assert dd.figure_change("on_time_rate", 0.5, 0.0) == pytest.approx(0.5)  # from 0 % is still comparable
    assert dd.figure_change("reported", 5, 0) is None
