"""The live map: a folium/Leaflet page in a QWebEngineView, fed through one web bridge.

Everything the page needs comes over our own URL scheme, never from the internet and never
through ``setHtml`` (which silently fails above 2 MB):

- ``gridmap://app/map.html?view=<token>``: the page, rendered once by folium with its links
  rebound to local copies;
- ``gridmap://app/static/...``: Leaflet, markercluster and jQuery from the xstatic packages,
  Qt's ``qwebchannel.js``, and our ``resources/map`` files;
- ``gridmap://app/data/<token>/<name>.json``: the big GeoJSON (grids, region outlines);
- ``gridmap://tiles/{z}/{x}/{y}``: raster tiles from a local MBTiles file (TMS rows).

After the page says it is ready, Python talks to it only through one ``QWebChannel`` signal that
carries a JSON batch. Updates made in one event-loop turn are coalesced into one batch; calls
made before the page is ready wait (as state, not as a list of calls). The view keeps a mirror of
what it shows, so when the render process dies (a 24/7 wall display) the page is reloaded and
the mirror replayed. After Anki's ``qt/aqt/webview.py``.

``register_scheme()`` must run before the QApplication exists (``tests/conftest.py`` does it;
so must the application's entry point).
"""

from __future__ import annotations

import json
import logging
import mimetypes
import sqlite3
import time
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import folium
from folium.template import Template
from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QCoreApplication,
    QEventLoop,
    QFile,
    QIODevice,
    QObject,
    QTimer,
    QUrl,
    QUrlQuery,
    Signal,
    Slot,
)
from PySide6.QtWebChannel import QWebChannel
from PySide6.QtWebEngineCore import (
    QWebEnginePage,
    QWebEngineProfile,
    QWebEngineUrlRequestJob,
    QWebEngineUrlSchemeHandler,
)
from PySide6.QtWebEngineWidgets import QWebEngineView

from gridstation.app.geo.scheme import SCHEME, register_scheme, scheme_registered  # noqa: F401  (their home was here)
from gridstation.geo.mapdata import CasePoint
from gridstation.paths import resources_dir
from gridstation.app.i18n import light_label

log = logging.getLogger(__name__)

APP_URL = "gridmap://app"
STATIC_URL = APP_URL + "/static"
MAP_RESOURCES = resources_dir() / "map"
MAX_ZOOM = 19
FLUSH_MS = 30  # updates within this window go to the page as one batch
RELOAD_AFTER_CRASH_MS = 1000
CLOSED_STATES = frozenset({"closed", "voided"})


# --------------------------------------------------------------------------- the URL scheme


def _static_roots() -> dict[str, Path]:
    import xstatic.pkg.jquery as xjquery
    import xstatic.pkg.leaflet as xleaflet
    import xstatic.pkg.leaflet_markercluster as xcluster

    return {
        "leaflet": Path(xleaflet.BASE_DIR),
        "markercluster": Path(xcluster.BASE_DIR),
        "jquery": Path(xjquery.BASE_DIR),
        "map": MAP_RESOURCES,
    }


# The page's scripts and styles, in load order. Names match folium's own where they replace one.
PAGE_JS = [
    ("leaflet", f"{STATIC_URL}/leaflet/leaflet.js"),
    ("jquery", f"{STATIC_URL}/jquery/jquery.min.js"),
    ("markerclusterjs", f"{STATIC_URL}/markercluster/leaflet.markercluster.js"),
    ("qwebchannel", f"{STATIC_URL}/qwebchannel.js"),
    ("gridmap", f"{STATIC_URL}/map/gridmap.js"),
]
PAGE_CSS = [
    ("leaflet_css", f"{STATIC_URL}/leaflet/leaflet.css"),
    ("markerclustercss", f"{STATIC_URL}/markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{STATIC_URL}/markercluster/MarkerCluster.Default.css"),
    ("gridmap_css", f"{STATIC_URL}/map/gridmap.css"),
]
# folium's and its plugins' CDN links that have a local copy; any other remote link is refused.
LOCAL_BY_NAME = dict(PAGE_JS + PAGE_CSS)


