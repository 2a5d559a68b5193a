"""Exports never hand a spreadsheet a formula (OWASP CSV injection): a description that
starts with = + - @ tab or CR is text in Excel and quoted in CSV; numbers stay numbers."""

from __future__ import annotations

import csv

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.admin import catalogue_excel as cx
from gridstation.cli.evaluate import write_xlsx
from gridstation.exchange.exporters import export_cases
from gridstation.importers.cases import import_cases
from gridstation.store.cells import csv_safe, is_dangerous, unquote
from gridstation.store.model import Case, Category
from tests.minicity import build_mini_city
from tests.test_import_cases import history_rows, write_csv

EVIL = '=HYPERLINK("http://evil.example/x","点击查看")'


def test_cell_rules():
    for v in ("=1+1", "+1+1", "-1+cmd", "@SUM(A1)", "\tx", "\rx"):
        assert is_dangerous(v) and csv_safe(v) == "'" + v and unquote(csv_safe(v)) == v
    for v in ("-12.5", "+86", "1e5", "井盖缺失", "", 3, -2.5, None, "a=b"):
        assert not is_dangerous(v) and csv_safe(v) == v
    assert unquote("'hello") == "'hello"  # only our own quote before a trigger is removed


def test_imported_formula_description_exports_as_text(engine, tmp_path):
    city = build_mini_city(engine)
    rows = history_rows(city)
    rows[0]["问题描述"] = EVIL
    rows[1]["问题描述"] = "-井盖缺失"
    rows[1]["地址"] = "@花园路"
    import_cases(engine, write_csv(tmp_path / "history.csv", rows))

    with Session(engine) as s:
        assert s.scalar(select(Case.description).where(Case.number == rows[0]["案件编号"])) == EVIL
        n = export_cases(s, tmp_path / "cases.xlsx")
        export_cases(s, tmp_path / "cases.csv")
    ws = load_workbook(tmp_path / "cases.xlsx").active
    headers = [c.value for c in ws[1]]
    desc, lon = headers.index("问题描述") + 1, headers.index("经度") + 1
    cells = {ws.cell(row=r, column=1).value: ws.cell(row=r, column=desc) for r in range(2, n + 2)}
    c = cells[rows[0]["案件编号"]]
    assert c.value == EVIL and c.data_type == "s"  # text, exactly as typed; not a formula ("f")
    assert cells[rows[1]["案件编号"]].data_type == "s"
    assert all(ws.cell(row=r, column=lon).data_type == "n" for r in range(2, n + 2) if ws.cell(row=r, column=lon).value)
    # no cell of the sheet is a formula
    assert not [x.coordinate for row in ws.iter_rows() for x in row if x.data_type == "f"]

    with open(tmp_path / "cases.csv", encoding="utf-8-sig", newline="") as f:
        out = {r["案件编号"]: r for r in csv.DictReader(f)}
    assert out[rows[0]["案件编号"]]["问题描述"] == "'" + EVIL
    assert out[rows[1]["案件编号"]]["地址"] == "'@花园路"
    assert not any(v.startswith(("=", "+", "@")) for r in out.values() for v in r.values())


def test_csv_export_reimports_as_it_was(engine, tmp_path):
    city = build_mini_city(engine)
    rows = history_rows(city)
    rows[0]["问题描述"] = EVIL
    import_cases(engine, write_csv(tmp_path / "history.csv", rows))
    with Session(engine) as s:
        export_cases(s, tmp_path / "cases.csv")
        s.execute(Case.__table__.update().values(number=Case.number + "x"))  # free the numbers
        s.commit()
    import_cases(engine, tmp_path / "cases.csv")
    with Session(engine) as s:
        assert s.scalar(select(Case.description).where(Case.number == rows[0]["案件编号"])) == EVIL


def test_evaluation_and_catalogue_exports_are_safe(engine, tmp_path):
    write_xlsx(tmp_path / "ev.xlsx", ["名称", "得分"], [["=cmd|' /C calc'!A0", 91.5], ["-", -3]])
    ws = load_workbook(tmp_path / "ev.xlsx").active
    assert ws["A2"].data_type == "s" and ws["B2"].data_type == "n" and ws["B3"].value == -3

    build_mini_city(engine)
    with Session(engine) as s:
        cat = s.scalars(select(Category).where(Category.is_leaf)).first()
        cat.name = "=1+2"
        s.commit()
    cx.export_catalogue(engine, tmp_path / "cat.xlsx")
    wb = load_workbook(tmp_path / "cat.xlsx")
    formulas = [x.coordinate for ws in wb for row in ws.iter_rows() for x in row if x.data_type == "f"]
    assert formulas == []
    assert "=1+2" in [x.value for row in wb.active.iter_rows() for x in row]
