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


def parse_crs(value, *, file_name: str = ""):
    """A pyproj CRS from "EPSG:4547", "4547", a WKT string or a CRS (None passes through).

    Anything else is refused with one sentence (never pyproj's traceback)."""
    if value is None or value == "":
        return None
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    if isinstance(value, CRS):
        return value
    text = str(value).strip()
    try:
        if text.isdigit():
            crs = CRS.from_epsg(int(text))
        elif text.upper().startswith(("PROJCS", "GEOGCS", "PROJCRS", "GEOGCRS", "COMPD_CS", "BOUNDCRS")):
            crs = CRS.from_wkt(text)
        else:
            crs = CRS.from_user_input(text)
    except (CRSError, ValueError, TypeError, OverflowError):
        crs = None
    if crs is None or not (crs.is_geographic or crs.is_projected):
        shown = text if len(text) <= 60 else text[:57] + "…"
        raise ImportRejected(
            "coordinate system", file_name,
            [Problem("crs", "", shown, "not a coordinate system GridStation knows: give it as EPSG:code "
                     "(e.g. EPSG:4490 for CGCS2000, EPSG:4547 for its zone at 114°E)")],
        )
    return crs


def check_coordinates(geoms: list, crs, what: str, file_name: str) -> None:
    """Refuse, with one sentence, a file whose coordinates do not fit its coordinate system:
    projected metres read as degrees (no or a wrong .prj / crs), degrees read as metres, or
    points a transformation cannot place. Called before the transformation."""
    import shapely as _shapely

    arr = np.array([g for g in geoms if g is not None and not g.is_empty], dtype=object)
    if not len(arr):
        return
    xy = _shapely.get_coordinates(arr)
    if not len(xy):
        return
    if not np.isfinite(xy).all():
        raise ImportRejected(what, file_name, [Problem("file", "geometry", "", "some coordinates are not numbers "
                                                       "(NaN or infinite): export the layer again")])
    x0, y0 = xy.min(axis=0)
    x1, y1 = xy.max(axis=0)
    in_degrees = (np.abs(xy[:, 0]) <= 180) & (np.abs(xy[:, 1]) <= 90)
    degrees = bool(in_degrees.all())
    # A mix (a few stray features) is left to the per-feature checks: only a whole file whose
    # coordinates contradict its coordinate system is refused here.
    if is_wgs84_like(crs) and not in_degrees.any():
        raise ImportRejected(what, file_name, [Problem(
            "file", "crs", f"x {x0:,.0f} … {x1:,.0f}",
            f"the coordinates are not longitude/latitude although the file says {crs_label(crs)}: "
            "give its projected coordinate system (--crs EPSG:4547, or the .prj beside the .shp)")])
    if crs is not None and crs.is_projected and degrees:
        raise ImportRejected(what, file_name, [Problem(
            "file", "crs", f"x {x0:.4f} … {x1:.4f}",
            f"the coordinates look like longitude/latitude but the file says {crs_label(crs)}: "
            "give --crs EPSG:4326 (or remove the wrong crs / .prj)")])


def _check_transformed(geoms: list, crs, what: str, file_name: str) -> None:
    arr = np.array([g for g in geoms if g is not None and not g.is_empty], dtype=object)
    if not len(arr):
        return
    xy = shapely.get_coordinates(arr)
    if len(xy) and not np.isfinite(xy).all():
        raise ImportRejected(what, file_name, [Problem(
            "file", "crs", crs_label(crs),
            "the coordinates do not fit this coordinate system (they land off the globe): "
            "check the file's coordinate system and give the right one with --crs")])


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


