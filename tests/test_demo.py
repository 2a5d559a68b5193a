"""Tests for gridstation.demo.city: the demo city's territory, catalogue, staff and case history.

One build of 3,000 cases (module fixture) serves most checks; determinism and replace build
their own small databases. Everything is read back from the database, not from the builder.
"""

from __future__ import annotations

import random
from collections import Counter as Tally
from collections import defaultdict
from datetime import datetime
from itertools import pairwise

import pytest
import shapely
from shapely.geometry import shape
from shapely.strtree import STRtree
from sqlalchemy import create_engine, delete, select, text
from sqlalchemy.orm import Session

from gridstation.geo import geometry as geo
from gridstation.store.db import make_engine
from gridstation.demo.city import CITY_NAME, build_demo
from gridstation.geo.geocode import Geocoder
from gridstation.store.model import (
    OPEN_STATES,
    Case,
    CaseEvent,
    CaseRequest,
    Category,
    ChangeLog,
    Component,
    Counter,
    Department,
    Position,
    Region,
    Setting,
    UnitGrid,
    User,
)
from gridstation.geo.model import ImportBatch, Place
from gridstation.accounts.passwords import verify_password
from gridstation.worktime.center_calendar import load_calendar
from gridstation.store.settings import DEFAULT_WORK_HOURS
from gridstation.worktime.timelimits import STAGE_OF_STATE, remaining_minutes
from gridstation.worktime.workcal import TimeUnit

NOW = datetime(2026, 11, 23, 8, 30)  # a Monday morning: the night's reports wait to be verified and filed
N_CASES = 3000

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    steps = []
    summary = build_demo(url, seed=7, cases=N_CASES, now=NOW, progress=steps.append)
    engine = make_engine(url)
    yield url, engine, summary, steps
    engine.dispose()


@pytest.fixture(scope="module")
def data(demo):
    """Everything read back once (small enough at 3,000 cases)."""
    _url, engine, _summary, _steps = demo
    with Session(engine) as s:
        d = {
            "regions": s.scalars(select(Region).order_by(Region.id)).all(),
            "grids": s.scalars(select(UnitGrid).order_by(UnitGrid.id)).all(),
            "depts": s.scalars(select(Department).order_by(Department.id)).all(),
            "cats": s.scalars(select(Category).order_by(Category.id)).all(),
            "users": s.scalars(select(User).order_by(User.id)).all(),
            "components": s.scalars(select(Component).order_by(Component.id)).all(),
            "cases": s.scalars(select(Case).order_by(Case.id)).all(),
            "events": s.scalars(select(CaseEvent).order_by(CaseEvent.id)).all(),
            "requests": s.scalars(select(CaseRequest).order_by(CaseRequest.id)).all(),
            "counters": s.scalars(select(Counter)).all(),
            "settings": {r.key: r.value for r in s.scalars(select(Setting))},
            "changes": s.scalars(select(ChangeLog)).all(),
            "calendar": load_calendar(s),
        }
        s.expunge_all()
    by_case = defaultdict(list)
    for e in d["events"]:
        by_case[e.case_id].append(e)
    d["by_case"] = by_case
    return d


# --------------------------------------------------------------------------- territory


def test_summary_and_progress(demo, data):
    _url, _engine, summary, steps = demo
    assert summary.cases == N_CASES == len(data["cases"])
    assert summary.events == len(data["events"])
    assert summary.grids == len(data["grids"])
    assert summary.seconds > 0
    assert steps and steps[-1].startswith("100% done")
    percents = [int(m[:4].strip(" %")) for m in steps]
    assert percents == sorted(percents) and percents[0] == 0


def test_region_hierarchy(data):
    regions = data["regions"]
    by_depth = Tally(r.depth for r in regions)
    assert by_depth[1] == 1
    districts = {r.code: r.name for r in regions if r.depth == 2}
    assert districts == {"410102": "中原区", "410103": "二七区", "410105": "金水区"}
    assert by_depth[3] >= 21 and by_depth[4] >= 105
    by_id = {r.id: r for r in regions}
    for r in regions:
        if r.parent_id is None:
            assert r.path == f"/{r.id}/"
            continue
        parent = by_id[r.parent_id]
        assert r.path == f"{parent.path}{r.id}/"
        assert r.depth == parent.depth + 1
        if r.depth == 3:
            assert len(r.code) == 9 and r.code.startswith(parent.code) and r.name.endswith("街道")
        if r.depth == 4:
            assert len(r.code) == 12 and r.code.startswith(parent.code) and r.name.endswith("社区")
    assert len({r.name for r in regions if r.depth == 4}) == by_depth[4]


