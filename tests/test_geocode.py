"""Gazetteer import and geocoding of the usual ways of writing a Chinese address."""

from __future__ import annotations

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import gridstation.geo.model  # noqa: F401
from gridstation.geo.geocode import Geocoder, geocode, normalize, parse_address
from gridstation.importers import ImportRejected
from gridstation.importers.places import import_place_rows, import_places
from gridstation.geo.model import Place
from tests.data.make import write_geojson
from tests.minicity import DLAT, DLON, LAT0, LON0, build_mini_city


def gazetteer_rows() -> list[dict]:
    """花园路 runs west→east through the four mini-city squares with doorplates 1-20 (odd on
    the north side, even on the south side); 农业路 has a few; two POIs and an area."""
    rows = [
        {"名称": "花园路", "类型": "街巷", "经度": LON0 + 2 * DLON, "纬度": LAT0 + DLAT / 2},
        {"名称": "农业路", "类型": "街巷", "经度": LON0 + 1 * DLON, "纬度": LAT0 + DLAT * 0.8},
    ]
    for n in range(1, 21):
        x = LON0 + (n - 0.5) / 20 * 4 * DLON
        y = LAT0 + DLAT * (0.7 if n % 2 else 0.3)
        rows.append({"名称": "", "类型": "门牌", "街路巷名": "花园路", "门牌号": str(n), "经度": x, "纬度": y})
    rows.append({"名称": "花园路8号院", "类型": "兴趣点", "经度": LON0 + 1.6 * DLON, "纬度": LAT0 + DLAT * 0.25})
    for n in (3, 5, 7):
        rows.append(
            {"名称": f"农业路{n}号", "类型": "门(楼)牌", "经度": LON0 + 0.3 * n * DLON, "纬度": LAT0 + DLAT * 0.85}
        )
    rows.append({"名称": "紫荆山公园", "类型": "兴趣点", "经度": LON0 + 3.5 * DLON, "纬度": LAT0 + DLAT * 0.5})
    rows.append({"名称": "金水区人民医院", "类型": "poi", "经度": LON0 + 2.5 * DLON, "纬度": LAT0 + DLAT * 0.6})
    return [{k: str(v) for k, v in r.items()} for r in rows]


@pytest.fixture
def city_with_places(engine, tmp_path):
    city = build_mini_city(engine)
    path = tmp_path / "地名.csv"
    pd.DataFrame(gazetteer_rows()).to_csv(path, index=False, encoding="gbk")
    rep = import_places(engine, path)
    assert rep.imported == len(gazetteer_rows())
    return city


def test_normalize_and_parse():
    assert normalize("花园路８号　Ａ座") == "花园路8号A座"
    assert normalize("花园路八号") == "花园路8号"
    assert normalize("花园路十二号") == "花园路12号"
    assert normalize("花园路8－1号") == "花园路8-1号"
    p = parse_address(None, "河南省郑州市金水区花园路8号院3栋2单元")
    assert (p.road, p.number, p.number_int) == ("花园路", "8", 8)
    p = parse_address(None, "长乐路100弄5号")
    assert (p.road, p.number) == ("长乐路", "100弄5")
    p = parse_address(None, "纬5路12号")
    assert (p.road, p.number) == ("纬5路", "12")


@pytest.mark.parametrize(
    "text",
    [
        "花园路8号",
        "金水区花园路８号",
        "郑州市金水区花园路8号院",
        "花园路 8 号",
        "测试区花园路8号",
        "河南省郑州市金水区花园路八号",
        "花园路8号3栋2单元",
        "花园路８号楼",
    ],
)
def test_address_variants_find_the_doorplate(engine, city_with_places, text):
    with Session(engine) as s:
        cands = geocode(s, text)
    assert cands, text
    top = cands[0]
    assert top.name == "花园路8号" and top.kind == "doorplate" and top.score == 1.0, (text, cands[:3])
    assert top.grid_code == "410105001001002"  # x = 7.5/20 of the 4 squares: the second square
    assert "门牌" in top.matched


def test_nearest_number_on_the_same_road(engine, city_with_places):
    with Session(engine) as s:
        cands = geocode(s, "花园路24号")
        assert cands[0].name == "花园路20号" and cands[0].score < 1.0
        assert "最近门牌" in cands[0].matched
        # same side (even) before the other side at the same distance
        cands = geocode(s, "花园路8-1号")
        assert cands[0].name == "花园路8号"
        cands = geocode(s, "农业路4号")
        assert {c.name for c in cands[:2]} == {"农业路3号", "农业路5号"}


def test_poi_and_road_and_name_substring(engine, city_with_places):
    with Session(engine) as s:
        g = Geocoder(s)
        assert g.geocode("紫荆山公园")[0].name == "紫荆山公园"
        assert g.geocode("紫荆山公园南门")[0].name == "紫荆山公园"
        assert g.geocode("人民医院")[0].name == "金水区人民医院"
        road = g.geocode("花园路")
        assert road[0].name == "花园路" and road[0].kind == "street"
        assert g.geocode("不存在的地方") == []
        c = g.geocode("紫荆山公园")[0]
        assert c.grid_code == "410105002001002" and c.grid_id is not None


def test_places_from_geojson_and_refusals(engine, tmp_path):
    build_mini_city(engine)
    feats = [
        {
            "type": "Feature",
            "properties": {"name": "测试广场", "kind": "兴趣点"},
            "geometry": {"type": "Point", "coordinates": [LON0 + 0.5 * DLON, LAT0 + 0.5 * DLAT]},
        },
        {
            "type": "Feature",
            "properties": {"name": "甲一片区", "kind": "地片"},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [
                        [LON0, LAT0],
                        [LON0 + 2 * DLON, LAT0],
                        [LON0 + 2 * DLON, LAT0 + DLAT],
                        [LON0, LAT0 + DLAT],
                        [LON0, LAT0],
                    ]
                ],
            },
        },
        {
            "type": "Feature",
            "properties": {"name": "城外的点", "kind": "poi"},
            "geometry": {"type": "Point", "coordinates": [LON0 - 1, LAT0]},
        },
    ]
    rep = import_places(engine, write_geojson(tmp_path / "places.geojson", feats))
    assert rep.imported == 3 and len(rep.warnings) == 1 and "no unit grid" in str(rep.warnings[0])
    with Session(engine) as s:
        tract = s.scalars(select(Place).where(Place.kind == "tract")).one()
        assert tract.geometry["type"] == "Polygon" and tract.grid_id is not None
    bad = pd.DataFrame(
        [
            {"名称": "x", "类型": "城堡", "经度": "113.7", "纬度": "34.77"},
            {"名称": "y", "类型": "兴趣点", "经度": "abc", "纬度": "34.77"},
        ]
    )
    bad.to_csv(tmp_path / "bad.csv", index=False)
    with Session(engine) as s:
        n = s.scalar(select(func.count()).select_from(Place))
    with pytest.raises(ImportRejected) as ei:
        import_places(engine, tmp_path / "bad.csv")
    msg = str(ei.value)
    assert "row 2" in msg and "城堡" in msg and "row 3" in msg and "abc" in msg
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Place)) == n
    # replace a source
    rep = import_places(engine, write_geojson(tmp_path / "places.geojson", feats[:1]), replace=True)
    assert rep.details["replaced"] == 3
    with Session(engine) as s, s.begin():
        import_place_rows(
            s, [{"name": "内存中的点", "kind": "poi", "lon": LON0 + 0.1 * DLON, "lat": LAT0 + 0.1 * DLAT}]
        )
        assert s.scalar(select(func.count()).select_from(Place)) == 2
