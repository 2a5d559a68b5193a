"""Rollups: kept by the workflow in each action's transaction, equal to a rebuild from the events.

A scenario of real workflow actions (mini city, injectable clock, across a night, a weekend and
a month boundary) walks every path the rollup rules know: verification, filing with a category
change, self-handling approved and rejected, voids before and after filing, returns and a
bounce, extensions, parking and resuming, failed re-checks and the shift leader's rework,
urging. Then the incrementally maintained tables must equal a full rebuild, a rebuild from a
date, and a second rebuild (idempotence), on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from gridstation.analytics import model as model_analytics  # noqa: F401  (registers the rollup tables)
from gridstation.analytics import rollup
from gridstation.analytics.model import (
    CASE_COUNTERS,
    HIST_COLUMNS,
    RollupCaseDay,
    RollupGridMonth,
    RollupPositionDay,
    RollupRegionDay,
    RollupRegionMonth,
)
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

THU = datetime(2026, 2, 26, 9, 0)  # Thursday; the scenario runs into March


class Clock:
    def __init__(self, t: datetime) -> None:
        self.t = t

    def __call__(self) -> datetime:
        return self.t

    def add(self, minutes: float) -> None:
        self.t += timedelta(minutes=minutes)

    def at(self, t: datetime) -> None:
        self.t = t


def scenario(engine, start: datetime = THU):
    """Run the scenario; returns (mini city, workflow, clock, {name: case id})."""
    m = build_mini_city(engine)
    clock = Clock(start)
    wf = Workflow(engine, clock=clock)
    ids = {}
    u = m.users
    pt = m.point

    # 1. supervisor report, reworked once (failed re-check), an extension in the second round
    lon, lat = pt("G1a")
    c = wf.report("sup1", source="supervisor", description="井盖破损", lon=lon, lat=lat, category_id=m.cats["MANHOLE"]).case_id
    ids["reworked"] = c
    clock.add(5); wf.file("shift", c)
    clock.add(4); wf.dispatch("disp", c, department_id=m.depts["MUN"])
    clock.add(150); wf.feedback("h_mun", c, note="已更换")  # 150 > 120 working minutes: late
    clock.add(3); wf.assign_check("intake", c, u["sup1"])
    clock.add(20); wf.recheck("sup1", c, fixed=False, note="未更换到位")
    clock.add(5); wf.dispatch("disp", c, department_id=m.depts["MUN"])
    clock.add(30); r = wf.request_extension("h_mun", c, hours=2, reason="材料")
    clock.add(5); wf.decide("disp", r.request_id, approve=True)
    clock.add(180); wf.feedback("h_mun", c, note="已更换")  # within 120 + 120 extension
    clock.add(5); wf.assign_check("intake", c, u["sup1"])
    clock.add(20); wf.recheck("sup1", c, fixed=True)
    clock.add(10); wf.close("shift", c)

    # 2. hotline report without category, verified, filed as garbage (street level), parked and
    #    resumed, fixed, then reworked by the shift leader, handled again and closed
    lon, lat = pt("G2a")
    c = wf.report("intake", source="hotline", description="路边垃圾", lon=lon, lat=lat, reporter_name="王先生").case_id
    ids["parked_resumed"] = c
    clock.add(2); wf.assign_verify("intake", c, u["sup2"])
    clock.add(12); wf.verify("sup2", c, confirmed=True)
    clock.add(8); wf.file("shift", c, category_id=m.cats["GARBAGE"])
    clock.add(9); wf.dispatch("st2", c, department_id=m.depts["S2_SAN"])
    clock.add(60); r = wf.request_park("h_s2", c, reason="需预算")
    clock.add(10); wf.decide("st2", r.request_id, approve=True)
    clock.add(60 * 24 * 2); wf.resume("st2", c)
    clock.add(120); wf.feedback("h_s2", c, note="已清运")
    clock.add(4); wf.assign_check("intake", c, u["sup2"])
    clock.add(30); wf.recheck("sup2", c, fixed=True)
    clock.add(15); wf.rework("shift", c, reason="照片不清")
    clock.add(20); wf.dispatch("st2", c, department_id=m.depts["S2_SAN"])
    clock.add(60); wf.feedback("h_s2", c, note="已清运")
    clock.add(2); wf.assign_check("shift", c, u["sup2"])
    clock.add(10); wf.recheck("sup2", c, fixed=True)
    clock.add(5); wf.close("shift", c)

    # 3. public report urged before filing, then voided (duplicate)
    lon, lat = pt("G1b")
    c = wf.report("intake", source="public", description="有人占道", lon=lon, lat=lat).case_id
    ids["voided_early"] = c
    clock.add(3); wf.urge("leader", c, opinion="尽快核实")
    clock.add(5); wf.void("shift", c, reason="重复上报")

    # 4. self-handled and approved; 5. self-handled, rejected, filed, left to dispatch
    lon, lat = pt("G1a")
    c = wf.report("sup1", source="supervisor", description="小广告已清除", lon=lon, lat=lat,
                  category_id=m.cats["GARBAGE"], self_handled=True).case_id
    ids["self_ok"] = c
    clock.add(20); wf.review_self("shift", c, approve=True)
    lon, lat = pt("G2b")
    c = wf.report("sup2", source="supervisor", description="垃圾", lon=lon, lat=lat, self_handled=True).case_id
    ids["self_rejected"] = c
    clock.add(20); wf.review_self("shift", c, approve=False, note="需派遣")
    clock.add(10); wf.file("shift", c, category_id=m.cats["GARBAGE"])

    # the next working day
    clock.at(clock.t.replace(hour=9, minute=0) + timedelta(days=1))
    # 6. mis-dispatched, returned, dispatched right, urged and replied, left handling
    lon, lat = pt("G1b")
    c = wf.report("sup1", source="supervisor", description="井盖丢失", lon=lon, lat=lat, category_id=m.cats["MANHOLE"]).case_id
    ids["returned_once"] = c
    clock.add(5); wf.file("shift", c)
    clock.add(3); wf.dispatch("disp", c, department_id=m.depts["SAN"])
    clock.add(20); r = wf.request_return("h_san", c, reason="不属于本单位")
    clock.add(5); wf.decide("disp", r.request_id, approve=True)
    clock.add(4); wf.dispatch("disp", c, department_id=m.depts["MUN"])
    clock.add(30); wf.urge("leader", c, opinion="加快")
    clock.add(10); wf.reply_urge("h_mun", c, reply="处理中")

    # 7. filed then voided; 8. parked and left parked; 9. bounced A → B → A
    lon, lat = pt("G2b")
    c = wf.report("sup2", source="supervisor", description="井盖", lon=lon, lat=lat, category_id=m.cats["MANHOLE"]).case_id
    ids["voided_after_filing"] = c
    clock.add(5); wf.file("shift", c)
    clock.add(5); wf.void("shift", c, reason="不属于立案范围")
    c = wf.report("sup2", source="supervisor", description="井盖", lon=lon, lat=lat, category_id=m.cats["MANHOLE"]).case_id
    ids["parked_now"] = c
    clock.add(5); wf.file("shift", c)
    clock.add(5); wf.dispatch("disp", c, department_id=m.depts["MUN"])
    clock.add(30); r = wf.request_park("h_mun", c, reason="预算")
    clock.add(5); wf.decide("disp", r.request_id, approve=True)
    lon, lat = pt("G1a")
    c = wf.report("sup1", source="supervisor", description="井盖", lon=lon, lat=lat, category_id=m.cats["MANHOLE"]).case_id
    ids["bounced"] = c
    clock.add(5); wf.file("shift", c)
    clock.add(5); wf.dispatch("disp", c, department_id=m.depts["SAN"])
    clock.add(10); r = wf.request_return("h_san", c, reason="不是我们的")
    clock.add(5); wf.decide("disp", r.request_id, approve=True)
    clock.add(5); wf.dispatch("disp", c, department_id=m.depts["MUN"])
    clock.add(10); r = wf.request_return("h_mun", c, reason="也不是我们的")
    clock.add(5); wf.decide("disp", r.request_id, approve=True)
    clock.add(5); wf.dispatch("disp", c, department_id=m.depts["SAN"])
    clock.add(10); r = wf.request_extension("h_san", c, hours=1, reason="r")
    clock.add(5); wf.decide("disp", r.request_id, approve=False, note="不同意")

    # across the weekend and into March: a camera report handled late and closed
    clock.at(datetime(2026, 3, 2, 10, 0))
    lon, lat = pt("G2a")
    c = wf.report("intake", source="camera", description="占道经营", lon=lon, lat=lat, category_id=m.cats["GARBAGE"]).case_id
    ids["march"] = c
    clock.add(20); wf.assign_verify("intake", c, u["sup2"])  # 20 > 10 minutes: late task dispatch
    clock.add(40); wf.verify("sup2", c, confirmed=True)  # after the 30-minute filing deadline
    clock.add(5); wf.file("shift", c)
    clock.add(5); wf.change_level("st2", c, level="district", reason="需区级协调")
    clock.add(5); wf.dispatch("disp", c, department_id=m.depts["SAN"])
    clock.add(60 * 24); wf.feedback("h_san", c, note="done")
    clock.add(30); wf.assign_check("intake", c, u["sup2"])
    clock.add(90); wf.recheck("sup2", c, fixed=True)
    clock.add(45); wf.close("shift", c)
    return m, wf, clock, ids


def dump(engine) -> dict[str, list[tuple]]:
    """The three tables, without rows whose every value is zero (a filing empties a row)."""
    out = {}
    with engine.connect() as conn:
        for model in (RollupCaseDay, RollupGridMonth, RollupRegionDay, RollupRegionMonth, RollupPositionDay):
            t = model.__table__
            keys = [c.name for c in t.primary_key.columns]
            rows = []
            for r in conn.execute(select(t).order_by(*t.primary_key.columns)):
                d = dict(r._mapping)
                vals = tuple((k, d[k]) for k in t.c.keys() if k not in keys and d[k])
                if vals:
                    rows.append(tuple(d[k] for k in keys) + vals)
            out[t.name] = rows
    return out


def test_incremental_equals_rebuild(engine):
    scenario(engine)
    live = dump(engine)
    assert live["rollup_case_day"] and live["rollup_position_day"] and live["rollup_region_month"]
    rollup.rebuild(engine)
    assert dump(engine) == live
    rollup.rebuild(engine)  # idempotent
    assert dump(engine) == live
    rollup.rebuild(engine, since=date(2026, 3, 2))  # from March on only
    assert dump(engine) == live
    rollup.rebuild(engine, since=datetime(2026, 2, 27, 12, 0))
    assert dump(engine) == live


def test_rebuild_restores_damaged_rows(engine):
    scenario(engine)
    live = dump(engine)
    with engine.begin() as conn:
        conn.execute(RollupCaseDay.__table__.delete())
        conn.execute(RollupPositionDay.__table__.update().values(reports=99))
    assert dump(engine) != live
    rollup.rebuild(engine)
    assert dump(engine) == live


def test_scenario_totals(engine):
    """The summed rollups say what the scenario did (a readable spot check of the rules)."""
    scenario(engine)
    with engine.connect() as conn:
        t = RollupGridMonth.__table__
        tot = {c: sum(r[0] for r in conn.execute(select(t.c[c]))) for c in CASE_COUNTERS}
        months = sorted({r[0] for r in conn.execute(select(t.c.month))})
    assert months == [date(2026, 2, 1), date(2026, 3, 1)]
    assert tot["reported"] == 10
    assert tot["public_reports"] == 2  # the hotline and the public report
    assert tot["filed"] == 9  # all but the early void; the approved self-handling counts as filed
    assert tot["voided"] == 2 and tot["voided_filed"] == 1
    assert tot["dispatched"] == 6  # reworked, parked_resumed, returned_once, parked_now, bounced, march
    assert tot["closed"] == 4  # reworked, parked_resumed, self_ok, march
    assert tot["returns"] == 3 and tot["extensions"] == 1 and tot["parked"] == 2 and tot["parked_now"] == 1
    assert tot["reworks"] == 2 and tot["urged"] == 2
    assert tot["fed_back"] == 5


def test_histogram_and_percentile():
    assert rollup.bucket_of(0) == 0 and rollup.bucket_of(0.99) == 0
    assert rollup.bucket_of(1) == 1 and rollup.bucket_of(1.41) == 1 and rollup.bucket_of(1.42) == 2
    assert rollup.bucket_of(32767) == 30 and rollup.bucket_of(32768) == 31 and rollup.bucket_of(1e9) == 31
    for b in range(1, 31):
        lo, hi = rollup.bucket_bounds(b)
        assert rollup.bucket_of(lo) == b and rollup.bucket_of(hi * 0.999999) == b
        assert math.isclose(hi / lo, math.sqrt(2))
    values = [3, 7, 12, 30, 45, 60, 90, 200, 400, 1000]
    hist = [0] * len(HIST_COLUMNS)
    for v in values:
        hist[rollup.bucket_of(v)] += 1
    p90 = rollup.percentile(hist, 0.9)
    exact = sorted(values)[math.ceil(0.9 * len(values)) - 1]  # nearest rank: 400
    assert rollup.bucket_of(p90) == rollup.bucket_of(exact)
    assert rollup.percentile([0] * 32) is None


@pytest.mark.parametrize("n", [1, 7, 100])
def test_percentile_within_a_bucket(n):
    import random

    rng = random.Random(n)
    values = [rng.lognormvariate(5, 1.5) for _ in range(n)]
    hist = [0] * 32
    for v in values:
        hist[rollup.bucket_of(v)] += 1
    exact = sorted(values)[math.ceil(0.9 * n) - 1]
    est = rollup.percentile(hist, 0.9)
    assert rollup.bucket_of(est) == rollup.bucket_of(exact)
    assert est / exact < math.sqrt(2) and exact / est < math.sqrt(2)


def test_upgrading_an_older_database_fills_the_rollups(db_url):
    """A center's database from before the rollup tables: after `gridstation db upgrade`
    drill-down sees its whole history (the upgrade rebuilds the rollups from the events)."""
    from alembic import command
    from sqlalchemy import func, select

    from gridstation.store.db import alembic_config, make_engine, session_factory
    from gridstation.schema import upgrade
    from gridstation.analytics.model import RollupCaseDay
    from gridstation.cases.workflow import Workflow
    from tests.minicity import build_mini_city

    engine = make_engine(db_url)
    m = build_mini_city(engine)
    wf = Workflow(engine)
    lon, lat = m.point("G1a")
    for _ in range(3):
        wf.report("sup1", source="supervisor", description="x", lon=lon, lat=lat, category_id=m.cats["MANHOLE"])
    engine.dispose()
    command.downgrade(alembic_config(db_url), "0002")  # as it was before the analytics migration
    upgrade(db_url)
    engine = make_engine(db_url)
    with session_factory(engine)() as s:
        assert s.scalar(select(func.sum(RollupCaseDay.reported))) == 3
    engine.dispose()