def decode_text(raw: bytes, what: str, file_name: str) -> tuple[str, str]:
    """The text of a file and its encoding: UTF-8 (with or without BOM), else GBK/GB18030.

    UTF-16/32 (what Excel's "Unicode text" and some Windows tools write) and bytes that are
    neither UTF-8 nor GBK are refused with one sentence that says what to do."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in raw[:4096]:
        raise ImportRejected(
            what, file_name,
            [Problem("file", "encoding", "UTF-16", "the file is saved as UTF-16 (Unicode) text: save it again as "
                     "UTF-8 (in Excel: CSV UTF-8; in Notepad: encoding UTF-8) and import that")],
        )
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as e:
        at = e.start
    try:
        return raw.decode("gb18030"), "gb18030"
    except UnicodeDecodeError:
        pass
    raise ImportRejected(
        what, file_name,
        [Problem("file", "encoding", f"byte {at:,}", "the file is neither UTF-8 nor GBK text (it may be damaged or "
                 "in another encoding): save it again as UTF-8 and import that")],
    )


def _named_crs(data, file_name: str):
    """The CRS a GeoJSON names in its (2008-style) "crs" member, or None for WGS84.

    Accepts ``{"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4547"}}``,
    ``{"type": "EPSG", "properties": {"code": 4547}}`` and a plain string ``"EPSG:4547"``."""
    member = data.get("crs") if isinstance(data, dict) else None
    if member in (None, "", {}):
        return None
    named = None
    if isinstance(member, str):
        named = member
    elif isinstance(member, dict):
        props = member.get("properties")
        if isinstance(props, dict):
            named = props.get("name")
            if named is None and props.get("code") is not None:
                named = f"EPSG:{props.get('code')}"
    if not isinstance(named, (str, int)) or not str(named).strip():
        raise ImportRejected(
            "GeoJSON", file_name,
            [Problem("file", "crs", json.dumps(member, ensure_ascii=False)[:80],
                     'the "crs" member names no coordinate system: write it as "EPSG:4547", or remove it for WGS84')],
        )
    named = str(named).strip()
    if "CRS84" in named.upper():
        return None
    return parse_crs(named.replace("urn:ogc:def:crs:", "").replace("::", ":"), file_name=file_name)


def read_geojson(path: str | Path) -> FeatureSet:
    path = Path(path)
    text, _enc = decode_text(path.read_bytes(), "GeoJSON", path.name)
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError) as e:
        raise ImportRejected(
            "GeoJSON", path.name,
            [Problem("file", "", "", f"the file is not valid JSON ({str(e)[:120]}): export the layer again as GeoJSON")],
        ) from None
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
    # GeoJSON 2008's "crs" member (still written by many tools): honour it if present.
    crs = _named_crs(data, path.name)
    if not isinstance(feats, list):
        raise ImportRejected(
            "GeoJSON", path.name, [Problem("file", "features", "", '"features" is not a list: export the layer again')]
        )
    out: list[Feature] = []
    fields: list[str] = []
    for i, f in enumerate(feats, start=1):
        f = f if isinstance(f, dict) else {}
        props = f.get("properties")
        props = dict(props) if isinstance(props, dict) else {}
        for k in props:
            if k not in fields:
                fields.append(k)
        geom = f.get("geometry")
        out.append(Feature(i, props, geom if isinstance(geom, dict) else None))
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
            crs = parse_crs(wkt, file_name=prj.name)
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
        what = "file"
        check_coordinates([geoms[i] for i in idx], fs.crs, what, fs.file_name)
        moved = transform_geometries([geoms[i] for i in idx], fs.crs)
        _check_transformed(moved, fs.crs, what, fs.file_name)
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
            import io

            sep = "\t" if ext == ".tsv" else ","
            text, _enc = decode_text(path.read_bytes(), "file", path.name)
            df = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep)
        else:
            raise ImportRejected(
                "file", path.name, [Problem("file", "", ext, "unknown format: give a .csv or .xlsx file")]
            )
    except ImportRejected:
        raise
    except Exception as e:  # noqa: BLE001 - pandas/openpyxl errors of many kinds
        how = ("open it in Excel and save it again as .xlsx" if ext in (".xlsx", ".xlsm", ".xls")
               else "check that it is a comma-separated table with one header row")
        detail = str(e).splitlines()[0][:120] if str(e) else type(e).__name__
        raise ImportRejected("file", path.name, [Problem("file", "", "", f"cannot be read ({detail}): {how}")]) from None
    if not isinstance(df, pd.DataFrame):  # sheet_name=None gives a dict of sheets
        raise ImportRejected("file", path.name, [Problem("file", "", "", "name one sheet to read (--sheet)")])
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
    "check_coordinates",
    "crs_label",
    "decode_text",
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
