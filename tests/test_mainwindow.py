"""The whole client, driven as a dispatcher would: sign in, dispatch from the queue, and two
workstations on one PostgreSQL seeing each other's changes live."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy import select

from gridstation.accounts.users import authenticate
from gridstation.app.context import AppContext
from gridstation.app.mainwindow import MainWindow
from gridstation.app.accounts.signin import SignInDialog
from gridstation.store.db import make_engine, session_factory
from gridstation.store.model import Case
from gridstation.cases.workflow import Workflow
from tests.conftest import _wipe_pg
from tests.minicity import build_mini_city

ROOT = Path(__file__).resolve().parent.parent
WAIT = 15_000


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    """QSettings of the test run only (layouts, filters, profiles)."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield


def _city_with_cases(engine):
    m = build_mini_city(engine)
    wf = Workflow(engine)
    ids = []
    for grid, cat in (("G1a", "MANHOLE"), ("G1b", "MANHOLE"), ("G2a", "GARBAGE")):
        lon, lat = m.point(grid)
        r = wf.report("sup1" if grid.startswith("G1") else "sup2", source="supervisor", description=f"问题 {grid}",
                      lon=lon, lat=lat, category_id=m.cats[cat])
        ids.append(wf.file("shift", r.case_id).case_id)
    return m, wf, ids


def _window(qtbot, url, engine, login) -> MainWindow:
    wf = Workflow(engine)
    ctx = AppContext(url=url, engine=engine, workflow=wf, actor=authenticate(engine, login, "pw"))
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.map.is_ready, timeout=30_000)
    return win


def _close(win: MainWindow) -> None:
    win.hub.stop()
    win.close()
    win.map.close()
    win.map.page().deleteLater()


def test_a_slow_first_look_does_not_clear_the_sign_in_answer(qtbot, engine, db_url, monkeypatch):
    """The dialog looks at the database in the background as it opens; a wrong password typed
    before that look ends must stay said when it ends."""
    import threading

    from gridstation.app.accounts import signin

    _city_with_cases(engine)
    release = threading.Event()
    real_look = signin.look_at_database

    def slow_look(url):
        release.wait(20)
        return real_look(url)

    monkeypatch.setattr(signin, "look_at_database", slow_look)
    dlg = SignInDialog(default_url=db_url)
    qtbot.addWidget(dlg)
    dlg.login.setText("disp")
    dlg.password.setText("wrong")
    dlg.submit()
    qtbot.waitUntil(lambda: "wrong password" in dlg.message.text(), timeout=WAIT)
    with qtbot.waitSignal(dlg.looked, timeout=WAIT):
        release.set()
    assert "wrong password" in dlg.message.text()
    assert dlg.state == "ready"


def test_sign_in_dispatch_from_queue_and_the_row_leaves(qtbot, engine, db_url):
    m, wf, (c1, c2, c3) = _city_with_cases(engine)

    dlg = SignInDialog(default_url=db_url)
    qtbot.addWidget(dlg)
    signed = []
    dlg.signedIn.connect(lambda url, actor: signed.append(actor))
    dlg.login.setText("disp")
    dlg.password.setText("wrong")
    dlg.submit()
    qtbot.waitUntil(lambda: "wrong password" in dlg.message.text(), timeout=WAIT)
    dlg.password.setText("pw")
    dlg.submit()
    qtbot.waitUntil(lambda: bool(signed), timeout=WAIT)
    assert signed[0].login == "disp" and signed[0].position.value == "dispatcher"

    win = _window(qtbot, db_url, engine, "disp")
    try:
        q = win.queues
        # the district dispatcher's to-dispatch queue: the two district-level manhole cases only
        qtbot.waitUntil(lambda: sorted(q.model.ids()) == sorted([c1, c2]), timeout=WAIT)
        assert q.current_queue() == "to_dispatch"
        q.select_case(c1)
        qtbot.waitUntil(lambda: win.case_pane.detail is not None and win.case_pane.detail.id == c1, timeout=WAIT)
        assert "dispatch" in win.case_pane.detail.allowed
        form = win.case_pane.open_action("dispatch")
        qtbot.waitUntil(form.is_ready, timeout=WAIT)
        form.submit()
        # through the change feed: the row leaves, the other stays, and the dispatcher is moved
        # on to the next case (act, next: no mouse needed)
        qtbot.waitUntil(lambda: q.model.ids() == [c2], timeout=WAIT)
        qtbot.waitUntil(lambda: win.case_pane.detail is not None and win.case_pane.detail.id == c2, timeout=WAIT)
        assert q.current_case_id() == c2
        with session_factory(engine)() as s:
            case = s.get(Case, c1)
            assert case.state == "handling" and case.current_department_id == m.depts["MUN"]
        assert win.map.page_loads == 1
    finally:
        _close(win)


