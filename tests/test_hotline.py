"""The 12345 hotline bridge: orders in from a folder (JSON and CSV), status, replies and closing
out through the outbox, resent until acknowledged, idempotent both ways; SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from sqlalchemy import func, select

from gridstation.cases.workflow import Workflow
from gridstation.cli import main as cli
from gridstation.exchange.hotline import HotlineBridge, hotline_link
from gridstation.store.db import session_factory
from gridstation.store.exchange_model import ExchangeOutbox, HotlineOrder
from gridstation.store.model import Case
from tests.minicity import build_mini_city


class Clock:
    def __init__(self) -> None:
        self.t = datetime.now().replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.t

    def advance(self, **kw) -> None:
        self.t += timedelta(**kw)


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def bridge(engine, city, clock):
    return HotlineBridge(engine, clock=clock)


def orders_json(city, *numbers: str) -> str:
    lon, lat = city.point("G2a")
    return json.dumps({"orders": [
        {"工单编号": n, "受理时间": "2026-12-04T09:00:00", "类别编码": "E0101", "诉求内容": f"{n} 小区门口垃圾未清运",
         "地址": "乙街道某小区", "经度": lon, "纬度": lat, "来电人": "李女士", "联系电话": "13900000000"}
        for n in numbers]}, ensure_ascii=False)


def count(engine, model) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_orders_in_from_json_and_csv_once(engine, city, bridge, tmp_path):
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "a.json").write_text(orders_json(city, "GD2026001", "GD2026002"), encoding="utf-8")
    (inbox / "b.csv").write_text(
        "工单编号,诉求内容,网格编码,来电人\nGD2026003,路灯不亮,410105001001002,王先生\n"
        "GD2026004,,410105001001002,缺内容\n", encoding="utf-8-sig")
    (inbox / "c.json").write_bytes(b"{broken")
    res = bridge.import_inbox(inbox)
    assert sorted(n for n, _ in res.created) == ["GD2026001", "GD2026002", "GD2026003"]
    assert [n for n, _ in res.rejected] == ["GD2026004", "c.json"]
    assert (inbox / "done" / "a.json").exists() and (inbox / "rejected" / "c.json").exists()
    assert "诉求内容" in (inbox / "done" / "b.csv.error.txt").read_text(encoding="utf-8")
    assert (inbox / "rejected" / "c.json.error.txt").exists()
    with session_factory(engine)() as s:
        case = s.scalar(select(Case).join(HotlineOrder, HotlineOrder.case_id == Case.id)
                        .where(HotlineOrder.order_no == "GD2026001"))
        assert case.source == "hotline" and case.state == "to_verify"
        assert case.grid_id == city.grids["G2a"] and case.reporter_name == "李女士"
        g = s.scalar(select(Case).join(HotlineOrder, HotlineOrder.case_id == Case.id)
                     .where(HotlineOrder.order_no == "GD2026003"))
        assert g.grid_id == city.grids["G1b"]
        link = hotline_link(s, case.id)
        assert link.order_no == "GD2026001" and link.exchange_label == "已接收"
    # the platform delivers the same file again: nothing is made twice
    (inbox / "a2.json").write_text(orders_json(city, "GD2026001", "GD2026002"), encoding="utf-8")
    again = bridge.import_inbox(inbox)
    assert again.created == [] and sorted(again.skipped) == ["GD2026001", "GD2026002"]
    assert count(engine, Case) == 3 and count(engine, HotlineOrder) == 3


def test_status_replies_and_closing_go_out_until_acknowledged(engine, city, bridge, clock, tmp_path):
    inbox, out, ack = tmp_path / "in", tmp_path / "out", tmp_path / "ack"
    inbox.mkdir()
    (inbox / "a.json").write_text(orders_json(city, "GD1"), encoding="utf-8")
    bridge.import_inbox(inbox)
    with session_factory(engine)() as s:
        case_id = s.scalar(select(HotlineOrder.case_id))
    wf = Workflow(engine, clock=clock)
    wf.assign_verify("intake", case_id, city.users["sup2"])
    wf.verify("sup2", case_id, confirmed=True)
    wf.file("shift", case_id)
    wf.dispatch("st2", case_id, department_id=city.depts["S2_SAN"])
    wf.feedback("h_s2", case_id, note="已清运完毕")
    wf.recheck("sup2", case_id, fixed=True)
    wf.close("shift", case_id)

    assert bridge.collect() == 7  # accepted, verified, filed, dispatched, reply, re-checked, closed
    assert bridge.collect() == 0  # nothing new: nothing queued twice
    res = bridge.deliver(outdir=out, ackdir=ack)
    assert res.sent == 7 and res.acked == 0
    files = sorted(out.glob("*.json"))
    msgs = [json.loads(p.read_text(encoding="utf-8")) for p in files]
    kinds = sorted(m["kind"] for m in msgs)
    assert kinds == ["close", "reply", "status", "status", "status", "status", "status"]
    reply = next(m for m in msgs if m["kind"] == "reply")
    assert reply["text"] == "已清运完毕" and reply["order_no"] == "GD1" and reply["department"] == "乙街道环卫所"
    close = next(m for m in msgs if m["kind"] == "close")
    assert close["result"] == "已结案"
    with session_factory(engine)() as s:
        assert hotline_link(s, case_id).exchange_state == "sending"

    # not acknowledged: nothing is resent before its time, then everything is resent
    assert bridge.deliver(outdir=out, ackdir=ack).sent == 0
    for p in files:
        p.unlink()
    clock.advance(minutes=2)
    assert bridge.deliver(outdir=out, ackdir=ack).sent == 7
    # the platform acknowledges all but the closing message
    ack.mkdir()
    for m in msgs:
        if m["kind"] != "close":
            (ack / f"{m['message_id']}.ack").write_text("ok")
    assert bridge.deliver(outdir=out, ackdir=ack).acked == 6
    assert not list(ack.glob("*.ack"))
    with session_factory(engine)() as s:
        assert hotline_link(s, case_id).pending == 1
    # a second ack of the same message changes nothing; then the closing one comes in
    (ack / f"{msgs[0]['message_id']}.ack").write_text("ok")
    (ack / f"{close['message_id']}.ack").write_text("ok")
    assert bridge.deliver(outdir=out, ackdir=ack).acked == 1
    with session_factory(engine)() as s:
        link = hotline_link(s, case_id)
        assert link.exchange_state == "closed" and link.exchange_label == "已办结回复" and link.pending == 0
        assert s.scalar(select(func.count()).select_from(ExchangeOutbox).where(ExchangeOutbox.done.is_(False))) == 0


def test_http_delivery_retries_until_the_platform_answers(engine, city, bridge, clock, tmp_path):
    got: list[dict] = []
    fail = {"on": True}

    class Platform(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if fail["on"]:
                self.send_response(503)
                self.end_headers()
                return
            got.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *a):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Platform)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        url = f"http://127.0.0.1:{httpd.server_port}/12345/replies"
        inbox = tmp_path / "in"
        inbox.mkdir()
        (inbox / "a.json").write_text(orders_json(city, "GD9"), encoding="utf-8")
        bridge.run_once(inbox=inbox, url=url)
        with session_factory(engine)() as s:
            m = s.scalar(select(ExchangeOutbox))
            assert not m.done and m.attempts == 1 and "503" in m.last_error
        clock.advance(minutes=2)
        fail["on"] = False
        _, _, delivered = bridge.run_once(inbox=inbox, url=url)
        assert delivered.acked == 1 and len(got) == 1 and got[0]["order_no"] == "GD9"
        clock.advance(hours=2)
        assert bridge.run_once(inbox=inbox, url=url)[2].sent == 0  # acknowledged: never sent again
    finally:
        httpd.shutdown()


def test_hotline_command_runs_once(db_url, engine, city, tmp_path, capsys):
    inbox, out = tmp_path / "in", tmp_path / "out"
    inbox.mkdir()
    (inbox / "a.json").write_text(orders_json(city, "GD7"), encoding="utf-8")
    assert cli(["--db", db_url, "hotline", "run", "--inbox", str(inbox), "--outbox", str(out), "--once"]) == 0
    text = capsys.readouterr().out
    assert "1 new order" in text and "1 sent" in text
    assert len(list(out.glob("GD7-*.json"))) == 1
