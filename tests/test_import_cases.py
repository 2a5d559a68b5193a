"""Case-history import: consistent events, clocks and counters, so imported cases behave like
native ones; refusals naming row, column, value and reason; exports that re-import."""

from __future__ import annotations

import shutil
from datetime import datetime

import pandas as pd
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import gridstation.geo.model  # noqa: F401
from gridstation.store.db import make_engine
from gridstation.exchange.exporters import export_cases
from gridstation.importers import ImportRejected
from gridstation.importers.cases import import_case_rows, import_cases
from gridstation.store.model import Case, CaseEvent, CaseRequest, Category, ChangeLog, Counter, Stage
from gridstation.worktime.center_calendar import load_calendar
from gridstation.worktime.timelimits import start_clock
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city
from tests.test_import_grids import snapshot

H = [
    "案件编号",
    "案件来源",
    "类别编码",
    "上报时间",
    "核实时间",
    "立案时间",
    "派遣时间",
    "挂账时间",
    "处置时间",
    "核查时间",
    "结案时间",
    "作废时间",
    "处置部门",
    "网格编码",
    "经度",
    "纬度",
    "案件状态",
    "问题描述",
    "地址",
]


def history_rows(city) -> list[dict]:
    lon, lat = city.point("G1b")
    rows = [
        # a closed supervisor case, district level
        [
            "2024030500001",
            "监督员上报",
            "C0102",
            "2024-03-05 09:10",
            "",
            "2024-03-05 09:15",
            "2024-03-05 09:20",
            "",
            "2024-03-05 10:40",
            "2024-03-05 11:00",
            "2024-03-05 11:10",
            "",
            "D02",
            "410105001001001",
            "",
            "",
            "已结案",
            "井盖缺失",
            "花园路8号",
        ],
        # a hotline report voided before verification
        [
            "2024030500002",
            "热线",
            "",
            "2024/3/5 10:00",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "2024/3/5 10:20",
            "",
            "",
            str(lon),
            str(lat),
            "已作废",
            "重复举报",
            "",
        ],
        # a street-level case still being handled (state inferred)
        [
            "2024030500007",
            "公众举报",
            "E0101",
            "2024-03-05 14:00:00",
            "2024-03-05 14:20:00",
            "2024-03-05 14:30:00",
            "2024-03-05 14:35:00",
            "",
            "",
            "",
            "",
            "",
            "S101",
            "",
            str(lon),
            str(lat),
            "",
            "暴露垃圾",
            "",
        ],
        # parked
        [
            "2024030600001",
            "supervisor",
            "C0102",
            "2024-03-06 09:00",
            "",
            "2024-03-06 09:05",
            "2024-03-06 09:10",
            "2024-03-07 10:00",
            "",
            "",
            "",
            "",
            "市政管理处",
            "410105002001001",
            "",
            "",
            "挂账",
            "井盖下沉",
            "",
        ],
        # waiting for verification
        [
            "2024030600002",
            "视频监控",
            "",
            "2024-03-06 11:00",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "410105002001002",
            "",
            "",
            "待核实",
            "占道经营",
            "",
        ],
        # waiting to be closed
        [
            "2024030600003",
            "监督员上报",
            "E0101",
            "2024-03-06 12:00",
            "",
            "2024-03-06 12:05",
            "2024-03-06 12:10",
            "",
            "2024-03-06 15:00",
            "2024-03-06 15:30",
            "",
            "",
            "S101",
            "410105001001002",
            "",
            "",
            "待结案",
            "垃圾",
            "",
        ],
    ]
    return [dict(zip(H, r)) for r in rows]


def write_csv(path, rows):
    pd.DataFrame(rows, columns=H).to_csv(path, index=False, encoding="utf-8-sig")
    return path


