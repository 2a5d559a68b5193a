"""Each shipped profile, end to end, on SQLite and PostgreSQL: applied to an empty center, a
small city built in its own levels (one region per level, a unit grid under the last), and
each of the profile's walks (``[[walk]]`` in its file) taken step by step by users of the
profile's own positions sitting at their own levels: report → … → closed. A step marked
``refused`` must be refused and change nothing (the hand-over between Dongcheng's two
centers, Zhengzhou's community closing only small cases, …)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from gridstation.accounts.passwords import hash_password
from gridstation.admin import profiles
from gridstation.cases import rules
from gridstation.cases.workflow import Workflow
from gridstation.errors import Forbidden, InvalidInput, InvalidState
from gridstation.store.db import session_factory
from gridstation.store.model import (
    Case,
    CaseEvent,
    Category,
    ConfigChange,
    Department,
    Region,
    RegionLevel,
    UnitGrid,
    User,
)

_PW = hash_password("pw", n=2**4)
LON0, LAT0, D = 120.100, 30.000, 0.001


class City:
    """The profile's smallest city, and its people created as the walk needs them."""

    def __init__(self, engine, prof: profiles.Profile) -> None:
        self.engine, self.prof = engine, prof
        self.users: dict[tuple[str, int | None], int] = {}
        self.depts: dict[str, int] = {}
        with session_factory(engine)() as s, s.begin():
            self.chain: dict[str, int] = {}
            parent = None
            for depth, lv in enumerate(prof.levels, start=1):
                r = Region(code=f"R{depth}", name=f"{lv.name}甲", depth=depth,
                           parent_id=parent.id if parent else None, path="")
                s.add(r)
                s.flush()
                r.path = (parent.path if parent else "/") + f"{r.id}/"
                self.chain[lv.key] = r.id
                parent = r
            ring = [[LON0, LAT0], [LON0 + D, LAT0], [LON0 + D, LAT0 + D], [LON0, LAT0 + D], [LON0, LAT0]]
            g = UnitGrid(code="330902001001001", name="G1", region_id=parent.id,
                         geometry={"type": "Polygon", "coordinates": [ring]}, area_m2=10_000.0,
                         center_lon=LON0 + D / 2, center_lat=LAT0 + D / 2, min_lon=LON0, min_lat=LAT0,
                         max_lon=LON0 + D, max_lat=LAT0 + D, valid_from=date(2020, 1, 1))
            s.add(g)
            dist = Department(code="D01", name="市政管理处", level="district")
            s.add(dist)
            s.flush()
            self.depts["district"] = dist.id
            self.cats = {}
            for level in ("district", "street"):
                c = Category(code=f"C{level}", name=f"{level}类", kind="event", depth=0, path="", is_leaf=True,
                             department_id=dist.id, command_level=level, handle_limit=1, handle_unit="work_day")
                s.add(c)
                s.flush()
                c.path = f"/{c.id}/"
                self.cats[level] = c.id

    def street_unit(self, level_key: str) -> int:
        """A street-level unit (街道环卫所, a grid's service team) serving the region at ``level_key``."""
        if f"street@{level_key}" not in self.depts:
            with session_factory(self.engine)() as s, s.begin():
                d = Department(code=f"S_{level_key}", name=f"{level_key}处置单元", level="street",
                               region_id=self.chain[level_key], parent_id=self.depts["district"])
                s.add(d)
                s.flush()
                self.depts[f"street@{level_key}"] = d.id
        return self.depts[f"street@{level_key}"]

    def user(self, position: str, department_id: int | None = None) -> int:
        """The user of ``position`` (sitting at the position's level), in a department if given."""
        key = (position, department_id)
        if key not in self.users:
            pos = self.prof.rules.positions[position]
            with session_factory(self.engine)() as s, s.begin():
                u = User(login=f"{position}_{department_id or 0}", name=pos.name, position=position,
                         password_hash=_PW, region_id=self.chain[pos.level] if pos.level else None,
                         department_id=department_id, active=True)
                s.add(u)
                s.flush()
                self.users[key] = u.id
        return self.users[key]


def _unit_level(prof: profiles.Profile, walk: dict) -> str:
    if walk.get("unit_level"):
        return walk["unit_level"]
    street = [p.level for p in prof.rules.positions.values() if p.command_level == "street" and p.level
              and prof.rules.role_of(p.key) == "street_dispatcher"]
    return street[0] if street else prof.levels[min(2, len(prof.levels) - 1)].key


