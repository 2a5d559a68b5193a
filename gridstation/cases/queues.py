"""Case queues (待办): which cases each position works on, filtered, sorted by the database.

A queue is a state selection plus the actor's scope. ``queue_ids`` returns the ordered ids
(cheap: one indexed query), ``fetch_rows`` turns a page of ids into display rows, so a view
of thousands of cases only materialises what it shows. Time left and the traffic light are
computed from the stored stage clock with the working calendar, never per row in SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from gridstation.store.model import (
    OPEN_STATES,
    Case,
    CaseRequest,
    CaseState,
    Category,
    CommandLevel,
    Department,
    Position,
    Region,
    UnitGrid,
)
from gridstation.worktime.timelimits import light, remaining_minutes
from gridstation.worktime.workcal import GREEN, RED, YELLOW, WorkCalendar
from gridstation.cases.model import WorkflowApprover
from gridstation.cases.workflow import Actor

S = CaseState
OPEN = [s.value for s in OPEN_STATES]


@dataclass(frozen=True)
class QueueDef:
    key: str
    title_en: str
    title_zh: str
    states: tuple[str, ...] = ()


QUEUES: dict[str, QueueDef] = {
    q.key: q
    for q in [
        QueueDef("my_tasks", "My tasks", "我的任务", (S.TO_VERIFY.value, S.TO_CHECK.value)),
        QueueDef("to_verify", "To verify", "待核实", (S.TO_VERIFY.value,)),
        QueueDef("to_file", "To file", "待立案", (S.TO_FILE.value,)),
        QueueDef("self_review", "Self-handled", "自处理待审", (S.SELF_REVIEW.value,)),
        QueueDef("to_dispatch", "To dispatch", "待派遣", (S.TO_DISPATCH.value,)),
        QueueDef("handling", "In handling", "处置中", (S.HANDLING.value,)),
        QueueDef("awaiting_feedback", "Awaiting feedback", "待反馈", (S.HANDLING.value,)),
        QueueDef("parked", "Parked", "挂账", (S.PARKED.value,)),
        QueueDef("to_check", "To re-check", "待核查", (S.TO_CHECK.value,)),
        QueueDef("to_close", "To close", "待结案", (S.TO_CLOSE.value,)),
        QueueDef("approvals", "Approvals", "待审批", tuple(OPEN)),
        QueueDef("urged", "Urged", "督办", tuple(OPEN)),
        QueueDef("overdue", "Overdue", "超时", tuple(OPEN)),
        QueueDef("all_open", "All open", "全部在办", tuple(OPEN)),
    ]
}

QUEUES_OF_POSITION: dict[Position, list[str]] = {
    Position.SUPERVISOR: ["my_tasks", "to_verify", "to_check"],
    Position.INTAKE_OPERATOR: ["to_verify", "to_check", "all_open", "overdue"],
    Position.SHIFT_LEADER: ["to_file", "to_close", "self_review", "approvals", "overdue", "urged", "all_open"],
    Position.DISPATCHER: ["to_dispatch", "approvals", "handling", "parked", "overdue", "urged"],
    Position.STREET_DISPATCHER: ["to_dispatch", "approvals", "handling", "parked", "overdue", "urged"],
    Position.DEPT_HANDLER: ["awaiting_feedback", "urged", "overdue", "parked"],
    Position.LEADER: ["overdue", "urged", "all_open", "approvals"],
    Position.ADMIN: ["all_open", "overdue"],
}


@dataclass(frozen=True)
class QueueFilter:
    """What a user narrowed a queue to; saved filters are this as a dict."""

    category_path: str | None = None  # a catalogue subtree
    region_path: str | None = None  # a region subtree
    grid_id: int | None = None
    department_id: int | None = None
    light: str | None = None  # green / yellow / red
    source: str | None = None
    text: str | None = None  # number, address or description

    def as_dict(self) -> dict:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}

    @classmethod
    def from_dict(cls, d: dict | None) -> QueueFilter:
        d = d or {}
        return cls(**{k: d.get(k) for k in cls.__dataclass_fields__ if d.get(k) not in (None, "")})


@dataclass(frozen=True)
class QueueRow:
    id: int
    number: str
    state: str
    source: str
    category: str
    grid_code: str
    address: str
    description: str
    reported_at: datetime
    department: str
    due_at: datetime | None
    remaining_minutes: float | None  # negative when overdue
    light: str | None
    urged: bool
    pending: str | None  # kind of the waiting request
    version: int
    lon: float | None
    lat: float | None
    command_level: str | None


SORT_COLUMNS = {
    "number": Case.number,
    "reported_at": Case.reported_at,
    "due_at": Case.due_at,
    "state": Case.state,
    "category": Category.name,
    "grid": UnitGrid.code,
    "address": Case.address,
    "department": Department.name,
    "source": Case.source,
}


def queues_for(position: Position | str, role: str = "") -> list[QueueDef]:
    """The queues of a position; a profile's own position gets those of its built-in role."""
    keys = None
    for key in (role, str(getattr(position, "value", position))):
        try:
            keys = QUEUES_OF_POSITION.get(Position(key))
        except ValueError:
            continue
        if keys:
            break
    return [QUEUES[k] for k in keys or ["all_open"]]