def test_imported_history_is_consistent_and_workable(engine, tmp_path):
    city = build_mini_city(engine)
    rep = import_cases(engine, write_csv(tmp_path / "history.csv", history_rows(city)))
    assert rep.imported == 6 and rep.details["by_state"] == {
        "closed": 1,
        "handling": 1,
        "parked": 1,
        "to_close": 1,
        "to_verify": 1,
        "voided": 1,
    }
    with Session(engine) as s:
        cases = {c.number: c for c in s.scalars(select(Case))}
        ev = {}
        for e in s.scalars(select(CaseEvent).order_by(CaseEvent.case_id, CaseEvent.at, CaseEvent.id)):
            ev.setdefault(e.case_id, []).append(e)
        closed = cases["2024030500001"]
        assert [(e.action, e.from_state, e.to_state) for e in ev[closed.id]] == [
            ("report", None, "to_file"),
            ("file", "to_file", "to_dispatch"),
            ("dispatch", "to_dispatch", "handling"),
            ("feedback", "handling", "to_check"),
            ("recheck", "to_check", "to_close"),
            ("close", "to_close", "closed"),
        ]
        assert closed.grid_id == city.grids["G1a"] and closed.current_department_id == city.depts["MUN"]
        assert closed.dispatch_count == 1 and closed.version == 6 and closed.stage is None and closed.due_at is None
        assert ev[closed.id][2].department_id == city.depts["MUN"] and ev[closed.id][2].position == "dispatcher"
        cal = load_calendar(s)
        cat = s.get(Category, city.cats["MANHOLE"])
        assert closed.handle_deadline == start_clock(cal, Stage.HANDLE, cat, datetime(2024, 3, 5, 9, 20)).due_at
        assert closed.file_deadline == start_clock(cal, Stage.FILE, cat, datetime(2024, 3, 5, 9, 10)).due_at
        assert closed.close_deadline == start_clock(cal, Stage.CLOSE, cat, datetime(2024, 3, 5, 11, 0)).due_at

        voided = cases["2024030500002"]
        assert [(e.action, e.to_state) for e in ev[voided.id]] == [("report", "to_verify"), ("void", "voided")]
        assert voided.grid_id == city.grids["G1b"] and voided.voided_at == datetime(2024, 3, 5, 10, 20)

        handling = cases["2024030500007"]
        assert handling.state == "handling" and handling.command_level == "street"
        assert [e.action for e in ev[handling.id]] == ["report", "verify", "file", "dispatch"]
        assert ev[handling.id][3].position == "street_dispatcher"
        garbage = s.get(Category, city.cats["GARBAGE"])
        clock = start_clock(cal, Stage.HANDLE, garbage, datetime(2024, 3, 5, 14, 35))
        assert handling.stage == "handle" and handling.due_at == clock.due_at and handling.warn_at == clock.warn_at

        parked = cases["2024030600001"]
        assert parked.state == "parked" and parked.park_count == 1 and parked.pending_request_id is None
        assert [e.action for e in ev[parked.id]][-2:] == ["request_park", "approve_park"]
        req = s.scalars(select(CaseRequest).where(CaseRequest.case_id == parked.id)).one()
        assert req.kind == "park" and req.approved is True
        assert cases["2024030600002"].state == "to_verify" and cases["2024030600002"].stage == "file"
        # the day counter moved past the imported numbers
        assert s.get(Counter, "case:20240305").value == 7
        assert s.scalar(select(ChangeLog.entity).order_by(ChangeLog.seq.desc()).limit(1)) == "import"
        assert ev[closed.id][0].data["import_batch"] == rep.batch_id

    # imported open cases go on around the loop like native ones
    wf = Workflow(engine)
    r = wf.feedback("h_s1", handling.id, note="已清理")
    assert r.state == "to_check"
    r = wf.close("shift", cases["2024030600003"].id)
    assert r.state == "closed"
    r = wf.resume("disp", parked.id)
    assert r.state == "handling"


def test_a_wrong_date_refuses_the_whole_file(engine, tmp_path):
    city = build_mini_city(engine)
    rows = history_rows(city)
    rows[1]["上报时间"] = "2024-13-45 10:00"  # row 3 of the file
    rows[2]["派遣时间"] = "2024-03-05 14:10:00"  # before 立案时间
    rows[3]["类别编码"] = "X9999"
    rows[4]["案件编号"] = rows[0]["案件编号"]
    rows[5]["处置部门"] = "无此部门"
    path = write_csv(tmp_path / "bad.csv", rows)
    before = snapshot(engine)
    with pytest.raises(ImportRejected) as ei:
        import_cases(engine, path)
    assert snapshot(engine) == before
    e = ei.value
    msg = str(e)
    assert "row 3 (2024030500002): 上报时间 = '2024-13-45 10:00': not a date" in msg
    assert "row 4 (2024030500007): 派遣时间" in msg and "before 立案时间" in msg
    assert "row 5 (2024030600001): 类别编码 = 'X9999'" in msg
    assert "row 6 (2024030500001): 案件编号" in msg and "duplicate number: row 2" in msg
    assert "row 7 (2024030600003): 处置部门 = '无此部门'" in msg
    assert {p.where.split(" ")[1] for p in e.problems} == {"3", "4", "5", "6", "7"}

    rep = import_cases(engine, path, skip_bad=True)
    assert rep.imported == 1 and rep.skipped_count == 5
    with Session(engine) as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 1


