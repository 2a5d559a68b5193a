"""The closed loop (../shared/domain.md §2-3) through ``gridstation.cases.workflow``: every path and
every forbidden one, on SQLite and on PostgreSQL (the ``engine`` fixture runs each test on both).

Each successful action is checked for its state, its ``case_event`` row (action, from/to state,
user, position, department, data), the case's counters and timestamps, and the single
``change_log`` row it writes. Each refused action is checked for its typed error and for an
unchanged database (the case row and the row counts of case_event, case_request, attachment,
change_log, cases and counter).
"""

from __future__ import annotations

import hashlib
import random
import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from gridstation.worktime import timelimits
from gridstation.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound, WorkflowError
from gridstation.store.model import (
    Attachment,
    Case,
    CaseEvent,
    CaseRequest,
    ChangeLog,
    Counter,
    Position,
    RequestKind,
)
from gridstation.worktime.workcal import GREEN, RED, YELLOW
from gridstation.cases.workflow import APPROVERS, MAX_PHOTO_BYTES, MAX_PHOTOS, RULES, Photo, Workflow
from tests.minicity import LAT0, LON0, build_mini_city

MON = datetime(2026, 3, 2, 9, 0)  # a Monday, an ordinary working day (no holiday in March 2026)
TUE = MON + timedelta(days=1)

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(64))
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(64, 128))

HANDLER = {"MUN": "h_mun", "SAN": "h_san", "S1_SAN": "h_s1", "S2_SAN": "h_s2"}
# One active user of each position (the wrong-position loop picks from these).
BY_POSITION = {
    Position.SUPERVISOR: "sup1",
    Position.INTAKE_OPERATOR: "intake",
    Position.SHIFT_LEADER: "shift",
    Position.DISPATCHER: "disp",
    Position.STREET_DISPATCHER: "st1",
    Position.DEPT_HANDLER: "h_mun",
    Position.LEADER: "leader",
    Position.ADMIN: "admin",
    Position.WALL: "wall",  # added by the env fixture: the wall display's read-only account
}
ACTIVE_USERS = [
    "sup1", "sup2", "intake", "shift", "shift_s2", "disp", "st1", "st2",
    "h_san", "h_mun", "h_s1", "h_s2", "leader", "admin",
]
NUMBER = re.compile(r"^\d{8}\d{5}$")


# --------------------------------------------------------------------------- harness


class Env:
    """A mini city, a workflow on an injectable clock, and helpers to inspect the database."""

    def __init__(self, engine):
        self.engine = engine
        self.m = build_mini_city(engine)
        self.t = [MON]
        self.wf = Workflow(engine, clock=lambda: self.t[0])
        self.cal = self.wf.calendar

    # -- clock
    @property
    def now(self) -> datetime:
        return self.t[0]

    def at(self, when: datetime) -> None:
        self.t[0] = when

    # -- ids
    def uid(self, login: str) -> int:
        return self.m.users[login]

    def dept(self, key: str) -> int:
        return self.m.depts[key]

    # -- reading
    def case(self, cid: int) -> Case:
        with Session(self.engine) as s:
            c = s.get(Case, cid)
            assert c is not None
            return c

    def version(self, cid: int) -> int:
        return self.case(cid).version

    def events(self, cid: int) -> list[CaseEvent]:
        with Session(self.engine) as s:
            return list(s.scalars(select(CaseEvent).where(CaseEvent.case_id == cid).order_by(CaseEvent.id)))

    def event(self, event_id: int) -> CaseEvent:
        with Session(self.engine) as s:
            return s.get(CaseEvent, event_id)

    def requests(self, cid: int) -> list[CaseRequest]:
        with Session(self.engine) as s:
            return list(s.scalars(select(CaseRequest).where(CaseRequest.case_id == cid).order_by(CaseRequest.id)))

    def attachments(self, cid: int) -> list[Attachment]:
        with Session(self.engine) as s:
            return list(s.scalars(select(Attachment).where(Attachment.case_id == cid).order_by(Attachment.id)))

    def change_log(self) -> list[ChangeLog]:
        with Session(self.engine) as s:
            return list(s.scalars(select(ChangeLog).order_by(ChangeLog.seq)))

    def counts(self) -> dict:
        out = {}
        with Session(self.engine) as s:
            for model in (Case, CaseEvent, CaseRequest, Attachment, ChangeLog):
                out[model.__tablename__] = s.scalar(select(func.count()).select_from(model))
            out["counter"] = sorted((c.name, c.value) for c in s.scalars(select(Counter)))
        return out

    def snapshot(self, cid: int | None) -> dict:
        snap = self.counts()
        if cid is not None:
            c = self.case(cid)
            snap["case"] = {a.key: getattr(c, a.key) for a in inspect(Case).column_attrs}
        return snap

    # -- asserting
    def refused(self, exc_type, fn, cid: int | None = None):
        """``fn`` raises exactly ``exc_type`` and leaves the database as it was."""
        before = self.snapshot(cid)
        with pytest.raises(WorkflowError) as ei:
            fn()
        assert type(ei.value) is exc_type, f"expected {exc_type.__name__}, got {type(ei.value).__name__}: {ei.value}"
        assert self.snapshot(cid) == before, "a refused action changed the database"
        return ei.value

    def do(self, fn, *args, **kw):
        """Run one action: it appends exactly one event and one change_log row for its case."""
        before_log = self.change_log()
        before = self.counts()
        name = getattr(fn, "__name__", "")
        cid = None
        if name == "decide":
            with Session(self.engine) as s:
                cid = s.get(CaseRequest, args[1]).case_id
        elif name != "report" and len(args) > 1:
            cid = args[1]
        before_version = self.version(cid) if cid is not None else 0
        r = fn(*args, **kw)
        assert r.version == before_version + 1, "one action, one guarded UPDATE of the case"
        after = self.counts()
        assert after["case_event"] == before["case_event"] + 1
        log = self.change_log()
        assert len(log) == len(before_log) + 1
        ev = self.event(r.event_id)
        assert ev.case_id == r.case_id
        row = log[-1]
        assert (row.entity, row.entity_id, row.action, row.user_id, row.at) == (
            "case", r.case_id, ev.action, ev.user_id, ev.at,
        )
        c = self.case(r.case_id)
        assert (c.state, c.version, c.number) == (r.state, r.version, r.number)
        assert c.updated_at == self.now and c.updated_by_id == ev.user_id
        return r

    def check_event(self, r, action, from_state, to_state, user, *, department=None, data=None, note=None):
        ev = self.event(r.event_id)
        dept_id = self.dept(department) if department else None
        assert (ev.action, ev.from_state, ev.to_state, ev.user_id, ev.department_id) == (
            action, from_state, to_state, self.uid(user), dept_id,
        )
        assert ev.at == self.now
        assert ev.position == BY_POSITION_REV[user].value
        assert ev.data == data
        if note is not None:
            assert ev.note == note
        return ev

    # -- building cases
    def report(self, kind: str | None = "MANHOLE", grid: str = "G1a", by: str | None = None, **kw):
        by = by or ("sup1" if grid.startswith("G1") else "sup2")
        source = kw.pop("source", "supervisor" if by.startswith("sup") else "hotline")
        lon, lat = self.m.point(grid)
        return self.wf.report(
            by, source=source, description=kw.pop("description", "井盖缺失"), lon=lon, lat=lat,
            category_id=self.m.cats[kind] if kind else None, **kw,
        )

    def dispatcher_for(self, kind: str, grid: str = "G1a") -> tuple[str, str]:
        """(dispatcher login, department key) for a category's command level."""
        street = "1" if grid.startswith("G1") else "2"
        if kind == "GARBAGE":
            return f"st{street}", f"S{street}_SAN"
        return "disp", "MUN"

    def make(self, state: str, kind: str = "MANHOLE", grid: str = "G1a") -> int:
        """A fresh case in ``state`` (plus variants: handling_urged, pending_return, pending_void)."""
        wf = self.wf
        sup = "sup1" if grid.startswith("G1") else "sup2"
        if state == "to_verify":
            return self.report(kind, grid, by="intake").case_id
        if state == "self_review":
            return self.report(kind, grid, self_handled=True).case_id
        cid = self.report(kind, grid).case_id
        if state == "to_file":
            return cid
        if state == "voided":
            wf.void("shift", cid, reason="重复上报")
            return cid
        wf.file("shift", cid)
        if state == "to_dispatch":
            return cid
        if state == "pending_void":
            wf.request_void("intake", cid, reason="重复上报")
            return cid
        who, dept = self.dispatcher_for(kind, grid)
        wf.dispatch(who, cid, department_id=self.dept(dept))
        handler = HANDLER[dept]
        if state == "handling":
            return cid
        if state == "handling_urged":
            wf.urge("leader", cid, opinion="尽快处理")
            return cid
        if state == "pending_return":
            wf.request_return(handler, cid, reason="不属本单位")
            return cid
        if state == "parked":
            r = wf.request_park(handler, cid, reason="需要预算")
            wf.decide(who, r.request_id, approve=True)
            return cid
        wf.feedback(handler, cid, note="已修复")
        if state == "to_check":
            return cid
        wf.recheck(sup, cid, fixed=True)
        if state == "to_close":
            return cid
        if state == "closed":
            wf.close("shift", cid)
            return cid
        raise AssertionError(state)


