"""The database goes away under a working client and comes back (a throwaway PostgreSQL
cluster the test stops and starts; the machine's own service is never touched)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import func, select

from gridstation.accounts.users import authenticate
from gridstation.app.context import AppContext
from gridstation.app.mainwindow import MainWindow
from gridstation.store.db import make_engine, session_factory
from gridstation.schema import upgrade
from gridstation.errors import Unavailable
from gridstation.store.model import Case, CaseEvent
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

WAIT = 20_000


@pytest.fixture
def cluster(tmp_path, pg_cluster):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    return pg_cluster


def test_client_survives_database_restart_and_never_applies_twice(qtbot, cluster):
    upgrade(cluster.url)
    engine = make_engine(cluster.url)
    m = build_mini_city(engine)
    wf = Workflow(engine)
    lon, lat = m.point("G1a")
    r = wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat, category_id=m.cats["MANHOLE"])
    case_id = wf.file("shift", r.case_id).case_id

    ctx = AppContext(url=cluster.url, engine=engine, workflow=Workflow(engine), actor=authenticate(engine, "disp", "pw"))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.map.is_ready, timeout=30_000)
    qtbot.waitUntil(lambda: win.queues.model.ids() == [case_id], timeout=WAIT)
    win.queues.select_case(case_id)
    qtbot.waitUntil(lambda: win.case_pane.detail is not None and win.case_pane.detail.id == case_id, timeout=WAIT)
    try:
        cluster.stop()
        qtbot.waitUntil(lambda: win.banner.isVisible() and win.banner.property("state") == "lost", timeout=WAIT)
        assert "lost" in win.banner.text().lower() or "断开" in win.banner.text()
        assert win.queues.model.ids() == [case_id]  # keeps what it shows

        # an action while disconnected: a clear error, nothing applied
        with pytest.raises(Unavailable) as e:
            ctx.workflow.dispatch(ctx.actor, case_id, department_id=m.depts["MUN"],
                                  expected_version=win.case_pane.detail.version)
        assert "cannot be reached" in str(e.value)
        form = win.case_pane.open_action("dispatch")
        if form is not None:  # the form may not even load its choices while offline
            form.close()

        cluster.start()
        qtbot.waitUntil(lambda: win.hub.online, timeout=WAIT)
        qtbot.waitUntil(lambda: win.banner.property("state") == "ok", timeout=WAIT)

        # the earlier attempt left nothing behind; the retry with the same version applies once
        with session_factory(engine)() as s:
            assert s.get(Case, case_id).state == "to_dispatch"
        version = win.case_pane.detail.version
        ctx.workflow.dispatch(ctx.actor, case_id, department_id=m.depts["MUN"], expected_version=version)
        qtbot.waitUntil(lambda: win.queues.model.ids() == [], timeout=WAIT)  # live again
        with session_factory(engine)() as s:
            n = s.scalar(select(func.count()).select_from(CaseEvent)
                         .where(CaseEvent.case_id == case_id, CaseEvent.action == "dispatch"))
            assert n == 1
        assert win.map.page_loads == 1
    finally:
        win.hub.stop()
        win.close()
        win.map.close()
        win.map.page().deleteLater()
        engine.dispose()
