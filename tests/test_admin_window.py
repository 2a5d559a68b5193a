"""The administration window driven as an administrator would (pytest-qt, offscreen), on SQLite
and PostgreSQL: a category's limit and department, a user disabled and a password reset, a
makeup working Sunday; each checked in the database (the change, its config_change rows, its
change_log row) and in a second client, whose live ChangeHub receives the change and whose
workflow calendar then moves a deadline across that Sunday."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import openpyxl
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from gridstation.accounts.users import authenticate
from gridstation.admin import catalogue_excel as cx
from gridstation.admin.common import AdminForbidden
from gridstation.app import tasks
from gridstation.app.admin import AdminWindow
from gridstation.app.context import AppContext
from gridstation.app.live import ChangeHub
from gridstation.store.db import make_engine, session_factory
from gridstation.errors import Forbidden
from gridstation.store.model import CalendarOverride, Case, Category, ChangeLog, ConfigChange, User
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

WAIT = 15_000
MON = datetime(2026, 3, 2, 9, 0)
FRI_16 = datetime(2026, 3, 6, 16, 0)  # Friday; Sunday 8 March 2026 is an ordinary weekend day
SUNDAY = date(2026, 3, 8)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


@pytest.fixture
def yes(monkeypatch):
    """Confirmation boxes answer Yes instead of blocking the test."""
    asked: list[str] = []

    def fake(parent, title, text, *a, **k):
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", staticmethod(fake))
    return asked


@pytest.fixture
def admin_window(qtbot, engine, db_url, city):
    wins = []

    def make() -> AdminWindow:
        wf = Workflow(engine, clock=lambda: MON + timedelta(hours=1))
        ctx = AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor("admin"),
                         clock=lambda: MON + timedelta(hours=1))
        win = AdminWindow(ctx)
        qtbot.addWidget(win)
        win.show()
        wins.append(win)
        return win

    yield make
    for w in wins:
        w.close()
    tasks.wait_idle()


class SecondClient:
    """Another workstation: its own engine, workflow and live change hub (wired like the main
    window: a ``calendar`` change drops the cached working calendar)."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.wf = Workflow(self.engine)
        self.ctx = AppContext(url=url, engine=self.engine, workflow=self.wf, actor=self.wf.actor("disp"))
        self.hub = ChangeHub(self.ctx)
        self.seen: list = []
        self.hub.changed.connect(self._changes)
        self.hub.start()

    def _changes(self, changes) -> None:
        self.seen.extend(changes)
        if any(c.entity == "calendar" for c in changes):
            self.ctx.workflow.reload_calendar()

    def saw(self, entity: str, action: str | None = None) -> bool:
        return any(c.entity == entity and (action is None or c.action == action) for c in self.seen)

    def close(self) -> None:
        self.hub.stop()
        tasks.wait_idle()
        self.engine.dispose()


@pytest.fixture
def second(db_url):
    clients = []

    def make() -> SecondClient:
        c = SecondClient(db_url)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()


def feed_after(engine, seq: int) -> list[tuple[str, int | None, str, int | None]]:
    with session_factory(engine)() as s:
        return [(c.entity, c.entity_id, c.action, c.user_id)
                for c in s.scalars(select(ChangeLog).where(ChangeLog.seq > seq).order_by(ChangeLog.seq))]


def last_seq(engine) -> int:
    with session_factory(engine)() as s:
        return s.scalar(select(ChangeLog.seq).order_by(ChangeLog.seq.desc()).limit(1)) or 0


def audit(engine, entity: str, entity_id: str) -> list[tuple[str, str | None, str | None, int | None]]:
    with session_factory(engine)() as s:
        return [(c.field, c.old_value, c.new_value, c.user_id) for c in s.scalars(
            select(ConfigChange).where(ConfigChange.entity == entity, ConfigChange.entity_id == entity_id)
            .order_by(ConfigChange.id))]


# --------------------------------------------------------------------------- the window


def test_only_the_administrator_opens_it(engine, db_url, city):
    wf = Workflow(engine)
    ctx = AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor("disp"))
    with pytest.raises(AdminForbidden):
        AdminWindow(ctx)