BY_POSITION_REV = {
    "sup1": Position.SUPERVISOR, "sup2": Position.SUPERVISOR, "intake": Position.INTAKE_OPERATOR,
    "shift": Position.SHIFT_LEADER, "shift_s2": Position.SHIFT_LEADER, "disp": Position.DISPATCHER,
    "st1": Position.STREET_DISPATCHER, "st2": Position.STREET_DISPATCHER, "h_san": Position.DEPT_HANDLER,
    "h_mun": Position.DEPT_HANDLER, "h_s1": Position.DEPT_HANDLER, "h_s2": Position.DEPT_HANDLER,
    "leader": Position.LEADER, "admin": Position.ADMIN, "off": Position.DISPATCHER,
}


@pytest.fixture
def env(engine) -> Env:
    e = Env(engine)
    from gridstation.accounts.users import add_user

    add_user(engine, login="wall", name="大屏", position="wall", password="wallpass1")
    return e


def invoke(env: Env, action: str, login: str, cid: int, version: int | None = None):
    """Take ``action`` with valid arguments for this case (what a client would send)."""
    wf, c = env.wf, env.case(cid)
    kw = {"expected_version": version}
    grid_street = "1" if c.grid_id in (env.m.grids["G1a"], env.m.grids["G1b"]) else "2"
    sup = env.uid(f"sup{grid_street}")
    if action == "assign_verify":
        return wf.assign_verify(login, cid, sup, **kw)
    if action == "verify":
        return wf.verify(login, cid, confirmed=True, **kw)
    if action == "file":
        return wf.file(login, cid, **kw)
    if action == "void":
        return wf.void(login, cid, reason="重复上报", **kw)
    if action == "request_void":
        return wf.request_void(login, cid, reason="不属城管范围", **kw)
    if action == "dispatch":
        dept = {"st1": "S1_SAN", "st2": "S2_SAN"}.get(login, "MUN")
        return wf.dispatch(login, cid, department_id=env.dept(dept), **kw)
    if action == "change_level":
        other = "district" if c.command_level == "street" else "street"
        return wf.change_level(login, cid, level=other, reason="层级调整", **kw)
    if action == "request_return":
        return wf.request_return(login, cid, reason="不属本单位", **kw)
    if action == "request_extension":
        return wf.request_extension(login, cid, hours=2, reason="材料未到", **kw)
    if action == "request_park":
        return wf.request_park(login, cid, reason="需要预算", **kw)
    if action == "feedback":
        return wf.feedback(login, cid, note="已处理", **kw)
    if action == "resume":
        return wf.resume(login, cid, **kw)
    if action == "assign_check":
        return wf.assign_check(login, cid, sup, **kw)
    if action == "recheck":
        return wf.recheck(login, cid, fixed=True, **kw)
    if action == "close":
        return wf.close(login, cid, **kw)
    if action == "rework":
        return wf.rework(login, cid, reason="未达标", **kw)
    if action == "urge":
        return wf.urge(login, cid, opinion="请尽快办理", **kw)
    if action == "reply_urge":
        return wf.reply_urge(login, cid, reply="正在办理", **kw)
    if action == "review_self":
        return wf.review_self(login, cid, approve=True, **kw)
    if action == "decide":
        rid = c.pending_request_id or (env.requests(cid)[-1].id if env.requests(cid) else None)
        assert rid is not None, "decide needs a request"
        return wf.decide(login, rid, approve=True, **kw)
    raise AssertionError(action)


# =========================================================================== report


def test_report_by_supervisor_is_filed_directly(env):
    env.at(MON.replace(hour=10))
    r = env.do(env.report, "MANHOLE", "G1a", address="甲街道1号", photos=[Photo("a.jpg", JPEG)], note="现场")
    assert r.state == "to_file" and r.version == 1 and NUMBER.match(r.number)
    c = env.case(r.case_id)
    assert c.source == "supervisor" and c.reported_by_id == env.uid("sup1")
    assert c.grid_id == env.m.grids["G1a"] and c.category_id == env.m.cats["MANHOLE"]
    assert c.command_level == "district" and c.address == "甲街道1号"
    assert c.reported_at == env.now and c.verified_at == env.now
    assert c.filed_at is c.dispatched_at is c.closed_at is c.voided_at is None
    assert c.current_department_id is None and c.pending_request_id is None and not c.urged
    assert (c.dispatch_count, c.return_count, c.rework_count, c.extension_count, c.park_count, c.urge_count) == (
        0, 0, 0, 0, 0, 0,
    )
    # the FILE clock runs (MANHOLE: 10 working minutes)
    assert c.stage == "file" and c.stage_started_at == env.now and c.stage_limit_minutes == 10
    assert c.due_at == c.file_deadline == env.now + timedelta(minutes=10)
    assert c.warn_at == env.now + timedelta(minutes=8)
    ev = env.check_event(r, "report", None, "to_file", "sup1", data={"source": "supervisor"}, note="现场")
    (att,) = env.attachments(r.case_id)
    assert att.event_id == ev.id and att.mime == "image/jpeg" and att.content == JPEG


def test_report_by_intake_waits_for_verification(env):
    for source in ("hotline", "public", "camera"):
        r = env.do(
            env.report, "GARBAGE", "G2a", by="intake", source=source, reporter_name="张三",
            reporter_phone="13800000000",
        )
        assert r.state == "to_verify"
        c = env.case(r.case_id)
        assert c.source == source and c.verified_at is None and c.command_level == "street"
        assert c.reporter_name == "张三" and c.reporter_phone == "13800000000"
        assert c.grid_id == env.m.grids["G2a"] and c.stage == "file" and c.file_deadline == c.due_at
        env.check_event(r, "report", None, "to_verify", "intake", data={"source": source})


def test_report_without_a_point_uses_the_grid_centre(env):
    r = env.wf.report("intake", source="hotline", description="噪音", grid_id=env.m.grids["G1b"])
    c = env.case(r.case_id)
    assert (c.lon, c.lat) == pytest.approx(env.m.point("G1b")) and c.category_id is None and c.command_level is None


def test_self_handled_report_approved_is_closed(env):
    r = env.do(env.report, "GARBAGE", self_handled=True)
    assert r.state == "self_review"
    c = env.case(r.case_id)
    assert c.verified_at == env.now and c.stage == "close"
    env.check_event(r, "self_handle", None, "self_review", "sup1", data={"source": "supervisor"})
    env.at(MON + timedelta(minutes=20))
    r = env.do(env.wf.review_self, "shift", r.case_id, approve=True, expected_version=r.version)
    assert r.state == "closed"
    c = env.case(r.case_id)
    assert c.closed_at == env.now and c.stage is None and c.due_at is None and c.warn_at is None
    env.check_event(r, "review_self", "self_review", "closed", "shift", data={"approved": True})


