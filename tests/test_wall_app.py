"""The wall display as the command hall sees it: windows that fit their screens, panels that
show what the database says, live updates, a stale mark when the database goes away and
recovery without help, a read-only sign-in, and a clear refusal of a wrong layout file."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from PySide6.QtCore import QSize
from sqlalchemy import text

from gridstation.accounts.users import add_user
from gridstation.app.context import AppContext
from gridstation.app.wall import panels
from gridstation.app.wall.controller import WallController
from gridstation.app.wall.main import sign_in
from gridstation.app.wall.window import MapPanel, WallWindow
from gridstation.store.changes import latest_seq
from gridstation.store.db import make_engine, session_factory
from gridstation.schema import upgrade
from gridstation.errors import Forbidden
from gridstation.wall import data as wd
from gridstation.wall.layout import PANELS, default_layout
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

WAIT = 30_000


def _city(engine):
    m = build_mini_city(engine)
    add_user(engine, login="wall", name="大屏", position="wall", password="wallpass1")
    wf = Workflow(engine)
    ids = []
    for grid, cat in (("G1a", "MANHOLE"), ("G1b", "MANHOLE"), ("G2a", "GARBAGE")):
        lon, lat = m.point(grid)
        r = wf.report("sup1" if grid.startswith("G1") else "sup2", source="supervisor", description=f"问题 {grid}",
                      lon=lon, lat=lat, category_id=m.cats[cat])
        ids.append(wf.file("shift", r.case_id).case_id)
    return m, wf, ids


def _wall(qtbot, url, tmp_path, screens: int = 1, height: int = 1080):
    engine, actor = sign_in(url, "wall", "wallpass1")
    ctx = AppContext(url=url, engine=engine, workflow=Workflow(engine), actor=actor, read_only=True)
    layout = default_layout(screens)
    windows = []
    for sl in layout.screens:
        w = WallWindow(sl, title="测试大屏", height=height, ticker_items=layout.ticker_items,
                       ranking_items=layout.ranking_items)
        w.resize(QSize(height * 16 // 9, height))
        qtbot.addWidget(w)
        w.show()
        windows.append(w)
    status = tmp_path / "status.json"
    ctrl = WallController(ctx, layout, windows, status_file=status, status_interval=0.5)
    ctrl.start()
    return ctrl, windows, status


def _stop(ctrl):
    ctrl.stop()
    for w in ctrl.windows:
        for p in w.panels:
            if isinstance(p, MapPanel):
                p.map.close()
                p.map.page().deleteLater()
        w.close()


@pytest.mark.parametrize("height", [1080, 2160])
def test_windows_fit_their_screen_with_every_panel(qtbot, height):
    for screens in (1, 2):
        layout = default_layout(screens)
        kinds = set()
        for sl in layout.screens:
            w = WallWindow(sl, title="郑州市数字化城市管理监督指挥中心", height=height)
            qtbot.addWidget(w)
            size = QSize(height * 16 // 9, height)
            # nothing in the panels may demand more room than the screen has
            assert w.minimumSizeHint().width() <= size.width(), (screens, sl.screen)
            assert w.minimumSizeHint().height() <= size.height(), (screens, sl.screen)
            kinds |= {p.kind for p in w.panels}
            w.close()
        assert kinds == set(PANELS)


def test_wall_shows_the_database_and_follows_it_live(qtbot, engine, db_url, tmp_path):
    m, wf, ids = _city(engine)
    ctrl, (win,), status = _wall(qtbot, db_url, tmp_path)
    try:
        headline = next(p for p in win.panels if isinstance(p, panels.HeadlinePanel))
        with session_factory(engine)() as s:
            expected = {h.key: h.today for h in wd.headline(s, datetime.now())}
        assert expected["reported"] == 3 and expected["filed"] == 3
        qtbot.waitUntil(lambda: headline.tiles["reported"][1].text() == "3", timeout=WAIT)
        assert headline.tiles["filed"][1].text() == "3"
        assert headline.tiles["open_now"][1].text() == str(expected["open_now"])

        ticker = next(p for p in win.panels if isinstance(p, panels.TickerPanel))
        qtbot.waitUntil(lambda: ticker.received == 3, timeout=WAIT)  # the last 24 h, on start
        mp = next(p for p in win.panels if isinstance(p, MapPanel))
        qtbot.waitUntil(lambda: mp.map.is_ready and len(mp.map._cases) == 3, timeout=WAIT)

        # another workstation reports: ticker line, a pulsing dot, the count moves
        lon, lat = m.point("G2a")
        new = wf.report("sup2", source="supervisor", description="新的问题", lon=lon, lat=lat,
                        category_id=m.cats["GARBAGE"]).case_id
        qtbot.waitUntil(lambda: ticker.newest_case == new, timeout=WAIT)
        assert ticker.items[0][0].kind == "new" and ticker.items[0][0].case_id == new
        qtbot.waitUntil(lambda: new in mp.map._cases and mp.map.pulsing >= 1, timeout=WAIT)
        qtbot.waitUntil(lambda: mp.map.run_js_sync("GridMap.count('pulses')") >= 1, timeout=WAIT)
        qtbot.waitUntil(lambda: headline.tiles["reported"][1].text() == "4", timeout=WAIT)

        # a case closed elsewhere leaves the map
        wf.void("shift", new, reason="重复")
        qtbot.waitUntil(lambda: new not in mp.map._cases, timeout=WAIT)

        # the heartbeat says where the wall is
        qtbot.waitUntil(lambda: status.exists() and json.loads(status.read_text())["last_seq"] == latest_seq(engine),
                        timeout=WAIT)
        st = json.loads(status.read_text())
        assert st["online"] and not st["stale"] and st["ticker_newest_case"] == new and st["map_page_loads"] == 1
        assert win.property("stale") in (None, False)
        assert "数据截至" in win.as_of.text() or "Data as of" in win.as_of.text()
    finally:
        _stop(ctrl)


def test_sign_in_is_read_only(engine, db_url):
    _city(engine)
    with pytest.raises(Forbidden) as e:
        sign_in(db_url, "leader", "pw")
    assert "read-only" in str(e.value)
    with pytest.raises(Forbidden):
        sign_in(db_url, "wall", None)  # no password: said, not guessed
    ro, actor = sign_in(db_url, "wall", "wallpass1")
    assert actor.position.value == "wall"
    try:
        with pytest.raises(Exception) as e:  # the database itself refuses a write on the wall's connection
            with ro.begin() as c:
                c.execute(text("UPDATE app_user SET name = 'x' WHERE login = 'wall'"))
        assert "read" in str(e.value).lower()
    finally:
        ro.dispose()
    with session_factory(engine)() as s:
        assert s.execute(text("SELECT name FROM app_user WHERE login = 'wall'")).scalar() == "大屏"
    # and the workflow knows no action for the wall
    wf = Workflow(engine)
    with session_factory(engine)() as s:
        cid = s.execute(text("SELECT min(id) FROM cases")).scalar()
    assert wf.allowed_actions(actor, cid) == []


def test_panels_stay_bounded_and_rotate(qtbot):
    t = panels.TickerPanel(1.0, items=5)
    qtbot.addWidget(t)
    now = datetime(2026, 11, 23, 9, 0)
    items = [wd.TickerItem("new", now + timedelta(seconds=i), i, f"N{i}", "井盖", "街道", "", None, None) for i in range(100)]
    t.add(items)
    t.add(items[-3:])  # repeats are not shown twice
    assert t.received == 100 and len(t.items) == 10 and t.items[0][0].case_id == 99

    d = panels.DrillPanel(1.0)
    qtbot.addWidget(d)
    line = wd.DrillLine(1, "金水区", 10, 0.5, 0.9, 2)
    pages = [wd.DrillPage(None, "郑州市", "district", now.date(), [line], line),
             wd.DrillPage(1, "金水区", "street", now.date(), [line], line)]
    d.set_data(pages)
    assert d.index == 0 and "郑州市" in d.title.text()
    d.rotate()
    assert d.index == 1 and "金水区" in d.title.text()
    d.rotate()
    assert d.index == 0

    r = panels.RankingPanel("departments", 1.0, items=4)
    qtbot.addWidget(r)
    r.resize(480, 160)  # room for 3 rows: the best two and the worst one
    rows = [wd.RankRow(i, f"部门{i}", 100 - i, "A", i, 10) for i in range(10)] + [wd.RankRow(99, "无数据", None, None, 0, 0)]
    r.set_data(wd.Rankings(now.date(), rows, []))
    names = [row[1].text for row in r.view.rows]
    fit = max(3, min(4, r.view.capacity() or 4))
    assert len(names) == fit and names[0] == "部门0" and names[-1] == "部门9" and "无数据" not in names


def test_wall_marks_stale_when_the_database_stops_and_recovers(qtbot, tmp_path, pg_cluster):
    cluster = pg_cluster
    upgrade(cluster.url)
    engine = make_engine(cluster.url)
    m, wf, ids = _city(engine)
    ctrl, (win,), status = _wall(qtbot, cluster.url, tmp_path)
    ticker = next(p for p in win.panels if isinstance(p, panels.TickerPanel))
    headline = next(p for p in win.panels if isinstance(p, panels.HeadlinePanel))
    qtbot.waitUntil(lambda: ctrl.as_of is not None and headline.tiles["reported"][1].text() == "3", timeout=WAIT)

    cluster.stop()
    qtbot.waitUntil(lambda: ctrl.stale and win.property("stale") is True, timeout=WAIT)
    assert "过时" in win.as_of.text() or "STALE" in win.as_of.text()
    assert headline.tiles["reported"][1].text() == "3"  # the last picture stays
    assert json.loads(status.read_text())["stale"] is True or ctrl.stale

    cluster.start()
    qtbot.waitUntil(lambda: ctrl.hub.online and not ctrl.stale, timeout=60_000)
    assert win.property("stale") is False and ctrl.lost >= 1 and ctrl.restored >= 1
    # and it is live again: a report after the restart reaches the ticker and the figures
    engine.dispose()
    lon, lat = m.point("G1a")
    new = wf.report("sup1", source="supervisor", description="恢复后上报", lon=lon, lat=lat,
                    category_id=m.cats["MANHOLE"]).case_id
    qtbot.waitUntil(lambda: ticker.newest_case == new, timeout=WAIT)
    qtbot.waitUntil(lambda: headline.tiles["reported"][1].text() == "4", timeout=WAIT)
    _stop(ctrl)
    engine.dispose()
    ctrl.ctx.engine.dispose()


def test_wrong_layout_file_is_refused_before_any_window(tmp_path):
    bad = tmp_path / "wall.toml"
    bad.write_text('[[screen]]\ncolumns = 2\nrows = 1\npanels = [{ panel = "mapp" }]\n', encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "gridstation", "--db", f"sqlite:///{tmp_path / 'x.db'}", "wall",
                        "--layout", str(bad)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "mapp" in r.stdout and "map" in r.stdout and "panels[0]" in r.stdout
    assert not (tmp_path / "x.db").exists()  # nothing was touched


def test_client_menu_starts_the_wall_as_its_own_process(qtbot, tmp_path):
    from gridstation.app.wall.launch import WallLaunchDialog, wall_command

    program, args = wall_command("sqlite:///x.db", screen=1, all_screens=False, layout="", login="wall")
    assert program == sys.executable and args[:2] == ["-m", "gridstation"]
    assert args[2:] == ["--db", "sqlite:///x.db", "wall", "--user", "wall", "--screen", "1"]
    _, args = wall_command("u", screen=0, all_screens=True, layout="hall.toml", login="wall2")
    assert "--all-screens" in args and "--screen" not in args and args[-2:] == ["--layout", "hall.toml"]

    dlg = WallLaunchDialog("sqlite:///x.db")
    qtbot.addWidget(dlg)
    bad = tmp_path / "hall.toml"
    bad.write_text("rotate_seconds = true\n", encoding="utf-8")
    dlg.layout_file.setText(str(bad))
    assert dlg.start() is False  # a wrong layout is said in the dialog; nothing is started
    assert "rotate_seconds" in dlg.error.text()


def test_full_refresh_sends_only_differences(qtbot):
    from gridstation.app.geo.mapview import MapView
    from gridstation.geo.mapdata import CasePoint

    view = MapView()
    qtbot.addWidget(view)
    a, b = CasePoint(1, 113.6, 34.7, "handling", "green", "A"), CasePoint(2, 113.61, 34.71, "handling", "green", "B")
    assert view.sync_cases([a, b]) == 2 and set(view._cases) == {1, 2}
    assert view.sync_cases([a, b]) == 0  # nothing changed: nothing sent
    b_red = CasePoint(2, 113.61, 34.71, "handling", "red", "B")
    assert view.sync_cases([b_red]) == 2 and view._cases == {2: b_red}  # 1 left, 2 recoloured
    assert view.sync_grid_stats({10: (2, 0), 11: (1, 1)}) == 2
    assert view.sync_grid_stats({10: (2, 0), 11: (1, 1)}) == 0
    assert view.sync_grid_stats({10: (3, 1)}) == 2 and view._stats == {10: (3, 1)}  # 11 went back to (0, 0)
    view.close()
