"""``gridstation regions …``: the region levels and nodes typed in by hand.

    gridstation regions levels city=市 district=区 street=街道 community=社区
    gridstation regions add 4101 郑州市 --level city
    gridstation regions list

Boundaries come from files: ``gridstation import regions FILE --level KEY`` (cli.data).
"""

from __future__ import annotations

from sqlalchemy import select

from gridstation import schema
from gridstation.store.db import make_engine


def cmd_levels(args) -> int:
    from gridstation.admin.profiles import operator_tx
    from gridstation.admin.region_setup import parse_levels, set_levels

    schema.upgrade(args.db)
    engine = make_engine(args.db)
    try:
        with operator_tx(engine, args.as_login) as tx:
            lines = set_levels(tx, parse_levels(args.levels))
    finally:
        engine.dispose()
    print("\n".join(lines) or "the levels are already these: nothing changed")
    return 0


def cmd_add(args) -> int:
    from gridstation.admin.profiles import operator_tx
    from gridstation.admin.region_setup import add_region

    engine = make_engine(args.db)
    try:
        with operator_tx(engine, args.as_login) as tx:
            rid = add_region(tx, code=args.code, name=args.name, level=args.level, parent_code=args.parent)
    finally:
        engine.dispose()
    print(f"added region {args.code} {args.name} ({args.level}, id {rid})")
    return 0


def cmd_list(args) -> int:
    from sqlalchemy.orm import Session

    from gridstation.store.model import Region, RegionLevel

    engine = make_engine(args.db)
    try:
        with Session(engine) as s:
            levels = dict(s.execute(select(RegionLevel.depth, RegionLevel.key)).all())
            code_of = dict(s.execute(select(Region.id, Region.code)).all())
            for r in s.scalars(select(Region).order_by(Region.path)):
                indent = "  " * (r.depth - 1)
                area = f"  {r.area_m2 / 1e6:,.3f} km²" if r.area_m2 else "  (no boundary)"
                parent = f"  under {code_of.get(r.parent_id)}" if r.parent_id else ""
                print(f"{indent}{r.code} {r.name} [{levels.get(r.depth, r.depth)}]{area}{parent}")
    finally:
        engine.dispose()
    return 0


def register(sub) -> None:
    c = sub.add_parser("regions", help="region levels and regions typed in by hand").add_subparsers(
        dest="regions_command", required=True)
    lv = c.add_parser("levels", help="set the region levels, top first: KEY=NAME[/English] ... (2 to 6)")
    lv.add_argument("levels", nargs="+")
    lv.add_argument("--as", dest="as_login", help="the login named in the audit (optional)")
    lv.set_defaults(func=cmd_levels)
    ad = c.add_parser("add", help="add a region without a boundary (e.g. the city)")
    ad.add_argument("code")
    ad.add_argument("name")
    ad.add_argument("--level", required=True, help="the level key")
    ad.add_argument("--parent", help="the parent region's code")
    ad.add_argument("--as", dest="as_login", help="the login named in the audit (optional)")
    ad.set_defaults(func=cmd_add)
    c.add_parser("list", help="the region tree").set_defaults(func=cmd_list)
