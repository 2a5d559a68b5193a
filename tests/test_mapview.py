"""The live map (gridstation.app.geo.mapview) in a real, headless QWebEngineView.

The page must load with no network at all, draw the mini city's grids, take case updates in
place through batched bridge messages without ever reloading, report clicks back, serve MBTiles
tiles and large GeoJSON through the gridmap:// scheme, and come back after its render process
dies.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
from datetime import datetime
from types import SimpleNamespace

import pytest

pytest.importorskip("PySide6.QtWebEngineWidgets")
pytest.importorskip("pytestqt")

from PySide6.QtCore import QBuffer, QIODevice, QPoint, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWebEngineCore import QWebEngineUrlRequestInterceptor

from gridstation.geo import mapdata
from gridstation.app.geo import mapview as mv
from gridstation.store.db import make_engine, session_factory
from gridstation.geo.mapdata import CasePoint
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

NOW = datetime(2026, 3, 2, 10, 0)
LOAD_MS = 30_000


class Recorder(QWebEngineUrlRequestInterceptor):
    """Sees every request the page makes; blocks anything that would go to the network."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def interceptRequest(self, info) -> None:  # Qt override
        url = info.requestUrl().toString()
        self.urls.append(url)
        if info.requestUrl().scheme() in ("http", "https"):
            info.block(True)

    def network(self) -> list[str]:
        return [u for u in self.urls if u.startswith(("http:", "https:"))]


@pytest.fixture
def city(tmp_path, sqlite_template):
    """The mini city with three reported cases, and what the map shows of it."""
    path = tmp_path / "map.db"
    shutil.copy(sqlite_template, path)
    engine = make_engine(f"sqlite:///{path}")
    mc = build_mini_city(engine)
    wf = Workflow(engine, clock=lambda: NOW)
    for grid, text in [("G1a", "垃圾堆放"), ("G1b", "井盖破损"), ("G2a", "乱张贴")]:
        lon, lat = mc.point(grid)
        who = "sup1" if grid.startswith("G1") else "sup2"
        wf.report(who, source="supervisor", description=text, lon=lon, lat=lat)
    with session_factory(engine)() as s:
        data = SimpleNamespace(
            grid_ids=mc.grids,
            grids=mapdata.grid_features(s),
            outlines=mapdata.region_outlines(s),
            bounds=mapdata.city_bounds(s),
            stats=mapdata.grid_stats(s, now=NOW),
            points=mapdata.case_points(s, now=NOW),
        )
    yield data
    engine.dispose()


@pytest.fixture
def recorder():
    rec = Recorder()
    profile = mv.QWebEngineProfile.defaultProfile()
    profile.setUrlRequestInterceptor(rec)
    yield rec
    profile.setUrlRequestInterceptor(None)


@pytest.fixture
def make_view(qtbot):
    views = []

    def make(**kw):
        view = mv.MapView(**kw)
        view.resize(900, 600)
        view.show()
        views.append(view)
        return view

    yield make
    for view in views:
        view.close()
        view.deleteLater()
    qtbot.wait(50)


def load(qtbot, view, city, **kw):
    with qtbot.waitSignal(view.ready, timeout=LOAD_MS):
        view.load_city(city.grids, city.outlines, city.bounds, **kw)
    qtbot.waitUntil(lambda: view.run_js_sync("GridMap.lastSeq") == view.last_batch, timeout=5000)


def settle(qtbot, view):
    """Wait until the page has drawn every batch sent so far."""
    qtbot.wait(mv.FLUSH_MS + 10)
    qtbot.waitUntil(lambda: view.run_js_sync("GridMap.lastSeq") == view.last_batch, timeout=5000)


def js(view, expr):
    return view.run_js_sync(expr)


# --------------------------------------------------------------------------- tests


def test_register_scheme_is_idempotent():
    assert mv.register_scheme() is True
    assert mv.register_scheme() is True
    assert mv.scheme_registered()


def test_page_html_names_no_cdn_and_no_remote_link():
    html = mv.build_page({"grids": "gridmap://app/data/x/grids.json", "outlines": "gridmap://app/data/x/outlines.json",
                          "bounds": None, "base": {"type": "outlines"}, "legend": {}, "maxZoom": 19},
                         (113.7, 34.77, 113.71, 34.78))
    low = html.lower()
    for word in ("cdn", "unpkg", "jsdelivr", "http://", "https://", "cloudflare", "bootstrap"):
        assert word not in low, word
    assert "gridmap://app/static/leaflet/leaflet.js" in html
    assert "maxZoom" in html
    # folium's module-level link lists are untouched (rebound per instance, never mutated)
    import folium

    assert any("leaflet" in url and url.startswith("https://") for _, url in folium.Map.default_js)


