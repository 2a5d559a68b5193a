"""The wall's data (``gridstation.wall.data``) through the real workflow on a controlled clock,
on SQLite and on PostgreSQL. Every figure is checked against a number derived by hand in the
comments from the scenario that builds it.

Working hours are the default 09:00-12:00 and 13:30-17:30; March 2026 has no public holiday, so
the limits of the mini city (污水井盖 MANHOLE: file and dispatch 10 working minutes, handle 2
working hours, close 30; 暴露垃圾 GARBAGE: file 30) give deadlines that can be read off a clock.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.orm import Session

from gridstation.store.model import Case, UnitGrid
from gridstation.wall import data as wd
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

MON = date(2026, 3, 9)
TUE = date(2026, 3, 10)
WED = date(2026, 3, 11)
NOW = datetime(2026, 3, 11, 11, 0)  # Wednesday 11:00: "today" is Wed, "yesterday up to now" is Tue < 11:00


def at(d: date, hh: int, mm: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hh, mm)


class City:
    """The mini city, a workflow on a settable clock, and short helpers for the loop."""

    def __init__(self, engine):
        self.engine = engine
        self.m = build_mini_city(engine)
        self.t = NOW
        self.wf = Workflow(engine, clock=lambda: self.t)

    def report(self, when: datetime, grid: str = "G1a", kind: str | None = "MANHOLE", **kw) -> int:
        self.t = when
        by = kw.pop("by", "sup1" if grid.startswith("G1") else "sup2")
        source = "supervisor" if by.startswith("sup") else "hotline"
        lon, lat = self.m.point(grid)
        return self.wf.report(
            by, source=source, description="x", lon=lon, lat=lat,
            category_id=self.m.cats[kind] if kind else None, **kw,
        ).case_id

    def file(self, when: datetime, cid: int) -> None:
        self.t = when
        self.wf.file("shift", cid)

    def dispatch(self, when: datetime, cid: int, dept: str = "MUN") -> None:
        self.t = when
        self.wf.dispatch("disp", cid, department_id=self.m.depts[dept])

    def close_loop(self, cid: int, feedback: datetime, recheck: datetime, close: datetime, handler="h_mun") -> None:
        sup = "sup1" if self.grid_of(cid) in (self.m.grids["G1a"], self.m.grids["G1b"]) else "sup2"
        self.t = feedback
        self.wf.feedback(handler, cid, note="done")
        self.t = recheck
        self.wf.recheck(sup, cid, fixed=True)
        self.t = close
        self.wf.close("shift", cid)

    def park(self, when: datetime, cid: int, handler: str = "h_mun") -> None:
        self.t = when
        r = self.wf.request_park(handler, cid, reason="budget")
        self.wf.decide("disp", r.request_id, approve=True)

    def void(self, when: datetime, cid: int) -> None:
        self.t = when
        self.wf.void("shift", cid, reason="duplicate")

    def case(self, cid: int) -> Case:
        with Session(self.engine) as s:
            return s.get(Case, cid)

    def grid_of(self, cid: int) -> int:
        return self.case(cid).grid_id

    def due(self, cid: int) -> datetime | None:
        return self.case(cid).due_at


@pytest.fixture
def city(engine) -> City:
    return City(engine)


# =========================================================================== headline and trend


def _day_scenario(c: City) -> dict[str, int]:
    """Cases around Monday .. Wednesday 11:00 (NOW); the comments give each case's part."""
    ids = {}
    # Monday: older cases
    ids["old_open"] = c.report(at(MON, 10, 0))  # to_file, due Mon 10:10: open at t, red before today
    ids["closed_before_t"] = x = c.report(at(MON, 10, 1))
    c.file(at(MON, 10, 5), x)
    c.dispatch(at(MON, 10, 8), x)
    c.close_loop(x, at(TUE, 9, 30), at(TUE, 9, 40), at(TUE, 9, 50))  # closed Tue 09:50 < t
    ids["closed_after_t"] = x = c.report(at(MON, 10, 20))
    c.file(at(MON, 10, 25), x)
    c.dispatch(at(MON, 10, 28), x)
    c.close_loop(x, at(TUE, 11, 10), at(TUE, 11, 20), at(TUE, 11, 30))  # closed Tue 11:30 > t: open at t
    ids["voided_today"] = x = c.report(at(MON, 10, 40))  # open at t, voided Wed 09:05
    ids["closed_today"] = y = c.report(at(MON, 10, 50))
    ids["parked"] = p = c.report(at(MON, 11, 0))
    c.file(at(MON, 11, 1), p)
    c.dispatch(at(MON, 11, 2), p)  # handle due Mon 14:32 (58 min before noon + 62 after 13:30)
    c.park(at(MON, 11, 10), p)  # parked: open, but never counted overdue
    # Tuesday
    c.file(at(TUE, 10, 0), y)  # filed yesterday before t
    c.dispatch(at(TUE, 10, 5), y)  # dispatched yesterday before t
    ids["y1"] = x = c.report(at(TUE, 9, 0))  # reported yesterday before t
    c.file(at(TUE, 9, 1), x)  # filed yesterday before t; dispatch due Tue 09:11: red
    ids["y2"] = c.report(at(TUE, 10, 59))  # reported yesterday before t; due Tue 11:09: red
    ids["y3"] = c.report(at(TUE, 11, 0))  # at t exactly: open at t, but not "reported yesterday before t"
    ids["y4"] = c.report(at(TUE, 15, 0))  # after t: neither; due Tue 15:10: red
    # Wednesday (today)
    c.void(at(WED, 9, 5), ids["voided_today"])
    c.close_loop(y, at(WED, 9, 10), at(WED, 9, 20), at(WED, 9, 30))  # closed today
    ids["t1"] = x = c.report(at(WED, 9, 0))
    c.file(at(WED, 9, 2), x)  # filed today
    c.dispatch(at(WED, 9, 5), x)  # dispatched today; handle due 11:05: not yet red
    ids["t0"] = c.report(at(WED, 9, 20))  # due 09:30: red since today
    ids["self"] = x = c.report(at(WED, 9, 40), self_handled=True)
    c.t = at(WED, 9, 45)
    c.wf.review_self("shift", x, approve=True)  # closed today
    ids["t2"] = c.report(at(WED, 10, 0), kind="GARBAGE")  # file limit 30: due 10:30, red since today
    ids["t3"] = c.report(at(WED, 10, 50))  # due 11:00 == NOW: not red yet (red is due_at < now)
    c.t = NOW
    return ids


