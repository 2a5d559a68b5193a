"""Command line for base data: import, geocode, locate, export (``gridstation import grids …``).

``register(subparsers)`` adds the commands to the ``gridstation`` parser (``gridstation.cli``).
Each handler takes the parsed ``args`` (``args.db`` is the database URL) and returns the exit
status: 0 on success; 2 with a message naming the feature or row when anything is wrong, and
then the database is unchanged (every import is one transaction).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from gridstation.store import db as dbmod
from gridstation.errors import GridStationError


def _fail(msg: str) -> int:
    print(f"gridstation: {msg}", file=sys.stderr)
    return 2


def _user_id(args) -> int | None:
    login = getattr(args, "user", None)
    if not login:
        return None
    from gridstation.store.model import User

    eng = dbmod.make_engine(args.db)
    try:
        with eng.connect() as c:
            uid = c.execute(select(User.id).where(User.login == login)).scalar()
    finally:
        eng.dispose()
    if uid is None:
        raise GridStationError(f"--user: no user with login {login!r}")
    return uid


def _guard(fn):
    """Run a handler; turn refusals and database errors into a message and exit status 2."""

    def run(args) -> int:
        try:
            return fn(args)
        except GridStationError as e:
            return _fail(str(e))
        except (OperationalError, ProgrammingError) as e:
            first = str(e.orig).strip().splitlines()[0] if getattr(e, "orig", None) else str(e)
            return _fail(
                f"database error, nothing was changed: {first} (is the schema current? run 'gridstation db upgrade')"
            )
        except (OSError, ValueError) as e:
            return _fail(str(e))

    run.__name__ = fn.__name__
    run.__doc__ = fn.__doc__
    return run


# --------------------------------------------------------------------------- import


@_guard
def cmd_import_grids(args) -> int:
    from gridstation.importers.grids import import_grids

    valid_from = date.fromisoformat(args.valid_from) if args.valid_from else None
    rep = import_grids(
        args.db,
        args.file,
        crs=args.crs,
        mapping=args.map,
        skip_bad=args.skip_bad,
        encoding=args.encoding,
        valid_from=valid_from,
        tolerance_m2=args.tolerance,
        partial=args.partial,
        check_parent=not args.no_parent_check,
        user_id=_user_id(args),
    )
    print(rep.text())
    return 0


@_guard
def cmd_import_regions(args) -> int:
    from gridstation.importers.regions import import_regions

    rep = import_regions(
        args.db,
        args.file,
        level=args.level,
        crs=args.crs,
        mapping=args.map,
        encoding=args.encoding,
        parent_code=args.parent,
        replace=args.replace,
        tolerance_m2=args.tolerance,
        user_id=_user_id(args),
    )
    print(rep.text())
    return 0


@_guard
def cmd_import_components(args) -> int:
    from gridstation.importers.components import import_components

    rep = import_components(
        args.db, args.file, mapping=args.map, skip_bad=args.skip_bad, crs=args.crs, user_id=_user_id(args)
    )
    print(rep.text())
    return 0


@_guard
def cmd_import_places(args) -> int:
    from gridstation.importers.places import import_places

    rep = import_places(
        args.db,
        args.file,
        mapping=args.map,
        skip_bad=args.skip_bad,
        replace=args.replace,
        source=args.source,
        crs=args.crs,
        user_id=_user_id(args),
    )
    print(rep.text())
    return 0


@_guard
def cmd_import_cases(args) -> int:
    from gridstation.importers.cases import import_cases

    rep = import_cases(
        args.db, args.file, mapping=args.map, skip_bad=args.skip_bad, sheet=args.sheet or 0, user_id=_user_id(args),
        progress=lambda line: print(f"  … {line}", file=sys.stderr, flush=True),
    )
    print(rep.text())
    print(f"  in {rep.seconds:.1f} s")
    return 0


# --------------------------------------------------------------------------- lookups


@_guard
def cmd_geocode(args) -> int:
    from sqlalchemy.orm import Session

    from gridstation.geo.geocode import KIND_LABELS, geocode

    eng = dbmod.make_engine(args.db)
    try:
        with Session(eng) as s:
            cands = geocode(s, args.address, limit=args.limit)
    finally:
        eng.dispose()
    if not cands:
        return _fail(f"no place matches {args.address!r}")
    for c in cands:
        print(
            f"{c.score:.2f}  {c.name}  [{KIND_LABELS.get(c.kind, c.kind)}]  {c.lon:.6f},{c.lat:.6f}  "
            f"grid {c.grid_code or '-'}  ({c.matched})"
        )
    return 0


@_guard
def cmd_locate(args) -> int:
    from sqlalchemy.orm import Session

    from gridstation.store.model import Region, UnitGrid
    from gridstation.geo.spatial import GridIndex

    eng = dbmod.make_engine(args.db)
    try:
        with Session(eng) as s:
            gid = GridIndex.from_session(s).locate(args.lon, args.lat)
            if gid is None:
                return _fail(f"the point {args.lon:.6f}, {args.lat:.6f} lies in no unit grid")
            g = s.get(UnitGrid, gid)
            r = s.get(Region, g.region_id)
            print(f"grid {g.code} {g.name}  (id {g.id}; community {r.code} {r.name})")
    finally:
        eng.dispose()
    return 0


# --------------------------------------------------------------------------- export


@_guard
def cmd_export(args) -> int:
    from sqlalchemy.orm import Session

    from gridstation.exchange import exporters
    from gridstation.store.model import Case, Category, UnitGrid

    eng = dbmod.make_engine(args.db)
    try:
        with Session(eng) as s:
            if args.what == "grids":
                n = exporters.export_grids_geojson(s, args.out, history=args.history)
            elif args.what == "regions":
                from gridstation.importers.regions import export_regions_geojson

                n = export_regions_geojson(s, args.out)
            elif args.what == "components":
                n = exporters.export_components_geojson(s, args.out)
            else:
                ids = [int(x) for x in args.ids.split(",") if x.strip()] if args.ids else None
                where = []
                if args.state:
                    where.append(Case.state.in_(args.state.split(",")))
                if args.since:
                    where.append(Case.reported_at >= datetime.fromisoformat(args.since))
                if args.until:
                    where.append(Case.reported_at < datetime.fromisoformat(args.until))
                if args.grid:
                    where.append(Case.grid_id.in_(select(UnitGrid.id).where(UnitGrid.code.startswith(args.grid))))
                if args.category:
                    where.append(Case.category_id.in_(select(Category.id).where(Category.code == args.category)))
                n = exporters.export_cases(s, args.out, ids=ids, where=where)
    finally:
        eng.dispose()
    print(f"exported {n} {args.what} to {args.out}")
    return 0


# --------------------------------------------------------------------------- parser


def register(subparsers) -> None:
    """Add ``import``, ``geocode``, ``locate`` and ``export`` to the gridstation parser."""
    imp = subparsers.add_parser("import", help="import base data or case history (one transaction per file)")
    isub = imp.add_subparsers(dest="import_command", required=True)

    def common(p, crs=True):
        p.add_argument("file")
        p.add_argument("--map", help="field mapping KEY=FIELD,... (e.g. code=WGBM,name=WGMC,community=SQBM)")
        p.add_argument("--skip-bad", action="store_true", help="import the good rows, skip and list the bad ones")
        p.add_argument("--user", help="login recorded as the importer")
        if crs:
            p.add_argument(
                "--crs", help="coordinate system of the file, e.g. EPSG:4547 (default: the .prj, else WGS84)"
            )

    g = isub.add_parser("grids", help="unit grids from GeoJSON or a Shapefile (.shp with .shx/.dbf/.prj)")
    common(g)
    g.add_argument("--encoding", help="encoding of the .dbf (default: the .cpg, else utf-8 then gbk)")
    g.add_argument("--valid-from", help="date the new layer takes effect (default today), YYYY-MM-DD")
    g.add_argument("--tolerance", type=float, default=1.0, help="overlap/gap tolerance in m² (default 1)")
    g.add_argument(
        "--partial", action="store_true", help="the file covers some communities only: end missing grids there only"
    )
    g.add_argument(
        "--no-parent-check", action="store_true", help="do not check grids against their community's current extent"
    )
    g.set_defaults(func=cmd_import_grids)

    r = isub.add_parser("regions", help="one level of regions from a boundary file (GeoJSON or Shapefile)")
    common(r)
    r.add_argument("--level", required=True, help="the level the file holds (a key of 'regions levels')")
    r.add_argument("--parent", help="the parent region's code for every feature (else the parent field, else containment)")
    r.add_argument("--replace", action="store_true", help="update regions that exist already (name and boundary)")
    r.add_argument("--encoding", help="encoding of the .dbf (default: the .cpg, else utf-8 then gbk)")
    r.add_argument("--tolerance", type=float, default=1.0, help="overlap/gap tolerance in m² (default 1)")
    r.set_defaults(func=cmd_import_regions)

    c = isub.add_parser("components", help="components (部件) from CSV/Excel/GeoJSON")
    common(c)
    c.set_defaults(func=cmd_import_components)

    p = isub.add_parser("places", help="gazetteer (地名地址: 街巷, 门牌, 兴趣点 ...) from CSV/Excel/GeoJSON")
    common(p)
    p.add_argument("--source", help="source tag of the rows (default: the file name)")
    p.add_argument("--replace", action="store_true", help="replace the earlier rows of the same source")
    p.set_defaults(func=cmd_import_places)

    k = isub.add_parser("cases", help="case history from CSV/Excel exported by a previous system")
    common(k, crs=False)
    k.add_argument("--sheet", help="Excel sheet name (default: the first)")
    k.set_defaults(func=cmd_import_cases)

    gc = subparsers.add_parser("geocode", help="find an address in the gazetteer, with its grid")
    gc.add_argument("address")
    gc.add_argument("--limit", type=int, default=10)
    gc.set_defaults(func=cmd_geocode)

    lo = subparsers.add_parser("locate", help="the unit grid of a point (WGS84 lon lat)")
    lo.add_argument("lon", type=float)
    lo.add_argument("lat", type=float)
    lo.set_defaults(func=cmd_locate)

    ex = subparsers.add_parser("export", help="export grids/regions/components (GeoJSON) or cases (CSV/Excel)")
    ex.add_argument("what", choices=["grids", "regions", "components", "cases"])
    ex.add_argument("--out", required=True, help="output file (.geojson; cases: .csv or .xlsx)")
    ex.add_argument("--history", action="store_true", help="grids: every version, with valid_from/valid_to")
    ex.add_argument("--ids", help="cases: ids, comma-separated")
    ex.add_argument("--state", help="cases: states, comma-separated (e.g. closed,voided)")
    ex.add_argument("--since", help="cases reported from (YYYY-MM-DD[THH:MM])")
    ex.add_argument("--until", help="cases reported before (YYYY-MM-DD[THH:MM])")
    ex.add_argument("--grid", help="cases in grids whose code starts with this (a community or street code)")
    ex.add_argument("--category", help="cases of this category code")
    ex.set_defaults(func=cmd_export)


def main(argv=None) -> int:
    """Stand-alone entry (until cli.py registers these commands): ``python -m gridstation.cli.data``."""
    parser = argparse.ArgumentParser(prog="gridstation")
    parser.add_argument("--db", default=None)
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    args.db = dbmod.normalise_url(args.db or dbmod.default_db_url())
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