def _scope(q: Select, actor: Actor, key: str) -> Select:
    """The actor's part of the city: region subtree, command level, department."""
    if actor.region_path:
        q = q.where(Region.path.startswith(actor.region_path))
    role = actor.role or actor.position.value
    if role in (Position.DISPATCHER.value, Position.STREET_DISPATCHER.value) and key not in ("all_open",):
        level = actor.command_level or (
            CommandLevel.STREET.value if role == Position.STREET_DISPATCHER.value else CommandLevel.DISTRICT.value
        )
        q = q.where(func.coalesce(Case.command_level, CommandLevel.DISTRICT.value) == level)
    if role == Position.DEPT_HANDLER.value:
        q = q.where(Case.current_department_id == actor.department_id)
    return q


def _base(key: str, actor: Actor, now: datetime) -> Select:
    qd = QUEUES[key]
    q = (
        select(Case.id)
        .join(UnitGrid, UnitGrid.id == Case.grid_id, isouter=True)
        .join(Region, Region.id == UnitGrid.region_id, isouter=True)
        .join(Category, Category.id == Case.category_id, isouter=True)
        .join(Department, Department.id == Case.current_department_id, isouter=True)
        .where(Case.state.in_(qd.states))
    )
    q = _scope(q, actor, key)
    if key == "my_tasks":
        q = q.where(Case.assignee_id == actor.id)
    elif key == "approvals":
        q = q.join(CaseRequest, CaseRequest.id == Case.pending_request_id)
        if (actor.role or actor.position.value) != Position.LEADER.value:  # a leader sees every request
            # the request kinds this position approves, as the rules table says
            kinds = select(WorkflowApprover.request_kind).where(WorkflowApprover.position == actor.position.value)
            q = q.where(CaseRequest.kind.in_(kinds))
    elif key == "urged":
        q = q.where(Case.urged.is_(True))
    elif key == "overdue":
        q = q.where(Case.state != S.PARKED.value, Case.due_at < now)
    return q


def _filtered(q: Select, f: QueueFilter, now: datetime) -> Select:
    if f.category_path:
        q = q.where(Category.path.startswith(f.category_path))
    if f.region_path:
        q = q.where(Region.path.startswith(f.region_path))
    if f.grid_id:
        q = q.where(Case.grid_id == f.grid_id)
    if f.department_id:
        q = q.where(Case.current_department_id == f.department_id)
    if f.source:
        q = q.where(Case.source == f.source)
    if f.light == RED:
        q = q.where(Case.state != S.PARKED.value, Case.due_at < now)
    elif f.light == YELLOW:
        q = q.where(Case.state != S.PARKED.value, Case.warn_at < now, Case.due_at >= now)
    elif f.light == GREEN:
        q = q.where(or_(Case.state == S.PARKED.value, Case.warn_at.is_(None), Case.warn_at >= now))
    if f.text:
        like = f"%{f.text.strip()}%"
        q = q.where(or_(Case.number.like(like), Case.address.like(like), Case.description.like(like)))
    return q