def test_headline_figures(city):
    ids = _day_scenario(city)
    # the deadlines the figures below rest on
    assert city.due(ids["old_open"]) == at(MON, 10, 10)
    assert city.due(ids["parked"]) == at(MON, 14, 32) and city.case(ids["parked"]).state == "parked"
    assert city.due(ids["y1"]) == at(TUE, 9, 11) and city.due(ids["t0"]) == at(WED, 9, 30)
    assert city.due(ids["t2"]) == at(WED, 10, 30) and city.due(ids["t3"]) == NOW
    assert city.due(ids["t1"]) == at(WED, 11, 5)
    with Session(city.engine) as s:
        got = wd.headline(s, NOW)
    assert [h.key for h in got] == ["reported", "filed", "dispatched", "closed", "open_now", "overdue_now"]
    h = {x.key: x for x in got}
    # reported today: t1 09:00, t0 09:20, self 09:40, t2 10:00, t3 10:50 = 5;
    # yesterday before 11:00: y1 09:00, y2 10:59 = 2 (y3 at 11:00 and y4 at 15:00 are not before t)
    assert (h["reported"].today, h["reported"].yesterday, h["reported"].change) == (5, 2, 3)
    # filed today: t1; yesterday before t: closed_today (Tue 10:00), y1 (Tue 09:01)
    assert (h["filed"].today, h["filed"].yesterday) == (1, 2)
    # dispatched today: t1; yesterday before t: closed_today (Tue 10:05)
    assert (h["dispatched"].today, h["dispatched"].yesterday) == (1, 1)
    # closed today: closed_today 09:30 and self 09:45; yesterday before t: closed_before_t (closed_after_t is at 11:30)
    assert (h["closed"].today, h["closed"].yesterday) == (2, 1)
    # open now: old_open, parked, y1, y2, y3, y4, t1, t0, t2, t3 = 10
    # open at Tue 11:00: old_open, closed_after_t, voided_today, closed_today, parked, y1, y2, y3 = 8
    assert (h["open_now"].today, h["open_now"].yesterday) == (10, 8)
    # red now: old_open, y1, y2, y3, y4 (all due before today), t0, t2 (due today) = 7;
    # not parked (due Mon 14:32), not t1 (11:05), not t3 (due exactly now)
    assert (h["overdue_now"].today, h["overdue_now"].yesterday, h["overdue_now"].change) == (7, None, None)
    assert h["overdue_now"].extra == {"new_today": 2}
    assert [x.good for x in got] == ["", "", "", "up", "down", "down"]


