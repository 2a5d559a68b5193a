"""Unit grids (单元网格) from GeoJSON or ESRI Shapefile, checked, and versioned on re-import.

Attributes are taken as delivered; ``mapping`` (``--map code=WGBM,name=WGMC,community=SQBM``)
names the fields holding the grid code, the name and the parent community (a Region code or
name). Without a mapping the usual names are tried (code/网格编码/WGBM, name/网格名称/WGMC,
community/社区编码/SQBM). Without a community field, a grid's community is the Region whose
code is the grid code's first 12 digits (6 county + 3 street + 3 community).

Checks (each problem names the feature): the code has 14 or 15 digits; no code twice; the
geometry is a valid Polygon/MultiPolygon (shapely's ``is_valid_reason``: self-intersection,
bow-tie, ring not closed ...) in plausible lon/lat; the community exists; grids do not overlap
by more than ``tolerance_m2`` square metres; a community's grids leave no gap (a hole in their
union) larger than ``tolerance_m2``; a grid lies inside its community's boundary when the
community was imported from a boundary file (``importers.regions``), else inside its current
extent (the union of its current grids) when it has grids already.

History: the import date is ``valid_from``. A code that comes back with a different geometry
(or community) gets its current row ended (``valid_to`` = the import date) and a new row; a
current grid missing from the file is ended (with ``partial=True``, only within the
communities the file covers); unchanged grids are untouched (a new name is written in place).
Cases keep the grid row they were filed in, so old cases still point at their old grid.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import Polygon, shape
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from gridstation.geo import geometry as geo
from gridstation.store.model import Region, UnitGrid
from gridstation.geo.model import ImportKind
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
from gridstation.importers.readers import Feature, FeatureSet, crs_label, geojson_of, lonlat_ok, parse_crs, read_features, to_shapes

KEYS = ["code", "name", "community"]
ALIASES = {
    "code": ["grid_code", "gridcode", "wgbm", "网格编码", "网格代码", "单元网格编码", "编码", "bm"],
    "name": ["grid_name", "gridname", "wgmc", "网格名称", "名称", "mc"],
    "community": ["sqbm", "sq", "社区编码", "社区", "所属社区", "社区名称", "parent", "parent_code"],
}
WHAT = "unit grid"


def _features(features) -> list[Feature]:
    out = []
    for i, f in enumerate(features, start=1):
        if isinstance(f, Feature):
            out.append(f)
        else:
            out.append(Feature(i, dict(f.get("properties") or {}), f.get("geometry")))
    return out


def grid_code(value) -> str:
    """A grid code as text: DBF numbers (int or float) lose no digits."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return cell(value)


def check_code(code: str) -> str | None:
    """Why a unit-grid code is not acceptable, or None (15 digits, or 14 in older systems)."""
    if not code:
        return "no code"
    if not code.isdigit():
        return "a grid code is digits only (6 county + 3 street + 3 community + 3 sequence)"
    if len(code) not in (14, 15):
        return f"has {len(code)} digits; a grid code has 15 (or 14 in older systems)"
    return None


def _geodesic_area(g) -> float:
    if g is None or g.is_empty:
        return 0.0
    polys = [p for p in getattr(g, "geoms", [g]) if p.geom_type in ("Polygon", "MultiPolygon")]
    return sum(geo.area_m2(p) for p in polys)


def _center(g) -> tuple[float, float]:
    c = g.centroid
    if not g.contains(c):
        c = g.representative_point()
    return round(c.x, 8), round(c.y, 8)


def _same_shape(a, b, tol_deg: float = 1e-7) -> bool:
    """The same grid outline to within about a centimetre (coordinates that went through a
    projection or a rounding are not bit-identical)."""
    if a.equals(b):
        return True
    return shapely.hausdorff_distance(a, b) < tol_deg and abs(a.area - b.area) <= 1e-6 * max(a.area, 1e-12)


