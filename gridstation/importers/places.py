"""The gazetteer (地名地址) from CSV, Excel or GeoJSON: areas, streets, doorplates and POIs.

Columns (Chinese or English headers; ``mapping`` renames): ``name`` 名称/地名, ``kind``
类型/地名类型 (区域/地片/区片/街巷/门(楼)牌/兴趣点 or area/tract/block/street/doorplate/poi),
``street`` 街路巷名/道路, ``number`` 门牌号, ``address`` 地址, ``lon`` 经度 and ``lat`` 纬度
(WGS84/CGCS2000; GeoJSON features carry their point or outline instead), ``source`` 来源.
A doorplate without street/number gets them parsed from its name or address ("花园路8号").
Every place is resolved to its current unit grid (and that grid's community) by point.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from gridstation.geo.geocode import normalize, parse_address
from gridstation.store.model import UnitGrid
from gridstation.geo.model import PLACE_KIND_NAMES, ImportKind, Place, PlaceKind
from gridstation.geo.spatial import NO_GRID, GridIndex
from gridstation.store import limits
from gridstation.importers.common import (
    ImportRejected,
    ImportReport,
    Problem,
    cell,
    check_mapping,
    parse_mapping,
    pick_field,
    run_in_transaction,
    write_batch,
)
from gridstation.importers.readers import lonlat_ok, points_of, read_features, read_table

KEYS = ["name", "kind", "street", "number", "address", "lon", "lat", "source"]
ALIASES = {
    "name": ["名称", "地名", "标准名称", "dm", "mc"],
    "kind": ["type", "类型", "地名类型", "类别", "lx"],
    "street": ["road", "街路巷", "街路巷名", "道路", "道路名称", "街巷", "路名"],
    "number": ["house_number", "门牌号", "门牌", "号", "mph"],
    "address": ["addr", "地址", "标准地址"],
    "lon": ["longitude", "x", "经度", "lng"],
    "lat": ["latitude", "y", "纬度"],
    "source": ["来源", "数据来源"],
}
WHAT = "gazetteer"


def place_kind(value: str) -> PlaceKind | None:
    v = normalize(value).lower() if value else ""
    for k in PlaceKind:
        if v == k.value:
            return k
    return PLACE_KIND_NAMES.get(v) or PLACE_KIND_NAMES.get(value.strip() if value else "")


def import_place_rows(
    session: Session,
    rows,
    *,
    mapping: dict | str | None = None,
    skip_bad: bool = False,
    replace_source: str | None = None,
    default_source: str = "",
    file_name: str = "",
    user_id: int | None = None,
    grid_index: GridIndex | None = None,
) -> ImportReport:
    """Check and write gazetteer rows (dicts) in the caller's transaction.

    ``replace_source``: delete the places of that source first (a new edition of a list).
    Places outside every grid are kept (grid None) and listed as warnings.
    """
    t0 = time.perf_counter()
    rows = list(rows)
    mapping = parse_mapping(mapping)
    fields = []
    for r in rows[:1000]:
        for k in r:
            if k not in fields and not k.startswith("_"):
                fields.append(k)
    check_mapping(fields, mapping, KEYS, file_name, WHAT)
    f = {k: pick_field(fields, k, mapping, ALIASES) for k in KEYS}
    if f["name"] is None and f["street"] is None and f["address"] is None:
        raise ImportRejected(
            WHAT, file_name, [Problem("file", "name", "", f"no name column among {', '.join(fields)}")]
        )

    def get(r, key):
        col = f[key]
        return r.get(col) if col else None

    problems: list[Problem] = []
    good: list[dict] = []
    for i, r in enumerate(rows, start=1):
        where = f"row {r.get('_row', i)}"
        errs = []
        if r.get("_geom_problem"):
            errs.append(Problem(where, "geometry", "", r["_geom_problem"]))
        name = cell(get(r, "name"))
        kind_raw = cell(get(r, "kind"))
        street = normalize(cell(get(r, "street")))
        number = normalize(cell(get(r, "number"))).removesuffix("号")
        address = cell(get(r, "address"))
        kind = place_kind(kind_raw) if kind_raw else (PlaceKind.DOORPLATE if number else None)
        if kind is None:
            errs.append(
                Problem(
                    where,
                    f["kind"] or "kind",
                    kind_raw,
                    "unknown place type: 区域, 地片, 区片, 街巷, 门(楼)牌 or 兴趣点",
                )
            )
        if kind is PlaceKind.DOORPLATE and not (street and number):
            p = parse_address(None, address or name)
            street = street or p.road
            number = number or p.number
            if not (street and number):
                errs.append(
                    Problem(
                        where,
                        f["number"] or "number",
                        name or address,
                        "a doorplate needs a street and a number (e.g. 花园路8号)",
                    )
                )
        if kind is PlaceKind.STREET and not street:
            street = normalize(name)
        if not name:
            if kind is PlaceKind.DOORPLATE and street and number:
                name = f"{street}{number}号"
            else:
                errs.append(Problem(where, f["name"] or "name", "", "no name"))
        lon = lat = None
        lon_raw, lat_raw = cell(get(r, "lon")), cell(get(r, "lat"))
        try:
            lon, lat = float(lon_raw), float(lat_raw)
            if not lonlat_ok(lon, lat):
                raise ValueError
        except (TypeError, ValueError):
            errs.append(
                Problem(
                    where,
                    f"{f['lon'] or 'lon'}/{f['lat'] or 'lat'}",
                    f"{lon_raw}, {lat_raw}",
                    "needs a longitude and latitude in degrees (WGS84/CGCS2000)",
                )
            )
        for label, field, value, limit in (
            ("name", f["name"] or "name", name, limits.NAME),
            ("name", f["name"] or "name", normalize(name), limits.NAME),
            ("street", f["street"] or "street", street, 64),
            ("number", f["number"] or "number", number or "", 32),
            ("address", f["address"] or "address", address, limits.ADDRESS),
            ("source", f.get("source") or "source", cell(get(r, "source")) or default_source, 64),
        ):
            why = limits.too_long(value, limit)
            if why:
                errs.append(Problem(where, field, value[:40] + "…", why))
                break
        if errs:
            problems += errs
            continue
        m = re.match(r"\d+", number or "")
        good.append(
            {
                "_where": where,
                "name": name,
                "norm_name": normalize(name),
                "kind": kind.value,
                "street": street,
                "house_number": number or "",
                "house_no": int(m.group(0)) if m else None,
                "address": address,
                "lon": lon,
                "lat": lat,
                "geometry": r.get("_outline"),
                "source": cell(get(r, "source")) or default_source,
            }
        )
    if problems and not skip_bad:
        raise ImportRejected(
            WHAT, file_name, problems, "Fix the file, or import with --skip-bad to leave the bad rows out."
        )
    report = ImportReport(kind=ImportKind.PLACES.value, file_name=file_name, read=len(rows), skipped=problems)
    idx = grid_index or GridIndex.from_session(session)
    gids = idx.locate_many([g["lon"] for g in good], [g["lat"] for g in good])
    region_of = dict(session.execute(select(UnitGrid.id, UnitGrid.region_id).where(UnitGrid.valid_to.is_(None))).all())
    for g, gid in zip(good, gids):
        where = g.pop("_where")
        if gid == NO_GRID:
            g["grid_id"] = g["region_id"] = None
            report.warnings.append(
                Problem(where, "lon/lat", f"{g['lon']:.6f}, {g['lat']:.6f}", f"{g['name']} lies in no unit grid")
            )
        else:
            g["grid_id"] = int(gid)
            g["region_id"] = region_of.get(int(gid))
    deleted = 0
    if replace_source is not None:
        deleted = session.execute(delete(Place).where(Place.source == replace_source)).rowcount or 0
    report.imported = len(good)
    report.details = {"doorplates": sum(g["kind"] == "doorplate" for g in good), "replaced": deleted}
    batch = write_batch(session, ImportKind.PLACES.value, report, user_id=user_id)
    for g in good:
        g["batch_id"] = batch
    for i in range(0, len(good), 5000):
        session.execute(insert(Place), good[i : i + 5000])
    report.seconds = time.perf_counter() - t0
    return report


def read_place_rows(path: str | Path, *, crs=None) -> tuple[list[dict], list[Problem], str]:
    """Rows of a gazetteer file (.csv/.xlsx/.geojson/.json/.shp) with their row numbers."""
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json", ".shp"):
        fs = read_features(path, crs=crs)
        rows, probs = points_of(fs)
        return rows, probs, fs.file_name
    df = read_table(path)
    rows = df.to_dict("records")
    for i, r in enumerate(rows, start=2):  # row 1 is the header line
        r["_row"] = i
    return rows, [], path.name


def import_places(
    db,
    path: str | Path,
    *,
    mapping=None,
    skip_bad=False,
    replace: bool = False,
    source: str | None = None,
    crs=None,
    user_id: int | None = None,
) -> ImportReport:
    """Import a gazetteer file in one transaction. ``source`` (default: the file name without
    extension) tags the rows; ``replace=True`` replaces the earlier rows of that source."""
    rows, probs, name = read_place_rows(path, crs=crs)
    if probs and not skip_bad:
        raise ImportRejected(WHAT, name, probs)
    src = source or Path(path).stem
    return run_in_transaction(
        db,
        lambda s: import_place_rows(
            s,
            rows,
            mapping=mapping,
            skip_bad=skip_bad,
            replace_source=src if replace else None,
            default_source=src,
            file_name=name,
            user_id=user_id,
        ),
    )


__all__ = ["import_place_rows", "import_places", "place_kind", "read_place_rows"]
