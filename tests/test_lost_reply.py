"""A lost reply after COMMIT doubles nothing: every desk submission carries an id, the workflow
asks again by itself, and the retry returns what the first try saved.

The PostgreSQL tests put a real TCP proxy (tests/lostreply.py) between the engine and the
server that lets the server commit and drops its answer. The 1,000-try run is
benchmarks/bench_lost_reply.py; here a smaller count keeps the suite quick.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from gridstation.cases.workflow import Workflow
from gridstation.errors import Conflict, InvalidInput, Unavailable
from gridstation.store.db import make_engine
from gridstation.store.model import Case, CaseEvent, CaseSubmission
from tests.lostreply import LostReplyProxy, proxied_url
from tests.minicity import build_mini_city

TRIES = 25


def _count(engine, model, *where) -> int:
    with engine.connect() as c:
        return c.execute(select(func.count()).select_from(model).where(*where)).scalar()


def test_same_submission_twice_is_saved_once(engine):
    m = build_mini_city(engine)
    wf = Workflow(engine)
    lon, lat = m.point("G1a")
    sid = str(uuid.uuid4())
    kw = dict(source="supervisor", description="井盖缺失", lon=lon, lat=lat, category_id=m.cats["MANHOLE"])
    first = wf.report("sup1", **kw, submission_id=sid)
    again = wf.report("sup1", **kw, submission_id=sid)
    assert (again.case_id, again.number, again.event_id) == (first.case_id, first.number, first.event_id)
    assert not first.replayed and again.replayed
    assert _count(engine, Case) == 1

    # an action: the retry with the old expected version is not a conflict, it is the first result
    sid2 = str(uuid.uuid4())
    a = wf.file("shift", first.case_id, expected_version=first.version, submission_id=sid2)
    b = wf.file("shift", first.case_id, expected_version=first.version, submission_id=sid2)
    assert b.replayed and (b.event_id, b.version, b.state) == (a.event_id, a.version, a.state)
    assert _count(engine, CaseEvent, CaseEvent.action == "file") == 1

    # a submission id is the step's own: another user or another case cannot reuse it
    with pytest.raises(InvalidInput):
        wf.file("shift_s2", first.case_id, submission_id=sid2)
    with pytest.raises(InvalidInput):
        wf.report("sup1", source="supervisor", description="x", lon=lon, lat=lat, submission_id="not-a-uuid")


def test_a_conflict_with_my_own_change_says_so(engine):
    m = build_mini_city(engine)
    wf = Workflow(engine)
    lon, lat = m.point("G1a")
    r = wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat, category_id=m.cats["MANHOLE"])
    wf.urge("leader", r.case_id, opinion="快", expected_version=r.version)
    with pytest.raises(Conflict) as e:  # a second window of the same user, with a new submission
        wf.urge("leader", r.case_id, opinion="快", expected_version=r.version)
    assert e.value.mine and "you" in str(e.value)


@pytest.fixture
def pg_proxy(pg_server_url):
    from tests.conftest import _wipe_pg

    _wipe_pg(pg_server_url)
    u = make_url(pg_server_url)
    with LostReplyProxy(u.host or "127.0.0.1", u.port or 5432) as proxy:
        yield pg_server_url, proxy


def test_lost_reply_after_commit_doubles_nothing(pg_proxy):
    url, proxy = pg_proxy
    direct = make_engine(url)
    m = build_mini_city(direct)
    engine = make_engine(proxied_url(url, proxy.port))
    wf = Workflow(engine)
    lon, lat = m.point("G1a")
    try:
        numbers = []
        for i in range(TRIES):
            proxy.arm()
            r = wf.report("sup1", source="supervisor", description=f"lost reply {i}", lon=lon, lat=lat,
                          category_id=m.cats["MANHOLE"])
            assert proxy.armed == 0
            assert r.replayed, "the reply was lost, so the result must come from the retry"
            numbers.append(r.number)
        assert proxy.commits_lost == TRIES
        assert _count(direct, Case) == TRIES  # not one doubled
        assert len(set(numbers)) == TRIES
        with direct.connect() as c:
            got = {d: (n, i) for d, n, i in c.execute(select(Case.description, Case.number, Case.id))}
        assert [got[f"lost reply {i}"][0] for i in range(TRIES)] == numbers  # the user is told the right number

        # case actions with the version check: the retry is not "a conflict by someone else"
        case_id = wf.file("shift", got["lost reply 0"][1]).case_id
        version = None
        for i in range(TRIES):
            proxy.arm()
            r = wf.urge("leader", case_id, opinion=f"urge {i}", expected_version=version)
            assert r.replayed
            version = r.version
        assert proxy.commits_lost == 2 * TRIES
        assert _count(direct, CaseEvent, CaseEvent.action == "urge") == TRIES
        with direct.connect() as c:
            assert c.execute(select(Case.urge_count).where(Case.id == case_id)).scalar() == TRIES
        assert _count(direct, CaseSubmission) == TRIES + 1 + TRIES  # reports, the filing, the urges
    finally:
        engine.dispose()
        direct.dispose()


def test_lost_reply_and_no_way_back_says_it_may_be_saved(pg_proxy):
    url, proxy = pg_proxy
    direct = make_engine(url)
    m = build_mini_city(direct)
    engine = make_engine(proxied_url(url, proxy.port), connect_args={"connect_timeout": 2})
    lon, lat = m.point("G1a")
    sid = str(uuid.uuid4())
    try:
        wf = Workflow(engine)
        wf.actor("sup1")  # the pool now holds a live connection through the proxy
        proxy.arm()
        proxy._sock.close()  # and from now on nobody can connect through it again
        with pytest.raises(Unavailable) as e:
            wf.report("sup1", source="supervisor", description="maybe saved", lon=lon, lat=lat, submission_id=sid)
        assert e.value.saved_unknown and "never saved twice" in str(e.value)
        assert _count(direct, Case) == 1  # it was saved, once
        # the desk tries again with the same id once the connection is back: still once
        r = Workflow(direct).report("sup1", source="supervisor", description="maybe saved", lon=lon, lat=lat,
                                    submission_id=sid)
        assert r.replayed and _count(direct, Case) == 1
    finally:
        engine.dispose()
        direct.dispose()