def test_districts_roughly_where_they_are(data):
    """中原区 west, 二七区 south, 金水区 north-east, all inside central Zhengzhou."""
    regions = {r.id: r for r in data["regions"]}
    lon = defaultdict(list)
    lat = defaultdict(list)
    for g in data["grids"]:
        assert 113.60 < g.center_lon < 113.74 and 34.70 < g.center_lat < 34.82
        district = regions[regions[regions[g.region_id].parent_id].parent_id].name
        lon[district].append(g.center_lon)
        lat[district].append(g.center_lat)
    def mean(xs):
        return sum(xs) / len(xs)

    assert mean(lon["中原区"]) < mean(lon["二七区"]) and mean(lon["中原区"]) < mean(lon["金水区"])
    assert mean(lat["二七区"]) < mean(lat["金水区"])


def test_grid_codes_and_numbering(data):
    regions = {r.id: r for r in data["regions"]}
    grids = data["grids"]
    assert 1500 <= len(grids) <= 1700
    per_comm = defaultdict(list)
    for g in grids:
        comm = regions[g.region_id]
        assert comm.depth == 4
        assert len(g.code) == 15 and g.code.isdigit() and g.code.startswith(comm.code)
        per_comm[comm.id].append(g)
        assert g.valid_from < NOW.date() and g.valid_to is None
    assert len({g.code for g in grids}) == len(grids)
    for gs in per_comm.values():
        gs.sort(key=lambda g: g.code)
        assert [int(g.code[-3:]) for g in gs] == list(range(1, len(gs) + 1))
        for a, b in pairwise(gs):
            h = a.max_lat - a.min_lat
            same_row = abs(b.center_lat - a.center_lat) < 0.5 * h
            # west→east within a row, then the next row down (north→south)
            assert (same_row and b.center_lon > a.center_lon) or b.center_lat < a.center_lat - 0.5 * h


def test_grids_are_seamless(data):
    grids = data["grids"]
    shapes = [shape(g.geometry) for g in grids]
    assert all(s.is_valid and s.geom_type == "Polygon" for s in shapes)
    total = sum(s.area for s in shapes)
    union = shapely.union_all(shapes)
    assert union.geom_type == "Polygon" and len(union.interiors) == 0  # no gaps
    assert abs(union.area - total) <= 1e-6 * total  # no overlaps
    tree = STRtree(shapes)
    for i, s in enumerate(shapes):
        for j in tree.query(s):
            if j != i:
                assert s.intersection(shapes[j]).area <= 1e-9 * s.area


def test_grid_columns_match_geometry(data):
    for g in data["grids"][::37]:
        assert abs(geo.area_m2(g.geometry) - g.area_m2) < 0.1
        assert 6_000 < g.area_m2 < 15_000  # about 100 m x 100 m
        assert geo.bbox(g.geometry) == pytest.approx((g.min_lon, g.min_lat, g.max_lon, g.max_lat))
        assert geo.contains_point(g.geometry, g.center_lon, g.center_lat)


# --------------------------------------------------------------------------- organisation


def test_departments(data):
    regions = {r.id: r for r in data["regions"]}
    depts = data["depts"]
    assert len(depts) >= 25
    district = [d for d in depts if d.level == "district"]
    street = [d for d in depts if d.level == "street"]
    assert district and street
    names = {d.name for d in district}
    for must in ("市政管理处", "环卫中心", "园林绿化中心", "城管执法局", "自来水公司", "供电公司", "燃气公司"):
        assert must in names
    by_id = {d.id: d for d in depts}
    streets = [r for r in regions.values() if r.depth == 3]
    for st in streets:
        mine = {by_id[d.parent_id].name: d for d in street if d.region_id == st.id}
        assert set(mine) == {"城管执法局", "环卫中心"}
        assert mine["城管执法局"].name.endswith("城管科") and mine["环卫中心"].name.endswith("环卫所")


