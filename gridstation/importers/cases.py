"""Case history (历史案件) from a previous system's CSV or Excel export.

Column mapping. Headers are matched case-insensitively against the names below (the first
one present wins); ``mapping`` / ``--map key=列名,...`` names any other header:

=============== ============================================== ===========================================
key             accepted headers                                value
=============== ============================================== ===========================================
number          案件编号, 案件号, 编号, case_number              unique, at most 20 characters (required)
source          案件来源, 来源, 问题来源                           监督员上报/热线/公众举报/视频监控 or
                                                                supervisor/hotline/public/camera
                                                                (default supervisor)
category        类别编码, 案件类别编码, 小类编码, category_code   a category code of the catalogue (or its
                                                                exact name); required once filed
reported        上报时间, reported_at                            date and time (required)
verified        核实时间, verified_at                            optional (hotline/public reports)
filed           立案时间, filed_at                               …
dispatched      派遣时间, dispatched_at
handled         处置时间, 反馈时间, handled_at
checked         核查时间, checked_at
closed          结案时间, closed_at
voided          作废时间, voided_at
parked          挂账时间, parked_at                              only for a case still parked
department      处置部门编码, 处置部门, 部门编码, department      department code or name; required once
                                                                dispatched
grid            网格编码, 单元网格编码, grid_code                 a grid code, else give lon/lat
lon / lat       经度 / 纬度                                       WGS84 degrees: the grid is found by point
state           案件状态, 状态, state                            待核实/待立案/待派遣/处置中/挂账/待核查/待结案/
                                                                已结案/已作废 or the English state names;
                                                                empty: inferred from the last stage time
description     问题描述, 描述                                    text (≤ 2,000 characters)
address         地址, 位置描述                                    text (≤ 255 characters)
reporter_name   上报人, 举报人                                    text (≤ 64)
reporter_phone  联系电话                                          text (≤ 32)
=============== ============================================== ===========================================

Dates: ISO (``2024-03-05 14:20[:00]``), ``2024/3/5 14:20`` and Excel date cells are accepted.
Row numbers in messages count the header as row 1 (as Excel shows them).

Checks per row: the number is unique (in the file and the database); every time parses; stage
times are in order (reported ≤ verified ≤ filed ≤ dispatched ≤ [parked ≤] handled ≤ checked ≤
closed, voided after the report); the times present fit the state (a closed case has filed,
dispatched, handled, checked and closed times; a voided one a void time and no dispatch; …);
category and department exist; the grid exists (the grid row valid on the report day, else the
current one) or the point lies in a grid; the state is valid.

Each imported case gets the ``case_event`` rows the workflow would have written (report,
verify, file, void, dispatch, request_park/approve_park, feedback, recheck, close, with from
and to states, positions and departments), its counters (dispatch_count, park_count, version),
the deadline of every stage it reached (``timelimits.start_clock`` with the category's limits
and the center's working calendar) and, if still open, the running clock. Imported events have
no user (the old system's people are not accounts here); the report event's data names the
import batch. The day counters (``counter`` "case:YYYYMMDD") move past imported numbers of the
form YYYYMMDDnnnnn, so new cases never collide with them.

Speed: pandas parses, plain Python builds row dicts, ids are reserved up front (PostgreSQL
sequences / SQLite max id under the write lock) and rows go in with Core ``executemany`` in
chunks (PostgreSQL: COPY). 100,000 cases take well under a minute on either database.
"""

from __future__ import annotations

import re
import time
from collections import Counter as Tally
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import insert, select, text, update
from sqlalchemy.orm import Session

from gridstation.analytics import rollup
from gridstation.store import limits
from gridstation.store.cells import unquote
from gridstation.store.db import is_postgres
from gridstation.store.model import (
    Case,
    CaseEvent,
    CaseRequest,
    CaseSource,
    CaseState,
    Category,
    CommandLevel,
    Counter,
    Department,
    Position,
    RequestKind,
    Stage,
    UnitGrid,
)
from gridstation.geo.model import ImportKind
from gridstation.worktime.center_calendar import load_calendar
from gridstation.geo.spatial import NO_GRID, GridIndex
from gridstation.worktime.timelimits import STAGE_OF_STATE, apply_clock, start_clock
from gridstation.importers.common import (
    ImportRejected,
    ImportReport,
    Problem,
    announce_batch,
    cell,
    check_mapping,
    parse_mapping,
    pick_field,
    run_in_transaction,
    write_batch,
)
from gridstation.importers.readers import read_table

