"""Profiles: a city's shape shipped as a file (``resources/profiles/NAME.toml``): its region
levels and its workflow rules (positions, who may do what from which states within which
scope, who approves, who takes reports). ``docs/profiles.md`` describes each one.

``plan`` compares a profile with a center; ``apply`` puts it in force on an empty center (no
regions, no cases) in one transaction, with the audit (``config_change``) and the change feed.
On a center that already works, a profile is only shown as a difference: levels cannot be
swapped under existing regions, and rule changes there are the rules page's business (one
cell at a time, each checked).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, delete, func, select

from gridstation.admin import workflow_rules
from gridstation.admin.common import Tx
from gridstation.cases import rules
from gridstation.errors import InvalidInput, NotFound
from gridstation.store.db import record_change, session_factory, writer
from gridstation.store.model import Case, Region, RegionLevel, User

MIN_LEVELS, MAX_LEVELS = 2, 6


@dataclass(frozen=True)
class Level:
    key: str
    name: str
    name_en: str = ""


@dataclass(frozen=True)
class Profile:
    name: str
    title: str
    description: str
    levels: list[Level]
    rules: rules.RuleSet
    walks: list[dict] = field(default_factory=list)


def _levels(raw) -> list[Level]:
    out: list[Level] = []
    for i, lv in enumerate(raw or [], start=1):
        if not isinstance(lv, dict) or not str(lv.get("key", "")).strip() or not str(lv.get("name", "")).strip():
            raise InvalidInput("levels", f"level {i} needs a key and a name")
        out.append(Level(str(lv["key"]).strip(), str(lv["name"]).strip(), str(lv.get("name_en", "")).strip()))
    check_levels(out)
    return out


def check_levels(levels: list[Level]) -> None:
    if not MIN_LEVELS <= len(levels) <= MAX_LEVELS:
        raise InvalidInput("levels", f"from {MIN_LEVELS} to {MAX_LEVELS} levels, not {len(levels)}")
    keys = [lv.key for lv in levels]
    if len(set(keys)) != len(keys):
        raise InvalidInput("levels", "every level needs its own key")
    for k in keys:
        if not k.isascii() or not k.replace("_", "").isalnum() or len(k) > 32:
            raise InvalidInput("levels", f"level key {k!r}: ASCII letters, digits or _, at most 32")


def load_profile(name: str) -> Profile:
    """A shipped profile by name (or a .toml file by path), checked: levels and rules."""
    data = rules.profile_data(name)
    prof = data.get("profile", {})
    pname = str(prof.get("name") or name)
    rs = rules.validate(rules.from_dict(data, name=pname))
    levels = _levels(data.get("regions", {}).get("levels"))
    known = {lv.key for lv in levels}
    for p in rs.positions.values():
        if p.level and p.level not in known:
            raise InvalidInput("positions", f"position {p.key} sits at level {p.level!r}, which the profile lacks")
    return Profile(pname, str(prof.get("title", "")), str(prof.get("description", "")), levels, rs,
                   list(data.get("walk", [])))


def available() -> list[Profile]:
    return [load_profile(n) for n in rules.profile_names()]


@dataclass
class Plan:
    profile: Profile
    regions: int
    cases: int
    level_changes: list[str]
    rule_changes: list[rules.Difference]

    @property
    def empty_center(self) -> bool:
        return self.regions == 0 and self.cases == 0

    @property
    def is_empty(self) -> bool:
        return not self.level_changes and not self.rule_changes

    def lines(self) -> list[str]:
        out = [f"profile {self.profile.name}: {self.profile.title}"]
        if self.is_empty:
            out.append("  the center already has this shape: nothing to change")
        for c in self.level_changes:
            out.append(f"  levels   {c}")
        out += [f"  {line}" for line in rules.summarize(self.rule_changes)]
        return out


def _current_levels(s) -> list[Level]:
    return [Level(r.key, r.name, r.name_en or "") for r in s.scalars(select(RegionLevel).order_by(RegionLevel.depth))]


def _fmt(lv: Level | None) -> str:
    return f"{lv.key}={lv.name}" if lv else "—"


def _level_changes(old: list[Level], new: list[Level]) -> list[str]:
    out = []
    for i in range(max(len(old), len(new))):
        a = old[i] if i < len(old) else None
        b = new[i] if i < len(new) else None
        if a != b:
            out.append(f"depth {i + 1}: {_fmt(a)} → {_fmt(b)}")
    return out


def plan(engine: Engine, name: str) -> Plan:
    prof = load_profile(name)
    with session_factory(engine)() as s:
        regions = s.scalar(select(func.count()).select_from(Region)) or 0
        cases = s.scalar(select(func.count()).select_from(Case)) or 0
        return Plan(prof, regions, cases, _level_changes(_current_levels(s), prof.levels),
                    rules.diff(rules.load(s), prof.rules))


@contextmanager
def operator_tx(engine: Engine, as_login: str | None = None,
                clock: Callable[[], datetime] = datetime.now) -> Iterator[Tx]:
    """A configuration transaction from the command line: the operator at the server is trusted
    (like ``gridstation users add``); ``as_login`` names him in the audit when given."""
    factory = session_factory(writer(engine))
    with factory() as s, s.begin():
        uid = None
        if as_login:
            uid = s.scalar(select(User.id).where(User.login == as_login))
            if uid is None:
                raise NotFound("user", as_login)
        tx = Tx(s=s, user_id=uid, login=as_login or "(command line)", now=clock().replace(microsecond=0))
        yield tx
        s.flush()
        for entity, entity_id, action in tx._feed:
            record_change(s, entity, entity_id, action, uid, tx.now)


def write_levels(tx: Tx, levels: list[Level]) -> None:
    """Replace the region levels (only while no region exists)."""
    check_levels(levels)
    if (tx.s.scalar(select(func.count()).select_from(Region)) or 0) > 0:
        raise InvalidInput("levels", "regions exist: levels can only be added between existing ones")
    old = _current_levels(tx.s)
    tx.s.execute(delete(RegionLevel))
    tx.s.flush()
    for depth, lv in enumerate(levels, start=1):
        tx.s.add(RegionLevel(depth=depth, key=lv.key, name=lv.name, name_en=lv.name_en))
    tx.audit("region_level", "levels", "levels", ", ".join(f"{lv.key}={lv.name}" for lv in old) or None,
             ", ".join(f"{lv.key}={lv.name}" for lv in levels))
    tx.changed("region", None, "levels")


def apply(engine: Engine, name: str, *, as_login: str | None = None) -> Plan:
    """Put a profile in force on an empty center; InvalidInput (nothing written) otherwise."""
    p = plan(engine, name)
    if not p.empty_center:
        raise InvalidInput("profile", f"the center already has {p.regions} regions and {p.cases} cases: a profile "
                                      "is applied to an empty center only (see the difference with 'profile diff')")
    with operator_tx(engine, as_login) as tx:
        if p.level_changes:
            write_levels(tx, p.profile.levels)
        workflow_rules.put_in_force(tx, p.profile.rules, note=p.profile.name)
    return p
