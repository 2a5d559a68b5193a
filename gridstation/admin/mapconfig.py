"""The base map and the default map view, kept in the ``setting`` table.

``map_base``: ``{"type": "outlines"}`` (drawn from the district, street and community
outlines, fully offline), ``{"type": "xyz", "url": "http://tiles.intranet/{z}/{x}/{y}.png"}``
(an intranet tile server; optional ``min_zoom``, ``max_zoom``, ``attribution``) or
``{"type": "mbtiles", "path": "D:/maps/city.mbtiles"}`` (a local MBTiles file; the path must
exist on every workstation, so a shared drive letter or the same install folder).
``map_view``: ``{"center": [lat, lon], "zoom": z}``, where the map opens.
"""

from __future__ import annotations

import math
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from gridstation.store import settings as settings_mod
from gridstation.errors import InvalidInput
from gridstation.admin.common import admin_tx

BASE_KEY = "map_base"
VIEW_KEY = "map_view"
ENTITY = "config"
MAX_ZOOM = 20
DEFAULT_BASE = {"type": "outlines"}


def check_base(value) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput("map_base", "an object with a type")
    kind = value.get("type", "outlines")
    if kind == "outlines":
        return {"type": "outlines"}
    if kind == "xyz":
        url = str(value.get("url") or "").strip()
        if not url.startswith(("http://", "https://")):
            raise InvalidInput("url", "an http:// or https:// address")
        if not all(k in url for k in ("{z}", "{x}", "{y}")):
            raise InvalidInput("url", "the address needs {z}, {x} and {y}")
        out = {"type": "xyz", "url": url}
        for k in ("min_zoom", "max_zoom"):
            if value.get(k) not in (None, ""):
                try:
                    z = int(value[k])
                except (TypeError, ValueError):
                    raise InvalidInput(k, "a whole number") from None
                if not 0 <= z <= MAX_ZOOM:
                    raise InvalidInput(k, f"between 0 and {MAX_ZOOM}")
                out[k] = z
        if out.get("min_zoom", 0) > out.get("max_zoom", MAX_ZOOM):
            raise InvalidInput("min_zoom", "not above max_zoom")
        if value.get("attribution"):
            if len(str(value["attribution"])) > 200:
                raise InvalidInput("attribution", "at most 200 characters")
            out["attribution"] = str(value["attribution"])
        return out
    if kind == "mbtiles":
        path = str(value.get("path") or "").strip()
        if not path:
            raise InvalidInput("path", "the MBTiles file")
        if not path.lower().endswith(".mbtiles"):
            raise InvalidInput("path", "an .mbtiles file")
        return {"type": "mbtiles", "path": path}
    raise InvalidInput("type", "outlines, xyz or mbtiles")


def check_view(value) -> dict:
    if not isinstance(value, dict):
        raise InvalidInput("map_view", "an object with center and zoom")
    try:
        lat, lon = (float(x) for x in value.get("center"))
        zoom = int(value.get("zoom"))
    except (TypeError, ValueError):
        raise InvalidInput("map_view", "center [lat, lon] and a whole zoom level") from None
    if not (math.isfinite(lat) and -90 <= lat <= 90):
        raise InvalidInput("latitude", "between -90 and 90")
    if not (math.isfinite(lon) and -180 <= lon <= 180):
        raise InvalidInput("longitude", "between -180 and 180")
    if not 1 <= zoom <= MAX_ZOOM:
        raise InvalidInput("zoom", f"between 1 and {MAX_ZOOM}")
    return {"center": [round(lat, 6), round(lon, 6)], "zoom": zoom}


def mbtiles_missing(base: dict) -> bool:
    """True if an MBTiles base map names a file this workstation does not have (a warning:
    the file must exist on the workstations, not necessarily on the administrator's)."""
    return base.get("type") == "mbtiles" and not Path(base.get("path", "")).is_file()


def load(s: Session) -> tuple[dict, dict | None]:
    base = settings_mod.get(s, BASE_KEY) or dict(DEFAULT_BASE)
    return base, settings_mod.get(s, VIEW_KEY)


def save(engine: Engine, actor, *, base: dict | None = None, view: dict | None = None) -> list[str]:
    """Store the base map and/or the default view; returns the keys that changed."""
    new = {}
    if base is not None:
        new[BASE_KEY] = check_base(base)
    if view is not None:
        new[VIEW_KEY] = check_view(view)
    with admin_tx(engine, actor) as tx:
        changed = []
        for key, value in new.items():
            old = settings_mod.get(tx.s, key)
            if old == value or (old is None and key == BASE_KEY and value == DEFAULT_BASE):
                continue
            settings_mod.put(tx.s, key, value)
            tx.audit("setting", key, "value", old, value)
            changed.append(key)
        if changed:
            tx.changed(ENTITY, None, "map")
        return changed