def test_headline_just_after_midnight_counts_nothing_today(city):
    _day_scenario(city)
    with Session(city.engine) as s:
        h = {x.key: x for x in wd.headline(s, at(WED, 0, 30))}
    # nothing happened on Wednesday before 00:30, nor on Tuesday before 00:30
    assert [(h[k].today, h[k].yesterday) for k in ("reported", "filed", "dispatched", "closed")] == [(0, 0)] * 4
    # open at Tue 00:30: only Monday's cases still open then: old_open, closed_before_t,
    # closed_after_t, voided_today, closed_today, parked = 6
    assert h["open_now"].yesterday == 6
    # red at 00:30 (the deadlines as the database holds them now): old_open, y1, y2, y3, y4, all due
    # before Wednesday (t1, t0, t2, t3 fall due later on Wednesday): 5, none of them new today
    assert (h["overdue_now"].today, h["overdue_now"].extra) == (5, {"new_today": 0})


def test_trend_zero_fills_and_counts_today_up_to_now(city):
    _day_scenario(city)
    with Session(city.engine) as s:
        tr = wd.trend(s, NOW, days=5)
        partial = wd.trend(s, at(WED, 9, 35), days=2)
        short = wd.trend(s, NOW, days=1)
    assert tr.days == [date(2026, 3, 7), date(2026, 3, 8), MON, TUE, WED]
    # Mon: old_open, closed_before_t, closed_after_t, voided_today, closed_today, parked = 6
    # Tue: y1, y2, y3, y4 = 4; Wed: t1, t0, self, t2, t3 = 5; the weekend is zero-filled
    assert tr.reported == [0, 0, 6, 4, 5]
    # closed Tue: closed_before_t, closed_after_t; Wed: closed_today, self
    assert tr.closed == [0, 0, 0, 2, 2]
    # at Wed 09:35: today holds the reports of t1 (09:00) and t0 (09:20), and the close at 09:30
    assert partial.days == [TUE, WED]
    assert partial.reported == [4, 2] and partial.closed == [2, 1]
    assert short.days == [WED] and short.reported == [5] and short.closed == [2]


# =========================================================================== rankings and drill-down


def _month_scenario(c: City) -> dict[str, int]:
    """Month to date (1 .. 11 March) plus two February cases still open.

    Street 甲 (S1: G1a, G1b): one case filed, dispatched to 市政管理处 (MUN) and closed in time;
    street 乙 (S2: G2a): two cases dispatched to 环卫中心 (SAN), one red, one parked.
    February (outside the month): a MUN case still handling (red), and a report never filed (red).
    """
    ids = {}
    ids["feb_mun"] = x = c.report(at(date(2026, 2, 10), 10, 0), grid="G1b")
    c.file(at(date(2026, 2, 10), 10, 1), x)
    c.dispatch(at(date(2026, 2, 10), 10, 2), x, "MUN")
    ids["feb_open"] = c.report(at(date(2026, 2, 11), 10, 0), grid="G1a")
    ids["mun_closed"] = x = c.report(at(MON, 9, 0), grid="G1a")
    c.file(at(MON, 9, 1), x)
    c.dispatch(at(MON, 9, 2), x, "MUN")  # handle due 11:02
    c.close_loop(x, at(MON, 10, 0), at(MON, 10, 10), at(MON, 10, 20))  # fed back in time
    ids["san_red"] = x = c.report(at(MON, 9, 10), grid="G2a")
    c.file(at(MON, 9, 11), x)
    c.dispatch(at(MON, 9, 12), x, "SAN")  # handle due Mon 11:12: red now
    ids["san_parked"] = x = c.report(at(MON, 9, 20), grid="G2a")
    c.file(at(MON, 9, 21), x)
    c.dispatch(at(MON, 9, 22), x, "SAN")
    c.park(at(MON, 9, 30), x, handler="h_san")
    c.t = NOW
    return ids