def test_unknown_remote_asset_is_refused():
    import folium
    from folium import plugins

    m = folium.Map(tiles=None)
    plugins.Fullscreen().add_to(m)  # needs a script we have no local copy of
    with pytest.raises(ValueError, match="no local copy"):
        mv._offline(m)


def test_loads_offline_and_shows_the_city(qtbot, city, recorder, make_view):
    view = make_view()
    load(qtbot, view, city)

    assert view.page_loads == 1
    assert view.is_ready
    low = view.html.lower()
    assert "cdn" not in low and "unpkg" not in low and "jsdelivr" not in low
    assert recorder.network() == []
    assert any(u.startswith("gridmap://app/static/leaflet/") for u in recorder.urls), recorder.urls[:5]
    assert js(view, "GridMap.count('grids')") == len(city.grids["features"]) == 4
    assert js(view, "typeof L.MarkerClusterGroup") == "function"
    assert view.console_errors == []

    view.set_grid_stats(city.stats, replace=True)
    view.upsert_cases(city.points)
    settle(qtbot, view)
    assert js(view, "GridMap.count('cases')") == 3
    g1a, g2b = city.grid_ids["G1a"], city.grid_ids["G2b"]
    assert js(view, f"GridMap.gridFill({g1a})")["opacity"] > 0  # an open case
    assert js(view, f"GridMap.gridFill({g2b})")["opacity"] == 0  # none
    assert recorder.network() == []
    assert view.console_errors == []


def test_case_updates_in_place_and_removal(qtbot, city, make_view):
    view = make_view()
    load(qtbot, view, city)
    view.upsert_cases(city.points)
    settle(qtbot, view)
    assert js(view, "GridMap.count('cases')") == 3
    first = city.points[0]
    assert js(view, f"GridMap.caseColor({first.id})") == "#2e9d5b"
    js(view, f"GridMap.cases[{first.id}]._gmTag = 'same-object'; 1")

    view.upsert_cases([CasePoint(first.id, first.lon, first.lat, first.state, "red", first.number)])
    settle(qtbot, view)
    assert js(view, f"GridMap.caseColor({first.id})") == "#d64541"
    assert js(view, f"GridMap.cases[{first.id}]._gmTag") == "same-object"  # updated, not re-created
    assert js(view, "GridMap.count('cases')") == 3

    closed = city.points[1]
    view.upsert_cases([CasePoint(closed.id, closed.lon, closed.lat, "closed", "done", closed.number)])
    view.remove_cases([city.points[2].id])
    settle(qtbot, view)
    assert js(view, "GridMap.count('cases')") == 1
    assert js(view, f"GridMap.caseColor({city.points[2].id})") is None


def test_grid_colours_follow_open_and_overdue(qtbot, city, make_view):
    view = make_view()
    load(qtbot, view, city)
    a, b, c = city.grid_ids["G1a"], city.grid_ids["G1b"], city.grid_ids["G2a"]
    view.set_grid_stats({a: (2, 0), b: (3, 2), c: (1, 0)})
    settle(qtbot, view)
    fa, fb = js(view, f"GridMap.gridFill({a})"), js(view, f"GridMap.gridFill({b})")
    assert fa["opacity"] > 0 and fb["opacity"] > 0
    ca, cb = QColor(fa["color"]), QColor(fb["color"])
    assert ca.blue() > ca.red()  # open only: blue
    assert cb.red() > cb.blue()  # overdue: orange to red
    view.set_grid_stats({c: (0, 0)})  # its last case closed
    settle(qtbot, view)
    assert js(view, f"GridMap.gridFill({c})")["opacity"] == 0
    view.set_grid_stats({a: (1, 0)}, replace=True)
    settle(qtbot, view)
    assert js(view, f"GridMap.gridFill({b})")["opacity"] == 0
    assert js(view, f"GridMap.gridFill({a})")["opacity"] > 0


def test_updates_are_batched_and_never_reload(qtbot, city, make_view):
    view = make_view()
    messages: list[str] = []
    view._bridge.batch.connect(messages.append)
    load(qtbot, view, city)
    messages.clear()
    lights = ["green", "yellow", "red", "parked"]
    gids = list(city.grid_ids.values())
    for i in range(50):
        # many calls in one event-loop turn ...
        for p in city.points:
            view.upsert_cases([CasePoint(p.id, p.lon, p.lat, p.state, lights[(i + p.id) % 4], p.number)])
        view.set_grid_stats({gids[i % 4]: (i % 3, i % 2)})
        view.highlight_grid(gids[i % 4])
        qtbot.wait(mv.FLUSH_MS + 15)
    settle(qtbot, view)
    # ... are one message each turn, and the page is never reloaded
    assert 40 <= len(messages) <= 50
    assert all(len(json.loads(m)["ops"]) == 3 for m in messages)
    assert view.page_loads == 1
    last = {p.id: lights[(49 + p.id) % 4] for p in city.points}
    colours = {"green": "#2e9d5b", "yellow": "#e0a800", "red": "#d64541", "parked": "#8a8f98"}
    for cid, light in last.items():
        assert js(view, f"GridMap.caseColor({cid})") == colours[light]
    assert js(view, "GridMap.count('cases')") == 3
    assert view.console_errors == []


