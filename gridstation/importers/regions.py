"""Regions (区, 街道, 社区 …) from boundary files, one level at a time, with the care of the
grid import: any CRS (.prj, GeoJSON crs or ``--crs``, CGCS2000 Gauss-Krüger zones included),
GBK or UTF-8 .dbf, every problem named by feature, and nothing written unless all is right.

``mapping`` (``--map code=XZQDM,name=XZQMC,parent=SJDM``) names the fields; without it the usual
names are tried. A feature's parent (a region one level up) comes from the parent field (code
or name), else from ``parent_code`` (``--parent``), else by containment: the parent whose
boundary holds the feature's interior point.

Checks: code present, at most 32 characters, not twice in the file, not already a region
(``replace=True`` updates a region of the same level and parent instead: name and boundary);
name present; a valid Polygon/MultiPolygon in plausible lon/lat; a parent that exists at the
level above; siblings do not overlap by more than ``tolerance_m2``; a child lies inside its
parent's boundary and the children of a parent tile it: no gap larger than ``tolerance_m2``
(both only when the parent has a boundary). A region without a boundary (the city node,
typed in with ``regions add``) is a parent without those checks.
"""

from __future__ import annotations

import time
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import Polygon, shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.geo import geometry as geo
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
from gridstation.importers.grids import grid_code
from gridstation.importers.readers import (
    Feature,
    FeatureSet,
    crs_label,
    geojson_of,
    lonlat_ok,
    parse_crs,
    read_features,
    to_shapes,
)
from gridstation.store.db import record_change
from gridstation.store.model import Region, RegionLevel

KIND = "regions"
WHAT = "region"
KEYS = ["code", "name", "parent"]
ALIASES = {
    "code": ["xzqdm", "xzqhdm", "区划代码", "行政区划代码", "代码", "编码", "dm", "bm", "adcode"],
    "name": ["xzqmc", "区划名称", "行政区划名称", "名称", "mc"],
    "parent": ["sjdm", "parent_code", "上级代码", "上级编码", "上级区划代码", "所属", "上级"],
}


def _area(g) -> float:
    if g is None or g.is_empty:
        return 0.0
    return sum(geo.area_m2(p) for p in getattr(g, "geoms", [g]) if p.geom_type in ("Polygon", "MultiPolygon"))


def _where(p) -> str:
    return f"({p.x:.6f}, {p.y:.6f})"


