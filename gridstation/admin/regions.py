"""The region hierarchy (市 → 区 → 街道 → 社区 by default, any depth) and its unit grids.

History is kept, never rewritten:

* **Grids move by version, not by update.** Moving a grid to another community (or merging
  its community into another) ends the current ``unit_grid`` row (``valid_to`` = the day of
  the change) and creates a new row under the target community with the same geometry, name
  and, by default, the same code (``valid_from`` = that day), exactly as a re-import of the
  grid layer does. Cases keep the ``grid_id`` they were filed with, so an old case still
  points at the grid *as it was* (its old community, street and district): evaluations and
  drill-downs of past periods do not change after a merge. New reports locate only current
  grids, so they land on the new rows. Components (部件) are current facts, not history: they
  follow the grid to its new row.
* **The code stays by default.** A grid code (6 county + 3 street + 3 community + 3 sequence)
  is printed on the supervisors' handhelds and paper maps and is the key other systems (the
  12345 hotline) use, so a move keeps it; ``renumber=True`` gives the new row the next free
  code of the target community instead (the usual choice when the grid layer is surveyed
  again).
* **A merged community stays in the tree**, disabled (``active = False``), under its old
  parent: the old grid rows still hang under it, so an open case filed there keeps the scope
  (street, district) it was filed in until it is closed. Users and departments scoped to the
  merged community move to the target; its child regions (when merging higher levels) are
  re-parented to the target with their materialised paths rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, func, select, update
from sqlalchemy.orm import Session

from gridstation.errors import InvalidInput, NotFound
from gridstation.store.model import Case, Component, Department, Region, RegionLevel, UnitGrid, User
from gridstation.admin.common import Tx, admin_tx, code_label, text_field

ENTITY = "region"


@dataclass(frozen=True)
class LevelInfo:
    depth: int
    key: str
    name: str
    name_en: str
    regions: int


@dataclass(frozen=True)
class RegionInfo:
    id: int
    code: str
    name: str
    depth: int
    parent_id: int | None
    active: bool
    grids: int  # current grids directly under it
    children: int


@dataclass(frozen=True)
class GridInfo:
    id: int
    code: str
    name: str
    region_id: int
    valid_from: date
    valid_to: date | None
    area_m2: float
    cases: int


def levels(s: Session) -> list[LevelInfo]:
    counts = dict(s.execute(select(Region.depth, func.count()).group_by(Region.depth)).all())
    return [LevelInfo(lv.depth, lv.key, lv.name, lv.name_en or "", counts.get(lv.depth, 0))
            for lv in s.scalars(select(RegionLevel).order_by(RegionLevel.depth))]


def regions(s: Session) -> list[RegionInfo]:
    """Every region (disabled ones too), parents before children, siblings by code."""
    grids = dict(s.execute(select(UnitGrid.region_id, func.count()).where(UnitGrid.valid_to.is_(None))
                           .group_by(UnitGrid.region_id)).all())
    rows = list(s.scalars(select(Region)))
    kids: dict[int | None, list[Region]] = {}
    for r in rows:
        kids.setdefault(r.parent_id, []).append(r)
    out: list[RegionInfo] = []
    stack = sorted(kids.get(None, []), key=lambda r: r.code, reverse=True)
    while stack:
        r = stack.pop()
        out.append(RegionInfo(r.id, r.code, r.name, r.depth, r.parent_id, bool(r.active), grids.get(r.id, 0),
                              len(kids.get(r.id, []))))
        stack.extend(sorted(kids.get(r.id, []), key=lambda x: x.code, reverse=True))
    return out


def grids(s: Session, region_id: int, *, history: bool = False) -> list[GridInfo]:
    """The grids of a region (current ones; with ``history`` the ended versions too)."""
    q = select(UnitGrid).where(UnitGrid.region_id == region_id)
    if not history:
        q = q.where(UnitGrid.valid_to.is_(None))
    rows = list(s.scalars(q.order_by(UnitGrid.code, UnitGrid.valid_from)))
    counts = dict(s.execute(select(Case.grid_id, func.count()).where(Case.grid_id.in_([g.id for g in rows]))
                            .group_by(Case.grid_id)).all()) if rows else {}
    return [GridInfo(g.id, g.code, g.name, g.region_id, g.valid_from, g.valid_to, g.area_m2, counts.get(g.id, 0))
            for g in rows]


def _get(s: Session, region_id: int) -> Region:
    r = s.get(Region, region_id)
    if r is None:
        raise NotFound("region", region_id)
    return r


# --------------------------------------------------------------------------- levels


def rename_level(engine: Engine, actor, depth: int, *, name: str, name_en: str | None = None) -> None:
    rename_levels(engine, actor, [(depth, name, name_en)])


def rename_levels(engine: Engine, actor, changes: Iterable[tuple[int, str, str | None]]) -> None:
    """Rename levels in one transaction: [(depth, name, English name or None), ...]."""
    checked = [(int(d), text_field(n, "name", max_len=64),
                None if en is None else text_field(en, "name_en", required=False, max_len=64)) for d, n, en in changes]
    with admin_tx(engine, actor) as tx:
        for depth, name, name_en in checked:
            lv = tx.s.get(RegionLevel, depth)
            if lv is None:
                raise NotFound("region level", depth)
            if tx.audit("region_level", lv.key, "name", lv.name, name):
                lv.name = name
                tx.changed(ENTITY, None, "level")
            if name_en is not None and tx.audit("region_level", lv.key, "name_en", lv.name_en, name_en):
                lv.name_en = name_en
                tx.changed(ENTITY, None, "level")


def add_level(engine: Engine, actor, *, key: str, name: str, name_en: str = "") -> int:
    """A new level below the deepest one (e.g. 网格片区 under 社区)."""
    key = text_field(key, "key", max_len=32)
    name = text_field(name, "name", max_len=64)
    with admin_tx(engine, actor) as tx:
        s = tx.s
        if s.scalar(select(RegionLevel.depth).where(RegionLevel.key == key)) is not None:
            raise InvalidInput("key", f"{key} exists already")
        depth = (s.scalar(select(func.max(RegionLevel.depth))) or 0) + 1
        s.add(RegionLevel(depth=depth, key=key, name=name, name_en=name_en or ""))
        tx.audit("region_level", key, "created", None, f"{name} (depth {depth})")
        tx.changed(ENTITY, None, "level")
        return depth


# --------------------------------------------------------------------------- regions


def add_region(engine: Engine, actor, *, parent_id: int | None, code: str, name: str) -> int:
    code = text_field(code, "code", max_len=32)
    name = text_field(name, "name", max_len=128)
    with admin_tx(engine, actor) as tx:
        s = tx.s
        if s.scalar(select(Region.id).where(Region.code == code)) is not None:
            raise InvalidInput("code", f"{code} exists already")
        parent = _get(s, parent_id) if parent_id is not None else None
        if parent is not None and not parent.active:
            raise InvalidInput("parent", f"{parent.name} is disabled")
        depth = parent.depth + 1 if parent else 1
        if s.get(RegionLevel, depth) is None:
            raise InvalidInput("parent", f"there is no level below {parent.name if parent else 'the top'}; add a level first")
        r = Region(code=code, name=name, depth=depth, parent_id=parent.id if parent else None, path="", active=True)
        s.add(r)
        s.flush()
        r.path = (parent.path if parent else "/") + f"{r.id}/"
        tx.audit(ENTITY, code, "created", None, f"{name} (under {parent.code if parent else '-'})")
        tx.changed(ENTITY, r.id, "add")
        return r.id


def rename_region(engine: Engine, actor, region_id: int, name: str) -> None:
    name = text_field(name, "name", max_len=128)
    with admin_tx(engine, actor) as tx:
        r = _get(tx.s, region_id)
        if tx.audit(ENTITY, r.code, "name", r.name, name):
            r.name = name
            tx.changed(ENTITY, r.id, "rename")


def _next_code(s: Session, community: Region, taken: set[str]) -> str:
    base = community.code
    if len(base) != 12 or not base.isdigit():
        raise InvalidInput("renumber", f"the community code {base} is not 12 digits (6 county + 3 street + 3 community)")
    used = set(s.scalars(select(UnitGrid.code).where(UnitGrid.code.startswith(base)))) | taken
    for n in range(1, 1000):
        code = f"{base}{n:03d}"
        if code not in used:
            return code
    raise InvalidInput("renumber", f"community {base} has no free grid number left")


def _move_grid(tx: Tx, g: UnitGrid, target: Region, on: date, new_code: str | None) -> UnitGrid:
    """End the grid's current row and create the same grid under ``target`` from ``on``."""
    s = tx.s
    if g.valid_to is not None:
        raise InvalidInput("grid", f"grid {g.code} was ended on {g.valid_to}; only current grids move")
    start = max(on, g.valid_from)
    old_region = s.get(Region, g.region_id)
    g.valid_to = start
    new = UnitGrid(
        code=new_code or g.code, name=g.name, region_id=target.id, geometry=g.geometry, area_m2=g.area_m2,
        center_lon=g.center_lon, center_lat=g.center_lat, min_lon=g.min_lon, min_lat=g.min_lat,
        max_lon=g.max_lon, max_lat=g.max_lat, valid_from=start, valid_to=None,
    )
    s.add(new)
    s.flush()
    s.execute(update(Component).where(Component.grid_id == g.id).values(grid_id=new.id))
    tx.audit("grid", g.code, "region", code_label(old_region), code_label(target))
    if new.code != g.code:
        tx.audit("grid", g.code, "code", g.code, new.code)
    return new


