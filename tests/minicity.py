"""A tiny city for workflow tests: one district, two streets, four grids, a handful of people.

Street 甲 (S1) has grids G1a, G1b; street 乙 (S2) has G2a, G2b. 暴露垃圾 is a street-level
category (the street's 环卫所 handles it); 污水井盖 is district-level (市政管理处).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from gridstation.store.db import session_factory
from gridstation.store.model import (
    Category,
    Department,
    Position,
    Region,
    RegionLevel,
    UnitGrid,
    User,
)
from gridstation.accounts.passwords import hash_password

# Cheap scrypt parameters: these accounts exist only inside a test database.
_PW = hash_password("pw", n=2**4)

LON0, LAT0 = 113.700, 34.770
DLON, DLAT = 0.0011, 0.0009  # about 100 m × 100 m


@dataclass
class MiniCity:
    users: dict[str, int] = field(default_factory=dict)
    grids: dict[str, int] = field(default_factory=dict)
    depts: dict[str, int] = field(default_factory=dict)
    cats: dict[str, int] = field(default_factory=dict)
    regions: dict[str, int] = field(default_factory=dict)

    def point(self, grid: str) -> tuple[float, float]:
        """The centre of a grid by its short name (G1a, G1b, G2a, G2b)."""
        i = ["G1a", "G1b", "G2a", "G2b"].index(grid)
        return LON0 + (i + 0.5) * DLON, LAT0 + 0.5 * DLAT


def _square(i: int) -> dict:
    x0, x1 = LON0 + i * DLON, LON0 + (i + 1) * DLON
    y0, y1 = LAT0, LAT0 + DLAT
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def _region(s: Session, code, name, depth, parent: Region | None) -> Region:
    r = Region(code=code, name=name, depth=depth, parent_id=parent.id if parent else None, path="")
    s.add(r)
    s.flush()
    r.path = (parent.path if parent else "/") + f"{r.id}/"
    return r


def build_mini_city(engine) -> MiniCity:
    m = MiniCity()
    with session_factory(engine)() as s, s.begin():
        for depth, key, name in [(1, "city", "市"), (2, "district", "区"), (3, "street", "街道"), (4, "community", "社区")]:
            s.add(RegionLevel(depth=depth, key=key, name=name, name_en=key))
        s.flush()
        city = _region(s, "4101", "测试市", 1, None)
        dist = _region(s, "410105", "测试区", 2, city)
        s1 = _region(s, "410105001", "甲街道", 3, dist)
        s2 = _region(s, "410105002", "乙街道", 3, dist)
        c1 = _region(s, "410105001001", "甲一社区", 4, s1)
        c2 = _region(s, "410105002001", "乙一社区", 4, s2)
        m.regions.update(city=city.id, district=dist.id, S1=s1.id, S2=s2.id, C1=c1.id, C2=c2.id)
        for i, (short, comm, seq) in enumerate([("G1a", c1, 1), ("G1b", c1, 2), ("G2a", c2, 1), ("G2b", c2, 2)]):
            geom = _square(i)
            ring = geom["coordinates"][0]
            g = UnitGrid(
                code=f"{comm.code}{seq:03d}",
                name=short,
                region_id=comm.id,
                geometry=geom,
                area_m2=10_000.0,
                center_lon=(ring[0][0] + ring[1][0]) / 2,
                center_lat=(ring[0][1] + ring[2][1]) / 2,
                min_lon=ring[0][0],
                min_lat=ring[0][1],
                max_lon=ring[1][0],
                max_lat=ring[2][1],
                valid_from=date(2020, 1, 1),
            )
            s.add(g)
            s.flush()
            m.grids[short] = g.id

        def dept(key, code, name, level, region=None, parent=None):
            d = Department(code=code, name=name, level=level, region_id=region, parent_id=parent)
            s.add(d)
            s.flush()
            m.depts[key] = d.id
            return d

        san = dept("SAN", "D01", "环卫中心", "district")
        mun = dept("MUN", "D02", "市政管理处", "district")
        dept("S1_SAN", "S101", "甲街道环卫所", "street", s1.id, san.id)
        dept("S1_CG", "S102", "甲街道城管科", "street", s1.id, None)
        dept("S2_SAN", "S201", "乙街道环卫所", "street", s2.id, san.id)

        def cat(key, code, name, kind, parent=None, **kw):
            c = Category(
                code=code, name=name, kind=kind, parent_id=parent.id if parent else None,
                depth=(parent.depth + 1) if parent else 0, path="", is_leaf=not kw.pop("branch", False), **kw
            )
            s.add(c)
            s.flush()
            c.path = (parent.path if parent else "/") + f"{c.id}/"
            m.cats[key] = c.id
            return c

        ev = cat("EVENT", "E", "事件", "event", branch=True)
        env = cat("E01", "E01", "市容环境", "event", ev, branch=True)
        cat(
            "GARBAGE", "E0101", "暴露垃圾", "event", env, department_id=san.id, command_level="street",
            file_limit=30, file_unit="minute", dispatch_limit=30, dispatch_unit="minute",
            handle_limit=1, handle_unit="work_day", check_limit=60, check_unit="minute",
            close_limit=30, close_unit="minute",
        )
        comp = cat("COMP", "C", "部件", "component", branch=True)
        pub = cat("C01", "C01", "公用设施", "component", comp, branch=True)
        cat(
            "MANHOLE", "C0102", "污水井盖", "component", pub, department_id=mun.id, command_level="district",
            file_limit=10, file_unit="minute", dispatch_limit=10, dispatch_unit="minute",
            handle_limit=2, handle_unit="work_hour", check_limit=60, check_unit="minute",
            close_limit=30, close_unit="minute", urgent=True,
        )
        cat("OLD", "C0199", "已停用类别", "component", pub, retired=True, department_id=mun.id)

        def user(login, position, region=None, dept_key=None, active=True):
            u = User(
                login=login, name=f"{login}-name", position=position.value, password_hash=_PW,
                region_id=region, department_id=m.depts.get(dept_key) if dept_key else None, active=active,
            )
            s.add(u)
            s.flush()
            m.users[login] = u.id

        user("sup1", Position.SUPERVISOR, s1.id)
        user("sup2", Position.SUPERVISOR, s2.id)
        user("intake", Position.INTAKE_OPERATOR)
        user("shift", Position.SHIFT_LEADER)
        user("shift_s2", Position.SHIFT_LEADER, s2.id)
        user("disp", Position.DISPATCHER, dist.id)
        user("st1", Position.STREET_DISPATCHER, s1.id)
        user("st2", Position.STREET_DISPATCHER, s2.id)
        user("h_san", Position.DEPT_HANDLER, dept_key="SAN")
        user("h_mun", Position.DEPT_HANDLER, dept_key="MUN")
        user("h_s1", Position.DEPT_HANDLER, dept_key="S1_SAN")
        user("h_s2", Position.DEPT_HANDLER, dept_key="S2_SAN")
        user("leader", Position.LEADER)
        user("admin", Position.ADMIN)
        user("off", Position.DISPATCHER, dist.id, active=False)
    return m
