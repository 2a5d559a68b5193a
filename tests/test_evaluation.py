"""Evaluation against a hand-computed fixture (domain.md §5), on SQLite and PostgreSQL.

The event log below is written through the real ``Workflow`` in the mini city (tests/minicity.py)
with an injected clock. Working hours are 09:00-12:00 and 13:30-17:30; March 2026 has no holiday.
Category limits: 污水井盖 MANHOLE (district, 市政 MUN): file 10 min, dispatch 10 min, handle
2 working hours, check 60 min, close 30 min. 暴露垃圾 GARBAGE (street): file 30, dispatch 30,
handle 1 working day (420 min), check 60, close 30. A report without category gets the default
30-minute filing limit. Task dispatch (核实/核查 派遣) is on time within 10 working minutes.

The period is P = [Mon 2 March, Sat 7 March). Case H is reported before P (Fri 27 Feb), so it
never counts for regions and departments, while what people did to it inside P counts for their
positions. Every expected number is derived in the comments next to the scenario and the asserts.

Timeline (deadline in brackets, ✓ on time, ✗ late):

H  Fri 27 Feb 17:00 intake, hotline, G1a, MANHOLE          [file 17:10]
A  Mon 09:00 sup1, G1a, MANHOLE                             [file 09:10]
   09:05 file ✓ [dispatch 09:15]   09:12 dispatch MUN ✓ [handle 09:12+120 = 11:12]
   11:00 feedback ✓ [check 12:00]   11:05 assign_check (5 min) ✓
   11:30 recheck fixed ✓ [close 12:00]   11:40 close ✓      case on time (11:00 ≤ 11:12)
H  Mon 09:20 assign_verify (Fri 17:00-17:30 + 09:00-09:20 = 50 min) ✗
   09:25 verify ✗ (after Fri 17:10)   09:26 file ✗   (stays to be dispatched)
B  Mon 09:30 sup1, G1b, MANHOLE [file 09:40]   09:50 file ✗ [dispatch 10:00]
   09:55 dispatch MUN ✓ [handle 11:55]   13:40 feedback ✗ [check 14:40]
   13:55 assign_check (15 min) ✗   14:50 recheck NOT fixed ✗ → 返工 against MUN [dispatch 15:00]
   14:55 dispatch MUN ✓ [handle 14:55+120 = 16:55]   15:00 extension 1 h asked, 15:05 approved
         [handle 14:55+180: 155 min to 17:30 + 25 → Tue 09:25]
   Tue 09:00 feedback ✓ (against the extended limit) [check 10:00]   09:08 assign_check (8 min) ✓
   09:40 recheck fixed ✓ [close 10:10]   10:20 close ✗       case on time (last round 09:00 ≤ 09:25)
C  Mon 10:00 intake, hotline, G2a, no category [file 10:30]   10:05 assign_verify (5 min) ✓
   10:25 verify by sup2 ✓   10:40 file as GARBAGE ✗ [dispatch 11:10]   10:50 dispatch S2_SAN by st2 ✓
   11:32 park asked, 11:42 approved: parked across the end of P
   Mon 9 Mar 09:00 resume; 10:00 feedback ✓; 10:05 assign_check ✓; 10:30 recheck ✓; 10:45 close ✓
D  Tue 11:00 intake, public, G1b, MANHOLE [file 11:10]   11:02 assign_verify (2 min) ✓
   11:08 verify by sup1 (not confirmed) ✓   11:30 void (before filing)
E  Tue 14:00 sup2 self-handled, G2b, GARBAGE [close 14:30]   14:20 approved ✓ (filed and closed)
F  Wed 09:00 sup2, G2b, MANHOLE   09:05 file ✓   09:10 void (after filing)
G  Wed 10:00 sup1, G1a, MANHOLE   10:05 file ✓ [dispatch 10:15]   10:20 dispatch SAN ✗
   10:40 return asked, 10:50 approved (回退) [dispatch 11:00]   10:55 dispatch MUN ✓ (left handling)
"""

from __future__ import annotations

import csv
import io
import math
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy.orm import Session

from gridstation.cli import evaluate as cli_report
from gridstation.analytics import model as model_analytics
from gridstation.analytics import evaluation as ev
from gridstation.analytics.drilldown import Period
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city
from tests.test_rollup import Clock

