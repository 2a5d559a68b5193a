"""Small geometry helpers for unit grids (单元网格) and case points, in WGS84 lon/lat.

Geometries travel as GeoJSON dicts (``{"type": "Polygon", "coordinates": [[[lon, lat], ...]]}``),
the form ``UnitGrid.geometry`` stores. Areas are geodesic (on the WGS84 ellipsoid), so a grid's
``area_m2`` is right in square metres whatever its latitude.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from shapely.geometry import MultiPolygon, Polygon, shape

Ring = Sequence[Sequence[float]]

@lru_cache(maxsize=1)
def _geod():
    from pyproj import Geod

    return Geod(ellps="WGS84")


def polygon(coords_ring: Ring, holes: Iterable[Ring] = ()) -> dict:
    """A GeoJSON Polygon from an exterior ring of (lon, lat); the ring is closed if open."""
    ring = [[float(x), float(y)] for x, y in coords_ring]
    if ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    rings = [ring]
    for h in holes:
        hr = [[float(x), float(y)] for x, y in h]
        if hr[0] != hr[-1]:
            hr.append(list(hr[0]))
        rings.append(hr)
    return {"type": "Polygon", "coordinates": rings}


def to_shape(geometry: dict) -> Polygon | MultiPolygon:
    """The shapely geometry of a GeoJSON dict."""
    return shape(geometry)


def area_m2(geometry: dict | Polygon | MultiPolygon) -> float:
    """Geodesic area in square metres on the WGS84 ellipsoid (always positive)."""
    geom = to_shape(geometry) if isinstance(geometry, dict) else geometry
    area, _perimeter = _geod().geometry_area_perimeter(geom)
    return abs(area)


def _rings(geometry: dict) -> list[list[Ring]]:
    """Polygons as lists of rings (exterior first), for Polygon and MultiPolygon."""
    t = geometry["type"]
    if t == "Polygon":
        return [geometry["coordinates"]]
    if t == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"not a polygonal geometry: {t}")


def bbox(geometry: dict) -> tuple[float, float, float, float]:
    """(min_lon, min_lat, max_lon, max_lat) of a Polygon or MultiPolygon."""
    xs: list[float] = []
    ys: list[float] = []
    for poly in _rings(geometry):
        for x, y in poly[0]:
            xs.append(x)
            ys.append(y)
    return min(xs), min(ys), max(xs), max(ys)


def centroid(geometry: dict) -> tuple[float, float]:
    """(lon, lat) of the area centroid (planar in degrees: fine at grid scale)."""
    c = to_shape(geometry).centroid
    return c.x, c.y


def _in_ring(x: float, y: float, ring: Ring) -> bool:
    """Even-odd ray casting; points on the boundary may go either way."""
    inside = False
    n = len(ring)
    j = n - 1
    for i in range(n):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def contains_point(geometry: dict, lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies inside a Polygon/MultiPolygon (holes excluded).

    Pure Python, no shapely object per call: cheap enough for one point against a few
    candidate grids picked by their bbox columns.
    """
    for poly in _rings(geometry):
        if _in_ring(lon, lat, poly[0]) and not any(_in_ring(lon, lat, h) for h in poly[1:]):
            return True
    return False


def in_bbox(lon: float, lat: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def quad_point(corners: Sequence[Sequence[float]], u: float, v: float) -> tuple[float, float]:
    """Bilinear point of a quadrilateral (nw, ne, se, sw corners), u west→east, v north→south.

    For a convex quad and 0 < u, v < 1 the point lies strictly inside it.
    """
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = corners[:4]
    top_x, top_y = x0 + (x1 - x0) * u, y0 + (y1 - y0) * u
    bot_x, bot_y = x3 + (x2 - x3) * u, y3 + (y2 - y3) * u
    return top_x + (bot_x - top_x) * v, top_y + (bot_y - top_y) * v


def metres_per_degree(lon: float, lat: float) -> tuple[float, float]:
    """Geodesic metres per degree of longitude and of latitude around (lon, lat) (for layout)."""
    g = _geod()
    d = 0.01
    _, _, east = g.inv(lon - d / 2, lat, lon + d / 2, lat)
    _, _, north = g.inv(lon, lat - d / 2, lon, lat + d / 2)
    return east / d, north / d


__all__ = [
    "area_m2",
    "bbox",
    "centroid",
    "contains_point",
    "in_bbox",
    "metres_per_degree",
    "polygon",
    "quad_point",
    "to_shape",
]
