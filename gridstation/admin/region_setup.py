"""Setting up a center's regions from the command line: the levels (市 → 区 → 街道 → 社区, any
depth from 2 to 6) and nodes typed in by hand (the city, which rarely comes as a boundary).

``set_levels`` on a center without regions replaces the levels; once regions exist, the
existing levels must all stay, in their order, and new ones may be put anywhere between them
(existing regions keep their parents and move down with their level). Boundaries come from
``gridstation.importers.regions``.
"""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from gridstation.admin.common import Tx, text_field
from gridstation.admin.profiles import Level, check_levels, write_levels
from gridstation.errors import InvalidInput
from gridstation.store.model import Region, RegionLevel

ENTITY = "region"


def parse_levels(items: list[str]) -> list[Level]:
    """``["city=市", "district=区", …]`` → levels (``key=name[/English]``)."""
    out = []
    for item in items:
        key, sep, name = item.partition("=")
        if not sep or not key.strip() or not name.strip():
            raise InvalidInput("levels", f"{item!r}: write KEY=NAME, e.g. district=区")
        name, _, en = name.partition("/")
        out.append(Level(key.strip(), name.strip(), en.strip()))
    return out


def set_levels(tx: Tx, levels: list[Level]) -> list[str]:
    """Put ``levels`` in force; the changes as lines for the operator."""
    check_levels(levels)
    s = tx.s
    old = [Level(r.key, r.name, r.name_en or "") for r in s.scalars(select(RegionLevel).order_by(RegionLevel.depth))]
    if old == levels:
        return []
    if (s.scalar(select(func.count()).select_from(Region)) or 0) == 0:
        write_levels(tx, levels)
        return [f"levels: {' → '.join(f'{lv.name} ({lv.key})' for lv in levels)}"]
    new_keys = [lv.key for lv in levels]
    old_keys = [lv.key for lv in old]
    missing = [k for k in old_keys if k not in new_keys]
    if missing:
        raise InvalidInput("levels", f"regions exist: the levels {', '.join(missing)} must stay")
    if [k for k in new_keys if k in old_keys] != old_keys:
        raise InvalidInput("levels", "regions exist: the existing levels must keep their order "
                                     f"({' → '.join(old_keys)})")
    used = set(s.scalars(select(Region.depth).distinct()))
    new_depth = {k: i for i, k in enumerate(new_keys, start=1)}
    # Depth is the level's key in region rows: move every level and its regions through a
    # temporary depth, so no row ever points at a level that does not exist.
    tmp = 100
    for d, lv in enumerate(old, start=1):
        s.add(RegionLevel(depth=tmp + new_depth[lv.key], key=f"~{lv.key}", name=lv.name, name_en=lv.name_en))
    s.flush()
    for d, lv in enumerate(old, start=1):
        if d in used:
            s.execute(update(Region).where(Region.depth == d).values(depth=tmp + new_depth[lv.key]))
    s.execute(delete(RegionLevel).where(RegionLevel.depth < tmp))
    s.flush()
    for lv in levels:
        s.add(RegionLevel(depth=new_depth[lv.key], key=lv.key, name=lv.name, name_en=lv.name_en))
    s.flush()
    for lv in old:
        s.execute(update(Region).where(Region.depth == tmp + new_depth[lv.key]).values(depth=new_depth[lv.key]))
    s.execute(delete(RegionLevel).where(RegionLevel.depth > tmp))
    tx.audit("region_level", "levels", "levels", ", ".join(f"{lv.key}={lv.name}" for lv in old),
             ", ".join(f"{lv.key}={lv.name}" for lv in levels))
    tx.changed(ENTITY, None, "levels")
    added = [lv for lv in levels if lv.key not in old_keys]
    return [f"level {lv.key} ({lv.name}) added at depth {new_depth[lv.key]}" for lv in added] + \
           [f"levels: {' → '.join(f'{lv.name} ({lv.key})' for lv in levels)}"]


def add_region(tx: Tx, *, code: str, name: str, level: str, parent_code: str | None = None) -> int:
    """A region without a boundary (e.g. the city) at ``level``, under ``parent_code``."""
    code = text_field(code, "code", max_len=32)
    name = text_field(name, "name", max_len=128)
    s = tx.s
    lv = s.scalar(select(RegionLevel).where(RegionLevel.key == level))
    if lv is None:
        raise InvalidInput("level", f"no region level {level!r}")
    if s.scalar(select(Region.id).where(Region.code == code)) is not None:
        raise InvalidInput("code", f"{code} exists already")
    parent = None
    if parent_code:
        parent = s.scalar(select(Region).where(Region.code == parent_code))
        if parent is None:
            raise InvalidInput("parent", f"no region {parent_code}")
        if parent.depth >= lv.depth:
            raise InvalidInput("parent", f"{parent.code} {parent.name} is not above the level {level}")
    elif lv.depth != 1:
        raise InvalidInput("parent", f"a {level} region needs a parent (--parent CODE)")
    r = Region(code=code, name=name, depth=lv.depth, parent_id=parent.id if parent else None, path="", active=True)
    s.add(r)
    s.flush()
    r.path = (parent.path if parent else "/") + f"{r.id}/"
    tx.audit(ENTITY, code, "created", None, f"{name} ({level}, under {parent.code if parent else '-'})")
    tx.changed(ENTITY, r.id, "add")
    return r.id
