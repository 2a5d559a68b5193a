"""Onboarding a new center from its GIS office's files, by commands alone (issue 15, "Done
when"), on SQLite and PostgreSQL: levels, the city node, district (projected GeoJSON, EPSG:4547),
street (projected GBK Shapefile with .prj) and community (WGS84 GeoJSON, parents by
containment) boundary layers, then the grid layer with its parent check on; ``locate`` answers
with grid and community; an overlapping community layer is refused whole and ``export
regions`` is unchanged. And the refusals: gaps, unknown parents, duplicate codes, a grid
outside its community."""

from __future__ import annotations

import json

import pytest
from pyproj import Transformer
from sqlalchemy import func, select

from gridstation.cli import main
from gridstation.store.db import session_factory
from gridstation.store.model import Region, RegionLevel, UnitGrid
from tests.data.make import square, write_geojson, write_shapefile

X0, Y0 = 113.60, 34.70  # the city: two districts side by side, 0.05° each
W = 0.05
TO_4547 = Transformer.from_crs(4326, 4547, always_xy=True)


def feat(code, name, geom, **props):
    return {"type": "Feature", "properties": {"code": code, "name": name, **props}, "geometry": geom}


def projected(f):
    ring = [list(TO_4547.transform(x, y)) for x, y in f["geometry"]["coordinates"][0]]
    return {**f, "geometry": {"type": "Polygon", "coordinates": [ring]}}


def districts():
    return [feat("410102", "中原区", square(X0, Y0, X0 + W, Y0 + W)),
            feat("410103", "二七区", square(X0 + W, Y0, X0 + 2 * W, Y0 + W))]


def streets():
    out = []
    for i, d in enumerate(("410102", "410103")):
        x = X0 + i * W
        out.append(feat(f"{d}001", f"{'中原二七'[2 * i:2 * i + 2]}北街道", square(x, Y0 + W / 2, x + W, Y0 + W), community=d))
        out.append(feat(f"{d}002", f"{'中原二七'[2 * i:2 * i + 2]}南街道", square(x, Y0, x + W, Y0 + W / 2), community=d))
    return out


def communities():
    out = []
    for s in streets():
        (x0, y0), _, (x1, y1) = s["geometry"]["coordinates"][0][0], None, s["geometry"]["coordinates"][0][2]
        xm = (x0 + x1) / 2
        out.append(feat(f"{s['properties']['code']}001", s["properties"]["name"] + "西社区", square(x0, y0, xm, y1)))
        out.append(feat(f"{s['properties']['code']}002", s["properties"]["name"] + "东社区", square(xm, y0, x1, y1)))
    return out


def grids():
    out = []
    for c in communities():
        (x0, y0), (x1, y1) = c["geometry"]["coordinates"][0][0], c["geometry"]["coordinates"][0][2]
        xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
        cells = [(x0, ym, xm, y1), (xm, ym, x1, y1), (x0, y0, xm, ym), (xm, y0, x1, ym)]  # west→east, north→south
        for n, (a, b, cc, d) in enumerate(cells, start=1):
            out.append(feat(f"{c['properties']['code']}{n:03d}", f"网格{n}", square(a, b, cc, d)))
    return out


def run(db_url, capsys, *argv) -> tuple[int, str]:
    code = main(["--db", db_url, *argv])
    out = capsys.readouterr()
    return code, out.out + out.err


@pytest.fixture
def files(tmp_path):
    d = {
        "districts": write_geojson(tmp_path / "districts.geojson", [projected(f) for f in districts()],
                                   crs="urn:ogc:def:crs:EPSG::4547"),
        "streets": write_shapefile(tmp_path / "streets", streets(), epsg=4547, encoding="gbk",
                                   fields=("XZQDM", "XZQMC", "SJDM")),
        "communities": write_geojson(tmp_path / "communities.geojson", communities()),
        "grids": write_geojson(tmp_path / "grids.geojson", grids()),
    }
    return d


def onboard(db_url, capsys, files) -> None:
    steps = [
        ["regions", "levels", "city=市", "district=区", "street=街道", "community=社区"],
        ["regions", "add", "4101", "郑州市", "--level", "city"],
        ["import", "regions", str(files["districts"]), "--level", "district", "--parent", "4101"],
        ["import", "regions", str(files["streets"]), "--level", "street", "--map", "code=XZQDM,name=XZQMC,parent=SJDM"],
        ["import", "regions", str(files["communities"]), "--level", "community"],
        ["import", "grids", str(files["grids"])],
    ]
    for argv in steps:
        code, out = run(db_url, capsys, *argv)
        assert code == 0, (argv, out)