def import_region_features(
    session: Session,
    features,
    *,
    level: str,
    mapping: dict | str | None = None,
    crs=None,
    parent_code: str | None = None,
    replace: bool = False,
    tolerance_m2: float = 1.0,
    file_name: str = "",
    fields: list[str] | None = None,
    user_id: int | None = None,
    info: dict | None = None,
) -> ImportReport:
    """Check and write one level of regions in the caller's transaction; ``ImportRejected``
    with every problem (and nothing written) otherwise."""
    t0 = time.perf_counter()
    mapping = parse_mapping(mapping)
    feats = [f if isinstance(f, Feature) else Feature(i, dict(f.get("properties") or {}), f.get("geometry"))
             for i, f in enumerate(features, start=1)]
    if fields is None:
        fields = list(dict.fromkeys(k for f in feats for k in f.properties))
    fs = FeatureSet(feats, parse_crs(crs), fields)
    check_mapping(fields, mapping, KEYS, file_name, WHAT)

    def refuse(problems, hint=""):
        raise ImportRejected(WHAT, file_name, problems, hint)

    lv = session.scalar(select(RegionLevel).where(RegionLevel.key == level))
    if lv is None:
        known = ", ".join(session.scalars(select(RegionLevel.key).order_by(RegionLevel.depth)))
        refuse([Problem("file", "--level", level, f"no region level {level!r} (levels: {known or 'none'}; "
                                                  "set them with 'gridstation regions levels')")])
    upper = session.scalar(select(RegionLevel).where(RegionLevel.depth < lv.depth).order_by(RegionLevel.depth.desc()))
    code_f = pick_field(fields, "code", mapping, ALIASES)
    name_f = pick_field(fields, "name", mapping, ALIASES)
    parent_f = pick_field(fields, "parent", mapping, ALIASES)
    if code_f is None or name_f is None:
        refuse([Problem("file", "code" if code_f is None else "name", "",
                        f"no region {'code' if code_f is None else 'name'} attribute among {', '.join(fields) or 'none'}: "
                        f"name it with --map {'code' if code_f is None else 'name'}=FIELD")])

    regions = session.execute(select(Region.id, Region.code, Region.name, Region.depth, Region.parent_id,
                                     Region.geometry, Region.path)).all()
    by_code = {r.code: r for r in regions}
    parents = [r for r in regions if upper is not None and r.depth == upper.depth]
    parent_by_code = {r.code: r for r in parents}
    parent_by_name: dict[str, list] = defaultdict(list)
    for r in parents:
        parent_by_name[r.name].append(r)
    fixed_parent = None
    if parent_code:
        fixed_parent = parent_by_code.get(parent_code)
        if fixed_parent is None:
            refuse([Problem("file", "--parent", parent_code,
                            f"no region with this code at the level above {level} ({upper.key if upper else 'none'})")])
    if upper is None and (parent_f or parent_code):
        refuse([Problem("file", "--parent", parent_code or parent_f, f"{level} is the top level: it has no parent")])
    parent_shapes = {r.id: shape(r.geometry) for r in parents if r.geometry}
    for g in parent_shapes.values():
        shapely.prepare(g)

    geoms = to_shapes(fs)
    bad: dict[int, list[Problem]] = defaultdict(list)
    codes, names, labels, parent_of, existing = [], [], [], [], []
    for k, (f, g) in enumerate(zip(feats, geoms)):
        code = grid_code(f.properties.get(code_f))
        label = f"feature {f.index}" + (f" (code {code})" if code else "")
        codes.append(code)
        labels.append(label)
        names.append(cell(f.properties.get(name_f)))
        for p in f.problems:
            bad[k].append(Problem(label, p.field, p.value, p.reason))
        if not code:
            bad[k].append(Problem(label, code_f, "", "no code"))
        elif len(code) > 32:
            bad[k].append(Problem(label, code_f, code, "at most 32 characters"))
        if not names[k]:
            bad[k].append(Problem(label, name_f, "", "no name"))
        elif len(names[k]) > 128:
            bad[k].append(Problem(label, name_f, names[k][:20], "at most 128 characters"))
        if g is None:
            if not f.problems:
                bad[k].append(Problem(label, "geometry", "", "no geometry"))
        elif g.geom_type not in ("Polygon", "MultiPolygon") or g.is_empty:
            bad[k].append(Problem(label, "geometry", g.geom_type, "a region boundary is a Polygon or MultiPolygon"))
        else:
            x0, y0, x1, y1 = g.bounds
            if not (lonlat_ok(x0, y0) and lonlat_ok(x1, y1)):
                bad[k].append(Problem(label, "geometry", f"{x0:.1f}, {y0:.1f}",
                                      f"coordinates are not longitude/latitude in {crs_label(fs.crs)}: give the "
                                      "coordinate system (--crs EPSG:4547, or a .prj)"))
            elif not g.is_valid:
                bad[k].append(Problem(label, "geometry", "", f"invalid polygon: {shapely.is_valid_reason(g)}"))
        # parent
        par = None
        if upper is not None:
            if parent_f:
                val = grid_code(f.properties.get(parent_f))
                par = parent_by_code.get(val)
                if par is None:
                    hits = parent_by_name.get(val, [])
                    if len(hits) == 1:
                        par = hits[0]
                    else:
                        bad[k].append(Problem(label, parent_f, val,
                                              f"several {upper.key} regions have this name: give the code" if hits
                                              else f"unknown parent: no {upper.key} region with this code or name"))
            elif fixed_parent is not None:
                par = fixed_parent
            elif g is not None and k not in bad:
                pt = g.representative_point()
                hits = [parent_by_code[r.code] for r in parents if r.id in parent_shapes and parent_shapes[r.id].contains(pt)]
                if len(hits) == 1:
                    par = hits[0]
                else:
                    bad[k].append(Problem(label, "parent", _where(pt),
                                          f"no {upper.key} region contains it: unknown parent (give --parent CODE or "
                                          "--map parent=FIELD)" if not hits else "lies in several parents"))
        parent_of.append(par)
        # an existing region
        old = by_code.get(code) if code else None
        if old is not None:
            if not replace:
                bad[k].append(Problem(label, code_f, code, f"region {code} ({old.name}) exists already "
                                                           "(--replace updates name and boundary)"))
            elif old.depth != lv.depth or (par is not None and old.parent_id != par.id):
                bad[k].append(Problem(label, code_f, code, f"region {code} exists at another level or under another "
                                                           "parent: --replace keeps both"))
        existing.append(old)

    first: dict[str, int] = {}
    for k, code in enumerate(codes):
        if code in first:
            bad[k].append(Problem(labels[k], code_f, code, f"duplicate code: {labels[first[code]]} has it too"))
        elif code:
            first[code] = k

    # siblings: the file's features, and the regions of this level that stay as they are
    ok = [k for k in range(len(feats)) if k not in bad]
    replaced = {existing[k].id for k in ok if existing[k] is not None}
    staying = [r for r in regions if r.depth == lv.depth and r.geometry and r.id not in replaced
               and r.code not in first]
    ref = [geoms[k] for k in ok] + [shape(r.geometry) for r in staying]
    ref_label = [labels[k] for k in ok] + [f"region {r.code} {r.name}" for r in staying]
    ref_pos = ok + [-1] * len(staying)
    if ref:
        arr = np.array(ref, dtype=object)
        a_idx, b_idx = STRtree(arr).query(arr, predicate="intersects")
        sel = a_idx < b_idx
        for a, b in zip(a_idx[sel], b_idx[sel]):
            inter = shapely.intersection(arr[a], arr[b])
            if shapely.area(inter) <= 0:
                continue
            m2 = _area(inter)
            if m2 <= tolerance_m2:
                continue
            blame, other = (b, a) if ref_pos[b] >= 0 else (a, b)
            if ref_pos[blame] >= 0:
                bad[ref_pos[blame]].append(Problem(ref_label[blame], "geometry", "",
                                                   f"overlaps {ref_label[other]} by {m2:,.1f} m² (tolerance {tolerance_m2:g} m²)"))

    # children inside their parent, and tiling it
    tile_problems: list[Problem] = []
    members: dict[int, list] = defaultdict(list)
    for k in range(len(feats)):
        par = parent_of[k]
        if par is None or par.id not in parent_shapes:
            continue
        if k in bad:
            members[par.id].append(None)  # a bad child: its parent's tiling is not judged
            continue
        out_m2 = _area(shapely.difference(geoms[k], parent_shapes[par.id]))
        if out_m2 > tolerance_m2:
            bad[k].append(Problem(labels[k], "geometry", "",
                                  f"lies {out_m2:,.1f} m² outside its parent {par.code} {par.name}"))
            members[par.id].append(None)
        else:
            members[par.id].append(geoms[k])
    for pid, gs in members.items():
        if any(g is None for g in gs):
            continue
        par = next(r for r in parents if r.id == pid)
        gs = gs + [shape(r.geometry) for r in staying if r.parent_id == pid]
        rest = shapely.difference(parent_shapes[pid], shapely.union_all(gs))
        for piece in getattr(rest, "geoms", [rest]):
            if piece.is_empty or piece.geom_type != "Polygon":
                continue
            m2 = geo.area_m2(Polygon(piece.exterior, piece.interiors))
            if m2 > tolerance_m2:
                tile_problems.append(Problem(f"{upper.key} {par.code} ({par.name})", "geometry", "",
                                             f"gap of {m2:,.1f} m² covered by none of its {level} regions around "
                                             f"{_where(piece.representative_point())}"))

    problems = [p for k in sorted(bad) for p in bad[k]] + tile_problems
    if problems:
        refuse(problems, "Nothing was imported. Fix the file (or the parent layer) and import it again.")

    # ------------------------------------------------------------------ write
    report = ImportReport(kind=KIND, file_name=file_name, read=len(feats))
    created = updated = 0
    for k in range(len(feats)):
        g, par, old = geoms[k], parent_of[k], existing[k]
        gj, area = geojson_of(g), round(_area(g), 2)
        if old is not None:
            r = session.get(Region, old.id)
            r.name, r.geometry, r.area_m2 = names[k], gj, area
            updated += 1
            continue
        r = Region(code=codes[k], name=names[k], depth=lv.depth, parent_id=par.id if par else None, path="",
                   active=True, geometry=gj, area_m2=area)
        session.add(r)
        session.flush()
        r.path = (par.path if par else "/") + f"{r.id}/"
        created += 1
    session.flush()
    report.imported = created + updated
    report.details = {"level": level, "created": created, "updated": updated, "crs": crs_label(fs.crs),
                      "tolerance_m2": tolerance_m2, **(info or {})}
    write_batch(session, KIND, report, user_id=user_id, announce=False)
    record_change(session, "region", None, "import", user_id)
    report.seconds = time.perf_counter() - t0
    return report