class MBTiles:
    """One read-only MBTiles file (SQLite). Rows are TMS: ``tile_row = 2**z - 1 - y``."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_file():
            raise FileNotFoundError(f"MBTiles file not found: {self.path}")
        self._db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
        self.metadata = dict(self._db.execute("SELECT name, value FROM metadata").fetchall())
        fmt = self.metadata.get("format", "png").lower()
        self.mime = {"jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}.get(fmt, "image/png")
        zooms = self._db.execute("SELECT min(zoom_level), max(zoom_level) FROM tiles").fetchone()
        self.min_zoom = int(self.metadata.get("minzoom", zooms[0] if zooms[0] is not None else 0))
        self.max_zoom = int(self.metadata.get("maxzoom", zooms[1] if zooms[1] is not None else MAX_ZOOM))

    def tile(self, z: int, x: int, y: int) -> bytes | None:
        row = self._db.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level=? AND tile_column=? AND tile_row=?",
            (z, x, (1 << z) - 1 - y),
        ).fetchone()
        return None if row is None else bytes(row[0])

    def close(self) -> None:
        self._db.close()


class SchemeHandler(QWebEngineUrlSchemeHandler):
    """Serves ``gridmap://`` for one profile: pages and data per view (by token), static files,
    and tiles. Runs on the GUI thread; every answer is in memory or one small SQLite read."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.roots = _static_roots()
        self.pages: dict[str, bytes] = {}
        self.data: dict[str, bytes] = {}  # "<token>/<name>" -> JSON bytes
        self.tiles: dict[str, MBTiles] = {}
        self.default_tiles: str | None = None
        self._static_cache: dict[str, tuple[bytes, bytes]] = {}

    # ---- what views hand over

    def forget(self, token: str) -> None:
        self.pages.pop(token, None)
        for key in [k for k in self.data if k.startswith(token + "/")]:
            del self.data[key]
        mb = self.tiles.pop(token, None)
        if mb is not None:
            mb.close()
        if self.default_tiles == token:
            self.default_tiles = next(iter(self.tiles), None)

    def add_tiles(self, token: str, path: str | Path) -> MBTiles:
        old = self.tiles.pop(token, None)
        if old is not None:
            old.close()
        mb = self.tiles[token] = MBTiles(path)
        self.default_tiles = token
        return mb

    # ---- requests

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # Qt override
        try:
            self._answer(job)
        except Exception:  # a failing request must not take the GUI down
            log.exception("gridmap request failed: %s", job.requestUrl().toString())
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)

    def _answer(self, job: QWebEngineUrlRequestJob) -> None:
        url = job.requestUrl()
        if bytes(job.requestMethod().data()).upper() not in (b"GET", b"HEAD"):
            job.fail(QWebEngineUrlRequestJob.Error.RequestDenied)
            return
        host, path, query = url.host(), url.path(), QUrlQuery(url)
        found: tuple[bytes, bytes] | None = None
        if host == "app":
            if path == "/map.html":
                html = self.pages.get(query.queryItemValue("view"))
                found = None if html is None else (b"text/html; charset=utf-8", html)
            elif path.startswith("/static/"):
                found = self._static(path[len("/static/"):])
            elif path.startswith("/data/"):
                body = self.data.get(path[len("/data/"):].removesuffix(".json"))
                found = None if body is None else (b"application/json", body)
        elif host == "tiles":
            found = self._tile(path, query.queryItemValue("src") or self.default_tiles)
        if found is None:
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        mime, body = found
        buf = QBuffer(job)  # the job owns the buffer; Chromium reads it on its own thread
        buf.setData(QByteArray(body))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(mime), buf)

    def _static(self, rel: str) -> tuple[bytes, bytes] | None:
        if rel in self._static_cache:
            return self._static_cache[rel]
        if rel == "qwebchannel.js":
            f = QFile(":/qtwebchannel/qwebchannel.js")
            if not f.open(QIODevice.OpenModeFlag.ReadOnly):
                return None
            found = (b"application/javascript", bytes(f.readAll().data()))
            f.close()
        else:
            root_name, _, inner = rel.partition("/")
            root = self.roots.get(root_name)
            if root is None or not inner:
                return None
            target = (root / inner).resolve()
            if root.resolve() not in target.parents or not target.is_file():
                return None  # no path tricks out of the asset folders
            mime = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if mime in ("text/javascript", "application/x-javascript"):
                mime = "application/javascript"
            if mime.startswith("text/") or mime == "application/javascript":
                mime += "; charset=utf-8"
            found = (mime.encode(), target.read_bytes())
        if not rel.startswith("map/"):  # our own files are re-read, so a developer sees edits
            self._static_cache[rel] = found
        return found

    def _tile(self, path: str, token: str | None) -> tuple[bytes, bytes] | None:
        mb = self.tiles.get(token or "")
        parts = path.strip("/").split("/")
        if mb is None or len(parts) != 3:
            return None
        try:
            z, x, y = int(parts[0]), int(parts[1]), int(parts[2].split(".")[0])
        except ValueError:
            return None
        body = mb.tile(z, x, y)
        return None if body is None else (mb.mime.encode(), body)


