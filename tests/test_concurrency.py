"""Two workstations racing on the same case, for real: two OS processes, each with its own
engine and ``Workflow``, released together by a barrier.

On PostgreSQL both transactions usually pass the ``expected_version`` check before either
commits, so the loser is stopped by the version-guarded UPDATE itself; on SQLite ``BEGIN
IMMEDIATE`` serialises the writers and the loser sees the new version. Either way exactly one
dispatch happens and the other user gets ``Conflict`` naming the winner.
"""

from __future__ import annotations

import multiprocessing as mp
import queue as queue_mod
import shutil
import time
import traceback
from datetime import datetime

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from gridstation.store.db import make_engine, session_factory
from gridstation.errors import Conflict
from gridstation.store.model import Case, CaseEvent, ChangeLog, Position, User
from gridstation.cases.workflow import Workflow
from tests.conftest import _wipe_pg
from tests.minicity import build_mini_city

SETUP_AT = datetime(2026, 3, 2, 9, 0)  # a Monday
CLOCK = {"disp": datetime(2026, 3, 2, 10, 0, 1), "disp2": datetime(2026, 3, 2, 10, 0, 2)}
ROUNDS = 5
REPORTS_EACH = 20
TIMEOUT = 90  # seconds for a whole multi-process run

# --------------------------------------------------------------------------- the workers
# Top-level functions: the "spawn" context imports this module in each child.


def _dispatch_racer(url, login, clock_iso, jobs, barrier, results):
    """For each (case, department): load the version, wait for the other process, dispatch."""
    try:
        engine = make_engine(url)
        now = datetime.fromisoformat(clock_iso)
        wf = Workflow(engine, clock=lambda: now)
        wf.calendar  # noqa: B018 - load it before the race, not inside it
        for case_id, department_id in jobs:
            with Session(engine) as s:
                version = s.get(Case, case_id).version
            barrier.wait(timeout=60)
            try:
                r = wf.dispatch(login, case_id, department_id=department_id, expected_version=version)
                results.put((case_id, login, "ok", f"version {r.version}", None, None))
            except Exception as e:  # noqa: BLE001 - the parent judges what was raised
                results.put((case_id, login, type(e).__name__, str(e), getattr(e, "by", None), getattr(e, "at", None)))
        engine.dispose()
    except BaseException:  # noqa: BLE001 - tell the parent instead of dying silently
        results.put((None, login, "crash", traceback.format_exc(), None, None))


def _reporter(url, login, source, n, barrier, results):
    """``n`` reports as fast as possible after the barrier; send back the case numbers."""
    try:
        engine = make_engine(url)
        wf = Workflow(engine, clock=lambda: datetime(2026, 3, 2, 10, 30))
        wf.calendar  # noqa: B018
        lon, lat = 113.700 + 0.5 * 0.0011, 34.770 + 0.5 * 0.0009  # the centre of grid G1a
        barrier.wait(timeout=60)
        numbers = []
        for i in range(n):
            r = wf.report(login, source=source, description=f"{login} 第{i}件", lon=lon, lat=lat)
            numbers.append(r.number)
        results.put((login, "ok", numbers))
        engine.dispose()
    except BaseException:  # noqa: BLE001
        results.put((login, "crash", traceback.format_exc()))


def _run_processes(targets, expected: int) -> list:
    """Start one spawned process per (function, args) and collect ``expected`` results."""
    ctx = mp.get_context("spawn")
    barrier = ctx.Barrier(len(targets))
    results = ctx.Queue()
    procs = [ctx.Process(target=fn, args=(*args, barrier, results), daemon=True) for fn, args in targets]
    out = []
    try:
        for p in procs:
            p.start()
        deadline = time.monotonic() + TIMEOUT
        while len(out) < expected:
            try:
                item = results.get(timeout=0.5)
            except queue_mod.Empty:
                if time.monotonic() > deadline:
                    pytest.fail(f"workers timed out with {len(out)} of {expected} results: {out}")
                if all(not p.is_alive() for p in procs) and results.empty():
                    pytest.fail(f"workers ended with {len(out)} of {expected} results: {out}")
                continue
            if "crash" in item:
                pytest.fail(f"a worker crashed:\n{item[-1] if item[1] == 'crash' else item[3]}")
            out.append(item)
        for p in procs:
            p.join(timeout=30)
            assert p.exitcode == 0
    finally:
        for p in procs:  # only the processes this test started
            if p.is_alive():
                p.terminate()
                p.join(5)
    return out


# --------------------------------------------------------------------------- the cities


def _second_dispatcher(engine, m) -> None:
    with session_factory(engine)() as s, s.begin():
        u = User(
            login="disp2", name="disp2-name", position=Position.DISPATCHER.value, password_hash="-",
            region_id=m.regions["district"],
        )
        s.add(u)
        s.flush()
        m.users["disp2"] = u.id


def _cases_to_dispatch(engine, m, n: int) -> list[int]:
    """``n`` district-level (MANHOLE) cases waiting for dispatch."""
    wf = Workflow(engine, clock=lambda: SETUP_AT)
    lon, lat = m.point("G1a")
    out = []
    for _ in range(n):
        r = wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat,
                      category_id=m.cats["MANHOLE"])
        out.append(wf.file("shift", r.case_id).case_id)
    return out


@pytest.fixture
def pg_city(pg_server_url):
    _wipe_pg(pg_server_url)
    engine = make_engine(pg_server_url)
    m = build_mini_city(engine)
    _second_dispatcher(engine, m)
    yield pg_server_url, engine, m
    engine.dispose()