def _check_grid_target(s: Session, target: Region) -> None:
    if not target.active:
        raise InvalidInput("target", f"{target.name} is disabled")
    if s.scalar(select(Region.id).where(Region.parent_id == target.id, Region.active)) is not None:
        raise InvalidInput("target", f"{target.name} has regions under it; grids hang under the lowest level")


def move_grids(
    engine: Engine,
    actor,
    grid_ids: Iterable[int],
    target_id: int,
    *,
    on: date | None = None,
    renumber: bool = False,
) -> dict[int, int]:
    """Move current grids to another community from ``on`` (default today), keeping history.
    Returns {old grid row id: new grid row id}."""
    ids = list(dict.fromkeys(int(i) for i in grid_ids))
    if not ids:
        raise InvalidInput("grids", "choose at least one grid")
    with admin_tx(engine, actor) as tx:
        s = tx.s
        target = _get(s, target_id)
        _check_grid_target(s, target)
        day = on or tx.now.date()
        moved: dict[int, int] = {}
        taken: set[str] = set()
        sources: set[int] = set()
        for gid in ids:
            g = s.get(UnitGrid, gid)
            if g is None:
                raise NotFound("grid", gid)
            if g.valid_to is not None:
                raise InvalidInput("grid", f"grid {g.code} was ended on {g.valid_to}; only current grids move")
            if g.region_id == target.id:
                continue
            sources.add(g.region_id)
            code = _next_code(s, target, taken) if renumber else None
            if code:
                taken.add(code)
            moved[g.id] = _move_grid(tx, g, target, day, code).id
        if moved:
            for rid in sources | {target.id}:
                tx.changed(ENTITY, rid, "grids")
        return moved