S = CaseState
TIME_KEYS = ["reported", "verified", "filed", "dispatched", "parked", "handled", "checked", "closed", "voided"]
KEYS = [
    "number",
    "source",
    "category",
    *TIME_KEYS,
    "department",
    "grid",
    "lon",
    "lat",
    "state",
    "description",
    "address",
    "reporter_name",
    "reporter_phone",
]
ALIASES = {
    "number": ["案件编号", "案件号", "编号", "case_number", "ajbh"],
    "source": ["案件来源", "来源", "问题来源"],
    "category": ["类别编码", "案件类别编码", "小类编码", "category_code", "问题类别"],
    "reported": ["上报时间", "reported_at", "发现时间"],
    "verified": ["核实时间", "verified_at"],
    "filed": ["立案时间", "filed_at"],
    "dispatched": ["派遣时间", "dispatched_at"],
    "parked": ["挂账时间", "parked_at"],
    "handled": ["处置时间", "反馈时间", "处置完成时间", "handled_at"],
    "checked": ["核查时间", "checked_at"],
    "closed": ["结案时间", "closed_at"],
    "voided": ["作废时间", "voided_at"],
    "department": ["处置部门编码", "处置部门", "部门编码", "责任部门", "department_code"],
    "grid": ["网格编码", "单元网格编码", "单元网格", "grid_code"],
    "lon": ["经度", "longitude", "x"],
    "lat": ["纬度", "latitude", "y"],
    "state": ["案件状态", "状态"],
    "description": ["问题描述", "描述", "案件描述"],
    "address": ["地址", "位置描述", "发生地址"],
    "reporter_name": ["上报人", "举报人"],
    "reporter_phone": ["联系电话", "电话"],
}
LABELS = {
    "number": "案件编号",
    "source": "案件来源",
    "category": "类别编码",
    "reported": "上报时间",
    "verified": "核实时间",
    "filed": "立案时间",
    "dispatched": "派遣时间",
    "parked": "挂账时间",
    "handled": "处置时间",
    "checked": "核查时间",
    "closed": "结案时间",
    "voided": "作废时间",
    "department": "处置部门",
    "grid": "网格编码",
    "lon": "经度",
    "lat": "纬度",
    "state": "案件状态",
    "description": "问题描述",
    "address": "地址",
    "reporter_name": "上报人",
    "reporter_phone": "联系电话",
}
SOURCE_NAMES = {
    "监督员上报": "supervisor",
    "监督员": "supervisor",
    "巡查上报": "supervisor",
    "热线": "hotline",
    "热线电话": "hotline",
    "12345": "hotline",
    "市民热线": "hotline",
    "12319": "hotline",
    "公众举报": "public",
    "公众": "public",
    "市民举报": "public",
    "公众上报": "public",
    "app": "public",
    "视频监控": "camera",
    "视频": "camera",
    "摄像头": "camera",
    "视频巡查": "camera",
}
STATE_NAMES = {
    "待核实": "to_verify",
    "待立案": "to_file",
    "待派遣": "to_dispatch",
    "处置中": "handling",
    "已派遣": "handling",
    "挂账": "parked",
    "待核查": "to_check",
    "待结案": "to_close",
    "已结案": "closed",
    "结案": "closed",
    "已作废": "voided",
    "作废": "voided",
}
SOURCE_LABELS = {"supervisor": "监督员上报", "hotline": "热线", "public": "公众举报", "camera": "视频监控"}
STATE_LABELS = {v: k for k, v in STATE_NAMES.items() if k not in ("结案", "作废", "已派遣")}
STATE_LABELS["self_review"] = "自处理待审核"