def test_self_handled_report_rejected_is_filed_normally(env):
    r = env.report("GARBAGE", self_handled=True)
    env.refused(InvalidInput, lambda: env.wf.review_self("shift", r.case_id, approve=False), r.case_id)
    env.at(MON + timedelta(minutes=5))
    r = env.do(env.wf.review_self, "shift", r.case_id, approve=False, note="需正式立案")
    assert r.state == "to_file"
    c = env.case(r.case_id)
    assert c.closed_at is None and c.stage == "file" and c.file_deadline == c.due_at == env.now + timedelta(minutes=30)
    env.check_event(r, "review_self", "self_review", "to_file", "shift", data={"approved": False}, note="需正式立案")


def test_report_refusals_write_nothing(env):
    m, wf = env.m, env.wf
    lon1, lat1 = m.point("G1a")
    lon2, lat2 = m.point("G2a")

    def rep(by, **kw):
        kw.setdefault("source", "supervisor")
        kw.setdefault("description", "井盖缺失")
        kw.setdefault("lon", lon1)
        kw.setdefault("lat", lat1)
        return lambda: wf.report(by, **kw)

    e = env.refused(Forbidden, rep("sup1", lon=lon2, lat=lat2))  # outside the supervisor's street
    assert "outside" in e.reason
    env.refused(InvalidInput, rep("sup1", lon=LON0 - 0.01, lat=LAT0 - 0.01))  # in no grid
    env.refused(InvalidInput, rep("sup1", lon=None, lat=None))  # no place at all
    env.refused(InvalidInput, rep("sup1", grid_id=999_999, lon=None, lat=None))
    e = env.refused(InvalidInput, rep("sup1", category_id=m.cats["OLD"]))  # retired category
    assert e.field == "category"
    env.refused(InvalidInput, rep("sup1", category_id=m.cats["E01"]))  # not a leaf
    env.refused(NotFound, rep("sup1", category_id=999_999))
    env.refused(NotFound, rep("sup1", component_id=999_999))
    e = env.refused(InvalidInput, rep("sup1", source="carrier_pigeon"))
    assert e.field == "source"
    for empty in ("", "   ", None):
        assert env.refused(InvalidInput, rep("sup1", description=empty)).field == "description"
    env.refused(InvalidInput, rep("sup1", description="x" * 2001))
    env.refused(Forbidden, rep("sup1", source="hotline"))  # a supervisor takes no hotline calls
    env.refused(Forbidden, rep("intake", source="supervisor"))
    env.refused(Forbidden, rep("intake", source="hotline", self_handled=True))
    env.refused(Forbidden, rep("disp", source="hotline"))
    env.refused(Forbidden, rep("off", source="hotline"))  # disabled account
    env.refused(NotFound, rep("nobody"))
    env.refused(InvalidInput, rep("sup1", photos=[Photo("x.txt", b"hello")]))
    # a refused report consumed no case number
    assert env.report().number == MON.strftime("%Y%m%d") + "00001"


def test_case_numbers_are_day_plus_five_digits_and_increase(env):
    numbers = []
    for minute in (0, 1, 2):
        env.at(MON + timedelta(minutes=minute))
        numbers.append(env.report().number)
    assert numbers == ["2026030200001", "2026030200002", "2026030200003"]
    env.at(TUE)
    assert env.report().number == "2026030300001"
    env.at(MON + timedelta(hours=5))
    assert env.report(by="intake").number == "2026030200004"


# =========================================================================== verify, file, void


def test_assign_verify_and_verify_confirmed(env):
    cid = env.make("to_verify", "GARBAGE")
    v = env.version(cid)
    env.refused(InvalidInput, lambda: env.wf.assign_verify("intake", cid, env.uid("sup2")), cid)  # other street
    env.refused(InvalidInput, lambda: env.wf.assign_verify("intake", cid, env.uid("h_mun")), cid)  # not a supervisor
    env.refused(InvalidInput, lambda: env.wf.assign_verify("intake", cid, 999_999), cid)
    env.at(MON + timedelta(minutes=3))
    r = env.do(env.wf.assign_verify, "intake", cid, env.uid("sup1"), expected_version=v)
    assert r.state == "to_verify" and r.version == v + 1
    assert env.case(cid).assignee_id == env.uid("sup1")
    env.check_event(r, "assign_verify", "to_verify", "to_verify", "intake", data={"assignee_id": env.uid("sup1")})
    env.at(MON + timedelta(minutes=30))
    r = env.do(env.wf.verify, "sup1", cid, confirmed=True, photos=[Photo("site.png", PNG)], expected_version=r.version)
    assert r.state == "to_file"
    c = env.case(cid)
    assert c.verified_at == env.now and c.assignee_id is None and c.filed_at is None
    ev = env.check_event(r, "verify", "to_verify", "to_file", "sup1", data={"confirmed": True})
    (att,) = env.attachments(cid)
    assert att.event_id == ev.id and att.mime == "image/png"


def test_verify_not_confirmed_needs_a_note(env):
    cid = env.make("to_verify", "GARBAGE")
    e = env.refused(InvalidInput, lambda: env.wf.verify("sup1", cid, confirmed=False), cid)
    assert e.field == "note"
    r = env.do(env.wf.verify, "sup1", cid, confirmed=False, note="现场无垃圾")
    assert r.state == "to_file"
    env.check_event(r, "verify", "to_verify", "to_file", "sup1", data={"confirmed": False}, note="现场无垃圾")


def test_file_classifies_and_starts_the_dispatch_clock(env):
    r = env.report(None)  # no category yet
    cid = r.case_id
    e = env.refused(InvalidInput, lambda: env.wf.file("shift", cid), cid)
    assert e.field == "category"
    env.refused(InvalidInput, lambda: env.wf.file("shift", cid, category_id=env.m.cats["OLD"]), cid)
    env.refused(InvalidInput, lambda: env.wf.file("shift", cid, category_id=env.m.cats["E01"]), cid)
    env.refused(NotFound, lambda: env.wf.file("shift", cid, category_id=999_999), cid)
    env.at(MON + timedelta(minutes=7))
    r = env.do(env.wf.file, "shift", cid, category_id=env.m.cats["GARBAGE"], expected_version=r.version)
    assert r.state == "to_dispatch"
    c = env.case(cid)
    assert c.category_id == env.m.cats["GARBAGE"] and c.command_level == "street" and c.filed_at == env.now
    assert c.stage == "dispatch" and c.stage_started_at == env.now and c.stage_limit_minutes == 30
    assert c.dispatch_deadline == c.due_at == env.now + timedelta(minutes=30)
    env.check_event(
        r, "file", "to_file", "to_dispatch", "shift",
        data={"category_id": env.m.cats["GARBAGE"], "command_level": "street"},
    )


def test_file_uses_the_reported_category_and_its_level(env):
    cid = env.make("to_file", "MANHOLE")
    env.at(MON.replace(hour=11, minute=55))  # the 10-minute limit runs across lunch
    r = env.do(env.wf.file, "shift", cid)
    c = env.case(cid)
    assert c.command_level == "district"
    assert c.dispatch_deadline == c.due_at == MON.replace(hour=13, minute=35)
    env.check_event(
        r, "file", "to_file", "to_dispatch", "shift",
        data={"category_id": env.m.cats["MANHOLE"], "command_level": "district"},
    )


def test_void_by_shift_leader(env):
    for i, state in enumerate(["to_verify", "to_file", "to_dispatch"]):
        cid = env.make(state, "GARBAGE")
        env.refused(InvalidInput, lambda cid=cid: env.wf.void("shift", cid, reason="  "), cid)
        env.at(MON + timedelta(hours=1, minutes=i))
        r = env.do(env.wf.void, "shift", cid, reason="重复上报")
        assert r.state == "voided"
        c = env.case(cid)
        assert c.voided_at == env.now and c.closed_at is None
        assert c.stage is None and c.due_at is None and c.warn_at is None and c.stage_started_at is None
        env.check_event(r, "void", state, "voided", "shift", data=None, note="重复上报")


