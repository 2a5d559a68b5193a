"""The data exchange in the client (offscreen, SQLite and PostgreSQL): the case pane shows a
12345 order's number and its exchange state; the administrator makes and revokes API keys
on the administration window's page."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from gridstation.app import tasks
from gridstation.app.admin import AdminWindow
from gridstation.app.cases.case_pane import CasePane
from gridstation.app.context import AppContext
from gridstation.cases.workflow import Workflow
from gridstation.exchange.hotline import HotlineBridge
from gridstation.exchange.keyring import KeyRing
from gridstation.store.changes import changes_since, latest_seq
from gridstation.store.db import session_factory
from gridstation.store.exchange_model import ApiKey, HotlineOrder
from tests.minicity import build_mini_city

WAIT = 15_000


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield
    tasks.wait_idle()


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


def test_case_pane_shows_the_hotline_order_and_its_exchange_state(qtbot, engine, db_url, city, tmp_path):
    inbox, out, ack = tmp_path / "in", tmp_path / "out", tmp_path / "ack"
    inbox.mkdir()
    lon, lat = city.point("G1a")
    (inbox / "o.json").write_text(json.dumps({"工单编号": "12345-GD-0001", "诉求内容": "井盖松动", "经度": lon,
                                             "纬度": lat}, ensure_ascii=False), encoding="utf-8")
    bridge = HotlineBridge(engine)
    bridge.import_inbox(inbox)
    with session_factory(engine)() as s:
        case_id = s.scalar(select(HotlineOrder.case_id))
    wf = Workflow(engine)
    ctx = AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor("intake"))
    pane = CasePane(ctx)
    qtbot.addWidget(pane)
    pane.resize(500, 900)
    pane.show_case(case_id)
    qtbot.waitUntil(lambda: pane.detail is not None and pane.detail.id == case_id, timeout=WAIT)

    def hotline_text() -> str:
        label = pane.findChild(QLabel, "CaseHotline")
        return label.text() if label is not None else ""

    assert "12345-GD-0001" in hotline_text()
    # the bridge sends the "accepted" status: waiting for the platform's acknowledgement
    seq = latest_seq(engine)
    bridge.collect()
    bridge.deliver(outdir=out, ackdir=ack)
    changes = changes_since(engine, seq)
    assert any(c.entity == "case" and c.entity_id == case_id and c.action == "exchange" for c in changes)
    pane.on_changes(changes)
    qtbot.waitUntil(lambda: "acknowledgement" in hotline_text() or "确认" in hotline_text(), timeout=WAIT)
    ack.mkdir()
    for p in out.glob("*.json"):
        (ack / f"{p.stem}.ack").write_text("ok")
    seq = latest_seq(engine)
    bridge.deliver(outdir=out, ackdir=ack)
    pane.on_changes(changes_since(engine, seq))
    qtbot.waitUntil(lambda: "in step" in hotline_text() or "已同步" in hotline_text(), timeout=WAIT)
    pane.close()


def test_admin_makes_and_revokes_a_key_on_the_page(qtbot, engine, db_url, city):
    wf = Workflow(engine)
    ctx = AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor("admin"))
    win = AdminWindow(ctx, live=False)
    qtbot.addWidget(win)
    win.show()
    page = win.show_page("apikeys")
    qtbot.waitUntil(page.is_idle, timeout=WAIT)
    page.name.setText("sup1 手持终端")
    page.kind.setCurrentIndex(page.kind.findData("handheld"))
    page.supervisor.set_value("sup1")
    assert page.supervisor.isEnabled()
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.is_idle() and page.table.rowCount() == 1, timeout=WAIT)
    secret = page.secret.text()
    assert secret.startswith("gs_") and page.table.item(0, 3).text() == "sup1"
    ident = KeyRing(engine).identify(secret)
    assert ident is not None and ident.kind == "handheld" and ident.user_id == city.users["sup1"]
    page.table.selectRow(0)
    assert page.revoke_button.isEnabled()
    qtbot.mouseClick(page.revoke_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.is_idle() and not page.revoke_button.isEnabled(), timeout=WAIT)
    assert KeyRing(engine).identify(secret) is None
    with session_factory(engine)() as s:
        assert s.scalar(select(ApiKey.revoked_at)) is not None
    # a handheld key without a supervisor's account is refused on the page, nothing is made
    page.name.setText("x")
    page.supervisor.set_items([])
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(page.is_idle, timeout=WAIT)
    assert page.message.state() == "error" and page.table.rowCount() == 1
    win.close()


def test_a_running_client_sees_a_posted_report_live(qtbot, engine, db_url, city):
    """gridstation serve in its own process; a client's change hub (NOTIFY on PostgreSQL,
    data_version on SQLite) wakes up with the new case, which its queue then reads."""
    import urllib.parse
    import urllib.request

    from gridstation.admin.apikeys import add_key
    from gridstation.app.live import ChangeHub
    from tests.test_open311_socket import Server

    _, key = add_key(engine, "admin", name="app")
    wf = Workflow(engine)
    ctx = AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor("intake"))
    hub = ChangeHub(ctx)
    seen: list = []
    hub.changed.connect(lambda changes: seen.extend(changes))
    hub.start()
    server = Server(db_url)
    try:
        lon, lat = city.point("G2b")
        body = urllib.parse.urlencode({"api_key": key, "service_code": "E0101", "lat": lat, "long": lon,
                                       "description": "在线上报"}).encode()
        with urllib.request.urlopen(urllib.request.Request(server.base + "/open311/v2/requests.json", data=body),
                                    timeout=30) as r:
            number = json.loads(r.read())[0]["service_request_id"]
        qtbot.waitUntil(lambda: any(c.entity == "case" and c.action == "report" for c in seen), timeout=WAIT)
    finally:
        hub.stop()
        server.stop()
    from gridstation.cases.queues import case_detail

    case_id = next(c.entity_id for c in seen if c.entity == "case")
    with ctx.session() as s:
        d = case_detail(s, case_id, actor=ctx.actor, wf=wf, now=ctx.now())
    assert d.number == number and d.source == "public" and d.state == "to_verify"