OTHER_PROCESS = r"""
import sys
from gridstation.store.db import make_engine
from gridstation.cases.workflow import Workflow
url, case_id, lon, lat, cat = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
wf = Workflow(make_engine(url))
wf.dispatch("disp", case_id, department_id=wf.suggest_department(case_id).department_id)
r = wf.report("sup1", source="supervisor", description="another workstation", lon=lon, lat=lat, category_id=cat)
print(r.case_id)
"""


def test_two_clients_on_postgresql_see_each_others_changes(qtbot, pg_server_url):
    """A change committed by another process appears in this client's queue and on its map
    within 2 s, without reloading the map page."""
    _wipe_pg(pg_server_url)
    engine = make_engine(pg_server_url)
    m, wf, (c1, c2, c3) = _city_with_cases(engine)
    first = _window(qtbot, pg_server_url, engine, "disp")
    engine2 = make_engine(pg_server_url)
    second = _window(qtbot, pg_server_url, engine2, "disp")
    try:
        for w in (first, second):
            qtbot.waitUntil(lambda w=w: sorted(w.queues.model.ids()) == sorted([c1, c2]), timeout=WAIT)
        lon, lat = m.point("G1b")
        t0 = time.monotonic()
        out = subprocess.run(
            [sys.executable, "-c", OTHER_PROCESS, pg_server_url, str(c1), str(lon), str(lat), str(m.cats["MANHOLE"])],
            cwd=ROOT, capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        assert out.returncode == 0, out.stderr
        new_id = int(out.stdout.strip())
        committed = time.monotonic()
        for w in (first, second):
            qtbot.waitUntil(lambda w=w: w.queues.model.ids() == [c2], timeout=2000 + int((committed - t0) * 0))
            qtbot.waitUntil(lambda w=w: w.map.run_js_sync(f"GridMap.caseColor({new_id})") is not None, timeout=2000)
            assert w.map.page_loads == 1
        assert time.monotonic() - committed < 4.0  # both clients, each within its 2 s
    finally:
        _close(first)
        _close(second)
        engine2.dispose()
        engine.dispose()


def test_lost_database_shows_banner_and_recovers(qtbot, tmp_path, sqlite_template):
    """The banner says the connection is gone and goes away when it is back (SQLite: the file
    becomes unreadable, then returns)."""
    path = tmp_path / "lost.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    _city_with_cases(engine)
    win = _window(qtbot, url, engine, "disp")
    try:
        win.hub._lost("server closed the connection")  # what the hub does when a read fails
        assert win.banner.isVisible() and win.banner.property("state") == "lost"
        assert "offline" in win.status_live.text() or win.status_live.property("state") == "lost"
        qtbot.waitUntil(lambda: win.hub.online, timeout=WAIT)  # reconnects by itself
        qtbot.waitUntil(lambda: win.banner.property("state") == "ok", timeout=WAIT)
    finally:
        _close(win)


def test_layout_persists_and_resets(qtbot, tmp_path, sqlite_template):
    path = tmp_path / "layout.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite:///{path}"
    engine = make_engine(url)
    _city_with_cases(engine)
    win = _window(qtbot, url, engine, "disp")
    win.case_dock.hide()
    _close(win)
    again = _window(qtbot, url, engine, "disp")
    try:
        assert not again.case_dock.isVisible()
        again.reset_layout()
        assert again.case_dock.isVisible() and again.queue_dock.isVisible()
        assert all(d.objectName() for d in (again.case_dock, again.queue_dock))
    finally:
        _close(again)


def test_now_is_naive_local_time():
    assert datetime.now().tzinfo is None