def test_request_void_approved_by_shift_leader(env):
    cid = env.make("to_dispatch", "GARBAGE")
    env.refused(InvalidInput, lambda: env.wf.request_void("st1", cid, reason=""), cid)
    env.at(MON + timedelta(minutes=5))
    r = env.do(env.wf.request_void, "st1", cid, reason="非城管职责")
    assert r.state == "to_dispatch" and r.request_id is not None
    c = env.case(cid)
    assert c.pending_request_id == r.request_id
    (req,) = env.requests(cid)
    assert (req.kind, req.requested_by_id, req.requested_at, req.reason, req.decided_at) == (
        "void", env.uid("st1"), env.now, "非城管职责", None,
    )
    env.check_event(r, "request_void", "to_dispatch", "to_dispatch", "st1", data={"request_id": req.id})
    env.at(MON + timedelta(minutes=9))
    r2 = env.do(env.wf.decide, "shift", req.id, approve=True, expected_version=r.version)
    assert r2.state == "voided"
    c = env.case(cid)
    assert c.voided_at == env.now and c.pending_request_id is None and c.due_at is None
    (req,) = env.requests(cid)
    assert (req.decided_by_id, req.decided_at, req.approved) == (env.uid("shift"), env.now, True)
    env.check_event(r2, "approve_void", "to_dispatch", "voided", "shift", data={"request_id": req.id, "kind": "void"})
    # deciding twice
    env.refused(InvalidState, lambda: env.wf.decide("shift", req.id, approve=True), cid)


def test_request_void_rejected_needs_a_note(env):
    cid = env.make("to_verify", "GARBAGE")
    r = env.wf.request_void("intake", cid, reason="恶意举报")
    e = env.refused(InvalidInput, lambda: env.wf.decide("shift", r.request_id, approve=False), cid)
    assert e.field == "note"
    r2 = env.do(env.wf.decide, "shift", r.request_id, approve=False, note="情况属实")
    assert r2.state == "to_verify"
    c = env.case(cid)
    assert c.pending_request_id is None and c.voided_at is None
    (req,) = env.requests(cid)
    assert (req.approved, req.decision_note, req.decided_by_id) == (False, "情况属实", env.uid("shift"))
    env.check_event(
        r2, "reject_void", "to_verify", "to_verify", "shift", data={"request_id": req.id, "kind": "void"},
        note="情况属实",
    )
    env.refused(InvalidState, lambda: env.wf.decide("shift", req.id, approve=False, note="再次"), cid)
    # the case goes on normally afterwards
    assert env.wf.verify("sup1", cid, confirmed=True).state == "to_file"


# =========================================================================== dispatch and command level


def test_dispatch_of_a_district_level_case(env):
    cid = env.make("to_dispatch", "MANHOLE")
    env.refused(InvalidInput, lambda: env.wf.dispatch("disp", cid, department_id=999_999), cid)
    # the district may hand a case to a street unit, but only to one of the case's street
    e = env.refused(InvalidInput, lambda: env.wf.dispatch("disp", cid, department_id=env.dept("S2_SAN")), cid)
    assert e.field == "department" and "another street" in e.reason
    other = env.make("to_dispatch", "MANHOLE")
    env.wf.dispatch("disp", other, department_id=env.dept("S1_SAN"))
    assert env.case(other).current_department_id == env.dept("S1_SAN")
    env.at(MON.replace(hour=16))
    r = env.do(env.wf.dispatch, "disp", cid, department_id=env.dept("MUN"), note="请速处理")
    assert r.state == "handling"
    c = env.case(cid)
    assert c.current_department_id == env.dept("MUN") and c.dispatched_at == env.now and c.dispatch_count == 1
    # 2 working hours from 16:00: 90 minutes today, 30 tomorrow
    assert c.stage == "handle" and c.stage_limit_minutes == 120
    assert c.handle_deadline == c.due_at == TUE.replace(hour=9, minute=30)
    assert c.warn_at == TUE.replace(hour=9, minute=6)
    env.check_event(
        r, "dispatch", "to_dispatch", "handling", "disp", department="MUN",
        data={"department_id": env.dept("MUN")}, note="请速处理",
    )


def test_dispatch_of_a_street_level_case_by_its_street(env):
    cid = env.make("to_dispatch", "GARBAGE")
    e = env.refused(InvalidInput, lambda: env.wf.dispatch("st1", cid, department_id=env.dept("S2_SAN")), cid)
    assert e.field == "department"
    r = env.do(env.wf.dispatch, "st1", cid, department_id=env.dept("S1_SAN"))
    c = env.case(cid)
    assert c.current_department_id == env.dept("S1_SAN") and c.dispatch_count == 1
    assert c.stage == "handle" and c.stage_limit_minutes == 7 * 60  # one working day (9-12, 13:30-17:30)
    assert c.due_at == MON.replace(hour=17, minute=30)  # a limit running out at day's end ends there
    env.check_event(
        r, "dispatch", "to_dispatch", "handling", "st1", department="S1_SAN",
        data={"department_id": env.dept("S1_SAN")},
    )


def test_change_level_both_ways(env):
    cid = env.make("to_dispatch", "GARBAGE")
    due = env.case(cid).due_at
    env.refused(InvalidInput, lambda: env.wf.change_level("st1", cid, level="street", reason="x"), cid)
    env.refused(InvalidInput, lambda: env.wf.change_level("st1", cid, level="city", reason="x"), cid)
    env.refused(InvalidInput, lambda: env.wf.change_level("st1", cid, level="district", reason=""), cid)
    env.at(MON + timedelta(minutes=10))
    r = env.do(env.wf.change_level, "st1", cid, level="district", reason="需区级协调")
    assert r.state == "to_dispatch"
    c = env.case(cid)
    assert c.command_level == "district" and c.due_at == due  # the dispatch clock keeps running
    env.check_event(
        r, "change_level", "to_dispatch", "to_dispatch", "st1",
        data={"from_level": "street", "command_level": "district"}, note="需区级协调",
    )
    # now the street cannot dispatch it, the district can
    assert "dispatch" not in env.wf.allowed_actions(env.wf.actor("st1"), cid)
    env.refused(Forbidden, lambda: env.wf.dispatch("st1", cid, department_id=env.dept("S1_SAN")), cid)
    assert {"dispatch", "change_level"} <= set(env.wf.allowed_actions(env.wf.actor("disp"), cid))
    env.at(MON + timedelta(minutes=12))
    r = env.do(env.wf.change_level, "disp", cid, level="street", reason="街道可自行处置")
    env.check_event(
        r, "change_level", "to_dispatch", "to_dispatch", "disp",
        data={"from_level": "district", "command_level": "street"},
    )
    env.refused(Forbidden, lambda: env.wf.dispatch("disp", cid, department_id=env.dept("SAN")), cid)
    assert env.wf.dispatch("st1", cid, department_id=env.dept("S1_SAN")).state == "handling"


# =========================================================================== exception paths


def test_return_approved_then_redispatched(env):
    cid = env.make("handling", "MANHOLE")
    env.refused(InvalidInput, lambda: env.wf.request_return("h_mun", cid, reason=""), cid)
    env.at(MON + timedelta(minutes=30))
    r = env.do(env.wf.request_return, "h_mun", cid, reason="属环卫职责")
    assert r.state == "handling"
    (req,) = env.requests(cid)
    assert req.kind == "return" and env.case(cid).pending_request_id == req.id
    env.check_event(
        r, "request_return", "handling", "handling", "h_mun", department="MUN", data={"request_id": req.id},
    )
    # the street dispatcher of the case's street may not decide a district-level return
    env.refused(Forbidden, lambda: env.wf.decide("st1", req.id, approve=True), cid)
    env.refused(Forbidden, lambda: env.wf.decide("shift", req.id, approve=True), cid)
    env.at(MON + timedelta(minutes=40))
    r = env.do(env.wf.decide, "disp", req.id, approve=True, expected_version=r.version)
    assert r.state == "to_dispatch"
    c = env.case(cid)
    assert c.return_count == 1 and c.current_department_id is None and c.pending_request_id is None
    assert c.stage == "dispatch" and c.dispatch_deadline == c.due_at == env.now + timedelta(minutes=10)
    env.check_event(
        r, "approve_return", "handling", "to_dispatch", "disp", department="MUN",
        data={"request_id": req.id, "kind": "return"},
    )
    env.at(MON + timedelta(minutes=45))
    r = env.do(env.wf.dispatch, "disp", cid, department_id=env.dept("SAN"))
    c = env.case(cid)
    assert c.dispatch_count == 2 and c.current_department_id == env.dept("SAN") and c.dispatched_at == env.now
    env.check_event(r, "dispatch", "to_dispatch", "handling", "disp", department="SAN",
                    data={"department_id": env.dept("SAN")})
    # the old department has lost the case; the new one has it
    env.refused(Forbidden, lambda: env.wf.feedback("h_mun", cid, note="x"), cid)
    assert "feedback" in env.wf.allowed_actions(env.wf.actor("h_san"), cid)