_handlers: list[SchemeHandler] = []  # keeps the Python side of installed handlers alive


def scheme_handler(profile: QWebEngineProfile) -> SchemeHandler:
    """The handler installed on ``profile`` (installed on first use; one per profile)."""
    existing = profile.urlSchemeHandler(QByteArray(SCHEME))
    if isinstance(existing, SchemeHandler):
        return existing
    if existing is not None:
        raise RuntimeError("another gridmap:// handler is installed on this profile")
    handler = SchemeHandler(profile)  # the profile owns it
    profile.installUrlSchemeHandler(QByteArray(SCHEME), handler)
    _handlers.append(handler)
    return handler


# --------------------------------------------------------------------------- the page


def default_legend() -> dict[str, str]:
    """The page's visible words, translated (the page never holds literal UI text)."""
    return {
        "title": QCoreApplication.translate("MapView", "Legend"),
        "grids": QCoreApplication.translate("MapView", "Unit grids"),
        "grid_none": QCoreApplication.translate("MapView", "No open case"),
        "grid_open": QCoreApplication.translate("MapView", "Open cases"),
        "grid_overdue": QCoreApplication.translate("MapView", "Overdue cases"),
        "cases": QCoreApplication.translate("MapView", "Cases"),
        "green": light_label("green"),
        "yellow": light_label("yellow"),
        "red": light_label("red"),
        "parked": light_label("parked"),
        "components": QCoreApplication.translate("MapView", "Components"),
        "outlines": QCoreApplication.translate("MapView", "Region boundaries"),
        "base_outlines": QCoreApplication.translate("MapView", "Outline map"),
        "base_tiles": QCoreApplication.translate("MapView", "Tile map"),
        "open": QCoreApplication.translate("MapView", "open"),
        "overdue": QCoreApplication.translate("MapView", "overdue"),
    }


def _base_config(base_map: Mapping[str, Any] | None, token: str, handler: SchemeHandler) -> dict:
    base = dict(base_map or {"type": "outlines"})
    kind = base.get("type", "outlines")
    if kind == "outlines":
        return {"type": "outlines"}
    if kind == "xyz":
        url = str(base.get("url") or "")
        if not all(k in url for k in ("{z}", "{x}", "{y}")):
            raise ValueError(f"an xyz base map needs a URL with {{z}}, {{x}} and {{y}}: {url!r}")
        return {"type": "tiles", "url": url, "minNativeZoom": int(base.get("min_zoom", 0)),
                "maxNativeZoom": int(base.get("max_zoom", MAX_ZOOM)), "attribution": str(base.get("attribution", ""))}
    if kind == "mbtiles":
        mb = handler.add_tiles(token, base["path"])
        return {"type": "tiles", "url": f"gridmap://tiles/{{z}}/{{x}}/{{y}}?src={token}",
                "minNativeZoom": mb.min_zoom, "maxNativeZoom": mb.max_zoom,
                "attribution": str(mb.metadata.get("attribution", ""))}
    raise ValueError(f"unknown base map type {kind!r} (outlines, xyz or mbtiles)")


