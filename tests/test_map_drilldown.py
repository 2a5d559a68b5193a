"""The drill-down on the main map: choosing a figure colours the children of the current node on
the main map (with a legend, for the same period as the table); clicking a region there drills
down, and the table follows. The core (class breaks, grid → child map) is tested without Qt."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QSettings
from sqlalchemy.orm import Session

from gridstation.accounts.users import authenticate
from gridstation.analytics import choropleth
from gridstation.analytics import drilldown as dd
from gridstation.app import tasks
from gridstation.app.context import AppContext
from gridstation.cases.workflow import Workflow
from gridstation.demo.city import DEMO_PASSWORD, build_demo
from gridstation.store.db import make_engine

NOW = datetime(2026, 12, 4, 10, 0)
WAIT = 30_000


def test_class_ranges():
    assert choropleth.class_ranges([]) == []
    assert choropleth.class_ranges([3, 3, 3]) == [(3, 3)]
    # a few distinct values: one class each (two values are two colours, not one)
    assert choropleth.class_ranges([1.0, 1.0, 0.5, 1.0]) == [(0.5, 0.5), (1.0, 1.0)]
    r = choropleth.class_ranges(list(range(1, 11)))
    assert len(r) == 5 and r[0][0] == 1 and r[-1][1] == 10
    assert all(a[1] < b[0] for a, b in zip(r, r[1:]))  # no overlap, ascending
    assert [choropleth.classify(v, r) for v in (1, 10)] == [0, 4]
    # equal values share a class; every class holds some value
    r2 = choropleth.class_ranges([0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5, 9])
    assert all(any(lo <= v <= hi for v in (0, 1, 2, 3, 4, 5, 9)) for lo, hi in r2)
    assert choropleth.classify(0, r2) == 0 and choropleth.classify(9, r2) == len(r2) - 1


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('mapdrill') / 'demo.db'}"
    build_demo(url, cases=1500, now=NOW)
    return url


def test_map_layer_matches_the_drilldown(demo):
    eng = make_engine(demo)
    try:
        with Session(eng) as s:
            city = dd.drilldown(s, None, dd.Period(date(2026, 11, 1), date(2026, 12, 1)), now=NOW)
            city = dd.drilldown(s, city.rows[0].node, city.period, now=NOW)  # the city → its districts
            layer = choropleth.map_layer(s, city, "reported")
            assert [it.node for it in layer.items] == [r.node for r in city.rows]
            assert [it.value for it in layer.items] == [r.current.reported for r in city.rows]
            # every grid of the city lies in exactly one district
            for i, r in enumerate(city.rows):
                assert {g for g, k in layer.grids.items() if k == i} == set(dd.subtree_grid_ids(s, r.node))
    finally:
        eng.dispose()


def test_main_map_colours_children_and_clicks_drill_down(qtbot, demo, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from gridstation.app.mainwindow import MainWindow

    eng = make_engine(demo)
    ctx = AppContext(url=demo, engine=eng, workflow=Workflow(eng), actor=authenticate(eng, "leader", DEMO_PASSWORD),
                     clock=lambda: NOW)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.map.is_ready, timeout=60_000)
    try:
        win.open_analytics()
        aw = win._analytics
        page = aw.drill
        qtbot.waitUntil(lambda: page.model.drill is not None and page.node.level == "city", timeout=WAIT)
        city = page.node
        with qtbot.waitSignal(page.mapLayerChanged, timeout=WAIT):
            page.set_map_figure("on_time_rate")
        qtbot.waitUntil(lambda: win.map.choropleth is not None, timeout=WAIT)
        layer, shown = page.map_layer, win.map.choropleth
        assert layer.drill is page.model.drill  # the same numbers and period as the table
        assert [it["name"] for it in shown["items"]] == [r.node.name for r in page.model.drill.rows]
        # each grid takes the colour of its district on the page
        by_item = {}
        for gid, k in layer.grids.items():
            by_item.setdefault(k, gid)
        qtbot.waitUntil(lambda: win.map.run_js_sync(f"GridMap.gridFill({by_item[0]}).color") == shown["items"][0]["colour"],
                        timeout=WAIT)
        for k, gid in by_item.items():
            assert win.map.run_js_sync(f"GridMap.gridFill({gid}).color") == shown["items"][k]["colour"]
        legend = win.map.run_js_sync("GridMap.choroLegendText()")
        assert shown["title"] in legend and page.model.drill.period.span_text() in legend
        assert len(shown["legend"]) >= 1 and all(row[1] in legend for row in shown["legend"])
        # a click on a district on the map: its row is selected and the table drills into it
        target = layer.items[1].node
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            win.map.run_js_sync(f"GridMap.simulateClick('grid', {by_item[1]})")
        assert page.node.key == target.key and page.breadcrumb_names()[-1] == target.name
        # ... and the map follows: now the district's streets
        qtbot.waitUntil(lambda: page.map_layer is not None and page.map_layer.drill.node.key == target.key, timeout=WAIT)
        qtbot.waitUntil(lambda: win.map.choropleth is not None
                        and [it["name"] for it in win.map.choropleth["items"]] == [r.node.name for r in page.model.drill.rows],
                        timeout=WAIT)
        assert all(n.key != city.key for n in (it.node for it in page.map_layer.items))
        # the selection follows in the table: a child chosen on the map is the current row
        street = page.map_layer.items[0].node
        assert page.select_node(street)
        assert page.model.row_at(page.view.currentIndex().row()).node.key == street.key
        # no figure: the live layer is back
        page.set_map_figure("")
        qtbot.waitUntil(lambda: win.map.choropleth is None, timeout=WAIT)
        qtbot.waitUntil(lambda: win.map.run_js_sync("GridMap.choroLegendText()") is None, timeout=WAIT)
        aw.close()
    finally:
        tasks.wait_idle()
        win.hub.stop()
        win.close()
        win.map.close()
        win.map.page().deleteLater()
        eng.dispose()


def test_layout_map_layer_is_checked():
    from gridstation.wall.layout import LayoutError, parse_layout

    text = 'map_layer = "{}"\n[[screen]]\ncolumns = 1\nrows = 1\npanels = [ {{ panel = "map" }} ]\n'
    assert parse_layout(text.format("on_time_rate")).map_layer == "on_time_rate"
    assert parse_layout(text.format("")).map_layer == ""
    with pytest.raises(LayoutError, match="map_layer"):
        parse_layout(text.format("nonsense"))


def test_wall_shows_the_same_layer(qtbot, demo, tmp_path):
    from dataclasses import replace

    from PySide6.QtCore import QSize

    from gridstation.app.wall.controller import WallController
    from gridstation.app.wall.main import sign_in
    from gridstation.app.wall.window import MapPanel, WallWindow
    from gridstation.wall.layout import default_layout

    engine, actor = sign_in(demo, "wall", DEMO_PASSWORD)
    ctx = AppContext(url=demo, engine=engine, workflow=Workflow(engine), actor=actor, read_only=True, clock=lambda: NOW)
    layout = replace(default_layout(1), map_layer="on_time_rate")
    win = WallWindow(layout.screens[0], title="大屏", height=1080, ticker_items=layout.ticker_items,
                     ranking_items=layout.ranking_items)
    win.resize(QSize(1920, 1080))
    qtbot.addWidget(win)
    win.show()
    ctrl = WallController(ctx, layout, [win], status_file=tmp_path / "status.json", status_interval=1.0)
    ctrl.start()
    try:
        panel = next(p for p in win.panels if isinstance(p, MapPanel))
        qtbot.waitUntil(lambda: panel.map.is_ready and panel.map.choropleth is not None, timeout=60_000)
        with Session(engine) as s:
            top = dd.drilldown(s, None, dd.Period(date(2026, 12, 1), date(2026, 12, 5)), now=NOW, comparisons=False)
            city = dd.drilldown(s, top.rows[0].node, top.period, now=NOW, comparisons=False)
        shown = panel.map.choropleth
        assert [it["name"] for it in shown["items"]] == [r.node.name for r in city.rows]
        qtbot.waitUntil(lambda: panel.map.run_js_sync("GridMap.choroLegendText()") is not None, timeout=WAIT)
        # back to the live layer
        ctrl.set_map_layer("")
        qtbot.waitUntil(lambda: panel.map.choropleth is None, timeout=WAIT)
    finally:
        ctrl.stop()
        tasks.wait_idle()
        for p in win.panels:
            if isinstance(p, MapPanel):
                p.map.close()
                p.map.page().deleteLater()
        win.close()
        engine.dispose()