def test_return_rejected_keeps_the_case(env):
    cid = env.make("handling", "GARBAGE")
    r = env.wf.request_return("h_s1", cid, reason="不是我们的")
    env.refused(Forbidden, lambda: env.wf.decide("st2", r.request_id, approve=True), cid)  # other street
    env.refused(Forbidden, lambda: env.wf.decide("disp", r.request_id, approve=True), cid)  # street-level case
    r2 = env.do(env.wf.decide, "st1", r.request_id, approve=False, note="属于你单位")
    assert r2.state == "handling"
    c = env.case(cid)
    assert c.return_count == 0 and c.current_department_id == env.dept("S1_SAN") and c.pending_request_id is None
    env.check_event(r2, "reject_return", "handling", "handling", "st1", department="S1_SAN",
                    data={"request_id": r.request_id, "kind": "return"})


def test_extension_moves_the_deadline_by_working_minutes(env):
    cid = env.make("to_dispatch", "MANHOLE")
    env.at(MON.replace(hour=16))
    env.wf.dispatch("disp", cid, department_id=env.dept("MUN"))
    old = env.case(cid)
    assert old.due_at == TUE.replace(hour=9, minute=30)
    for bad in (0, -1, "many", None, 721):
        env.refused(InvalidInput, lambda bad=bad: env.wf.request_extension("h_mun", cid, hours=bad, reason="x"), cid)
    env.refused(InvalidInput, lambda: env.wf.request_extension("h_mun", cid, hours=3, reason=""), cid)
    env.at(TUE.replace(hour=9, minute=10))
    r = env.do(env.wf.request_extension, "h_mun", cid, hours=3, reason="配件未到")
    (req,) = env.requests(cid)
    assert req.hours == 3
    env.check_event(r, "request_extension", "handling", "handling", "h_mun", department="MUN",
                    data={"request_id": req.id, "hours": 3.0})
    assert env.case(cid).due_at == old.due_at  # nothing moves before the approval
    env.at(TUE.replace(hour=9, minute=15))
    r = env.do(env.wf.decide, "disp", req.id, approve=True)
    assert r.state == "handling"
    c = env.case(cid)
    assert c.extension_minutes == 180 and c.extension_count == 1 and c.pending_request_id is None
    assert c.stage_started_at == old.stage_started_at and c.stage_limit_minutes == 120
    assert c.due_at == c.handle_deadline == env.cal.add_working_minutes(old.due_at, 180)
    assert c.due_at == TUE.replace(hour=14)  # 9:30 + 2.5 h to 12:00, lunch, + 30 min
    assert env.cal.working_minutes_between(old.due_at, c.due_at) == pytest.approx(180)
    assert c.warn_at == env.cal.add_working_minutes(c.stage_started_at, 0.8 * 300)
    env.check_event(r, "approve_extension", "handling", "handling", "disp", department="MUN",
                    data={"request_id": req.id, "kind": "extension", "hours": 3.0})
    # a second extension adds up
    r = env.wf.request_extension("h_mun", cid, hours=0.5, reason="再延")
    env.wf.decide("disp", r.request_id, approve=True)
    c2 = env.case(cid)
    assert c2.extension_minutes == 210 and c2.extension_count == 2
    assert c2.due_at == env.cal.add_working_minutes(c.due_at, 30)


def test_park_and_resume_do_not_count_parked_time(env):
    cid = env.make("to_dispatch", "MANHOLE")
    env.at(MON)
    env.wf.dispatch("disp", cid, department_id=env.dept("MUN"))
    old = env.case(cid)
    assert old.due_at == MON.replace(hour=11)
    env.refused(InvalidInput, lambda: env.wf.request_park("h_mun", cid, reason=""), cid)
    env.at(MON.replace(hour=10))
    r = env.do(env.wf.request_park, "h_mun", cid, reason="需列入预算")
    rid = r.request_id
    env.check_event(r, "request_park", "handling", "handling", "h_mun", department="MUN", data={"request_id": rid})
    # while the request waits the department still cannot feed back or ask again
    env.refused(Forbidden, lambda: env.wf.feedback("h_mun", cid, note="好了"), cid)
    env.refused(Forbidden, lambda: env.wf.request_extension("h_mun", cid, hours=1, reason="x"), cid)
    r = env.do(env.wf.decide, "disp", rid, approve=True)
    assert r.state == "parked"
    c = env.case(cid)
    assert c.parked_at == env.now and c.park_count == 1 and c.pending_request_id is None
    assert c.due_at == old.due_at  # the deadline moves on resume, by the parked time
    env.check_event(r, "approve_park", "handling", "parked", "disp", department="MUN",
                    data={"request_id": rid, "kind": "park"})
    # parked: no handling, and only the command center resumes
    env.refused(InvalidState, lambda: env.wf.feedback("h_mun", cid, note="好了"), cid)
    env.refused(Forbidden, lambda: env.wf.resume("h_mun", cid), cid)
    env.refused(Forbidden, lambda: env.wf.resume("st1", cid), cid)  # district-level case
    env.at(TUE.replace(hour=10))
    r = env.do(env.wf.resume, "disp", cid, note="预算已批")
    assert r.state == "handling"
    c = env.case(cid)
    parked = env.cal.working_minutes_between(MON.replace(hour=10), TUE.replace(hour=10))
    assert parked == 420  # 10-12, 13:30-17:30, 9-10
    assert c.parked_minutes == pytest.approx(parked) and c.parked_at is None
    assert c.due_at == c.handle_deadline == env.cal.add_working_minutes(old.due_at, parked) == TUE.replace(hour=11)
    assert c.stage_started_at == old.stage_started_at and c.park_count == 1
    env.check_event(r, "resume", "parked", "handling", "disp", department="MUN",
                    data={"parked_minutes": 420.0}, note="预算已批")


def test_feedback_with_photos(env):
    cid = env.make("handling", "MANHOLE")
    wf = env.wf
    big = b"\xff\xd8\xff" + b"\x00" * MAX_PHOTO_BYTES
    bad_sets = [
        [Photo("ok.jpg", JPEG), Photo("notes.txt", b"just text")],  # not a picture
        [Photo("fake.jpg", b"<html>not a jpeg</html>")],
        [Photo("huge.jpg", big)],  # > 10 MB
        [Photo("empty.png", b"")],
        [Photo(f"p{i}.jpg", JPEG) for i in range(MAX_PHOTOS + 1)],
    ]
    for photos in bad_sets:
        e = env.refused(InvalidInput, lambda photos=photos: wf.feedback("h_mun", cid, note="已修复", photos=photos), cid)
        assert e.field == "photos"
    env.refused(InvalidInput, lambda: wf.feedback("h_mun", cid, note="", photos=[Photo("a.jpg", JPEG)]), cid)
    env.at(MON.replace(hour=10, minute=30))
    r = env.do(wf.feedback, "h_mun", cid, note="已更换井盖",
               photos=[Photo("before.jpg", JPEG), Photo("after.jpg", PNG)])
    assert r.state == "to_check"
    c = env.case(cid)
    assert c.handled_at == env.now and c.current_department_id == env.dept("MUN")
    assert c.stage == "check" and c.check_deadline == c.due_at == env.now + timedelta(minutes=60)
    ev = env.check_event(r, "feedback", "handling", "to_check", "h_mun", department="MUN", data=None, note="已更换井盖")
    atts = env.attachments(cid)
    assert [(a.filename, a.mime, a.size, a.event_id) for a in atts] == [
        ("before.jpg", "image/jpeg", len(JPEG), ev.id),
        ("after.jpg", "image/png", len(PNG), ev.id),  # the content decides the type, not the name
    ]
    assert atts[0].sha256 == hashlib.sha256(JPEG).hexdigest() and atts[1].content == PNG
    assert all(a.created_at == env.now and a.created_by_id == env.uid("h_mun") for a in atts)