def _offline(element) -> None:
    """Point every script/style link of ``element`` and its children at our local copies.

    Rebinds per instance (``element.default_js = [...]``): folium's class-level lists are shared
    by every map in the process, so ``add_js_link`` would change them for everyone."""
    for attr in ("default_js", "default_css"):
        links = getattr(element, attr, None)
        if links:
            local = []
            for name, url in links:
                if name in LOCAL_BY_NAME:
                    local.append((name, LOCAL_BY_NAME[name]))
                elif not url.startswith(APP_URL):
                    raise ValueError(f"{type(element).__name__} needs {name} from {url}, which has no local copy")
                else:
                    local.append((name, url))
            setattr(element, attr, local)
    for child in element._children.values():
        _offline(child)


class _Startup(folium.MacroElement):
    """Hands the folium map and our configuration to ``GridMap.start`` (resources/map/page.j2)."""

    def __init__(self, config: dict) -> None:
        super().__init__()
        self._name = "GridMapStartup"
        self.config = config
        self._template = Template((MAP_RESOURCES / "page.j2").read_text(encoding="utf-8"))


def build_page(config: dict, bounds) -> str:
    """The page's HTML: small, because the data comes from ``gridmap://app/data/``."""
    if bounds:
        w, s, e, n = bounds
        center = [(s + n) / 2, (w + e) / 2]
    else:
        center = [34.75, 113.65]
    m = folium.Map(location=center, zoom_start=14, tiles=None, prefer_canvas=True, max_zoom=MAX_ZOOM,
                   min_zoom=3, control_scale=False, zoom_control=True, attributionControl=False,
                   # folium hands max_zoom only to its tile layer; with tiles=None the map itself
                   # needs one (markercluster refuses a map without maxZoom)
                   maxZoom=MAX_ZOOM, minZoom=3,
                   zoomSnap=0.25)  # fit the city to the window, not to the next power of two
    m.default_js = list(PAGE_JS)
    m.default_css = list(PAGE_CSS)
    _Startup(config).add_to(m)
    _offline(m)
    return m.get_root().render()


# --------------------------------------------------------------------------- the bridge


class _Bridge(QObject):
    """The one object the page sees (``bridge``): commands in, batches out."""

    batch = Signal(str)

    def __init__(self, view: MapView) -> None:
        super().__init__(view)
        self._view = view

    @Slot(str)
    def command(self, text: str) -> None:
        self._view._on_command(text)


class _MapPage(QWebEnginePage):
    def __init__(self, profile: QWebEngineProfile, view: MapView) -> None:
        super().__init__(profile, view)
        self.console: list[str] = []

    def javaScriptConsoleMessage(self, level, message, line, source):  # Qt override
        text = f"{source}:{line}: {message}"
        if level == QWebEnginePage.JavaScriptConsoleMessageLevel.ErrorMessageLevel:
            log.warning("map page: %s", text)
            self.console.append(text)
            del self.console[:-100]
        else:
            log.debug("map page: %s", text)


def _case_row(p: CasePoint) -> list:
    return [p.id, round(p.lon, 7), round(p.lat, 7), p.light, p.number, p.state]


def _forget_page(handler: SchemeHandler, token: str) -> None:
    handler.forget(token)