def test_every_page_loads(qtbot, admin_window):
    win = admin_window()
    for key in win.pages:
        page = win.show_page(key)
        qtbot.waitUntil(page.is_idle, timeout=WAIT)
        assert page.message.text() == "", (key, page.message.text())
    assert [win.nav.item(i).text() for i in range(win.nav.count())] == [
        "Regions", "Departments", "Users", "Case categories", "Workflow rules", "Working calendar", "Evaluation weights",
        "Base map", "Data exchange keys", "Change history"]


# --------------------------------------------------------------------------- a category


def test_change_a_handle_limit_and_the_department(qtbot, engine, city, admin_window, second):
    # a case already in handling with the old limit (2 working hours from Monday 09:00)
    wf = Workflow(engine, clock=lambda: MON)
    lon, lat = city.point("G1a")
    running = wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat,
                        category_id=city.cats["MANHOLE"]).case_id
    wf.file("shift", running)
    wf.dispatch("disp", running, department_id=city.depts["MUN"])
    with session_factory(engine)() as s:
        due_before = s.get(Case, running).due_at
    assert due_before == MON + timedelta(hours=2)
    other = second()
    seq = last_seq(engine)

    win = admin_window()
    page = win.show_page("catalogue")
    qtbot.waitUntil(lambda: bool(page.nodes), timeout=WAIT)
    page.select(city.cats["MANHOLE"])
    ed = page.editor
    assert ed.node.code == "C0102" and ed.name.text() == "污水井盖"
    assert "1 open cases" in ed.impact.text()
    assert not ed.save_button.isEnabled()
    ed.amounts["handle"].setValue(4)
    ed.department.set_value(city.depts["SAN"])
    assert ed.save_button.isEnabled()
    assert ed.changes() == {"handle_limit": 4.0, "handle_unit": "work_hour", "department_id": city.depts["SAN"]}
    qtbot.mouseClick(ed.save_button, Qt.MouseButton.LeftButton)

    # the database: the new values, the audit rows, one change_log row of this user
    def saved():
        with session_factory(engine)() as s:
            c = s.get(Category, city.cats["MANHOLE"])
            return (c.handle_limit, c.handle_unit, c.department_id) == (4, "work_hour", city.depts["SAN"])

    qtbot.waitUntil(saved, timeout=WAIT)
    admin_id = city.users["admin"]
    rows = audit(engine, "category", "C0102")
    assert ("handle_limit", "2 work_hour", "4 work_hour", admin_id) in rows
    assert ("department", "D02 市政管理处", "D01 环卫中心", admin_id) in rows
    assert feed_after(engine, seq) == [("category", city.cats["MANHOLE"], "edit", admin_id)]
    # the page reloads through the change feed and shows the saved values
    qtbot.waitUntil(lambda: page.editor.node is not None and page.editor.node.limits["handle"] == (4.0, "work_hour"),
                    timeout=WAIT)
    assert page.editor.node.department == "D01 环卫中心" and not page.editor.save_button.isEnabled()
    assert "Saved C0102" in page.message.text()
    # the running case keeps its deadline; a case dispatched now gets the new limit
    with session_factory(engine)() as s:
        assert s.get(Case, running).due_at == due_before
    later = Workflow(engine, clock=lambda: MON + timedelta(hours=1))
    new = later.report("sup1", source="supervisor", description="又一个", lon=lon, lat=lat,
                       category_id=city.cats["MANHOLE"]).case_id
    later.file("shift", new)
    later.dispatch("disp", new, department_id=city.depts["MUN"])
    with session_factory(engine)() as s:
        assert s.get(Case, new).due_at == datetime(2026, 3, 2, 15, 30)  # 10:00 + 4 working hours, lunch skipped
    # the other workstation heard about it
    qtbot.waitUntil(lambda: other.saw("category", "edit"), timeout=WAIT)


