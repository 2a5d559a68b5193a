"""The case pane, its action forms and the intake dialog, on real widgets (offscreen) against
SQLite and PostgreSQL: exactly the allowed buttons, forms that check before they send, stale
versions refused with the other user's name, photos, the timeline, duplicates at intake."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QLabel, QMessageBox
from sqlalchemy import func, select

from gridstation.app import tasks
from gridstation.app.cases.case_pane import CasePane, assign_letters, order_actions
from gridstation.app.context import AppContext
from gridstation.app.cases.forms import DispatchForm, match_categories
from gridstation.app.cases.intake import IntakeDialog, interpret_geocode
from gridstation.store.changes import Change
from gridstation.store.db import session_factory
from gridstation.store.model import Case, CaseEvent, CaseRequest
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

WAIT = 15_000


@pytest.fixture
def city(engine, db_url, qtbot):
    m = build_mini_city(engine)
    wf = Workflow(engine)
    env = SimpleNamespace(m=m, wf=wf, engine=engine, url=db_url)

    def ctx(login: str) -> AppContext:
        return AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor(login))

    def case(cid: int) -> Case:
        with session_factory(engine)() as s:
            return s.get(Case, cid)

    def events(cid: int) -> list[str]:
        with session_factory(engine)() as s:
            return list(s.scalars(select(CaseEvent.action).where(CaseEvent.case_id == cid)
                                  .order_by(CaseEvent.at, CaseEvent.id)))

    def to_dispatch() -> int:
        """A district-level 污水井盖 case filed and waiting for the district dispatcher."""
        lon, lat = m.point("G1a")
        r = wf.report("sup1", source="supervisor", description="井盖缺失，行人易跌落", lon=lon, lat=lat,
                      address="测试路 12 号门前", category_id=m.cats["MANHOLE"])
        wf.file("shift", r.case_id)
        return r.case_id

    env.ctx, env.case, env.events, env.to_dispatch = ctx, case, events, to_dispatch
    yield env
    tasks.wait_idle()


@pytest.fixture
def captured(monkeypatch):
    """QMessageBox.warning records its text instead of blocking the test."""
    texts: list[str] = []

    def fake(parent, title, text, *args, **kwargs):
        texts.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(fake))
    return texts


def make_pane(qtbot, ctx, case_id) -> CasePane:
    pane = CasePane(ctx)
    qtbot.addWidget(pane)
    pane.resize(500, 900)
    pane.show_case(case_id)
    qtbot.waitUntil(lambda: pane.detail is not None and pane.detail.id == case_id, timeout=WAIT)
    return pane


def tiny_png(path, colour="#3a7bd5"):
    img = QImage(40, 30, QImage.Format.Format_RGB32)
    img.fill(QColor(colour))
    assert img.save(str(path), "PNG")
    return str(path)


# --------------------------------------------------------------------------- pure helpers


def test_primary_action_comes_first_and_letters_are_distinct():
    ordered = order_actions(["request_void", "dispatch", "change_level", "urge"])
    assert ordered[0] == "dispatch" and ordered[-1] == "request_void"
    letters = assign_letters(["void", "request_void", "dispatch", "decide"])
    assert len(set(letters.values())) == 4 and not set(letters.values()) & set("FEVHWT")


def test_geocode_results_of_any_reasonable_shape():
    assert interpret_geocode(None) is None and interpret_geocode([]) is None
    assert interpret_geocode((113.7, 34.7))["lon"] == 113.7
    hit = interpret_geocode([{"lon": 1.0, "lat": 2.0, "grid_id": 7, "address": "x"}])
    assert hit == {"lon": 1.0, "lat": 2.0, "grid_id": 7, "label": "x"}
    assert interpret_geocode(SimpleNamespace(lon=1, lat=2, grid_id=None, label="y"))["label"] == "y"


# --------------------------------------------------------------------------- the pane


def test_pane_shows_exactly_the_allowed_buttons(qtbot, city):
    cid = city.to_dispatch()
    ctx = city.ctx("disp")
    pane = make_pane(qtbot, ctx, cid)
    allowed = city.wf.allowed_actions(ctx.actor, cid)
    assert set(allowed) == {"dispatch", "change_level", "urge", "request_void"}
    assert set(pane.action_buttons) == set(allowed)
    # the step forward is primary (Ctrl+Enter), every button shows its shortcut
    assert "Ctrl+Enter" in pane.action_buttons["dispatch"].text()
    for action in allowed:
        if action != "dispatch":
            assert "Alt+" in pane.action_buttons[action].text()
    d = pane.detail
    assert d.number and d.state == "to_dispatch" and d.grid_code
    assert pane.minimap is not None and pane.minimap.context().grid is not None
    assert len(pane.minimap.context().neighbours) >= 1

    # an action the user may not take has no button and cannot be opened
    assert pane.open_action("feedback") is None
    # another user sees other buttons on the same case
    pane2 = make_pane(qtbot, city.ctx("h_mun"), cid)
    assert pane2.action_buttons == {}


def test_show_on_map_emits_the_point(qtbot, city):
    cid = city.to_dispatch()
    pane = make_pane(qtbot, city.ctx("disp"), cid)
    from PySide6.QtWidgets import QPushButton

    btn = pane.findChild(QPushButton, "ShowOnMap")
    with qtbot.waitSignal(pane.showOnMap, timeout=WAIT) as sig:
        btn.click()
    lon, lat = city.m.point("G1a")
    assert sig.args == [pytest.approx(lon), pytest.approx(lat)]


def test_dispatch_form_preselects_the_suggestion_and_dispatches(qtbot, city):
    cid = city.to_dispatch()
    pane = make_pane(qtbot, city.ctx("disp"), cid)
    pane.action_buttons["dispatch"].click()
    form = pane.current_form
    assert isinstance(form, DispatchForm)
    qtbot.waitUntil(form.is_ready, timeout=WAIT)
    suggested = city.wf.suggest_department(cid)
    assert form.department_id() == suggested.department_id == city.m.depts["MUN"]
    assert "市政管理处" in form.reason_label.text()
    assert form.department.count() == 1 + len(suggested.alternatives)
    version = pane.detail.version

    with qtbot.waitSignal(pane.actionDone, timeout=WAIT) as done:
        qtbot.keyClick(form.department, Qt.Key.Key_Return)  # Enter submits
    assert done.args == [cid, "dispatch"]
    c = city.case(cid)
    assert c.state == "handling" and c.current_department_id == city.m.depts["MUN"]
    assert c.version == version + 1
    qtbot.waitUntil(lambda: pane.detail.state == "handling", timeout=WAIT)
    assert pane.current_form is None
    assert set(pane.action_buttons) == set(city.wf.allowed_actions(pane.ctx.actor, cid)) == {"urge"}
    assert pane.timeline_actions()[-1] == "dispatch"


def test_stale_version_shows_the_conflict_and_the_new_state(qtbot, city, captured):
    cid = city.to_dispatch()
    pane = make_pane(qtbot, city.ctx("disp"), cid)
    form = pane.open_action("dispatch")
    qtbot.waitUntil(form.is_ready, timeout=WAIT)
    # meanwhile the shift leader on another workstation voids the case
    Workflow(city.engine).void("shift", cid, reason="重复上报")
    form.submit()
    qtbot.waitUntil(lambda: bool(captured), timeout=WAIT)
    assert "shift-name" in captured[0]
    assert city.case(cid).state == "voided"  # the dispatch was not applied
    qtbot.waitUntil(lambda: pane.detail.state == "voided", timeout=WAIT)
    assert pane.action_buttons == {}
    assert pane.current_form is None
    assert not pane.is_busy()


def test_required_reason_left_empty_keeps_the_form_and_sends_nothing(qtbot, city, monkeypatch):
    cid = city.to_dispatch()
    pane = make_pane(qtbot, city.ctx("disp"), cid)
    calls = []
    monkeypatch.setattr(city.wf, "request_void", lambda *a, **k: calls.append((a, k)))
    form = pane.open_action("request_void")
    qtbot.keyClick(form.reason, Qt.Key.Key_Return)
    assert form.isVisible() and form.error_text()
    assert form.reason.property("invalid")
    tasks.wait_idle()
    qtbot.wait(50)
    assert calls == [] and not pane.is_busy()
    assert city.case(cid).pending_request_id is None
    # Esc cancels
    qtbot.keyClick(form, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: pane.current_form is None, timeout=WAIT)


def test_a_request_with_a_reason_is_sent_and_then_decided(qtbot, city):
    cid = city.to_dispatch()
    pane = make_pane(qtbot, city.ctx("disp"), cid)
    form = pane.open_action("request_void")
    form.reason.insertPlainText("重复上报")
    with qtbot.waitSignal(pane.actionDone, timeout=WAIT):
        form.submit()
    qtbot.waitUntil(lambda: pane.detail.pending_request is not None, timeout=WAIT)
    assert pane.detail.pending_request["kind"] == "void"
    # the shift leader decides; a rejection needs a note
    lead = make_pane(qtbot, city.ctx("shift"), cid)
    assert "decide" in lead.action_buttons
    form = lead.open_action("decide")
    assert "重复上报" in " ".join(lab.text() for lab in form.findChildren(QLabel))
    qtbot.keyClick(form.text, Qt.Key.Key_Return)  # a stray Enter while typing decides nothing
    assert form.isVisible() and not form.is_busy()
    form.submit_decision(False)
    assert form.isVisible() and form.error_text()
    form.text.insertPlainText("不是重复")
    with qtbot.waitSignal(lead.actionDone, timeout=WAIT):
        form.submit_decision(False)
    assert city.case(cid).pending_request_id is None and city.case(cid).state == "to_dispatch"
    with session_factory(city.engine)() as s:
        assert s.scalar(select(func.count()).select_from(CaseRequest).where(CaseRequest.approved.is_(False))) == 1


def test_timeline_lists_the_events_in_order(qtbot, city):
    cid = city.to_dispatch()
    city.wf.urge("leader", cid, opinion="今天内处理")
    city.wf.dispatch("disp", cid, department_id=city.m.depts["MUN"])
    city.wf.reply_urge("h_mun", cid, reply="已安排")
    pane = make_pane(qtbot, city.ctx("disp"), cid)
    assert pane.timeline_actions() == city.events(cid) == ["report", "file", "urge", "dispatch", "reply_urge"]
    assert pane.detail.counts["dispatch"] == 1


def test_feedback_photos_appear_as_thumbnails(qtbot, city, tmp_path):
    cid = city.to_dispatch()
    city.wf.dispatch("disp", cid, department_id=city.m.depts["MUN"])
    pane = make_pane(qtbot, city.ctx("h_mun"), cid)
    assert set(pane.action_buttons) == {"request_return", "request_extension", "request_park", "feedback"}
    form = pane.open_action("feedback")
    form.photos.add_files([tiny_png(tmp_path / "after.png")])
    qtbot.waitUntil(lambda: form.photos.count() == 1, timeout=WAIT)
    assert form.photos.list.count() == 1
    form.submit()  # a note is required for feedback
    assert form.isVisible() and form.error_text()
    form.text.insertPlainText("井盖已更换")
    with qtbot.waitSignal(pane.actionDone, timeout=WAIT):
        form.submit()
    assert city.case(cid).state == "to_check"
    qtbot.waitUntil(lambda: pane.detail.state == "to_check" and len(pane.detail.attachments) == 1, timeout=WAIT)
    aid = pane.detail.attachments[0].id
    # one thumbnail in the photo strip, one on the feedback event of the timeline
    qtbot.waitUntil(lambda: pane.thumbnails_loaded() and len(pane.thumbnails().get(aid, [])) == 2, timeout=WAIT)
    assert all(not b.icon().isNull() for b in pane.thumbnails()[aid])
    fb = next(e for e in pane.detail.events if e.action == "feedback")
    assert fb.attachment_ids == [aid]
    viewer = pane.open_photo(0)
    qtbot.waitUntil(lambda: viewer.image.pixmap() is not None and not viewer.image.pixmap().isNull(), timeout=WAIT)
    viewer.close()


def test_changes_elsewhere_reload_with_a_note(qtbot, city):
    cid = city.to_dispatch()
    pane = make_pane(qtbot, city.ctx("disp"), cid)
    pane.resize(400, 300)
    pane.show()
    bar = pane.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 100, timeout=WAIT)
    bar.setValue(100)
    r = city.wf.urge("leader", cid, opinion="抓紧")
    change = Change(1, city.case(cid).updated_at, "case", cid, "urge", city.m.users["leader"])
    pane.on_changes([Change(0, change.at, "case", cid + 999, "urge", 1)])  # another case: nothing
    assert not pane.note_bar.isVisibleTo(pane)
    pane.on_changes([change])
    qtbot.waitUntil(lambda: pane.detail.version == r.version, timeout=WAIT)
    assert pane.note_bar.isVisibleTo(pane) and "leader-name" in pane.note_bar.text()
    assert pane.detail.urged
    qtbot.waitUntil(lambda: bar.value() == 100, timeout=WAIT)  # the reader keeps their place


def test_ctrl_enter_opens_the_primary_action(qtbot, city):
    cid = city.to_dispatch()
    pane = make_pane(qtbot, city.ctx("disp"), cid)
    with qtbot.waitActive(pane):
        pane.show()
        pane.activateWindow()
    qtbot.keyClick(pane, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: pane.current_form is not None, timeout=WAIT)
    assert pane.current_form.action == "dispatch"


# --------------------------------------------------------------------------- intake


def test_category_matching_by_name_pinyin_and_code():
    from gridstation.app.cases.forms import CategoryOption

    opts = [CategoryOption(1, "E0101", "暴露垃圾", "市容环境", "bllj", "baolulaji", "event"),
            CategoryOption(2, "C0102", "污水井盖", "公用设施", "wsjg", "wushuijinggai", "component")]
    assert [o.id for o in match_categories(opts, "bllj")] == [1]
    assert [o.id for o in match_categories(opts, "bl")] == [1]
    assert [o.id for o in match_categories(opts, "井盖")] == [2]
    assert [o.id for o in match_categories(opts, "C0102")] == [2]
    assert [o.id for o in match_categories(opts, "baolu")] == [1]
    assert match_categories(opts, "xyz") == []


def test_intake_finds_pinyin_lists_duplicates_and_saves(qtbot, city):
    m, wf = city.m, city.wf
    lon, lat = m.point("G1b")
    old = wf.report("sup1", source="supervisor", description="路边一堆垃圾", lon=lon, lat=lat,
                    category_id=m.cats["GARBAGE"])
    ctx = city.ctx("intake")
    dlg = IntakeDialog(ctx)
    qtbot.addWidget(dlg)
    assert [dlg.source.itemData(i) for i in range(dlg.source.count())] == ["hotline", "public", "camera"]
    qtbot.waitUntil(dlg.category.is_loaded, timeout=WAIT)

    found = dlg.category.search("bllj")  # 暴露垃圾: bào lù lā jī
    assert [o.name for o in found] == ["暴露垃圾"]
    assert dlg.category.model.item(0).text() == "暴露垃圾 — 市容环境"
    dlg.category._activated(dlg.category.model.index(0, 0))
    assert dlg.category.category_id() == m.cats["GARBAGE"]

    # about 20 m east of the existing case
    dlg.set_point(lon + 0.0002, lat)
    qtbot.waitUntil(lambda: dlg.grid_id() == m.grids["G1b"], timeout=WAIT)
    qtbot.waitUntil(lambda: [d.case_id for d in dlg.duplicates()] == [old.case_id], timeout=WAIT)
    assert dlg.dup_list.count() == 1 and old.number in dlg.dup_list.item(0).text()
    assert dlg.save_button.text() == "Save anyway"

    # another category at the same place is no duplicate
    dlg.category.set_category_id(m.cats["MANHOLE"])
    qtbot.waitUntil(lambda: dlg.duplicates() == [] and dlg._checked_key is not None
                    and dlg._checked_key[2] == m.cats["MANHOLE"], timeout=WAIT)
    dlg.category.set_category_id(m.cats["GARBAGE"])
    qtbot.waitUntil(lambda: len(dlg.duplicates()) == 1, timeout=WAIT)

    # the description is required; the form keeps its content
    dlg.save()
    assert "description" in dlg.error.text().lower()
    dlg.reporter_name.setText("王先生")  # (QTest types Latin-1 only)
    qtbot.keyClicks(dlg.reporter_phone, "13800000000")
    dlg.description.insertPlainText("又有人来电反映垃圾未清")
    with qtbot.waitSignal(dlg.reported, timeout=WAIT) as sig:
        dlg.save()
    new = city.case(sig.args[0])
    assert new.source == "hotline" and new.state == "to_verify"
    assert new.category_id == m.cats["GARBAGE"] and new.grid_id == m.grids["G1b"]
    assert new.reporter_name == "王先生" and new.description == "又有人来电反映垃圾未清"
    assert new.lon == pytest.approx(lon + 0.0002)


def test_intake_opens_a_duplicate_instead(qtbot, city):
    m, wf = city.m, city.wf
    lon, lat = m.point("G1a")
    old = wf.report("sup1", source="supervisor", description="垃圾", lon=lon, lat=lat, category_id=m.cats["GARBAGE"])
    dlg = IntakeDialog(city.ctx("intake"))
    qtbot.addWidget(dlg)
    qtbot.waitUntil(dlg.category.is_loaded, timeout=WAIT)
    dlg.category.set_category_id(m.cats["GARBAGE"])
    dlg.set_point(lon, lat)
    qtbot.waitUntil(lambda: dlg.dup_list.count() == 1, timeout=WAIT)
    dlg.dup_list.setCurrentRow(0)
    with qtbot.waitSignal(dlg.openCase, timeout=WAIT) as sig:
        dlg.open_button.click()
    assert sig.args == [old.case_id]


def test_intake_save_checks_duplicates_first_and_reports_errors(qtbot, city, captured):
    m = city.m
    dlg = IntakeDialog(city.ctx("intake"))
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: bool(dlg._grids), timeout=WAIT)
    dlg.set_grid(m.grids["G2a"])
    dlg.description.insertPlainText("路灯不亮")
    dlg.address.setText("乙路 3 号")
    # no duplicate anywhere: one click checks, then saves
    with qtbot.waitSignal(dlg.reported, timeout=WAIT) as sig:
        dlg.save()
    c = city.case(sig.args[0])
    assert c.grid_id == m.grids["G2a"] and c.category_id is None and c.address == "乙路 3 号"

    # a core refusal is shown and the content stays
    dlg2 = IntakeDialog(city.ctx("intake"))
    qtbot.addWidget(dlg2)
    dlg2.set_point(100.0, 10.0)  # outside the city
    dlg2.description.insertPlainText("某处")
    qtbot.waitUntil(lambda: dlg2._checked_key is not None, timeout=WAIT)
    dlg2.save()
    qtbot.waitUntil(lambda: bool(captured), timeout=WAIT)
    assert "location" in captured[0] or "grid" in captured[0]
    assert dlg2.description.toPlainText() == "某处"
    assert not dlg2._busy


def test_locate_without_a_geocoder_says_so(qtbot, city, monkeypatch):
    import importlib

    real = importlib.import_module

    def fake(name, *a, **k):
        if name == "gridstation.geo.geocode":
            raise ModuleNotFoundError(name)
        return real(name, *a, **k)

    monkeypatch.setattr(importlib, "import_module", fake)
    dlg = IntakeDialog(city.ctx("intake"))
    qtbot.addWidget(dlg)
    dlg.address.setText("测试路 12 号")
    qtbot.keyClick(dlg.address, Qt.Key.Key_Return)  # Enter in the address looks it up, does not save
    assert "not available" in dlg.place_label.text()
    assert dlg.error.text() == ""


# --------------------------------------------------------------------------- every form, end to end


def _act(qtbot, city, login, cid, action, fill=None, approve=None):
    """Open ``action`` on a fresh pane of ``login``, fill the form, submit, wait for success."""
    pane = make_pane(qtbot, city.ctx(login), cid)
    assert action in pane.action_buttons, (login, action, sorted(pane.action_buttons))
    form = pane.open_action(action)
    qtbot.waitUntil(form.is_ready, timeout=WAIT)
    if fill is not None:
        fill(form)
    with qtbot.waitSignal(pane.actionDone, timeout=WAIT):
        form.submit_decision(approve) if approve is not None else form.submit()
    qtbot.waitUntil(lambda: pane.current_form is None and not pane.is_busy(), timeout=WAIT)
    return pane


def test_every_action_form_drives_the_whole_loop(qtbot, city):
    m, wf = city.m, city.wf
    sup1 = m.users["sup1"]

    def reason(text):
        return lambda f: f.reason.insertPlainText(text)

    def text(t):
        return lambda f: f.text.insertPlainText(t)

    def pick_sup(f):
        f.supervisor.setCurrentIndex(f.supervisor.findData(sup1))

    def yes(f):
        f.choice.yes.setChecked(True)

    lon, lat = m.point("G1a")
    cid = wf.report("intake", source="hotline", description="市民来电：井盖缺失", lon=lon, lat=lat,
                    category_id=m.cats["MANHOLE"], reporter_name="李女士").case_id
    state = lambda: city.case(cid).state

    _act(qtbot, city, "intake", cid, "assign_verify", pick_sup)
    assert city.case(cid).assignee_id == sup1
    _act(qtbot, city, "sup1", cid, "verify", yes)
    assert state() == "to_file"
    pane = _act(qtbot, city, "shift", cid, "file")  # the reported category is preselected
    assert state() == "to_dispatch" and city.case(cid).category_id == m.cats["MANHOLE"]
    _act(qtbot, city, "disp", cid, "change_level", reason("街道可处理"))
    assert city.case(cid).command_level == "street"
    _act(qtbot, city, "st1", cid, "change_level", reason("需区级协调"))
    assert city.case(cid).command_level == "district"
    _act(qtbot, city, "disp", cid, "dispatch")
    assert state() == "handling"
    _act(qtbot, city, "leader", cid, "urge", text("尽快"))
    assert city.case(cid).urged
    _act(qtbot, city, "h_mun", cid, "reply_urge", text("已安排"))
    assert not city.case(cid).urged
    _act(qtbot, city, "h_mun", cid, "request_extension", lambda f: (f.hours.setValue(3), f.reason.insertPlainText("缺料")))
    _act(qtbot, city, "disp", cid, "decide", approve=True)
    assert city.case(cid).extension_count == 1
    _act(qtbot, city, "h_mun", cid, "request_park", reason("需要预算"))
    _act(qtbot, city, "disp", cid, "decide", approve=True)
    assert state() == "parked"
    _act(qtbot, city, "disp", cid, "resume")
    assert state() == "handling"
    _act(qtbot, city, "h_mun", cid, "request_return", reason("不属本单位"))
    _act(qtbot, city, "disp", cid, "decide", approve=True)
    assert state() == "to_dispatch" and city.case(cid).return_count == 1
    _act(qtbot, city, "disp", cid, "dispatch")
    _act(qtbot, city, "h_mun", cid, "feedback", text("已更换"))
    assert state() == "to_check"
    _act(qtbot, city, "intake", cid, "assign_check", pick_sup)
    _act(qtbot, city, "sup1", cid, "recheck", yes)
    assert state() == "to_close"
    _act(qtbot, city, "shift", cid, "rework", reason("周边未清理"))
    assert state() == "to_dispatch" and city.case(cid).rework_count == 1
    _act(qtbot, city, "disp", cid, "dispatch")
    _act(qtbot, city, "h_mun", cid, "feedback", text("已清理"))
    _act(qtbot, city, "sup1", cid, "recheck", yes)
    pane = _act(qtbot, city, "shift", cid, "close")
    assert state() == "closed"
    qtbot.waitUntil(lambda: pane.detail.state == "closed", timeout=WAIT)
    assert pane.action_buttons == {}
    assert pane.timeline_actions() == city.events(cid)

    # self-handling reviewed, and a report voided
    s = wf.report("sup1", source="supervisor", description="小广告已清除", lon=lon, lat=lat, self_handled=True).case_id
    _act(qtbot, city, "shift", s, "review_self", yes)
    assert city.case(s).state == "closed"
    v = wf.report("sup1", source="supervisor", description="误报", lon=lon, lat=lat).case_id
    _act(qtbot, city, "shift", v, "void", reason("误报"))
    assert city.case(v).state == "voided"