def test_done_when_from_an_empty_database_by_commands_alone(engine, db_url, capsys, files, tmp_path):
    onboard(db_url, capsys, files)
    with session_factory(engine)() as s:
        assert [lv.key for lv in s.scalars(select(RegionLevel).order_by(RegionLevel.depth))] == \
            ["city", "district", "street", "community"]
        by_depth = dict(s.execute(select(Region.depth, func.count()).group_by(Region.depth)).all())
        assert by_depth == {1: 1, 2: 2, 3: 4, 4: 8}
        st = s.scalar(select(Region).where(Region.code == "410103002"))
        assert st.name == "二七南街道"  # read from the GBK .dbf
        assert s.get(Region, st.parent_id).code == "410103"
        comm = s.scalar(select(Region).where(Region.code == "410103002002"))
        assert comm.parent_id == st.id and comm.path.startswith(st.path)  # parent found by containment
        assert comm.area_m2 == pytest.approx(0.025 * 0.025 * 111_320 ** 2 * 0.822, rel=0.02)
        assert s.scalar(select(func.count()).select_from(UnitGrid)) == 32

    # locate: grid and community for a point inside
    code, out = run(db_url, capsys, "locate", str(X0 + 2 * W - 0.001), str(Y0 + 0.001))
    assert code == 0 and "410103002002004" in out and "community 410103002002" in out

    export1 = tmp_path / "regions1.geojson"
    assert run(db_url, capsys, "export", "regions", "--out", str(export1))[0] == 0
    data = json.loads(export1.read_text(encoding="utf-8"))
    props = {f["properties"]["code"]: f["properties"] for f in data["features"]}
    assert props["410102001001"] == {"code": "410102001001", "name": "中原北街道西社区", "level": "community",
                                     "depth": 4, "parent": "410102001", "active": True}
    assert props["4101"]["parent"] is None and next(f for f in data["features"]
                                                     if f["properties"]["code"] == "4101")["geometry"] is None

    # an overlapping community layer is refused whole; export regions is unchanged
    bad = communities()
    ring = bad[1]["geometry"]["coordinates"][0]
    bad[1]["geometry"] = square(ring[0][0] - 0.005, ring[0][1], ring[2][0], ring[2][1])  # reaches into its neighbour
    bad[1]["properties"]["name"] = "改名不应生效"
    path = write_geojson(tmp_path / "communities_bad.geojson", bad)
    code, out = run(db_url, capsys, "import", "regions", str(path), "--level", "community", "--replace")
    assert code == 2 and "overlaps" in out and "410102001002" in out
    export2 = tmp_path / "regions2.geojson"
    assert run(db_url, capsys, "export", "regions", "--out", str(export2))[0] == 0
    assert export2.read_bytes() == export1.read_bytes()

    # the same layer, corrected, replaces in place (names and boundaries), parents unchanged
    good = communities()
    good[1]["properties"]["name"] = "中原北街道东社区（新名）"
    path = write_geojson(tmp_path / "communities_v2.geojson", good)
    code, out = run(db_url, capsys, "import", "regions", str(path), "--level", "community", "--replace")
    assert code == 0 and "updated 8" in out, out


def test_refusals_name_every_problem_and_write_nothing(engine, db_url, capsys, files, tmp_path):
    onboard(db_url, capsys, files)
    export1 = tmp_path / "before.geojson"
    run(db_url, capsys, "export", "regions", "--out", str(export1))
    with session_factory(engine)() as s:
        n_regions = s.scalar(select(func.count()).select_from(Region))

    def refused(argv, *words):
        code, out = run(db_url, capsys, *argv)
        assert code == 2, out
        for w in words:
            assert w in out, (w, out)

    # a street layer that leaves a gap in its district, with a duplicate code and an unknown parent
    sts = streets()
    sts[1]["geometry"] = square(X0, Y0 + 0.01, X0 + W, Y0 + W / 2)  # 中原南 stops 0.01° short of the edge
    sts.append(feat("410103001", "重复", square(X0 + 3 * W, Y0, X0 + 4 * W, Y0 + W), community="410199"))
    path = write_geojson(tmp_path / "streets_bad.geojson", sts)
    refused(["import", "regions", str(path), "--level", "street", "--replace", "--map", "parent=community"],
            "gap of", "district 410102", "duplicate code", "unknown parent")
    # a community outside every street (no parent by containment)
    far = [feat("410199001001", "飞地", square(X0 + 5 * W, Y0, X0 + 6 * W, Y0 + W))]
    refused(["import", "regions", str(write_geojson(tmp_path / "far.geojson", far)), "--level", "community"],
            "unknown parent")
    # a new community whose code exists
    refused(["import", "regions", str(files["communities"]), "--level", "community"], "exists already")
    # an unknown level; more than 6 levels
    refused(["import", "regions", str(files["communities"]), "--level", "village"], "no region level")
    refused(["regions", "levels", *[f"l{i}=级{i}" for i in range(7)]], "from 2 to 6 levels")
    # a grid that reaches out of its community's boundary (the parent check)
    gs = grids()
    ring = gs[0]["geometry"]["coordinates"][0]
    gs[0]["geometry"] = square(ring[0][0] - 0.002, ring[0][1], ring[2][0], ring[2][1])
    refused(["import", "grids", str(write_geojson(tmp_path / "grids_bad.geojson", gs))], "outside its community")

    export2 = tmp_path / "after.geojson"
    run(db_url, capsys, "export", "regions", "--out", str(export2))
    assert export2.read_bytes() == export1.read_bytes()
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Region)) == n_regions


def test_a_level_between_existing_ones(engine, db_url, capsys, files):
    onboard(db_url, capsys, files)
    code, out = run(db_url, capsys, "regions", "levels", "city=市", "district=区", "zone=片区", "street=街道",
                    "community=社区")
    assert code == 0 and "zone" in out, out
    with session_factory(engine)() as s:
        assert [lv.key for lv in s.scalars(select(RegionLevel).order_by(RegionLevel.depth))] == \
            ["city", "district", "zone", "street", "community"]
        st = s.scalar(select(Region).where(Region.code == "410103002"))
        assert st.depth == 4 and s.get(Region, st.parent_id).code == "410103"
        assert s.scalar(select(Region.depth).where(Region.code == "410103002002")) == 5
    # dropping or reordering existing levels is refused while regions exist
    assert run(db_url, capsys, "regions", "levels", "city=市", "street=街道", "community=社区")[0] == 2
    assert run(db_url, capsys, "regions", "levels", "city=市", "street=街道", "district=区", "zone=片区",
               "community=社区")[0] == 2
