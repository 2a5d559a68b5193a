"""Early warning: the Poisson surge rule and the bounce (推诿) detector, through the real workflow."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from gridstation.analytics import early_warning as ew
from gridstation.analytics import model as model_analytics  # noqa: F401
from gridstation.analytics.drilldown import Period, iso_week_period
from gridstation.cases.workflow import Workflow
from tests.minicity import DLAT, DLON, LAT0, LON0, build_mini_city
from tests.test_rollup import Clock

WEEK = iso_week_period("2026-W11")  # Mon 9 March .. Mon 16 March


def test_poisson_tail():
    def direct(k, lam):
        return 1.0 - sum(math.exp(-lam) * lam**i / math.factorial(i) for i in range(k))

    for lam in (0.0625, 0.5, 1.0, 3.0625, 12.0, 40.0):
        for k in (0, 1, 2, 5, 8, 13, 30, 60):
            assert math.isclose(ew.poisson_sf(k, lam), max(0.0, direct(k, lam)), rel_tol=1e-7, abs_tol=1e-12), (k, lam)
    assert ew.poisson_sf(5, 0.0) == 0.0 and ew.poisson_sf(0, 0.0) == 1.0
    assert 0 < ew.poisson_sf(200, 10.0) < 1e-150  # about 1e-179: no underflow to 0 on the way


def test_baseline_keeps_the_weekday_structure():
    day = Period(date(2026, 3, 11), date(2026, 3, 12))  # a Wednesday
    base = ew.baseline_periods(day)
    assert len(base) == 8 and all(p.start.weekday() == 2 and p.days == 1 for p in base)
    assert base[0].start == date(2026, 3, 4) and base[-1].start == date(2026, 1, 14)
    assert [p.start for p in ew.baseline_periods(WEEK)][:2] == [date(2026, 3, 2), date(2026, 2, 23)]
    month = Period(date(2026, 3, 1), date(2026, 3, 31))  # 30 days → steps of 35
    assert ew.baseline_periods(month)[0] == Period(date(2026, 1, 25), date(2026, 2, 24))


@pytest.fixture
def city(engine):
    m = build_mini_city(engine)
    clock = Clock(datetime(2026, 1, 12, 9, 0))
    return m, Workflow(engine, clock=clock), clock


def _report_filed(wf, m, grid, cat):
    lon, lat = m.point(grid)
    c = wf.report("sup1" if grid.startswith("G1") else "sup2", source="supervisor", description="x", lon=lon, lat=lat,
                  category_id=m.cats[cat]).case_id
    wf.file("shift", c)
    return c


def test_surges(city, engine):
    m, wf, clock = city
    # 8 baseline weeks (Mon 12 Jan .. Mon 2 Mar): G1a 1 manhole case a week, G1b 3 garbage cases a week
    for w in range(8):
        clock.at(datetime(2026, 1, 12, 10, 0) + timedelta(weeks=w))
        _report_filed(wf, m, "G1a", "MANHOLE")
        for _ in range(3):
            clock.add(10)
            _report_filed(wf, m, "G1b", "GARBAGE")
    # the current week: G1a 8 cases (λ = (8 + ½)/8 = 1.0625, P(X ≥ 8) ≈ 1.6e-5 → flagged),
    # G1b 5 (λ = 24.5/8 = 3.0625, P(X ≥ 5) ≈ 0.19 → not), G2a 4 (< 5 → not, whatever λ),
    # G2b 6 reports all voided as duplicates (count 0)
    clock.at(datetime(2026, 3, 10, 9, 30))
    want = []
    for _ in range(8):
        clock.add(5)
        want.append(_report_filed(wf, m, "G1a", "MANHOLE"))
    for _ in range(5):
        clock.add(5)
        _report_filed(wf, m, "G1b", "GARBAGE")
    for _ in range(4):
        clock.add(5)
        _report_filed(wf, m, "G2a", "GARBAGE")
    for _ in range(6):
        clock.add(5)
        lon, lat = m.point("G2b")
        c = wf.report("sup2", source="supervisor", description="dup", lon=lon, lat=lat).case_id
        wf.void("shift", c, reason="重复上报")
    with Session(engine) as s:
        w = ew.detect(s, WEEK)
        assert [x.code for x in w.grids] == ["410105001001001"]
        g = w.grids[0]
        assert g.count == 8 and g.baseline == [1] * 8 and math.isclose(g.expected, 1.0625)
        assert math.isclose(g.p_value, ew.poisson_sf(8, 1.0625)) and g.p_value < 1e-4
        assert g.case_ids == sorted(want)
        assert g.ratio > 7
        # categories: MANHOLE 8 vs 1 a week → flagged; GARBAGE 9 vs 3 a week: λ = 3.0625, P(X ≥ 9) ≈ 0.0043 → flagged
        cats = {x.name: x for x in w.categories}
        assert set(cats) == {"污水井盖", "暴露垃圾"}
        assert cats["污水井盖"].count == 8 and cats["暴露垃圾"].count == 9
        assert math.isclose(cats["暴露垃圾"].p_value, ew.poisson_sf(9, 3.0625))
        assert len(cats["暴露垃圾"].case_ids) == 9
        assert w.categories[0].name == "污水井盖"  # ordered by p-value
        # a stricter α or a higher minimum drops the weaker flag
        assert [x.name for x in ew.spikes(s, WEEK, "category", alpha=0.001)] == ["污水井盖"]
        assert ew.spikes(s, WEEK, "grid", min_count=9) == []
        # scoped to street 乙 (G2a, G2b): nothing
        assert ew.detect(s, WEEK, scope=m.regions["S2"]).grids == []
        assert w.bounces == []


def test_bounces(city, engine):
    m, wf, clock = city
    clock.at(datetime(2026, 3, 10, 9, 0))
    # a manhole 5 m inside G1b's east edge, which G1b (street 甲) shares with G2a (street 乙)
    lon = LON0 + 2 * DLON - 5 / (111_320 * math.cos(math.radians(LAT0)))
    lat = LAT0 + DLAT / 2
    c = wf.report("sup1", source="supervisor", description="井盖", lon=lon, lat=lat, category_id=m.cats["MANHOLE"]).case_id
    clock.add(5); wf.file("shift", c)
    clock.add(5); wf.dispatch("disp", c, department_id=m.depts["SAN"])  # district agency
    clock.add(20); r = wf.request_return("h_san", c, reason="不是我们的")
    clock.add(5); wf.decide("disp", r.request_id, approve=True)
    clock.add(5); wf.dispatch("disp", c, department_id=m.depts["S1_SAN"])  # street unit of 甲
    clock.add(20); r = wf.request_return("h_s1", c, reason="应由区里处理")
    clock.add(5); wf.decide("disp", r.request_id, approve=True)
    clock.add(5); wf.dispatch("disp", c, department_id=m.depts["MUN"])
    # one mis-dispatch corrected is not a bounce
    lon2, lat2 = m.point("G1a")
    d = wf.report("sup1", source="supervisor", description="井盖", lon=lon2, lat=lat2, category_id=m.cats["MANHOLE"]).case_id
    clock.add(5); wf.file("shift", d)
    clock.add(5); wf.dispatch("disp", d, department_id=m.depts["SAN"])
    clock.add(20); r = wf.request_return("h_san", d, reason="不是我们的")
    clock.add(5); wf.decide("disp", r.request_id, approve=True)
    clock.add(5); wf.dispatch("disp", d, department_id=m.depts["MUN"])
    with Session(engine) as s:
        found = ew.bounces(s, WEEK)
        assert [b.case_id for b in found] == [c]
        b = found[0]
        assert b.returns == 2 and b.changes == 2
        assert [x["id"] for x in b.departments] == [m.depts["SAN"], m.depts["S1_SAN"], m.depts["MUN"]]
        assert b.crosses_level  # district agency → street unit → district agency
        assert b.near_grid_boundary and b.neighbour_grids == ["410105002001001"]
        assert 3 < b.distance_to_edge_m < 7
        assert b.crosses_street  # the neighbouring grid lies in street 乙
        assert "across a street boundary" in b.note
        # outside the period, or scoped elsewhere: nothing
        assert ew.bounces(s, Period(date(2026, 3, 2), date(2026, 3, 9))) == []
        assert ew.bounces(s, WEEK, scope=m.regions["S2"]) == []