def test_calls_before_ready_are_queued(qtbot, city, make_view):
    view = make_view()
    view.upsert_cases(city.points)
    view.set_grid_stats(city.stats)
    view.remove_cases([city.points[0].id])
    view.set_components([(1, city.points[0].lon, city.points[0].lat, "C1", "normal")])
    load(qtbot, view, city)
    assert js(view, "GridMap.count('cases')") == 2
    assert js(view, "GridMap.count('components')") == 1
    assert js(view, "GridMap.map.hasLayer(GridMap.componentLayer)") is False  # off by default


def test_clicks_reach_python(qtbot, city, make_view):
    view = make_view()
    load(qtbot, view, city)
    view.upsert_cases(city.points)
    settle(qtbot, view)
    cid, gid = city.points[0].id, city.grid_ids["G2b"]
    with qtbot.waitSignal(view.caseClicked, timeout=3000) as blocker:
        js(view, f"GridMap.simulateClick('case', {cid}); 1")
    assert blocker.args == [cid]
    with qtbot.waitSignal(view.gridClicked, timeout=3000) as blocker:
        js(view, f"GridMap.simulateClick('grid', {gid}); 1")
    assert blocker.args == [gid]
    with qtbot.waitSignal(view.pointClicked, timeout=3000) as blocker:
        js(view, "GridMap.bridge.command(JSON.stringify({type: 'point', lon: 113.71, lat: 34.78})); 1")
    assert blocker.args == [pytest.approx(113.71), pytest.approx(34.78)]
    # a real mouse click on the map gives the point (and the grid under it)
    with qtbot.waitSignal(view.pointClicked, timeout=3000):
        target = view.focusProxy() or view
        qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=QPoint(30, 300))


def test_focus_and_highlight(qtbot, city, make_view):
    view = make_view()
    load(qtbot, view, city)
    view.upsert_cases(city.points)
    view.focus_grid(city.grid_ids["G2b"])
    settle(qtbot, view)
    assert js(view, "GridMap.highlightLayer.getLayers().length") == 1
    view.highlight_grid(None)
    view.focus_case(city.points[0].id, city.points[0].lon, city.points[0].lat)
    settle(qtbot, view)
    qtbot.waitUntil(lambda: js(view, "GridMap.focusLayer.getLayers().length") == 1, timeout=3000)
    assert js(view, "GridMap.highlightLayer.getLayers().length") == 0
    assert view.console_errors == []


def _png(size=256, colour="#3080c0") -> bytes:
    img = QImage(size, size, QImage.Format.Format_RGB32)
    img.fill(QColor(colour))
    buf = QBuffer()
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    return bytes(buf.data().data())


def test_mbtiles_tiles_are_served(qtbot, city, tmp_path, recorder, make_view):
    path = tmp_path / "city.mbtiles"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE metadata (name text, value text);"
                     "CREATE TABLE tiles (zoom_level integer, tile_column integer, tile_row integer, tile_data blob);")
    db.executemany("INSERT INTO metadata VALUES (?, ?)", [("name", "test"), ("format", "png"), ("minzoom", "1"),
                                                          ("maxzoom", "1")])
    # XYZ tile z=1 x=1 y=0 (the north-east quarter of the world) is TMS row 2**1 - 1 - 0 = 1
    db.execute("INSERT INTO tiles VALUES (1, 1, 1, ?)", (_png(),))
    db.commit()
    db.close()

    view = make_view()
    load(qtbot, view, city, base_map={"type": "mbtiles", "path": str(path)})
    for url, want in [("gridmap://tiles/1/1/0", "256x256"), ("gridmap://tiles/1/1/1", "error"),
                      (f"gridmap://tiles/1/1/0.png?src={view._token}", "256x256")]:
        key = js(view, f"GridMap.probeImage({json.dumps(url)})")
        qtbot.waitUntil(lambda k=key: js(view, f"GridMap[{json.dumps(k)}]") != "pending", timeout=5000)
        assert js(view, f"GridMap[{json.dumps(key)}]") == want, url
    assert js(view, "GridMap.tileLayer._url").startswith("gridmap://tiles/{z}/{x}/{y}")
    assert recorder.network() == []
    with pytest.raises(FileNotFoundError):
        mv.MBTiles(tmp_path / "missing.mbtiles")


