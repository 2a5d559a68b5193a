"""Reading the files that base data arrives in: GeoJSON, ESRI Shapefile, CSV and Excel.

Shapefiles are read with pyshp (pure Python, no GDAL): the .shp/.shx/.dbf beside each other,
the .prj for the coordinate system and the .cpg for the .dbf's encoding. Chinese .dbf files are
often GBK without a .cpg: then UTF-8 is tried first and GBK (cp936) second.

Coordinates are brought to WGS84 lon/lat. CGCS2000 (EPSG:4490, the national datum) and WGS84
differ by centimetres, far below a grid's precision, so CGCS2000 geographic coordinates are
taken as they are; a projected CGCS2000 Gauss-Krüger zone (e.g. EPSG:4547, 3-degree zone CM
114E) is transformed with pyproj.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping, shape

from gridstation.importers.common import ImportRejected, Problem, cell

# Geographic CRSs taken as WGS84 without transformation (CGCS2000 ≈ WGS84 at grid precision).
# (Xian 1980 / Beijing 1954 are not here: they differ from WGS84 by tens of metres and go through
# pyproj, which has no exact national 7-parameter transformation for them either.)
_WGS84_LIKE = {4326, 4490}  # WGS84, CGCS2000 (geographic)
_CODEPAGES = {
    "936": "gbk",
    "ansi936": "gbk",
    "cp936": "gbk",
    "gbk": "gbk",
    "gb2312": "gbk",
    "gb18030": "gb18030",
    "65001": "utf-8",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "utf_8": "utf-8",
    "950": "big5",
    "1252": "cp1252",
    "ansi1252": "cp1252",
    "88591": "latin-1",
    "iso88591": "latin-1",
}


@dataclass
class Feature:
    """One feature as read: 1-based position in the file, attributes and GeoJSON geometry."""

    index: int
    properties: dict
    geometry: dict | None
    problems: list[Problem] = field(default_factory=list)  # found while reading


@dataclass
class FeatureSet:
    features: list[Feature]
    crs: object | None  # pyproj.CRS of the coordinates as read (None: WGS84 assumed)
    fields: list[str]
    encoding: str = ""
    file_name: str = ""


# --------------------------------------------------------------------------- CRS


def parse_crs(value):
    """A pyproj CRS from "EPSG:4547", "4547", a WKT string or a CRS (None passes through)."""
    if value is None or value == "":
        return None
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    if isinstance(value, CRS):
        return value
    text = str(value).strip()
    try:
        if text.isdigit():
            return CRS.from_epsg(int(text))
        if text.upper().startswith(("PROJCS", "GEOGCS", "PROJCRS", "GEOGCRS", "COMPD_CS", "BOUNDCRS")):
            return CRS.from_wkt(text)
        return CRS.from_user_input(text)
    except CRSError as e:
        raise ImportRejected(
            "coordinate system", "", [Problem("crs", "", text, f"not a known coordinate system ({e})")]
        ) from None


def is_wgs84_like(crs) -> bool:
    if crs is None:
        return True
    epsg = crs.to_epsg(min_confidence=60)
    if epsg in _WGS84_LIKE:
        return True
    if crs.is_geographic:
        name = (crs.datum.name if crs.datum else "").lower()
        return any(k in name for k in ("wgs", "china 2000", "china_2000", "cgcs2000", "china geodetic"))
    return False


def crs_label(crs) -> str:
    if crs is None:
        return "WGS84 (assumed)"
    epsg = crs.to_epsg(min_confidence=60)
    return f"EPSG:{epsg} {crs.name}" if epsg else crs.name


def transform_geometries(geoms: list, crs, *, digits: int = 8) -> list:
    """Shapely geometries from ``crs`` to WGS84 lon/lat, rounded to ``digits`` decimals
    (1e-8 degree ≈ 1 mm, so shared vertices stay shared)."""
    arr = np.array(geoms, dtype=object)
    if not is_wgs84_like(crs):
        from pyproj import Transformer

        tr = Transformer.from_crs(crs, 4326, always_xy=True)

        def fn(xy: np.ndarray) -> np.ndarray:
            x, y = tr.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        arr = shapely.transform(arr, fn)
    arr = shapely.transform(arr, lambda xy: np.round(xy, digits))
    return list(arr)


def geojson_of(geom) -> dict:
    """A shapely geometry as a plain JSON-able GeoJSON dict (lists, not tuples)."""
    return json.loads(json.dumps(mapping(geom)))


# --------------------------------------------------------------------------- GeoJSON


def read_geojson(path: str | Path) -> FeatureSet:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError:
        data = json.loads(path.read_text(encoding="gbk"))
    except json.JSONDecodeError as e:
        raise ImportRejected("GeoJSON", path.name, [Problem("file", "", "", f"not valid JSON: {e}")]) from None
    if isinstance(data, dict) and data.get("type") == "Feature":
        feats = [data]
    elif isinstance(data, dict) and data.get("type") == "FeatureCollection":
        feats = data.get("features") or []
    else:
        raise ImportRejected(
            "GeoJSON",
            path.name,
            [
                Problem(
                    "file",
                    "type",
                    str(data.get("type") if isinstance(data, dict) else type(data).__name__),
                    "expected a FeatureCollection",
                )
            ],
        )
    crs = None
    # GeoJSON 2008's "crs" member (still written by many tools): honour it if present.
    named = ((data.get("crs") or {}).get("properties") or {}).get("name") if isinstance(data, dict) else None
    if named and "CRS84" not in named.upper():
        crs = parse_crs(named.replace("urn:ogc:def:crs:", "").replace("::", ":"))
    out: list[Feature] = []
    fields: list[str] = []
    for i, f in enumerate(feats, start=1):
        props = dict((f or {}).get("properties") or {})
        for k in props:
            if k not in fields:
                fields.append(k)
        out.append(Feature(i, props, (f or {}).get("geometry")))
    return FeatureSet(out, crs, fields, "utf-8", path.name)


# --------------------------------------------------------------------------- Shapefile


def _sibling(path: Path, ext: str) -> Path | None:
    for cand in (path.with_suffix(ext), path.with_suffix(ext.upper())):
        if cand.exists():
            return cand
    return None


def _cpg_encoding(cpg: Path | None) -> str | None:
    if cpg is None:
        return None
    raw = cpg.read_bytes().decode("ascii", "ignore").strip().lower().replace(" ", "").replace("-", "").replace("_", "")
    if not raw:
        return None
    if raw in _CODEPAGES:
        return _CODEPAGES[raw]
    import codecs

    try:
        return codecs.lookup(raw).name
    except LookupError:
        return None


def read_shapefile(path: str | Path, *, encoding: str | None = None) -> FeatureSet:
    """Read a .shp with its .shx/.dbf (required), .prj and .cpg (optional)."""
    import shapefile  # pyshp

    path = Path(path)
    name = path.name
    shx, dbf, prj, cpg = (_sibling(path, e) for e in (".shx", ".dbf", ".prj", ".cpg"))
    missing = [e for e, p in ((".shx", shx), (".dbf", dbf)) if p is None]
    if not path.exists():
        missing.insert(0, ".shp")
    if missing:
        raise ImportRejected(
            "Shapefile",
            name,
            [
                Problem(
                    "file",
                    "",
                    "",
                    f"missing {', '.join(missing)} beside {name} (a shapefile is .shp + .shx + .dbf, with .prj)",
                )
            ],
        )
    crs = None
    if prj is not None:
        wkt = prj.read_bytes().decode("utf-8", "ignore").strip()
        if wkt:
            crs = parse_crs(wkt)
    tried = [encoding] if encoding else ([_cpg_encoding(cpg)] if _cpg_encoding(cpg) else ["utf-8", "gbk"])
    last_error: Exception | None = None
    for enc in tried:
        try:
            return _read_shp(path, shx, dbf, enc, crs, shapefile)
        except _WrongEncoding as e:
            last_error = e
            continue
    raise ImportRejected(
        "Shapefile",
        name,
        [
            Problem(
                "file",
                ".dbf",
                "",
                f"attribute text is not {' nor '.join(tried)} ({str(last_error)[:200]}); add a .cpg file naming the encoding, or give --encoding",
            )
        ],
    )


class _WrongEncoding(Exception):
    pass


def _is_decode_error(e: Exception) -> bool:
    # pyshp 2 raises UnicodeDecodeError, pyshp 3 its own dbfFileException("Could not decode ...")
    return isinstance(e, UnicodeError) or "decode" in str(e).lower()


def _read_shp(path: Path, shx: Path, dbf: Path, enc: str, crs, shapefile) -> FeatureSet:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyshp warns about what we report as problems ourselves
        return _read_shp_quiet(path, shx, dbf, enc, crs, shapefile)


def _read_shp_quiet(path: Path, shx: Path, dbf: Path, enc: str, crs, shapefile) -> FeatureSet:
    name = path.name
    with open(path, "rb") as f_shp, open(shx, "rb") as f_shx, open(dbf, "rb") as f_dbf:
        try:
            r = shapefile.Reader(shp=f_shp, shx=f_shx, dbf=f_dbf, encoding=enc, encodingErrors="strict")
            fields = [f[0] for f in r.fields[1:]]
        except Exception as e:  # noqa: BLE001 - pyshp raises several types for damaged files
            if _is_decode_error(e):
                raise _WrongEncoding(str(e)) from None
            raise ImportRejected(
                "Shapefile", name, [Problem("file", "", "", f"cannot be read as a shapefile: {e}")]
            ) from None
        n_shapes = len(r)
        n_records = r.numRecords
        # The .shp must hold what its header and the .shx promise: a truncated file does not.
        size = path.stat().st_size
        f_shp.seek(24)
        declared = int.from_bytes(f_shp.read(4), "big") * 2
        problems: list[Problem] = []
        if declared != size:
            problems.append(
                Problem(
                    "file",
                    ".shp",
                    "",
                    f"the .shp is {size} bytes but its header says {declared}: the file is truncated or damaged",
                )
            )
        if n_shapes != n_records:
            problems.append(
                Problem("file", ".dbf", "", f"{n_shapes} shapes in the .shp/.shx but {n_records} records in the .dbf")
            )
        feats: list[Feature] = []
        for i in range(n_shapes):
            where = f"feature {i + 1}"
            try:
                shp = r.shape(i)
            except Exception as e:  # noqa: BLE001
                problems.append(
                    Problem(
                        where,
                        "geometry",
                        "",
                        f"cannot be read from the .shp ({type(e).__name__}: {e}): the file is truncated or damaged",
                    )
                )
                continue
            try:
                rec = r.record(i)
            except Exception as e:  # noqa: BLE001
                if _is_decode_error(e):
                    raise _WrongEncoding(str(e)) from None
                problems.append(Problem(where, "attributes", "", f"cannot be read from the .dbf ({e})"))
                continue
            props = {k: rec[k] for k in fields}
            geom = None if shp.shapeType == shapefile.NULL else shp.__geo_interface__
            feats.append(Feature(i + 1, props, geom))
        if problems:
            raise ImportRejected("Shapefile", name, problems)
    return FeatureSet(feats, crs, fields, enc, name)


# --------------------------------------------------------------------------- dispatch


def read_features(path: str | Path, *, crs=None, encoding: str | None = None) -> FeatureSet:
    """GeoJSON (.geojson/.json) or Shapefile (.shp); ``crs`` overrides what the file says."""
    path = Path(path)
    if not path.exists():
        raise ImportRejected("file", path.name, [Problem("file", "", str(path), "does not exist")])
    ext = path.suffix.lower()
    if ext in (".geojson", ".json"):
        fs = read_geojson(path)
    elif ext == ".shp":
        fs = read_shapefile(path, encoding=encoding)
    else:
        raise ImportRejected(
            "file", path.name, [Problem("file", "", ext, "unknown format: give a .geojson, .json or .shp file")]
        )
    if crs is not None:
        fs.crs = parse_crs(crs)
    return fs


def to_shapes(fs: FeatureSet) -> list:
    """Shapely geometries of the features in WGS84 (None where a geometry is missing/unreadable)."""
    geoms = []
    for f in fs.features:
        if not f.geometry:
            geoms.append(None)
            continue
        try:
            geoms.append(shape(f.geometry))
        except Exception as e:  # noqa: BLE001 - malformed GeoJSON
            f.problems.append(Problem(f"feature {f.index}", "geometry", "", f"malformed geometry ({e})"))
            geoms.append(None)
    idx = [i for i, g in enumerate(geoms) if g is not None]
    if idx:
        moved = transform_geometries([geoms[i] for i in idx], fs.crs)
        for i, g in zip(idx, moved):
            geoms[i] = g
    return geoms


def lonlat_ok(lon: float, lat: float) -> bool:
    return -180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0


# --------------------------------------------------------------------------- tables


def read_table(path: str | Path, *, sheet: str | int | None = 0):
    """A CSV (UTF-8 with or without BOM, else GBK) or Excel sheet as a pandas DataFrame of text.

    Every cell is read as a string (codes keep their leading zeros); empty cells are ''.
    """
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise ImportRejected("file", path.name, [Problem("file", "", str(path), "does not exist")])
    ext = path.suffix.lower()
    try:
        if ext in (".xlsx", ".xlsm", ".xls"):
            df = pd.read_excel(path, sheet_name=sheet, dtype=str, keep_default_na=False)
        elif ext in (".csv", ".txt", ".tsv"):
            sep = "\t" if ext == ".tsv" else ","
            try:
                df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", sep=sep)
            except UnicodeDecodeError:
                df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="gb18030", sep=sep)
        else:
            raise ImportRejected(
                "file", path.name, [Problem("file", "", ext, "unknown format: give a .csv or .xlsx file")]
            )
    except ImportRejected:
        raise
    except Exception as e:  # noqa: BLE001 - pandas parser errors of many kinds
        raise ImportRejected("file", path.name, [Problem("file", "", "", f"cannot be read: {e}")]) from None
    df.columns = [cell(c) for c in df.columns]
    return df


def points_of(fs: FeatureSet) -> tuple[list[dict], list[Problem]]:
    """Rows (properties + lon/lat, and the outline for polygons) from point or polygon features."""
    geoms = to_shapes(fs)
    rows: list[dict] = []
    problems: list[Problem] = []
    for f, g in zip(fs.features, geoms):
        problems.extend(f.problems)
        row = {
            k: cell(v) if not isinstance(v, (int, float)) or isinstance(v, bool) else v for k, v in f.properties.items()
        }
        row["_row"] = f.index
        if g is None or g.is_empty:
            row["_geom_problem"] = "no geometry"
        elif g.geom_type == "Point":
            row["lon"], row["lat"] = g.x, g.y
        elif g.geom_type in ("Polygon", "MultiPolygon"):
            p = g.centroid if g.is_valid and g.contains(g.centroid) else g.representative_point()
            row["lon"], row["lat"] = p.x, p.y
            row["_outline"] = geojson_of(g)
        else:
            row["lon"], row["lat"] = g.representative_point().x, g.representative_point().y
        rows.append(row)
    return rows, problems


__all__ = [
    "Feature",
    "FeatureSet",
    "crs_label",
    "geojson_of",
    "is_wgs84_like",
    "lonlat_ok",
    "parse_crs",
    "points_of",
    "read_features",
    "read_geojson",
    "read_shapefile",
    "read_table",
    "to_shapes",
    "transform_geometries",
]
