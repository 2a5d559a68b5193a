"""Read-only work on a PostgreSQL hot standby: a real streaming replica made here.

A throwaway primary (initdb in a temp folder, its own port) and a standby of it
(``pg_basebackup -R``, its own port): never the machine's service. On the standby NOTIFY never
arrives, so the change feed polls ``change_log``; the test makes changes on the primary and
sees them arrive at a client of the standby, the wall running on the standby, and the "data as
of" it shows. The extra delay of the standby is measured (printed, not asserted: timings belong
to benchmarks/bench_standby.py).
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QSize
from sqlalchemy import text

from gridstation.accounts.users import add_user
from gridstation.app.context import AppContext
from gridstation.cases.workflow import Workflow
from gridstation.schema import upgrade
from gridstation.store import changes as change_feed
from gridstation.store.db import make_engine
from tests.minicity import build_mini_city

WAIT = 30_000


@pytest.fixture
def replicated(tmp_path):
    """(primary, standby) clusters with the schema and a small city, the standby caught up."""
    from tests.pgcluster import Cluster

    try:
        primary = Cluster()
    except Exception as e:  # noqa: BLE001
        pytest.skip(f"cannot start a throwaway PostgreSQL cluster here: {e}")
    standby = None
    try:
        upgrade(primary.url)
        eng = make_engine(primary.url)
        city = build_mini_city(eng)
        add_user(eng, login="wall", name="大屏", position="wall", password="wallpass1")
        eng.dispose()
        standby = Cluster(standby_of=primary)
        yield primary, standby, city
    finally:
        if standby is not None:
            standby.destroy()
        primary.destroy()


def _wait_for(pred, timeout=30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return False


def test_standby_client_sees_primary_changes_and_the_wall_runs_there(qtbot, replicated, tmp_path):
    primary, standby, city = replicated
    p_eng = make_engine(primary.url)
    s_eng = make_engine(standby.url, read_only=True)
    try:
        assert not change_feed.is_standby(p_eng) and change_feed.is_standby(s_eng)
        assert _wait_for(lambda: change_feed.latest_seq(s_eng) == change_feed.latest_seq(p_eng))
        # a standby refuses writes: read-only work only
        with pytest.raises(Exception, match="read-only"):
            with s_eng.begin() as c:
                c.execute(text("CREATE TABLE nope (x int)"))
        as_of = change_feed.data_as_of(s_eng)
        assert as_of is not None and abs(as_of - datetime.now()) < timedelta(minutes=1)
        assert change_feed.data_as_of(p_eng) is None

        # two clients' change feeds: one on the primary (NOTIFY), one on the standby (polling)
        from gridstation.app.live import ChangeHub

        wf = Workflow(p_eng)
        p_ctx = AppContext(url=primary.url, engine=p_eng, workflow=wf, actor=wf.actor("disp"))
        s_ctx = AppContext(url=primary.url, engine=p_eng, workflow=wf, actor=wf.actor("disp"),
                           read_url=standby.url, read_engine=s_eng).for_reading()
        assert s_ctx.engine is s_eng and s_ctx.read_only
        seen: dict[str, dict[int, float]] = {"primary": {}, "standby": {}}
        hubs = {}
        for name, ctx in (("primary", p_ctx), ("standby", s_ctx)):
            hub = ChangeHub(ctx)
            hub.changed.connect(lambda rows, name=name: seen[name].update(
                {r.entity_id: time.perf_counter() for r in rows if r.entity == "case" and r.action == "report"}))
            hub.start()
            hubs[name] = hub
        assert hubs["standby"].standby and not hubs["primary"].standby

        lon, lat = city.point("G1a")
        delays = {"primary": [], "standby": []}
        for i in range(8):
            t0 = time.perf_counter()
            cid = wf.report("sup1", source="supervisor", description=f"备库 {i}", lon=lon, lat=lat,
                            category_id=city.cats["MANHOLE"]).case_id
            qtbot.waitUntil(lambda: cid in seen["primary"] and cid in seen["standby"], timeout=WAIT)
            for name in delays:
                delays[name].append((seen[name][cid] - t0) * 1000)
            qtbot.wait(150)
        med = {k: statistics.median(v) for k, v in delays.items()}
        print(f"\nchange seen by a client: primary (NOTIFY) median {med['primary']:.0f} ms, "
              f"standby (replication + change_log poll every 400 ms) median {med['standby']:.0f} ms; "
              f"extra delay of the standby {med['standby'] - med['primary']:.0f} ms; runs {delays}")
        for hub in hubs.values():
            hub.stop()

        # the wall on the standby: its headline follows the primary, it says how current it is
        from gridstation.app.wall.controller import WallController
        from gridstation.app.wall.main import sign_in
        from gridstation.app.wall import panels
        from gridstation.app.wall.window import MapPanel, WallWindow
        from gridstation.wall.layout import default_layout

        w_eng, actor = sign_in(standby.url, "wall", "wallpass1")
        w_ctx = AppContext(url=standby.url, engine=w_eng, workflow=Workflow(w_eng), actor=actor, read_only=True)
        layout = default_layout(1)
        win = WallWindow(layout.screens[0], title="备库大屏", height=1080, ticker_items=layout.ticker_items,
                         ranking_items=layout.ranking_items)
        win.resize(QSize(1920, 1080))
        qtbot.addWidget(win)
        win.show()
        ctrl = WallController(w_ctx, layout, [win], status_file=tmp_path / "status.json", status_interval=0.5)
        ctrl.start()
        try:
            assert ctrl.hub.standby
            headline = next(p for p in win.panels if isinstance(p, panels.HeadlinePanel))
            qtbot.waitUntil(lambda: headline.tiles["reported"][1].text() == "8", timeout=WAIT)
            wf.report("sup1", source="supervisor", description="备库 wall", lon=lon, lat=lat,
                      category_id=city.cats["MANHOLE"])
            qtbot.waitUntil(lambda: headline.tiles["reported"][1].text() == "9", timeout=WAIT)
            qtbot.waitUntil(lambda: ctrl.as_of is not None and win.as_of.text() != "", timeout=WAIT)
            assert not ctrl.stale
        finally:
            ctrl.stop()
            for p in win.panels:
                if isinstance(p, MapPanel):
                    p.map.close()
                    p.map.page().deleteLater()
            win.close()
            w_eng.dispose()

        # the analytics window on the standby says it reads a standby, and as of when
        from gridstation.app import tasks
        from gridstation.app.analytics import AnalyticsWindow

        aw = AnalyticsWindow(s_ctx)
        qtbot.addWidget(aw)
        with qtbot.waitSignal(aw.drill.loaded, timeout=WAIT):
            aw.show()
        qtbot.waitUntil(lambda: aw.as_of.isVisible(), timeout=WAIT)
        assert datetime.now().strftime("%Y-%m-%d") in aw.as_of.text()
        assert aw.drill.model.drill.total.current.reported == 9
        aw.close()
        tasks.wait_idle()
    finally:
        p_eng.dispose()
        s_eng.dispose()


def test_read_db_setting(engine):
    from gridstation.store import settings
    from gridstation.store.db import session_factory

    assert settings.read_db_url(engine) is None
    with session_factory(engine)() as s, s.begin():
        settings.put(s, "read_db_url", "postgresql+psycopg://reader@standby:5432/gs")
    assert settings.read_db_url(engine) == "postgresql+psycopg://reader@standby:5432/gs"
