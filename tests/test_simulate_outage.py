"""``gridstation simulate`` survives a database outage: a throwaway PostgreSQL cluster is stopped
under a running simulator and started again; the simulator counts the outage, waits, and goes on
acting (the machine's own PostgreSQL service is never touched)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from gridstation.store.db import make_engine
from gridstation.schema import upgrade
from gridstation.store.model import ChangeLog
from gridstation.demo.simulate import SimStats, Simulator
from tests.minicity import build_mini_city


@pytest.fixture
def cluster(pg_cluster):
    return pg_cluster


def _changes(url: str) -> int:
    eng = make_engine(url)
    try:
        with eng.connect() as c:
            return c.scalar(select(func.count()).select_from(ChangeLog)) or 0
    finally:
        eng.dispose()


def test_simulator_survives_database_restart(cluster):
    upgrade(cluster.url)
    engine = make_engine(cluster.url, connect_args={"connect_timeout": 2})
    build_mini_city(engine)
    sim = Simulator(engine, seed=7)
    stats = SimStats()
    downs, backs, failure = [], [], []

    def run():
        try:
            sim.run(rate=20, duration=12, stats=stats,
                    on_down=lambda st, e: downs.append(e), on_back=lambda st, s: backs.append(s))
        except BaseException as e:  # noqa: BLE001 - reported by the test below
            failure.append(e)

    t = threading.Thread(target=run, name="simulator", daemon=True)
    try:
        t.start()
        time.sleep(3)
        assert stats.actions > 0 and not failure
        cluster.stop()
        time.sleep(3)
        assert t.is_alive(), f"the simulator died with the database: {failure!r}"
        cluster.start()
        restarted_at = time.monotonic()
        after_restart = _changes(cluster.url)
        actions_at_restart = stats.actions
        t.join(timeout=30)
        assert not t.is_alive(), "the simulator did not finish its 12 s run"
        assert not failure, f"the simulator raised {failure[0]!r}"
        assert stats.outages >= 1 and stats.errors >= 1
        assert downs and backs, "no 'database gone' / 'database back' notification"
        assert stats.actions > actions_at_restart
        assert _changes(cluster.url) > after_restart, "no change written after the database came back"
        assert time.monotonic() - restarted_at < 20
    finally:
        engine.dispose()
