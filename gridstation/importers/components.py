"""Components (部件) from CSV, Excel or GeoJSON, each placed in its unit grid by its point.

Columns (Chinese or English headers; ``mapping`` renames): ``code`` 部件编码/标识码 (16 digits
= 6 admin + 2 major class + 2 minor class + 6 sequence), ``name`` 部件名称, ``department``
主管部门/责任部门 (a department code or name), ``owner`` 权属单位, ``maintainer`` 养护单位,
``state`` 状态 (完好/破损/丢失/废弃/移除 or intact/damaged/lost/abandoned/removed; default
完好), ``lon`` 经度 and ``lat`` 纬度 (GeoJSON Point features carry their point instead).

Checks: 16 digits; the first 6 are a county-level region code of the database (when it has
any); the major+minor class (digits 7-10) is a component category of the catalogue whose code
carries those 4 digits (when the catalogue has such codes); the department exists; the point
lies in a current grid; a code appears once in the file. A code already in the database is
updated in place (a component keeps its id, so cases that name it stay linked).
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from gridstation.store.model import Category, CategoryKind, Component, ComponentState, Department, Region
from gridstation.geo.model import ImportKind
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

KEYS = ["code", "name", "department", "owner", "maintainer", "state", "lon", "lat"]
ALIASES = {
    "code": ["部件编码", "部件标识码", "标识码", "编码", "bjbm", "bsm", "component_code", "id"],
    "name": ["部件名称", "名称", "bjmc"],
    "department": ["dept", "主管部门", "责任部门", "部门", "department_code", "部门编码"],
    "owner": ["权属单位", "产权单位", "所属单位"],
    "maintainer": ["养护单位", "维护单位"],
    "state": ["status", "状态", "部件状态"],
    "lon": ["longitude", "x", "经度", "lng"],
    "lat": ["latitude", "y", "纬度"],
}
STATE_NAMES = {"完好": "intact", "破损": "damaged", "丢失": "lost", "废弃": "abandoned", "移除": "removed"}
WHAT = "component"


def import_component_rows(
    session: Session,
    rows,
    *,
    mapping: dict | str | None = None,
    skip_bad: bool = False,
    file_name: str = "",
    user_id: int | None = None,
    grid_index: GridIndex | None = None,
) -> ImportReport:
    """Check and write component rows (dicts) in the caller's transaction (the demo can use it)."""
    t0 = time.perf_counter()
    rows = list(rows)
    mapping = parse_mapping(mapping)
    fields: list[str] = []
    for r in rows[:1000]:
        for k in r:
            if k not in fields and not k.startswith("_"):
                fields.append(k)
    check_mapping(fields, mapping, KEYS, file_name, WHAT)
    f = {k: pick_field(fields, k, mapping, ALIASES) for k in KEYS}
    if f["code"] is None:
        raise ImportRejected(
            WHAT,
            file_name,
            [
                Problem(
                    "file",
                    "code",
                    "",
                    f"no component-code column among {', '.join(fields)}: name it with --map code=COLUMN",
                )
            ],
        )

    counties = {c for (c,) in session.execute(select(Region.code)) if len(c) == 6 and c.isdigit()}
    classes: dict[str, int] = {}
    for cid, code, is_leaf in session.execute(
        select(Category.id, Category.code, Category.is_leaf).where(Category.kind == CategoryKind.COMPONENT.value)
    ):
        digits = re.sub(r"\D", "", code)
        if len(digits) == 4 and (digits not in classes or is_leaf):
            classes[digits] = cid
    depts = {}
    for did, code, name in session.execute(select(Department.id, Department.code, Department.name)):
        depts.setdefault(code, did)
        depts.setdefault(name, did)
    existing = dict(session.execute(select(Component.code, Component.id)).all())

    def get(r, key):
        col = f[key]
        return cell(r.get(col)) if col else ""

    problems: list[Problem] = []
    good: list[dict] = []
    seen: dict[str, str] = {}
    for i, r in enumerate(rows, start=1):
        code = get(r, "code")
        where = f"row {r.get('_row', i)}" + (f" (code {code})" if code else "")
        errs: list[Problem] = []
        if r.get("_geom_problem"):
            errs.append(Problem(where, "geometry", "", r["_geom_problem"]))
        cat_id = None
        if not (code.isdigit() and len(code) == 16):
            errs.append(
                Problem(
                    where, f["code"], code, "a component id has 16 digits (6 admin + 2 major + 2 minor + 6 sequence)"
                )
            )
        else:
            if counties and code[:6] not in counties:
                errs.append(
                    Problem(
                        where,
                        f["code"],
                        code,
                        f"admin prefix {code[:6]} is not a county/district of this city ({', '.join(sorted(counties))})",
                    )
                )
            if classes:
                cat_id = classes.get(code[6:10])
                if cat_id is None:
                    errs.append(
                        Problem(
                            where,
                            f["code"],
                            code,
                            f"major/minor class {code[6:8]}/{code[8:10]} is not a component category of the catalogue",
                        )
                    )
            if code in seen:
                errs.append(Problem(where, f["code"], code, f"duplicate id: {seen[code]} has it too"))
            else:
                seen[code] = where
        dept_id = None
        dval = get(r, "department")
        if dval:
            dept_id = depts.get(dval)
            if dept_id is None:
                errs.append(Problem(where, f["department"], dval, "no department with this code or name"))
        state = get(r, "state") or "完好"
        state = STATE_NAMES.get(state, state.lower())
        if state not in {s.value for s in ComponentState}:
            errs.append(Problem(where, f["state"], get(r, "state"), "state is one of 完好, 破损, 丢失, 废弃, 移除"))
        lon_raw, lat_raw = get(r, "lon"), get(r, "lat")
        try:
            lon, lat = float(lon_raw), float(lat_raw)
            if not lonlat_ok(lon, lat):
                raise ValueError
        except ValueError:
            lon = lat = None
            errs.append(
                Problem(
                    where,
                    f"{f['lon'] or 'lon'}/{f['lat'] or 'lat'}",
                    f"{lon_raw}, {lat_raw}",
                    "needs a longitude and latitude in degrees",
                )
            )
        for key in ("name", "owner", "maintainer"):
            why = limits.too_long(get(r, key), limits.NAME)
            if why:
                errs.append(Problem(where, f[key] or key, get(r, key)[:40] + "…", why))
        if errs:
            problems += errs
            continue
        good.append(
            {
                "_where": where,
                "code": code,
                "category_id": cat_id,
                "name": get(r, "name"),
                "owner": get(r, "owner"),
                "maintainer": get(r, "maintainer"),
                "department_id": dept_id,
                "state": state,
                "lon": lon,
                "lat": lat,
            }
        )
    idx = grid_index or GridIndex.from_session(session)
    gids = idx.locate_many([g["lon"] for g in good], [g["lat"] for g in good])
    kept = []
    for g, gid in zip(good, gids):
        if gid == NO_GRID:
            problems.append(
                Problem(
                    g["_where"], "lon/lat", f"{g['lon']:.6f}, {g['lat']:.6f}", "the point lies in no current unit grid"
                )
            )
            continue
        g["grid_id"] = int(gid)
        kept.append(g)
    if problems and not skip_bad:
        raise ImportRejected(
            WHAT, file_name, problems, "Fix the file, or import with --skip-bad to leave the bad rows out."
        )
    report = ImportReport(kind=ImportKind.COMPONENTS.value, file_name=file_name, read=len(rows), skipped=problems)
    new, upd = [], []
    for g in kept:
        g.pop("_where")
        if g["code"] in existing:
            upd.append(g)
        else:
            new.append(g)
    for i in range(0, len(new), 5000):
        session.execute(insert(Component), new[i : i + 5000])
    for g in upd:
        session.execute(update(Component).where(Component.id == existing[g["code"]]).values(**g))
    report.imported = len(kept)
    report.details = {"created": len(new), "updated": len(upd)}
    write_batch(session, ImportKind.COMPONENTS.value, report, user_id=user_id)
    report.seconds = time.perf_counter() - t0
    return report


def read_component_rows(path: str | Path, *, crs=None) -> tuple[list[dict], list[Problem], str]:
    path = Path(path)
    if path.suffix.lower() in (".geojson", ".json", ".shp"):
        fs = read_features(path, crs=crs)
        rows, probs = points_of(fs)
        return rows, probs, fs.file_name
    df = read_table(path)
    rows = df.to_dict("records")
    for i, r in enumerate(rows, start=2):
        r["_row"] = i
    return rows, [], path.name


def import_components(
    db, path: str | Path, *, mapping=None, skip_bad=False, crs=None, user_id: int | None = None
) -> ImportReport:
    """Import a component file (.csv/.xlsx/.geojson/.json/.shp) in one transaction."""
    rows, probs, name = read_component_rows(path, crs=crs)
    if probs and not skip_bad:
        raise ImportRejected(WHAT, name, probs)
    return run_in_transaction(
        db,
        lambda s: import_component_rows(s, rows, mapping=mapping, skip_bad=skip_bad, file_name=name, user_id=user_id),
    )


__all__ = ["import_component_rows", "import_components", "read_component_rows"]
