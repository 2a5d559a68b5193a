"""The guided first start, driven as an administrator would (offscreen, SQLite and PostgreSQL):
from an empty database to a working center (profile → levels → boundaries → grids →
catalogue → departments → users → calendar), left half-way and resumed at the first step not
done, and a case reported in the new center at the end."""

from __future__ import annotations

import openpyxl
import pytest

from gridstation.accounts.users import add_user
from gridstation.admin import catalogue_excel
from gridstation.app import tasks
from gridstation.app.admin.setup_wizard import SetupWizard
from gridstation.app.context import AppContext
from gridstation.cases.workflow import Workflow
from gridstation.store.db import make_engine
from tests.data.make import write_geojson, write_shapefile
from tests.minicity import build_mini_city
from tests.test_regions_import import X0, Y0, W, communities, districts, grids, projected, streets

WAIT = 20_000


@pytest.fixture
def files(tmp_path):
    out = {
        "district": write_geojson(tmp_path / "d.geojson", [projected(f) for f in districts()], crs="EPSG:4547"),
        "street": write_shapefile(tmp_path / "s", streets(), epsg=4547, fields=("XZQDM", "XZQMC", "SJDM")),
        "community": write_geojson(tmp_path / "c.geojson", communities()),
        "grids": write_geojson(tmp_path / "g.geojson", grids()),
    }
    # a catalogue sheet: the mini city's, without departments (they come later)
    other = make_engine(f"sqlite:///{tmp_path / 'other.db'}")
    from gridstation.schema import upgrade

    upgrade(f"sqlite:///{tmp_path / 'other.db'}")
    build_mini_city(other)
    catalogue_excel.export_catalogue(other, tmp_path / "cat.xlsx")
    other.dispose()
    wb = openpyxl.load_workbook(tmp_path / "cat.xlsx")
    ws = wb[catalogue_excel.SHEET_NAME]
    col = [c.value for c in ws[1]].index(catalogue_excel.DEPT) + 1
    for r in range(2, ws.max_row + 1):
        ws.cell(r, col).value = None
    wb.save(tmp_path / "cat.xlsx")
    out["catalogue"] = tmp_path / "cat.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "部门"
    ws.append(["代码", "名称", "层级", "上级部门", "所属区域", "联系方式", "状态"])
    ws.append(["D01", "城市管理局", "区级", "", "", "", ""])
    ws.append(["S01", "中原北街道城管科", "街道级", "D01", "410102001", "", ""])
    wb.save(tmp_path / "depts.xlsx")
    out["departments"] = tmp_path / "depts.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "用户"
    ws.append(["账号", "姓名", "岗位", "区域", "部门", "电话", "状态"])
    ws.append(["wg1", "网格员甲", "网格员", "410102001001", "", "", ""])
    ws.append(["sl1", "区值班长", "区值班长", "", "", "", ""])
    ws.append(["h1", "城管科员", "职能部门处置人员", "", "S01", "", ""])
    wb.save(tmp_path / "users.xlsx")
    out["users"] = tmp_path / "users.xlsx"
    return out


@pytest.fixture
def make_wizard(qtbot, engine, db_url):
    add_user(engine, login="boss", name="管理员", position="admin", password="secret-pw-1")
    wizards = []

    def make() -> SetupWizard:
        wf = Workflow(engine)
        ctx = AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor("boss"))
        w = SetupWizard(ctx)
        qtbot.addWidget(w)
        w.show()
        wizards.append(w)
        qtbot.waitUntil(lambda: w.is_idle() and w.status is not None, timeout=WAIT)
        return w

    yield make
    for w in wizards:
        w.close()
    tasks.wait_idle()


def _act(qtbot, w: SetupWizard, click) -> None:
    click()
    qtbot.waitUntil(w.is_idle, timeout=WAIT)


def test_from_an_empty_database_to_a_working_center(qtbot, engine, make_wizard, files):
    w = make_wizard()
    assert w.current_step() == "profile"
    page = w.pages["profile"]
    qtbot.waitUntil(lambda: page.profiles.count() >= 6, timeout=WAIT)
    page.select("zhengzhou")
    _act(qtbot, w, page.apply_button.click)
    assert w.status.done["profile"] and w.status.profile == "zhengzhou", page.output.toPlainText()
    w.next()
    assert w.current_step() == "levels" and w.status.done["levels"]
    w.next()

    b = w.pages["boundaries"]
    b.top_code.setText("4101")
    b.top_name.setText("郑州市")
    _act(qtbot, w, lambda: b.add_top())
    # a district file without a parent field is refused by containment (the city has no
    # boundary): refused whole, then imported under the city named by hand
    b.file.setText(str(files["district"]))
    b.level.setText("district")
    _act(qtbot, w, b.import_file)
    assert "unknown parent" in b.output.toPlainText()
    for level, mapping, parent in (("district", "", "4101"), ("street", "code=XZQDM,name=XZQMC,parent=SJDM", ""),
                                   ("community", "", "")):
        b.file.setText(str(files[level]))
        b.level.setText(level)
        b.mapping.setText(mapping)
        b.parent_code.setText(parent)
        _act(qtbot, w, b.import_file)
        assert "imported" in b.output.toPlainText(), b.output.toPlainText()
    assert w.status.done["boundaries"], [(k, c) for k, _n, c in w.status.levels]
    w.next()

    g = w.pages["grids"]
    g.file.setText(str(files["grids"]))
    _act(qtbot, w, g.import_file)
    assert w.status.grids == 32, g.output.toPlainText()
    w.next()
    w.close()

    # resumed later: the wizard opens at the catalogue
    w = make_wizard()
    assert w.current_step() == "catalogue"
    c = w.pages["catalogue"]
    c.file.setText(str(files["catalogue"]))
    _act(qtbot, w, c.preview_button.click)
    assert c.apply_button.isEnabled(), c.output.toPlainText()
    _act(qtbot, w, c.apply_button.click)
    assert w.status.done["catalogue"], c.output.toPlainText()
    w.next()
    for step in ("departments", "users"):
        p = w.pages[step]
        p.file.setText(str(files[step]))
        _act(qtbot, w, p.preview_button.click)
        _act(qtbot, w, p.apply_button.click)
        assert w.status.done[step], p.output.toPlainText()
        w.next()
    assert w.pages["users"].passwords.rowCount() == 3
    assert w.current_step() == "calendar"
    _act(qtbot, w, w.pages["calendar"].ok_button.click)
    assert all(w.status.done.values()), w.status.done
    assert w.status.first_open() is None

    # a working center: the grid member reports in his community, the district shift leader files it
    wf = Workflow(engine)
    r = wf.report("wg1", source="supervisor", description="井盖破损", lon=X0 + 0.001, lat=Y0 + W - 0.001)
    assert r.state == "to_file"
    assert "file" in wf.allowed_actions(wf.actor("sl1"), r.case_id)