def test_a_stale_category_edit_is_refused_on_screen(qtbot, engine, city, admin_window):
    from gridstation.admin import catalogue as catmod

    win = admin_window()
    page = win.show_page("catalogue")
    qtbot.waitUntil(lambda: bool(page.nodes), timeout=WAIT)
    page.select(city.cats["GARBAGE"])
    page.editor.amounts["handle"].setValue(3)
    catmod.update_category(engine, "admin", city.cats["GARBAGE"],
                           {"handle_limit": 2, "handle_unit": "work_day"})  # another administrator
    errors: list[str] = []
    shown = page.message.error
    page.message.error = lambda text: (errors.append(text), shown(text))
    page.save()
    qtbot.waitUntil(lambda: bool(errors), timeout=WAIT)
    assert "changed by somebody else" in errors[0]
    with session_factory(engine)() as s:
        assert s.get(Category, city.cats["GARBAGE"]).handle_limit == 2


# --------------------------------------------------------------------------- a user


def test_disable_a_user_and_reset_a_password(qtbot, engine, city, admin_window, second, yes):
    other = second()
    seq = last_seq(engine)
    win = admin_window()
    page = win.show_page("users")
    qtbot.waitUntil(lambda: bool(page.users), timeout=WAIT)
    page.select_login("sup1")
    assert page.login.text() == "sup1" and page.active_button.text() == "Disable"
    qtbot.mouseClick(page.active_button, Qt.MouseButton.LeftButton)
    assert yes and "sup1" in yes[-1]

    def disabled():
        with session_factory(engine)() as s:
            return not s.get(User, city.users["sup1"]).active

    qtbot.waitUntil(disabled, timeout=WAIT)
    with pytest.raises(Forbidden):
        authenticate(engine, "sup1", "pw")
    with pytest.raises(Forbidden):
        Workflow(engine).actor("sup1")
    assert ("active", "true", "false", city.users["admin"]) in audit(engine, "user", "sup1")
    qtbot.waitUntil(lambda: page.status.text().startswith("disabled") and page.active_button.text() == "Enable",
                    timeout=WAIT)

    # reset the dispatcher's password: shown once, the old one stops working
    page.select_login("disp")
    qtbot.mouseClick(page.reset_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.password_dialog is not None and page.password_dialog.isVisible(), timeout=WAIT)
    temp = page.password_dialog.password.text()
    assert len(temp) == 10
    assert authenticate(engine, "disp", temp).login == "disp"
    with pytest.raises(Forbidden):
        authenticate(engine, "disp", "pw")
    page.password_dialog.reject()
    assert page.password_dialog.password.text() == ""
    rows = audit(engine, "user", "disp")
    assert ("password", "***", "*** (reset)", city.users["admin"]) in rows
    assert all(temp not in (old or "") + (new or "") for _, old, new, _ in rows)
    assert feed_after(engine, seq) == [("user", city.users["sup1"], "edit", city.users["admin"]),
                                       ("user", city.users["disp"], "passwd", city.users["admin"])]
    qtbot.waitUntil(lambda: other.saw("user", "passwd"), timeout=WAIT)


def test_add_a_user_with_a_temporary_password(qtbot, engine, city, admin_window):
    win = admin_window()
    page = win.show_page("users")
    qtbot.waitUntil(lambda: bool(page.users), timeout=WAIT)
    page.new_user()
    page.login.setText("wang")
    page.name.setText("王五")
    page.position.setCurrentIndex(page.position.findData("street_dispatcher"))
    page.region.set_value(city.regions["S2"])
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.password_dialog is not None and page.password_dialog.isVisible(), timeout=WAIT)
    actor = authenticate(engine, "wang", page.password_dialog.password.text())
    assert actor.position.value == "street_dispatcher" and actor.region_id == city.regions["S2"]
    qtbot.waitUntil(lambda: page.login.text() == "wang" and page.login.isReadOnly(), timeout=WAIT)


# --------------------------------------------------------------------------- the calendar