class MapView(QWebEngineView):
    """The city on a map: unit grids coloured by open/overdue cases, cases as clustered dots
    coloured by their traffic light, components, and an offline outline base map.

    Signals: ``gridClicked(grid_id)``, ``caseClicked(case_id)``, ``pointClicked(lon, lat)`` (any
    click that hits no case, also one inside a grid, e.g. to place a new report), ``ready()``
    (each time a page load is ready, also after a reload following a crash) and
    ``batchApplied(seq)`` (the page has drawn update batch ``seq``).
    """

    gridClicked = Signal(int)
    choroplethClicked = Signal(int)  # the index of the child region clicked on the drill-down layer
    caseClicked = Signal(int)
    pointClicked = Signal(float, float)
    ready = Signal()
    batchApplied = Signal(int)

    def __init__(self, parent=None, *, profile: QWebEngineProfile | None = None) -> None:
        if not scheme_registered():
            raise RuntimeError("gridstation.app.geo.mapview.register_scheme() must run before the QApplication exists")
        super().__init__(parent)
        self._token = uuid.uuid4().hex[:16]
        profile = profile or QWebEngineProfile.defaultProfile()
        self._handler = scheme_handler(profile)
        self.destroyed.connect(lambda *_, h=self._handler, t=self._token: _forget_page(h, t))
        self._page = _MapPage(profile, self)
        self.setPage(self._page)
        self._bridge = _Bridge(self)
        self._channel = QWebChannel(self._page)
        self._channel.registerObject("bridge", self._bridge)
        self._page.setWebChannel(self._channel)
        self._page.renderProcessTerminated.connect(self._on_render_process_terminated)
        self._page.loadFinished.connect(self._on_load_finished)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(FLUSH_MS)
        self._timer.timeout.connect(self._flush)

        self.html = ""  # the generated page (small: data is served separately)
        self._page_loads = 0
        self._crashes = 0
        self._ready = False
        self._closed = False
        self._seq = 0
        # what the page shows (replayed after a reload) ...
        self._stats: dict[int, tuple[int, int]] = {}
        self._cases: dict[int, CasePoint] = {}
        self._components: list[list] | None = None
        self._highlight: int | None = None
        self._choro: dict | None = None  # the drill-down layer (专题图)
        # ... and what it does not show yet
        self._p_stats: dict[int, tuple[int, int]] | None = None
        self._p_replace = False
        self._p_cases: dict[int, CasePoint | None] = {}
        self._p_components = False
        self._p_highlight = False
        self._p_focus: dict | None = None
        self._pulses: dict[int, tuple[float, float, float]] = {}  # case id -> lon, lat, until (monotonic)
        self._p_pulses: list[list] = []
        self._p_choro: dict | None = None  # {"op": "choro", "layer": ..., "fit": ...}

    # ---- properties

    @property
    def page_loads(self) -> int:
        """Full page loads so far: 1 after ``load_city``; updates never add to it."""
        return self._page_loads

    @property
    def is_ready(self) -> bool:
        return self._ready

    @property
    def case_count(self) -> int:
        """Case dots the page shows (or will, once ready)."""
        return len(self._cases)

    @property
    def crashes(self) -> int:
        return self._crashes

    @property
    def page_url(self) -> QUrl:
        return QUrl(f"{APP_URL}/map.html?view={self._token}")

    def data_url(self, name: str) -> str:
        return f"{APP_URL}/data/{self._token}/{name}.json"

    @property
    def console_errors(self) -> list[str]:
        """JavaScript errors the page reported (the last 100)."""
        return list(self._page.console)

    # ---- loading

    def load_city(
        self,
        grids_geojson: dict,
        outlines_geojson: dict,
        bounds,
        base_map: dict | None = None,
        legend: dict | None = None,
        *,
        theme: str = "light",
        wall: bool = False,
    ) -> None:
        """Build the page and load it. The GeoJSON is handed over through the URL scheme, so its
        size does not matter. Call once; later changes go through the update methods.

        ``theme="dark"`` draws for a dark wall; ``wall`` leaves out the controls nobody can
        touch there (zoom buttons, layer switch)."""
        h, t = self._handler, self._token
        h.data[f"{t}/grids"] = json.dumps(grids_geojson, ensure_ascii=False, separators=(",", ":")).encode()
        h.data[f"{t}/outlines"] = json.dumps(outlines_geojson, ensure_ascii=False, separators=(",", ":")).encode()
        labels = default_legend()
        labels.update(legend or {})
        config = {
            "grids": self.data_url("grids"),
            "outlines": self.data_url("outlines"),
            "bounds": [[bounds[1], bounds[0]], [bounds[3], bounds[2]]] if bounds else None,
            "base": _base_config(base_map, t, h),
            "legend": labels,
            "maxZoom": MAX_ZOOM,
            "theme": theme,
            "wall": bool(wall),
        }
        self.html = build_page(config, bounds)
        h.pages[t] = self.html.encode()
        self._load_page()

    def _load_page(self) -> None:
        if self._closed:
            return
        self._ready = False
        self._timer.stop()
        self._page_loads += 1
        self.load(self.page_url)

    def _on_load_finished(self, ok: bool) -> None:
        if not ok and not self._closed:
            log.warning("the map page failed to load (%s)", self.page_url.toString())

    def _on_render_process_terminated(self, status, exit_code: int) -> None:
        if self._closed:
            return
        self._crashes += 1
        self._ready = False
        log.warning("map render process ended (%s, exit code %s); reloading", status, exit_code)
        QTimer.singleShot(RELOAD_AFTER_CRASH_MS, self, self._load_page)

    # ---- updates (any time; queued until the page is ready, coalesced per event-loop turn)

    def set_grid_stats(self, stats: Mapping[int, tuple[int, int]], replace: bool = False) -> None:
        """grid id → (open, overdue). ``replace``: grids not named have no open case; otherwise
        only the named grids change (send (0, 0) for a grid whose last case closed)."""
        clean = {int(g): (int(v[0]), int(v[1])) for g, v in stats.items()}
        if replace:
            self._stats = {g: v for g, v in clean.items() if v != (0, 0)}
            self._p_stats, self._p_replace = dict(clean), True
        else:
            for g, v in clean.items():
                if v == (0, 0):
                    self._stats.pop(g, None)
                else:
                    self._stats[g] = v
            self._p_stats = {**(self._p_stats or {}), **clean}
        self._schedule()

    def upsert_cases(self, points: Iterable[CasePoint]) -> None:
        """Add or update case dots; a closed or voided case is removed."""
        for p in points:
            if p.state in CLOSED_STATES or p.light == "done":
                self._cases.pop(p.id, None)
                self._p_cases[p.id] = None
            else:
                self._cases[p.id] = p
                self._p_cases[p.id] = p
        self._schedule()

    def sync_cases(self, points: Iterable[CasePoint]) -> int:
        """Show exactly ``points`` (every open case): only what differs from what the page shows
        goes to it, so a periodic full re-read costs the page nothing when little changed.
        Returns the number of cases sent."""
        want = {p.id: p for p in points if p.state not in CLOSED_STATES and p.light != "done"}
        gone = [cid for cid in self._cases if cid not in want]
        changed = [p for cid, p in want.items() if self._cases.get(cid) != p]
        if gone:
            self.remove_cases(gone)
        if changed:
            self.upsert_cases(changed)
        return len(gone) + len(changed)

    def sync_grid_stats(self, stats: Mapping[int, tuple[int, int]]) -> int:
        """Like ``set_grid_stats(stats, replace=True)``, sending only the grids that changed."""
        clean = {int(g): (int(v[0]), int(v[1])) for g, v in stats.items() if (int(v[0]), int(v[1])) != (0, 0)}
        diff = {g: v for g, v in clean.items() if self._stats.get(g) != v}
        diff.update({g: (0, 0) for g in self._stats if g not in clean})
        if diff:
            self.set_grid_stats(diff)
        return len(diff)

    def remove_cases(self, ids: Iterable[int]) -> None:
        for cid in ids:
            self._cases.pop(int(cid), None)
            self._p_cases[int(cid)] = None
        self._schedule()

    def set_components(self, rows: Iterable) -> None:
        """Component dots: rows of (id, lon, lat, code, state), as ``mapdata.component_points``."""
        self._components = [[int(r[0]), float(r[1]), float(r[2]), str(r[3]), str(r[4])] for r in rows
                            if r[1] is not None and r[2] is not None]
        self._p_components = True
        self._schedule()

    def focus_case(self, case_id: int, lon: float, lat: float) -> None:
        """Pan and zoom to a case (opening its cluster) and ring it."""
        self._p_focus = {"op": "focusCase", "id": int(case_id), "lon": float(lon), "lat": float(lat)}
        self._schedule()

    def focus_grid(self, grid_id: int) -> None:
        """Zoom to a grid and highlight it."""
        self._highlight = int(grid_id)
        self._p_highlight = True
        self._p_focus = {"op": "focusGrid", "id": int(grid_id)}
        self._schedule()

    def set_choropleth(self, layer: dict | None, *, fit: bool = True) -> None:
        """Colour every grid by the child region it lies in (the drill-down on the map), or
        ``None`` to go back to the live layer. ``layer``: {"title", "subtitle", "items": [{"name",
        "text", "colour"}], "grids": {grid id: item index}, "legend": [[colour, label], …]}.
        ``fit``: zoom to the children. A click on a coloured grid is ``choroplethClicked(index)``."""
        if layer is not None:
            layer = {**layer, "grids": {str(int(g)): int(i) for g, i in layer["grids"].items()}}
        self._choro = layer
        self._p_choro = {"op": "choro", "layer": layer, "fit": bool(fit)}
        self._schedule()

    @property
    def choropleth(self) -> dict | None:
        return self._choro

    def highlight_grid(self, grid_id: int | None) -> None:
        self._highlight = None if grid_id is None else int(grid_id)
        self._p_highlight = True
        self._schedule()

    def pulse_cases(self, points: Iterable[CasePoint], seconds: float, limit: int = 60) -> None:
        """Rings that pulse around new cases for ``seconds`` (the newest ``limit`` at most);
        replayed with their remaining time after a page reload."""
        now = time.monotonic()
        for p in points:
            self._pulses[p.id] = (p.lon, p.lat, now + seconds)
            self._p_pulses.append([p.id, p.lon, p.lat, float(seconds)])
        self._prune_pulses(now, limit)
        self._schedule()

    def _prune_pulses(self, now: float, limit: int = 60) -> None:
        for cid in [c for c, v in self._pulses.items() if v[2] <= now]:
            del self._pulses[cid]
        while len(self._pulses) > limit:
            del self._pulses[next(iter(self._pulses))]
        self._p_pulses = self._p_pulses[-limit:]

    @property
    def pulsing(self) -> int:
        """Pulses still running (Python's view; the page drops them on the same schedule)."""
        self._prune_pulses(time.monotonic())
        return len(self._pulses)

    def _schedule(self) -> None:
        if self._ready and not self._closed and not self._timer.isActive():
            self._timer.start()

    def _flush(self) -> None:
        if not self._ready or self._closed:
            return
        ops: list[dict] = []
        if self._p_stats is not None:
            ops.append({"op": "stats", "replace": self._p_replace,
                        "stats": {str(g): list(v) for g, v in self._p_stats.items()}})
        if self._p_cases:
            ops.append({"op": "cases", "reset": False,
                        "upsert": [_case_row(p) for p in self._p_cases.values() if p is not None],
                        "remove": [cid for cid, p in self._p_cases.items() if p is None]})
        if self._p_components:
            ops.append({"op": "components", "rows": self._components or []})
        if self._p_highlight:
            ops.append({"op": "highlight", "id": self._highlight})
        if self._p_focus is not None:
            ops.append(self._p_focus)
        if self._p_pulses:
            ops.append({"op": "pulse", "points": self._p_pulses})
        if self._p_choro is not None:
            ops.append(self._p_choro)
        self._clear_pending()
        if ops:
            self._send(ops)

    def _snapshot(self) -> None:
        """Everything the page should show, for a fresh page (first load or after a crash)."""
        ops: list[dict] = [
            {"op": "stats", "replace": True, "stats": {str(g): list(v) for g, v in self._stats.items()}},
            {"op": "cases", "reset": True, "initial": True, "upsert": [_case_row(p) for p in self._cases.values()],
             "remove": []},
        ]
        if self._components is not None:
            ops.append({"op": "components", "rows": self._components})
        if self._highlight is not None:
            ops.append({"op": "highlight", "id": self._highlight})
        if self._p_focus is not None:
            ops.append(self._p_focus)
        now = time.monotonic()
        self._prune_pulses(now)
        if self._pulses:
            ops.append({"op": "pulse", "points": [[c, lon, lat, until - now] for c, (lon, lat, until) in self._pulses.items()]})
        if self._choro is not None:
            ops.append({"op": "choro", "layer": self._choro, "fit": True})
        self._clear_pending()
        self._send(ops)

    def _clear_pending(self) -> None:
        self._p_stats, self._p_replace = None, False
        self._p_cases = {}
        self._p_components = self._p_highlight = False
        self._p_focus = None
        self._p_pulses = []
        self._p_choro = None

    def _send(self, ops: list[dict]) -> None:
        self._seq += 1
        self._bridge.batch.emit(json.dumps({"seq": self._seq, "ops": ops}, ensure_ascii=False, separators=(",", ":")))

    @property
    def last_batch(self) -> int:
        """The sequence number of the last batch sent to the page."""
        return self._seq

    # ---- the page talks

    def _on_command(self, text: str) -> None:
        if self._closed:
            return  # a late message from a page we no longer show
        try:
            msg = json.loads(text)
            kind = msg.get("type")
            if kind == "ready":
                self._ready = True
                self._timer.stop()
                self._snapshot()
                self.ready.emit()
            elif kind == "grid":
                self.gridClicked.emit(int(msg["id"]))
            elif kind == "case":
                self.caseClicked.emit(int(msg["id"]))
            elif kind == "choro":
                self.choroplethClicked.emit(int(msg["index"]))
            elif kind == "point":
                self.pointClicked.emit(float(msg["lon"]), float(msg["lat"]))
            elif kind == "applied":
                self.batchApplied.emit(int(msg["seq"]))
            elif kind == "error":
                log.warning("map page error: %s", msg.get("message"))
                self._page.console.append(str(msg.get("message")))
            else:
                log.warning("unknown map command %r", kind)
        except (ValueError, KeyError, TypeError, AttributeError):
            log.warning("bad map command %r", text[:200])

    # ---- tests and diagnostics

    def run_js_sync(self, expr: str, timeout_ms: int = 5000) -> Any:
        """Evaluate JavaScript ``expr`` (an expression, or statements: the last one's value) in the page and wait for its value (which
        must be JSON-serialisable; ``undefined`` gives None). For tests and diagnostics only: it
        spins a local event loop."""
        if self._closed:
            raise RuntimeError("the map view is closed")
        loop = QEventLoop()
        result: list = []

        def done(value):
            result.append(value)
            loop.quit()

        timer = QTimer()
        timer.setSingleShot(True)
        timer.timeout.connect(loop.quit)
        timer.start(timeout_ms)
        # the value travels as JSON: Qt's conversion of nested JS values is lossy
        self._page.runJavaScript(f"JSON.stringify(eval({json.dumps(expr)}))", 0, done)
        if not result:
            loop.exec()
        timer.stop()
        if not result:
            raise TimeoutError(f"no answer from the page within {timeout_ms} ms: {expr[:80]}")
        return None if result[0] in (None, "") else json.loads(result[0])

    # ---- lifecycle

    def closeEvent(self, event) -> None:  # Qt override
        self._shutdown()
        super().closeEvent(event)

    def _shutdown(self) -> None:
        self._closed = True
        self._ready = False
        self._timer.stop()