def test_rankings(city):
    _month_scenario(city)
    m = city.m
    with Session(city.engine) as s:
        r = wd.rankings(s, NOW)
    assert r.period_start == date(2026, 3, 1)
    d = {x.name: x for x in r.departments}
    # MUN: 1 case due, closed 1/1, fed back in time 1/1, no rework; cases-due score 100·(1 − 1/2) = 50
    # (the largest district department has 2): (10·50 + 30·100 + 30·100 + 30·100) / 100 = 95
    assert d["市政管理处"].score == pytest.approx(95.0) and d["市政管理处"].grade == "A"
    # SAN: 2 cases due, closed 0 of (2 − 1 parked), no feedback: (10·0 + 30·0) / 40 = 0
    assert d["环卫中心"].score == pytest.approx(0.0) and d["环卫中心"].grade == "E"
    # cases: the month's cases dispatched to each (the February MUN case is not in the month)
    assert (d["市政管理处"].cases, d["环卫中心"].cases) == (1, 2)
    # overdue now in each department's hands: MUN the February case; SAN the red one (the parked one is not)
    assert (d["市政管理处"].overdue_now, d["环卫中心"].overdue_now) == (1, 1)
    # the street units had nothing: no score, listed last by name (乙 U+4E59 before 甲 U+7532)
    assert [x.name for x in r.departments] == ["市政管理处", "环卫中心", "乙街道环卫所", "甲街道城管科", "甲街道环卫所"]
    assert all(x.score is None and x.grade is None and x.cases == 0 and x.overdue_now == 0 for x in r.departments[2:])
    assert {x.id for x in r.departments} == {m.depts[k] for k in ("MUN", "SAN", "S1_SAN", "S1_CG", "S2_SAN")}

    st = {x.name: x for x in r.streets}
    assert [x.name for x in r.streets] == ["甲街道", "乙街道"]
    # density: 甲 1 filed / 0.02 km² = 50, 乙 2 / 0.02 = 100, mean 75 → bands 0.67 → 90, 1.33 → 70
    # 甲: (20·90 + 20·100 + 30·100 + 30·100) / 100 = 98
    # 乙: closure 0/(2 − 1), no close so no on-time rate: (20·70 + 20·100 + 30·0) / 70 = 48.57
    assert st["甲街道"].score == pytest.approx(98.0) and st["甲街道"].grade == "A"
    assert st["乙街道"].score == pytest.approx(3400 / 70) and st["乙街道"].grade == "D"
    assert (st["甲街道"].cases, st["乙街道"].cases) == (1, 2)
    # red now in the street's grids: 甲 the two February cases (G1b, G1a); 乙 the red SAN case
    assert (st["甲街道"].overdue_now, st["乙街道"].overdue_now) == (2, 1)
    assert (st["甲街道"].id, st["乙街道"].id) == (m.regions["S1"], m.regions["S2"])


def test_rankings_put_an_unscored_street_last(city):
    # only street 乙 has a case this month: 甲 has no score and goes after 乙
    c = city
    x = c.report(at(MON, 9, 0), grid="G2b")
    c.file(at(MON, 9, 1), x)
    with Session(city.engine) as s:
        r = wd.rankings(s, NOW)
    assert [(x.name, x.score is None) for x in r.streets] == [("乙街道", False), ("甲街道", True)]
    assert r.streets[0].cases == 1 and r.streets[1].cases == 0


def test_drill_pages(city):
    _month_scenario(city)
    m = city.m
    with Session(city.engine) as s:
        pages = wd.drill_pages(s, NOW)
        deeper = wd.drill_pages(s, NOW, depth=3)
        top_only = wd.drill_pages(s, NOW, depth=1)
    # the city, then its one district
    assert [(p.node_id, p.name, p.level) for p in pages] == [(None, "测试市", "district"), (m.regions["district"], "测试区", "street")]
    assert all(p.period_start == date(2026, 3, 1) for p in pages)
    city_page, district = pages
    # reported this month: 甲 1 (the February cases are outside the month), 乙 2
    # closure: 甲 1/1; 乙 0/(2 − 1 parked); the district 1/(3 − 1) = 0.5
    # on time: 甲 1/1; 乙 no close; overdue now: 甲 2 (February cases), 乙 1
    assert [(x.node_id, x.name, x.reported, x.closure_rate, x.on_time_rate, x.overdue_now) for x in district.lines] == [
        (m.regions["S1"], "甲街道", 1, 1.0, 1.0, 2),
        (m.regions["S2"], "乙街道", 2, 0.0, None, 1),
    ]
    t = district.total
    assert (t.node_id, t.name, t.reported, t.closure_rate, t.on_time_rate, t.overdue_now) == (
        m.regions["district"], "测试区", 3, 0.5, 1.0, 3)
    assert [(x.node_id, x.reported, x.overdue_now) for x in city_page.lines] == [(m.regions["district"], 3, 3)]
    assert (city_page.total.node_id, city_page.total.name, city_page.total.reported, city_page.total.overdue_now) == (
        m.regions["city"], "测试市", 3, 3)
    # one level deeper: a page per street, whose children are communities
    assert [(p.name, p.level) for p in deeper] == [
        ("测试市", "district"), ("测试区", "street"), ("甲街道", "community"), ("乙街道", "community")]
    assert [(x.name, x.reported, x.overdue_now) for x in deeper[3].lines] == [("乙一社区", 2, 1)]
    assert [p.name for p in top_only] == ["测试市"]