def test_check_fixed_and_close(env):
    cid = env.make("to_check", "GARBAGE")
    env.refused(InvalidInput, lambda: env.wf.assign_check("intake", cid, env.uid("sup2")), cid)
    env.at(MON.replace(hour=14))
    r = env.do(env.wf.assign_check, "shift", cid, env.uid("sup1"))
    assert r.state == "to_check" and env.case(cid).assignee_id == env.uid("sup1")
    env.check_event(r, "assign_check", "to_check", "to_check", "shift", department="S1_SAN",
                    data={"assignee_id": env.uid("sup1")})
    env.at(MON.replace(hour=14, minute=20))
    r = env.do(env.wf.recheck, "sup1", cid, fixed=True, photos=[Photo("ok.jpg", JPEG)])
    assert r.state == "to_close"
    c = env.case(cid)
    assert c.checked_at == env.now and c.assignee_id is None and c.rework_count == 0
    assert c.stage == "close" and c.close_deadline == c.due_at == env.now + timedelta(minutes=30)
    ev = env.check_event(r, "recheck", "to_check", "to_close", "sup1", department="S1_SAN", data={"fixed": True})
    assert [a.event_id for a in env.attachments(cid)] == [ev.id]
    env.at(MON.replace(hour=14, minute=30))
    r = env.do(env.wf.close, "shift", cid, note="结案")
    assert r.state == "closed"
    c = env.case(cid)
    assert c.closed_at == env.now and c.stage is None and c.due_at is None and not c.urged
    assert c.close_deadline == MON.replace(hour=14, minute=50)  # stage deadlines stay as history
    env.check_event(r, "close", "to_close", "closed", "shift", department="S1_SAN", data=None, note="结案")
    assert env.wf.allowed_actions(env.wf.actor("shift"), cid) == []


def test_recheck_not_fixed_goes_back_to_dispatch(env):
    cid = env.make("to_check", "MANHOLE")
    e = env.refused(InvalidInput, lambda: env.wf.recheck("sup1", cid, fixed=False), cid)
    assert e.field == "note"
    env.at(MON.replace(hour=15))
    r = env.do(env.wf.recheck, "sup1", cid, fixed=False, note="井盖仍缺")
    assert r.state == "to_dispatch"
    c = env.case(cid)
    assert c.rework_count == 1 and c.current_department_id is None and c.checked_at == env.now
    assert c.stage == "dispatch" and c.dispatch_deadline == c.due_at == env.now + timedelta(minutes=10)
    env.check_event(r, "recheck", "to_check", "to_dispatch", "sup1", department="MUN", data={"fixed": False})
    r = env.wf.dispatch("disp", cid, department_id=env.dept("MUN"))
    assert env.case(cid).dispatch_count == 2


def test_rework_by_shift_leader(env):
    cid = env.make("to_close", "MANHOLE")
    env.refused(InvalidInput, lambda: env.wf.rework("shift", cid, reason=""), cid)
    env.at(MON.replace(hour=16))
    r = env.do(env.wf.rework, "shift", cid, reason="照片不清晰")
    assert r.state == "to_dispatch"
    c = env.case(cid)
    assert c.rework_count == 1 and c.current_department_id is None and c.closed_at is None
    assert c.stage == "dispatch" and c.due_at == env.now + timedelta(minutes=10)
    env.check_event(r, "rework", "to_close", "to_dispatch", "shift", department="MUN", data=None, note="照片不清晰")


def test_urge_and_reply(env):
    cid = env.make("handling", "MANHOLE")
    env.refused(Forbidden, lambda: env.wf.reply_urge("h_mun", cid, reply="x"), cid)  # nothing to reply to
    env.refused(InvalidInput, lambda: env.wf.urge("leader", cid, opinion=""), cid)
    env.at(MON.replace(hour=10))
    r = env.do(env.wf.urge, "leader", cid, opinion="今日必须处理")
    assert r.state == "handling"
    c = env.case(cid)
    assert c.urged and c.urge_count == 1
    env.check_event(r, "urge", "handling", "handling", "leader", department="MUN",
                    data={"opinion": "今日必须处理"}, note="今日必须处理")
    env.refused(Forbidden, lambda: env.wf.reply_urge("h_san", cid, reply="x"), cid)  # not their case
    env.refused(InvalidInput, lambda: env.wf.reply_urge("h_mun", cid, reply=" "), cid)
    env.at(MON.replace(hour=10, minute=20))
    r = env.do(env.wf.reply_urge, "h_mun", cid, reply="已安排人员")
    c = env.case(cid)
    assert not c.urged and c.urge_count == 1
    env.check_event(r, "reply_urge", "handling", "handling", "h_mun", department="MUN",
                    data={"reply": "已安排人员"})
    env.wf.urge("disp", cid, opinion="再催")
    assert env.case(cid).urge_count == 2 and env.case(cid).urged


# =========================================================================== forbidden paths

# A case state in which each action is legal (for the right person).
ACTION_SCENARIO = {
    "assign_verify": "to_verify", "verify": "to_verify", "file": "to_file", "void": "to_file",
    "request_void": "to_file", "dispatch": "to_dispatch", "change_level": "to_dispatch",
    "request_return": "handling", "request_extension": "handling", "request_park": "handling",
    "feedback": "handling", "resume": "parked", "assign_check": "to_check", "recheck": "to_check",
    "close": "to_close", "rework": "to_close", "urge": "handling", "reply_urge": "handling_urged",
    "review_self": "self_review", "decide": "pending_return",
}
RIGHT_USER = {
    "assign_verify": "intake", "verify": "sup1", "file": "shift", "void": "shift", "request_void": "intake",
    "dispatch": "disp", "change_level": "disp", "request_return": "h_mun", "request_extension": "h_mun",
    "request_park": "h_mun", "feedback": "h_mun", "resume": "disp", "assign_check": "intake",
    "recheck": "sup1", "close": "shift", "rework": "shift", "urge": "leader", "reply_urge": "h_mun",
    "review_self": "shift", "decide": "disp",
}


def test_every_rule_is_covered_by_these_tests():
    assert set(ACTION_SCENARIO) == set(RULES) == set(RIGHT_USER)


def test_wrong_position_is_forbidden_for_every_action(env):
    for action in RULES:
        cid = env.make(ACTION_SCENARIO[action], "MANHOLE")
        allowed = APPROVERS[RequestKind.RETURN] if action == "decide" else RULES[action].positions
        wrong = [p for p in Position if p not in allowed]
        assert wrong, action
        for pos in wrong:
            login = BY_POSITION[pos]
            e = env.refused(Forbidden, lambda a=action, u=login, c=cid: invoke(env, a, u, c), cid)
            assert "position" in e.reason, (action, login, e)
        # the case was fine for the right person
        assert invoke(env, action, RIGHT_USER[action], cid).case_id == cid