@pytest.fixture
def sqlite_city(tmp_path, sqlite_template):
    path = tmp_path / "race.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    m = build_mini_city(engine)
    _second_dispatcher(engine, m)
    yield url, engine, m
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def city(request):
    return request.getfixturevalue({"sqlite": "sqlite_city", "postgresql": "pg_city"}[request.param])


# --------------------------------------------------------------------------- the races


def _check_race(url, engine, m, rounds: int) -> list:
    cases = _cases_to_dispatch(engine, m, rounds)
    versions = {}
    with Session(engine) as s:
        for cid in cases:
            versions[cid] = s.get(Case, cid).version
    jobs = [(cid, m.depts["MUN"]) for cid in cases]
    out = _run_processes(
        [(_dispatch_racer, (url, login, CLOCK[login].isoformat(), jobs)) for login in ("disp", "disp2")],
        expected=2 * rounds,
    )
    by_case: dict[int, list] = {}
    for item in out:
        by_case.setdefault(item[0], []).append(item)
    assert sorted(by_case) == sorted(cases)
    winners = []
    with Session(engine) as s:
        for cid in cases:
            got = by_case[cid]
            assert sorted(g[1] for g in got) == ["disp", "disp2"]
            ok = [g for g in got if g[2] == "ok"]
            lost = [g for g in got if g[2] != "ok"]
            assert len(ok) == 1 and len(lost) == 1, got
            winner, loser = ok[0][1], lost[0]
            winners.append(winner)
            # the loser got Conflict naming the winner and the winner's time
            assert loser[2] == Conflict.__name__, loser
            assert loser[4] == f"{winner}-name" and loser[5] == CLOCK[winner], loser
            assert f"{winner}-name" in loser[3] and CLOCK[winner].strftime("%Y-%m-%d %H:%M:%S") in loser[3]
            # exactly one dispatch happened
            c = s.get(Case, cid)
            assert c.state == "handling" and c.dispatch_count == 1 and c.version == versions[cid] + 1
            assert c.current_department_id == m.depts["MUN"] and c.updated_by_id == m.users[winner]
            events = s.scalars(
                select(CaseEvent).where(CaseEvent.case_id == cid, CaseEvent.action == "dispatch")
            ).all()
            assert len(events) == 1 and events[0].user_id == m.users[winner]
            logged = s.scalar(
                select(func.count()).select_from(ChangeLog).where(
                    ChangeLog.entity == "case", ChangeLog.entity_id == cid, ChangeLog.action == "dispatch"
                )
            )
            assert logged == 1
    return winners


def test_dispatch_race_on_postgresql(pg_city):
    url, engine, m = pg_city
    _check_race(url, engine, m, ROUNDS)


def test_dispatch_race_on_sqlite(sqlite_city):
    url, engine, m = sqlite_city
    _check_race(url, engine, m, ROUNDS)


def test_concurrent_reports_get_distinct_numbers(city):
    url, engine, _ = city
    out = _run_processes(
        [
            (_reporter, (url, "sup1", "supervisor", REPORTS_EACH)),
            (_reporter, (url, "intake", "hotline", REPORTS_EACH)),
        ],
        expected=2,
    )
    numbers = [n for item in out for n in item[2]]
    assert len(numbers) == 2 * REPORTS_EACH
    # distinct, gap-free, and increasing within each workstation
    assert sorted(numbers) == [f"20260302{i:05d}" for i in range(1, 2 * REPORTS_EACH + 1)]
    for item in out:
        assert item[2] == sorted(item[2])
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 2 * REPORTS_EACH
        assert s.scalar(select(func.count()).select_from(CaseEvent)) == 2 * REPORTS_EACH


def test_the_update_itself_is_version_guarded(pg_city):
    """A write that lands between the version check and the UPDATE (what the race above does
    on PostgreSQL whenever both pass the check) is caught by the guarded UPDATE: Conflict,
    nothing written. Made deterministic by committing the other write from inside the clock."""
    url, engine, m = pg_city
    cid, cid2 = _cases_to_dispatch(engine, m, 2)
    other = make_engine(url)
    sneak_at = datetime(2026, 3, 2, 9, 59, 30)

    def sneak(case_id):
        fired = []

        def clock():
            if not fired:  # called inside the action's transaction, after the version check
                fired.append(True)
                with other.begin() as conn:
                    conn.execute(
                        update(Case).where(Case.id == case_id)
                        .values(version=Case.version + 1, updated_by_id=m.users["disp2"], updated_at=sneak_at)
                    )
            return datetime(2026, 3, 2, 10, 0)

        return clock

    try:
        for case_id, expected in ((cid, "loaded"), (cid2, None)):
            with Session(engine) as s:
                v = s.get(Case, case_id).version
            wf = Workflow(engine, clock=sneak(case_id))
            with pytest.raises(Conflict) as ei:
                wf.dispatch("disp", case_id, department_id=m.depts["MUN"],
                            expected_version=v if expected else None)
            assert ei.value.by == "disp2-name" and ei.value.at == sneak_at
            with Session(engine) as s:
                c = s.get(Case, case_id)
                assert c.state == "to_dispatch" and c.dispatch_count == 0 and c.version == v + 1
                assert s.scalar(
                    select(func.count()).select_from(CaseEvent).where(
                        CaseEvent.case_id == case_id, CaseEvent.action == "dispatch"
                    )
                ) == 0
                assert s.scalar(
                    select(func.count()).select_from(ChangeLog).where(ChangeLog.action == "dispatch")
                ) == 0
    finally:
        other.dispose()
