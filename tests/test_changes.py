"""The change feed: one change_log row per committed action, none for a refused one, and the
wake-up reaches another connection only at commit."""

from __future__ import annotations

import shutil
from datetime import datetime

import pytest

from gridstation.store.changes import PgListener, SqliteWatcher, changes_since, latest_seq
from gridstation.store.db import make_engine
from gridstation.errors import Forbidden
from gridstation.cases.workflow import Workflow
from tests.conftest import _wipe_pg
from tests.minicity import build_mini_city


def test_each_action_writes_one_change_in_order(engine):
    m = build_mini_city(engine)
    wf = Workflow(engine, clock=lambda: datetime(2026, 3, 2, 10, 0))
    start = latest_seq(engine)
    lon, lat = m.point("G2a")
    r = wf.report("sup2", source="supervisor", description="垃圾", lon=lon, lat=lat, category_id=m.cats["GARBAGE"])
    r = wf.file("shift", r.case_id, expected_version=r.version)
    with pytest.raises(Forbidden):
        wf.dispatch("st1", r.case_id, department_id=m.depts["S1_SAN"])  # street 1 dispatcher, street 2 case
    got = changes_since(engine, start)
    assert [(c.entity, c.entity_id, c.action) for c in got] == [("case", r.case_id, "report"), ("case", r.case_id, "file")]
    assert got[0].seq < got[1].seq
    assert changes_since(engine, got[-1].seq) == []


def test_postgres_notify_arrives_at_commit(pg_server_url):
    db_url = pg_server_url
    _wipe_pg(db_url)
    engine = make_engine(db_url)
    m = build_mini_city(engine)
    listener = PgListener(db_url)
    try:
        listener.drain()
        wf = Workflow(engine)
        lon, lat = m.point("G1a")
        wf.report("sup1", source="supervisor", description="x", lon=lon, lat=lat)
        assert listener.drain(timeout=2.0) == ["case"]
    finally:
        listener.close()
        engine.dispose()


def test_sqlite_data_version_sees_other_connections(tmp_path, sqlite_template):
    shutil.copy(sqlite_template, tmp_path / "w.db")
    db_url = f"sqlite:///{tmp_path / 'w.db'}"
    engine = make_engine(db_url)
    m = build_mini_city(engine)
    watcher = SqliteWatcher(db_url)
    try:
        assert not watcher.changed()
        wf = Workflow(engine)
        lon, lat = m.point("G1a")
        wf.report("sup1", source="supervisor", description="x", lon=lon, lat=lat)
        assert watcher.changed()
        assert not watcher.changed()
    finally:
        watcher.close()
        engine.dispose()