def queue_ids(
    session: Session,
    actor: Actor,
    key: str,
    flt: QueueFilter | None = None,
    *,
    now: datetime,
    sort: str = "due_at",
    descending: bool = False,
    limit: int | None = None,
) -> list[int]:
    """The ordered ids of a queue; the database sorts (ties by id, so the order is stable)."""
    q = _filtered(_base(key, actor, now), flt or QueueFilter(), now)
    col = SORT_COLUMNS.get(sort, Case.due_at)
    order = col.desc() if descending else col.asc()
    q = q.order_by(order.nulls_last(), Case.id)
    if limit:
        q = q.limit(limit)
    return list(session.scalars(q))


def queue_counts(session: Session, actor: Actor, *, now: datetime) -> dict[str, int]:
    out = {}
    for qd in queues_for(actor.position, actor.role):
        q = _base(qd.key, actor, now).with_only_columns(func.count(Case.id))
        out[qd.key] = session.scalar(q) or 0
    return out


def fetch_rows(session: Session, ids: list[int], *, now: datetime, calendar: WorkCalendar) -> list[QueueRow]:
    """Display rows for ``ids``, in the same order."""
    if not ids:
        return []
    req = aliased(CaseRequest)
    rows = session.execute(
        select(Case, Category.name, UnitGrid.code, Department.name, req.kind)
        .join(Category, Category.id == Case.category_id, isouter=True)
        .join(UnitGrid, UnitGrid.id == Case.grid_id, isouter=True)
        .join(Department, Department.id == Case.current_department_id, isouter=True)
        .join(req, and_(req.id == Case.pending_request_id), isouter=True)
        .where(Case.id.in_(ids))
    ).all()
    by_id = {}
    for c, cat, grid, dept, pending in rows:
        by_id[c.id] = QueueRow(
            id=c.id,
            number=c.number,
            state=c.state,
            source=c.source,
            category=cat or "",
            grid_code=grid or "",
            address=c.address,
            description=c.description,
            reported_at=c.reported_at,
            department=dept or "",
            due_at=c.due_at,
            remaining_minutes=remaining_minutes(calendar, c, now),
            light=light(calendar, c, now),
            urged=bool(c.urged),
            pending=pending,
            version=c.version,
            lon=c.lon,
            lat=c.lat,
            command_level=c.command_level,
        )
    return [by_id[i] for i in ids if i in by_id]


@dataclass(frozen=True)
class EventRow:
    at: datetime
    action: str
    from_state: str | None
    to_state: str | None
    user: str
    position: str | None
    department: str
    note: str
    data: dict | None
    attachment_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class AttachmentMeta:
    id: int
    event_id: int | None
    filename: str
    mime: str
    size: int


@dataclass(frozen=True)
class CaseDetail:
    """Everything the case pane shows, as plain data (never ORM objects across threads)."""

    id: int
    number: str
    state: str
    version: int
    source: str
    category_id: int | None
    category: str
    category_path: str
    filing_condition: str
    closing_condition: str
    grid_id: int | None
    grid_code: str
    region_names: list[str]
    lon: float | None
    lat: float | None
    address: str
    description: str
    reporter_name: str
    reporter_phone: str
    department_id: int | None
    department: str
    command_level: str | None
    times: dict[str, datetime | None]
    deadlines: dict[str, datetime | None]
    due_at: datetime | None
    remaining_minutes: float | None
    light: str | None
    stage: str | None
    counts: dict[str, int]
    urged: bool
    pending_request: dict | None
    updated_at: datetime
    updated_by: str
    events: list[EventRow]
    attachments: list[AttachmentMeta]
    allowed: list[str]


