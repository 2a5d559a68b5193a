"""The case queue pane and its lazy model, on SQLite and PostgreSQL (the ``engine`` fixture).

The mini city gets four district-level 污水井盖 cases waiting for dispatch, with different time
left at 09:25 (red C, yellow Y, green A and B), a street-level 暴露垃圾 case (street 甲's queue,
not the district's), one case not filed yet and one in handling.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QEvent, QSettings, Qt, qInstallMessageHandler
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QApplication
from sqlalchemy import event

from gridstation.app import tasks
from gridstation.app.context import AppContext
from gridstation.app.cases.queue_model import (
    COL_FLAGS,
    COL_GRID,
    COL_LIGHT,
    COL_NUMBER,
    COL_STATE,
    COLUMN_COUNT,
    CaseIdRole,
    LightRole,
    QueueModel,
)
from gridstation.app.cases.queue_pane import QueuePane
from gridstation.store.changes import changes_since, latest_seq
from gridstation.store.model import Position
from gridstation.cases.queues import QueueFilter, queues_for
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

MON = datetime(2026, 3, 2, 9, 0)  # a Monday; the 污水井盖 dispatch limit is 10 working minutes
NOW = MON + timedelta(minutes=25)


@pytest.fixture
def city(engine, db_url, qapp):
    m = build_mini_city(engine)
    t = [MON]
    wf = Workflow(engine, clock=lambda: t[0])

    def case(grid, kind="MANHOLE", *, minute=0, address="", file=True):
        t[0] = MON + timedelta(minutes=minute)
        lon, lat = m.point(grid)
        sup = "sup1" if grid.startswith("G1") else "sup2"
        r = wf.report(sup, source="supervisor", description=f"{kind} 描述", lon=lon, lat=lat,
                      address=address, category_id=m.cats[kind])
        if file:
            r = wf.file("shift", r.case_id, expected_version=r.version)
        return r.case_id

    c = SimpleNamespace(engine=engine, db_url=db_url, m=m, t=t, wf=wf)
    c.C = case("G1b", minute=0, address="人民路3号")  # due 09:10: red at 09:25
    c.G = case("G1a", "GARBAGE", minute=0, address="建设路5号")  # street level
    c.H = case("G1a", minute=1, address="建设路7号", file=False)  # to_file
    c.D = case("G2b", minute=2, address="淮河路2号")
    wf.dispatch("disp", c.D, department_id=m.depts["MUN"])  # handling
    c.Y = case("G1a", minute=16, address="建设路1号")  # warn 09:24, due 09:26: yellow
    c.A = case("G1a", minute=20, address="建设路9号")  # due 09:30: green
    c.B = case("G2a", minute=23, address="华山路8号")  # due 09:33: green
    t[0] = NOW
    c.clock = lambda: t[0]

    def ctx(login="disp"):
        return AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor(login), clock=c.clock)

    c.ctx = ctx
    yield c
    tasks.wait_idle()  # no background job may outlive the database
    QApplication.processEvents()


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "gridstation.ini"), QSettings.Format.IniFormat)


def make_pane(qtbot, city, settings, login="disp") -> QueuePane:
    pane = QueuePane(city.ctx(login), settings=settings)
    qtbot.addWidget(pane)
    pane.resize(700, 700)
    settle(qtbot, pane)
    return pane


def type_text(widget, text: str) -> None:
    """Type like a Chinese input method does: one committed string (QTest.keyClicks knows ASCII only)."""
    ev = QInputMethodEvent("", [])
    ev.setCommitString(text)
    QApplication.sendEvent(widget, ev)


def settle(qtbot, pane):
    qtbot.waitUntil(lambda: not pane.model.busy and bool(pane.counts) and not pane._counting, timeout=10_000)


def ids_become(qtbot, pane, expected):
    qtbot.waitUntil(lambda: not pane.model.busy and pane.model.ids() == expected, timeout=10_000)


# --------------------------------------------------------------------------- the model


@pytest.fixture
def qt_messages():
    """Every Qt message while the test runs (the model tester reports through qWarning)."""
    got: list[str] = []
    prev = qInstallMessageHandler(lambda _mode, _ctx, msg: got.append(msg))
    yield got
    qInstallMessageHandler(prev)


def test_model_passes_the_item_model_tester_through_loads_and_live_updates(qtbot, qt_messages, city):
    model = QueueModel(city.ctx("disp"))
    tester = QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.load("to_dispatch")
    assert model.ids() == [city.C, city.Y, city.A, city.B]
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
             Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.TextAlignmentRole, CaseIdRole, LightRole]
    for r in range(model.rowCount()):
        for col in range(COLUMN_COUNT):
            for role in roles:
                model.data(model.index(r, col), role)
    qtbot.waitUntil(lambda: all(model.is_fetched(i) for i in model.ids()))
    assert [model.data(model.index(r, COL_LIGHT), LightRole) for r in range(4)] == ["red", "yellow", "green", "green"]

    # another queue (reset), a database sort (layout change), live removals and insertions
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.load("all_open")
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.load("to_dispatch", reset=True)
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.sort(COL_LIGHT, Qt.SortOrder.DescendingOrder)
    assert model.ids() == [city.B, city.A, city.Y, city.C]
    seq = latest_seq(city.engine)
    other = Workflow(city.engine, clock=city.clock)
    other.dispatch("disp", city.A, department_id=city.m.depts["MUN"])
    lon, lat = city.m.point("G1a")
    r = other.report("sup1", source="supervisor", description="新井盖", lon=lon, lat=lat,
                     category_id=city.m.cats["MANHOLE"])
    new = other.file("shift", r.case_id).case_id
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.reload([c.entity_id for c in changes_since(city.engine, seq)])
    assert model.ids() == [new, city.B, city.Y, city.C]
    model.set_ids([city.C, new, city.Y])  # remove + reorder + keep, by hand
    model.set_ids([city.C, city.B, new, city.Y, city.A])  # inserts in two places
    model.set_ids([])
    model.set_ids([city.B, city.C])
    model.tick()
    assert [m for m in qt_messages if "FAIL" in m] == []
    del tester


def test_rows_are_fetched_lazily_and_a_tick_needs_no_query(qtbot, city):
    model = QueueModel(city.ctx("disp"))
    with qtbot.waitSignal(model.loaded, timeout=10_000):
        model.load("to_dispatch")
    assert all(model.is_fetched(i) for i in model.ids())  # the first page comes with the ids
    row_a = model.row_of(city.A)
    assert model.data(model.index(row_a, COL_LIGHT)) == "5m"
    statements = []
    event.listen(city.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    city.t[0] = NOW + timedelta(minutes=6)  # 09:31: A is a minute overdue
    model.tick()
    assert model.data(model.index(row_a, COL_LIGHT)) == "-1m"
    assert model.data(model.index(row_a, COL_LIGHT), LightRole) == "red"
    assert statements == []

    # a row not fetched yet shows a placeholder and asks for its page
    model.set_ids(model.ids() + [city.D])
    assert model.data(model.index(4, COL_NUMBER)) == "…"
    qtbot.waitUntil(lambda: model.is_fetched(city.D), timeout=10_000)
    assert model.data(model.index(4, COL_NUMBER)) == model.row_data(city.D).number
    model.refresh_rows([city.A])
    qtbot.waitUntil(lambda: not model.busy, timeout=10_000)


# --------------------------------------------------------------------------- queues and scope


def test_the_dispatchers_tabs_are_the_dispatchers_queues_with_counts(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    assert pane.queue_keys() == [q.key for q in queues_for(Position.DISPATCHER)]
    assert pane.current_queue() == "to_dispatch"
    assert pane.counts["to_dispatch"] == 4
    assert pane.tabs.tabText(0) == "To dispatch (4)"
    assert pane.tabs.tabText(2) == "In handling (1)"


def test_to_dispatch_lists_exactly_the_district_cases_in_scope(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    assert pane.model.ids() == [city.C, city.Y, city.A, city.B]  # by deadline, first due first
    assert city.G not in pane.model.ids() and city.H not in pane.model.ids()
    street = make_pane(qtbot, city, settings, login="st1")
    assert street.model.ids() == [city.G]
    assert street.counts["to_dispatch"] == 1
    street.set_queue("handling")
    ids_become(qtbot, street, [])
    pane.set_queue("handling")
    ids_become(qtbot, pane, [city.D])


# --------------------------------------------------------------------------- filters and sort


def test_filters_narrow_the_queue(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    pane.light_combo.setCurrentIndex(pane.light_combo.findData("red"))
    pane.light_combo.activated.emit(pane.light_combo.currentIndex())
    ids_become(qtbot, pane, [city.C])
    pane.light_combo.setCurrentIndex(pane.light_combo.findData("yellow"))
    pane.light_combo.activated.emit(pane.light_combo.currentIndex())
    ids_become(qtbot, pane, [city.Y])
    pane.light_combo.setCurrentIndex(pane.light_combo.findData("green"))
    pane.light_combo.activated.emit(pane.light_combo.currentIndex())
    ids_become(qtbot, pane, [city.A, city.B])
    pane.light_combo.setCurrentIndex(0)
    pane.light_combo.activated.emit(0)
    ids_become(qtbot, pane, [city.C, city.Y, city.A, city.B])

    type_text(pane.search, "华山")
    ids_become(qtbot, pane, [city.B])
    number = pane.model.row_data(city.Y).number
    pane.search.clear()
    qtbot.keyClicks(pane.search, number)
    ids_become(qtbot, pane, [city.Y])
    pane.clear_filter()
    ids_become(qtbot, pane, [city.C, city.Y, city.A, city.B])

    pane.set_grid_filter(city.m.grids["G1a"])
    ids_become(qtbot, pane, [city.Y, city.A])
    qtbot.waitUntil(lambda: "410105001001001" in pane.grid_chip.text())
    assert pane.grid_chip.isVisibleTo(pane)
    assert pane.status.text() == "Cases: 2 of 4"
    pane.grid_chip.click()  # the chip's × removes the grid filter
    ids_become(qtbot, pane, [city.C, city.Y, city.A, city.B])
    assert not pane.grid_chip.isVisibleTo(pane)

    qtbot.waitUntil(lambda: pane.region_combo.count() > 1)
    s2 = next(i for i in range(1, pane.region_combo.count())
              if pane.region_combo.itemData(i).endswith(f"/{city.m.regions['S2']}/"))
    pane.region_combo.setCurrentIndex(s2)
    pane.region_combo.activated.emit(pane.region_combo.currentIndex())
    ids_become(qtbot, pane, [city.B])


def test_saved_filters_round_trip_through_qsettings(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    pane.set_filter(QueueFilter(light="green", text="建设"))
    ids_become(qtbot, pane, [city.A])
    pane.save_filter("绿灯建设路")
    assert settings.value("queues/filters/绿灯建设路") is not None
    pane.clear_filter()  # text first
    pane.clear_filter()  # then the rest
    ids_become(qtbot, pane, [city.C, city.Y, city.A, city.B])
    assert pane.search.text() == "" and pane.light_combo.currentIndex() == 0
    again = make_pane(qtbot, city, settings)  # a new session reads the saved filters
    i = again.saved_combo.findText("绿灯建设路")
    assert i > 0
    again.saved_combo.setCurrentIndex(i)
    again.saved_combo.activated.emit(i)
    ids_become(qtbot, again, [city.A])
    assert again.search.text() == "建设" and again.light_combo.currentData() == "green"


def test_the_database_sorts(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    pane.select_case(city.A)
    pane.view.sortByColumn(COL_LIGHT, Qt.SortOrder.DescendingOrder)
    ids_become(qtbot, pane, [city.B, city.A, city.Y, city.C])
    pane.view.sortByColumn(COL_LIGHT, Qt.SortOrder.AscendingOrder)
    ids_become(qtbot, pane, [city.C, city.Y, city.A, city.B])
    pane.view.sortByColumn(COL_GRID, Qt.SortOrder.AscendingOrder)
    ids_become(qtbot, pane, [city.Y, city.A, city.C, city.B])  # G1a, G1a, G1b, G2a
    assert pane.current_case_id() == city.A  # a re-sort keeps the selection
    pane.view.sortByColumn(COL_FLAGS, Qt.SortOrder.AscendingOrder)  # no database order: ignored
    assert pane.view.horizontalHeader().sortIndicatorSection() == COL_GRID


# --------------------------------------------------------------------------- live updates


def test_a_dispatch_elsewhere_removes_the_row_and_keeps_the_selection(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    assert pane.select_case(city.B)
    seq = latest_seq(city.engine)
    other = Workflow(city.engine, clock=city.clock)  # another workstation on the same database
    other.dispatch("disp", city.A, department_id=city.m.depts["MUN"])
    pane.on_changes(changes_since(city.engine, seq))
    ids_become(qtbot, pane, [city.C, city.Y, city.B])
    qtbot.waitUntil(lambda: pane.counts["to_dispatch"] == 3 and not pane._counting)
    assert pane.tabs.tabText(0) == "To dispatch (3)"
    assert pane.tabs.tabText(2) == "In handling (2)"
    assert pane.current_case_id() == city.B

    # the selected case is urged and a new case arrives: rows refresh, selection stays
    seq = latest_seq(city.engine)
    other.urge("leader", city.B, opinion="尽快派遣")
    lon, lat = city.m.point("G1a")
    r = other.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat,
                     category_id=city.m.cats["MANHOLE"])
    new = other.file("shift", r.case_id).case_id
    pane.on_changes(changes_since(city.engine, seq))
    ids_become(qtbot, pane, [city.C, city.Y, city.B, new])
    row_b = pane.model.row_of(city.B)
    qtbot.waitUntil(lambda: pane.model.data(pane.model.index(row_b, COL_FLAGS)) == "⚑")
    assert pane.current_case_id() == city.B
    assert pane.model.is_fetched(new)


def test_the_scroll_position_survives_live_updates(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    pane.resize(700, 160)  # a few rows visible, so there is something to scroll
    pane.show()
    qtbot.waitExposed(pane)
    other = Workflow(city.engine, clock=city.clock)
    lon, lat = city.m.point("G1a")
    for i in range(12):
        city.t[0] = NOW + timedelta(seconds=i)
        r = other.report("sup1", source="supervisor", description=f"井盖{i}", lon=lon, lat=lat,
                         category_id=city.m.cats["MANHOLE"])
        other.file("shift", r.case_id)
    pane.refresh_all()
    qtbot.waitUntil(lambda: pane.model.rowCount() == 16 and not pane.model.busy, timeout=10_000)
    pane.select_case(pane.model.case_id(10))
    selected = pane.current_case_id()
    v = pane.view
    before = v.rowViewportPosition(10)
    assert v.verticalScrollBar().value() > 0
    seq = latest_seq(city.engine)
    other.dispatch("disp", city.C, department_id=city.m.depts["MUN"])  # the first row goes
    pane.on_changes(changes_since(city.engine, seq))
    qtbot.waitUntil(lambda: city.C not in pane.model.ids() and not pane.model.busy, timeout=10_000)
    assert pane.current_case_id() == selected
    assert v.rowViewportPosition(pane.model.row_of(selected)) == before  # it did not jump


# --------------------------------------------------------------------------- keyboard and signals


def test_enter_and_double_click_open_the_selected_case(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    pane.show()
    qtbot.waitExposed(pane)
    pane.view.setFocus()
    with qtbot.waitSignal(pane.currentCaseChanged) as changed:
        pane.select_case(city.Y)
    lon, lat = city.m.point("G1a")
    assert changed.args[0] == city.Y and changed.args[1:] == pytest.approx([lon, lat])
    with qtbot.waitSignal(pane.caseActivated) as opened:
        qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert opened.args == [city.Y]
    with qtbot.waitSignal(pane.caseActivated) as opened:
        qtbot.keyClick(pane.view, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert opened.args == [city.Y]
    rect = pane.view.visualRect(pane.model.index(pane.model.row_of(city.B), COL_NUMBER))
    assert rect.isValid()
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.current_case_id() == city.B
    with qtbot.waitSignal(pane.caseActivated) as opened:
        qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == [city.B]


def test_up_down_next_and_previous_move_through_the_rows(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    pane.view.setFocus()
    assert pane.next_case() == city.C  # nothing selected: the first row
    qtbot.keyClick(pane.view, Qt.Key.Key_Down)
    assert pane.current_case_id() == city.Y
    assert pane.next_case() == city.A
    assert pane.previous_case() == city.Y
    qtbot.keyClick(pane.view, Qt.Key.Key_Up)
    assert pane.current_case_id() == city.C
    assert pane.previous_case() == city.C  # stays on the first row

    # the selected case leaves (dispatched): nothing else is selected behind the user's back,
    # and the next case (next_case() or Down) is the one that was below it
    pane.select_case(city.Y)
    announced = []
    pane.currentCaseChanged.connect(lambda cid, *_: announced.append(cid))
    seq = latest_seq(city.engine)
    city.wf.dispatch("disp", city.Y, department_id=city.m.depts["MUN"])
    pane.on_changes(changes_since(city.engine, seq))
    ids_become(qtbot, pane, [city.C, city.A, city.B])
    assert pane.current_case_id() is None and announced == []
    assert pane.next_case() == city.A
    assert announced == [city.A]

    pane.select_case(city.A)
    seq = latest_seq(city.engine)
    city.wf.dispatch("disp", city.A, department_id=city.m.depts["MUN"])
    pane.on_changes(changes_since(city.engine, seq))
    ids_become(qtbot, pane, [city.C, city.B])
    qtbot.keyClick(pane.view, Qt.Key.Key_Down)
    assert pane.current_case_id() == city.B


def test_shortcuts_switch_queues_search_clear_and_refresh(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    pane.show()
    qtbot.waitExposed(pane)
    pane.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is pane)
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert pane.current_queue() == "handling"
    ids_become(qtbot, pane, [city.D])
    qtbot.keyClick(pane.view, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert pane.current_queue() == "parked"
    qtbot.keyClick(pane.view, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert pane.current_queue() == "to_dispatch"
    ids_become(qtbot, pane, [city.C, city.Y, city.A, city.B])

    qtbot.keyClick(pane.view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert pane.search.hasFocus()
    type_text(pane.search, "人民路")
    qtbot.keyClick(pane.search, Qt.Key.Key_Return)  # apply now and go to the list
    ids_become(qtbot, pane, [city.C])
    assert pane.view.hasFocus() and pane.current_case_id() == city.C
    qtbot.keyClick(pane.view, Qt.Key.Key_Escape)
    ids_become(qtbot, pane, [city.C, city.Y, city.A, city.B])
    assert pane.search.text() == ""

    lon, lat = city.m.point("G2b")
    r = city.wf.report("sup2", source="supervisor", description="x", lon=lon, lat=lat,
                       category_id=city.m.cats["MANHOLE"])
    new = city.wf.file("shift", r.case_id).case_id
    pane.refresh_all()  # F5 is the main window's; it calls this
    ids_become(qtbot, pane, [city.C, city.Y, city.A, city.B, new])
    qtbot.waitUntil(lambda: pane.tabs.tabText(0) == "To dispatch (5)")


def test_time_alone_moves_cases_into_the_overdue_queue(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    pane.set_queue("overdue")
    ids_become(qtbot, pane, [city.C, city.H])  # H waits to be filed (due 09:11), in the district too
    assert pane.counts["overdue"] == 2
    city.t[0] = NOW + timedelta(minutes=6)  # 09:31: Y (due 09:26) and A (due 09:30) are late too
    pane._requery_for_time()
    ids_become(qtbot, pane, [city.C, city.H, city.Y, city.A])
    qtbot.waitUntil(lambda: pane.counts["overdue"] == 4 and not pane._counting)
    assert pane.tabs.tabText(pane.queue_keys().index("overdue")) == "Overdue (4)"


def test_a_language_change_relabels_the_pane(qtbot, city, settings):
    pane = make_pane(qtbot, city, settings)
    QApplication.sendEvent(pane, QEvent(QEvent.Type.LanguageChange))
    assert pane.tabs.tabText(0) == "To dispatch (4)"
    assert pane.model.headerData(COL_NUMBER, Qt.Orientation.Horizontal) == "Number"
    assert pane.status.text() == "Cases: 4"
    pane.reset_columns()
    assert not pane.view.isColumnHidden(COL_NUMBER) and pane.view.isColumnHidden(COL_STATE)