P = Period(date(2026, 3, 2), date(2026, 3, 7))


def t(day: int, hm: str, month: int = 3) -> datetime:
    h, m = hm.split(":")
    return datetime(2026, month, day, int(h), int(m))


class Fixture:
    def __init__(self, engine):
        self.engine = engine
        self.m = m = build_mini_city(engine)
        self.clock = Clock(t(27, "17:00", 2))
        self.wf = wf = Workflow(engine, clock=self.clock)
        u, at = m.users, self.clock.at
        self.ids = {}

        def report(login, source, grid, cat=None, **kw):
            lon, lat = m.point(grid)
            return wf.report(login, source=source, description="问题", lon=lon, lat=lat,
                             category_id=m.cats[cat] if cat else None, **kw).case_id

        H = report("intake", "hotline", "G1a", "MANHOLE")
        at(t(2, "09:00")); A = report("sup1", "supervisor", "G1a", "MANHOLE")
        at(t(2, "09:05")); wf.file("shift", A)
        at(t(2, "09:12")); wf.dispatch("disp", A, department_id=m.depts["MUN"])
        at(t(2, "09:20")); wf.assign_verify("intake", H, u["sup1"])
        at(t(2, "09:25")); wf.verify("sup1", H, confirmed=True)
        at(t(2, "09:26")); wf.file("shift", H)
        at(t(2, "09:30")); B = report("sup1", "supervisor", "G1b", "MANHOLE")
        at(t(2, "09:50")); wf.file("shift", B)
        at(t(2, "09:55")); wf.dispatch("disp", B, department_id=m.depts["MUN"])
        at(t(2, "10:00")); C = report("intake", "hotline", "G2a")
        at(t(2, "10:05")); wf.assign_verify("intake", C, u["sup2"])
        at(t(2, "10:25")); wf.verify("sup2", C, confirmed=True)
        at(t(2, "10:40")); wf.file("shift", C, category_id=m.cats["GARBAGE"])
        at(t(2, "10:50")); wf.dispatch("st2", C, department_id=m.depts["S2_SAN"])
        at(t(2, "11:00")); wf.feedback("h_mun", A, note="已更换")
        at(t(2, "11:05")); wf.assign_check("intake", A, u["sup1"])
        at(t(2, "11:30")); wf.recheck("sup1", A, fixed=True)
        at(t(2, "11:32")); r = wf.request_park("h_s2", C, reason="需预算")
        at(t(2, "11:40")); wf.close("shift", A)
        at(t(2, "11:42")); wf.decide("st2", r.request_id, approve=True)
        at(t(2, "13:40")); wf.feedback("h_mun", B, note="已处理")
        at(t(2, "13:55")); wf.assign_check("intake", B, u["sup1"])
        at(t(2, "14:50")); wf.recheck("sup1", B, fixed=False, note="未处理到位")
        at(t(2, "14:55")); wf.dispatch("disp", B, department_id=m.depts["MUN"])
        at(t(2, "15:00")); r = wf.request_extension("h_mun", B, hours=1, reason="需材料")
        at(t(2, "15:05")); wf.decide("disp", r.request_id, approve=True)
        at(t(3, "09:00")); wf.feedback("h_mun", B, note="已处理")
        at(t(3, "09:08")); wf.assign_check("intake", B, u["sup1"])
        at(t(3, "09:40")); wf.recheck("sup1", B, fixed=True)
        at(t(3, "10:20")); wf.close("shift", B)
        at(t(3, "11:00")); D = report("intake", "public", "G1b", "MANHOLE")
        at(t(3, "11:02")); wf.assign_verify("intake", D, u["sup1"])
        at(t(3, "11:08")); wf.verify("sup1", D, confirmed=False, note="重复")
        at(t(3, "11:30")); wf.void("shift", D, reason="重复上报")
        at(t(3, "14:00")); E = report("sup2", "supervisor", "G2b", "GARBAGE", self_handled=True)
        at(t(3, "14:20")); wf.review_self("shift", E, approve=True)
        at(t(4, "09:00")); F = report("sup2", "supervisor", "G2b", "MANHOLE")
        at(t(4, "09:05")); wf.file("shift", F)
        at(t(4, "09:10")); wf.void("shift", F, reason="不属于立案范围")
        at(t(4, "10:00")); G = report("sup1", "supervisor", "G1a", "MANHOLE")
        at(t(4, "10:05")); wf.file("shift", G)
        at(t(4, "10:20")); wf.dispatch("disp", G, department_id=m.depts["SAN"])
        at(t(4, "10:40")); r = wf.request_return("h_san", G, reason="不属于本单位")
        at(t(4, "10:50")); wf.decide("disp", r.request_id, approve=True)
        at(t(4, "10:55")); wf.dispatch("disp", G, department_id=m.depts["MUN"])
        self.ids = dict(A=A, B=B, C=C, D=D, E=E, F=F, G=G, H=H)

    def finish_c(self):
        """After the period: C resumes and is handled and closed (Mon 9 March)."""
        wf, at, C = self.wf, self.clock.at, self.ids["C"]
        at(t(9, "09:00")); wf.resume("st2", C)
        at(t(9, "10:00")); wf.feedback("h_s2", C, note="已清运")
        at(t(9, "10:05")); wf.assign_check("intake", C, self.m.users["sup2"])
        at(t(9, "10:30")); wf.recheck("sup2", C, fixed=True)
        at(t(9, "10:45")); wf.close("shift", C)

    def evaluate(self, obj, period=P, **kw):
        with Session(self.engine) as s:
            return ev.evaluate(s, obj, period, **kw)