def merge_region(
    engine: Engine,
    actor,
    source_id: int,
    target_id: int,
    *,
    on: date | None = None,
    renumber: bool = False,
) -> dict[int, int]:
    """Merge a region (typically a community) into another of the same level: its grids move
    (new versions under the target), its child regions, users and departments move to the
    target, and it stays in the tree disabled. Returns {old grid row id: new grid row id}."""
    with admin_tx(engine, actor) as tx:
        s = tx.s
        src, dst = _get(s, source_id), _get(s, target_id)
        if src.id == dst.id:
            raise InvalidInput("target", "a region cannot merge into itself")
        if src.depth != dst.depth:
            raise InvalidInput("target", "merge regions of the same level")
        if not src.active:
            raise InvalidInput("source", f"{src.name} is disabled already")
        if not dst.active:
            raise InvalidInput("target", f"{dst.name} is disabled")
        day = on or tx.now.date()
        dst_has_children = s.scalar(select(Region.id).where(Region.parent_id == dst.id, Region.active)) is not None
        # child regions follow, with their subtrees' paths rewritten
        for child in list(s.scalars(select(Region).where(Region.parent_id == src.id))):
            tx.audit(ENTITY, child.code, "parent", code_label(src), code_label(dst))
            child.parent_id = dst.id
        for sub in s.scalars(select(Region).where(Region.path.startswith(src.path), Region.id != src.id)):
            sub.path = dst.path + sub.path[len(src.path):]
        moved: dict[int, int] = {}
        current = list(s.scalars(select(UnitGrid).where(UnitGrid.region_id == src.id, UnitGrid.valid_to.is_(None))
                                 .order_by(UnitGrid.code)))
        if current:
            if dst_has_children:
                raise InvalidInput("target", f"{dst.name} has regions under it; grids hang under the lowest level")
            taken: set[str] = set()
            for g in current:
                code = _next_code(s, dst, taken) if renumber else None
                if code:
                    taken.add(code)
                moved[g.id] = _move_grid(tx, g, dst, day, code).id
        for u in s.scalars(select(User).where(User.region_id == src.id)):
            tx.audit("user", u.login, "region", code_label(src), code_label(dst))
            u.region_id = dst.id
            tx.changed("user", u.id, "edit")
        for d in s.scalars(select(Department).where(Department.region_id == src.id)):
            tx.audit("department", d.code, "region", code_label(src), code_label(dst))
            d.region_id = dst.id
            tx.changed("department", d.id, "edit")
        tx.audit(ENTITY, src.code, "merged_into", None, code_label(dst))
        tx.audit(ENTITY, src.code, "active", True, False)
        src.active = False
        tx.changed(ENTITY, src.id, "merge")
        tx.changed(ENTITY, dst.id, "merge")
        return moved


def set_region_active(engine: Engine, actor, region_id: int, active: bool) -> None:
    """Disable an empty region (no current grids, no current children) or enable one again."""
    with admin_tx(engine, actor) as tx:
        s = tx.s
        r = _get(s, region_id)
        if bool(r.active) == bool(active):
            return
        if not active:
            if s.scalar(select(UnitGrid.id).where(UnitGrid.region_id == r.id, UnitGrid.valid_to.is_(None))) is not None:
                raise InvalidInput("region", f"{r.name} still has grids: move them or merge the region")
            if s.scalar(select(Region.id).where(Region.parent_id == r.id, Region.active)) is not None:
                raise InvalidInput("region", f"{r.name} still has regions under it")
        elif r.parent_id is not None and not s.get(Region, r.parent_id).active:
            raise InvalidInput("region", "enable its parent first")
        tx.audit(ENTITY, r.code, "active", bool(r.active), bool(active))
        r.active = bool(active)
        tx.changed(ENTITY, r.id, "enable" if active else "disable")