def import_grid_features(
    session: Session,
    features,
    *,
    mapping: dict | str | None = None,
    crs=None,
    skip_bad: bool = False,
    valid_from: date | None = None,
    tolerance_m2: float = 1.0,
    partial: bool = False,
    check_parent: bool = True,
    file_name: str = "",
    user_id: int | None = None,
    fields: list[str] | None = None,
    info: dict | None = None,
) -> ImportReport:
    """Check and write a grid layer given as features, in the caller's transaction.

    ``features``: ``readers.Feature`` objects or GeoJSON feature dicts (``{"properties": ...,
    "geometry": ...}``) in ``crs`` (default WGS84 lon/lat). Raises ``ImportRejected`` (and
    writes nothing) on any problem unless ``skip_bad``. The demo city can build its grids
    through this function.
    """
    t0 = time.perf_counter()
    mapping = parse_mapping(mapping)
    feats = _features(features)
    if fields is None:
        fields = []
        for f in feats:
            for k in f.properties:
                if k not in fields:
                    fields.append(k)
    fs = FeatureSet(feats, parse_crs(crs, file_name=file_name), fields, file_name=file_name)
    check_mapping(fields, mapping, KEYS, file_name, WHAT)
    code_f = pick_field(fields, "code", mapping, ALIASES)
    name_f = pick_field(fields, "name", mapping, ALIASES)
    comm_f = pick_field(fields, "community", mapping, ALIASES)
    if code_f is None:
        raise ImportRejected(
            WHAT,
            file_name,
            [
                Problem(
                    "file",
                    "code",
                    "",
                    f"no grid-code attribute among {', '.join(fields) or 'none'}: name it with --map code=FIELD",
                )
            ],
        )

    geoms = to_shapes(fs)
    regions = session.execute(select(Region.id, Region.code, Region.name, Region.depth)).all()
    by_code = {r.code: r for r in regions}
    by_name: dict[str, list] = defaultdict(list)
    for r in regions:
        by_name[r.name].append(r)

    bad: dict[int, list[Problem]] = defaultdict(list)  # position in feats -> problems
    codes: list[str] = []
    names: list[str] = []
    region_of: list = []
    labels: list[str] = []
    for k, (f, g) in enumerate(zip(feats, geoms)):
        code = grid_code(f.properties.get(code_f))
        codes.append(code)
        label = f"feature {f.index}" + (f" (code {code})" if code else "")
        labels.append(label)
        names.append(cell(f.properties.get(name_f)) if name_f else "")
        why = limits.too_long(names[-1], limits.NAME)
        if why:
            bad[k].append(Problem(label, name_f, names[-1][:40] + "…", why))
        for p in f.problems:
            bad[k].append(Problem(label, p.field, p.value, p.reason))
        why = check_code(code)
        if why:
            bad[k].append(Problem(label, code_f, code, why))
        # geometry
        if g is None:
            if not f.problems:
                bad[k].append(Problem(label, "geometry", "", "no geometry"))
        elif g.geom_type not in ("Polygon", "MultiPolygon"):
            bad[k].append(Problem(label, "geometry", g.geom_type, "a unit grid is a Polygon or MultiPolygon"))
        elif g.is_empty:
            bad[k].append(Problem(label, "geometry", "", "empty polygon"))
        else:
            x0, y0, x1, y1 = g.bounds
            if not (lonlat_ok(x0, y0) and lonlat_ok(x1, y1)):
                bad[k].append(
                    Problem(
                        label,
                        "geometry",
                        f"{x0:.1f}, {y0:.1f}",
                        f"coordinates are not longitude/latitude in {crs_label(fs.crs)}: give the coordinate system (--crs EPSG:4547, or a .prj)",
                    )
                )
            elif not g.is_valid:
                bad[k].append(Problem(label, "geometry", "", f"invalid polygon: {shapely.is_valid_reason(g)}"))
        # community
        reg = None
        if comm_f:
            val = grid_code(f.properties.get(comm_f))
            reg = by_code.get(val)
            if reg is None:
                hits = by_name.get(val, [])
                if len(hits) == 1:
                    reg = hits[0]
                elif len(hits) > 1:
                    bad[k].append(
                        Problem(label, comm_f, val, "several regions have this name: give the community code")
                    )
                else:
                    bad[k].append(Problem(label, comm_f, val, "no region (community) with this code or name"))
            if reg is not None and len(reg.code) == 12 and not why and code[:12] != reg.code:
                bad[k].append(
                    Problem(
                        label,
                        code_f,
                        code,
                        f"the code does not start with its community's code {reg.code} ({reg.name})",
                    )
                )
        elif not why:
            reg = by_code.get(code[:12])
            if reg is None:
                bad[k].append(
                    Problem(
                        label,
                        code_f,
                        code,
                        f"no region (community) with code {code[:12]}, the first 12 digits of the grid code: import the regions first, or map the community field (--map community=FIELD)",
                    )
                )
        region_of.append(reg)

    # duplicate codes: the later occurrences are the bad ones
    first: dict[str, int] = {}
    for k, code in enumerate(codes):
        if not code:
            continue
        if code in first:
            bad[k].append(Problem(labels[k], code_f, code, f"duplicate code: {labels[first[code]]} has it too"))
        else:
            first[code] = k

    current = session.execute(
        select(UnitGrid.id, UnitGrid.code, UnitGrid.name, UnitGrid.region_id, UnitGrid.geometry).where(
            UnitGrid.valid_to.is_(None)
        )
    ).all()
    touched_regions = {r.id for r in region_of if r is not None}

    # overlaps between the new grids (and, in partial mode, the current grids that stay)
    ok = [k for k in range(len(feats)) if k not in bad]
    ref_geoms = [geoms[k] for k in ok]
    ref_labels = [labels[k] for k in ok]
    ref_pos = list(ok)
    if partial:
        for row in current:
            if row.region_id not in touched_regions:
                ref_geoms.append(shape(row.geometry))
                ref_labels.append(f"current grid {row.code}")
                ref_pos.append(-1)
    if ref_geoms:
        arr = np.array(ref_geoms, dtype=object)
        tree = STRtree(arr)
        a_idx, b_idx = tree.query(arr, predicate="intersects")
        sel = a_idx < b_idx
        a_idx, b_idx = a_idx[sel], b_idx[sel]
        if len(a_idx):
            inter = shapely.intersection(arr[a_idx], arr[b_idx])
            planar = shapely.area(inter)
            for a, b, ig, pa in zip(a_idx, b_idx, inter, planar):
                if pa <= 0:
                    continue
                m2 = _geodesic_area(ig)
                if m2 <= tolerance_m2:
                    continue
                # blame the new feature (the later one when both are new)
                blame, other = (b, a) if ref_pos[b] >= 0 else (a, b)
                if ref_pos[blame] < 0:
                    continue
                bad[ref_pos[blame]].append(
                    Problem(
                        ref_labels[blame],
                        "geometry",
                        "",
                        f"overlaps {ref_labels[other]} by {m2:,.1f} m² (tolerance {tolerance_m2:g} m²)",
                    )
                )

    # the communities' current extents (the union of their current grids)
    by_region_geoms: dict[int, list] = defaultdict(list)
    for row in current:
        if row.region_id in touched_regions:
            by_region_geoms[row.region_id].append(shape(row.geometry))
    extent = {rid: shapely.union_all(gs) for rid, gs in by_region_geoms.items()}
    for u in extent.values():
        shapely.prepare(u)
    reg_by_id = {r.id: r for r in regions}

    # inside the community: its boundary when it was imported with one, else its current extent
    boundary = {
        rid: shape(gj)
        for rid, gj in session.execute(select(Region.id, Region.geometry).where(Region.id.in_(touched_regions))).all()
        if gj
    }
    if check_parent:
        for k in range(len(feats)):
            if k in bad or region_of[k] is None:
                continue
            rid = region_of[k].id
            u = boundary.get(rid, extent.get(rid))
            if u is None or u.covers(geoms[k]):
                continue
            out_m2 = _geodesic_area(shapely.difference(geoms[k], u))
            if out_m2 > tolerance_m2:
                reg = region_of[k]
                what = "its boundary" if rid in boundary else "the union of its current grids"
                bad[k].append(
                    Problem(
                        labels[k],
                        "geometry",
                        "",
                        f"lies {out_m2:,.1f} m² outside its community {reg.code} {reg.name} ({what})",
                    )
                )

    # gaps inside a community: holes in the union of its new grids, and parts of its current
    # extent that no new grid covers
    gap_problems: list[Problem] = []
    members: dict[int, list[int]] = defaultdict(list)
    for k in range(len(feats)):
        if k not in bad and region_of[k] is not None:
            members[region_of[k].id].append(k)
    for rid, ks in members.items():
        r = reg_by_id[rid]
        u = shapely.union_all([geoms[k] for k in ks])
        pieces = [
            Polygon(ring) for poly in getattr(u, "geoms", [u]) if poly.geom_type == "Polygon" for ring in poly.interiors
        ]
        if rid in extent:
            rest = shapely.difference(extent[rid], u)
            pieces += [p for p in getattr(rest, "geoms", [rest]) if p.geom_type == "Polygon" and not p.is_empty]
        for hole in pieces:
            m2 = geo.area_m2(hole)
            if m2 > tolerance_m2:
                p = hole.representative_point()
                gap_problems.append(
                    Problem(
                        f"community {r.code} ({r.name})",
                        "geometry",
                        "",
                        f"gap of {m2:,.1f} m² covered by no grid around ({p.x:.6f}, {p.y:.6f})",
                    )
                )
    warnings: list[Problem] = []
    if not partial:
        file_regions = set(members) | {region_of[k].id for k in bad if region_of[k] is not None}
        dropped = defaultdict(int)
        for row in current:
            if row.region_id not in file_regions:
                dropped[row.region_id] += 1
        for rid, cnt in sorted(dropped.items()):
            r = reg_by_id.get(rid)
            warnings.append(
                Problem(
                    f"community {r.code} ({r.name})" if r else f"region {rid}",
                    "",
                    "",
                    f"none of its {cnt} current grids is in the file: they are all ended (use --partial for a file that covers some communities only)",
                )
            )

    problems = [p for k in sorted(bad) for p in bad[k]]
    if (problems or gap_problems) and not skip_bad:
        raise ImportRejected(
            WHAT,
            file_name,
            problems + gap_problems,
            "Fix the file, or import with --skip-bad to leave the bad features out.",
        )

    report = ImportReport(kind=ImportKind.GRIDS.value, file_name=file_name, read=len(feats))
    report.skipped = problems
    report.warnings = gap_problems + warnings

    # ------------------------------------------------------------------ write
    vf = valid_from or date.today()
    by_code_current: dict[str, list] = defaultdict(list)
    for row in current:
        by_code_current[row.code].append(row)
    skipped_codes = {codes[k] for k in bad if codes[k]}
    new_rows: list[dict] = []
    end_ids: list[int] = []
    renames: list[tuple[int, str]] = []
    created = changed = unchanged = 0
    seen_codes = set()
    for k in range(len(feats)):
        if k in bad:
            continue
        g, code, reg = geoms[k], codes[k], region_of[k]
        seen_codes.add(code)
        olds = by_code_current.get(code, [])
        same = [o for o in olds if o.region_id == reg.id and _same_shape(shape(o.geometry), g)]
        if same and len(olds) == 1:
            unchanged += 1
            if names[k] and names[k] != same[0].name:
                renames.append((same[0].id, names[k]))
            continue
        if olds:
            changed += 1
            end_ids.extend(o.id for o in olds)
        else:
            created += 1
        x0, y0, x1, y1 = g.bounds
        cx, cy = _center(g)
        new_rows.append(
            {
                "code": code,
                "name": names[k],
                "region_id": reg.id,
                "geometry": geojson_of(g),
                "area_m2": round(_geodesic_area(g), 2),
                "center_lon": cx,
                "center_lat": cy,
                "min_lon": x0,
                "min_lat": y0,
                "max_lon": x1,
                "max_lat": y1,
                "valid_from": vf,
                "valid_to": None,
            }
        )
    ended = 0
    for row in current:
        if row.code in seen_codes or row.code in skipped_codes:
            continue
        if partial and row.region_id not in touched_regions:
            continue
        end_ids.append(row.id)
        ended += 1
    for i in range(0, len(end_ids), 500):
        session.execute(update(UnitGrid).where(UnitGrid.id.in_(end_ids[i : i + 500])).values(valid_to=vf))
    for gid, name in renames:
        session.execute(update(UnitGrid).where(UnitGrid.id == gid).values(name=name))
    for i in range(0, len(new_rows), 1000):
        session.execute(insert(UnitGrid), new_rows[i : i + 1000])
    report.imported = len(new_rows) + len(renames)
    report.details = {
        "created": created,
        "changed": changed,
        "ended": ended,
        "unchanged": unchanged,
        "renamed": len(renames),
        "valid_from": vf.isoformat(),
        "crs": crs_label(fs.crs),
        **(info or {}),
    }
    write_batch(session, ImportKind.GRIDS.value, report, user_id=user_id)
    report.seconds = time.perf_counter() - t0
    return report


def import_grids(
    db,
    path: str | Path,
    *,
    crs=None,
    mapping: dict | str | None = None,
    skip_bad: bool = False,
    encoding: str | None = None,
    **kw,
) -> ImportReport:
    """Import a grid layer file (.geojson/.json/.shp) into ``db`` (Engine or URL) in one
    transaction. ``crs`` overrides the file's .prj / GeoJSON crs; other keywords go to
    ``import_grid_features``."""
    fs = read_features(path, crs=crs, encoding=encoding)
    report = run_in_transaction(
        db,
        lambda s: import_grid_features(
            s,
            fs.features,
            mapping=mapping,
            crs=fs.crs,
            skip_bad=skip_bad,
            file_name=fs.file_name,
            fields=fs.fields,
            info={"encoding": fs.encoding} if fs.encoding else None,
            **kw,
        ),
    )
    return report


__all__ = ["ALIASES", "check_code", "grid_code", "import_grid_features", "import_grids"]