def test_a_makeup_working_sunday_reaches_the_other_client(qtbot, engine, city, admin_window, second):
    other = second()
    assert other.wf.calendar.deadline(FRI_16, 1, "work_day").date() == date(2026, 3, 9)  # Monday
    seq = last_seq(engine)
    win = admin_window()
    page = win.show_page("calendar")
    qtbot.waitUntil(lambda: page.is_idle() and bool(page.days), timeout=WAIT)
    page.year.setValue(2026)
    qtbot.waitUntil(lambda: page.is_idle() and page.view.year == 2026, timeout=WAIT)
    page.select_day(SUNDAY)
    assert page.as_library.isChecked() and "weekend" in page.library.text()
    page.work.setChecked(True)
    page.note.setText("2026 防汛调休")
    qtbot.mouseClick(page.save_day, Qt.MouseButton.LeftButton)

    def stored():
        with session_factory(engine)() as s:
            o = s.get(CalendarOverride, SUNDAY)
            return o is not None and o.is_workday and o.note == "2026 防汛调休"

    qtbot.waitUntil(stored, timeout=WAIT)
    assert ("is_workday", None, "true", city.users["admin"]) in audit(engine, "calendar", "2026-03-08")
    assert feed_after(engine, seq) == [("calendar", None, "override", city.users["admin"])]
    # the page shows it (through the change feed)
    qtbot.waitUntil(lambda: page.days.get(SUNDAY) is not None and page.days[SUNDAY].kind == "override_work", timeout=WAIT)
    assert page.overrides.rowCount() == 1 and page.overrides.item(0, 0).text() == "2026-03-08"
    # the second client's hub receives it, reloads its calendar, and the deadline moves to Sunday
    qtbot.waitUntil(lambda: other.saw("calendar", "override"), timeout=WAIT)
    moved = other.wf.calendar.deadline(FRI_16, 1, "work_day")
    assert moved.date() == SUNDAY and moved == datetime(2026, 3, 8, 16, 0)
    # and back: removing the override restores Monday
    page.as_library.setChecked(True)
    page.save_selected_day()
    qtbot.waitUntil(lambda: other.saw("calendar") and sum(c.entity == "calendar" for c in other.seen) >= 2, timeout=WAIT)
    assert other.wf.calendar.deadline(FRI_16, 1, "work_day").date() == date(2026, 3, 9)


def test_working_hours_saved_from_the_page(qtbot, engine, city, admin_window):
    win = admin_window()
    page = win.show_page("calendar")
    qtbot.waitUntil(lambda: page.is_idle() and page.hours.rowCount() == 2, timeout=WAIT)
    assert page.hour_values() == [["09:00", "12:00"], ["13:30", "17:30"]]
    page.hours.cellWidget(0, 0).setTime(page.hours.cellWidget(0, 0).time().fromString("08:30", "HH:mm"))
    assert "7 h 30" in page.day_length.text()
    page.save_work_hours()
    qtbot.waitUntil(lambda: "saved" in page.message.text(), timeout=WAIT)
    with session_factory(engine)() as s:
        from gridstation.worktime.center_calendar import load_calendar

        assert load_calendar(s).day_minutes == 450


# --------------------------------------------------------------------------- the Excel import


def test_import_preview_and_apply_from_the_page(qtbot, engine, city, admin_window, tmp_path):
    path = tmp_path / "cat.xlsx"
    cx.export_catalogue(engine, path)
    wb = openpyxl.load_workbook(path)
    ws = wb[cx.SHEET_NAME]
    col = {c.value: i + 1 for i, c in enumerate(ws[1])}
    ws.cell(3, col["处置时限"]).value = 5  # C0102
    n = ws.max_row + 1
    for k, v in {"类型": "事件", "大类": "市容环境", "代码": "E0102", "名称": "乱堆物料", "责任部门": "环卫中心"}.items():
        ws.cell(n, col[k]).value = v
    wb.save(path)
    seq = last_seq(engine)

    win = admin_window()
    page = win.show_page("catalogue")
    qtbot.waitUntil(lambda: bool(page.nodes), timeout=WAIT)
    page.import_file(str(path))
    qtbot.waitUntil(lambda: page.preview_dialog is not None and page.preview_dialog.isVisible(), timeout=WAIT)
    dlg = page.preview_dialog
    assert "1 added · 1 changed (0 moved)" in dlg.summary.text()
    rows = dlg.rows()
    assert ["Changed", "C0102", "污水井盖", "3", "Handling limit", "2 working hours", "5 working hours"] in rows
    assert ["Added", "E0102", "乱堆物料", "6", "Responsible department", "—", "D01 环卫中心"] in rows
    assert feed_after(engine, seq) == []  # the preview wrote nothing
    qtbot.mouseClick(dlg.apply_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dlg.isVisible(), timeout=WAIT)
    assert feed_after(engine, seq) == [("category", None, "import", city.users["admin"])]
    qtbot.waitUntil(lambda: any(n.code == "E0102" for n in page.nodes), timeout=WAIT)
    assert "1 added" in page.message.text()

    # a malformed sheet is refused on the page, with its row and column
    ws.cell(3, col["处置时限"]).value = -1
    wb.save(path)
    page.import_file(str(path))
    qtbot.waitUntil(lambda: page.message.state() == "error", timeout=WAIT)
    assert "row 3, column 处置时限" in page.message.text()