def test_xyz_base_map_uses_the_given_url(qtbot, city, recorder, make_view):
    view = make_view()
    load(qtbot, view, city, base_map={"type": "xyz", "url": "http://intranet/tiles/{z}/{x}/{y}.png"})
    assert js(view, "GridMap.tileLayer._url") == "http://intranet/tiles/{z}/{x}/{y}.png"
    qtbot.waitUntil(lambda: recorder.network() != [], timeout=5000)
    assert all(u.startswith("http://intranet/tiles/") for u in recorder.network())  # tiles and nothing else
    with pytest.raises(ValueError):
        make_view().load_city(city.grids, city.outlines, city.bounds, base_map={"type": "xyz", "url": "http://x/tile.png"})


def _squares(n: int, verts_per_side: int = 5) -> dict:
    """n grid squares of ~100 m with extra vertices on each side (GeoJSON of a few MB)."""
    feats, cols = [], 100
    d = 0.001
    for i in range(n):
        x0, y0 = 113.6 + (i % cols) * d, 34.7 + (i // cols) * d
        ring = []
        for (ax, ay), (bx, by) in [((x0, y0), (x0 + d, y0)), ((x0 + d, y0), (x0 + d, y0 + d)),
                                   ((x0 + d, y0 + d), (x0, y0 + d)), ((x0, y0 + d), (x0, y0))]:
            for k in range(verts_per_side):
                t = k / verts_per_side
                ring.append([round(ax + (bx - ax) * t, 7), round(ay + (by - ay) * t, 7)])
        ring.append(ring[0])
        feats.append({"type": "Feature", "id": i + 1,
                      "properties": {"id": i + 1, "code": f"4101050010{i:06d}", "name": f"网格{i + 1}"},
                      "geometry": {"type": "Polygon", "coordinates": [ring]}})
    return {"type": "FeatureCollection", "features": feats}


def test_large_grid_geojson_loads(qtbot, make_view):
    grids = _squares(5000)
    size = len(json.dumps(grids, ensure_ascii=False).encode())
    assert size > 2 * 1024 * 1024  # beyond what setHtml could ever carry
    view = make_view()
    big = SimpleNamespace(grids=grids, outlines={"type": "FeatureCollection", "features": []},
                          bounds=(113.6, 34.7, 113.7, 34.75))
    load(qtbot, view, big)
    assert js(view, "GridMap.count('grids')") == 5000
    assert len(view.html) < 20_000  # the page itself stays small
    view.set_grid_stats({i: (1 + i % 4, int(i % 3 == 0)) for i in range(1, 5001, 7)}, replace=True)
    settle(qtbot, view)
    assert js(view, "GridMap.gridFill(4999)")["opacity"] > 0
    assert js(view, "GridMap.gridFill(5000)")["opacity"] == 0
    assert view.page_loads == 1


def test_reloads_and_replays_after_render_process_crash(qtbot, city, make_view):
    view = make_view()
    load(qtbot, view, city)
    view.set_grid_stats(city.stats, replace=True)
    view.upsert_cases(city.points)
    view.highlight_grid(city.grid_ids["G1a"])
    settle(qtbot, view)
    pid = view.page().renderProcessPid()
    assert pid > 0
    with qtbot.waitSignal(view.page().renderProcessTerminated, timeout=5000):
        os.kill(pid, signal.SIGKILL)  # the renderer this test's view started
    view.remove_cases([city.points[0].id])  # changes while the page is gone are not lost
    with qtbot.waitSignal(view.ready, timeout=LOAD_MS):
        pass
    settle(qtbot, view)
    assert view.crashes == 1
    assert view.page_loads == 2
    assert js(view, "GridMap.count('cases')") == 2
    assert js(view, f"GridMap.gridFill({city.grid_ids['G1a']})")["opacity"] > 0
    assert js(view, "GridMap.highlightLayer.getLayers().length") == 1


def test_late_messages_after_close_are_dropped(qtbot, city, make_view):
    view = make_view()
    load(qtbot, view, city)
    sent = []
    view._bridge.batch.connect(sent.append)
    clicked = []
    view.caseClicked.connect(clicked.append)
    view.close()
    view.upsert_cases(city.points)
    view._on_command(json.dumps({"type": "case", "id": 1}))
    qtbot.wait(mv.FLUSH_MS * 3)
    assert sent == [] and clicked == []
    with pytest.raises(RuntimeError):
        view.run_js_sync("1")


def test_scheme_handler_refuses_paths_outside_the_assets():
    handler = mv.SchemeHandler()
    assert handler._static("leaflet/leaflet.js")[0].startswith(b"application/javascript")
    assert handler._static("leaflet/../../../../etc/passwd") is None
    assert handler._static("nowhere/x.js") is None
    assert handler._static("qwebchannel.js")[1].startswith(b"// Copyright") or b"QWebChannel" in handler._static(
        "qwebchannel.js")[1]
    handler.deleteLater()
