"""``gridstation simulate``: other workstations at work, through the real workflow service.

Keeps injecting reports and moving open cases along the loop, each step done by a user who
is allowed to (same rules, same transactions, same change feed as a person at a client),
so every open client sees live changes. Conflicts with real users are expected and skipped.

A database outage (server stopped or restarted, network gone) does not end a run: ``run()``
counts it, throws the engine's dead pooled connections away, waits with a back-off (0.5 s
doubling to 5 s) and carries on when the database is back.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError, OperationalError

from gridstation.store.db import session_factory
from gridstation.errors import GridStationError, Unavailable
from gridstation.store.model import OPEN_STATES, Case, CaseSource, Category, Position, Region, UnitGrid, User
from gridstation.cases.rules import as_position
from gridstation.cases.workflow import Actor, Workflow, why_not

# What a person would most likely do next in each state (action, weight).
NEXT: dict[str, list[tuple[str, float]]] = {
    "to_verify": [("verify", 1.0)],
    "to_file": [("file", 0.95), ("void", 0.05)],
    "to_dispatch": [("dispatch", 1.0)],
    "handling": [("feedback", 0.88), ("request_extension", 0.05), ("request_return", 0.03),
                 ("request_park", 0.02), ("reply_urge", 0.02)],
    "parked": [("resume", 1.0)],
    "to_check": [("recheck", 1.0)],
    "to_close": [("close", 0.97), ("rework", 0.03)],
    "self_review": [("review_self", 1.0)],
}

BACKOFF_FIRST = 0.5  # seconds to wait after the first failed step of an outage
BACKOFF_MAX = 5.0  # ... doubling up to this

PHRASES = ["路面有垃圾堆积", "井盖破损存在安全隐患", "人行道砖松动", "有游商占道经营", "墙面有小广告",
           "路灯不亮", "绿地内有垃圾", "施工围挡破损", "道路积水", "果皮箱满溢"]


@dataclass
class SimStats:
    actions: int = 0
    reports: int = 0
    conflicts: int = 0
    refused: int = 0
    steps: int = 0  # steps run() completed (failed ones count in errors instead)
    outages: int = 0  # times the database went away (one per outage, however long)
    errors: int = 0  # steps that failed because the database was unavailable
    by_action: dict[str, int] = field(default_factory=dict)


def is_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` means the database cannot be reached (rather than a bug or a refusal)."""
    if isinstance(exc, (Unavailable, OperationalError)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


class Simulator:
    def __init__(self, engine: Engine, *, seed: int | None = None, clock: Callable[[], datetime] = datetime.now):
        self.engine = engine
        self.wf = Workflow(engine, clock=clock)
        self.rng = random.Random(seed)
        self._load()

    def _load(self) -> None:
        with session_factory(self.engine)() as s:
            paths = dict(s.execute(select(Region.id, Region.path)).all())
            self.grid_path = {
                gid: paths.get(rid, "") for gid, rid in s.execute(select(UnitGrid.id, UnitGrid.region_id).where(UnitGrid.valid_to.is_(None)))
            }
            self.grid_center = {
                gid: (lon, lat) for gid, lon, lat in s.execute(select(UnitGrid.id, UnitGrid.center_lon, UnitGrid.center_lat))
            }
            self.leaf_categories = list(
                s.scalars(select(Category.id).where(Category.is_leaf, Category.retired.is_(False)))
            )
            self.rules = self.wf._rules_in(s)
            self.actors = [
                Actor(u.id, u.login, u.name, as_position(u.position), u.region_id, paths.get(u.region_id),
                      u.department_id, self.rules.role_of(u.position), self.rules.command_level_of(u.position))
                for u in s.scalars(select(User).where(User.active))
            ]
        if not self.grid_path or not self.leaf_categories:
            raise GridStationError("the database has no grids or categories: build the demo city first (gridstation demo)")

    def _who(self, case: Case, action: str) -> Actor | None:
        path = self.grid_path.get(case.grid_id)
        able = [a for a in self.actors if why_not(a, case, action, path, rules=self.rules) is None]
        return self.rng.choice(able) if able else None

    def step(self, stats: SimStats) -> None:
        if self.rng.random() < 0.3:
            self._report(stats)
            return
        with session_factory(self.engine)() as s:
            recent = s.scalars(
                select(Case).where(Case.state.in_([st.value for st in OPEN_STATES])).order_by(Case.id.desc()).limit(300)
            ).all()
        if not recent:
            self._report(stats)
            return
        case = self.rng.choice(recent)
        try:
            if case.pending_request_id is not None:
                approvers = [a for a in self.actors if a.position in (Position.DISPATCHER, Position.STREET_DISPATCHER, Position.SHIFT_LEADER)]
                self.rng.shuffle(approvers)
                for a in approvers:
                    if "decide" in self.wf.allowed_actions(a, case.id):
                        self.wf.decide(a, case.pending_request_id, approve=True, expected_version=case.version, note="同意")
                        self._count(stats, "decide")
                        return
                return
            actions, weights = zip(*NEXT.get(case.state, [("urge", 1.0)]))
            action = self.rng.choices(actions, weights)[0]
            who = self._who(case, action)
            if who is None:
                return
            self._do(action, who, case)
            self._count(stats, action)
        except GridStationError as e:
            if isinstance(e, Unavailable):
                raise  # an outage, not a refusal: run() deals with it
            if getattr(e, "kind", "") == "conflict":
                stats.conflicts += 1
            else:
                stats.refused += 1

    def _do(self, action: str, who: Actor, case: Case) -> None:
        wf, v = self.wf, case.version
        if action == "verify":
            wf.verify(who, case.id, confirmed=True, expected_version=v, note="现场核实属实")
        elif action == "file":
            cat = case.category_id or self.rng.choice(self.leaf_categories)
            wf.file(who, case.id, category_id=cat, expected_version=v)
        elif action == "void":
            wf.void(who, case.id, reason="重复上报", expected_version=v)
        elif action == "dispatch":
            sug = wf.suggest_department(case.id)
            dept = sug.department_id or (sug.alternatives[0][0] if sug.alternatives else None)
            if dept is None:
                return
            wf.dispatch(who, case.id, department_id=dept, expected_version=v)
        elif action == "feedback":
            wf.feedback(who, case.id, note="已处置完毕", expected_version=v)
        elif action == "request_extension":
            wf.request_extension(who, case.id, hours=self.rng.choice([2, 4, 8]), reason="需协调施工队", expected_version=v)
        elif action == "request_return":
            wf.request_return(who, case.id, reason="不属于本部门职责", expected_version=v)
        elif action == "request_park":
            wf.request_park(who, case.id, reason="需列入年度预算", expected_version=v)
        elif action == "reply_urge":
            wf.reply_urge(who, case.id, reply="正在加紧处理", expected_version=v)
        elif action == "resume":
            wf.resume(who, case.id, expected_version=v, note="条件具备, 恢复处置")
        elif action == "recheck":
            fixed = self.rng.random() < 0.95
            wf.recheck(who, case.id, fixed=fixed, expected_version=v, note="" if fixed else "问题仍存在")
        elif action == "close":
            wf.close(who, case.id, expected_version=v)
        elif action == "rework":
            wf.rework(who, case.id, reason="处置不到位", expected_version=v)
        elif action == "review_self":
            wf.review_self(who, case.id, approve=True, expected_version=v)
        elif action == "urge":
            wf.urge(who, case.id, opinion="请尽快处置", expected_version=v)

    def _report(self, stats: SimStats) -> None:
        supervisor = self.rng.random() < 0.75
        pos = Position.SUPERVISOR if supervisor else Position.INTAKE_OPERATOR
        people = [a for a in self.actors if a.position is pos]
        if not people:
            return
        who = self.rng.choice(people)
        grids = [g for g, p in self.grid_path.items() if not who.region_path or p.startswith(who.region_path)]
        if not grids:
            return
        gid = self.rng.choice(grids)
        lon, lat = self.grid_center[gid]
        lon += self.rng.uniform(-0.0003, 0.0003)
        lat += self.rng.uniform(-0.0003, 0.0003)
        source = CaseSource.SUPERVISOR if supervisor else self.rng.choice([CaseSource.HOTLINE, CaseSource.PUBLIC])
        try:
            self.wf.report(
                who, source=source, description=self.rng.choice(PHRASES), grid_id=gid, lon=lon, lat=lat,
                category_id=self.rng.choice(self.leaf_categories), address="模拟上报",
            )
            stats.reports += 1
            self._count(stats, "report")
        except Unavailable:
            raise
        except GridStationError:
            stats.refused += 1

    @staticmethod
    def _count(stats: SimStats, action: str) -> None:
        stats.actions += 1
        stats.by_action[action] = stats.by_action.get(action, 0) + 1

    def run(self, *, rate: float = 1.0, duration: float | None = None, steps: int | None = None,
            on_step: Callable[[SimStats], None] | None = None,
            on_down: Callable[[SimStats, BaseException], None] | None = None,
            on_back: Callable[[SimStats, float], None] | None = None,
            stats: SimStats | None = None) -> SimStats:
        """Run at ``rate`` steps a second until ``duration`` seconds or ``steps`` steps.

        A step that fails because the database is unavailable (see ``is_unavailable``) counts in
        ``stats.errors``; the first one of an outage also in ``stats.outages`` and calls
        ``on_down(stats, error)``. The engine's pool is disposed (its connections are dead) and the
        run waits 0.5 s, doubling up to 5 s per further failure, then tries again; the first step
        that succeeds again calls ``on_back(stats, seconds_down)``. Failed steps do not count
        towards ``steps``. Any other error propagates as before. Pass ``stats`` to keep the counts
        when the run is interrupted (Ctrl+C).
        """
        stats = stats if stats is not None else SimStats()
        period = 1.0 / rate if rate > 0 else 0.0
        start = time.monotonic()
        deadline = None if duration is None else start + duration
        n = 0
        down_since: float | None = None
        backoff = BACKOFF_FIRST
        while (deadline is None or time.monotonic() < deadline) and (steps is None or n < steps):
            t0 = time.monotonic()
            try:
                self.step(stats)
            except (Unavailable, DBAPIError) as e:
                if not is_unavailable(e):  # a real error: propagate as before
                    raise
                stats.errors += 1
                if down_since is None:
                    down_since = t0
                    backoff = BACKOFF_FIRST
                    stats.outages += 1
                    if on_down:
                        on_down(stats, e)
                self.engine.dispose()  # every pooled connection died with the server
                wait = backoff if deadline is None else min(backoff, max(0.0, deadline - time.monotonic()))
                if wait > 0:
                    time.sleep(wait)
                backoff = min(backoff * 2, BACKOFF_MAX)
                continue
            n += 1
            stats.steps += 1
            if down_since is not None:
                seconds_down, down_since = time.monotonic() - down_since, None
                if on_back:
                    on_back(stats, seconds_down)
            if on_step:
                on_step(stats)
            sleep = period - (time.monotonic() - t0)
            if sleep > 0:
                time.sleep(sleep)
        return stats