def rows_by_code(result):
    return {r.code: r for r in result.rows}


def approx(a, b):
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def check(row, values: dict, score, grade):
    for k, v in values.items():
        assert approx(row.values[k], v), (row.code, k, row.values[k], v)
    assert approx(row.score, score), (row.code, row.score, score)
    assert row.grade == grade, (row.code, row.grade, grade)


@pytest.fixture
def fx(engine):
    return Fixture(engine)


def test_positions(fx):
    fx.finish_c()  # what happens after the period changes no position figure of P
    r = rows_by_code(fx.evaluate("positions"))
    # sup1: reports A, B, G (Mon, Mon, Wed) = 3, all filed → valid 3, none voided before filing
    #   valid rate 3/3 = 1 → 100.  Missed: filed hotline/public reports of P in S1 (G1a, G1b):
    #   D was voided, H is before P → 0; missed rate 0/(3+0) = 0 → score 100.
    #   核实 in P: H 09:25 ✗ (deadline Fri 17:10), D 11:08 ✓ (deadline 11:10) → 1/2 = 0.5 → 50.
    #   核查 in P: A 11:30 ✓, B 14:50 ✗, B Tue 09:40 ✓ → 2/3 → 66.667.
    #   composite = .4·100 + .2·100 + .2·50 + .2·66.667 = 40 + 20 + 10 + 13.333 = 83.333 → B
    check(r["sup1"], {"reports": 3, "valid_reports": 3, "valid_rate": 1.0, "missed": 0, "missed_rate": 0.0,
                      "verify_on_time": 0.5, "recheck_on_time": 2 / 3}, 40 + 20 + 10 + 40 / 3, "B")
    # sup2: reports E (self-handled, approved) and F (filed, voided after) → valid 2, rate 1 → 100.
    #   Missed: C (hotline, G2a, filed) → 1, shared by the supervisors patrolling G2a: sup2 alone.
    #   missed rate 1/(2+1) = 1/3 → 66.667.  核实: C 10:25 ✓ (10:30) → 1/1 → 100.
    #   核查 in P: none (C's is on 9 March) → no basis: its weight 20 is shared out.
    #   composite = (40·100 + 20·66.667 + 20·100) / 80 = 7333.33 / 80 = 91.667 → A
    check(r["sup2"], {"reports": 2, "valid_reports": 2, "valid_rate": 1.0, "missed": 1.0, "missed_rate": 1 / 3,
                      "verify_on_time": 1.0, "recheck_on_time": None}, (4000 + 2000 * 2 / 3 + 2000) / 80, "A")
    # intake: received C, D (H was on 27 Feb) = 2, the most of any intake operator → 100.
    #   核实 tasks in P: H ✗ (50 working min), C ✓ (5), D ✓ (2) → 2/3.
    #   核查 tasks in P: A ✓ (5), B ✗ (15), B ✓ (8) → 2/3.
    #   composite = .25·100 + .40·66.667 + .35·66.667 = 25 + 50 = 75 → B (75 is B's floor)
    check(r["intake"], {"received": 2, "verify_dispatch_on_time": 2 / 3, "check_dispatch_on_time": 2 / 3}, 75.0, "B")
    # shift: filed H ✗, A ✓, B ✗, C ✗, F ✓, G ✓ = 6, 3 on time → 0.5 → 50.
    #   accurate filing: F voided after filing → (6 − 1)/6 = 0.8333 → 83.333.
    #   closings: A ✓ (11:40 ≤ 12:00), B ✗ (10:20 > 10:10), E ✓ (14:20 ≤ 14:30) → 2/3 → 66.667.
    #   composite = .25·50 + .40·83.333 + .35·66.667 = 12.5 + 33.333 + 23.333 = 69.167 → C
    check(r["shift"], {"filed": 6, "filing_on_time": 0.5, "filing_accuracy": 5 / 6, "closing_on_time": 2 / 3},
          12.5 + 40 * 5 / 6 + 35 * 2 / 3, "C")
    # disp: dispatches A ✓, B ✓, B (after the 返工) ✓, G to SAN ✗ (10:20 > 10:15), G to MUN ✓ = 5, 4 on time
    #   → 0.8; one of the 5 was returned (回退) → accuracy 1 − 1/5 = 0.8; the most of the dispatchers → 100.
    #   composite = .2·100 + .4·80 + .4·80 = 84 → B
    check(r["disp"], {"dispatched": 5, "dispatch_on_time": 0.8, "dispatch_accuracy": 0.8}, 84.0, "B")
    # st2 (street dispatcher, peers: st1 with 0): C ✓ → 1/1, none returned → 100 everywhere → A
    check(r["st2"], {"dispatched": 1, "dispatch_on_time": 1.0, "dispatch_accuracy": 1.0}, 100.0, "A")
    # zero activity: listed, not graded
    for login in ("st1", "shift_s2"):
        assert r[login].score is None and r[login].grade is None
    assert "off" not in r  # an inactive account without activity is not listed
    assert r["st1"].values["dispatched"] == 0