# Times a state requires and forbids (beyond "reported", always required).
_REQUIRES = {
    "to_verify": (),
    "to_file": (),
    "to_dispatch": ("filed",),
    "handling": ("filed", "dispatched"),
    "parked": ("filed", "dispatched", "parked"),
    "to_check": ("filed", "dispatched", "handled"),
    "to_close": ("filed", "dispatched", "handled", "checked"),
    "closed": ("filed", "dispatched", "handled", "checked", "closed"),
    "voided": ("voided",),
}
_FORBIDS = {
    "to_verify": ("verified", "filed", "dispatched", "parked", "handled", "checked", "closed", "voided"),
    "to_file": ("filed", "dispatched", "parked", "handled", "checked", "closed", "voided"),
    "to_dispatch": ("dispatched", "parked", "handled", "checked", "closed", "voided"),
    "handling": ("parked", "handled", "checked", "closed", "voided"),
    "parked": ("handled", "checked", "closed", "voided"),
    "to_check": ("parked", "checked", "closed", "voided"),
    "to_close": ("parked", "closed", "voided"),
    "closed": ("parked", "voided"),
    "voided": ("dispatched", "parked", "handled", "checked", "closed"),
}
_ORDER = ["reported", "verified", "filed", "dispatched", "parked", "handled", "checked", "closed"]
CHUNK = 10_000
# Free-text columns and their bounds (``store.limits``): a longer cell is refused with its row.
TEXT_LIMITS = {
    "description": limits.DESCRIPTION,
    "address": limits.ADDRESS,
    "reporter_name": limits.PERSON_NAME,
    "reporter_phone": limits.PHONE,
}
WHAT = "case history"


class _Row:
    """A case being built; ``apply_clock`` writes onto it like onto an ORM object."""

    def __init__(self, **kw):
        self.__dict__.update(kw)


class _Cat:
    """What ``start_clock`` needs of a category, without an ORM object per case."""

    def __init__(self, row):
        self.id, self.code, self.command_level, self.is_leaf = row.id, row.code, row.command_level, row.is_leaf
        for st in ("file", "dispatch", "handle", "check", "close"):
            setattr(self, f"{st}_limit", getattr(row, f"{st}_limit"))
            setattr(self, f"{st}_unit", getattr(row, f"{st}_unit"))

    def limit(self, stage):
        s = Stage(stage).value
        return getattr(self, f"{s}_limit"), getattr(self, f"{s}_unit")


def _parse_times(values: list[str]) -> list[datetime | None]:
    """Strings → naive datetimes (None for empty; ``False`` where a non-empty cell does not parse)."""
    s = pd.Series(values, dtype=object).fillna("").astype(str).str.strip()
    empty = s == ""
    parsed = pd.to_datetime(s.where(~empty, None), errors="coerce", format="ISO8601")
    retry = parsed.isna() & ~empty
    if retry.any():
        parsed.loc[retry] = pd.to_datetime(s[retry].str.replace("/", "-", regex=False), errors="coerce", format="mixed")
    out: list = []
    for v, e in zip(parsed.tolist(), empty.tolist()):
        if e:
            out.append(None)
        elif v is pd.NaT or v is None or (isinstance(v, float) and np.isnan(v)):
            out.append(False)
        else:
            if getattr(v, "tzinfo", None) is not None:
                v = v.tz_localize(None)
            out.append(v.to_pydatetime().replace(microsecond=0) if hasattr(v, "to_pydatetime") else v)
    return out


