"""The data commands: import, geocode, locate, export; errors exit 2 with the database unchanged."""

from __future__ import annotations

import argparse
import json

import pandas as pd

import gridstation.geo.model  # noqa: F401
from gridstation.cli.data import register
from tests.data.make import feature, mini_layer_v2, write_geojson, write_shapefile
from tests.minicity import DLAT, DLON, LAT0, LON0, build_mini_city
from tests.test_geocode import gazetteer_rows
from tests.test_import_cases import history_rows, write_csv
from tests.test_import_grids import snapshot


def run(db_url, *argv) -> int:
    p = argparse.ArgumentParser(prog="gridstation")
    p.add_argument("--db")
    register(p.add_subparsers(dest="command", required=True))
    args = p.parse_args(["--db", db_url, *argv])
    return args.func(args)


def test_cli_round(engine, db_url, tmp_path, capsys):
    city = build_mini_city(engine)
    shp = write_shapefile(tmp_path / "grids", mini_layer_v2(), epsg=4547)
    assert run(db_url, "import", "grids", str(shp), "--map", "code=WGBM,name=WGMC", "--valid-from", "2025-03-01") == 0
    assert "created 2" in capsys.readouterr().out

    places = tmp_path / "places.csv"
    pd.DataFrame(gazetteer_rows()).to_csv(places, index=False)
    assert run(db_url, "import", "places", str(places)) == 0
    assert run(db_url, "geocode", "金水区花园路８号") == 0
    lines = capsys.readouterr().out.splitlines()
    first = next(ln for ln in lines if ln.startswith("1.00"))
    assert "花园路8号  [门(楼)牌]" in first and "grid 410105001001004" in first  # the new layer's south half

    assert run(db_url, "locate", str(LON0 + 0.5 * DLON), str(LAT0 + 0.25 * DLAT)) == 0
    assert "410105001001003" in capsys.readouterr().out

    comps = tmp_path / "c.csv"
    pd.DataFrame([{"部件编码": "4101050102000001", "经度": LON0 + 0.5 * DLON, "纬度": LAT0 + 0.5 * DLAT}]).to_csv(
        comps, index=False
    )
    assert run(db_url, "import", "components", str(comps)) == 0

    assert run(db_url, "import", "cases", str(write_csv(tmp_path / "h.csv", history_rows(city)))) == 0
    for what, out_file in [("grids", "g.geojson"), ("components", "c.geojson"), ("cases", "c.xlsx")]:
        assert run(db_url, "export", what, "--out", str(tmp_path / out_file)) == 0
    assert run(db_url, "export", "cases", "--out", str(tmp_path / "closed.csv"), "--state", "closed") == 0
    assert "exported 1 cases" in capsys.readouterr().out.splitlines()[-1]
    data = json.loads((tmp_path / "g.geojson").read_text(encoding="utf-8"))
    assert len(data["features"]) == 6


def test_cli_errors_exit_2_and_change_nothing(engine, db_url, tmp_path, capsys):
    city = build_mini_city(engine)
    before = snapshot(engine)
    layer = mini_layer_v2()
    dup = write_geojson(
        tmp_path / "dup.geojson", [*layer, feature(layer[0]["properties"]["code"], "x", layer[5]["geometry"])]
    )
    assert run(db_url, "import", "grids", str(dup)) == 2
    err = capsys.readouterr().err
    assert "feature 7 (code 410105001001001)" in err and "duplicate code" in err
    rows = history_rows(city)
    rows[3]["立案时间"] = "昨天"
    assert run(db_url, "import", "cases", str(write_csv(tmp_path / "bad.csv", rows))) == 2
    err = capsys.readouterr().err
    assert "row 5 (2024030600001): 立案时间 = '昨天'" in err
    assert run(db_url, "import", "grids", str(tmp_path / "missing.shp")) == 2
    assert "does not exist" in capsys.readouterr().err
    assert run(db_url, "import", "grids", str(dup), "--crs", "EPSG:999999") == 2
    assert run(db_url, "locate", "0", "0") == 2
    assert "no unit grid" in capsys.readouterr().err
    assert snapshot(engine) == before