def test_departments_and_the_parked_case(fx):
    # --- at the end of the week C is parked: it is not due, and S2_SAN has no rate to be graded on
    r = rows_by_code(fx.evaluate("departments"))
    s2 = r["S201"]
    assert s2.values == {"cases_due": 1, "closure_rate": None, "handling_on_time": None, "rework_rate": None}
    assert s2.score is None and s2.grade is None
    fx.finish_c()
    r = rows_by_code(fx.evaluate("departments"))
    # MUN (D02): cases of P dispatched to it and not returned: A, B (twice, one case), G → 3.
    #   Closed with MUN last: A, B → 2; parked now 0 → closure 2/3.
    #   Feedbacks: A ✓ (11:00 ≤ 11:12), B ✗ (13:40 > 11:55), B ✓ (Tue 09:00 ≤ 09:25 extended) → 2/3.
    #   Reworks: B's failed re-check → 1 of 3 feedbacks → rework rate 1/3 → score 66.667.
    #   Case count among district departments: MUN 3, SAN 0 (G was returned) → 100·(1 − 3/3) = 0.
    #   composite = .1·0 + .3·66.667 + .3·66.667 + .3·66.667 = 60 → C
    check(r["D02"], {"cases_due": 3, "closure_rate": 2 / 3, "handling_on_time": 2 / 3, "rework_rate": 1 / 3}, 60.0, "C")
    # S2_SAN (S201): C → due 1, closed 1 (on 9 March: figures are as of the evaluation), fed back on
    #   time (counted time 50 + 60 min, parked days not counted) → 1, rework 0.
    #   Count among street units: S2_SAN 1, S1_SAN 0, S1_CG 0 → 100·(1 − 1/1) = 0.
    #   composite = 0 + 30 + 30 + 30 = 90 → A
    check(r["S201"], {"cases_due": 1, "closure_rate": 1.0, "handling_on_time": 1.0, "rework_rate": 0.0}, 90.0, "A")
    # SAN (D01) only had G, returned: nothing due, nothing handled → not graded
    assert r["D01"].values["cases_due"] == 0 and r["D01"].grade is None
    assert r["S101"].grade is None and r["S102"].grade is None