def _reserve_ids(session: Session, table: str, n: int) -> list[int]:
    """``n`` fresh ids for ``table``: from its sequence on PostgreSQL, after max(id) on SQLite
    (the import holds SQLite's write lock, so nobody else can take them)."""
    if n == 0:
        return []
    if is_postgres(session.get_bind()):
        return list(
            session.execute(
                text(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, :n)"), {"n": n}
            ).scalars()
        )
    start = (session.execute(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}")).scalar() or 0) + 1
    return list(range(start, start + n))


def _bulk(session: Session, model, rows: list[dict]) -> None:
    """Rows into a table in chunks: COPY on PostgreSQL, Core executemany elsewhere."""
    if not rows:
        return
    table = model.__table__
    if is_postgres(session.get_bind()):
        import json

        cols = list(rows[0].keys())
        json_cols = {c.name for c in table.columns if c.type.__class__.__name__ == "JSON"}
        raw = session.connection().connection.driver_connection
        with raw.cursor() as cur:
            with cur.copy(f"COPY {table.name} ({', '.join(cols)}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(
                        [
                            json.dumps(r[c], ensure_ascii=False) if c in json_cols and r[c] is not None else r[c]
                            for c in cols
                        ]
                    )
        return
    # Straight to the driver with the columns' own bind processors (the values stored are
    # exactly what Core would store), without Core's per-row parameter machinery: about half
    # of the insert time of a large history.
    cols = list(rows[0].keys())
    dialect = session.get_bind().dialect
    procs = [table.c[c].type._cached_bind_processor(dialect) for c in cols]
    pairs = list(zip(cols, procs))
    sql = f"INSERT INTO {table.name} ({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})"
    cur = session.connection().connection.driver_connection.cursor()
    try:
        for i in range(0, len(rows), CHUNK):
            cur.executemany(
                sql, [tuple(p(r[c]) if p is not None else r[c] for c, p in pairs) for r in rows[i : i + CHUNK]]
            )
    finally:
        cur.close()


def import_case_rows(
    session: Session,
    rows,
    *,
    mapping: dict | str | None = None,
    skip_bad: bool = False,
    file_name: str = "",
    user_id: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Check and write historical cases in the caller's transaction.

    ``rows``: a pandas DataFrame of text cells or a list of dicts (``_row`` = the row number to
    quote in messages). Raises ``ImportRejected`` with every problem (row, column, value,
    reason) and writes nothing, unless ``skip_bad``. The drill-down and evaluation summaries
    of the imported period are rebuilt in the same transaction: they commit with the rows or
    not at all (never stale after an interrupted import). ``progress`` gets a line per phase.
    """
    t0 = time.perf_counter()

    def say(msg: str) -> None:
        if progress is not None:
            progress(f"{msg} ({time.perf_counter() - t0:.1f} s)")
    if isinstance(rows, pd.DataFrame):
        df = rows
    else:
        df = pd.DataFrame(list(rows))
    if "_row" not in df.columns:
        df = df.assign(_row=range(2, len(df) + 2))
    mapping = parse_mapping(mapping)
    fields = [c for c in df.columns if not str(c).startswith("_")]
    check_mapping(fields, mapping, KEYS, file_name, WHAT)
    col = {k: pick_field(fields, k, mapping, ALIASES) for k in KEYS}
    missing = [LABELS[k] for k in ("number", "reported") if col[k] is None]
    if col["grid"] is None and (col["lon"] is None or col["lat"] is None):
        missing.append("网格编码 or 经度/纬度")
    if missing:
        raise ImportRejected(
            WHAT,
            file_name,
            [
                Problem("file", m, "", "required column missing (see the column mapping; --map key=列名)")
                for m in missing
            ],
        )
    n = len(df)

    def column(key) -> list[str]:
        c = col[key]
        if c is None:
            return [""] * n
        # unquote: our CSV exports write a text that starts with = + - @ as '=… (store.cells)
        return [unquote(cell(v)) for v in df[c].tolist()]

    say(f"checking {n:,} rows")
    vals = {k: column(k) for k in KEYS}
    times = {k: _parse_times(vals[k]) if col[k] else [None] * n for k in TIME_KEYS}
    rownums = df["_row"].tolist()

    # reference data
    cats = {}
    cat_by_name: dict[str, list] = {}
    for r in session.execute(select(Category)).scalars():
        c = _Cat(r)
        cats[r.code] = c
        cat_by_name.setdefault(r.name, []).append(c)
    depts: dict[str, int] = {}
    for did, code, name in session.execute(select(Department.id, Department.code, Department.name)):
        depts.setdefault(code, did)
        depts.setdefault(name, did)
    from gridstation.store.model import User

    # 挂账 requests need a requester: the importing user, else a handler of the department,
    # else an administrator.
    handler_of: dict[int, int] = {}
    for uid, did in session.execute(
        select(User.id, User.department_id)
        .where(User.position == Position.DEPT_HANDLER.value, User.department_id.is_not(None))
        .order_by(User.id)
    ):
        handler_of.setdefault(did, uid)
    fallback_user = (
        user_id
        or session.execute(
            select(User.id).where(User.position == Position.ADMIN.value).order_by(User.id).limit(1)
        ).scalar()
    )
    grids_by_code: dict[str, list] = {}
    for g in session.execute(
        select(
            UnitGrid.id, UnitGrid.code, UnitGrid.valid_from, UnitGrid.valid_to, UnitGrid.center_lon, UnitGrid.center_lat
        )
    ):
        grids_by_code.setdefault(g.code, []).append(g)
    centers = {g.id: (g.center_lon, g.center_lat) for gs in grids_by_code.values() for g in gs}
    numbers = vals["number"]
    existing: set[str] = set()
    uniq = sorted({x for x in numbers if x})
    for i in range(0, len(uniq), 900):
        existing.update(session.execute(select(Case.number).where(Case.number.in_(uniq[i : i + 900]))).scalars())

    # points → grids, in the grid layer of the report day (else the current one)
    lons = np.full(n, np.nan)
    lats = np.full(n, np.nan)
    point_bad: set[int] = set()
    if col["lon"] and col["lat"]:
        for i, (a, b) in enumerate(zip(vals["lon"], vals["lat"])):
            if a or b:
                try:
                    lons[i], lats[i] = float(a), float(b)
                except ValueError:
                    point_bad.add(i)
    need_point = [i for i in range(n) if not vals["grid"][i] and np.isfinite(lons[i])]
    point_grid: dict[int, int] = {}
    if need_point:
        hist = GridIndex.from_session(session, history=True)
        days = np.array(
            [times["reported"][i] if times["reported"][i] else datetime(1970, 1, 1) for i in need_point],
            dtype="datetime64[D]",
        )
        at_day = hist.locate_many(lons[need_point], lats[need_point], at=days)
        cur = GridIndex.from_session(session).locate_many(lons[need_point], lats[need_point])
        for i, a, c in zip(need_point, at_day, cur):
            gid = a if a != NO_GRID else c
            if gid != NO_GRID:
                point_grid[i] = int(gid)

    problems: list[Problem] = []
    good: list[tuple] = []
    seen: dict[str, int] = {}
    for i in range(n):
        number = numbers[i]
        where = f"row {rownums[i]}" + (f" ({number})" if number else "")
        errs: list[Problem] = []

        def bad(key, value, reason, errs=errs, where=where):
            errs.append(Problem(where, col.get(key) or LABELS.get(key, key), value, reason))

        if not number:
            bad("number", "", "no case number")
        elif len(number) > 20:
            bad("number", number, "at most 20 characters")
        elif number in existing:
            bad("number", number, "a case with this number exists already")
        elif number in seen:
            bad("number", number, f"duplicate number: row {rownums[seen[number]]} has it too")
        else:
            seen[number] = i
        t = {}
        for k in TIME_KEYS:
            v = times[k][i]
            if v is False:
                bad(k, vals[k][i], "not a date and time (e.g. 2024-03-05 14:20)")
            elif v is not None:
                t[k] = v
        if "reported" not in t and times["reported"][i] is None:
            bad("reported", "", "the report time is required")
        src_raw = vals["source"][i]
        source = (
            SOURCE_NAMES.get(src_raw, SOURCE_NAMES.get(src_raw.lower(), src_raw.lower())) if src_raw else "supervisor"
        )
        if source not in SOURCE_LABELS:
            bad("source", src_raw, "source is 监督员上报, 热线, 公众举报 or 视频监控")
        st_raw = vals["state"][i]
        if st_raw:
            state = STATE_NAMES.get(st_raw, st_raw.lower())
            if state not in _REQUIRES:
                bad(
                    "state",
                    st_raw,
                    "state is one of 待核实, 待立案, 待派遣, 处置中, 挂账, 待核查, 待结案, 已结案, 已作废",
                )
                state = None
        else:
            state = _infer_state(t, source)
        if state is not None and "reported" in t:
            for k in _REQUIRES[state]:
                if k not in t:
                    bad(k, "", f"a case in state {STATE_LABELS.get(state, state)} needs its {LABELS[k]}")
            for k in _FORBIDS[state]:
                if k in t:
                    bad(k, vals[k][i], f"a case in state {STATE_LABELS.get(state, state)} cannot have a {LABELS[k]}")
            if state == "to_verify" and source == "supervisor":
                bad(
                    "state",
                    st_raw,
                    "a supervisor's report is not verified (待核实 is for hotline/public/camera reports)",
                )
            prev = None
            for k in _ORDER:
                if k in t:
                    if prev is not None and t[k] < t[prev]:
                        bad(k, vals[k][i], f"{LABELS[k]} is before {LABELS[prev]} ({t[prev]:%Y-%m-%d %H:%M:%S})")
                    prev = k
            if "voided" in t:
                last = max(t[k] for k in ("reported", "verified", "filed") if k in t)
                if t["voided"] < last:
                    bad(
                        "voided",
                        vals["voided"][i],
                        f"{LABELS['voided']} is before the case's last step ({last:%Y-%m-%d %H:%M:%S})",
                    )
        cat = None
        cv = vals["category"][i]
        if cv:
            cat = cats.get(cv)
            if cat is None:
                hits = cat_by_name.get(cv, [])
                cat = hits[0] if len(hits) == 1 else None
            if cat is None:
                bad("category", cv, "no category with this code in the catalogue")
            elif not cat.is_leaf:
                bad("category", cv, "a case's category is a leaf of the catalogue, not a branch")
                cat = None
        elif "filed" in t:
            bad("category", "", "a filed case needs its category")
        dept = None
        dv = vals["department"][i]
        if dv:
            dept = depts.get(dv)
            if dept is None:
                bad("department", dv, "no department with this code or name")
        elif "dispatched" in t:
            bad("department", "", "a dispatched case needs its department")
        grid_id = None
        gv = vals["grid"][i]
        if gv:
            rows_g = grids_by_code.get(gv)
            if not rows_g:
                bad("grid", gv, "no unit grid with this code")
            else:
                day = t["reported"].date() if "reported" in t else date.today()
                at = [g for g in rows_g if g.valid_from <= day and (g.valid_to is None or day < g.valid_to)]
                now = [g for g in rows_g if g.valid_to is None]
                grid_id = (at or now or sorted(rows_g, key=lambda g: g.valid_from)[-1:])[0].id
        elif i in point_bad:
            bad("lon", f"{vals['lon'][i]}, {vals['lat'][i]}", "longitude/latitude are not numbers")
        elif not np.isfinite(lons[i]):
            bad("grid", "", "give the grid code or the point (经度/纬度)")
        else:
            grid_id = point_grid.get(i)
            if grid_id is None:
                bad("lon", f"{vals['lon'][i]}, {vals['lat'][i]}", "the point lies in no unit grid")
        requester = None
        if "parked" in t and dept is not None:
            requester = user_id or handler_of.get(dept) or fallback_user
            if requester is None:
                bad(
                    "parked",
                    vals["parked"][i],
                    "a parked case's 挂账 request needs an account: import with a user, or add a handler of the department first",
                )
        for key, limit in TEXT_LIMITS.items():
            why = limits.too_long(vals[key][i], limit)
            if why:
                bad(key, vals[key][i][:40] + "…", why)
        if errs:
            problems += errs
            continue
        good.append((i, number, source, state, t, cat, dept, grid_id, requester))

    if problems and not skip_bad:
        raise ImportRejected(
            WHAT, file_name, problems, "Fix the file, or import with --skip-bad to leave the bad rows out."
        )
    report = ImportReport(kind=ImportKind.CASES.value, file_name=file_name, read=n, skipped=problems)

    # ------------------------------------------------------------------ build rows
    say(f"{len(good):,} rows good, building cases and events")
    cal = load_calendar(session)
    n_events = sum(_event_count(g[3], g[2], g[4]) for g in good)
    report.imported = len(good)
    report.details = {"events": n_events, "by_state": dict(sorted(Tally(g[3] for g in good).items())),
                      "earliest": min((g[4]["reported"].isoformat() for g in good), default=None)}
    batch = write_batch(session, ImportKind.CASES.value, report, user_id=user_id, announce=False)
    case_ids = _reserve_ids(session, "cases", len(good))
    event_ids = iter(_reserve_ids(session, "case_event", n_events))
    n_parked = sum(1 for g in good if g[3] == "parked")
    request_ids = iter(_reserve_ids(session, "case_request", n_parked))
    case_rows: list[dict] = []
    events: list[dict] = []
    requests: list[dict] = []
    day_max: dict[str, int] = {}
    for (i, number, source, state, t, cat, dept, grid_id, requester), cid in zip(good, case_ids):
        if re.fullmatch(r"\d{13}", number):
            d, q = number[:8], int(number[8:])
            if q > day_max.get(d, 0):
                day_max[d] = q
        lon, lat = (float(lons[i]), float(lats[i])) if np.isfinite(lons[i]) else centers.get(grid_id, (None, None))
        level = cat.command_level if cat else None
        c = _Row(
            id=cid,
            number=number,
            source=source,
            category_id=cat.id if cat else None,
            component_id=None,
            lon=lon,
            lat=lat,
            address=vals["address"][i],
            grid_id=grid_id,
            description=vals["description"][i],
            reporter_name=vals["reporter_name"][i],
            reporter_phone=vals["reporter_phone"][i],
            reported_by_id=None,
            state=None,
            command_level=level,
            current_department_id=None,
            assignee_id=None,
            reported_at=t["reported"],
            verified_at=None,
            filed_at=t.get("filed"),
            dispatched_at=t.get("dispatched"),
            handled_at=t.get("handled"),
            checked_at=t.get("checked"),
            closed_at=t.get("closed"),
            voided_at=t.get("voided"),
            file_deadline=None,
            dispatch_deadline=None,
            handle_deadline=None,
            check_deadline=None,
            close_deadline=None,
            stage=None,
            stage_started_at=None,
            stage_limit_minutes=None,
            stage_unit=None,
            extension_minutes=0.0,
            parked_minutes=0.0,
            parked_at=None,
            warn_at=None,
            due_at=None,
            urged=False,
            urge_count=0,
            dispatch_count=0,
            return_count=0,
            rework_count=0,
            extension_count=0,
            park_count=0,
            pending_request_id=None,
            version=0,
            updated_at=t["reported"],
            updated_by_id=None,
        )

        def ev(at, position, action, frm, to, data=None, department=None, c=c, cid=cid):
            events.append(
                {
                    "id": next(event_ids),
                    "case_id": cid,
                    "at": at,
                    "user_id": None,
                    "position": position,
                    "action": action,
                    "from_state": frm,
                    "to_state": to,
                    "department_id": department,
                    "note": "",
                    "data": data,
                }
            )
            c.state = to
            c.version += 1
            c.updated_at = at

        supervisor = source == CaseSource.SUPERVISOR.value
        first = S.TO_FILE.value if supervisor else S.TO_VERIFY.value
        ev(
            t["reported"],
            Position.SUPERVISOR.value if supervisor else Position.INTAKE_OPERATOR.value,
            "report",
            None,
            first,
            {"source": source, "import_batch": batch},
        )
        if supervisor:
            c.verified_at = t["reported"]
        c.file_deadline = start_clock(cal, Stage.FILE, cat, t["reported"]).due_at
        if not supervisor:
            vt = t.get("verified") or (t.get("filed") if state not in ("to_verify",) else None)
            if vt is None and state == "to_file":
                vt = t["reported"]
            if vt is not None:
                ev(vt, Position.SUPERVISOR.value, "verify", S.TO_VERIFY.value, S.TO_FILE.value, {"confirmed": True})
                c.verified_at = vt
        if "filed" in t:
            ev(
                t["filed"],
                Position.SHIFT_LEADER.value,
                "file",
                S.TO_FILE.value,
                S.TO_DISPATCH.value,
                {"category_id": cat.id, "command_level": level},
            )
            c.dispatch_deadline = start_clock(cal, Stage.DISPATCH, cat, t["filed"]).due_at
        if "voided" in t:
            ev(t["voided"], Position.SHIFT_LEADER.value, "void", c.state, S.VOIDED.value)
        if "dispatched" in t:
            c.current_department_id = dept
            disp = Position.STREET_DISPATCHER.value if level == CommandLevel.STREET.value else Position.DISPATCHER.value
            ev(t["dispatched"], disp, "dispatch", S.TO_DISPATCH.value, S.HANDLING.value, {"department_id": dept}, dept)
            c.dispatch_count = 1
            c.handle_deadline = start_clock(cal, Stage.HANDLE, cat, t["dispatched"]).due_at
            if "parked" in t:
                rid = next(request_ids)
                requests.append(
                    {
                        "id": rid,
                        "case_id": cid,
                        "kind": RequestKind.PARK.value,
                        "requested_by_id": requester,
                        "requested_at": t["parked"],
                        "reason": "历史数据导入",
                        "hours": None,
                        "decided_by_id": None,
                        "decided_at": t["parked"],
                        "approved": True,
                        "decision_note": "",
                    }
                )
                ev(
                    t["parked"],
                    Position.DEPT_HANDLER.value,
                    "request_park",
                    S.HANDLING.value,
                    S.HANDLING.value,
                    {"request_id": rid},
                    dept,
                )
                ev(
                    t["parked"],
                    disp,
                    "approve_park",
                    S.HANDLING.value,
                    S.PARKED.value,
                    {"request_id": rid, "kind": RequestKind.PARK.value},
                    dept,
                )
                c.park_count = 1
                c.parked_at = t["parked"]
        if "handled" in t:
            ev(t["handled"], Position.DEPT_HANDLER.value, "feedback", S.HANDLING.value, S.TO_CHECK.value, None, dept)
            c.check_deadline = start_clock(cal, Stage.CHECK, cat, t["handled"]).due_at
        if "checked" in t:
            ev(
                t["checked"],
                Position.SUPERVISOR.value,
                "recheck",
                S.TO_CHECK.value,
                S.TO_CLOSE.value,
                {"fixed": True},
                dept,
            )
            c.close_deadline = start_clock(cal, Stage.CLOSE, cat, t["checked"]).due_at
        if "closed" in t:
            ev(t["closed"], Position.SHIFT_LEADER.value, "close", S.TO_CLOSE.value, S.CLOSED.value, None, dept)
        assert c.state == state, (number, c.state, state)
        # the running stage's clock (none once closed or voided)
        stage = STAGE_OF_STATE[state]
        if stage is None:
            apply_clock(c, None)
        else:
            started = {
                Stage.FILE: t["reported"],
                Stage.DISPATCH: t.get("filed"),
                Stage.HANDLE: t.get("dispatched"),
                Stage.CHECK: t.get("handled"),
                Stage.CLOSE: t.get("checked"),
            }[stage]
            apply_clock(c, start_clock(cal, stage, cat, started))
        case_rows.append(c.__dict__)

    assert len(events) == n_events
    say(f"writing {len(case_rows):,} cases")
    _bulk(session, Case, case_rows)
    say(f"writing {len(events):,} events")
    _bulk(session, CaseEvent, events)
    _bulk(session, CaseRequest, requests)
    _advance_counters(session, day_max)
    earliest = report.details.get("earliest")
    if case_rows and earliest is not None:
        # The imported history joins the drill-down and evaluation summaries (from its first
        # month on), in this same transaction.
        say("rebuilding the summaries")
        session.flush()
        rollup.rebuild_in(session.connection(), since=datetime.fromisoformat(earliest), progress=progress)
    announce_batch(session, ImportKind.CASES.value, batch, user_id)
    say("committing")
    report.seconds = time.perf_counter() - t0
    return report


def _infer_state(t: dict, source: str) -> str:
    if "closed" in t:
        return "closed"
    if "voided" in t:
        return "voided"
    if "checked" in t:
        return "to_close"
    if "handled" in t:
        return "to_check"
    if "parked" in t:
        return "parked"
    if "dispatched" in t:
        return "handling"
    if "filed" in t:
        return "to_dispatch"
    if source == "supervisor" or "verified" in t:
        return "to_file"
    return "to_verify"


def _event_count(state: str, source: str, t: dict) -> int:
    n = 1  # report
    if source != "supervisor" and (t.get("verified") or "filed" in t or state == "to_file"):
        n += 1
    n += sum(1 for k in ("voided", "filed", "dispatched", "handled", "checked", "closed") if k in t)
    if "parked" in t:
        n += 2
    return n


def _advance_counters(session: Session, day_max: dict[str, int]) -> None:
    """Move the day counters past imported numbers YYYYMMDDnnnnn (new numbers never collide)."""
    if not day_max:
        return
    names = {f"case:{d}": v for d, v in day_max.items()}
    have = dict(session.execute(select(Counter.name, Counter.value).where(Counter.name.in_(list(names)))).all())
    new = [{"name": k, "value": v} for k, v in names.items() if k not in have]
    if new:
        session.execute(insert(Counter), new)
    for k, v in names.items():
        if k in have and have[k] < v:
            session.execute(update(Counter).where(Counter.name == k).values(value=v))


def import_cases(
    db,
    path: str | Path,
    *,
    mapping=None,
    skip_bad: bool = False,
    sheet=0,
    user_id: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    """Import a case-history file (.csv/.xlsx) and its summaries in one transaction."""
    t0 = time.perf_counter()
    if progress is not None:
        progress(f"reading {Path(path).name}")
    df = read_table(path, sheet=sheet)
    df = df.assign(_row=range(2, len(df) + 2))
    report = run_in_transaction(
        db,
        lambda s: import_case_rows(
            s, df, mapping=mapping, skip_bad=skip_bad, file_name=Path(path).name, user_id=user_id, progress=progress
        ),
    )
    report.seconds = time.perf_counter() - t0
    return report


__all__ = ["ALIASES", "LABELS", "SOURCE_LABELS", "STATE_LABELS", "import_case_rows", "import_cases"]