def test_catalogue(data):
    cats = data["cats"]
    by_id = {c.id: c for c in cats}
    leaves = [c for c in cats if c.is_leaf]
    assert len(leaves) >= 60
    assert len({c.code for c in cats}) == len(cats)
    majors = {(c.kind, c.name) for c in cats if c.depth == 1}
    for m in ("公用设施", "道路交通", "市容环境", "园林绿化", "其他设施"):
        assert ("component", m) in majors
    for m in ("市容环境", "宣传广告", "施工管理", "街面秩序", "突发事件"):
        assert ("event", m) in majors
    for c in leaves:
        assert c.depth == 2 and by_id[c.parent_id].depth == 1
        assert c.path == f"{by_id[c.parent_id].path}{c.id}/"
        assert c.department_id is not None and c.pinyin and c.pinyin.isascii()
        assert c.filing_condition and c.closing_condition
        for stage in ("file", "dispatch", "handle", "check", "close"):
            amount, unit = c.limit(stage)
            assert amount and amount > 0
            TimeUnit(unit)
        assert c.file_limit == (10 if c.urgent else 30) and c.check_limit == 60 and c.close_limit == 30
    name = {c.name: c for c in leaves}
    assert name["上水井盖"].urgent and name["上水井盖"].limit("handle") == (2, "work_hour")
    assert name["暴露垃圾"].limit("handle") == (1, "work_day") and name["暴露垃圾"].command_level == "street"
    assert name["道路不洁"].limit("handle") == (5, "work_hour")
    assert name["违法建设"].limit("handle") == (15, "work_day")
    assert name["管道破裂"].limit("handle") == (4, "natural_hour") and name["管道破裂"].urgent
    assert name["积水"].urgent and name["道路塌陷"].urgent
    assert name["无照经营游商"].command_level == "street" and name["果皮箱"].command_level == "street"
    assert name["违法建设"].command_level == "district"
    assert name["暴露垃圾"].pinyin == "bllj"
    for c in leaves:
        if c.kind == "component":
            assert len(c.code) == 4 and c.code.isdigit()