def test_regions(fx):
    # --- at the end of the week (C parked)
    r = rows_by_code(fx.evaluate("regions", level="grid"))
    g2a = r["410105002001001"]
    # G2a: only C: reported 1, public 1 → share 1 → score 0; due = filed 1 − parked now 1 = 0 →
    #   no closure rate; nothing closed → no on-time rate. Density 1 case / 0.01 km² = 100, the mean of
    #   the four grids is 150 (see below) → ratio 0.667 → band ≤ 0.8 → 90.
    #   composite = (.2·90 + .2·0) / .4 = 45 → D
    check(g2a, {"cases": 1, "public_share": 1.0, "closure_rate": None, "on_time_rate": None}, 45.0, "D")
    fx.finish_c()
    r = rows_by_code(fx.evaluate("regions", level="street"))
    # S1 (G1a, G1b): reported A, G, B, D = 4; public D → 1/4 → score 75; filed A, G, B = 3 (D voided
    #   before filing) → due 3; closed A, B → 2/3; both on time (B: its last round) → 1.
    #   Density 3 / 0.02 km² = 150; S2 also 150 → mean 150 → ratio 1 → band ≤ 1.2 → 80.
    #   composite = .2·80 + .2·75 + .3·66.667 + .3·100 = 16 + 15 + 20 + 30 = 81 → B
    check(r["410105001"], {"cases": 3, "density": 150.0, "public_share": 0.25, "closure_rate": 2 / 3,
                           "on_time_rate": 1.0}, 81.0, "B")
    # S2 (G2a, G2b): reported C, E, F = 3; public C → 1/3 → 66.667; filed C, E (approved self-handling), F = 3,
    #   F voided after filing → due 2; closed C, E → 1; on time C (counted 110 of 420 min), E (14:20 ≤ 14:30) → 1.
    #   composite = .2·80 + .2·66.667 + .3·100 + .3·100 = 89.333 → B
    check(r["410105002"], {"cases": 3, "density": 150.0, "public_share": 1 / 3, "closure_rate": 1.0,
                           "on_time_rate": 1.0}, 16 + 20 * 2 / 3 + 60, "B")
    r = rows_by_code(fx.evaluate("regions", level="grid"))
    # grids (0.01 km² each): filed G1a 2 (A, G), G1b 1 (B), G2a 1 (C), G2b 2 (E, F) → densities 200, 100,
    #   100, 200, mean 150 → ratios 1.333 (≤ 1.5 → 70), 0.667 (≤ 0.8 → 90), 0.667 (90), 1.333 (70).
    # G1a: public 0 → 100; due 2, closed A → 0.5 → 50; on time 1 → 100. 14 + 20 + 15 + 30 = 79 → B
    check(r["410105001001001"], {"cases": 2, "public_share": 0.0, "closure_rate": 0.5, "on_time_rate": 1.0}, 79.0, "B")
    # G1b: reported B, D, public D → 0.5 → 50; due 1 (B), closed → 100; on time → 100. 18 + 10 + 30 + 30 = 88 → B
    check(r["410105001001002"], {"cases": 1, "public_share": 0.5, "closure_rate": 1.0, "on_time_rate": 1.0}, 88.0, "B")
    # G2a (C now closed): share 1 → 0; closure 1, on time 1. 18 + 0 + 30 + 30 = 78 → B
    check(r["410105002001001"], {"cases": 1, "public_share": 1.0, "closure_rate": 1.0, "on_time_rate": 1.0}, 78.0, "B")
    # G2b: E, F: share 0 → 100; due 2 − 1 (F voided after filing) = 1, closed E → 1; on time 1. 14 + 20 + 30 + 30 = 94 → A
    check(r["410105002001002"], {"cases": 2, "public_share": 0.0, "closure_rate": 1.0, "on_time_rate": 1.0}, 94.0, "A")
    # community level: same grids as the streets here
    r = rows_by_code(fx.evaluate("regions", level="community"))
    assert approx(r["410105001001"].score, 81.0) and approx(r["410105002001"].score, 16 + 20 * 2 / 3 + 60)


