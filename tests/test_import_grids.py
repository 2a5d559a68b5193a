"""Unit-grid import: GeoJSON and a projected GBK Shapefile, the checks, refusals that leave the
database unchanged, and the history kept by a re-import."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

import gridstation.geo.model  # noqa: F401  (the new tables in Base.metadata)
from gridstation.importers import ImportRejected
from gridstation.importers.grids import import_grid_features, import_grids
from gridstation.store.model import Base, Case, ChangeLog, UnitGrid
from gridstation.geo.model import ImportBatch
from gridstation.cases.workflow import Workflow
from tests.data.make import C1, C2, feature, mini_layer_v2, square, write_geojson, write_shapefile
from tests.minicity import DLAT, DLON, LAT0, LON0, build_mini_city


def snapshot(engine) -> dict:
    """Row count of every table, and the last change-log seq."""
    with engine.connect() as c:
        out = {t.name: c.execute(select(func.count()).select_from(t)).scalar() for t in Base.metadata.sorted_tables}
        out["change_log.max"] = c.execute(select(func.max(ChangeLog.seq))).scalar()
        out["open_grids"] = c.execute(select(func.count()).where(UnitGrid.valid_to.is_(None))).scalar()
    return out


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


def current(engine) -> dict[str, UnitGrid]:
    with Session(engine) as s:
        return {g.code: g for g in s.scalars(select(UnitGrid).where(UnitGrid.valid_to.is_(None)))}


def test_geojson_layer_imports_and_keeps_history(engine, city, tmp_path):
    wf = Workflow(engine)
    lon, lat = city.point("G1a")
    old_case = wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat)
    path = write_geojson(tmp_path / "grids_v2.geojson", mini_layer_v2())

    rep = import_grids(engine, path, valid_from=date(2025, 3, 1))

    assert rep.details["created"] == 2 and rep.details["changed"] == 2
    assert rep.details["unchanged"] == 2 and rep.details["ended"] == 0
    cur = current(engine)
    assert sorted(cur) == sorted([f"{C1}00{i}" for i in range(1, 5)] + [f"{C2}001", f"{C2}002"])
    assert cur[f"{C1}001"].valid_from == date(2025, 3, 1)
    assert cur[f"{C1}001"].area_m2 == pytest.approx(5000, rel=0.05)
    # unchanged grids are the same rows as before
    assert cur[f"{C2}001"].id == city.grids["G2a"] and cur[f"{C2}001"].valid_from == date(2020, 1, 1)
    with Session(engine) as s:
        old = s.get(UnitGrid, city.grids["G1a"])
        assert old.valid_to == date(2025, 3, 1) and old.code == f"{C1}001"
        # the old case still points at the grid row it was filed in
        assert s.get(Case, old_case.case_id).grid_id == city.grids["G1a"]
        batch = s.scalars(select(ImportBatch)).one()
        assert batch.kind == "grids" and batch.rows == 4 and batch.rejected == 0
        assert s.scalar(select(ChangeLog.entity).order_by(ChangeLog.seq.desc()).limit(1)) == "import"
    # a new report is filed in the new grids: the old centre now lies on the edge between the
    # north (001) and south (003) halves, and an edge goes to the smaller code
    on_edge = wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat)
    south = wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat - DLAT / 4)
    with Session(engine) as s:
        assert s.get(Case, on_edge.case_id).grid_id == cur[f"{C1}001"].id
        assert s.get(Case, south.case_id).grid_id == cur[f"{C1}003"].id

    # the same file again changes nothing; a layer without 乙一社区 002 ends that grid
    before = snapshot(engine)
    rep2 = import_grids(engine, path, valid_from=date(2025, 4, 1))
    assert rep2.details["unchanged"] == 6 and rep2.imported == 0
    after = snapshot(engine)
    assert after["unit_grid"] == before["unit_grid"] and after["open_grids"] == before["open_grids"]
    # 乙一社区's two grids merged into one: 001 changes, 002 disappears and is ended
    feats = [f for f in mini_layer_v2() if not f["properties"]["code"].startswith(C2)]
    feats.append(feature(f"{C2}001", "乙一合并", square(LON0 + 2 * DLON, LAT0, LON0 + 4 * DLON, LAT0 + DLAT)))
    rep3 = import_grids(engine, write_geojson(tmp_path / "v3.geojson", feats), valid_from=date(2025, 5, 1))
    assert rep3.details["ended"] == 1 and rep3.details["changed"] == 1
    with Session(engine) as s:
        assert s.get(UnitGrid, city.grids["G2b"]).valid_to == date(2025, 5, 1)


def test_projected_gbk_shapefile_with_prj(engine, city, tmp_path):
    feats = mini_layer_v2()
    for f in feats:
        f["properties"]["community"] = f["properties"]["code"][:12]
    shp = write_shapefile(tmp_path / "网格", feats, epsg=4547, encoding="gbk")
    assert not (tmp_path / "网格.cpg").exists()  # no .cpg: utf-8 fails, gbk is tried next

    rep = import_grids(engine, shp, mapping="code=WGBM,name=WGMC,community=SQBM", valid_from=date(2025, 3, 1))

    assert rep.details["encoding"] == "gbk"
    assert "4547" in rep.details["crs"]
    cur = current(engine)
    assert cur[f"{C1}003"].name == "甲一3号网格"
    # projected there and back: the same square to well under a millimetre
    g = cur[f"{C1}003"]
    assert g.min_lon == pytest.approx(LON0, abs=1e-7) and g.max_lat == pytest.approx(LAT0 + DLAT / 2, abs=1e-7)
    # unchanged grids stay unchanged through the projection round trip? They moved by float noise:
    # they are versioned only if the geometry really differs.
    assert rep.details["created"] == 2


def test_shapefile_cpg_is_honoured_and_default_names_found(engine, city, tmp_path):
    feats = mini_layer_v2()
    shp = write_shapefile(tmp_path / "grids", feats, epsg=4490, encoding="utf-8", cpg="UTF-8")
    rep = import_grids(engine, shp)  # WGBM/WGMC/SQBM are known names: no --map needed
    assert rep.details["encoding"] == "utf-8"
    assert current(engine)[f"{C1}004"].name == "甲一4号网格"


def _refused(engine, call) -> ImportRejected:
    before = snapshot(engine)
    with pytest.raises(ImportRejected) as ei:
        call()
    assert snapshot(engine) == before
    return ei.value


def test_bad_layers_are_refused_whole(engine, city, tmp_path):
    layer = mini_layer_v2()
    # duplicate code
    dup = [*layer[:5], feature(layer[0]["properties"]["code"], "重复", layer[5]["geometry"])]
    e = _refused(engine, lambda: import_grids(engine, write_geojson(tmp_path / "dup.geojson", dup)))
    assert "feature 6 (code 410105001001001)" in str(e) and "duplicate code" in str(e)
    # 13-digit code
    short = [*layer[:5], feature("4101050020010", "短", layer[5]["geometry"])]
    e = _refused(engine, lambda: import_grids(engine, write_geojson(tmp_path / "short.geojson", short)))
    assert "feature 6 (code 4101050020010)" in str(e) and "13 digits" in str(e)
    # bow-tie polygon
    x0, y0, x1, y1 = LON0 + 2 * DLON, LAT0, LON0 + 3 * DLON, LAT0 + DLAT
    bowtie = {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y1], [x1, y0], [x0, y1], [x0, y0]]]}
    bad = [*layer[:4], feature(f"{C2}001", "蝴蝶", bowtie), layer[5]]
    e = _refused(engine, lambda: import_grids(engine, write_geojson(tmp_path / "bowtie.geojson", bad)))
    assert "feature 5 (code 410105002001001)" in str(e) and "Self-intersection" in str(e)
    # overlapping grids (the east square of 乙一社区 stretched 30 m west)
    wide = square(LON0 + 2.7 * DLON, LAT0, LON0 + 4 * DLON, LAT0 + DLAT)
    over = [*layer[:5], feature(f"{C2}002", "G2b", wide)]
    e = _refused(engine, lambda: import_grids(engine, write_geojson(tmp_path / "over.geojson", over)))
    assert "feature 6 (code 410105002001002)" in str(e) and "overlaps feature 5" in str(e)
    # a gap inside a community
    gap = [*layer[:5], feature(f"{C2}002", "G2b", square(LON0 + 3.2 * DLON, LAT0, LON0 + 4 * DLON, LAT0 + DLAT))]
    e = _refused(engine, lambda: import_grids(engine, write_geojson(tmp_path / "gap.geojson", gap)))
    assert "community 410105002001 (乙一社区)" in str(e) and "gap of" in str(e)
    # unknown community
    lost = [*layer, feature("410105009009001", "无主", square(LON0 + 4 * DLON, LAT0, LON0 + 5 * DLON, LAT0 + DLAT))]
    e = _refused(engine, lambda: import_grids(engine, write_geojson(tmp_path / "lost.geojson", lost)))
    assert "feature 7 (code 410105009009001)" in str(e) and "410105009009" in str(e)
    # a grid sticking out of its community's current extent
    out = [*layer[:5], feature(f"{C2}002", "G2b", square(LON0 + 3 * DLON, LAT0, LON0 + 4.5 * DLON, LAT0 + DLAT))]
    e = _refused(engine, lambda: import_grids(engine, write_geojson(tmp_path / "out.geojson", out)))
    assert "outside its community 410105002001" in str(e)


def test_hole_inside_a_community_is_a_gap(engine, city, tmp_path):
    # 乙一社区 as a ring of 8 grids around a missing centre cell
    feats, seq = [], 1
    x0, y0 = LON0 + 2 * DLON, LAT0
    dx, dy = DLON * 2 / 3, DLAT / 3
    for j in range(3):
        for i in range(3):
            if (i, j) == (1, 1):
                continue
            feats.append(
                feature(f"{C2}{seq:03d}", "", square(x0 + i * dx, y0 + j * dy, x0 + (i + 1) * dx, y0 + (j + 1) * dy))
            )
            seq += 1
    e = _refused(engine, lambda: import_grids(engine, write_geojson(tmp_path / "hole.geojson", feats), partial=True))
    assert "community 410105002001 (乙一社区)" in str(e) and "gap of" in str(e)


def test_truncated_shapefile_is_refused(engine, city, tmp_path):
    shp = write_shapefile(tmp_path / "cut", mini_layer_v2(), epsg=4547)
    data = shp.read_bytes()
    shp.write_bytes(data[: len(data) - 60])
    e = _refused(engine, lambda: import_grids(engine, shp, mapping="code=WGBM,name=WGMC"))
    assert "truncated" in str(e)


def test_skip_bad_imports_the_rest_and_lists_what_was_left_out(engine, city, tmp_path):
    layer = mini_layer_v2()
    bad = [*layer, feature("41010500100100X", "坏", layer[0]["geometry"])]
    rep = import_grids(engine, write_geojson(tmp_path / "some_bad.geojson", bad), skip_bad=True)
    assert rep.skipped_count == 1 and "feature 7" in rep.skipped[0].where
    assert len(current(engine)) == 6
    with Session(engine) as s:
        b = s.scalars(select(ImportBatch)).one()
        assert b.rejected == 1 and b.report["skipped"][0]["where"].startswith("feature 7")


def test_missing_code_field_and_bad_mapping(engine, city, tmp_path):
    feats = [{"type": "Feature", "properties": {"BH": "x"}, "geometry": f["geometry"]} for f in mini_layer_v2()]
    e = _refused(engine, lambda: import_grids(engine, write_geojson(tmp_path / "nocode.geojson", feats)))
    assert "--map code=FIELD" in str(e)
    e = _refused(
        engine,
        lambda: import_grids(engine, write_geojson(tmp_path / "m.geojson", mini_layer_v2()), mapping="code=WGBM"),
    )
    assert "no field 'WGBM'" in str(e)


def test_projected_geojson_without_crs_is_refused_with_a_hint(engine, city, tmp_path):
    from pyproj import Transformer

    tr = Transformer.from_crs(4326, 4547, always_xy=True)
    feats = mini_layer_v2()
    for f in feats:
        f["geometry"]["coordinates"] = [[list(tr.transform(x, y)) for x, y in r] for r in f["geometry"]["coordinates"]]
    path = write_geojson(tmp_path / "proj.geojson", feats)
    e = _refused(engine, lambda: import_grids(engine, path))
    assert "--crs" in str(e)
    rep = import_grids(engine, path, crs="EPSG:4547")
    assert rep.details["created"] == 2
    path2 = write_geojson(tmp_path / "proj_named.geojson", feats, crs="urn:ogc:def:crs:EPSG::4547")
    rep = import_grids(engine, path2)
    assert rep.details["unchanged"] == 6


def test_in_memory_features_for_the_demo(engine, city):
    with Session(engine) as s, s.begin():
        rep = import_grid_features(s, mini_layer_v2(), valid_from=date(2025, 1, 1))
    assert rep.details["created"] == 2
    # a refusal inside the caller's transaction: the caller's rollback leaves nothing
    before = snapshot(engine)
    with pytest.raises(ImportRejected), Session(engine) as s, s.begin():
        import_grid_features(s, [feature("123", "x", square(0, 0, 1, 1))])
    assert snapshot(engine) == before


def test_migration_0002_matches_the_place_tables(engine):
    """The gazetteer and import-batch tables of the migrations are exactly those of
    ``gridstation.geo.model`` (test_structure compares the whole schema once model.py
    imports model_places)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    mine = {"place", "import_batch"}

    def include_object(obj, name, type_, reflected, compare_to):
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in mine

    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(ctx, Base.metadata) == []
        assert conn.execute(text("SELECT count(*) FROM place")).scalar() == 0