def test_state_must_fit_the_times_and_numbers_stay_unique(engine, tmp_path):
    city = build_mini_city(engine)
    rows = history_rows(city)
    rows[0]["核查时间"] = ""  # closed without re-check
    rows[2]["案件状态"] = "已结案"  # handling times only
    rows[4]["案件状态"] = "不知道"
    with pytest.raises(ImportRejected) as ei:
        import_cases(engine, write_csv(tmp_path / "s.csv", rows))
    msg = str(ei.value)
    assert "row 2 (2024030500001): 核查时间: a case in state 已结案 needs its 核查时间" in msg
    assert "row 4 (2024030500007)" in msg and "needs its 结案时间" in msg
    assert "row 6 (2024030600002): 案件状态 = '不知道'" in msg
    import_cases(engine, write_csv(tmp_path / "ok.csv", history_rows(city)))
    with pytest.raises(ImportRejected, match="exists already"):
        import_cases(engine, write_csv(tmp_path / "again.csv", history_rows(city)[:1]))


def test_excel_and_mapping_and_export_round_trip(engine, tmp_path, sqlite_template):
    city = build_mini_city(engine)
    rows = history_rows(city)
    df = pd.DataFrame(rows, columns=H).rename(columns={"案件编号": "工单号", "网格编码": "所在网格"})
    xlsx = tmp_path / "history.xlsx"
    df.to_excel(xlsx, index=False)
    with pytest.raises(ImportRejected, match="案件编号"):
        import_cases(engine, xlsx)
    rep = import_cases(engine, xlsx, mapping="number=工单号,grid=所在网格")
    assert rep.imported == 6

    out_csv, out_xlsx = tmp_path / "out.csv", tmp_path / "out.xlsx"
    with Session(engine) as s:
        assert export_cases(s, out_csv) == 6
        assert export_cases(s, out_xlsx, where=[Case.state == "closed"]) == 1
        ids = list(s.scalars(select(Case.id).limit(2)))
        assert export_cases(s, tmp_path / "two.csv", ids=ids) == 2
    raw = out_csv.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "案件编号".encode() in raw
    import openpyxl

    ws = openpyxl.load_workbook(out_xlsx).active
    assert ws.cell(1, 1).value == "案件编号" and ws.cell(2, 1).value == "2024030500001"

    # the export re-imports into another database with the same city
    other = tmp_path / "other.db"
    shutil.copy(sqlite_template, other)
    eng2 = make_engine(f"sqlite:///{other}")
    try:
        build_mini_city(eng2)
        rep = import_cases(eng2, out_csv)
        assert rep.imported == 6
        with Session(engine) as a, Session(eng2) as b:
            cols = ("number", "state", "grid_id", "reported_at", "closed_at", "voided_at", "due_at", "handle_deadline")
            q = select(*[getattr(Case, c) for c in cols]).order_by(Case.number)
            assert a.execute(q).all() == b.execute(q).all()
    finally:
        eng2.dispose()


def test_in_memory_rows_for_the_demo(engine):
    city = build_mini_city(engine)
    with Session(engine) as s, s.begin():
        rep = import_case_rows(s, history_rows(city)[:2])
    assert rep.imported == 2


def test_imported_history_joins_the_rollups(engine, tmp_path):
    """Imported cases feed drill-down and evaluation exactly as native ones: the summaries
    are rebuilt from the first imported day on."""
    from sqlalchemy import func, select

    from gridstation.store.db import session_factory
    from gridstation.analytics.model import RollupCaseDay

    city = build_mini_city(engine)
    rep = import_cases(engine, write_csv(tmp_path / "history.csv", history_rows(city)))
    with session_factory(engine)() as s:
        reported = s.scalar(select(func.coalesce(func.sum(RollupCaseDay.reported), 0)))
        closed = s.scalar(select(func.coalesce(func.sum(RollupCaseDay.closed), 0)))
    assert reported == rep.imported
    assert closed == rep.details["by_state"].get("closed", 0)