def import_regions(db, path: str | Path, *, level: str, crs=None, mapping=None, encoding: str | None = None,
                   **kw) -> ImportReport:
    """One boundary file (.geojson/.json/.shp) into ``db`` (Engine or URL), one transaction."""
    fs = read_features(path, crs=crs, encoding=encoding)
    return run_in_transaction(db, lambda s: import_region_features(
        s, fs.features, level=level, mapping=mapping, crs=fs.crs, file_name=fs.file_name, fields=fs.fields,
        info={"encoding": fs.encoding} if fs.encoding else None, **kw))


def export_regions_geojson(session: Session, path: str | Path) -> int:
    """Every region as a GeoJSON feature (code, name, level, depth, parent code, active; the
    boundary or null), ordered by depth and code."""
    import json

    levels = dict(session.execute(select(RegionLevel.depth, RegionLevel.key)).all())
    rows = session.scalars(select(Region).order_by(Region.depth, Region.code)).all()
    code_of = {r.id: r.code for r in rows}
    feats = [{"type": "Feature",
              "properties": {"code": r.code, "name": r.name, "level": levels.get(r.depth, ""), "depth": r.depth,
                             "parent": code_of.get(r.parent_id) if r.parent_id else None, "active": bool(r.active)},
              "geometry": r.geometry} for r in rows]
    Path(path).write_text(json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False),
                          encoding="utf-8")
    return len(feats)


__all__ = ["export_regions_geojson", "import_region_features", "import_regions"]