def _walk(city: City, wf: Workflow, walk: dict) -> int:
    prof = city.prof
    cat = city.cats[walk["category"]]
    cid = None
    acted: set[str] = set()
    for i, step in enumerate(walk["steps"]):
        do, pos = step["do"], step["as"]
        where = f"{prof.name} / {walk['name']} / step {i + 1} {do} as {pos}"
        dept_now = None
        if cid is not None:
            with session_factory(city.engine)() as s:
                dept_now = s.scalar(select(Case.current_department_id).where(Case.id == cid))
        is_handler = prof.rules.role_of(pos) == "dept_handler"
        actor = wf.actor(city.user(pos, dept_now if is_handler else None))

        def run(do=do, step=step, actor=actor, cid=cid, where=where):
            if do == "report":
                return wf.report(actor, source=step["source"], description=f"{walk['name']} 问题", lon=LON0 + D / 2,
                                 lat=LAT0 + D / 2, category_id=cat, self_handled=step.get("self_handled", False))
            if do in ("assign_verify", "assign_check"):
                return getattr(wf, do)(actor, cid, city.user(step["to"]))
            if do == "verify":
                return wf.verify(actor, cid, confirmed=True)
            if do == "file":
                return wf.file(actor, cid)
            if do == "dispatch":
                to = city.depts["district"] if step["to"] == "district" else city.street_unit(_unit_level(prof, walk))
                return wf.dispatch(actor, cid, department_id=to)
            if do == "feedback":
                return wf.feedback(actor, cid, note="已处置")
            if do == "recheck":
                return wf.recheck(actor, cid, fixed=step.get("fixed", True), note="现场核查")
            if do == "close":
                return wf.close(actor, cid)
            if do == "review_self":
                return wf.review_self(actor, cid, approve=step["approve"], note="审核")
            if do == "urge":
                return wf.urge(actor, cid, opinion="请尽快处理")
            if do == "reply_urge":
                return wf.reply_urge(actor, cid, reply="正在处理")
            raise AssertionError(f"{where}: unknown step")

        if cid is not None and do != "report":
            listed = wf.allowed_actions(actor, cid)
            assert (do in listed) != bool(step.get("refused")), (where, listed)
        if step.get("refused"):
            with session_factory(city.engine)() as s:
                before = s.scalar(select(Case.version).where(Case.id == cid))
            with pytest.raises((Forbidden, InvalidState, InvalidInput)):
                run()
            with session_factory(city.engine)() as s:
                assert s.scalar(select(Case.version).where(Case.id == cid)) == before, where
            continue
        r = run()
        cid = r.case_id
        acted.add(pos)
        if "expect" in step:
            assert r.state == step["expect"], (where, r.state)
    assert r.state == "closed", (prof.name, walk["name"], r.state)
    with session_factory(city.engine)() as s:
        positions = set(s.scalars(select(CaseEvent.position).where(CaseEvent.case_id == cid)))
    assert positions == acted, (prof.name, walk["name"])
    return cid


@pytest.mark.parametrize("name", rules.profile_names())
def test_profile_applied_to_an_empty_center_walks_a_case_to_closing(engine, name):
    plan = profiles.apply(engine, name)
    prof = plan.profile
    assert prof.walks, f"{name} has no walk"
    with session_factory(engine)() as s:
        assert [lv.key for lv in s.scalars(select(RegionLevel).order_by(RegionLevel.depth))] == \
            [lv.key for lv in prof.levels]
        assert rules.diff(rules.load(s), prof.rules) == []
        if plan.rule_changes:
            assert s.scalar(select(func.count()).select_from(ConfigChange).where(ConfigChange.entity == "rules")) > 0
    city = City(engine, prof)
    wf = Workflow(engine)
    for walk in prof.walks:
        _walk(city, wf, walk)
    # the profile's own positions were the ones that acted, at their own levels
    with session_factory(engine)() as s:
        used = set(s.scalars(select(CaseEvent.position)))
    assert used <= set(prof.rules.positions)


def test_a_profile_is_only_shown_on_a_center_that_works(engine):
    profiles.apply(engine, "zhengzhou")
    City(engine, profiles.load_profile("zhengzhou"))
    plan = profiles.plan(engine, "county")
    assert not plan.empty_center and plan.level_changes and plan.rule_changes
    assert any("grid_leader" in line for line in plan.lines())
    with pytest.raises(InvalidInput):
        profiles.apply(engine, "county")
    with session_factory(engine)() as s:
        assert rules.load(s).name == "zhengzhou"
        assert s.scalar(select(RegionLevel.name).where(RegionLevel.depth == 3)) == "乡镇办"
    assert profiles.plan(engine, "zhengzhou").is_empty


def test_the_cli_applies_shows_and_refuses(db_url, capsys):
    from gridstation.cli import main

    assert main(["--db", db_url, "profile", "list"]) == 0
    out = capsys.readouterr().out
    for name in ("chaoyang", "dongcheng", "zhengzhou", "zhoushan", "county", "demo"):
        assert name in out
    assert main(["--db", db_url, "profile", "apply", "dongcheng"]) == 0
    assert "profile dongcheng applied" in capsys.readouterr().out
    assert main(["--db", db_url, "profile", "show", "dongcheng"]) == 0
    assert "cmd_dispatcher" in capsys.readouterr().out
    assert main(["--db", db_url, "profile", "apply", "nowhere"]) == 2
    assert "unknown profile" in capsys.readouterr().err
