"""Component (部件) import: 16-digit ids checked against regions and the catalogue, each
component placed in its grid by point."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import gridstation.geo.model  # noqa: F401
from gridstation.exchange.exporters import export_components_geojson
from gridstation.importers import ImportRejected
from gridstation.importers.components import import_component_rows, import_components
from gridstation.store.model import ChangeLog, Component
from tests.data.make import write_geojson
from tests.minicity import DLAT, DLON, LAT0, LON0, build_mini_city


def rows():
    return [
        {
            "部件编码": "4101050102000001",
            "部件名称": "花园路污水井盖",
            "主管部门": "D02",
            "权属单位": "市政",
            "状态": "完好",
            "经度": LON0 + 0.5 * DLON,
            "纬度": LAT0 + 0.5 * DLAT,
        },
        {
            "部件编码": "4101050102000002",
            "部件名称": "农业路污水井盖",
            "主管部门": "市政管理处",
            "状态": "破损",
            "经度": LON0 + 2.5 * DLON,
            "纬度": LAT0 + 0.2 * DLAT,
        },
    ]


def test_components_from_csv_assigned_to_grids(engine, tmp_path):
    city = build_mini_city(engine)
    p = tmp_path / "部件.csv"
    pd.DataFrame(rows()).to_csv(p, index=False, encoding="utf-8-sig")
    rep = import_components(engine, p)
    assert rep.imported == 2 and rep.details["created"] == 2
    with Session(engine) as s:
        comps = {c.code: c for c in s.scalars(select(Component))}
        a, b = comps["4101050102000001"], comps["4101050102000002"]
        assert a.grid_id == city.grids["G1a"] and b.grid_id == city.grids["G2a"]
        assert a.category_id == city.cats["MANHOLE"] and a.department_id == city.depts["MUN"]
        assert b.state == "damaged" and b.department_id == city.depts["MUN"]
    # re-import updates in place (same ids)
    r2 = rows()
    r2[0]["状态"] = "丢失"
    pd.DataFrame(r2).to_csv(p, index=False, encoding="utf-8-sig")
    rep = import_components(engine, p)
    assert rep.details == {"created": 0, "updated": 2}
    with Session(engine) as s:
        assert s.scalars(select(Component).where(Component.code == "4101050102000001")).one().id == a.id
        assert s.scalars(select(Component).where(Component.code == "4101050102000001")).one().state == "lost"
    # GeoJSON round trip through the exporter
    out = tmp_path / "components.geojson"
    with Session(engine) as s:
        assert export_components_geojson(s, out) == 2


def test_bad_component_rows_are_refused_with_row_and_reason(engine, tmp_path):
    build_mini_city(engine)
    bad = rows() + [
        {"部件编码": "410105010200003", "经度": LON0, "纬度": LAT0},  # 15 digits
        {"部件编码": "4199990102000004", "经度": LON0, "纬度": LAT0},  # unknown county
        {"部件编码": "4101059901000005", "经度": LON0, "纬度": LAT0},  # unknown class 99/01
        {"部件编码": "4101050102000001", "经度": LON0, "纬度": LAT0},  # duplicate
        {"部件编码": "4101050102000006", "经度": LON0 - 1, "纬度": LAT0},  # outside every grid
        {"部件编码": "4101050102000007", "主管部门": "无此部门", "状态": "很好", "经度": LON0, "纬度": LAT0},
    ]
    p = tmp_path / "bad.csv"
    pd.DataFrame(bad).to_csv(p, index=False)
    with Session(engine) as s:
        before = (s.scalar(select(func.count()).select_from(Component)), s.scalar(select(func.max(ChangeLog.seq))))
    with pytest.raises(ImportRejected) as ei:
        import_components(engine, p)
    msg = str(ei.value)
    for expected in [
        "row 4 (code 410105010200003)",
        "16 digits",
        "admin prefix 419999",
        "class 99/01",
        "row 7 (code 4101050102000001)",
        "duplicate",
        "no current unit grid",
        "无此部门",
        "很好",
    ]:
        assert expected in msg, expected
    with Session(engine) as s:
        assert (
            s.scalar(select(func.count()).select_from(Component)),
            s.scalar(select(func.max(ChangeLog.seq))),
        ) == before
    rep = import_components(engine, p, skip_bad=True)
    assert rep.imported == 2 and rep.skipped_count == 6


def test_components_from_geojson_points(engine, tmp_path):
    build_mini_city(engine)
    feats = [
        {
            "type": "Feature",
            "properties": {"code": r["部件编码"], "name": r["部件名称"], "state": "intact"},
            "geometry": {"type": "Point", "coordinates": [r["经度"], r["纬度"]]},
        }
        for r in rows()
    ]
    rep = import_components(engine, write_geojson(tmp_path / "c.geojson", feats))
    assert rep.imported == 2
    with Session(engine) as s, s.begin():
        rep = import_component_rows(
            s, [{"code": "4101050102000009", "lon": LON0 + 0.1 * DLON, "lat": LAT0 + 0.1 * DLAT}]
        )
        assert rep.details["created"] == 1