def test_outside_scope_is_forbidden(env):
    wf, d = env.wf, env.dept
    street1_verify = env.make("to_verify", "GARBAGE")
    street1_file = env.make("to_file", "GARBAGE")
    street1_disp = env.make("to_dispatch", "GARBAGE")
    district_disp = env.make("to_dispatch", "MANHOLE")
    street1_handling = env.make("handling", "GARBAGE")  # with S1_SAN
    district_handling = env.make("handling", "MANHOLE")  # with MUN
    cases = [
        (street1_verify, lambda: wf.verify("sup2", street1_verify, confirmed=True)),
        (street1_verify, lambda: wf.assign_verify("shift_s2", street1_verify, env.uid("sup1"))),
        (street1_disp, lambda: wf.dispatch("st2", street1_disp, department_id=d("S2_SAN"))),
        (street1_disp, lambda: wf.change_level("st2", street1_disp, level="district", reason="x")),
        (district_disp, lambda: wf.dispatch("st1", district_disp, department_id=d("S1_SAN"))),
        (street1_disp, lambda: wf.dispatch("disp", street1_disp, department_id=d("SAN"))),
        (street1_disp, lambda: wf.request_void("st2", street1_disp, reason="x")),
        (street1_disp, lambda: wf.void("shift_s2", street1_disp, reason="x")),
        (street1_handling, lambda: wf.feedback("h_mun", street1_handling, note="已处理")),
        (street1_handling, lambda: wf.feedback("h_s2", street1_handling, note="已处理")),
        (district_handling, lambda: wf.request_park("h_san", district_handling, reason="x")),
        (street1_file, lambda: wf.file("shift_s2", street1_file)),
        (street1_file, lambda: wf.urge("shift_s2", street1_file, opinion="x")),
    ]
    for cid, fn in cases:
        e = env.refused(Forbidden, fn, cid)
        assert "position" not in e.reason


def test_void_request_of_another_street_is_not_decided_by_its_shift_leader(env):
    cid = env.make("to_dispatch", "GARBAGE")
    r = env.wf.request_void("st1", cid, reason="重复")
    e = env.refused(Forbidden, lambda: env.wf.decide("shift_s2", r.request_id, approve=True), cid)
    assert "outside" in e.reason
    e = env.refused(Forbidden, lambda: env.wf.decide("disp", r.request_id, approve=True), cid)  # dispatcher
    e = env.refused(Forbidden, lambda: env.wf.decide("st1", r.request_id, approve=True), cid)


def test_wrong_state_is_invalid_state(env):
    wf, d = env.wf, env.dept
    handling = env.make("handling", "MANHOLE")
    closed = env.make("closed", "MANHOLE")
    voided = env.make("voided", "MANHOLE")
    to_file = env.make("to_file", "MANHOLE")
    number = env.case(handling).number
    e = env.refused(InvalidState, lambda: wf.close("shift", handling), handling)
    assert (e.action, e.state, e.number) == ("close", "handling", number)
    e = env.refused(InvalidState, lambda: wf.dispatch("disp", closed, department_id=d("MUN")), closed)
    assert e.state == "closed"
    for cid, fn in [
        (handling, lambda: wf.dispatch("disp", handling, department_id=d("SAN"))),
        (handling, lambda: wf.resume("disp", handling)),
        (handling, lambda: wf.verify("sup1", handling, confirmed=True)),
        (handling, lambda: wf.void("shift", handling, reason="x")),
        (handling, lambda: wf.request_void("disp", handling, reason="x")),
        (to_file, lambda: wf.verify("sup1", to_file, confirmed=True)),
        (to_file, lambda: wf.review_self("shift", to_file, approve=True)),
        (to_file, lambda: wf.feedback("h_mun", to_file, note="x")),
        (closed, lambda: wf.urge("leader", closed, opinion="x")),
        (closed, lambda: wf.rework("shift", closed, reason="x")),
        (voided, lambda: wf.file("shift", voided)),
        (voided, lambda: wf.void("shift", voided, reason="x")),
    ]:
        env.refused(InvalidState, fn, cid)


def test_disabled_and_unknown(env):
    cid = env.make("to_dispatch", "MANHOLE")
    e = env.refused(Forbidden, lambda: env.wf.dispatch("off", cid, department_id=env.dept("MUN")), cid)
    assert "disabled" in e.reason
    env.refused(Forbidden, lambda: env.wf.urge("off", cid, opinion="x"), cid)
    env.refused(Forbidden, lambda: env.wf.actor("off"))
    env.refused(NotFound, lambda: env.wf.actor("nobody"))
    env.refused(NotFound, lambda: env.wf.dispatch("nobody", cid, department_id=env.dept("MUN")), cid)
    env.refused(NotFound, lambda: env.wf.dispatch("disp", 999_999, department_id=env.dept("MUN")))
    env.refused(NotFound, lambda: env.wf.decide("disp", 999_999, approve=True))
    env.refused(NotFound, lambda: env.wf.allowed_actions(env.wf.actor("disp"), 999_999))
    # the disabled dispatcher may have been able to, by position and scope
    env.wf.dispatch("disp", cid, department_id=env.dept("MUN"))


def test_pending_request_blocks_state_changes_but_not_urge(env):
    cid = env.make("pending_void", "GARBAGE")  # void requested by intake, waiting
    wf, d = env.wf, env.dept
    for fn in [
        lambda: wf.dispatch("st1", cid, department_id=d("S1_SAN")),
        lambda: wf.change_level("st1", cid, level="district", reason="x"),
        lambda: wf.void("shift", cid, reason="x"),
        lambda: wf.request_void("st1", cid, reason="x"),
    ]:
        e = env.refused(Forbidden, fn, cid)
        assert "waits" in e.reason
    assert set(wf.allowed_actions(wf.actor("st1"), cid)) == set()
    assert set(wf.allowed_actions(wf.actor("shift"), cid)) == {"urge", "decide"}
    r = env.do(wf.urge, "leader", cid, opinion="尽快处理")
    assert env.case(cid).urged
    env.refused(Forbidden, lambda: wf.decide("disp", env.case(cid).pending_request_id, approve=True), cid)
    rid = env.case(cid).pending_request_id
    r = env.do(wf.decide, "shift", rid, approve=False, note="不予作废", expected_version=r.version)
    assert r.state == "to_dispatch"
    env.refused(InvalidState, lambda: wf.decide("shift", rid, approve=True), cid)
    assert wf.dispatch("st1", cid, department_id=d("S1_SAN")).state == "handling"


def test_stale_version_is_a_conflict_naming_who_and_when(env):
    cid = env.make("to_verify", "GARBAGE")
    c = env.case(cid)
    v = c.version
    env.at(MON.replace(hour=9, minute=5, second=7))
    env.wf.assign_verify("intake", cid, env.uid("sup1"), expected_version=v)
    env.at(MON.replace(hour=9, minute=30))
    e = env.refused(Conflict, lambda: env.wf.verify("sup1", cid, confirmed=True, expected_version=v), cid)
    assert (e.number, e.by, e.at, e.state) == (c.number, "intake-name", MON.replace(hour=9, minute=5, second=7),
                                                "to_verify")
    assert "intake-name" in str(e) and "2026-03-02 09:05:07" in str(e) and c.number in str(e)
    # stale is stale whatever the action, even one the user may not take
    env.refused(Conflict, lambda: env.wf.close("shift", cid, expected_version=v), cid)
    assert env.wf.verify("sup1", cid, confirmed=True, expected_version=v + 1).state == "to_file"


# =========================================================================== allowed_actions

SCENARIOS = [
    ("to_verify", "GARBAGE"), ("to_file", "GARBAGE"), ("self_review", "GARBAGE"), ("to_dispatch", "GARBAGE"),
    ("to_dispatch", "MANHOLE"), ("pending_void", "GARBAGE"), ("handling", "GARBAGE"),
    ("handling_urged", "MANHOLE"), ("pending_return", "MANHOLE"), ("pending_return", "GARBAGE"),
    ("parked", "MANHOLE"), ("to_check", "MANHOLE"), ("to_close", "GARBAGE"), ("closed", "MANHOLE"),
    ("voided", "GARBAGE"),
]


