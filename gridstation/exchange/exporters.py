"""Exports: grids and components to GeoJSON, lists of cases to CSV and Excel.

CSV is written as UTF-8 with a byte-order mark (``utf-8-sig``) so Excel opens the Chinese
headers and text correctly; Excel files are .xlsx (openpyxl). A text a spreadsheet would run
(starting with = + - @ tab CR) is written as text (``store.cells``). The case columns carry Chinese
headers that ``gridstation.importers.cases`` reads back (an export re-imports as it is into
another database).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from gridstation.analytics.drilldown import cases_behind
from gridstation.importers.cases import SOURCE_LABELS, STATE_LABELS
from gridstation.store.cells import csv_safe, excel_safe_sheet
from gridstation.store.model import Case, Category, Component, Department, Region, UnitGrid

COMPONENT_STATE_LABELS = {"intact": "完好", "damaged": "破损", "lost": "丢失", "abandoned": "废弃", "removed": "移除"}

# (header, key) of the case export, in order.
CASE_COLUMNS: list[tuple[str, str]] = [
    ("案件编号", "number"),
    ("案件来源", "source"),
    ("类别编码", "category_code"),
    ("类别名称", "category_name"),
    ("案件状态", "state"),
    ("网格编码", "grid_code"),
    ("经度", "lon"),
    ("纬度", "lat"),
    ("地址", "address"),
    ("问题描述", "description"),
    ("上报时间", "reported_at"),
    ("核实时间", "verified_at"),
    ("立案时间", "filed_at"),
    ("派遣时间", "dispatched_at"),
    ("挂账时间", "parked_at"),
    ("处置时间", "handled_at"),
    ("核查时间", "checked_at"),
    ("结案时间", "closed_at"),
    ("作废时间", "voided_at"),
    ("处置部门编码", "department_code"),
    ("处置部门名称", "department_name"),
    ("派遣次数", "dispatch_count"),
    ("返工次数", "rework_count"),
    ("上报人", "reporter_name"),
    ("联系电话", "reporter_phone"),
]


def _write_geojson(path: Path, features: list[dict]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump({"type": "FeatureCollection", "features": features}, f, ensure_ascii=False)
    return len(features)


def export_grids_geojson(session: Session, path: str | Path, *, history: bool = False) -> int:
    """Current grids (``history=True``: every grid row with its validity) to GeoJSON; returns the count."""
    q = (
        select(UnitGrid, Region.code.label("community_code"), Region.name.label("community_name"))
        .join(Region, Region.id == UnitGrid.region_id)
        .order_by(UnitGrid.code, UnitGrid.valid_from)
    )
    if not history:
        q = q.where(UnitGrid.valid_to.is_(None))
    feats = []
    for g, ccode, cname in session.execute(q):
        feats.append(
            {
                "type": "Feature",
                "geometry": g.geometry,
                "properties": {
                    "code": g.code,
                    "name": g.name,
                    "community": ccode,
                    "community_name": cname,
                    "area_m2": g.area_m2,
                    "valid_from": g.valid_from.isoformat(),
                    "valid_to": g.valid_to.isoformat() if g.valid_to else None,
                },
            }
        )
    return _write_geojson(Path(path), feats)


def export_components_geojson(session: Session, path: str | Path) -> int:
    """Components as GeoJSON points with Chinese-readable attributes; returns the count."""
    q = (
        select(Component, Category.code, Category.name, Department.code, Department.name, UnitGrid.code)
        .outerjoin(Category, Category.id == Component.category_id)
        .outerjoin(Department, Department.id == Component.department_id)
        .outerjoin(UnitGrid, UnitGrid.id == Component.grid_id)
        .order_by(Component.code)
    )
    feats = []
    for c, ccode, cname, dcode, dname, gcode in session.execute(q):
        feats.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [c.lon, c.lat]},
                "properties": {
                    "code": c.code,
                    "name": c.name,
                    "category": ccode,
                    "category_name": cname,
                    "department": dcode,
                    "department_name": dname,
                    "owner": c.owner,
                    "maintainer": c.maintainer,
                    "state": COMPONENT_STATE_LABELS.get(c.state, c.state),
                    "grid": gcode,
                },
            }
        )
    return _write_geojson(Path(path), feats)


def case_rows(session: Session, *, ids: Iterable[int] | None = None, where: Sequence = (), order_by=None) -> list[dict]:
    """The export rows of the cases with ``ids`` or matching the SQLAlchemy conditions ``where``."""
    dept = aliased(Department)
    q = (
        select(Case, Category.code, Category.name, UnitGrid.code, dept.code, dept.name)
        .outerjoin(Category, Category.id == Case.category_id)
        .outerjoin(UnitGrid, UnitGrid.id == Case.grid_id)
        .outerjoin(dept, dept.id == Case.current_department_id)
        .order_by(order_by if order_by is not None else Case.reported_at, Case.id)
    )
    for cond in where:
        q = q.where(cond)
    out = []
    idlist = list(ids) if ids is not None else None
    chunks = [idlist[i : i + 900] for i in range(0, len(idlist), 900)] if idlist is not None else [None]
    for chunk in chunks:
        qq = q if chunk is None else q.where(Case.id.in_(chunk))
        for c, ccode, cname, gcode, dcode, dname in session.execute(qq):
            out.append(
                {
                    "number": c.number,
                    "source": SOURCE_LABELS.get(c.source, c.source),
                    "category_code": ccode or "",
                    "category_name": cname or "",
                    "state": STATE_LABELS.get(c.state, c.state),
                    "grid_code": gcode or "",
                    "lon": c.lon,
                    "lat": c.lat,
                    "address": c.address,
                    "description": c.description,
                    "reported_at": c.reported_at,
                    "verified_at": c.verified_at,
                    "filed_at": c.filed_at,
                    "dispatched_at": c.dispatched_at,
                    "parked_at": c.parked_at if c.state == "parked" else None,
                    "handled_at": c.handled_at,
                    "checked_at": c.checked_at,
                    "closed_at": c.closed_at,
                    "voided_at": c.voided_at,
                    "department_code": dcode or "",
                    "department_name": dname or "",
                    "dispatch_count": c.dispatch_count,
                    "rework_count": c.rework_count,
                    "reporter_name": c.reporter_name,
                    "reporter_phone": c.reporter_phone,
                }
            )
    return out


def _fmt(v):
    if isinstance(v, datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, date):
        return v.isoformat()
    return "" if v is None else v


def export_cases(session: Session, path: str | Path, *, ids: Iterable[int] | None = None, where: Sequence = ()) -> int:
    """Cases to .csv (utf-8-sig) or .xlsx with Chinese headers; returns the number of cases."""
    import pandas as pd

    path = Path(path)
    rows = case_rows(session, ids=ids, where=where)
    headers = [h for h, _ in CASE_COLUMNS]
    data = [[_fmt(r[k]) for _, k in CASE_COLUMNS] for r in rows]
    df = pd.DataFrame(data, columns=headers)
    path.parent.mkdir(parents=True, exist_ok=True)
    ext = path.suffix.lower()
    if ext == ".csv":
        df.map(csv_safe).to_csv(path, index=False, encoding="utf-8-sig")
    elif ext in (".xlsx", ".xlsm"):
        with pd.ExcelWriter(path, engine="openpyxl") as xw:
            df.to_excel(xw, index=False, sheet_name="案件")
            ws = xw.sheets["案件"]
            excel_safe_sheet(ws)  # a description starting with "=" is text, not a formula
            for i, h in enumerate(headers, start=1):
                width = 20 if "时间" in h else (40 if h in ("问题描述", "地址") else 14)
                ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
            ws.freeze_panes = "B2"
    else:
        raise ValueError(f"unknown export format {ext!r}: use .csv or .xlsx")
    return len(rows)


def export_cases_behind(
    session: Session,
    node,
    period,
    figure: str,
    path: str | Path,
    *,
    now: datetime | None = None,
) -> int:
    """Write the cases behind a number of the drill-down to .xlsx (or .csv); returns how many."""
    ids = cases_behind(session, node, period, figure, now=now)
    return export_cases(session, path, ids=ids)


__all__ = ["CASE_COLUMNS", "case_rows", "export_cases", "export_cases_behind", "export_components_geojson",
           "export_grids_geojson"]