# =========================================================================== warnings


def test_warnings(city):
    c, m = city, city.m
    today = WED
    # 8 baseline Wednesdays: one manhole case a week in G1a
    for w in range(1, 9):
        x = c.report(at(today - timedelta(weeks=w), 10, 0), grid="G1a")
        c.file(at(today - timedelta(weeks=w), 10, 1), x)
    # a bounce: reported yesterday, sent to SAN, returned, to S1_SAN, returned, to MUN today
    b = c.report(at(TUE, 15, 0), grid="G1b")
    c.file(at(TUE, 15, 1), b)
    c.dispatch(at(WED, 9, 0), b, "SAN")
    c.t = at(WED, 9, 10)
    c.wf.decide("disp", c.wf.request_return("h_san", b, reason="not ours").request_id, approve=True)
    c.t = at(WED, 9, 20)
    c.wf.dispatch("disp", b, department_id=m.depts["S1_SAN"])
    c.t = at(WED, 9, 30)
    c.wf.decide("disp", c.wf.request_return("h_s1", b, reason="not ours").request_id, approve=True)
    c.dispatch(at(WED, 9, 40), b, "MUN")
    # today: 8 manhole cases in G1a and 2 in G1b (under the minimum of 5 for a grid)
    g1a = []
    for i in range(10):
        x = c.report(at(WED, 10, i), grid="G1a" if i < 8 else "G1b")
        c.file(at(WED, 10, i), x)
        if i < 8:
            g1a.append(x)
    with Session(city.engine) as s:
        items = wd.warnings(s, at(WED, 11, 0))
        two = wd.warnings(s, at(WED, 11, 0), limit=2)
    # λ = (8 baseline cases + ½) / 8 = 1.0625 for both; the category has 10 today against G1a's 8,
    # so its Poisson tail is smaller and it comes first
    assert [x.kind for x in items] == ["category_spike", "grid_spike", "bounce"]
    cat, grid, bounce = items
    assert (cat.title, cat.count) == ("污水井盖", 10) and math.isclose(cat.expected, 1.0625)
    assert len(cat.case_ids) == 10
    assert (grid.title, grid.count) == ("410105001001001 G1a", 8) and math.isclose(grid.expected, 1.0625)
    assert grid.case_ids == sorted(g1a)
    number = c.case(b).number
    assert (bounce.title, bounce.count, bounce.expected, bounce.case_ids) == (number, 3, None, [b])
    assert two == items[:2]
    with Session(city.engine) as s:  # another day: nothing
        assert wd.warnings(s, at(date(2026, 3, 12), 9, 0)) == []


# =========================================================================== ticker


def test_newly_overdue_window(city):
    c = city
    # p: dispatched Tue 15:55 → 95 working minutes on Tuesday, 25 on Wednesday: due Wed 09:25
    p = c.report(at(TUE, 15, 50))
    c.file(at(TUE, 15, 52), p)
    c.dispatch(at(TUE, 15, 55), p)
    sh = c.report(at(WED, 8, 55), self_handled=True)  # close clock: 30 working minutes from 09:00 → 09:30
    a = c.report(at(WED, 9, 0))  # due 09:10
    b = c.report(at(WED, 9, 10))  # due 09:20
    v = c.report(at(WED, 9, 15))  # due 09:25
    cc = c.report(at(WED, 9, 20))  # due 09:30
    e = c.report(at(WED, 9, 31))  # due 09:41
    assert [c.due(x) for x in (p, sh, a, b, v, cc, e)] == [
        at(WED, 9, 25), at(WED, 9, 30), at(WED, 9, 10), at(WED, 9, 20), at(WED, 9, 25), at(WED, 9, 30), at(WED, 9, 41)]
    since, now = at(WED, 9, 10), at(WED, 9, 30)
    with Session(city.engine) as s:
        got = wd.newly_overdue(s, since, now)
    # (09:10, 09:30]: a (due at since) out, e (after now) out; newest first, then the later case first
    assert [x.case_id for x in got] == [cc, sh, v, p, b]
    assert [x.at for x in got] == [at(WED, 9, 30), at(WED, 9, 30), at(WED, 9, 25), at(WED, 9, 25), at(WED, 9, 20)]
    assert {x.kind for x in got} == {"overdue"}
    # parked, voided and closed cases leave the list
    c.park(at(WED, 9, 35), p)
    c.void(at(WED, 9, 36), v)
    c.t = at(WED, 9, 37)
    c.wf.review_self("shift", sh, approve=True)
    with Session(city.engine) as s:
        assert [x.case_id for x in wd.newly_overdue(s, since, now)] == [cc, b]
        assert [x.case_id for x in wd.newly_overdue(s, since, now, limit=1)] == [cc]
        # one second earlier, a is in
        assert [x.case_id for x in wd.newly_overdue(s, since - timedelta(seconds=1), now)] == [cc, b, a]
        assert wd.newly_overdue(s, now, at(WED, 9, 40)) == []


