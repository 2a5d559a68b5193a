"""Property-based fuzzing of every importer (hypothesis): any file gives either an import or a
report (``GridStationError``, usually ``ImportRejected``) — never a traceback, and a refused
file never leaves part of itself in the database.

Files are drawn from: arbitrary bytes; text in UTF-8, UTF-16, GBK and Latin-1; CSV tables
with the importers' own headers and hostile cells; and GeoJSON with arbitrary JSON, odd
geometries (NaN, huge or projected numbers) and every shape of "crs" member.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from gridstation.errors import GridStationError
from gridstation.geo.model import ImportBatch, Place
from gridstation.importers.cases import ALIASES as CASE_ALIASES
from gridstation.importers.cases import import_cases
from gridstation.importers.components import ALIASES as COMPONENT_ALIASES
from gridstation.importers.components import import_components
from gridstation.importers.grids import ALIASES as GRID_ALIASES
from gridstation.importers.grids import import_grids
from gridstation.importers.places import ALIASES as PLACE_ALIASES
from gridstation.importers.places import import_places
from gridstation.store.model import Case, CaseEvent, Component, UnitGrid
from tests.minicity import DLAT, DLON, LAT0, LON0, build_mini_city

# GS_FUZZ_EXAMPLES=500 explores more (and randomly); the suite runs a fixed, quick sample.
EXAMPLES = int(os.environ.get("GS_FUZZ_EXAMPLES", "30"))
TABLES = (Case, CaseEvent, Component, UnitGrid, Place, ImportBatch)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize="GS_FUZZ_EXAMPLES" not in os.environ,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

# ------------------------------------------------------------------ strategies

hostile = st.sampled_from(["", " ", "=1+1", "-", "@x", "\t", "\r\n", '"', "'", ",", "\x00", "井盖缺失", "410105001001001",
                           "2024-03-05 09:10", "已结案", "C0102", "D02", "1e309", "nan", "-0", "9" * 40, "路" * 300])
cell = st.one_of(hostile, st.text(max_size=30))
number = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**12, 10**12),
                   st.floats(min_value=LON0 - 0.01, max_value=LON0 + 0.01), st.floats(min_value=3.8e7, max_value=3.9e7))
json_leaf = st.one_of(st.none(), st.booleans(), number, st.text(max_size=20))
any_json = st.recursive(json_leaf, lambda ch: st.one_of(st.lists(ch, max_size=4),
                                                         st.dictionaries(st.text(max_size=8), ch, max_size=4)),
                        max_leaves=20)
point = st.tuples(st.one_of(number, st.floats(LON0, LON0 + 4 * DLON)), st.one_of(number, st.floats(LAT0, LAT0 + DLAT)))


@st.composite
def geometries(draw):
    kind = draw(st.sampled_from(["Point", "Polygon", "MultiPolygon", "LineString", "Bogus", None]))
    if kind is None:
        return draw(any_json)
    if kind == "Point":
        coords = list(draw(point))
    elif kind == "LineString":
        coords = [list(draw(point)) for _ in range(draw(st.integers(0, 3)))]
    elif kind == "Polygon":
        ring = [list(draw(point)) for _ in range(draw(st.integers(0, 5)))]
        coords = [ring + ring[:1]] if draw(st.booleans()) else [ring]
    elif kind == "MultiPolygon":
        coords = [[[list(draw(point)) for _ in range(4)]]]
    else:
        coords = draw(any_json)
    return {"type": kind, "coordinates": coords}


crs_member = st.one_of(
    st.none(), st.just("EPSG:4547"), st.just("EPSG:4326"), st.just("EPSG:999999"), st.text(max_size=12), number,
    st.just({"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}),
    st.just({"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}),
    st.just({"type": "EPSG", "properties": {"code": 4490}}), any_json,
)


@st.composite
def geojson_files(draw, aliases: dict[str, list[str]]):
    keys = [a for names in aliases.values() for a in names[:2]] + ["code", "name", "kind", "lon", "lat"]
    feats = []
    for _ in range(draw(st.integers(0, 4))):
        props = {k: draw(st.one_of(cell, number)) for k in draw(st.lists(st.sampled_from(keys), max_size=5))}
        feats.append({"type": "Feature", "properties": props, "geometry": draw(geometries())}
                     if draw(st.integers(0, 9)) else draw(any_json))
    doc = {"type": draw(st.sampled_from(["FeatureCollection", "FeatureCollection", "Feature", "Nope"])),
           "features": feats}
    crs = draw(crs_member)
    if crs is not None:
        doc["crs"] = crs
    if draw(st.integers(0, 5)) == 0:
        doc = draw(any_json)
    text = json.dumps(doc, ensure_ascii=False, allow_nan=True)
    return _encode(draw, text), ".geojson"


@st.composite
def csv_files(draw, aliases: dict[str, list[str]]):
    headers = draw(st.lists(st.sampled_from([a for names in aliases.values() for a in names[:2]] + ["x"]),
                            min_size=0, max_size=8, unique=True))
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(headers)
    for _ in range(draw(st.integers(0, 5))):
        w.writerow([draw(cell) for _ in range(draw(st.integers(0, len(headers) + 1)))])
    return _encode(draw, out.getvalue()), ".csv"


def _encode(draw, text: str) -> bytes:
    enc = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "gbk", "latin-1"]))
    return text.encode(enc, errors="replace") if enc != "utf-8-sig" else b"\xef\xbb\xbf" + text.encode("utf-8", "replace")


def files(aliases, *, geo: bool = True):
    kinds = [csv_files(aliases), st.tuples(st.binary(max_size=600), st.sampled_from([".csv", ".geojson"]))]
    if geo:
        kinds.append(geojson_files(aliases))
    return st.one_of(*kinds)


# ------------------------------------------------------------------ the property


def _counts(engine) -> dict[str, int]:
    with engine.connect() as c:
        return {t.__tablename__: c.execute(select(func.count()).select_from(t)).scalar() for t in TABLES}


def _check(engine, tmp_path: Path, data: bytes, ext: str, run) -> None:
    path = tmp_path / f"fuzz{ext}"
    path.write_bytes(data)
    before = _counts(engine)
    try:
        run(engine, path)
    except GridStationError as e:
        assert str(e).strip(), "a refusal says why"
        assert _counts(engine) == before, "a refused file left rows behind"
    # any other exception propagates: a traceback is a failure


@pytest.fixture
def city(engine):
    build_mini_city(engine)
    return engine


@FUZZ
@given(f=files(CASE_ALIASES, geo=False))
def test_case_history_importer(city, tmp_path, f):
    _check(city, tmp_path, *f, lambda e, p: import_cases(e, p, skip_bad=True))


@FUZZ
@given(f=files(GRID_ALIASES))
def test_grid_importer(city, tmp_path, f):
    _check(city, tmp_path, *f, lambda e, p: import_grids(e, p))


@FUZZ
@given(f=files(COMPONENT_ALIASES))
def test_component_importer(city, tmp_path, f):
    _check(city, tmp_path, *f, lambda e, p: import_components(e, p, skip_bad=True))


@FUZZ
@given(f=files(PLACE_ALIASES))
def test_place_importer(city, tmp_path, f):
    _check(city, tmp_path, *f, lambda e, p: import_places(e, p, skip_bad=True))


def test_string_crs_is_accepted_or_refused_in_a_sentence(city, tmp_path):
    """Issue 19's crash: ``"crs": "EPSG:4547"`` as a plain string. A valid one is read as that
    coordinate system; a wrong or unknown one is refused with one sentence."""
    from pyproj import Transformer

    with city.connect() as c:
        grids = c.execute(select(UnitGrid.code, UnitGrid.geometry)).all()
    to_4547 = Transformer.from_crs(4326, 4547, always_xy=True)
    feats = [{"type": "Feature", "properties": {"code": code},
              "geometry": {"type": "Polygon", "coordinates": [[list(to_4547.transform(x, y)) for x, y in g["coordinates"][0]]]}}
             for code, g in grids]
    doc = {"type": "FeatureCollection", "crs": "EPSG:4547", "features": feats}
    path = tmp_path / "g.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    rep = import_grids(city, path)  # the same grids, given in CGCS2000 / GK zone 114°E metres
    assert rep.details["unchanged"] == len(grids) and "EPSG:4547" in rep.details["crs"]

    doc["crs"] = "EPSG:4326"  # the metres now contradict the declared degrees
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(GridStationError) as e:
        import_grids(city, path)
    assert len(e.value.problems) == 1 and "--crs EPSG:4547" in str(e.value) and "g.geojson" in str(e.value)
    doc["crs"] = "no such thing"
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(GridStationError) as e:
        import_grids(city, path)
    assert len(e.value.problems) == 1 and "EPSG:code" in str(e.value)


def test_utf16_and_broken_gbk_are_refused_in_a_sentence(city, tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("案件编号,上报时间\n1,2024-03-05 09:10\n", encoding="utf-16")
    with pytest.raises(GridStationError) as e:
        import_cases(city, path)
    assert "UTF-16" in str(e.value) and "save it again as UTF-8" in str(e.value)
    path.write_bytes("案件编号,问题描述\n1,井盖缺失\n".encode("gbk")[:-3] + b"\x81\xff\n")
    with pytest.raises(GridStationError) as e:
        import_cases(city, path)
    assert "neither UTF-8 nor GBK" in str(e.value)
    path = tmp_path / "g.geojson"
    path.write_bytes(b"\xff\xfe" + '{"type": "FeatureCollection"}'.encode("utf-16-le"))
    with pytest.raises(GridStationError) as e:
        import_grids(city, path)
    assert "UTF-16" in str(e.value)