def case_detail(session: Session, case_id: int, *, actor: Actor | None, wf, now: datetime) -> CaseDetail:
    """The case with its timeline, photos, deadlines and the actions ``actor`` may take now."""
    from gridstation.errors import NotFound
    from gridstation.store.model import Attachment, CaseEvent, User

    c = session.get(Case, case_id)
    if c is None:
        raise NotFound("case", case_id)
    cat = session.get(Category, c.category_id) if c.category_id else None
    cat_names = []
    if cat is not None:
        ids = [int(p) for p in cat.path.strip("/").split("/") if p]
        names = dict(session.execute(select(Category.id, Category.name).where(Category.id.in_(ids))).all())
        cat_names = [names[i] for i in ids if i in names]
    grid = session.get(UnitGrid, c.grid_id) if c.grid_id else None
    region_names: list[str] = []
    if grid is not None:
        path = session.scalar(select(Region.path).where(Region.id == grid.region_id)) or ""
        ids = [int(p) for p in path.strip("/").split("/") if p]
        names = dict(session.execute(select(Region.id, Region.name).where(Region.id.in_(ids))).all())
        region_names = [names[i] for i in ids if i in names]
    users = {}
    depts = dict(session.execute(select(Department.id, Department.name)).all())
    evs = session.scalars(select(CaseEvent).where(CaseEvent.case_id == c.id).order_by(CaseEvent.at, CaseEvent.id)).all()
    uids = {e.user_id for e in evs if e.user_id} | ({c.updated_by_id} if c.updated_by_id else set())
    if uids:
        users = dict(session.execute(select(User.id, User.name).where(User.id.in_(uids))).all())
    atts = session.execute(
        select(Attachment.id, Attachment.event_id, Attachment.filename, Attachment.mime, Attachment.size)
        .where(Attachment.case_id == c.id)
        .order_by(Attachment.id)
    ).all()
    att_by_event: dict[int | None, list[int]] = {}
    for a in atts:
        att_by_event.setdefault(a.event_id, []).append(a.id)
    events = [
        EventRow(e.at, e.action, e.from_state, e.to_state, users.get(e.user_id, ""), e.position,
                 depts.get(e.department_id, ""), e.note, e.data, att_by_event.get(e.id, []))
        for e in evs
    ]
    pending = None
    if c.pending_request_id:
        r = session.get(CaseRequest, c.pending_request_id)
        if r is not None:
            who = session.scalar(select(User.name).where(User.id == r.requested_by_id))
            pending = {"id": r.id, "kind": r.kind, "reason": r.reason, "hours": r.hours,
                       "requested_at": r.requested_at, "requested_by": who or ""}
    allowed = wf._allowed(session, actor, c) if actor is not None else []
    return CaseDetail(
        id=c.id, number=c.number, state=c.state, version=c.version, source=c.source,
        category_id=c.category_id, category=cat.name if cat else "", category_path=" / ".join(cat_names),
        filing_condition=cat.filing_condition if cat else "", closing_condition=cat.closing_condition if cat else "",
        grid_id=c.grid_id, grid_code=grid.code if grid else "", region_names=region_names,
        lon=c.lon, lat=c.lat, address=c.address, description=c.description,
        reporter_name=c.reporter_name, reporter_phone=c.reporter_phone,
        department_id=c.current_department_id, department=depts.get(c.current_department_id, ""),
        command_level=c.command_level,
        times={k: getattr(c, f"{k}_at") for k in ("reported", "verified", "filed", "dispatched", "handled", "checked", "closed", "voided")},
        deadlines={k: getattr(c, f"{k}_deadline") for k in ("file", "dispatch", "handle", "check", "close")},
        due_at=c.due_at, remaining_minutes=remaining_minutes(wf.calendar, c, now), light=light(wf.calendar, c, now),
        stage=c.stage,
        counts={k: getattr(c, f"{k}_count") or 0 for k in ("dispatch", "return", "rework", "extension", "park", "urge")},
        urged=bool(c.urged), pending_request=pending, updated_at=c.updated_at,
        updated_by=users.get(c.updated_by_id, ""), events=events,
        attachments=[AttachmentMeta(a.id, a.event_id, a.filename, a.mime, a.size) for a in atts],
        allowed=allowed,
    )


def attachment_content(session: Session, attachment_id: int) -> bytes:
    from gridstation.store.model import Attachment

    return session.scalar(select(Attachment.content).where(Attachment.id == attachment_id)) or b""
