"""The closed loop (../shared/domain.md §2) as one Qt-free service.

Every action is one transaction: it checks the actor's position, scope and the case's state,
changes the case row, appends a ``case_event`` (and photos), writes a ``change_log`` row, and
commits; or it raises a typed error from ``gridstation.errors`` and writes nothing. A stale
write (someone changed the case after the caller loaded it) raises ``Conflict`` naming who and
when; the case row's ``version`` guards the UPDATE itself, so two workstations racing on the
same case cannot both win.

The rules are data in the database (``wf_*`` tables, ``gridstation.cases.rules``): which
position may take which action from which states within which scope, who approves which
request, who takes which reports. The workflow caches them and reloads when their revision
changes; ``allowed_actions`` reads the same rules the actions enforce, so a client shows exactly
the buttons that will work.
"""

from __future__ import annotations

import hashlib
import math
import mimetypes
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from shapely.geometry import Point, shape
from sqlalchemy import Engine, and_, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from gridstation.analytics import rollup
from gridstation.cases import rules as rules_mod
from gridstation.cases.rules import RuleSet, as_position
from gridstation.worktime import center_calendar as calendar_mod
from gridstation.store import limits
from gridstation.store.db import record_change, writer
from gridstation.errors import Conflict, Forbidden, InvalidInput, InvalidState, NotFound, Unavailable
from gridstation.store.model import (
    Attachment,
    Case,
    CaseEvent,
    CaseRequest,
    CaseSource,
    CaseState,
    CaseSubmission,
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
# Pauses before asking again after the connection broke mid-submission (seconds).
RETRY_DELAYS = (0.1, 0.5, 1.5)

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


def _legacy_views(rs: RuleSet):
    """The default rules in the shape the code had before they became data (a migration seeds
    the same rules into every new database; the workflow itself reads the database)."""
    out: dict[str, Rule] = {}
    for action in rules_mod.ACTION_KEYS:
        grants = [g for (a, _p), g in rs.grants.items() if a == action]
        out[action] = _rule(
            [as_position(g.position) for g in grants],
            [CaseState(st) for st in rs.states_for(action)],
            grants[0].scope if grants else "none",
            rs.is_blocked(action),
        )
    approvers = {k: frozenset(as_position(p) for p in rs.approvers_of(k.value)) for k in RequestKind}
    sources = {
        as_position(p.key): frozenset(CaseSource(x) for x in p.reports) for p in rs.positions.values() if p.reports
    }
    return out, approvers, sources


# The demo profile's rules (resources/profiles/demo.toml), read-only, for tests and tools that
# want the default; a center's own rules are in its database.
RULES, APPROVERS, REPORT_SOURCES = _legacy_views(rules_mod.default_ruleset())

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
    # From the rules: the built-in kind the position behaves like, and its command level.
    role: str = ""
    command_level: str | None = None


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
    request_id: int | None = None  # the approval request a step opened or decided
    #: True when a retry found this step already saved (its reply had been lost on the way).
    replayed: bool = False


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


def _text(value: str | None, field_name: str, *, required: bool, max_len: int = limits.NOTE) -> str:
    v = (value or "").strip()
    if required and not v:
        raise InvalidInput(field_name, "a reason or note is required")
    why = limits.too_long(v, max_len)
    if why:
        raise InvalidInput(field_name, why)
    return v


def why_not(
    actor: Actor,
    case,
    action: str,
    case_path: str | None | Callable[[], str | None],
    *,
    ignore_request: bool = False,
    rules: RuleSet | None = None,
) -> str | None:
    """None if ``actor`` may take ``action`` on ``case`` now, else the reason.

    Pure: ``case`` is anything with the case's columns and ``case_path`` the region path of
    its grid (or a callable that looks it up only when a scope needs it), so a queue or the
    simulator can filter many actors without a query each. The state is checked by callers.
    ``rules``: the rules in force (``Workflow.rules``); the demo profile's if not given.
    """
    rules = rules or rules_mod.default_ruleset()
    grant = rules.grant(action, actor.position.value)
    if grant is None or not grant.states:
        return f"the position {actor.position.value} does not do this"
    if rules.is_blocked(action) and not ignore_request and case.pending_request_id is not None:
        return "a request on this case waits for approval first"
    why = scope_problem(actor, case, grant.scope, case_path, rules)
    if why:
        return why
    if action == "reply_urge" and not case.urged:
        return "the case has no urging waiting for a reply"
    return None


def scope_problem(
    actor: Actor, case, scope: str, case_path: str | None | Callable[[], str | None], rules: RuleSet
) -> str | None:
    """None if ``case`` lies within ``actor``'s ``scope`` (region, command, department, none)."""
    if scope in ("region", "command") and actor.region_path:
        path = case_path() if callable(case_path) else case_path
        if path is None or not path.startswith(actor.region_path):
            return "the case lies outside your area"
    if scope == "command":
        wanted = rules.command_level_of(actor.position.value)
        if (case.command_level or CommandLevel.DISTRICT.value) != wanted:
            return f"the case is commanded at {case.command_level} level"
    if scope == "department" and case.current_department_id != actor.department_id:
        return "the case is not with your department"
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
        self._rules: RuleSet | None = None

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

    @property
    def rules(self) -> RuleSet:
        """The workflow rules in force (cached; reloaded when their revision changed)."""
        with self._read() as s:
            return self._rules_in(s)

    def reload_rules(self) -> None:
        """Forget the cached rules (the next action reads them again)."""
        self._rules = None

    def _rules_in(self, s: Session) -> RuleSet:
        # One primary-key read per action: an administrator's change applies to the next action
        # on every workstation, read in the same transaction as the action it governs.
        rev = rules_mod.revision(s)
        if rev is None:
            raise InvalidInput("rules", "this database holds no workflow rules: apply a profile first "
                               "(gridstation profile apply NAME)")
        cached = self._rules
        if cached is None or cached.revision != rev:
            cached = self._rules = rules_mod.load(s)
        return cached

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
        rules = self._rules_in(s)
        return Actor(u.id, u.login, u.name, as_position(u.position), u.region_id, path, u.department_id,
                     rules.role_of(u.position), rules.command_level_of(u.position))

    # ---- the rules, read-only

    def _case_region_path(self, s: Session, case: Case) -> str | None:
        if case.grid_id is None:
            return None
        return s.scalar(
            select(Region.path).join(UnitGrid, UnitGrid.region_id == Region.id).where(UnitGrid.id == case.grid_id)
        )

    def _why_not(self, s: Session, actor: Actor, case: Case, action: str, *, ignore_request: bool = False) -> str | None:
        return why_not(actor, case, action, lambda: self._case_region_path(s, case), ignore_request=ignore_request,
                       rules=self._rules_in(s))

    def allowed_actions(self, actor: Actor, case_id: int) -> list[str]:
        """Exactly the actions this user may take on this case now (the client's buttons)."""
        with self._read() as s:
            case = s.get(Case, case_id)
            if case is None:
                raise NotFound("case", case_id)
            return self._allowed(s, actor, case)

    def _allowed(self, s: Session, actor: Actor, case: Case) -> list[str]:
        out = []
        rules = self._rules_in(s)
        for action in rules_mod.ACTION_KEYS:
            grant = rules.grant(action, actor.position.value)
            if action == "decide" or grant is None or case.state not in grant.states:
                continue
            if self._why_not(s, actor, case, action) is None:
                out.append(action)
        if case.pending_request_id is not None:
            req = s.get(CaseRequest, case.pending_request_id)
            if req is not None and self._why_not_decide(s, actor, case, req) is None:
                out.append("decide")
        return out

    def _why_not_decide(self, s: Session, actor: Actor, case: Case, req: CaseRequest) -> str | None:
        rules = self._rules_in(s)
        scope = rules.approvers.get((req.kind, actor.position.value))
        if scope is None:
            return f"a {req.kind} request is decided by another position"
        return scope_problem(actor, case, scope, lambda: self._case_region_path(s, case), rules)

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
        submission_id: str | None = None,
    ) -> ActionResult:
        photos = self._check_photos(photos)
        note = _text(note, "note", required=False, max_len=limits.NOTE)
        return self._submit(
            submission_id,
            lambda sid, started: self._run_once(
                actor, case_id, expected_version, action, body, note, photos, check_rule, sid, started
            ),
        )

    def _submit(self, submission_id: str | None, once: Callable[[str, list], ActionResult]) -> ActionResult:
        """Run a submission; when the connection breaks after it started (the reply to COMMIT may
        be what got lost), try again with the same id: the retry finds what the first try saved
        (``ActionResult.replayed``) or, if it saved nothing, does the work once."""
        sid = submission_key(submission_id)
        delays = iter(RETRY_DELAYS)
        reached = False  # has any try reached the server (and so maybe committed)?
        while True:
            started: list = []  # non-empty once this try's transaction has reached the server
            try:
                return once(sid, started)
            except _Lost as lost:
                reached = reached or bool(started)
                delay = next(delays, None)
                if not started or delay is None:
                    # This try never reached the server, or we ran out of tries: stop. Whether
                    # something was saved is unknown only if an earlier try had got through.
                    raise Unavailable(lost.detail, saved_unknown=reached) from lost.__cause__
                time.sleep(delay)
            except _SameSubmission:
                # The same id raced in from a second click: the other one saved; read its result.
                if next(delays, None) is None:
                    raise Unavailable("the same submission keeps colliding", saved_unknown=True) from None

    def _replay(self, s: Session, who: Actor, sid: str, case_id: int | None) -> ActionResult | None:
        """The first result of submission ``sid`` if it was saved, else None."""
        prior = s.get(CaseSubmission, sid)
        if prior is None:
            return None
        if prior.user_id != who.id or (case_id is not None and prior.case_id != case_id):
            raise InvalidInput("submission", "this submission id belongs to another step; reload and try again")
        ev = s.get(CaseEvent, prior.event_id)
        case = s.get(Case, prior.case_id)
        return ActionResult(
            case.id, case.number, ev.to_state, prior.case_version, ev.id, (ev.data or {}).get("request_id"),
            replayed=True,
        )

    def _run_once(
        self, actor, case_id, expected_version, action, body, note, photos, check_rule, sid, started
    ) -> ActionResult:
        number = str(case_id)
        who = None
        try:
            with self._write() as s, s.begin():
                who = self._load_actor(s, actor)
                started.append(True)
                replay = self._replay(s, who, sid, case_id)
                if replay is not None:
                    return replay
                case = s.get(Case, case_id)
                if case is None:
                    raise NotFound("case", case_id)
                number = case.number
                if expected_version is not None and case.version != expected_version:
                    raise self._conflict(s, case, who=who)
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
                s.add(CaseSubmission(id=sid, case_id=case.id, event_id=ev.id, user_id=who.id, at=now,
                                     case_version=case.version))
                record_change(s, "case", case.id, ev.action, who.id, now)
                s.flush()
                return ActionResult(case.id, case.number, case.state, case.version, ev.id, extra.get("request_id"))
        except StaleDataError:
            with self._read() as s:
                case = s.get(Case, case_id)
                raise self._conflict(s, case, number, who=who) from None
        except IntegrityError as e:
            if "case_submission" in str(e.orig).lower():
                raise _SameSubmission() from e
            raise
        except OperationalError as e:
            raise _Lost(e, bool(started)) from e
        except DBAPIError as e:
            if e.connection_invalidated:
                raise _Lost(e, bool(started)) from e
            raise

    def _check(self, s: Session, actor: Actor, case: Case, action: str) -> None:
        grant = self._rules_in(s).grant(action, actor.position.value)
        if grant is None or not grant.states:
            raise Forbidden(action, f"the position {actor.position.value} does not do this")
        if case.state not in grant.states:
            raise InvalidState(action, case.state, case.number)
        why = self._why_not(s, actor, case, action)
        if why:
            raise Forbidden(action, why)

    def _conflict(self, s: Session, case: Case | None, number: str = "", *, who: Actor | None = None) -> Conflict:
        if case is None:
            return Conflict(number, None, None)
        by = s.scalar(select(User.name).where(User.id == case.updated_by_id)) if case.updated_by_id else None
        mine = who is not None and case.updated_by_id == who.id
        return Conflict(case.number, by, case.updated_at, case.state, mine=mine)

    def _check_photos(self, photos: Sequence[Photo]) -> list[Photo]:
        photos = list(photos)
        if len(photos) > MAX_PHOTOS:
            raise InvalidInput("photos", f"at most {MAX_PHOTOS} photos per step")
        out = []
        for ph in photos:
            if not ph.content:
                raise InvalidInput("photos", f"{ph.filename} is empty")
            if len(ph.filename) > 255:
                raise InvalidInput("photos", f"{ph.filename[:40]}…: the file name is longer than 255 characters")
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
            filename=ph.filename,
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
        submission_id: str | None = None,
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
        description = _text(description, "description", required=True, max_len=limits.DESCRIPTION)
        address = _text(address, "address", required=False, max_len=limits.ADDRESS)
        reporter_name = _text(reporter_name, "reporter", required=False, max_len=limits.PERSON_NAME)
        reporter_phone = _text(reporter_phone, "phone", required=False, max_len=limits.PHONE)
        note = _text(note, "note", required=False, max_len=limits.NOTE)
        photos = self._check_photos(photos)

        def once(sid, started):
            for attempt in range(3):
                try:
                    return self._report_once(
                        actor, source, description, lon, lat, grid_id, address, category_id, component_id,
                        reporter_name, reporter_phone, self_handled, photos, note, sid, started, within,
                    )
                except _NumberRace:
                    if attempt == 2:
                        raise
            raise AssertionError("unreachable")

        return self._submit(submission_id, once)

    def _report_once(
        self, actor, source, description, lon, lat, grid_id, address, category_id, component_id,
        reporter_name, reporter_phone, self_handled, photos, note, sid, started, within=None,
    ) -> ActionResult:
        try:
            with self._write() as s, s.begin():
                who = self._load_actor(s, actor)
                started.append(True)
                replay = self._replay(s, who, sid, None)
                if replay is not None:
                    return replay
                rules = self._rules_in(s)
                if source.value not in rules.report_sources(who.position.value):
                    raise Forbidden("report", f"the position {who.position.value} cannot take {source.value} reports")
                pos = rules.positions.get(who.position.value)
                if self_handled and not (pos and pos.self_handle):
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
                    address=address,
                    grid_id=grid.id,
                    description=description,
                    reporter_name=reporter_name,
                    reporter_phone=reporter_phone,
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
                s.add(CaseSubmission(id=sid, case_id=case.id, event_id=ev.id, user_id=who.id, at=now,
                                     case_version=case.version))
                if within is not None:
                    within(s, case)
                record_change(s, "case", case.id, ev.action, who.id, now)
                s.flush()
                return ActionResult(case.id, case.number, case.state, case.version, ev.id)
        except IntegrityError as e:
            if "counter" in str(e.orig).lower():
                raise _NumberRace() from e
            if "case_submission" in str(e.orig).lower():
                raise _SameSubmission() from e
            raise
        except OperationalError as e:
            raise _Lost(e, bool(started)) from e
        except DBAPIError as e:
            if e.connection_invalidated:
                raise _Lost(e, bool(started)) from e
            raise

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

    def assign_verify(self, actor, case_id: int, supervisor_id: int, *, expected_version=None, submission_id=None, note="") -> ActionResult:
        """核实派遣: ask a supervisor to verify a hotline or public report on site."""

        def body(s, who, case, now):
            case.assignee_id = self._supervisor_for(s, case, supervisor_id, "verify").id
            return {"assignee_id": supervisor_id}

        return self._run(actor, case_id, expected_version, "assign_verify", body, note=note,
                         submission_id=submission_id)

    def _supervisor_for(self, s: Session, case: Case, supervisor_id: int, task: str) -> User:
        """The on-site worker for a 核实 or 核查 task: a position that does ``task`` here."""
        sup = s.get(User, supervisor_id)
        if sup is None or not sup.active or self._rules_in(s).grant(task, sup.position) is None:
            raise InvalidInput("supervisor", "choose an active supervisor")
        if sup.region_id is not None:
            path = s.scalar(select(Region.path).where(Region.id == sup.region_id))
            case_path = self._case_region_path(s, case)
            if not case_path or not path or not case_path.startswith(path):
                raise InvalidInput("supervisor", f"{sup.name} does not patrol the case's grid")
        return sup

    def verify(self, actor, case_id: int, *, confirmed: bool, expected_version=None, submission_id=None, note="", photos=()) -> ActionResult:
        """核实: a supervisor confirms on site that the reported problem is real (or not); the
        shift leader then files or voids it."""

        def body(s, who, case, now):
            case.state = S.TO_FILE.value
            case.verified_at = now
            case.assignee_id = None
            return {"confirmed": bool(confirmed)}

        note = _text(note, "note", required=not confirmed)
        return self._run(actor, case_id, expected_version, "verify", body, note=note, photos=photos,
                         submission_id=submission_id)

    def file(self, actor, case_id: int, *, category_id: int | None = None, expected_version=None, submission_id=None, note="") -> ActionResult:
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

        return self._run(actor, case_id, expected_version, "file", body, note=note, submission_id=submission_id)

    def void(self, actor, case_id: int, *, reason: str, expected_version=None, submission_id=None) -> ActionResult:
        """作废: the shift leader voids a report that is not real, a duplicate, or out of scope."""
        reason = _text(reason, "reason", required=True)

        def body(s, who, case, now):
            self._end(case, S.VOIDED, now)

        return self._run(actor, case_id, expected_version, "void", body, note=reason, submission_id=submission_id)

    def _end(self, case: Case, state: CaseState, now: datetime) -> None:
        case.state = state.value
        if state is S.VOIDED:
            case.voided_at = now
        else:
            case.closed_at = now
        case.assignee_id = None
        case.urged = False
        apply_clock(case, None)

    def dispatch(self, actor, case_id: int, *, department_id: int, expected_version=None, submission_id=None, note="") -> ActionResult:
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

        return self._run(actor, case_id, expected_version, "dispatch", body, note=note, submission_id=submission_id)

    def change_level(self, actor, case_id: int, *, level: CommandLevel | str, reason: str, expected_version=None, submission_id=None) -> ActionResult:
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

        return self._run(actor, case_id, expected_version, "change_level", body, note=reason,
                         submission_id=submission_id)

    # ---- requests that wait for an approver

    def _request(self, actor, case_id, expected_version, kind: RequestKind, reason: str, hours=None,
                 submission_id=None) -> ActionResult:
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

        return self._run(actor, case_id, expected_version, f"request_{kind.value}", body, note=reason,
                         submission_id=submission_id)

    def request_return(self, actor, case_id: int, *, reason: str, expected_version=None, submission_id=None) -> ActionResult:
        """回退 request: the department says the case is not theirs; the dispatcher decides."""
        return self._request(actor, case_id, expected_version, RequestKind.RETURN, _text(reason, "reason", required=True),
                             submission_id=submission_id)

    def request_extension(self, actor, case_id: int, *, hours: float, reason: str, expected_version=None, submission_id=None) -> ActionResult:
        """延期 request: more working hours to handle the case; the dispatcher decides."""
        try:
            hours = float(hours)
        except (TypeError, ValueError):
            raise InvalidInput("hours", "a number of working hours") from None
        if not 0 < hours <= 24 * 30:
            raise InvalidInput("hours", "between 0 and 720 working hours")
        return self._request(
            actor, case_id, expected_version, RequestKind.EXTENSION, _text(reason, "reason", required=True), hours,
            submission_id=submission_id,
        )

    def request_park(self, actor, case_id: int, *, reason: str, expected_version=None, submission_id=None) -> ActionResult:
        """挂账 request: the case cannot be solved now (budget, season); the clock would stop."""
        return self._request(actor, case_id, expected_version, RequestKind.PARK, _text(reason, "reason", required=True),
                             submission_id=submission_id)

    def request_void(self, actor, case_id: int, *, reason: str, expected_version=None, submission_id=None) -> ActionResult:
        """作废 request from intake or dispatch; the shift leader decides."""
        return self._request(actor, case_id, expected_version, RequestKind.VOID, _text(reason, "reason", required=True),
                             submission_id=submission_id)

    def decide(self, actor, request_id: int, *, approve: bool, expected_version=None, submission_id=None, note="") -> ActionResult:
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

        return self._run(actor, case_id, expected_version, "decide", body, note=note, check_rule=False,
                         submission_id=submission_id)

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

    def resume(self, actor, case_id: int, *, expected_version=None, submission_id=None, note="") -> ActionResult:
        """挂账恢复: the parked case goes back to handling; the parked time stays uncounted."""

        def body(s, who, case, now):
            parked = self.calendar.elapsed(case.parked_at or now, now, TimeUnit(case.stage_unit))
            case.state = S.HANDLING.value
            case.parked_at = None
            self._reclock(case, parked=(case.parked_minutes or 0) + parked)
            return {"parked_minutes": round(parked, 2)}

        return self._run(actor, case_id, expected_version, "resume", body, note=note, submission_id=submission_id)

    # ---- handling, re-check, close

    def feedback(self, actor, case_id: int, *, note: str, photos: Sequence[Photo] = (), expected_version=None, submission_id=None) -> ActionResult:
        """处置反馈: the department reports the problem fixed, with photos."""
        note = _text(note, "note", required=True)

        def body(s, who, case, now):
            case.state = S.TO_CHECK.value
            case.handled_at = now
            self._start(case, Stage.CHECK, self._category(s, case), now)

        return self._run(actor, case_id, expected_version, "feedback", body, note=note, photos=photos,
                         submission_id=submission_id)

    def assign_check(self, actor, case_id: int, supervisor_id: int, *, expected_version=None, submission_id=None, note="") -> ActionResult:
        """核查派遣: ask a supervisor to re-check the result on site."""

        def body(s, who, case, now):
            case.assignee_id = self._supervisor_for(s, case, supervisor_id, "recheck").id
            return {"assignee_id": supervisor_id}

        return self._run(actor, case_id, expected_version, "assign_check", body, note=note, submission_id=submission_id)

    def recheck(self, actor, case_id: int, *, fixed: bool, expected_version=None, submission_id=None, note="", photos=()) -> ActionResult:
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

        return self._run(actor, case_id, expected_version, "recheck", body, note=note, photos=photos,
                         submission_id=submission_id)

    def close(self, actor, case_id: int, *, expected_version=None, submission_id=None, note="") -> ActionResult:
        """结案."""

        def body(s, who, case, now):
            self._end(case, S.CLOSED, now)

        return self._run(actor, case_id, expected_version, "close", body, note=note, submission_id=submission_id)

    def rework(self, actor, case_id: int, *, reason: str, expected_version=None, submission_id=None) -> ActionResult:
        """返工: the shift leader finds the result not acceptable and sends it back to dispatch."""
        reason = _text(reason, "reason", required=True)

        def body(s, who, case, now):
            dept = case.current_department_id  # the event names the department whose work failed
            case.rework_count += 1
            case.state = S.TO_DISPATCH.value
            case.current_department_id = None
            self._start(case, Stage.DISPATCH, self._category(s, case), now)
            return {"_department_id": dept}

        return self._run(actor, case_id, expected_version, "rework", body, note=reason, submission_id=submission_id)

    def urge(self, actor, case_id: int, *, opinion: str, expected_version=None, submission_id=None) -> ActionResult:
        """督办: a leader's written opinion; the department must reply."""
        opinion = _text(opinion, "opinion", required=True)

        def body(s, who, case, now):
            case.urged = True
            case.urge_count += 1
            return {"opinion": opinion}

        return self._run(actor, case_id, expected_version, "urge", body, note=opinion, submission_id=submission_id)

    def reply_urge(self, actor, case_id: int, *, reply: str, expected_version=None, submission_id=None) -> ActionResult:
        reply = _text(reply, "reply", required=True)

        def body(s, who, case, now):
            case.urged = False
            return {"reply": reply}

        return self._run(actor, case_id, expected_version, "reply_urge", body, note=reply, submission_id=submission_id)

    def review_self(self, actor, case_id: int, *, approve: bool, expected_version=None, submission_id=None, note="") -> ActionResult:
        """自处理审核: approve a supervisor's on-the-spot fix (closed), or file it normally."""
        note = _text(note, "note", required=not approve)

        def body(s, who, case, now):
            if approve:
                self._end(case, S.CLOSED, now)
            else:
                case.state = S.TO_FILE.value
                self._start(case, Stage.FILE, self._category(s, case), now)
            return {"approved": bool(approve)}

        return self._run(actor, case_id, expected_version, "review_self", body, note=note, submission_id=submission_id)

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


class _SameSubmission(Exception):
    """Another call with the same submission id committed first."""


class _Lost(Exception):
    """The connection broke during a submission (``unsure``: maybe after it was committed)."""

    def __init__(self, error: DBAPIError, unsure: bool) -> None:
        orig = getattr(error, "orig", None)
        self.detail = str(orig).strip().splitlines()[0] if orig and str(orig).strip() else str(error).splitlines()[0]
        self.unsure = unsure
        super().__init__(self.detail)


def submission_key(value: str | None) -> str:
    """A desk's submission id as stored (a UUID); a fresh one when the caller gave none."""
    if value is None:
        return str(uuid.uuid4())
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        raise InvalidInput("submission", "not a UUID") from None


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
