"""Administration commands without Qt (gridstation.admin), on SQLite and PostgreSQL: only an
active administrator may change the configuration; every change writes its config_change
rows and a change_log row in the same transaction, or nothing at all."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlalchemy import func, select

from gridstation.accounts.users import authenticate
from gridstation.admin import audit
from gridstation.admin import calendar
from gridstation.admin import departments
from gridstation.admin import mapconfig
from gridstation.admin import regions
from gridstation.admin import users
from gridstation.admin import weights
from gridstation.admin import catalogue as catmod
from gridstation.admin.common import AdminForbidden
from gridstation.store.db import session_factory
from gridstation.errors import Forbidden, InvalidInput
from gridstation.store.model import (
    CalendarOverride,
    Case,
    ChangeLog,
    Component,
    ConfigChange,
    Department,
    Region,
    Setting,
    UnitGrid,
    User,
)
from gridstation.worktime.center_calendar import load_calendar
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

MON = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


def counts(engine) -> dict[str, int]:
    with session_factory(engine)() as s:
        return {m.__tablename__: s.scalar(select(func.count()).select_from(m))
                for m in (ChangeLog, ConfigChange, Region, UnitGrid, Department, User, CalendarOverride, Setting)}


def feed(engine, since=0) -> list[tuple[str, int | None, str]]:
    with session_factory(engine)() as s:
        return [(c.entity, c.entity_id, c.action) for c in s.scalars(select(ChangeLog).where(ChangeLog.seq > since)
                                                                    .order_by(ChangeLog.seq))]


def audit_rows(engine, entity=None) -> list[tuple[str, str, str, str | None, str | None]]:
    with session_factory(engine)() as s:
        q = select(ConfigChange).order_by(ConfigChange.id)
        if entity:
            q = q.where(ConfigChange.entity == entity)
        return [(c.entity, c.entity_id, c.field, c.old_value, c.new_value) for c in s.scalars(q)]


# --------------------------------------------------------------------------- who may


FORBIDDEN_CALLS = {
    "rename_region": lambda e, m, who: regions.rename_region(e, who, m.regions["C1"], "x"),
    "merge_region": lambda e, m, who: regions.merge_region(e, who, m.regions["C1"], m.regions["C2"]),
    "move_grids": lambda e, m, who: regions.move_grids(e, who, [m.grids["G1a"]], m.regions["C2"]),
    "add_department": lambda e, m, who: departments.add_department(e, who, code="D9", name="x", level="district"),
    "update_user": lambda e, m, who: users.update_user(e, who, m.users["sup1"], {"active": False}),
    "reset_password": lambda e, m, who: users.reset_password(e, who, m.users["sup1"]),
    "update_category": lambda e, m, who: catmod.update_category(e, who, m.cats["MANHOLE"], {"name": "x"}),
    "retire_category": lambda e, m, who: catmod.retire_category(e, who, m.cats["MANHOLE"]),
    "set_override": lambda e, m, who: calendar.set_override(e, who, date(2026, 3, 8), is_workday=True),
    "set_work_hours": lambda e, m, who: calendar.set_work_hours(e, who, [["08:00", "12:00"]]),
    "save_weights": lambda e, m, who: weights.save(e, who, weights.defaults()),
    "save_map": lambda e, m, who: mapconfig.save(e, who, base={"type": "outlines"}, view={"center": [34, 113], "zoom": 12}),
    "audit": lambda e, m, who: audit.query(e, who),
}


@pytest.mark.parametrize("call", sorted(FORBIDDEN_CALLS))
def test_only_an_active_administrator_may(engine, city, call):
    before = counts(engine)
    for who in ("disp", city.users["leader"], "off"):
        with pytest.raises(Forbidden) as err:
            FORBIDDEN_CALLS[call](engine, city, who)
        assert isinstance(err.value, AdminForbidden) and err.value.kind == "forbidden"
    assert counts(engine) == before


def test_a_disabled_administrator_is_refused(engine, city):
    users.add_user(engine, "admin", login="admin2", name="二号管理员", position="admin")
    with session_factory(engine)() as s, s.begin():
        s.scalar(select(User).where(User.login == "admin2")).active = False
    with pytest.raises(AdminForbidden):
        regions.rename_region(engine, "admin2", city.regions["C1"], "x")


# --------------------------------------------------------------------------- regions


def test_rename_and_add_regions_and_levels(engine, city):
    seq = counts(engine)["change_log"]
    regions.rename_region(engine, "admin", city.regions["C1"], "甲一新社区")
    rid = regions.add_region(engine, "admin", parent_id=city.regions["S1"], code="410105001002", name="甲二社区")
    regions.rename_level(engine, "admin", 4, name="社区/村", name_en="community")
    with session_factory(engine)() as s:
        new = s.get(Region, rid)
        s1 = s.get(Region, city.regions["S1"])
        assert new.depth == 4 and new.path == f"{s1.path}{rid}/" and new.active
        assert s.get(Region, city.regions["C1"]).name == "甲一新社区"
        infos = {r.id: r for r in regions.regions(s)}
        assert infos[city.regions["C1"]].grids == 2 and infos[rid].grids == 0
        assert [lv.name for lv in regions.levels(s)][-1] == "社区/村"
    assert ("region", "410105001001", "name", "甲一社区", "甲一新社区") in audit_rows(engine, "region")
    assert [f[0] for f in feed(engine, seq)] == ["region", "region", "region"]
    with pytest.raises(InvalidInput):
        regions.add_region(engine, "admin", parent_id=city.regions["S1"], code="410105001002", name="重复")
    with pytest.raises(InvalidInput):  # no level below the community
        regions.add_region(engine, "admin", parent_id=rid, code="x1", name="太深")


def test_merge_community_keeps_history_and_old_cases_on_their_grid(engine, city):
    wf = Workflow(engine, clock=lambda: MON)
    lon, lat = city.point("G1a")
    old_case = wf.report("sup1", source="supervisor", description="x", lon=lon, lat=lat,
                         category_id=city.cats["MANHOLE"]).case_id
    with session_factory(engine)() as s, s.begin():
        s.add(Component(code="4101050101000001", category_id=city.cats["MANHOLE"], name="井盖",
                        grid_id=city.grids["G1a"], lon=lon, lat=lat))
    seq = counts(engine)["change_log"]
    on = date(2026, 3, 3)
    moved = regions.merge_region(engine, "admin", city.regions["C1"], city.regions["C2"], on=on)
    assert set(moved) == {city.grids["G1a"], city.grids["G1b"]}
    with session_factory(engine)() as s:
        old = s.get(UnitGrid, city.grids["G1a"])
        new = s.get(UnitGrid, moved[city.grids["G1a"]])
        assert old.valid_to == on and old.region_id == city.regions["C1"]
        assert new.valid_from == on and new.valid_to is None and new.region_id == city.regions["C2"]
        assert new.code == old.code and new.geometry == old.geometry and new.area_m2 == old.area_m2
        # the old case still points at the grid it was filed in; the component follows the grid
        assert s.get(Case, old_case).grid_id == city.grids["G1a"]
        assert s.scalar(select(Component.grid_id)) == new.id
        src = s.get(Region, city.regions["C1"])
        assert not src.active and src.parent_id == city.regions["S1"]
        assert s.scalar(select(func.count()).select_from(UnitGrid).where(UnitGrid.valid_to.is_(None))) == 4
    # new reports land on the new grid row, under the target community
    wf2 = Workflow(engine, clock=lambda: datetime(2026, 3, 4, 9))
    r = wf2.report("sup2", source="supervisor", description="y", lon=lon, lat=lat, category_id=city.cats["MANHOLE"])
    with session_factory(engine)() as s:
        assert s.get(Case, r.case_id).grid_id == new.id
    rows = audit_rows(engine)
    assert ("grid", old.code, "region", "410105001001 甲一社区", "410105002001 乙一社区") in rows
    assert ("region", "410105001001", "active", "true", "false") in rows
    assert ("region", "410105001001", "merged_into", None, "410105002001 乙一社区") in rows
    assert ("region", city.regions["C1"], "merge") in feed(engine, seq)
    with pytest.raises(InvalidInput):
        regions.merge_region(engine, "admin", city.regions["C1"], city.regions["C2"])  # disabled already
    with pytest.raises(InvalidInput):
        regions.merge_region(engine, "admin", city.regions["S1"], city.regions["C2"])  # other level


def test_move_grids_with_history_and_renumbering(engine, city):
    on = date(2026, 3, 3)
    moved = regions.move_grids(engine, "admin", [city.grids["G1b"]], city.regions["C2"], on=on, renumber=True)
    with session_factory(engine)() as s:
        new = s.get(UnitGrid, moved[city.grids["G1b"]])
        assert new.code == "410105002001003" and new.region_id == city.regions["C2"]
        assert s.get(UnitGrid, city.grids["G1b"]).valid_to == on
        hist = regions.grids(s, city.regions["C1"], history=True)
        assert [(g.code, g.valid_to) for g in hist] == [("410105001001001", None), ("410105001001002", on)]
    assert ("grid", "410105001001002", "code", "410105001001002", "410105002001003") in audit_rows(engine, "grid")
    with pytest.raises(InvalidInput):  # an ended grid does not move again
        regions.move_grids(engine, "admin", [city.grids["G1b"]], city.regions["C1"])
    with pytest.raises(InvalidInput):  # grids hang under the lowest level
        regions.move_grids(engine, "admin", [city.grids["G1a"]], city.regions["S2"])


# --------------------------------------------------------------------------- departments


def test_departments_add_edit_and_disable_rules(engine, city):
    did = departments.add_department(engine, "admin", code="D03", name="园林绿化所", level="district", contact="0371-1234")
    departments.update_department(engine, "admin", did, {"contact": "0371-5678", "parent_id": city.depts["MUN"]})
    with pytest.raises(InvalidInput):  # a street unit needs its street
        departments.add_department(engine, "admin", code="S9", name="x", level="street")
    with pytest.raises(InvalidInput):  # no cycles
        departments.update_department(engine, "admin", city.depts["MUN"], {"parent_id": did})
    with pytest.raises(InvalidInput) as err:  # categories still route to it
        departments.update_department(engine, "admin", city.depts["MUN"], {"active": False})
    assert "C0102" in str(err.value)
    departments.update_department(engine, "admin", did, {"active": False})
    with session_factory(engine)() as s:
        info = {d.code: d for d in departments.list_departments(s)}
        assert info["D03"].active is False and info["D03"].parent == "D02 市政管理处"
        assert info["D02"].categories == 1  # 污水井盖; the retired 已停用类别 does not count
    rows = audit_rows(engine, "department")
    assert ("department", "D03", "contact", "0371-1234", "0371-5678") in rows
    assert ("department", "D03", "active", "true", "false") in rows


# --------------------------------------------------------------------------- users


def test_users_add_disable_reset_password(engine, city):
    seq = counts(engine)["change_log"]
    uid, temp = users.add_user(engine, "admin", login="zhang", name="张三", position="dept_handler",
                               department_id=city.depts["SAN"])
    assert len(temp) == 10 and authenticate(engine, "zhang", temp).id == uid
    users.set_active(engine, "admin", uid, False)
    with pytest.raises(Forbidden):
        authenticate(engine, "zhang", temp)
    users.set_active(engine, "admin", uid, True)
    new = users.reset_password(engine, "admin", uid)
    assert new != temp and authenticate(engine, "zhang", new).id == uid
    with pytest.raises(Forbidden):
        authenticate(engine, "zhang", temp)
    with pytest.raises(InvalidInput):  # a handler needs a department
        users.update_user(engine, "admin", uid, {"department_id": None})
    with pytest.raises(AdminForbidden):  # not yourself
        users.set_active(engine, "admin", city.users["admin"], False)
    rows = audit_rows(engine, "user")
    assert ("user", "zhang", "active", "true", "false") in rows
    assert ("user", "zhang", "password", "***", "*** (reset)") in rows
    assert all(temp not in (r[3] or "") + (r[4] or "") and new not in (r[3] or "") + (r[4] or "") for r in rows)
    assert [f for f in feed(engine, seq)] == [("user", uid, "add"), ("user", uid, "edit"), ("user", uid, "edit"),
                                              ("user", uid, "passwd")]


def test_the_last_administrator_stays(engine, city):
    uid, _ = users.add_user(engine, "admin", login="admin2", name="二号", position="admin")
    users.update_user(engine, "admin", uid, {"position": "leader"})  # another admin remains
    with pytest.raises(AdminForbidden):
        users.update_user(engine, "admin", city.users["admin"], {"position": "leader"})


# --------------------------------------------------------------------------- calendar


def test_calendar_override_changes_deadlines_for_a_fresh_calendar(engine, city):
    fri = datetime(2026, 3, 6, 16, 0)  # Friday 16:00; Sunday 8 March is an ordinary weekend day
    with session_factory(engine)() as s:
        before = load_calendar(s).deadline(fri, 1, "work_day")
        view = {d.day: d for d in calendar.year_view(s, 2026, language="zh_CN")}
    assert before.date() == date(2026, 3, 9)
    assert view[date(2026, 3, 8)].kind == calendar.WEEKEND
    assert view[date(2026, 2, 14)].kind == calendar.MAKEUP and view[date(2026, 2, 17)].kind == calendar.HOLIDAY
    assert view[date(2026, 2, 17)].holiday_name == "春节"
    seq = counts(engine)["change_log"]
    calendar.set_override(engine, "admin", date(2026, 3, 8), is_workday=True, note="防汛值班")
    with session_factory(engine)() as s:
        after = load_calendar(s).deadline(fri, 1, "work_day")
        view = {d.day: d for d in calendar.year_view(s, 2026)}
        assert [(o.day, o.is_workday, o.library_workday) for o in calendar.overrides(s, 2026)] == [
            (date(2026, 3, 8), True, False)]
    assert after.date() == date(2026, 3, 8)
    assert view[date(2026, 3, 8)].kind == calendar.OVERRIDE_WORK and view[date(2026, 3, 8)].note == "防汛值班"
    assert feed(engine, seq) == [("calendar", None, "override")]
    assert ("calendar", "2026-03-08", "is_workday", None, "true") in audit_rows(engine)
    assert calendar.remove_override(engine, "admin", date(2026, 3, 8)) is True
    with session_factory(engine)() as s:
        assert load_calendar(s).deadline(fri, 1, "work_day") == before


def test_work_hours_checked_and_stored(engine, city):
    with pytest.raises(InvalidInput):
        calendar.set_work_hours(engine, "admin", [["09:00", "12:00"], ["11:00", "17:00"]])  # overlap
    with pytest.raises(InvalidInput):
        calendar.set_work_hours(engine, "admin", [["9h", "12:00"]])
    with pytest.raises(InvalidInput):
        calendar.set_work_hours(engine, "admin", [])
    hours = calendar.set_work_hours(engine, "admin", [["14:00", "18:00"], ["08:30", "12:00"]])
    assert hours == [["08:30", "12:00"], ["14:00", "18:00"]]
    with session_factory(engine)() as s:
        cal = load_calendar(s)
        assert cal.day_minutes == 450
        assert cal.deadline(datetime(2026, 3, 2, 8, 30), 1, "work_hour").time() == time(9, 30)
    assert audit_rows(engine, "setting")[-1][:3] == ("setting", "work_hours", "value")


# --------------------------------------------------------------------------- weights and map


def test_evaluation_weights_validated_and_saved(engine, city):
    value = weights.defaults()
    value["weights"]["department"] = {"cases_due": 10, "closure_rate": 40, "handling_on_time": 30, "rework_rate": 20}
    bad = weights.defaults()
    bad["weights"]["department"]["closure_rate"] = 50  # sums to 120
    with pytest.raises(InvalidInput):
        weights.save(engine, "admin", bad)
    bad = weights.defaults()
    bad["grades"] = [["A", 90], ["B", 95], ["E", 0]]
    with pytest.raises(InvalidInput):
        weights.save(engine, "admin", bad)
    seq = counts(engine)["change_log"]
    weights.save(engine, "admin", value)
    with session_factory(engine)() as s:
        assert weights.load(s)["weights"]["department"]["closure_rate"] == 40
    assert feed(engine, seq) == [("config", None, "evaluation")]
    assert audit_rows(engine, "setting")[-1][1] == "evaluation"


def test_map_settings_validated_and_saved(engine, city):
    for bad in ({"type": "xyz", "url": "http://tiles/{z}/{x}.png"}, {"type": "mbtiles", "path": "city.zip"},
                {"type": "google"}):
        with pytest.raises(InvalidInput):
            mapconfig.save(engine, "admin", base=bad)
    with pytest.raises(InvalidInput):
        mapconfig.save(engine, "admin", view={"center": [134, 113], "zoom": 12})
    seq = counts(engine)["change_log"]
    changed = mapconfig.save(engine, "admin", base={"type": "xyz", "url": "http://10.0.0.5/tiles/{z}/{x}/{y}.png"},
                             view={"center": [34.77, 113.7], "zoom": 14})
    assert changed == ["map_base", "map_view"]
    assert mapconfig.save(engine, "admin", view={"center": [34.77, 113.7], "zoom": 14}) == []
    with session_factory(engine)() as s:
        base, view = mapconfig.load(s)
    assert base == {"type": "xyz", "url": "http://10.0.0.5/tiles/{z}/{x}/{y}.png"}
    assert view == {"center": [34.77, 113.7], "zoom": 14}
    assert feed(engine, seq) == [("config", None, "map")]


# --------------------------------------------------------------------------- audit


def test_audit_filters(engine, city):
    users.add_user(engine, "admin", login="li", name="李四", position="supervisor", region_id=city.regions["S1"])
    calendar.set_override(engine, "admin", date(2026, 10, 10), is_workday=False, note="台风停工")
    catmod.update_category(engine, "admin", city.cats["GARBAGE"], {"handle_limit": 2, "handle_unit": "work_day"})
    rows = audit.query(engine, "admin")
    assert {r.entity for r in rows} >= {"user", "calendar", "category"}
    assert all(r.login == "admin" for r in rows)
    only = audit.query(engine, "admin", entity="category")
    assert [(r.entity_id, r.field, r.old, r.new) for r in only] == [("E0101", "handle_limit", "1 work_day", "2 work_day")]
    today = datetime.now().date()
    assert audit.query(engine, "admin", since=today, until=today) == rows
    assert audit.query(engine, "admin", until=date(2000, 1, 1)) == []
    assert audit.query(engine, "admin", user_id=city.users["sup1"]) == []
    assert [r.entity_id for r in audit.query(engine, "admin", text="台风")] == ["2026-10-10"]
    assert "category" in audit.entities(engine)
    assert [a[1] for a in audit.authors(engine)] == ["admin"]
