"""The closed loop (../shared/domain.md §2) as one Qt-free service.

Every action is one transaction: it checks the actor's position, scope and the case's state,
changes the case row, appends a ``case_event`` (and photos), writes a ``change_log`` row, and
commits; or it raises a typed error from ``gridstation.errors`` and writes nothing. A stale
write (someone changed the case after the caller loaded it) raises ``Conflict`` naming who and
when; the case row's ``version`` guards the UPDATE itself, so two workstations racing on the
same case cannot both win.

The rules are data (``RULES``): ``allowed_actions`` reads the same table the actions enforce,
so a client shows exactly the buttons that will work.
"""

from __future__ import annotations

import hashlib
import math
import mimetypes
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shapely.geometry import Point, shape
from sqlalchemy import Engine, and_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from gridstation.analytics import rollup
from gridstation.worktime import center_calendar as calendar_mod
from gridstation.store.db import record_change, writer
from gridstation.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound, Unavailable
from gridstation.store.model import (
    Attachment,
    Case,
    CaseEvent,
    CaseRequest,
    CaseSource,
    CaseState,
    Category,
    CommandLevel,
    Component,
    Counter,
    Department,
    Position,
    Region,
    RequestKind,
    Stage,
    UnitGrid,
    User,
)
from gridstation.worktime.timelimits import apply_clock, rebuild_clock, start_clock
from gridstation.worktime.workcal import TimeUnit, WorkCalendar

S = CaseState
P = Position

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_PHOTOS = 9
DUP_RADIUS_M = 50.0

# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """Who may take an action, from which states, and which scope applies.

    scope: "region" (the case's grid lies in the actor's region subtree), "command" (region,
    plus the case's command level matches the dispatcher's: 一级监督、两级指挥), "department"
    (the case is with the actor's department), or "none".
    """

    positions: frozenset[Position]
    states: frozenset[CaseState]
    scope: str = "region"
    blocked_by_request: bool = True  # one approval at a time; state changes wait for it


def _rule(positions: Iterable[Position], states: Iterable[CaseState], scope="region", blocked=True) -> Rule:
    return Rule(frozenset(positions), frozenset(states), scope, blocked)


PRE_DISPATCH = (S.TO_VERIFY, S.TO_FILE, S.TO_DISPATCH)
ACTIVE = (S.TO_VERIFY, S.TO_FILE, S.TO_DISPATCH, S.HANDLING, S.PARKED, S.TO_CHECK, S.TO_CLOSE, S.SELF_REVIEW)

RULES: dict[str, Rule] = {
    "assign_verify": _rule([P.INTAKE_OPERATOR, P.SHIFT_LEADER], [S.TO_VERIFY], blocked=False),
    "verify": _rule([P.SUPERVISOR], [S.TO_VERIFY]),
    "file": _rule([P.SHIFT_LEADER], [S.TO_FILE]),
    "void": _rule([P.SHIFT_LEADER], PRE_DISPATCH),
    "request_void": _rule([P.INTAKE_OPERATOR, P.DISPATCHER, P.STREET_DISPATCHER], PRE_DISPATCH),
    "dispatch": _rule([P.DISPATCHER, P.STREET_DISPATCHER], [S.TO_DISPATCH], "command"),
    "change_level": _rule([P.DISPATCHER, P.STREET_DISPATCHER], [S.TO_DISPATCH], "command"),
    "request_return": _rule([P.DEPT_HANDLER], [S.HANDLING], "department"),
    "request_extension": _rule([P.DEPT_HANDLER], [S.HANDLING], "department"),
    "request_park": _rule([P.DEPT_HANDLER], [S.HANDLING], "department"),
    "feedback": _rule([P.DEPT_HANDLER], [S.HANDLING], "department"),
    "resume": _rule([P.DISPATCHER, P.STREET_DISPATCHER], [S.PARKED], "command"),
    "assign_check": _rule([P.INTAKE_OPERATOR, P.SHIFT_LEADER], [S.TO_CHECK], blocked=False),
    "recheck": _rule([P.SUPERVISOR], [S.TO_CHECK]),
    "close": _rule([P.SHIFT_LEADER], [S.TO_CLOSE]),
    "rework": _rule([P.SHIFT_LEADER], [S.TO_CLOSE]),
    "urge": _rule([P.LEADER, P.SHIFT_LEADER, P.DISPATCHER], ACTIVE, blocked=False),
    "reply_urge": _rule([P.DEPT_HANDLER], [S.HANDLING, S.PARKED], "department", blocked=False),
    "review_self": _rule([P.SHIFT_LEADER], [S.SELF_REVIEW]),
    # Decisions on a waiting request; which request kinds each position decides is below.
    "decide": _rule([P.DISPATCHER, P.STREET_DISPATCHER, P.SHIFT_LEADER], ACTIVE, "none", blocked=False),
}

# 回退, 延期 and 挂账 are approved by the command center that dispatched the case; 作废 by the
# supervision center's shift leader.
APPROVERS: dict[RequestKind, frozenset[Position]] = {
    RequestKind.RETURN: frozenset([P.DISPATCHER, P.STREET_DISPATCHER]),
    RequestKind.EXTENSION: frozenset([P.DISPATCHER, P.STREET_DISPATCHER]),
    RequestKind.PARK: frozenset([P.DISPATCHER, P.STREET_DISPATCHER]),
    RequestKind.VOID: frozenset([P.SHIFT_LEADER]),
}

REPORT_SOURCES: dict[Position, frozenset[CaseSource]] = {
    P.SUPERVISOR: frozenset([CaseSource.SUPERVISOR]),
    P.INTAKE_OPERATOR: frozenset([CaseSource.HOTLINE, CaseSource.PUBLIC, CaseSource.CAMERA]),
}

# --------------------------------------------------------------------------- plain data


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the workflow sees them (re-read in every action's transaction)."""

    id: int
    login: str
    name: str
    position: Position
    region_id: int | None
    region_path: str | None
    department_id: int | None


@dataclass(frozen=True)
class Photo:
    filename: str
    content: bytes
    mime: str | None = None


@dataclass(frozen=True)
class ActionResult:
    case_id: int
    number: str
    state: str
    version: int
    event_id: int
    request_id: int | None = None


@dataclass(frozen=True)
class Suggestion:
    """Where dispatch should send a case, and the other departments that could take it."""

    command_level: str
    department_id: int | None
    department_name: str
    alternatives: list[tuple[int, str]] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class Duplicate:
    case_id: int
    number: str
    state: str
    distance_m: float
    reported_at: datetime
    description: str


# --------------------------------------------------------------------------- the service


def _sniff_image(content: bytes) -> str | None:
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content[:4] == b"RIFF" and content[8:12] == b"WEBP":
        return "image/webp"
    if content[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    return None


def _text(value: str | None, field_name: str, *, required: bool, max_len: int = 2000) -> str:
    v = (value or "").strip()
    if required and not v:
        raise InvalidInput(field_name, "a reason or note is required")
    if len(v) > max_len:
        raise InvalidInput(field_name, f"at most {max_len} characters")
    return v


def why_not(
    actor: Actor,
    case,
    action: str,
    case_path: str | None | Callable[[], str | None],
    *,
    ignore_request: bool = False,
) -> str | None:
    """None if ``actor`` may take ``action`` on ``case`` now, else the reason.

    Pure: ``case`` is anything with the case's columns and ``case_path`` the region path of
    its grid (or a callable that looks it up only when a scope needs it), so a queue or the
    simulator can filter many actors without a query each. The state is checked by callers.
    """
    rule = RULES[action]
    if actor.position not in rule.positions:
        return f"the position {actor.position.value} does not do this"
    if rule.blocked_by_request and not ignore_request and case.pending_request_id is not None:
        return "a request on this case waits for approval first"
    if rule.scope in ("region", "command") and actor.region_path:
        path = case_path() if callable(case_path) else case_path
        if path is None or not path.startswith(actor.region_path):
            return "the case lies outside your area"
    if rule.scope == "command":
        wanted = CommandLevel.STREET.value if actor.position is P.STREET_DISPATCHER else CommandLevel.DISTRICT.value
        if (case.command_level or CommandLevel.DISTRICT.value) != wanted:
            return f"the case is commanded at {case.command_level} level"
    if rule.scope == "department" and case.current_department_id != actor.department_id:
        return "the case is not with your department"
    if action == "reply_urge" and not case.urged:
        return "the case has no urging waiting for a reply"
    return None


class Workflow:
    """The case workflow against one database. Thread-safe: each call opens its own session."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime] = datetime.now,
        calendar: WorkCalendar | None = None,
    ) -> None:
        self.engine = engine
        self._write = sessionmaker(writer(engine), expire_on_commit=False)
        self._read = sessionmaker(engine, expire_on_commit=False)
        self.clock = clock
        self._calendar = calendar

    # ---- configuration

    @property
    def calendar(self) -> WorkCalendar:
        if self._calendar is None:
            with self._read() as s:
                self._calendar = calendar_mod.load_calendar(s)
        return self._calendar

    def reload_calendar(self) -> None:
        """Forget the cached calendar (after an administrator edited overrides or hours)."""
        self._calendar = None

    # ---- identity

    def actor(self, user: int | str) -> Actor:
        with self._read() as s:
            return self._load_actor(s, user)

    def _load_actor(self, s: Session, user: int | str | Actor) -> Actor:
        if isinstance(user, Actor):
            user = user.id
        if isinstance(user, int):
            u = s.get(User, user)
        else:
            u = s.scalar(select(User).where(User.login == user))
        if u is None:
            raise NotFound("user", user)
        if not u.active:
            raise Forbidden("act", "this account is disabled")
        path = None
        if u.region_id is not None:
            path = s.scalar(select(Region.path).where(Region.id == u.region_id))
        return Actor(u.id, u.login, u.name, Position(u.position), u.region_id, path, u.department_id)

    # ---- the rules, read-only

    def _case_region_path(self, s: Session, case: Case) -> str | None:
        if case.grid_id is None:
            return None
        return s.scalar(
            select(Region.path).join(UnitGrid, UnitGrid.region_id == Region.id).where(UnitGrid.id == case.grid_id)
        )

    def _why_not(self, s: Session, actor: Actor, case: Case, action: str, *, ignore_request: bool = False) -> str | None:
        return why_not(actor, case, action, lambda: self._case_region_path(s, case), ignore_request=ignore_request)

    def allowed_actions(self, actor: Actor, case_id: int) -> list[str]:
        """Exactly the actions this user may take on this case now (the client's buttons)."""
        with self._read() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound("case", case_id)
            return self._allowed(s, actor, case)

    def _allowed(self, s: Session, actor: Actor, case: Case) -> list[str]:
        out = []
        for action, rule in RULES.items():
            if action == "decide" or CaseState(case.state) not in rule.states:
                continue
            if self._why_not(s, actor, case, action) is None:
                out.append(action)
        if case.pending_request_id is not None:
            req = s.get(CaseRequest, case.pending_request_id)
            if req is not None and self._why_not_decide(s, actor, case, req) is None:
                out.append("decide")
        return out

    def _why_not_decide(self, s: Session, actor: Actor, case: Case, req: CaseRequest) -> str | None:
        kind = RequestKind(req.kind)
        if actor.position not in APPROVERS[kind]:
            return f"a {kind.value} request is decided by another position"
        if kind is RequestKind.VOID:
            if actor.region_path:
                path = self._case_region_path(s, case)
                if path is None or not path.startswith(actor.region_path):
                    return "the case lies outside your area"
            return None
        # Command-level approvals follow the dispatch rule's scope.
        probe = RULES["dispatch"]
        if actor.position not in probe.positions:
            return "not a dispatcher"
        return self._why_not(s, actor, case, "dispatch", ignore_request=True)

    # ---- the transaction around every action

    def _run(
        self,
        actor: Actor | int | str,
        case_id: int,
        expected_version: int | None,
        action: str,
        body: Callable[[Session, Actor, Case, datetime], dict | None],
        *,
        note: str = "",
        photos: Sequence[Photo] = (),
        check_rule: bool = True,
    ) -> ActionResult:
        photos = self._check_photos(photos)
        number = str(case_id)
        try:
            with self._write() as s, s.begin():
                who = self._load_actor(s, actor)
                case = s.get(Case, case_id)
                if case is None:
                    raise NotFound("case", case_id)
                number = case.number
                if expected_version is not None and case.version != expected_version:
                    raise self._conflict(s, case)
                if check_rule:
                    self._check(s, who, case, action)
                now = self.clock()
                from_state = case.state
                # No autoflush inside the body: a lookup after a change would UPDATE the case
                # early (and bump its version twice); the one guarded UPDATE is the flush below.
                with s.no_autoflush:
                    extra = body(s, who, case, now) or {}
                case.updated_at = now
                case.updated_by_id = who.id
                ev = CaseEvent(
                    case_id=case.id,
                    at=now,
                    user_id=who.id,
                    position=who.position.value,
                    action=extra.pop("_action", action),
                    from_state=from_state,
                    to_state=case.state,
                    department_id=extra.pop("_department_id", case.current_department_id),
                    note=note,
                    data=extra or None,
                )
                s.add(ev)
                s.flush()  # the version-guarded UPDATE runs here: StaleDataError on a race
                rollup.on_event(s, case, ev, self.calendar)  # summaries for drill-down and evaluation
                for ph in photos:
                    s.add(self._attachment(case.id, ev.id, who.id, now, ph))
                record_change(s, "case", case.id, ev.action, who.id, now)
                s.flush()
                return ActionResult(case.id, case.number, case.state, case.version, ev.id, extra.get("request_id"))
        except StaleDataError:
            with self._read() as s:
                case = s.get(Case, case_id)
                raise self._conflict(s, case, number) from None
        except OperationalError as e:
            raise Unavailable(str(e.orig).strip().splitlines()[0] if e.orig else str(e)) from e
        except DBAPIError as e:
            if e.connection_invalidated:
                raise Unavailable(str(e.orig).strip().splitlines()[0]) from e
            raise

    def _check(self, s: Session, actor: Actor, case: Case, action: str) -> None:
        rule = RULES[action]
        if actor.position not in rule.positions:
            raise Forbidden(action, f"the position {actor.position.value} does not do this")
        if CaseState(case.state) not in rule.states:
            raise InvalidState(action, case.state, case.number)
        why = self._why_not(s, actor, case, action)
        if why:
            raise Forbidden(action, why)

    def _conflict(self, s: Session, case: Case | None, number: str = "") -> Conflict:
        if case is None:
            return Conflict(number, None, None)
        by = s.scalar(select(User.name).where(User.id == case.updated_by_id)) if case.updated_by_id else None
        return Conflict(case.number, by, case.updated_at, case.state)

    def _check_photos(self, photos: Sequence[Photo]) -> list[Photo]:
        photos = list(photos)
        if len(photos) > MAX_PHOTOS:
            raise InvalidInput("photos", f"at most {MAX_PHOTOS} photos per step")
        out = []
        for ph in photos:
            if not ph.content:
                raise InvalidInput("photos", f"{ph.filename} is empty")
            if len(ph.content) > MAX_PHOTO_BYTES:
                raise InvalidInput("photos", f"{ph.filename} is larger than 10 MB")
            mime = _sniff_image(ph.content)
            if mime is None:
                raise InvalidInput("photos", f"{ph.filename} is not a JPEG, PNG, WebP or GIF picture")
            out.append(Photo(ph.filename, ph.content, mime))
        return out

    @staticmethod
    def _attachment(case_id: int, event_id: int | None, user_id: int, now: datetime, ph: Photo) -> Attachment:
        return Attachment(
            case_id=case_id,
            event_id=event_id,
            filename=ph.filename[:255],
            mime=ph.mime or mimetypes.guess_type(ph.filename)[0] or "application/octet-stream",
            size=len(ph.content),
            sha256=hashlib.sha256(ph.content).hexdigest(),
            content=ph.content,
            created_at=now,
            created_by_id=user_id,
        )

    # ---- helpers for bodies

    def _start(self, case: Case, stage: Stage, category: Category | None, now: datetime) -> None:
        apply_clock(case, start_clock(self.calendar, stage, category, now))

    def _category(self, s: Session, case: Case) -> Category | None:
        return s.get(Category, case.category_id) if case.category_id else None

    def _next_number(self, s: Session, now: datetime) -> str:
        day = now.strftime("%Y%m%d")
        name = f"case:{day}"
        n = s.execute(
            update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
        ).scalar()
        if n is None:
            # First case of the day. Two workstations may race to create the row: the loser's
            # INSERT fails on the primary key and its whole action is retried by the caller.
            s.add(Counter(name=name, value=1))
            s.flush()
            n = 1
        return f"{day}{n:05d}"

    # ================================================================ actions

    def report(
        self,
        actor: Actor | int | str,
        *,
        source: CaseSource | str,
        description: str,
        lon: float | None = None,
        lat: float | None = None,
        grid_id: int | None = None,
        address: str = "",
        category_id: int | None = None,
        component_id: int | None = None,
        reporter_name: str = "",
        reporter_phone: str = "",
        self_handled: bool = False,
        photos: Sequence[Photo] = (),
        note: str = "",
        within: Callable[[Session, Case], None] | None = None,
    ) -> ActionResult:
        """信息收集: a supervisor's report (filed directly, or self-handled 自处理), or a hotline,
        public or camera report taken by an intake operator (verified on site first).

        ``within(session, case)`` runs inside the report's transaction once the case has its
        id (the data exchange records the hotline order or the Open311 request there), so the
        case and what refers to it commit together or not at all."""
        try:
            source = CaseSource(source)
        except ValueError:
            raise InvalidInput("source", f"unknown source {source!r}") from None
        description = _text(description, "description", required=True)
        photos = self._check_photos(photos)
        for attempt in range(3):
            try:
                return self._report_once(
                    actor, source, description, lon, lat, grid_id, address, category_id, component_id,
                    reporter_name, reporter_phone, self_handled, photos, note, within,
                )
            except _NumberRace:
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _report_once(
        self, actor, source, description, lon, lat, grid_id, address, category_id, component_id,
        reporter_name, reporter_phone, self_handled, photos, note, within=None,
    ) -> ActionResult:
        try:
            with self._write() as s, s.begin():
                who = self._load_actor(s, actor)
                allowed = REPORT_SOURCES.get(who.position, frozenset())
                if source not in allowed:
                    raise Forbidden("report", f"the position {who.position.value} cannot take {source.value} reports")
                if self_handled and who.position is not P.SUPERVISOR:
                    raise Forbidden("report", "only a supervisor handles a problem on the spot")
                grid = self._resolve_grid(s, lon, lat, grid_id)
                if who.region_path:
                    path = s.scalar(select(Region.path).where(Region.id == grid.region_id))
                    if not path or not path.startswith(who.region_path):
                        raise Forbidden("report", "the place lies outside your area")
                category = None
                if category_id is not None:
                    category = s.get(Category, category_id)
                    if category is None:
                        raise NotFound("category", category_id)
                    if not category.is_leaf or category.retired:
                        raise InvalidInput("category", f"{category.name} is not a current leaf category")
                if component_id is not None and s.get(Component, component_id) is None:
                    raise NotFound("component", component_id)
                now = self.clock()
                if lon is None or lat is None:
                    lon, lat = grid.center_lon, grid.center_lat
                if self_handled:
                    state = S.SELF_REVIEW
                elif source is CaseSource.SUPERVISOR:
                    state = S.TO_FILE
                else:
                    state = S.TO_VERIFY
                case = Case(
                    number=self._next_number(s, now),
                    source=source.value,
                    category_id=category_id,
                    component_id=component_id,
                    lon=lon,
                    lat=lat,
                    address=_text(address, "address", required=False, max_len=255),
                    grid_id=grid.id,
                    description=description,
                    reporter_name=_text(reporter_name, "reporter", required=False, max_len=64),
                    reporter_phone=_text(reporter_phone, "phone", required=False, max_len=32),
                    reported_by_id=who.id,
                    state=state.value,
                    command_level=category.command_level if category else None,
                    reported_at=now,
                    verified_at=now if source is CaseSource.SUPERVISOR else None,
                    updated_at=now,
                    updated_by_id=who.id,
                    extension_minutes=0.0,
                    parked_minutes=0.0,
                )
                self._start(case, Stage.CLOSE if self_handled else Stage.FILE, category, now)
                s.add(case)
                s.flush()
                ev = CaseEvent(
                    case_id=case.id,
                    at=now,
                    user_id=who.id,
                    position=who.position.value,
                    action="self_handle" if self_handled else "report",
                    from_state=None,
                    to_state=case.state,
                    note=note,
                    data={"source": source.value},
                )
                s.add(ev)
                s.flush()
                rollup.on_event(s, case, ev, self.calendar)  # summaries for drill-down and evaluation
                for ph in photos:
                    s.add(self._attachment(case.id, ev.id, who.id, now, ph))
                if within is not None:
                    within(s, case)
                record_change(s, "case", case.id, ev.action, who.id, now)
                s.flush()
                return ActionResult(case.id, case.number, case.state, case.version, ev.id)
        except IntegrityError as e:
            if "counter" in str(e.orig).lower():
                raise _NumberRace() from e
            raise
        except OperationalError as e:
            raise Unavailable(str(e.orig).strip().splitlines()[0] if e.orig else str(e)) from e

    def _resolve_grid(self, s: Session, lon, lat, grid_id) -> UnitGrid:
        if grid_id is not None:
            grid = s.get(UnitGrid, grid_id)
            if grid is None or grid.valid_to is not None:
                raise InvalidInput("grid", f"grid {grid_id} does not exist or is retired")
            return grid
        if lon is None or lat is None:
            raise InvalidInput("location", "give a point on the map or a grid")
        grid = locate_grid(s, float(lon), float(lat))
        if grid is None:
            raise InvalidInput("location", f"the point {lon:.6f}, {lat:.6f} lies in no unit grid of this city")
        return grid

    def assign_verify(self, actor, case_id: int, supervisor_id: int, *, expected_version=None, note="") -> ActionResult:
        """核实派遣: ask a supervisor to verify a hotline or public report on site."""

        def body(s, who, case, now):
            case.assignee_id = self._supervisor_for(s, case, supervisor_id).id
            return {"assignee_id": supervisor_id}

        return self._run(actor, case_id, expected_version, "assign_verify", body, note=note)

    def _supervisor_for(self, s: Session, case: Case, supervisor_id: int) -> User:
        sup = s.get(User, supervisor_id)
        if sup is None or not sup.active or sup.position != P.SUPERVISOR.value:
            raise InvalidInput("supervisor", "choose an active supervisor")
        if sup.region_id is not None:
            path = s.scalar(select(Region.path).where(Region.id == sup.region_id))
            case_path = self._case_region_path(s, case)
            if not case_path or not path or not case_path.startswith(path):
                raise InvalidInput("supervisor", f"{sup.name} does not patrol the case's grid")
        return sup

    def verify(self, actor, case_id: int, *, confirmed: bool, expected_version=None, note="", photos=()) -> ActionResult:
        """核实: a supervisor confirms on site that the reported problem is real (or not); the
        shift leader then files or voids it."""

        def body(s, who, case, now):
            case.state = S.TO_FILE.value
            case.verified_at = now
            case.assignee_id = None
            return {"confirmed": bool(confirmed)}

        note = _text(note, "note", required=not confirmed)
        return self._run(actor, case_id, expected_version, "verify", body, note=note, photos=photos)

    def file(self, actor, case_id: int, *, category_id: int | None = None, expected_version=None, note="") -> ActionResult:
        """立案: the shift leader classifies the case and files it for dispatch."""

        def body(s, who, case, now):
            cid = category_id if category_id is not None else case.category_id
            if cid is None:
                raise InvalidInput("category", "choose the case's category before filing")
            cat = s.get(Category, cid)
            if cat is None:
                raise NotFound("category", cid)
            if not cat.is_leaf or cat.retired:
                raise InvalidInput("category", f"{cat.name} is not a current leaf category")
            case.category_id = cat.id
            case.command_level = cat.command_level
            case.state = S.TO_DISPATCH.value
            case.filed_at = now
            self._start(case, Stage.DISPATCH, cat, now)
            return {"category_id": cat.id, "command_level": cat.command_level}

        return self._run(actor, case_id, expected_version, "file", body, note=note)

    def void(self, actor, case_id: int, *, reason: str, expected_version=None) -> ActionResult:
        """作废: the shift leader voids a report that is not real, a duplicate, or out of scope."""
        reason = _text(reason, "reason", required=True)

        def body(s, who, case, now):
            self._end(case, S.VOIDED, now)

        return self._run(actor, case_id, expected_version, "void", body, note=reason)

    def _end(self, case: Case, state: CaseState, now: datetime) -> None:
        case.state = state.value
        if state is S.VOIDED:
            case.voided_at = now
        else:
            case.closed_at = now
        case.assignee_id = None
        case.urged = False
        apply_clock(case, None)

    def dispatch(self, actor, case_id: int, *, department_id: int, expected_version=None, note="") -> ActionResult:
        """派遣: send the case to the department that handles it, with the category's limit."""

        def body(s, who, case, now):
            dept = s.get(Department, department_id)
            if dept is None or not dept.active:
                raise InvalidInput("department", "choose an active department")
            # A street unit serves its own street only, whoever dispatches (the district too).
            if dept.level == CommandLevel.STREET.value and dept.region_id:
                street = s.get(Region, dept.region_id)
                case_path = self._case_region_path(s, case) or ""
                if street is None or not case_path.startswith(street.path):
                    raise InvalidInput("department", f"{dept.name} serves another street")
            case.current_department_id = dept.id
            case.state = S.HANDLING.value
            case.dispatched_at = now
            case.dispatch_count += 1
            case.parked_at = None
            apply_clock(case, start_clock(self.calendar, Stage.HANDLE, self._category(s, case), now))
            return {"_department_id": dept.id, "department_id": dept.id}

        return self._run(actor, case_id, expected_version, "dispatch", body, note=note)

    def change_level(self, actor, case_id: int, *, level: CommandLevel | str, reason: str, expected_version=None) -> ActionResult:
        """Hand a case to the other command level (a street escalates to the district, or the
        district leaves it to the street); the dispatch clock keeps running."""
        try:
            level = CommandLevel(level)
        except ValueError:
            raise InvalidInput("level", f"unknown command level {level!r}") from None
        reason = _text(reason, "reason", required=True)

        def body(s, who, case, now):
            if (case.command_level or CommandLevel.DISTRICT.value) == level.value:
                raise InvalidInput("level", f"the case is already at {level.value} level")
            old = case.command_level
            case.command_level = level.value
            return {"from_level": old, "command_level": level.value}

        return self._run(actor, case_id, expected_version, "change_level", body, note=reason)

    # ---- requests that wait for an approver

    def _request(self, actor, case_id, expected_version, kind: RequestKind, reason: str, hours=None) -> ActionResult:
        def body(s, who, case, now):
            req = CaseRequest(
                case_id=case.id, kind=kind.value, requested_by_id=who.id, requested_at=now, reason=reason, hours=hours
            )
            s.add(req)
            s.flush()
            case.pending_request_id = req.id
            data = {"request_id": req.id}
            if hours is not None:
                data["hours"] = hours
            return data

        return self._run(actor, case_id, expected_version, f"request_{kind.value}", body, note=reason)

    def request_return(self, actor, case_id: int, *, reason: str, expected_version=None) -> ActionResult:
        """回退 request: the department says the case is not theirs; the dispatcher decides."""
        return self._request(actor, case_id, expected_version, RequestKind.RETURN, _text(reason, "reason", required=True))

    def request_extension(self, actor, case_id: int, *, hours: float, reason: str, expected_version=None) -> ActionResult:
        """延期 request: more working hours to handle the case; the dispatcher decides."""
        try:
            hours = float(hours)
        except (TypeError, ValueError):
            raise InvalidInput("hours", "a number of working hours") from None
        if not 0 < hours <= 24 * 30:
            raise InvalidInput("hours", "between 0 and 720 working hours")
        return self._request(
            actor, case_id, expected_version, RequestKind.EXTENSION, _text(reason, "reason", required=True), hours
        )

    def request_park(self, actor, case_id: int, *, reason: str, expected_version=None) -> ActionResult:
        """挂账 request: the case cannot be solved now (budget, season); the clock would stop."""
        return self._request(actor, case_id, expected_version, RequestKind.PARK, _text(reason, "reason", required=True))

    def request_void(self, actor, case_id: int, *, reason: str, expected_version=None) -> ActionResult:
        """作废 request from intake or dispatch; the shift leader decides."""
        return self._request(actor, case_id, expected_version, RequestKind.VOID, _text(reason, "reason", required=True))

    def decide(self, actor, request_id: int, *, approve: bool, expected_version=None, note="") -> ActionResult:
        """Approve or reject the waiting request of a case."""
        with self._read() as s:
            req = s.get(CaseRequest, request_id)
            if req is None:
                raise NotFound("request", request_id)
            case_id = req.case_id
        note = _text(note, "note", required=not approve)

        def body(s, who, case, now):
            req = s.get(CaseRequest, request_id)
            if req is None or case.pending_request_id != req.id or req.decided_at is not None:
                raise InvalidState("decide", "no_request_waiting", case.number)
            why = self._why_not_decide(s, who, case, req)
            if why:
                raise Forbidden("decide", why)
            kind = RequestKind(req.kind)
            req.decided_by_id, req.decided_at, req.approved, req.decision_note = who.id, now, bool(approve), note
            case.pending_request_id = None
            data = {"request_id": req.id, "kind": kind.value}
            if not approve:
                data["_action"] = f"reject_{kind.value}"
                return data
            data["_action"] = f"approve_{kind.value}"
            if kind is RequestKind.RETURN:
                data["_department_id"] = case.current_department_id
                case.return_count += 1
                case.current_department_id = None
                case.state = S.TO_DISPATCH.value
                self._start(case, Stage.DISPATCH, self._category(s, case), now)
            elif kind is RequestKind.EXTENSION:
                case.extension_count += 1
                data["hours"] = req.hours
                self._reclock(case, extension=(case.extension_minutes or 0) + req.hours * 60)
            elif kind is RequestKind.PARK:
                case.park_count += 1
                case.state = S.PARKED.value
                case.parked_at = now
            elif kind is RequestKind.VOID:
                if CaseState(case.state) not in PRE_DISPATCH:
                    raise InvalidState("void", case.state, case.number)
                self._end(case, S.VOIDED, now)
            return data

        return self._run(actor, case_id, expected_version, "decide", body, note=note, check_rule=False)

    def _reclock(self, case: Case, *, extension: float | None = None, parked: float | None = None) -> None:
        apply_clock(
            case,
            rebuild_clock(
                self.calendar,
                Stage(case.stage),
                case.stage_started_at,
                case.stage_limit_minutes,
                TimeUnit(case.stage_unit),
                extension_minutes=case.extension_minutes if extension is None else extension,
                parked_minutes=case.parked_minutes if parked is None else parked,
            ),
        )

    def resume(self, actor, case_id: int, *, expected_version=None, note="") -> ActionResult:
        """挂账恢复: the parked case goes back to handling; the parked time stays uncounted."""

        def body(s, who, case, now):
            parked = self.calendar.elapsed(case.parked_at or now, now, TimeUnit(case.stage_unit))
            case.state = S.HANDLING.value
            case.parked_at = None
            self._reclock(case, parked=(case.parked_minutes or 0) + parked)
            return {"parked_minutes": round(parked, 2)}

        return self._run(actor, case_id, expected_version, "resume", body, note=note)

    # ---- handling, re-check, close

    def feedback(self, actor, case_id: int, *, note: str, photos: Sequence[Photo] = (), expected_version=None) -> ActionResult:
        """处置反馈: the department reports the problem fixed, with photos."""
        note = _text(note, "note", required=True)

        def body(s, who, case, now):
            case.state = S.TO_CHECK.value
            case.handled_at = now
            self._start(case, Stage.CHECK, self._category(s, case), now)

        return self._run(actor, case_id, expected_version, "feedback", body, note=note, photos=photos)

    def assign_check(self, actor, case_id: int, supervisor_id: int, *, expected_version=None, note="") -> ActionResult:
        """核查派遣: ask a supervisor to re-check the result on site."""

        def body(s, who, case, now):
            case.assignee_id = self._supervisor_for(s, case, supervisor_id).id
            return {"assignee_id": supervisor_id}

        return self._run(actor, case_id, expected_version, "assign_check", body, note=note)

    def recheck(self, actor, case_id: int, *, fixed: bool, expected_version=None, note="", photos=()) -> ActionResult:
        """核查: fixed → the shift leader closes it; not fixed → 返工, back to dispatch."""
        note = _text(note, "note", required=not fixed)

        def body(s, who, case, now):
            case.checked_at = now
            case.assignee_id = None
            cat = self._category(s, case)
            data = {"fixed": bool(fixed)}
            if fixed:
                case.state = S.TO_CLOSE.value
                self._start(case, Stage.CLOSE, cat, now)
            else:
                # The event names the department whose work failed (its rework rate is evaluated).
                data["_department_id"] = case.current_department_id
                case.rework_count += 1
                case.state = S.TO_DISPATCH.value
                case.current_department_id = None
                self._start(case, Stage.DISPATCH, cat, now)
            return data

        return self._run(actor, case_id, expected_version, "recheck", body, note=note, photos=photos)

    def close(self, actor, case_id: int, *, expected_version=None, note="") -> ActionResult:
        """结案."""

        def body(s, who, case, now):
            self._end(case, S.CLOSED, now)

        return self._run(actor, case_id, expected_version, "close", body, note=note)

    def rework(self, actor, case_id: int, *, reason: str, expected_version=None) -> ActionResult:
        """返工: the shift leader finds the result not acceptable and sends it back to dispatch."""
        reason = _text(reason, "reason", required=True)

        def body(s, who, case, now):
            dept = case.current_department_id  # the event names the department whose work failed
            case.rework_count += 1
            case.state = S.TO_DISPATCH.value
            case.current_department_id = None
            self._start(case, Stage.DISPATCH, self._category(s, case), now)
            return {"_department_id": dept}

        return self._run(actor, case_id, expected_version, "rework", body, note=reason)

    def urge(self, actor, case_id: int, *, opinion: str, expected_version=None) -> ActionResult:
        """督办: a leader's written opinion; the department must reply."""
        opinion = _text(opinion, "opinion", required=True)

        def body(s, who, case, now):
            case.urged = True
            case.urge_count += 1
            return {"opinion": opinion}

        return self._run(actor, case_id, expected_version, "urge", body, note=opinion)

    def reply_urge(self, actor, case_id: int, *, reply: str, expected_version=None) -> ActionResult:
        reply = _text(reply, "reply", required=True)

        def body(s, who, case, now):
            case.urged = False
            return {"reply": reply}

        return self._run(actor, case_id, expected_version, "reply_urge", body, note=reply)

    def review_self(self, actor, case_id: int, *, approve: bool, expected_version=None, note="") -> ActionResult:
        """自处理审核: approve a supervisor's on-the-spot fix (closed), or file it normally."""
        note = _text(note, "note", required=not approve)

        def body(s, who, case, now):
            if approve:
                self._end(case, S.CLOSED, now)
            else:
                case.state = S.TO_FILE.value
                self._start(case, Stage.FILE, self._category(s, case), now)
            return {"approved": bool(approve)}

        return self._run(actor, case_id, expected_version, "review_self", body, note=note)

    # ---- advice for the forms

    def suggest_department(self, case_id: int) -> Suggestion:
        """Routing: the category decides department and command level (一级监督、两级指挥).

        District-level cases go to the category's responsible department; street-level cases to
        the department of the case's street that is the local arm of it (its ``parent_id``),
        else to any department of that street.
        """
        with self._read() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound("case", case_id)
            cat = self._category(s, case)
            level = case.command_level or (cat.command_level if cat else CommandLevel.DISTRICT.value)
            ancestors = [int(p) for p in (self._case_region_path(s, case) or "").strip("/").split("/") if p]
            street_depts: list[Department] = []
            if level == CommandLevel.STREET.value and ancestors:
                street_depts = list(
                    s.scalars(
                        select(Department)
                        .where(
                            Department.region_id.in_(ancestors),
                            Department.level == CommandLevel.STREET.value,
                            Department.active,
                        )
                        .order_by(Department.code)
                    )
                )
            if street_depts:
                candidates = street_depts
                chosen = next((d for d in candidates if cat and d.parent_id == cat.department_id), candidates[0])
                reason = "street"
            else:
                candidates = list(
                    s.scalars(
                        select(Department)
                        .where(Department.level == CommandLevel.DISTRICT.value, Department.active)
                        .order_by(Department.code)
                    )
                )
                chosen = s.get(Department, cat.department_id) if cat and cat.department_id else None
                reason = "district"
            alternatives = [(d.id, d.name) for d in candidates if chosen is None or d.id != chosen.id]
            return Suggestion(
                command_level=level,
                department_id=chosen.id if chosen else None,
                department_name=chosen.name if chosen else "",
                alternatives=alternatives,
                reason=reason,
            )

    def duplicates(
        self, lon: float, lat: float, category_id: int | None, *, radius_m: float = DUP_RADIUS_M, hours: float = 24
    ) -> list[Duplicate]:
        """Cases of the same category within ``radius_m`` reported in the last ``hours``
        (open or closed): an intake operator checks these before saving a new report."""
        now = self.clock()
        dlat = radius_m / 111_320.0
        dlon = radius_m / (111_320.0 * max(0.01, math.cos(math.radians(lat))))
        with self._read() as s:
            q = select(Case).where(
                Case.reported_at >= now - timedelta(hours=hours),
                Case.lon.between(lon - dlon, lon + dlon),
                Case.lat.between(lat - dlat, lat + dlat),
            )
            if category_id is not None:
                q = q.where(Case.category_id == category_id)
            out = []
            for c in s.scalars(q):
                d = haversine_m(lon, lat, c.lon, c.lat)
                if d <= radius_m:
                    out.append(Duplicate(c.id, c.number, c.state, d, c.reported_at, c.description))
            return sorted(out, key=lambda d: d.distance_m)


class _NumberRace(Exception):
    pass


def haversine_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def locate_grid(s: Session, lon: float, lat: float) -> UnitGrid | None:
    """The current unit grid containing a point (bbox prefilter in SQL, exact test in shapely).

    A point on a shared edge belongs to the grid with the smallest code, so the answer is
    deterministic.
    """
    rows = s.scalars(
        select(UnitGrid)
        .where(
            and_(
                UnitGrid.valid_to.is_(None),
                UnitGrid.min_lon <= lon,
                UnitGrid.max_lon >= lon,
                UnitGrid.min_lat <= lat,
                UnitGrid.max_lat >= lat,
            )
        )
        .order_by(UnitGrid.code)
    ).all()
    pt = Point(lon, lat)
    for g in rows:
        if shape(g.geometry).covers(pt):
            return g
    return None