def test_zero_cases(fx):
    """A period without any case: every object is listed, none graded."""
    empty = Period(date(2026, 1, 5), date(2026, 1, 10))
    for obj, level in (("regions", "grid"), ("regions", "district"), ("departments", None), ("positions", None)):
        res = fx.evaluate(obj, empty, level=level)
        assert res.rows, obj
        assert all(r.score is None and r.grade is None for r in res.rows), obj
    res = fx.evaluate("regions", empty, level="grid")
    assert all(r.values["cases"] == 0 and r.values["public_share"] is None for r in res.rows)


def test_settings_validation_and_effect(fx):
    with pytest.raises(ValueError, match="sum to 90"):
        ev.validate_settings({"weights": {"dispatcher": {"dispatched": 10, "dispatch_on_time": 40, "dispatch_accuracy": 40}}})
    with pytest.raises(ValueError, match="unknown indicator"):
        ev.validate_settings({"weights": {"dispatcher": {"speed": 100}}})
    with pytest.raises(ValueError, match="descending"):
        ev.validate_settings({"grades": [["A", 90], ["B", 95], ["E", 0]]})
    with pytest.raises(ValueError, match="start at 0"):
        ev.validate_settings({"grades": [["A", 90], ["B", 50]]})
    with pytest.raises(ValueError, match="ascending"):
        ev.validate_settings({"region_count_bands": [[2, 50], [1, 60], [None, 40]]})
    assert ev.validate_settings({}) == ev.DEFAULTS
    with Session(fx.engine) as s, s.begin():
        ev.save_settings(s, {"weights": {"dispatcher": {"dispatched": 0, "dispatch_on_time": 50, "dispatch_accuracy": 50}},
                             "grades": [["优", 85], ["良", 70], ["差", 0]]}, user_id=fx.m.users["admin"])
    with Session(fx.engine) as s:
        assert ev.load_settings(s)["grades"][0] == ["优", 85]
    r = rows_by_code(fx.evaluate("positions", level="dispatcher"))
    # disp: .5·80 + .5·80 = 80 → 良 (70 ≤ 80 < 85)
    assert approx(r["disp"].score, 80.0) and r["disp"].grade == "良"
    assert set(r) == {"disp", "st1", "st2"}


def test_formulas_for_every_indicator():
    for obj, inds in ev.INDICATORS.items():
        for key, zh, en in inds:
            k = f"{obj}.{key}"
            assert k in ev.FORMULAS_ZH and k in ev.FORMULAS_EN, k
            assert ev.FORMULAS[k].count("\n") >= 1
            assert any("\u4e00" <= ch <= "\u9fff" for ch in ev.FORMULAS_ZH[k])
    for obj, w in ev.DEFAULTS["weights"].items():
        assert sum(w.values()) == 100, obj


def test_cli(fx, db_url, tmp_path, capsys):
    import argparse

    p = argparse.ArgumentParser()
    p.add_argument("--db")
    sub = p.add_subparsers(dest="command")
    cli_report.register(sub)
    args = p.parse_args(["--db", db_url, "evaluate", "--object", "departments", "--from", "2026-03-02",
                         "--to", "2026-03-07", "--format", "csv"])
    assert args.func(args) == 0
    out = capsys.readouterr().out
    rows = list(csv.reader(io.StringIO(out)))
    header, body = rows[0], rows[1:]
    assert header[-1] == "等级 grade" and len(body) == 5
    mun = next(r for r in body if r[1] == "D02")
    assert mun[-1] == "C" and math.isclose(float(mun[-2]), 60.0)
    out_file = tmp_path / "regions.xlsx"
    args = p.parse_args(["--db", db_url, "evaluate", "--object", "regions", "--level", "grid", "--from", "2026-03-02",
                         "--to", "2026-03-07", "--format", "xlsx", "--out", str(out_file)])
    assert args.func(args) == 0
    ws = load_workbook(out_file).active
    assert ws.max_row == 5 and ws.cell(1, 2).value == "编码 code"