# --------------------------------------------------------------------------- the audit page


def test_the_audit_page_lists_and_filters(qtbot, engine, city, admin_window):
    from gridstation.admin import calendar as calmod
    from gridstation.admin import users as usermod

    calmod.set_override(engine, "admin", SUNDAY, is_workday=True, note="调休")
    usermod.set_active(engine, "admin", city.users["sup2"], False)
    win = admin_window()
    page = win.show_page("audit")
    qtbot.waitUntil(lambda: page.is_idle() and page.table.rowCount() >= 3, timeout=WAIT)
    assert {page.table.item(r, 2).text() for r in range(page.table.rowCount())} == {"Calendar", "User"}
    page.entity.set_value("user")
    qtbot.waitUntil(lambda: page.is_idle() and page.table.rowCount() == 1, timeout=WAIT)
    assert [page.table.item(0, c).text() for c in (1, 3, 4, 5, 6)] == ["admin", "sup2", "active", "true", "false"]
    # a change made meanwhile appears by itself (change feed)
    usermod.set_active(engine, "admin", city.users["sup2"], True)
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT)


# --------------------------------------------------------------------------- the other pages


def test_retire_and_restore_a_category_and_the_pickers_follow(qtbot, engine, city, admin_window, yes):
    from gridstation.app.cases.forms import load_categories

    def picker_codes():
        with session_factory(engine)() as s:
            return [o.code for o in load_categories(s)]

    assert picker_codes() == ["C0102", "E0101"]
    win = admin_window()
    page = win.show_page("catalogue")
    qtbot.waitUntil(lambda: bool(page.nodes), timeout=WAIT)
    page.select(city.cats["GARBAGE"])
    qtbot.mouseClick(page.editor.retire_button, Qt.MouseButton.LeftButton)
    assert "暴露垃圾" in yes[-1]
    qtbot.waitUntil(lambda: picker_codes() == ["C0102"], timeout=WAIT)
    # hidden from the tree unless asked for, then shown greyed and restorable
    qtbot.waitUntil(lambda: page.by_id.get(city.cats["GARBAGE"]) is not None and page.by_id[city.cats["GARBAGE"]].retired,
                    timeout=WAIT)
    assert page._find(city.cats["GARBAGE"]) is None
    page.show_retired.setChecked(True)
    page.select(city.cats["GARBAGE"])
    assert page.editor.retire_button.text() == "Restore"
    qtbot.mouseClick(page.editor.retire_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: picker_codes() == ["C0102", "E0101"], timeout=WAIT)


def test_add_and_move_a_category_from_the_page(qtbot, engine, city, admin_window):
    win = admin_window()
    page = win.show_page("catalogue")
    qtbot.waitUntil(lambda: bool(page.nodes), timeout=WAIT)
    page.add_category(city.cats["E01"], "E0102", "乱堆物料")
    qtbot.waitUntil(lambda: any(n.code == "E0102" for n in page.nodes), timeout=WAIT)
    qtbot.waitUntil(lambda: page.editor.node is not None and page.editor.node.code == "E0102", timeout=WAIT)
    new_id = page.editor.node.id
    page.move_category(new_id, city.cats["C01"])
    qtbot.waitUntil(lambda: page.by_id.get(new_id) is not None and page.by_id[new_id].parent_id == city.cats["C01"],
                    timeout=WAIT)
    assert page.by_id[new_id].kind == "component"


