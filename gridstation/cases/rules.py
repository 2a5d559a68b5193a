"""The workflow's rules as data: read from the database, written back, checked as a whole.

A ``RuleSet`` is what ``wf_*`` tables hold (``gridstation.cases.model``): positions, the
actions each position may take from which case states within which scope, who approves which
request, who takes reports from which source. Profiles (``resources/profiles/*.toml``) are
rule sets shipped as files; ``docs/workflow-rules.md`` describes the format.

``validate`` refuses a rule set that breaks the closed loop (../shared/domain.md §2): a state a
case cannot leave, a case that can never be closed, a dispatched case that can be closed
without an on-site re-check where the profile demands one, an action nobody may take.

Qt-free; no workflow internals (the workflow imports this module, not the other way round).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from gridstation.cases.model import (
    WorkflowAction,
    WorkflowApprover,
    WorkflowPosition,
    WorkflowProfile,
    WorkflowReportSource,
    WorkflowRule,
)
from gridstation.errors import InvalidInput
from gridstation.store.model import CaseSource, CaseState, Position

S = CaseState

SCOPES = ("region", "command", "department", "none")
CENTERS = ("supervision", "command", "department", "leadership", "system", "")
COMMAND_LEVELS = ("district", "street")
TERMINAL = frozenset({S.CLOSED.value, S.VOIDED.value})
OPEN = tuple(s.value for s in CaseState if s.value not in TERMINAL)
PRE_DISPATCH = frozenset({S.TO_VERIFY.value, S.TO_FILE.value, S.TO_DISPATCH.value})


@dataclass(frozen=True)
class ActionDef:
    key: str
    name: str  # Chinese
    name_en: str
    blocked_by_request: bool = True


# The actions the workflow implements, in the order of the loop. What each does is code; the
# states it may lead to (for the validator) are ``EFFECTS``.
ACTIONS: tuple[ActionDef, ...] = (
    ActionDef("assign_verify", "核实派遣", "Assign verification", False),
    ActionDef("verify", "核实", "Verify"),
    ActionDef("file", "立案", "File"),
    ActionDef("void", "作废", "Void"),
    ActionDef("request_void", "申请作废", "Request voiding"),
    ActionDef("dispatch", "派遣", "Dispatch"),
    ActionDef("change_level", "转派层级", "Change command level"),
    ActionDef("request_return", "申请回退", "Request return"),
    ActionDef("request_extension", "申请延期", "Request extension"),
    ActionDef("request_park", "申请挂账", "Request parking"),
    ActionDef("feedback", "处置反馈", "Feedback"),
    ActionDef("resume", "挂账恢复", "Resume"),
    ActionDef("assign_check", "核查派遣", "Assign re-check", False),
    ActionDef("recheck", "核查", "Re-check"),
    ActionDef("close", "结案", "Close"),
    ActionDef("rework", "返工", "Rework"),
    ActionDef("urge", "督办", "Urge", False),
    ActionDef("reply_urge", "督办回复", "Reply to urging", False),
    ActionDef("review_self", "自处理审核", "Review self-handling"),
    ActionDef("decide", "审批", "Decide a request", False),
)
ACTION_KEYS = tuple(a.key for a in ACTIONS)

EFFECTS: dict[str, frozenset[str]] = {
    "assign_verify": frozenset(),
    "verify": frozenset({S.TO_FILE.value}),
    "file": frozenset({S.TO_DISPATCH.value}),
    "void": frozenset({S.VOIDED.value}),
    "request_void": frozenset(),
    "dispatch": frozenset({S.HANDLING.value}),
    "change_level": frozenset(),
    "request_return": frozenset(),
    "request_extension": frozenset(),
    "request_park": frozenset(),
    "feedback": frozenset({S.TO_CHECK.value}),
    "resume": frozenset({S.HANDLING.value}),
    "assign_check": frozenset(),
    "recheck": frozenset({S.TO_CLOSE.value, S.TO_DISPATCH.value}),
    "close": frozenset({S.CLOSED.value}),
    "rework": frozenset({S.TO_DISPATCH.value}),
    "urge": frozenset(),
    "reply_urge": frozenset(),
    "review_self": frozenset({S.CLOSED.value, S.TO_FILE.value}),
    "decide": frozenset(),
}
#: A request action and the kind of request it files; what an approval then does.
REQUESTS = {"request_return": "return", "request_extension": "extension", "request_park": "park",
            "request_void": "void"}
APPROVED = {"return": frozenset({S.TO_DISPATCH.value}), "extension": frozenset(),
            "park": frozenset({S.PARKED.value}), "void": frozenset({S.VOIDED.value})}


class PositionKey(str):
    """A position defined in the rules beyond the built-in ``Position`` values. Behaves like
    the enum where code reads ``.value``."""

    @property
    def value(self) -> str:
        return str(self)


def as_position(key: str) -> Position | PositionKey:
    """The built-in ``Position`` for a known key, else the key itself (a profile's own)."""
    try:
        return Position(key)
    except ValueError:
        return PositionKey(key)


@dataclass(frozen=True)
class PositionDef:
    key: str
    name: str
    role: str
    name_en: str = ""
    center: str = ""
    command_level: str | None = None
    level: str | None = None
    self_handle: bool = False
    reports: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Grant:
    """``position`` may take ``action`` on a case in one of ``states`` within ``scope``."""

    action: str
    position: str
    states: frozenset[str]
    scope: str = "region"


@dataclass(frozen=True)
class RuleSet:
    name: str
    positions: dict[str, PositionDef]
    grants: dict[tuple[str, str], Grant]
    approvers: dict[tuple[str, str], str]  # (request kind, position) -> scope
    require_recheck: bool = True
    title: str = ""
    blocked: dict[str, bool] = field(default_factory=lambda: {a.key: a.blocked_by_request for a in ACTIONS})
    revision: int = 0

    # ---- questions the workflow asks

    def grant(self, action: str, position: str) -> Grant | None:
        return self.grants.get((action, str(position)))

    def positions_for(self, action: str) -> frozenset[str]:
        return frozenset(p for (a, p), g in self.grants.items() if a == action and g.states)

    def states_for(self, action: str) -> frozenset[str]:
        out: set[str] = set()
        for (a, _p), g in self.grants.items():
            if a == action:
                out |= g.states
        return frozenset(out)

    def approvers_of(self, kind: str) -> frozenset[str]:
        return frozenset(p for (k, p) in self.approvers if k == kind)

    def approvals_of(self, position: str) -> list[str]:
        return [k for k in APPROVED if (k, str(position)) in self.approvers]

    def report_sources(self, position: str) -> frozenset[str]:
        p = self.positions.get(str(position))
        return p.reports if p else frozenset()

    def command_level_of(self, position: str) -> str:
        p = self.positions.get(str(position))
        return (p.command_level if p else None) or "district"

    def role_of(self, position: str) -> str:
        p = self.positions.get(str(position))
        return p.role if p else str(position)

    def is_blocked(self, action: str) -> bool:
        return self.blocked.get(action, True)

    # ---- as plain data (profile files, audit, diff)

    def to_dict(self) -> dict:
        return {
            "profile": {"name": self.name, "title": self.title, "require_recheck": self.require_recheck},
            "positions": [
                {k: v for k, v in {
                    "key": p.key, "name": p.name, "name_en": p.name_en, "role": p.role, "center": p.center,
                    "command_level": p.command_level, "level": p.level, "self_handle": p.self_handle,
                    "reports": sorted(p.reports),
                }.items() if v not in (None, "", [], False) or k in ("key", "name", "role")}
                for p in self.positions.values()
            ],
            "actions": [{"key": a, "blocked_by_request": b} for a, b in self.blocked.items()
                        if b != _DEFAULT_BLOCKED.get(a)],
            "rules": [
                {"action": g.action, "position": g.position, "states": _ordered_states(g.states), "scope": g.scope}
                for g in sorted(self.grants.values(), key=_grant_order)
            ],
            "approvals": [
                {"kind": k, "position": p, "scope": sc} for (k, p), sc in sorted(self.approvers.items())
            ],
        }

    def facts(self) -> dict[tuple[str, str, str], str]:
        """Every setting as (entity, key, field) → text: what a diff and the audit compare."""
        out: dict[tuple[str, str, str], str] = {
            ("profile", "1", "name"): self.name,
            ("profile", "1", "require_recheck"): "true" if self.require_recheck else "false",
        }
        for p in self.positions.values():
            for f in ("name", "name_en", "role", "center", "command_level", "level"):
                out[("position", p.key, f)] = getattr(p, f) or ""
            out[("position", p.key, "self_handle")] = "true" if p.self_handle else "false"
            out[("position", p.key, "reports")] = ",".join(sorted(p.reports))
        for (a, p), g in self.grants.items():
            out[("rule", f"{a}/{p}", "states")] = ",".join(_ordered_states(g.states))
            out[("rule", f"{a}/{p}", "scope")] = g.scope
        for (k, p), sc in self.approvers.items():
            out[("approval", f"{k}/{p}", "scope")] = sc
        for a, b in self.blocked.items():
            out[("action", a, "blocked_by_request")] = "true" if b else "false"
        return out


_DEFAULT_BLOCKED = {a.key: a.blocked_by_request for a in ACTIONS}
_STATE_ORDER = {s.value: i for i, s in enumerate(CaseState)}
_ACTION_ORDER = {a: i for i, a in enumerate(ACTION_KEYS)}


def _ordered_states(states: Iterable[str]) -> list[str]:
    return sorted(states, key=lambda s: _STATE_ORDER.get(s, 99))


def _grant_order(g: Grant):
    return (_ACTION_ORDER.get(g.action, 99), g.position)


@dataclass(frozen=True)
class Difference:
    entity: str
    key: str
    field: str
    old: str | None
    new: str | None

    def __str__(self) -> str:
        return f"{self.entity} {self.key} {self.field}: {self.old or '—'} → {self.new or '—'}"


def diff(old: RuleSet | None, new: RuleSet) -> list[Difference]:
    a = old.facts() if old else {}
    b = new.facts()
    return [Difference(e, k, f, a.get((e, k, f)) or None, b.get((e, k, f)) or None)
            for (e, k, f) in sorted(set(a) | set(b)) if (a.get((e, k, f)) or None) != (b.get((e, k, f)) or None)]


def summarize(changes: list[Difference]) -> list[str]:
    """One line per changed thing: "+ position grid_leader (name 网格长, role supervisor)",
    "- rule recheck/supervisor", "~ position dispatcher: name 派遣员 → 区县派遣员"."""
    by: dict[tuple[str, str], list[Difference]] = {}
    for d in changes:
        by.setdefault((d.entity, d.key), []).append(d)
    out = []
    for (entity, key), ds in by.items():
        if all(d.old is None for d in ds):
            out.append(f"+ {entity} {key} (" + ", ".join(f"{d.field} {d.new}" for d in ds) + ")")
        elif all(d.new is None for d in ds):
            out.append(f"- {entity} {key}")
        else:
            out.append(f"~ {entity} {key}: " + "; ".join(f"{d.field} {d.old or '—'} → {d.new or '—'}" for d in ds))
    return out


# --------------------------------------------------------------------------- from plain data


def from_dict(data: Mapping, *, name: str | None = None) -> RuleSet:
    """A rule set from the dictionary form (a profile file's tables); InvalidInput if malformed."""
    try:
        prof = data.get("profile", {})
        flow = data.get("workflow", data)
        positions: dict[str, PositionDef] = {}
        for p in data.get("positions", []):
            key = str(p["key"]).strip()
            if key in positions:
                raise InvalidInput("positions", f"position {key} is listed twice")
            positions[key] = PositionDef(
                key=key, name=str(p.get("name", key)), role=str(p.get("role", key)), name_en=str(p.get("name_en", "")),
                center=str(p.get("center", "")), command_level=p.get("command_level") or None,
                level=p.get("level") or None, self_handle=bool(p.get("self_handle", False)),
                reports=frozenset(str(x) for x in p.get("reports", [])),
            )
        grants: dict[tuple[str, str], Grant] = {}
        for r in flow.get("rules", []):
            pos_list = r["position"] if isinstance(r["position"], list) else [r["position"]]
            for pos in pos_list:
                key = (str(r["action"]), str(pos))
                if key in grants:
                    raise InvalidInput("rules", f"{key[0]} for {key[1]} is listed twice")
                grants[key] = Grant(key[0], key[1], frozenset(str(s) for s in r["states"]), str(r.get("scope", "region")))
        approvers: dict[tuple[str, str], str] = {}
        for r in flow.get("approvals", []):
            pos_list = r["position"] if isinstance(r["position"], list) else [r["position"]]
            for pos in pos_list:
                approvers[(str(r["kind"]), str(pos))] = str(r.get("scope", "command"))
        blocked = dict(_DEFAULT_BLOCKED)
        for a in flow.get("actions", []):
            blocked[str(a["key"])] = bool(a["blocked_by_request"])
    except (KeyError, TypeError, AttributeError) as e:
        raise InvalidInput("rules", f"malformed rule data ({type(e).__name__}: {e})") from None
    return RuleSet(
        name=str(name or prof.get("name", "custom")), title=str(prof.get("title", "")),
        require_recheck=bool(prof.get("require_recheck", True)),
        positions=positions, grants=grants, approvers=approvers, blocked=blocked,
    )


# --------------------------------------------------------------------------- the validator


@dataclass(frozen=True)
class Problem:
    """One reason a rule set is refused; ``code`` is stable (the GUI translates it)."""

    code: str
    subject: str
    message: str

    def __str__(self) -> str:
        return self.message


class InvalidRules(InvalidInput):
    """The rules break the closed loop or refer to unknown things; nothing was changed."""

    kind = "invalid_rules"

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("rules", "; ".join(p.message for p in problems))


def _edges(rs: RuleSet, *, without: frozenset[str] = frozenset()) -> dict[str, set[str]]:
    """state → states a case can move to, by some position's granted action (requests count
    through their approval when somebody approves them)."""
    out: dict[str, set[str]] = {s: set() for s in OPEN}
    for (action, _pos), g in rs.grants.items():
        if action in without:
            continue
        for st in g.states:
            if st not in out:
                continue
            targets = set(EFFECTS.get(action, ()))
            kind = REQUESTS.get(action)
            if kind and rs.approvers_of(kind):
                targets |= APPROVED[kind] if (kind != "void" or st in PRE_DISPATCH) else set()
            out[st] |= targets - {st}
    return out


def _reach(edges: dict[str, set[str]], start: Iterable[str]) -> set[str]:
    seen, todo = set(), list(start)
    while todo:
        s = todo.pop()
        if s in seen:
            continue
        seen.add(s)
        todo.extend(edges.get(s, ()))
    return seen


def entry_states(rs: RuleSet) -> set[str]:
    """Where a new case starts: 待立案 for a supervisor's report, 待核实 for the others,
    自处理待审核 for an on-the-spot fix."""
    out: set[str] = set()
    for p in rs.positions.values():
        if CaseSource.SUPERVISOR.value in p.reports:
            out.add(S.TO_FILE.value)
        if p.reports - {CaseSource.SUPERVISOR.value}:
            out.add(S.TO_VERIFY.value)
        if p.self_handle:
            out.add(S.SELF_REVIEW.value)
    return out


def problems(rs: RuleSet, *, in_use: Iterable[str] = ()) -> list[Problem]:
    """Everything wrong with ``rs`` (empty when it may be put in force). ``in_use``: position
    keys users hold now, which may not disappear."""
    out: list[Problem] = []

    def bad(code, subject, message):
        out.append(Problem(code, subject, message))

    roles = {p.value for p in Position}
    sources = {s.value for s in CaseSource}
    states = {s.value for s in CaseState}
    if not rs.positions:
        bad("no_positions", "", "there are no positions")
    for p in rs.positions.values():
        if not p.key or len(p.key) > 24 or not p.key.replace("_", "").isalnum() or not p.key.isascii():
            bad("bad_key", p.key, f"position key {p.key!r}: 1–24 ASCII letters, digits or _")
        if not p.name.strip():
            bad("no_name", p.key, f"position {p.key} has no name")
        if p.role not in roles:
            bad("bad_role", p.key, f"position {p.key}: unknown role {p.role!r} (one of {', '.join(sorted(roles))})")
        if p.center not in CENTERS:
            bad("bad_center", p.key, f"position {p.key}: unknown center {p.center!r}")
        if p.command_level not in (None, *COMMAND_LEVELS):
            bad("bad_level", p.key, f"position {p.key}: unknown command level {p.command_level!r}")
        for src in p.reports - sources:
            bad("bad_source", p.key, f"position {p.key}: unknown report source {src!r}")
        if p.self_handle and CaseSource.SUPERVISOR.value not in p.reports:
            bad("self_handle_no_report", p.key, f"position {p.key} self-handles but takes no supervisor reports")
    for key in sorted(set(in_use) - set(rs.positions)):
        bad("position_in_use", key, f"position {key} is held by users and cannot be removed")
    for (action, pos), g in rs.grants.items():
        if action not in EFFECTS:
            bad("bad_action", action, f"unknown action {action!r}")
        if pos not in rs.positions:
            bad("unknown_position", pos, f"{action}: unknown position {pos!r}")
        elif rs.positions[pos].role in (Position.WALL.value, Position.ADMIN.value):
            bad("read_only_acts", pos, f"{action}: position {pos} ({rs.positions[pos].role}) may not act on cases")
        if g.scope not in SCOPES:
            bad("bad_scope", f"{action}/{pos}", f"{action} for {pos}: unknown scope {g.scope!r}")
        for st in g.states - states:
            bad("bad_state", f"{action}/{pos}", f"{action} for {pos}: unknown state {st!r}")
        for st in g.states & TERMINAL:
            bad("terminal_state", f"{action}/{pos}", f"{action} for {pos}: a {st} case takes no actions")
    for (kind, pos), sc in rs.approvers.items():
        if kind not in APPROVED:
            bad("bad_kind", kind, f"unknown request kind {kind!r}")
        if pos not in rs.positions:
            bad("unknown_position", pos, f"approval of {kind}: unknown position {pos!r}")
        if sc not in SCOPES:
            bad("bad_scope", f"{kind}/{pos}", f"approval of {kind} by {pos}: unknown scope {sc!r}")
        if rs.grant("decide", pos) is None:
            bad("approver_cannot_decide", pos, f"{pos} approves {kind} requests but may not decide")
    for a in rs.blocked:
        if a not in EFFECTS:
            bad("bad_action", a, f"unknown action {a!r}")
    if out:
        return out  # the loop checks below need well-formed rules

    # An action nobody may take.
    for a in ACTION_KEYS:
        if not rs.positions_for(a):
            bad("nobody_acts", a, f"nobody may take the action {a}")
    for action, kind in REQUESTS.items():
        if rs.positions_for(action) and not rs.approvers_of(kind):
            bad("nobody_approves", kind, f"{action} can be asked but nobody approves a {kind} request")
    for (a, p) in rs.grants:
        if a == "decide" and not rs.approvals_of(p):
            bad("decides_nothing", p, f"{p} may decide but approves no kind of request")
    if not entry_states(rs):
        bad("no_reports", "", "no position takes reports: no case can start")

    # The closed loop: every state a case can reach can be left, and leads to 结案 or 作废.
    edges = _edges(rs)
    reachable = _reach(edges, entry_states(rs))
    if S.CLOSED.value not in reachable:
        bad("never_closed", S.CLOSED.value, "no case can ever be closed")
    for st in sorted(reachable - TERMINAL, key=lambda s: _STATE_ORDER[s]):
        if not edges[st]:
            bad("dead_end", st, f"a case in state {st} cannot be left")
        elif S.CLOSED.value not in _reach(edges, [st]):
            # the loop closes: voiding is a way out, but every case must be able to reach 结案
            bad("no_way_out", st, f"from state {st} a case can never be closed")
    # 核查后结案: without the re-check, a dispatched case must not reach 结案.
    if (rs.require_recheck and S.HANDLING.value in reachable
            and S.CLOSED.value in _reach(_edges(rs, without=frozenset({"recheck"})), [S.HANDLING.value])):
            bad("close_without_recheck", S.CLOSED.value,
                "a dispatched case can be closed without an on-site re-check, which this profile demands")
    return out


def validate(rs: RuleSet, *, in_use: Iterable[str] = ()) -> RuleSet:
    found = problems(rs, in_use=in_use)
    if found:
        raise InvalidRules(found)
    return rs


# --------------------------------------------------------------------------- the database


def load(s: Session) -> RuleSet | None:
    """The rules in force, or None when the database holds none (apply a profile)."""
    prof = s.get(WorkflowProfile, 1)
    if prof is None:
        return None
    reports: dict[str, set[str]] = {}
    for r in s.scalars(select(WorkflowReportSource)):
        reports.setdefault(r.position, set()).add(r.source)
    positions = {
        p.key: PositionDef(p.key, p.name, p.role, p.name_en or "", p.center or "", p.command_level, p.level,
                           bool(p.self_handle), frozenset(reports.get(p.key, ())))
        for p in s.scalars(select(WorkflowPosition).order_by(WorkflowPosition.sort, WorkflowPosition.key))
    }
    by: dict[tuple[str, str], tuple[set[str], str]] = {}
    for r in s.scalars(select(WorkflowRule).order_by(WorkflowRule.id)):
        states, _scope = by.setdefault((r.action, r.position), (set(), r.scope))
        states.add(r.state)
    grants = {k: Grant(k[0], k[1], frozenset(st), sc) for k, (st, sc) in by.items()}
    approvers = {(a.request_kind, a.position): a.scope for a in s.scalars(select(WorkflowApprover))}
    blocked = dict(_DEFAULT_BLOCKED)
    blocked.update({a.key: bool(a.blocked_by_request) for a in s.scalars(select(WorkflowAction))})
    return RuleSet(prof.name, positions, grants, approvers, bool(prof.require_recheck), prof.title or "",
                   blocked, prof.revision)


def revision(s: Session) -> int | None:
    return s.scalar(select(WorkflowProfile.revision).where(WorkflowProfile.id == 1))


def store(s: Session, rs: RuleSet, *, now: datetime | None = None) -> int:
    """Replace the rules in force with ``rs`` (validated by the caller) in the caller's
    transaction; the new revision. The caller writes the audit and the change_log row."""
    prof = s.get(WorkflowProfile, 1)
    rev = (prof.revision if prof else 0) + 1
    s.execute(delete(WorkflowRule))
    s.execute(delete(WorkflowApprover))
    s.execute(delete(WorkflowReportSource))
    s.execute(delete(WorkflowPosition))
    s.execute(delete(WorkflowAction))
    s.flush()
    for i, a in enumerate(ACTIONS):
        s.add(WorkflowAction(key=a.key, name=a.name, name_en=a.name_en,
                             blocked_by_request=rs.blocked.get(a.key, a.blocked_by_request), sort=i))
    for i, p in enumerate(rs.positions.values()):
        s.add(WorkflowPosition(key=p.key, name=p.name, name_en=p.name_en, role=p.role, center=p.center,
                               command_level=p.command_level, level=p.level, self_handle=p.self_handle, sort=i))
    s.flush()
    for p in rs.positions.values():
        for src in sorted(p.reports):
            s.add(WorkflowReportSource(position=p.key, source=src))
    for g in sorted(rs.grants.values(), key=_grant_order):
        for st in _ordered_states(g.states):
            s.add(WorkflowRule(action=g.action, position=g.position, state=st, scope=g.scope))
    for (kind, pos), sc in sorted(rs.approvers.items()):
        s.add(WorkflowApprover(request_kind=kind, position=pos, scope=sc))
    if prof is None:
        prof = WorkflowProfile(id=1)
        s.add(prof)
    prof.name, prof.title, prof.require_recheck = rs.name, rs.title, rs.require_recheck
    prof.revision, prof.updated_at = rev, now
    s.flush()
    return rev


# --------------------------------------------------------------------------- profiles


def profiles_dir() -> Path:
    from gridstation.paths import resources_dir

    return resources_dir() / "profiles"


def profile_names() -> list[str]:
    return sorted(p.stem for p in profiles_dir().glob("*.toml"))


def read_profile_file(path: Path | str) -> dict:
    path = Path(path)
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise InvalidInput("profile", f"no profile file {path}") from None
    except tomllib.TOMLDecodeError as e:
        raise InvalidInput("profile", f"{path.name}: {e}") from None


def profile_data(name: str) -> dict:
    """A shipped profile's whole file (rules, levels, walk) by name, or a path to a .toml."""
    p = Path(name)
    if p.suffix == ".toml" and p.exists():
        return read_profile_file(p)
    path = profiles_dir() / f"{name}.toml"
    if not path.exists():
        raise InvalidInput("profile", f"unknown profile {name!r} (one of {', '.join(profile_names())})")
    return read_profile_file(path)


@cache
def default_ruleset() -> RuleSet:
    """The demo city's rules (``resources/profiles/demo.toml``): what a new database starts with."""
    return validate(from_dict(profile_data("demo"), name="demo"))


def with_grant(rs: RuleSet, action: str, position: str, states: Iterable[str] | None, scope: str = "region") -> RuleSet:
    """A copy of ``rs`` where ``position`` may take ``action`` from ``states`` (None: may not)."""
    grants = dict(rs.grants)
    states = None if states is None else list(states)
    if not states:
        grants.pop((action, position), None)
    else:
        grants[(action, position)] = Grant(action, position, frozenset(states), scope)
    return replace(rs, grants=grants)