def test_users(data):
    users = data["users"]
    regions = {r.id: r for r in data["regions"]}
    depts = data["depts"]
    logins = {u.login: u for u in users}
    assert {Position(u.position) for u in users} == set(Position)
    for login in ("admin", "leader", "shift1", "shift2", "intake1", "intake4", "dispatch1", "dispatch3"):
        assert login in logins
    assert {regions[logins[f"dispatch{i}"].region_id].depth for i in (1, 2, 3)} == {2}
    for st in (r for r in regions.values() if r.depth == 3):
        u = logins[f"st{st.code}"]
        assert u.position == "street_dispatcher" and u.region_id == st.id
    sups = [u for u in users if u.position == "supervisor"]
    assert abs(len(sups) - len(data["grids"]) / 15) < 15
    assert all(regions[u.region_id].depth == 3 for u in sups)
    for d in depts:
        h = logins[f"h{d.code}"]
        assert h.position == "dept_handler" and h.department_id == d.id
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in u.name) for u in users)
    # every account its own salt (issue 19), all with the demo password
    assert len({u.password_hash for u in users}) == len(users)
    assert len({u.password_hash.split("$")[4] for u in users}) == len(users)
    assert all(verify_password("demo", u.password_hash) for u in (users[0], users[len(users) // 2], users[-1]))


def test_components(data):
    comps = data["components"]
    assert len(comps) >= 5000
    grids = {g.id: g for g in data["grids"]}
    regions = {r.id: r for r in data["regions"]}
    cats = {c.id: c for c in data["cats"]}
    assert len({c.code for c in comps}) == len(comps)
    states = Tally(c.state for c in comps)
    assert states["intact"] > 0.85 * len(comps) and states["damaged"] > 0
    for c in comps[::7]:
        cat = cats[c.category_id]
        assert cat.kind == "component" and cat.is_leaf
        g = grids[c.grid_id]
        district = regions[regions[regions[g.region_id].parent_id].parent_id]
        assert len(c.code) == 16 and c.code.isdigit()
        assert c.code[:6] == district.code and c.code[6:10] == cat.code
        assert geo.contains_point(g.geometry, c.lon, c.lat)
        assert c.owner and c.maintainer and c.department_id


def test_settings_and_change_log(data):
    st = data["settings"]
    assert st["work_hours"] == DEFAULT_WORK_HOURS
    assert st["city_name"] == CITY_NAME
    lat, lon = st["map_view"]["center"]
    assert 34.7 < lat < 34.8 and 113.6 < lon < 113.7 and st["map_view"]["zoom"] == 14
    # components and the gazetteer go through the importers, which announces its batch like any import
    assert [(c.entity, c.action) for c in data["changes"]] == [
        ("import", "components"),
        ("import", "places"),
        ("demo", "rebuilt"),
    ]


# --------------------------------------------------------------------------- case history


def test_case_numbers_and_counters(data):
    cases = data["cases"]
    numbers = [c.number for c in cases]
    assert len(set(numbers)) == len(numbers)
    last = {}
    for c in cases:
        assert len(c.number) == 13 and c.number[:8] == c.reported_at.strftime("%Y%m%d")
        last[c.number[:8]] = max(last.get(c.number[:8], 0), int(c.number[8:]))
    counters = {r.name: r.value for r in data["counters"]}
    assert counters == {f"case:{d}": v for d, v in last.items()}
    for d, v in last.items():
        assert sorted(int(c.number[8:]) for c in cases if c.number[:8] == d) == list(range(1, v + 1))


def test_rhythm_and_mix(data):
    cases = data["cases"]
    n = len(cases)
    assert min(c.reported_at for c in cases) >= datetime(2026, 5, 1)
    assert max(c.reported_at for c in cases) <= NOW
    src = Tally(c.source for c in cases)
    assert 0.65 < src["supervisor"] / n < 0.75 and 0.14 < src["hotline"] / n < 0.22
    assert 0.05 < src["public"] / n < 0.11 and 0.02 < src["camera"] / n < 0.06
    night = sum(1 for c in cases if c.reported_at.hour < 6)
    day = sum(1 for c in cases if 9 <= c.reported_at.hour < 11)
    assert night * 5 < day
    weekend = sum(1 for c in cases if c.reported_at.weekday() >= 5) / 2
    weekday = sum(1 for c in cases if c.reported_at.weekday() < 5) / 5
    assert weekend < 0.8 * weekday
    cats = Tally(c.category_id for c in cases)
    top = cats.most_common(5)
    assert sum(v for _, v in top) > 0.3 * n  # skewed
    states = Tally(c.state for c in cases)
    assert 0.03 < states["voided"] / n < 0.07
    assert states["closed"] > 0.85 * n


def test_case_points_inside_their_grid(data):
    grids = {g.id: g for g in data["grids"]}
    cases = data["cases"]
    geoms = [shape(grids[c.grid_id].geometry) for c in cases]
    xs = [c.lon for c in cases]
    ys = [c.lat for c in cases]
    assert shapely.contains_xy(geoms, xs, ys).all()
    regions = {r.id: r for r in data["regions"]}
    for c in cases[::50]:
        g = grids[c.grid_id]
        street = regions[regions[g.region_id].parent_id]
        district = regions[street.parent_id]
        assert c.address.startswith(district.name + street.name) and c.address.endswith("附近")
        assert c.description


def test_gazetteer(demo, data):
    """Streets, doorplates and POIs were imported; every point lies in a grid of its street."""
    _url, engine, summary, _steps = demo
    grids = {g.id: g for g in data["grids"]}
    regions = {r.id: r for r in data["regions"]}
    with Session(engine) as s:
        places = s.scalars(select(Place).order_by(Place.id)).all()
        batches = s.scalars(select(ImportBatch)).all()
        s.expunge_all()
    assert summary.places == len(places) > 20000
    kinds = Tally(p.kind for p in places)
    communities = [r for r in regions.values() if r.depth == 4]
    assert kinds["poi"] == len(communities) and kinds["street"] >= 4 * 21
    assert kinds["doorplate"] == 299 * kinds["street"]
    assert sorted(b.kind for b in batches) == ["components", "places"]
    batch = next(b for b in batches if b.kind == "places")
    assert batch.rows == len(places) and batch.rejected == 0
    assert all(p.batch_id == batch.id and p.source == "demo" for p in places[:10])
    assert shapely.contains_xy([shape(grids[p.grid_id].geometry) for p in places],
                               [p.lon for p in places], [p.lat for p in places]).all()
    for p in places[::37]:
        street = regions[regions[grids[p.grid_id].region_id].parent_id]
        assert p.region_id == grids[p.grid_id].region_id
        assert p.address.startswith(regions[street.parent_id].name + street.name)
        if p.kind == "doorplate":
            assert p.name == f"{p.street}{p.house_number}号" and p.house_no == int(p.house_number)


def test_case_addresses_geocode(demo, data):
    """20 random case addresses (without 附近) find their doorplate in the case's street."""
    _url, engine, _summary, _steps = demo
    grids = {g.id: g for g in data["grids"]}
    regions = {r.id: r for r in data["regions"]}
    streets = [r for r in regions.values() if r.depth == 3]
    street_of_grid = {g.id: regions[g.region_id].parent_id for g in data["grids"]}
    rnd = random.Random(20)
    with Session(engine) as s:
        geocoder = Geocoder(s)
        for c in rnd.sample(data["cases"], 20):
            address = c.address.removesuffix("附近")
            st = next(r for r in streets if address.startswith(regions[r.parent_id].name + r.name))
            road_and_number = address[len(regions[st.parent_id].name + st.name):]
            cands = geocoder.geocode(address)
            hits = [
                x for x in cands
                if x.kind == "doorplate" and x.score == 1.0 and x.name == road_and_number
                and street_of_grid.get(x.grid_id) == st.id
                and geo.contains_point(grids[x.grid_id].geometry, x.lon, x.lat)
            ]
            assert hits, (address, cands)
            # the short form ("花园路8号") finds the same doorplate
            assert any(x.place_id == hits[0].place_id for x in geocoder.geocode(road_and_number)), address


def test_event_chains(data):
    valid = {
        "report": {(None, "to_verify"), (None, "to_file")},
        "verify": {("to_verify", "to_file")},
        "file": {("to_file", "to_dispatch")},
        "dispatch": {("to_dispatch", "handling")},
        "approve_return": {("handling", "to_dispatch")},
        "approve_park": {("handling", "parked")},
        "resume": {("parked", "handling")},
        "feedback": {("handling", "to_check")},
        "recheck": {("to_check", "to_close"), ("to_check", "to_dispatch")},
        "close": {("to_close", "closed")},
        "void": {("to_verify", "voided"), ("to_file", "voided")},
        "request_return": {("handling", "handling")},
        "request_extension": {("handling", "handling")},
        "approve_extension": {("handling", "handling")},
        "request_park": {("handling", "handling")},
    }
    unchanged = {"assign_verify", "assign_check", "urge", "reply_urge"}
    seen = Tally()
    for c in data["cases"]:
        evs = data["by_case"][c.id]
        assert evs and evs[0].action == "report" and evs[0].at == c.reported_at
        expected_first = "to_file" if c.source == "supervisor" else "to_verify"
        assert evs[0].to_state == expected_first
        prev = None
        for e in evs:
            seen[e.action] += 1
            assert e.from_state == prev, (c.id, e.action)
            if e.action in unchanged:
                assert e.to_state == e.from_state
            else:
                assert (e.from_state, e.to_state) in valid[e.action], (c.id, e.action)
            prev = e.to_state
            assert e.at <= NOW
        assert [e.at for e in evs] == sorted(e.at for e in evs)
        assert evs[-1].to_state == c.state
        assert c.updated_at == evs[-1].at and c.updated_by_id == evs[-1].user_id
        assert c.version >= 1
    for action in ("report", "assign_verify", "verify", "file", "dispatch", "feedback", "assign_check",
                   "recheck", "close", "void", "urge", "reply_urge", "request_return", "approve_return",
                   "request_extension", "approve_extension", "request_park", "approve_park", "resume"):
        assert seen[action] > 0, action


def test_event_data(data):
    """The data and department of each event as gridstation.cases.workflow writes them."""
    cats = {c.id: c for c in data["cats"]}
    for c in data["cases"]:
        evs = data["by_case"][c.id]
        dept = None  # the department the case is with
        for i, e in enumerate(evs):
            if e.action == "report":
                assert e.data == {"source": c.source} and e.department_id is None
            elif e.action in ("assign_verify", "assign_check"):
                assert set(e.data) == {"assignee_id"}
            elif e.action == "verify":
                assert set(e.data) == {"confirmed"}
                if not e.data["confirmed"]:
                    after = evs[i + 1 : i + 2]
                    assert e.note and (not after or after[0].action == "void")
            elif e.action == "file":
                cat = cats[e.data["category_id"]]
                assert e.data["command_level"] == cat.command_level == c.command_level
            elif e.action == "dispatch":
                assert e.data == {"department_id": e.department_id} and e.department_id is not None
                dept = e.department_id
            elif e.action == "recheck":
                assert e.data["fixed"] in (True, False)
            elif e.action == "urge":
                assert e.data["opinion"] and e.note == e.data["opinion"]
            elif e.action == "reply_urge":
                assert e.data["reply"]
            elif e.action.startswith("request_"):
                assert isinstance(e.data["request_id"], int) and e.note
            elif e.action.startswith("approve_"):
                assert e.data["kind"] == e.action.removeprefix("approve_")
                if e.action == "approve_extension":
                    assert e.data["hours"] > 0
            elif e.action == "resume":
                assert e.data["parked_minutes"] > 0
            if e.action not in ("report", "assign_verify", "verify", "file", "void"):
                assert e.department_id == dept, (c.id, e.action)
            if e.action == "approve_return" or (e.action == "recheck" and not e.data["fixed"]):
                dept = None  # the event names the department the case leaves


def test_counters_match_events(data):
    cal = data["calendar"]
    cats = {c.id: c for c in data["cats"]}
    requests = {r.id: r for r in data["requests"]}
    for c in data["cases"]:
        evs = data["by_case"][c.id]
        acts = Tally(e.action for e in evs)
        assert c.dispatch_count == acts["dispatch"]
        assert c.return_count == acts["approve_return"]
        assert c.rework_count == sum(1 for e in evs if e.action == "recheck" and e.data == {"fixed": False})
        assert c.extension_count == acts["approve_extension"]
        assert c.park_count == acts["approve_park"]
        assert c.urge_count == acts["urge"]
        ext = 60.0 * sum(e.data["hours"] for e in evs if e.action == "approve_extension")
        unit = TimeUnit(cats[c.category_id].handle_unit)
        parked = 0.0
        start = None
        for e in evs:
            if e.action == "approve_park":
                start = e.at
            elif e.action == "resume":
                parked += cal.elapsed(start, e.at, unit)
        if c.state in ("handling", "parked"):
            # the running handling clock's parts
            assert c.extension_minutes == pytest.approx(ext)
            assert c.parked_minutes == pytest.approx(parked, abs=1e-6)
        else:
            # a later stage's clock carries no extension and no parking of its own
            assert c.extension_minutes == 0 and c.parked_minutes == 0
        urges = [e for e in evs if e.action in ("urge", "reply_urge")]
        assert c.urged == bool(urges and urges[-1].action == "urge")
        pending = [e for e in evs if e.action.startswith("request_")]
        decided = {e.data["request_id"] for e in evs if e.action.startswith("approve_")}
        open_req = [e.data["request_id"] for e in pending if e.data["request_id"] not in decided]
        assert c.pending_request_id == (open_req[-1] if open_req else None)
        for e in pending:
            r = requests[e.data["request_id"]]
            assert r.case_id == c.id and r.requested_at == e.at
            assert (r.decided_at is not None) == (r.id in decided)
        if c.state == "parked":
            assert c.parked_at == [e for e in evs if e.action == "approve_park"][-1].at


def test_routing(data):
    cats = {c.id: c for c in data["cats"]}
    depts = {d.id: d for d in data["depts"]}
    grids = {g.id: g for g in data["grids"]}
    regions = {r.id: r for r in data["regions"]}
    for c in data["cases"]:
        evs = data["by_case"][c.id]
        dispatches = [e for e in evs if e.action == "dispatch"]
        if not dispatches:
            continue
        final = dispatches[-1].department_id
        cat = cats[c.category_id]
        if c.state in ("handling", "parked", "to_check", "to_close", "closed"):
            assert c.current_department_id == final
        else:
            assert c.current_department_id is None
        if c.state != "closed":
            continue  # an open case may sit at a wrong department that has not returned it yet
        if c.return_count:
            assert dispatches[0].department_id != final  # 回退: bounced, then re-dispatched
        d = depts[final]
        if cat.command_level == "district":
            assert final == cat.department_id
        else:
            street = regions[grids[c.grid_id].region_id].parent_id
            assert d.level == "street" and d.region_id == street and d.parent_id == cat.department_id


def test_timestamps_and_deadlines(data):
    for c in data["cases"]:
        if c.state == "closed":
            stamps = [c.reported_at, c.verified_at, c.filed_at, c.dispatched_at, c.handled_at,
                      c.checked_at, c.closed_at]
            if c.source == "supervisor":
                assert c.verified_at == c.reported_at  # a supervisor's report needs no 核实
            assert None not in stamps and stamps == sorted(stamps)
            assert c.assignee_id is None and not c.urged
            for col in ("file", "dispatch", "handle", "check", "close"):
                assert getattr(c, f"{col}_deadline") is not None
            assert c.stage is None and c.due_at is None and c.warn_at is None
        elif c.state == "voided":
            assert c.voided_at is not None and c.closed_at is None and c.due_at is None
        else:
            assert c.due_at is not None and c.warn_at is not None and c.warn_at <= c.due_at
            assert c.stage == STAGE_OF_STATE[c.state].value
            assert c.stage_started_at is not None and c.stage_started_at <= NOW
            assert getattr(c, f"{c.stage}_deadline") == c.due_at


def test_open_cases_and_lights(data):
    cal = data["calendar"]
    cases = data["cases"]
    open_ = [c for c in cases if c.state in {s.value for s in OPEN_STATES}]
    states = Tally(c.state for c in open_)
    for s in ("to_verify", "to_file", "handling", "parked"):
        assert states[s] > 0, s
    overdue = 0
    for c in open_:
        if c.state == "parked":
            assert c.parked_at is not None
            continue
        left = remaining_minutes(cal, c, NOW)
        if abs((c.due_at - NOW).total_seconds()) > 1:
            assert (left < 0) == (c.due_at < NOW), c.id
        overdue += c.due_at < NOW
    assert overdue > 0
    closed = [c for c in cases if c.state == "closed"]
    on_time = sum(1 for c in closed if c.handled_at <= c.handle_deadline) / len(closed)
    assert 0.83 < on_time < 0.96


# --------------------------------------------------------------------------- determinism, replace


def _rows(url: str, table: str) -> list[tuple]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
    finally:
        engine.dispose()


@pytest.mark.slow
def test_deterministic(demo, tmp_path):
    url, _engine, _summary, _steps = demo
    same = f"sqlite:///{tmp_path / 'same.db'}"
    other = f"sqlite:///{tmp_path / 'other.db'}"
    build_demo(same, seed=7, cases=N_CASES, now=NOW)
    build_demo(other, seed=8, cases=N_CASES, now=NOW)
    for table in ("cases", "case_event", "case_request", "unit_grid", "component", "place"):
        assert _rows(url, table) == _rows(same, table), table
    assert _rows(url, "cases") != _rows(other, "cases")
    assert _rows(url, "case_event") != _rows(other, "case_event")


def test_refuses_then_replaces(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    build_demo(url, cases=50, now=NOW)
    with pytest.raises(ValueError, match="already holds regions"):
        build_demo(url, cases=50, now=NOW)
    s = build_demo(url, seed=3, cases=80, now=NOW, replace=True)
    assert s.cases == 80
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            assert session.scalar(select(Case.id).order_by(Case.id.desc()).limit(1)) == 80
            # the append-only triggers are back after the wipe
            with pytest.raises(Exception, match="append-only"):
                session.execute(delete(CaseEvent))
    finally:
        engine.dispose()


def test_same_rows_on_both_databases(db_url, tmp_path):
    """The conftest's db_url: once SQLite, once a scratch PostgreSQL database (empty, migrated)."""
    try:
        s = build_demo(db_url, seed=7, cases=400, now=NOW)
        assert s.cases == 400
        lite = f"sqlite:///{tmp_path / 'lite.db'}"
        build_demo(lite, seed=7, cases=400, now=NOW)
        assert _cases(db_url) == _cases(lite)
        engine = make_engine(db_url)
        try:
            # explicit ids must not break live numbering: the next insert gets a fresh id
            with engine.connect() as conn:
                nid = conn.execute(
                    text("INSERT INTO region(code, name, depth, path, active) "
                         "VALUES ('probe', 'probe', 4, '/', true) RETURNING id")
                ).scalar()
                assert nid > s.regions
                conn.rollback()
        finally:
            engine.dispose()
    finally:
        if db_url.startswith("postgresql"):
            _truncate_all(db_url)


def _truncate_all(url: str) -> None:
    """Leave the shared per-run PostgreSQL database as empty as we found it."""
    from gridstation.store.model import Base

    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    try:
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    finally:
        engine.dispose()


def _cases(url: str) -> list[tuple]:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return [
                (c.number, c.state, c.reported_at, c.due_at, c.closed_at, c.dispatch_count, c.lon, c.lat)
                for c in session.scalars(select(Case).order_by(Case.id))
            ]
    finally:
        engine.dispose()
