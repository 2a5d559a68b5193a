"""Small import files for the data tests, generated into a test's tmp_path (nothing binary is
kept in the repository).

The layers fit ``tests.minicity``: community 甲一社区 (410105001001) covers the two western
100 m squares, 乙一社区 (410105002001) the two eastern ones.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.minicity import DLAT, DLON, LAT0, LON0

C1, C2 = "410105001001", "410105002001"


def square(x0: float, y0: float, x1: float, y1: float) -> dict:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def feature(code, name, geometry, **props) -> dict:
    return {"type": "Feature", "properties": {"code": code, "name": name, **props}, "geometry": geometry}


def mini_layer_v2() -> list[dict]:
    """A new version of the mini city's grid layer: 甲一社区's two squares each split into a
    north and a south half (codes 001-004, so 001/002 change geometry and 003/004 are new);
    乙一社区 unchanged."""
    feats = []
    ymid = LAT0 + DLAT / 2
    seq = 1
    for half in ("n", "s"):
        for i in range(2):
            x0, x1 = LON0 + i * DLON, LON0 + (i + 1) * DLON
            y0, y1 = (ymid, LAT0 + DLAT) if half == "n" else (LAT0, ymid)
            feats.append(feature(f"{C1}{seq:03d}", f"甲一{seq}号网格", square(x0, y0, x1, y1)))
            seq += 1
    for i, seq in ((2, 1), (3, 2)):
        x0, x1 = LON0 + i * DLON, LON0 + (i + 1) * DLON
        feats.append(feature(f"{C2}{seq:03d}", f"G2{'ab'[seq - 1]}", square(x0, LAT0, x1, LAT0 + DLAT)))
    return feats


def write_geojson(path: Path, features: list[dict], crs: str | None = None) -> Path:
    data = {"type": "FeatureCollection", "features": features}
    if crs:
        data["crs"] = {"type": "name", "properties": {"name": crs}}
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def write_shapefile(
    base: Path,
    features: list[dict],
    *,
    epsg: int | None = 4547,
    encoding: str = "gbk",
    cpg: str | None = None,
    fields=("WGBM", "WGMC", "SQBM"),
) -> Path:
    """A polygon shapefile (.shp/.shx/.dbf[/.prj][/.cpg]) with attribute names as a Chinese
    GIS department delivers them (WGBM 网格编码, WGMC 网格名称, SQBM 社区编码), coordinates
    projected to ``epsg`` (CGCS2000 3-degree Gauss-Krüger CM 114E by default)."""
    import shapefile
    from pyproj import CRS, Transformer
    from pyproj.enums import WktVersion

    tr = Transformer.from_crs(4326, epsg, always_xy=True) if epsg and epsg not in (4326, 4490) else None
    w = shapefile.Writer(str(base), shapeType=shapefile.POLYGON, encoding=encoding)
    w.field(fields[0], "C", size=20)
    w.field(fields[1], "C", size=60)
    w.field(fields[2], "C", size=20)
    for f in features:
        rings = []
        for ring in f["geometry"]["coordinates"]:
            pts = [tr.transform(x, y) if tr else (x, y) for x, y in ring]
            rings.append(list(reversed(pts)))  # shapefile outer rings are clockwise
        w.poly(rings)
        p = f["properties"]
        w.record(p["code"], p.get("name", ""), p.get("community", p["code"][:12]))
    w.close()
    if epsg:
        Path(f"{base}.prj").write_text(CRS.from_epsg(epsg).to_wkt(WktVersion.WKT1_ESRI), encoding="ascii")
    if cpg:
        Path(f"{base}.cpg").write_text(cpg, encoding="ascii")
    return Path(f"{base}.shp")