def test_new_cases_names(city):
    c, m = city, city.m
    g = c.report(at(WED, 9, 0), grid="G2b", kind="GARBAGE", address="乙街道8号")
    n = c.report(at(WED, 9, 5), grid="G1a", kind=None)
    # a grid hanging directly under the district: no street above it
    with Session(city.engine) as s, s.begin():
        src = s.get(UnitGrid, m.grids["G1a"])
        loose = UnitGrid(
            code="410105000000001", name="loose", region_id=m.regions["district"], geometry=src.geometry,
            area_m2=1.0, center_lon=src.center_lon, center_lat=src.center_lat, min_lon=src.min_lon,
            min_lat=src.min_lat, max_lon=src.max_lon, max_lat=src.max_lat, valid_from=date(2020, 1, 1),
        )
        s.add(loose)
        s.flush()
        loose_id, centre = loose.id, (src.center_lon, src.center_lat)
    c.t = at(WED, 8, 30)
    d = c.wf.report("intake", source="hotline", description="x", grid_id=loose_id).case_id
    with Session(city.engine) as s:
        got = wd.new_cases(s, [g, d, n, 999_999])
        assert wd.new_cases(s, []) == []
    # newest report first; the unknown id is ignored
    assert [x.case_id for x in got] == [n, g, d]
    by = {x.case_id: x for x in got}
    assert (by[g].kind, by[g].category, by[g].street, by[g].address) == ("new", "暴露垃圾", "乙街道", "乙街道8号")
    assert (by[g].lon, by[g].lat) == pytest.approx(m.point("G2b"))
    assert by[g].at == at(WED, 9, 0) and by[g].number == c.case(g).number
    assert (by[n].category, by[n].street, by[n].address) == ("", "甲街道", "")
    assert (by[d].category, by[d].street) == ("", "")
    assert (by[d].lon, by[d].lat) == pytest.approx(centre)


def test_recent_ticker(city):
    c = city
    now = at(WED, 10, 0)  # the window is (Tue 10:00, Wed 10:00]
    old = c.report(at(TUE, 9, 0))  # reported and red (Tue 09:10) before the window: not shown
    edge = c.report(at(TUE, 10, 0))  # reported at the window's open edge: not new; red Tue 10:10: shown
    x1 = c.report(at(TUE, 10, 30))  # new; red Tue 10:40
    x2 = c.report(at(WED, 9, 0))  # new; red Wed 09:10
    x3 = c.report(at(WED, 9, 50))  # new; red Wed 10:00 (= now: in)
    x4 = c.report(at(WED, 9, 55))  # new; due 10:05, not yet
    with Session(city.engine) as s:
        got = wd.recent_ticker(s, now, limit=30)
        four = wd.recent_ticker(s, now, limit=4)
    assert [(x.kind, x.case_id, x.at) for x in got] == [
        ("overdue", x3, at(WED, 10, 0)),
        ("new", x4, at(WED, 9, 55)),
        ("new", x3, at(WED, 9, 50)),
        ("overdue", x2, at(WED, 9, 10)),
        ("new", x2, at(WED, 9, 0)),
        ("overdue", x1, at(TUE, 10, 40)),
        ("new", x1, at(TUE, 10, 30)),
        ("overdue", edge, at(TUE, 10, 10)),
    ]
    assert old not in {x.case_id for x in got}
    assert four == got[:4]
    assert all(x.category == "污水井盖" and x.street == "甲街道" for x in got)
