"""The category catalogue (gridstation.admin.catalogue and catalogue_excel), on SQLite and
PostgreSQL: tree commands, time limits that never move a running case, and the Excel sheet
round trip with its preview diff and its refusals."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from gridstation.admin import catalogue as catmod
from gridstation.admin import catalogue_excel as cx
from gridstation.admin.common import ConfigConflict
from gridstation.store.db import session_factory
from gridstation.demo.city import build_demo
from gridstation.errors import InvalidInput
from gridstation.store.model import Case, Category, ChangeLog, ConfigChange, Department
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city

MON = datetime(2026, 3, 2, 9, 0)  # an ordinary Monday


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


def category_checksum(engine) -> tuple[int, str]:
    """Row count and a checksum of every column of every category row."""
    cols = list(Category.__table__.columns)
    with session_factory(engine)() as s:
        rows = s.execute(select(*cols).order_by(Category.id)).all()
    return len(rows), hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()


def counts(engine) -> tuple[int, int, tuple[int, str]]:
    with session_factory(engine)() as s:
        return (s.scalar(select(func.count()).select_from(ChangeLog)),
                s.scalar(select(func.count()).select_from(ConfigChange)), category_checksum(engine))


def cat(engine, code) -> Category:
    with session_factory(engine)() as s:
        return s.scalar(select(Category).where(Category.code == code))


def audit_rows(engine, entity="category"):
    with session_factory(engine)() as s:
        return [(c.entity_id, c.field, c.old_value, c.new_value)
                for c in s.scalars(select(ConfigChange).where(ConfigChange.entity == entity).order_by(ConfigChange.id))]


# --------------------------------------------------------------------------- the tree


def test_add_rename_move_retire_restore(engine, city):
    with session_factory(engine)() as s:
        seq = s.scalar(select(func.max(ChangeLog.seq))) or 0
    new = catmod.add_category(engine, "admin", parent_id=city.cats["E01"], code="E0102", name="乱堆物料",
                              department_id=city.depts["SAN"], handle_limit=2, handle_unit="work_day",
                              command_level="street")
    c = cat(engine, "E0102")
    assert (c.kind, c.depth, c.is_leaf, c.pinyin) == ("event", 2, True, "ldwl")
    assert c.path == cat(engine, "E01").path + f"{new}/"
    catmod.update_category(engine, "admin", new, {"name": "乱堆物料（建筑垃圾）"})
    # moving a leaf under another leaf turns that one into a branch; kind follows the root
    catmod.move_category(engine, "admin", new, city.cats["C01"])
    c = cat(engine, "E0102")
    assert (c.kind, c.parent_id, c.depth) == ("component", city.cats["C01"], 2)
    with pytest.raises(InvalidInput):
        catmod.move_category(engine, "admin", city.cats["C01"], new)  # under itself
    with pytest.raises(InvalidInput):
        catmod.move_category(engine, "admin", city.cats["COMP"], city.cats["EVENT"])  # a root
    retired = catmod.retire_category(engine, "admin", city.cats["C01"])
    assert sorted(retired) == ["C01", "C0102", "E0102"]  # the whole branch; C0199 was retired before
    assert cat(engine, "C0102").retired and cat(engine, "C01").is_leaf is False
    with pytest.raises(InvalidInput):
        catmod.restore_category(engine, "admin", city.cats["MANHOLE"])  # its parent first
    catmod.restore_category(engine, "admin", city.cats["C01"])
    catmod.restore_category(engine, "admin", city.cats["MANHOLE"])
    assert not cat(engine, "C0102").retired and cat(engine, "E0102").retired
    with session_factory(engine)() as s:
        actions = [(c.entity, c.action) for c in s.scalars(select(ChangeLog).where(ChangeLog.seq > seq).order_by(ChangeLog.seq))]
        tree = catmod.tree(s, include_retired=False)
    assert actions == [("category", a) for a in ("add", "edit", "move", "retire", "restore", "restore")]
    assert [n.code for n in tree] == ["C", "C01", "C0102", "E", "E01", "E0101"]
    rows = audit_rows(engine)
    assert ("E0102", "handle_limit", None, "2 work_day") in rows
    assert ("E0102", "name", "乱堆物料", "乱堆物料（建筑垃圾）") in rows
    assert ("E0102", "parent", "E01 市容环境", "C01 公用设施") in rows
    assert ("E0102", "retired", "false", "true") in rows


def test_values_are_checked(engine, city):
    before = counts(engine)
    bad = [
        {"handle_limit": -1, "handle_unit": "work_day"},
        {"handle_limit": 0, "handle_unit": "work_day"},
        {"handle_limit": 2, "handle_unit": "fortnight"},
        {"handle_limit": 2},
        {"handle_limit": 2, "handle_unit": None},
        {"command_level": "city"},
        {"name": ""},
        {"kind": "event"},
    ]
    for values in bad:
        with pytest.raises(InvalidInput):
            catmod.update_category(engine, "admin", city.cats["GARBAGE"], values)
    with pytest.raises(InvalidInput):  # a disabled department
        with session_factory(engine)() as s, s.begin():
            s.get(Department, city.depts["S1_CG"]).active = False
        catmod.update_category(engine, "admin", city.cats["GARBAGE"], {"department_id": city.depts["S1_CG"]})
    assert counts(engine)[2] == before[2]


def test_a_stale_edit_is_refused(engine, city):
    seen = cat(engine, "E0101")
    catmod.update_category(engine, "admin", city.cats["GARBAGE"], {"handle_limit": 3, "handle_unit": "work_day"})
    with pytest.raises(ConfigConflict):
        catmod.update_category(engine, "admin", city.cats["GARBAGE"], {"handle_limit": 2, "handle_unit": "work_day"},
                               expected={"handle_limit": seen.handle_limit, "handle_unit": seen.handle_unit})
    assert cat(engine, "E0101").handle_limit == 3


# --------------------------------------------------------------------------- limits and running cases


def test_a_limit_change_applies_to_new_stages_never_to_running_cases(engine, city):
    now = [MON]
    wf = Workflow(engine, clock=lambda: now[0])
    lon, lat = city.point("G1a")

    def handling_case() -> int:
        cid = wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat,
                        category_id=city.cats["MANHOLE"]).case_id
        wf.file("shift", cid)
        wf.dispatch("disp", cid, department_id=city.depts["MUN"])
        return cid

    def case(cid) -> Case:
        with session_factory(engine)() as s:
            return s.get(Case, cid)

    running = handling_case()
    before = case(running)
    assert before.state == "handling" and before.due_at == MON + timedelta(hours=2)  # 2 working hours
    now[0] = MON + timedelta(minutes=30)
    catmod.update_category(engine, "admin", city.cats["MANHOLE"], {"handle_limit": 4, "handle_unit": "work_hour"})
    after = case(running)
    assert (after.due_at, after.warn_at, after.stage_limit_minutes, after.version) == (
        before.due_at, before.warn_at, before.stage_limit_minutes, before.version)
    # the same case keeps its own limit even when its clock is rebuilt (an approved extension)
    req = wf.request_extension("h_mun", running, hours=1, reason="需材料")
    wf.decide("disp", req.request_id, approve=True)
    assert case(running).due_at == MON + timedelta(hours=3)
    # a case filed after the change gets the new limit: 09:30 + 4 working hours (lunch 12:00-13:30)
    later = handling_case()
    assert case(later).due_at == datetime(2026, 3, 2, 15, 0)
    assert case(later).stage_limit_minutes == 240


# --------------------------------------------------------------------------- Excel


def export(engine, tmp_path: Path, name="catalogue.xlsx") -> Path:
    path = tmp_path / name
    cx.export_catalogue(engine, path)
    return path


def edit(path: Path, fn) -> Path:
    wb = openpyxl.load_workbook(path)
    ws = wb[cx.SHEET_NAME]
    header = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(header)}
    fn(ws, col)
    wb.save(path)
    return path


def row_of(ws, col, code) -> int:
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col[cx.CODE]).value == code:
            return r
    raise KeyError(code)


def test_export_then_import_unchanged_is_empty(engine, city, tmp_path):
    path = export(engine, tmp_path)
    wb = openpyxl.load_workbook(path)
    rows = list(wb[cx.SHEET_NAME].iter_rows(values_only=True))
    assert list(rows[0]) == cx.EXPORT_COLUMNS
    assert [r[3] for r in rows[1:]] == ["C01", "C0102", "E01", "E0101"]  # retired C0199 left out
    garbage = dict(zip(rows[0], rows[4]))
    assert (garbage["大类"], garbage["责任部门"], garbage["处置时限"], garbage["处置时限单位"], garbage["指挥层级"]) == (
        "市容环境", "环卫中心", 1, "工作日", "街道级")
    before = counts(engine)
    diff = cx.preview_import(engine, path)
    assert diff.is_empty and diff.unchanged == 4 and diff.rows == 4
    cx.apply_import(engine, "admin", diff)
    assert counts(engine)[2] == before[2]


def test_round_trip_with_a_new_category_a_changed_limit_and_a_moved_department(engine, city, tmp_path):
    path = export(engine, tmp_path)

    def change(ws, col):
        r = row_of(ws, col, "C0102")
        ws.cell(r, col["处置时限"]).value = 4  # 2 → 4 working hours
        r = row_of(ws, col, "E0101")
        ws.cell(r, col["责任部门"]).value = "D02"  # 环卫中心 → 市政管理处, by code
        new = {"类型": "事件", "大类": "市容环境", "代码": "E0102", "名称": "乱堆物料", "责任部门": "环卫中心",
               "指挥层级": "街道级", "立案条件": "占道堆放物料", "立案时限": 30, "立案时限单位": "分钟",
               "派遣时限": 30, "派遣时限单位": "分钟", "处置时限": 2, "处置时限单位": "工作日",
               "核查时限": 1, "核查时限单位": "工作时", "结案时限": 30, "结案时限单位": "分钟", "结案条件": "已清理"}
        n = ws.max_row + 1
        for k, v in new.items():
            ws.cell(n, col[k]).value = v
        # and a whole new major class with one category under it (moved from 市容环境)
        n += 1
        for k, v in {"类型": "事件", "代码": "E02", "名称": "街面秩序"}.items():
            ws.cell(n, col[k]).value = v
        ws.cell(row_of(ws, col, "E0101"), col["大类"]).value = "街面秩序"

    edit(path, change)
    before = counts(engine)
    diff = cx.preview_import(engine, path)
    # the preview is a plain diff and writes nothing
    assert counts(engine) == before
    assert diff.summary() == {"added": 2, "changed": 2, "moved": 1, "restored": 0, "retired": 0, "unchanged": 2}
    assert [c.code for c in diff.added] == ["E0102", "E02"]
    manhole = diff.by_code("C0102")
    assert manhole.action == "changed" and manhole.row == 3
    assert [(f.field, f.column, f.old, f.new) for f in manhole.fields] == [
        ("handle_limit", "处置时限", (2.0, "work_hour"), (4.0, "work_hour"))]
    garbage = diff.by_code("E0101")
    assert garbage.moved and {f.field: (f.old, f.new) for f in garbage.fields} == {
        "department_id": ("D01 环卫中心", "D02 市政管理处"), "parent": ("E01 市容环境", "E02 街面秩序")}
    added = diff.by_code("E0102")
    assert added.field("parent").new == "E01 市容环境" and added.field("handle_limit").new == (2.0, "work_day")
    flat = list(cx.changes_table(diff))
    assert ("changed", "C0102", "污水井盖", 3, "handle_limit", (2.0, "work_hour"), (4.0, "work_hour")) in flat

    result = cx.apply_import(engine, "admin", diff)
    assert (result.added, result.changed, result.moved, result.retired) == (2, 2, 1, 0)
    m = cat(engine, "C0102")
    assert (m.handle_limit, m.handle_unit) == (4, "work_hour")
    g = cat(engine, "E0101")
    e02 = cat(engine, "E02")
    assert g.department_id == city.depts["MUN"] and g.parent_id == e02.id and g.path == f"{e02.path}{g.id}/"
    assert e02.is_leaf is False and e02.depth == 1 and e02.kind == "event"
    new = cat(engine, "E0102")
    assert (new.department_id, new.command_level, new.check_limit, new.check_unit, new.is_leaf, new.filing_condition) == (
        city.depts["SAN"], "street", 1, "work_hour", True, "占道堆放物料")
    rows = audit_rows(engine)
    assert ("C0102", "handle_limit", "2 work_hour", "4 work_hour") in rows
    assert ("E0101", "department", "D01 环卫中心", "D02 市政管理处") in rows
    assert ("E0101", "parent", "E01 市容环境", "E02 街面秩序") in rows
    assert rows[-1][:2] == ("import", "excel")
    with session_factory(engine)() as s:
        last = s.scalars(select(ChangeLog).order_by(ChangeLog.seq.desc())).first()
    assert (last.entity, last.action, last.user_id) == ("category", "import", city.users["admin"])
    # the result exports to the same sheet: importing it again changes nothing
    assert cx.preview_import(engine, export(engine, tmp_path, "again.xlsx")).is_empty


def test_a_category_left_out_is_retired_and_comes_back(engine, city, tmp_path):
    path = export(engine, tmp_path)
    edit(path, lambda ws, col: ws.delete_rows(row_of(ws, col, "E0101")))
    diff = cx.preview_import(engine, path)
    assert [(c.action, c.code) for c in diff.changes] == [("retired", "E0101")]
    cx.apply_import(engine, "admin", diff)
    assert cat(engine, "E0101").retired and not cat(engine, "E01").retired
    # the cases filed with it keep it; the sheet brings it back
    full = export(engine, tmp_path, "full.xlsx")

    def add_back(ws, col):
        n = ws.max_row + 1
        for k, v in {"类型": "事件", "大类": "市容环境", "代码": "E0101", "名称": "暴露垃圾", "责任部门": "D01"}.items():
            ws.cell(n, col[k]).value = v
    edit(full, add_back)
    diff = cx.preview_import(engine, full)
    assert [(c.action, c.code) for c in diff.changes] == [("restored", "E0101")]
    cx.apply_import(engine, "admin", diff)
    assert not cat(engine, "E0101").retired


def test_a_leaves_only_sheet_keeps_the_classes_it_names(engine, city, tmp_path):
    path = export(engine, tmp_path)

    def leaves_only(ws, col):
        for code in ("E01", "C01"):
            ws.delete_rows(row_of(ws, col, code))
    edit(path, leaves_only)
    assert cx.preview_import(engine, path).is_empty


MALFORMED = {
    "missing column": (lambda ws, col: ws.delete_cols(col["处置时限单位"]), 1, "处置时限单位", "missing column"),
    "unknown department": (lambda ws, col: setattr(ws.cell(row_of(ws, col, "E0101"), col["责任部门"]), "value", "绿化队"),
                           5, "责任部门", "unknown department"),
    "negative limit": (lambda ws, col: setattr(ws.cell(row_of(ws, col, "C0102"), col["处置时限"]), "value", -2),
                       3, "处置时限", "negative"),
    "unknown unit": (lambda ws, col: setattr(ws.cell(row_of(ws, col, "C0102"), col["核查时限单位"]), "value", "周"),
                     3, "核查时限单位", "unknown unit"),
    "duplicate code": (lambda ws, col: setattr(ws.cell(row_of(ws, col, "E0101"), col["代码"]), "value", "C0102"),
                       5, "代码", "duplicate code (also on row 3)"),
    "unknown major class": (lambda ws, col: setattr(ws.cell(row_of(ws, col, "E0101"), col["大类"]), "value", "园林绿化"),
                            5, "大类", "unknown major class"),
    "limit without unit": (lambda ws, col: setattr(ws.cell(row_of(ws, col, "C0102"), col["立案时限单位"]), "value", None),
                           3, "立案时限单位", "a unit is needed"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_a_malformed_sheet_is_refused_naming_row_and_column(engine, city, tmp_path, case):
    fn, row, column, reason = MALFORMED[case]
    path = edit(export(engine, tmp_path), fn)
    before = counts(engine)
    with pytest.raises(cx.CatalogueSheetRejected) as err:
        cx.preview_import(engine, path)
    problems = err.value.problems
    assert [(p.row, p.column) for p in problems] == [(row, column)], problems
    assert reason in problems[0].reason
    assert f"row {row}, column {column}" in str(err.value)
    assert counts(engine) == before


def test_apply_refuses_a_preview_made_stale_by_another_change(engine, city, tmp_path):
    path = edit(export(engine, tmp_path), lambda ws, col: setattr(ws.cell(row_of(ws, col, "C0102"), col["处置时限"]), "value", 3))
    diff = cx.preview_import(engine, path)
    catmod.update_category(engine, "admin", city.cats["GARBAGE"], {"name": "暴露垃圾（生活）"})
    before = counts(engine)
    with pytest.raises(ConfigConflict):
        cx.apply_import(engine, "admin", diff)
    assert counts(engine) == before
    with pytest.raises(Exception) as err:
        cx.apply_import(engine, "disp", cx.preview_import(engine, path))
    assert getattr(err.value, "kind", "") == "forbidden"
    assert counts(engine) == before


def test_demo_catalogue_round_trip(db_url, tmp_path):
    from gridstation.store.db import make_engine

    build_demo(db_url, cases=500, now=datetime(2026, 3, 6, 18, 0))
    engine = make_engine(db_url)
    try:
        path = export(engine, tmp_path)
        assert cx.preview_import(engine, path).is_empty
        n_before, _ = category_checksum(engine)

        def change(ws, col):
            r = row_of(ws, col, "0109")  # 路灯: 2 → 3 working days, to 供电公司
            ws.cell(r, col["处置时限"]).value = 3
            ws.cell(r, col["责任部门"]).value = "供电公司"
            n = ws.max_row + 1
            for k, v in {"类型": "部件", "大类": "公用设施", "代码": "0199", "名称": "充电桩", "责任部门": "供电公司",
                         "处置时限": 2, "处置时限单位": "工作日"}.items():
                ws.cell(n, col[k]).value = v
        edit(path, change)
        diff = cx.preview_import(engine, path)
        assert diff.summary()["added"] == 1 and diff.summary()["changed"] == 1
        assert {f.field for f in diff.by_code("0109").fields} == {"handle_limit", "department_id"}
        cx.apply_import(engine, "admin", diff)
        assert category_checksum(engine)[0] == n_before + 1
        lamp = cat(engine, "0109")
        assert (lamp.handle_limit, lamp.handle_unit) == (3, "work_day")
    finally:
        engine.dispose()


def test_command_line_export_preview_and_apply(engine, db_url, city, tmp_path, capsys):
    import argparse

    from gridstation.cli.catalogue import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))

    def run(*argv) -> int:
        args = parser.parse_args(list(argv))
        args.db = db_url
        return args.func(args)

    path = tmp_path / "cli.xlsx"
    assert run("catalogue", "export", str(path)) == 0
    assert "4 categories written" in capsys.readouterr().out
    edit(path, lambda ws, col: setattr(ws.cell(row_of(ws, col, "C0102"), col["处置时限"]), "value", 3))
    before = counts(engine)
    assert run("catalogue", "import", str(path)) == 0  # a preview only
    out = capsys.readouterr().out
    assert "1 changed" in out and "handle_limit: 2 work_hour -> 3 work_hour" in out and "--yes" in out
    assert counts(engine) == before
    assert run("catalogue", "import", str(path), "--yes", "--as", "admin") == 0
    assert "applied: 0 added, 1 changed" in capsys.readouterr().out
    assert cat(engine, "C0102").handle_limit == 3