def test_merge_a_community_from_the_regions_page(qtbot, engine, city, admin_window):
    from gridstation.store.model import Region, UnitGrid

    win = admin_window()
    page = win.show_page("regions")
    qtbot.waitUntil(lambda: bool(page.regions), timeout=WAIT)
    page.select(city.regions["C1"])
    qtbot.waitUntil(lambda: page.grids.rowCount() == 2, timeout=WAIT)
    page.merge(city.regions["C1"], city.regions["C2"], date(2026, 3, 3))
    qtbot.waitUntil(lambda: page.by_id.get(city.regions["C1"]) is not None and not page.by_id[city.regions["C1"]].active,
                    timeout=WAIT)
    with session_factory(engine)() as s:
        assert not s.get(Region, city.regions["C1"]).active
        assert s.get(UnitGrid, city.grids["G1a"]).valid_to == date(2026, 3, 3)
    assert page.by_id[city.regions["C2"]].grids == 4
    page.history.setChecked(True)
    page.select(city.regions["C1"])
    qtbot.waitUntil(lambda: page.grids.rowCount() == 2 and page.grids.item(0, 3).text() == "2026-03-03", timeout=WAIT)


def test_departments_page_saves_and_refuses(qtbot, engine, city, admin_window):
    from gridstation.store.model import Department

    win = admin_window()
    page = win.show_page("departments")
    qtbot.waitUntil(lambda: bool(page.departments), timeout=WAIT)
    page.select(city.depts["SAN"])
    page.contact.setText("0371-12319")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    def saved():
        with session_factory(engine)() as s:
            return s.get(Department, city.depts["SAN"]).contact == "0371-12319"

    qtbot.waitUntil(saved, timeout=WAIT)
    qtbot.waitUntil(lambda: page.is_idle() and page._current is not None and page._current.contact == "0371-12319",
                    timeout=WAIT)
    page.active.setChecked(False)  # 暴露垃圾 routes to it
    page.save()
    qtbot.waitUntil(lambda: page.message.state() == "error", timeout=WAIT)
    assert "E0101" in page.message.text()


def test_evaluation_weights_page_checks_the_sum(qtbot, engine, city, admin_window):
    from gridstation.admin import weights

    win = admin_window()
    page = win.show_page("evaluation")
    qtbot.waitUntil(lambda: page.is_idle() and bool(page.settings), timeout=WAIT)
    spin = page.spins[("department", "closure_rate")]
    spin.setValue(50)
    assert page.sums["department"].text() == "120 %"
    page.save()
    qtbot.waitUntil(lambda: page.message.state() == "error", timeout=WAIT)
    assert "department" in page.message.text() and "120" in page.message.text()
    page.spins[("department", "rework_rate")].setValue(10)
    assert page.sums["department"].text() == "100 %"
    page.save()
    qtbot.waitUntil(lambda: page.message.state() == "info", timeout=WAIT)
    with session_factory(engine)() as s:
        assert weights.load(s)["weights"]["department"] == {"cases_due": 10, "closure_rate": 50,
                                                            "handling_on_time": 30, "rework_rate": 10}


def test_map_page_saves_a_tile_server(qtbot, engine, city, admin_window):
    from gridstation.admin import mapconfig

    win = admin_window()
    page = win.show_page("map")
    qtbot.waitUntil(page.is_idle, timeout=WAIT)
    assert page.outlines.isChecked()
    page.xyz.setChecked(True)
    page.url.setText("http://10.1.2.3/tiles/{z}/{x}.png")  # no {y}: refused
    page.save()
    qtbot.waitUntil(lambda: "{y}" in page.message.text(), timeout=WAIT)
    page.url.setText("http://10.1.2.3/tiles/{z}/{x}/{y}.png")
    page.lat.setValue(34.77)
    page.lon.setValue(113.7)
    page.zoom.setValue(15)
    page.save()
    qtbot.waitUntil(lambda: page.message.state() == "info", timeout=WAIT)
    with session_factory(engine)() as s:
        base, view = mapconfig.load(s)
    assert base == {"type": "xyz", "url": "http://10.1.2.3/tiles/{z}/{x}/{y}.png", "min_zoom": 0, "max_zoom": 18}
    assert view == {"center": [34.77, 113.7], "zoom": 15}
