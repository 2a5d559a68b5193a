"""Departments and users from the Excel lists a center keeps: export → edit → preview → apply,
on SQLite and PostgreSQL; a malformed workbook refused whole with every problem named; a stale
preview refused; the round trip of an unchanged export is empty."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import func, select

from gridstation.accounts.users import authenticate
from gridstation.admin import org_excel as ox
from gridstation.admin.common import ConfigConflict
from gridstation.admin.departments import update_department
from gridstation.store.db import session_factory
from gridstation.store.model import ConfigChange, Department, User
from tests.minicity import build_mini_city


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


def workbook(path, depts=None, users=None):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    if depts is not None:
        ws = wb.create_sheet(ox.DEPT_SHEET)
        ws.append(["部门名单（2026年）"])  # a title row above the header
        ws.append(ox.DEPT_COLUMNS)
        for r in depts:
            ws.append(r)
    if users is not None:
        ws = wb.create_sheet(ox.USER_SHEET)
        ws.append(ox.USER_COLUMNS)
        for r in users:
            ws.append(r)
    wb.save(path)
    return path


def test_round_trip_of_an_export_is_empty(engine, city, tmp_path):
    path = tmp_path / "org.xlsx"
    nd, nu = ox.export_org(engine, path)
    assert nd == 5 and nu == len(city.users)
    diff = ox.preview_import(engine, path)
    assert diff.is_empty and diff.unchanged == nd + nu


def test_preview_then_apply_departments_and_users(engine, city, tmp_path):
    path = workbook(
        tmp_path / "org.xlsx",
        depts=[["D03", "园林绿化局", "区级", "", "", "0371-1", "启用"],
               ["S103", "甲街道园林所", "街道级", "D03", "410105001", "", ""],
               ["D02", "市政管理处（改名）", "区级", "", "", "", "启用"]],
        users=[["gard1", "王园", "专业部门处置人员", "", "S103", "13800000000", ""],
               ["sup9", "李网", "监督员", "甲街道", "", "", ""],
               ["h_mun", "h_mun-name", "dept_handler", "", "D02", "", "停用"]],
    )
    diff = ox.preview_import(engine, path)
    assert diff.summary() == {"departments added": 2, "departments changed": 1, "users added": 2,
                              "users changed": 1, "unchanged": 0}
    ch = next(c for c in diff.changes if c.key == "D02")
    assert [(f.column, f.old, f.new) for f in ch.fields] == [("名称", "市政管理处", "市政管理处（改名）")]
    hm = next(c for c in diff.changes if c.key == "h_mun")
    assert [(f.column, f.old, f.new) for f in hm.fields] == [("状态", "启用", "停用")]
    with session_factory(engine)() as s:
        assert s.scalar(select(func.count()).select_from(Department)) == 5  # a preview writes nothing

    r = ox.apply_import(engine, "admin", diff)
    assert (r.departments_added, r.departments_changed, r.users_added, r.users_changed) == (2, 1, 2, 1)
    assert [login for login, _ in r.passwords] == ["gard1", "sup9"]
    with session_factory(engine)() as s:
        s103 = s.scalar(select(Department).where(Department.code == "S103"))
        assert s103.level == "street" and s.get(Department, s103.parent_id).code == "D03"
        gard = s.scalar(select(User).where(User.login == "gard1"))
        assert gard.position == "dept_handler" and gard.department_id == s103.id
        assert s.scalar(select(User.active).where(User.login == "h_mun")) is False
        assert s.scalar(select(User.region_id).where(User.login == "sup9")) == city.regions["S1"]
        audit = {(c.entity, c.entity_id, c.field) for c in s.scalars(select(ConfigChange))}
    assert ("department", "S103", "created") in audit and ("user", "gard1", "created") in audit
    assert ("department", "D02", "name") in audit and ("user", "h_mun", "active") in audit
    # the new account signs in with its temporary password
    assert authenticate(engine, "gard1", dict(r.passwords)["gard1"]).position == "dept_handler"
    # the same workbook again: nothing to do
    assert ox.preview_import(engine, path).is_empty


def test_a_bad_workbook_is_refused_whole(engine, city, tmp_path):
    path = workbook(
        tmp_path / "bad.xlsx",
        depts=[["D09", "", "省级", "D99", "", "", ""], ["S109", "乙所", "街道级", "", "", "", ""],
               ["D09", "重复", "区级", "", "", "", ""]],
        users=[["x y", "空格", "监督员", "", "", "", ""], ["u1", "某人", "炊事员", "火星区", "", "", "也许"],
               ["u2", "处置人", "dept_handler", "", "", "", ""]],
    )
    with pytest.raises(ox.OrgSheetRejected) as e:
        ox.preview_import(engine, path)
    text = str(e.value)
    for needle in ("row 3, column 部门/名称", "部门/层级 = '省级'", "部门/上级部门 = 'D99'", "a street-level department",
                   "also on row 3", "用户/账号 = 'x y'", "用户/岗位 = '炊事员'", "用户/区域 = '火星区'",
                   "用户/状态 = '也许'", "a department handler needs a department"):
        assert needle in text, (needle, text)
    with pytest.raises(ox.OrgSheetRejected):
        ox.preview_import(engine, b"not excel")


def test_a_stale_preview_is_refused(engine, city, tmp_path):
    path = workbook(tmp_path / "org.xlsx", depts=[["D04", "新部门", "区级", "", "", "", ""]])
    diff = ox.preview_import(engine, path)
    update_department(engine, "admin", city.depts["SAN"], {"contact": "12319"})
    with pytest.raises(ConfigConflict):
        ox.apply_import(engine, "admin", diff)
    with session_factory(engine)() as s:
        assert s.scalar(select(Department.id).where(Department.code == "D04")) is None


def test_cli_preview_and_apply(engine, db_url, city, tmp_path, capsys):
    from gridstation.cli import main

    path = workbook(tmp_path / "org.xlsx", users=[["new1", "新人", "受理员", "", "", "", ""]])
    assert main(["--db", db_url, "org", "import", str(path)]) == 0
    assert "nothing applied" in capsys.readouterr().out
    assert main(["--db", db_url, "org", "import", str(path), "--yes", "--as", "admin"]) == 2
    assert "--passwords-out" in capsys.readouterr().err
    out_csv = tmp_path / "pw.csv"
    assert main(["--db", db_url, "org", "import", str(path), "--yes", "--as", "admin",
                 "--passwords-out", str(out_csv)]) == 0
    assert "1 users added" in capsys.readouterr().out
    login, pw = out_csv.read_text(encoding="utf-8-sig").splitlines()[1].split(",")
    assert login == "new1" and authenticate(engine, login, pw).login == "new1"