@pytest.mark.parametrize("state,kind", SCENARIOS, ids=[f"{s}-{k}" for s, k in SCENARIOS])
def test_allowed_actions_agree_with_the_actions(env, state, kind):
    wf = env.wf
    base = env.make(state, kind)
    listed = {login: wf.allowed_actions(wf.actor(login), base) for login in ACTIVE_USERS}
    for login, actions in listed.items():
        assert set(actions) <= set(RULES) and len(actions) == len(set(actions))
    if state in ("closed", "voided"):
        assert all(a == [] for a in listed.values())
    # every listed action works, on a fresh case in the same state
    for login, actions in listed.items():
        for action in actions:
            cid = env.make(state, kind)
            assert wf.allowed_actions(wf.actor(login), cid) == actions
            r = invoke(env, action, login, cid, version=env.version(cid))
            assert r.case_id == cid and r.version == env.version(cid)
    # a sample of unlisted actions raises and changes nothing
    has_request = bool(env.requests(base))
    unlisted = [
        (login, a) for login in ACTIVE_USERS for a in RULES
        if a not in listed[login] and (a != "decide" or has_request)
    ]
    for login, action in random.Random(f"{state}-{kind}").sample(unlisted, min(30, len(unlisted))):
        before = env.snapshot(base)
        with pytest.raises((Forbidden, InvalidState)):
            invoke(env, action, login, base)
        assert env.snapshot(base) == before, (login, action)


def test_allowed_actions_examples(env):
    """Hand-written expectations, so the table and the actions cannot be wrong together."""
    wf = env.wf

    def allowed(login, cid):
        return set(wf.allowed_actions(wf.actor(login), cid))

    v = env.make("to_verify", "GARBAGE")
    assert allowed("intake", v) == {"assign_verify", "request_void"}
    assert allowed("sup1", v) == {"verify"}
    assert allowed("sup2", v) == set()
    assert allowed("shift", v) == {"assign_verify", "void", "urge"}
    assert allowed("shift_s2", v) == set()
    assert allowed("disp", v) == {"request_void", "urge"}
    assert allowed("st1", v) == {"request_void"}
    assert allowed("st2", v) == allowed("h_s1", v) == allowed("admin", v) == set()
    assert allowed("leader", v) == {"urge"}

    g = env.make("to_dispatch", "GARBAGE")
    assert allowed("st1", g) == {"dispatch", "change_level", "request_void"}
    assert allowed("st2", g) == set()
    assert allowed("disp", g) == {"request_void", "urge"}
    assert allowed("shift", g) == {"void", "urge"}

    h = env.make("handling", "MANHOLE")
    assert allowed("h_mun", h) == {"request_return", "request_extension", "request_park", "feedback"}
    assert allowed("h_san", h) == allowed("st1", h) == allowed("sup1", h) == set()
    assert allowed("disp", h) == allowed("leader", h) == allowed("shift", h) == {"urge"}

    p = env.make("pending_return", "MANHOLE")
    assert allowed("disp", p) == {"urge", "decide"}
    assert allowed("h_mun", p) == allowed("st1", p) == set()
    assert allowed("shift", p) == {"urge"}

    u = env.make("handling_urged", "GARBAGE")
    assert allowed("h_s1", u) == {"request_return", "request_extension", "request_park", "feedback", "reply_urge"}

    k = env.make("parked", "MANHOLE")
    assert allowed("disp", k) == {"resume", "urge"}
    assert allowed("h_mun", k) == set()

    c = env.make("to_check", "GARBAGE")
    assert allowed("sup1", c) == {"recheck"}
    assert allowed("sup2", c) == set()
    assert allowed("intake", c) == {"assign_check"}

    z = env.make("to_close", "GARBAGE")
    assert allowed("shift", z) == {"close", "rework", "urge"}
    s = env.make("self_review", "GARBAGE")
    assert allowed("shift", s) == {"review_self", "urge"}


# =========================================================================== the traffic light


def _light(env, cid, when):
    return timelimits.light(env.cal, env.case(cid), when)


def test_light_green_yellow_red_on_a_manhole_case(env):
    cid = env.make("to_dispatch", "MANHOLE")
    env.at(MON)
    env.wf.dispatch("disp", cid, department_id=env.dept("MUN"))
    c = env.case(cid)
    assert c.warn_at == MON.replace(hour=10, minute=36) and c.due_at == MON.replace(hour=11)
    assert _light(env, cid, MON) == GREEN
    assert _light(env, cid, MON.replace(hour=10, minute=36)) == GREEN  # exactly 80 %
    assert _light(env, cid, MON.replace(hour=10, minute=37)) == YELLOW
    assert _light(env, cid, MON.replace(hour=11)) == YELLOW  # exactly due
    assert _light(env, cid, MON.replace(hour=11, minute=1)) == RED
    assert _light(env, cid, MON.replace(hour=12, minute=45)) == RED
    assert timelimits.remaining_minutes(env.cal, c, MON.replace(hour=10)) == pytest.approx(60)
    # the stored warn_at / due_at agree with the computed light
    assert _light(env, cid, c.warn_at + timedelta(seconds=1)) == YELLOW
    assert _light(env, cid, c.due_at + timedelta(seconds=1)) == RED
    # a closed case has no light
    assert _light(env, env.make("closed", "MANHOLE"), TUE) is None


def test_light_pauses_while_parked(env):
    cid = env.make("to_dispatch", "MANHOLE")
    env.at(MON)
    env.wf.dispatch("disp", cid, department_id=env.dept("MUN"))
    env.at(MON.replace(hour=10))
    r = env.wf.request_park("h_mun", cid, reason="需要预算")
    env.wf.decide("disp", r.request_id, approve=True)
    # parked after 60 of 120 minutes: green however long it stays parked
    for when in (MON.replace(hour=11, minute=30), MON.replace(hour=16), TUE.replace(hour=9, minute=59)):
        assert _light(env, cid, when) == GREEN
    env.at(TUE.replace(hour=10))
    env.wf.resume("disp", cid)
    assert env.case(cid).due_at == TUE.replace(hour=11)
    assert _light(env, cid, TUE.replace(hour=10, minute=36)) == GREEN
    assert _light(env, cid, TUE.replace(hour=10, minute=37)) == YELLOW
    assert _light(env, cid, TUE.replace(hour=11)) == YELLOW
    assert _light(env, cid, TUE.replace(hour=11, minute=1)) == RED


def test_light_is_extended_by_an_extension(env):
    cid = env.make("to_dispatch", "MANHOLE")
    env.at(MON)
    env.wf.dispatch("disp", cid, department_id=env.dept("MUN"))
    env.at(MON.replace(hour=10, minute=50))
    r = env.wf.request_extension("h_mun", cid, hours=1, reason="配件未到")
    assert _light(env, cid, MON.replace(hour=11, minute=30)) == RED  # a request alone extends nothing
    env.at(MON.replace(hour=10, minute=55))
    env.wf.decide("disp", r.request_id, approve=True)
    c = env.case(cid)
    assert c.due_at == MON.replace(hour=12)  # 3 working hours: 9-12
    assert _light(env, cid, MON.replace(hour=11, minute=20)) == GREEN  # 140 of 180
    assert _light(env, cid, MON.replace(hour=11, minute=30)) == YELLOW  # 150 > 144
    assert _light(env, cid, MON.replace(hour=13, minute=0)) == YELLOW  # lunch does not count
    assert _light(env, cid, MON.replace(hour=13, minute=31)) == RED


# =========================================================================== append-only history


def test_case_event_is_append_only_in_the_database(env):
    cid = env.make("handling", "MANHOLE")
    before = [(e.id, e.action, e.note) for e in env.events(cid)]
    assert len(before) == 3
    with pytest.raises(DBAPIError) as ei, env.engine.begin() as conn:
        conn.execute(update(CaseEvent).where(CaseEvent.case_id == cid).values(note="改写历史"))
    assert "append-only" in str(ei.value)
    with pytest.raises(DBAPIError) as ei, env.engine.begin() as conn:
        conn.execute(delete(CaseEvent).where(CaseEvent.case_id == cid))
    assert "append-only" in str(ei.value)
    assert [(e.id, e.action, e.note) for e in env.events(cid)] == before
    # appending still works
    env.wf.urge("leader", cid, opinion="x")
    assert len(env.events(cid)) == 4
