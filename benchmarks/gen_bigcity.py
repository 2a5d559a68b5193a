"""A big synthetic city in PostgreSQL for the drill-down benchmark (used by bench_drilldown.py).

    python benchmarks/gen_bigcity.py [--cases 10000000] [--years 5] [--grids 5000] [--db gs_bench_10m] [--drop]

What it writes, all with set-based SQL inside PostgreSQL (nothing per row in Python):

* the territory: 1 city → 10 districts → 10 streets each → 5 communities each → 10 unit grids
  each (5,000 grids), 220 departments, 50 leaf categories, a few hundred staff;
* ``cases``: N rows over the last ``years`` years by ``INSERT … SELECT generate_series`` in two
  parallel sessions (the machine has 2 cores), with secondary indexes and foreign-key triggers
  off during the load and rebuilt after. Each case gets a plausible life from random numbers:
  source mix 70/18/8/4 %, 5 % voided, returns, reworks, extensions, parking and urging at a few
  per cent, handling times from a log-normal, the cases of the last days still open (some
  overdue);
* ``rollup_case_day`` (a GROUP BY over cases) and ``rollup_grid_month`` (a GROUP BY over that),
  written in day / month order as the live system appends them (a period's rows lie together),
  and the region tables (``rollup_region_day`` / ``_month``) summed from those. For the cases
  without events these rows come from the case rows with a simplified model (all of a case's
  facts in one row under its current department; working minutes to close approximated as
  7/24 of the clock minutes);
* ``case_event`` for the cases of the last ``--event-months`` months (default 6: 854,000 cases,
  5.0 million events at 10 million cases), told from each case's row as the workflow writes
  them (report, file, returns and reworks before the last dispatch, dispatch, extension,
  urging, parking, feedback, re-check, close, or void), so ``gridstation rollup rebuild
  --since <first month>`` rebuilds those months from events the way production fills them.
  Events for all 10 million cases would be ~60 million rows; a center keeps its recent history
  hot and the rebuild of a few months is what it runs.

The database is kept between runs: when it exists with the expected number of cases (recorded
in the ``setting`` row ``bench_bigcity``) nothing is regenerated. ``--drop`` removes it.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg
from psycopg.types.json import Jsonb

from gridstation.schema import upgrade
from gridstation.analytics.model import CASE_COUNTERS, HIST_COLUMNS

ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
MARK = "bench_bigcity"
N_DISTRICTS, N_STREETS, N_COMMUNITIES, N_GRIDS_PER = 10, 10, 5, 10
N_CATEGORIES = 50


def pg_url(dbname: str, admin: str = ADMIN) -> str:
    base = admin.rsplit("/", 1)[0]
    return f"{base}/{dbname}"


def exists(dbname: str, admin: str = ADMIN) -> bool:
    with psycopg.connect(admin, autocommit=True) as c:
        return c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone() is not None


def drop(dbname: str, admin: str = ADMIN) -> None:
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')


def ready(dbname: str, cases: int, admin: str = ADMIN) -> dict | None:
    """The generation record if the database holds the expected data, else None."""
    if not exists(dbname, admin):
        return None
    try:
        with psycopg.connect(pg_url(dbname, admin)) as c:
            row = c.execute("SELECT value FROM setting WHERE key = %s", (MARK,)).fetchone()
    except psycopg.Error:
        return None
    if row and row[0] and row[0].get("cases") == cases and row[0].get("complete"):
        return row[0]
    return None


def migrate(dbname: str, admin: str = ADMIN) -> None:
    """Bring a kept database to the current schema (a migration that adds a derived table fills
    it from the existing rollups), then analyse what it added."""
    t0 = time.perf_counter()
    upgrade(pg_url(dbname, admin).replace("postgresql://", "postgresql+psycopg://"))
    with psycopg.connect(pg_url(dbname, admin), autocommit=True) as c:
        for t in ("rollup_region_day", "rollup_region_month"):
            if c.execute("SELECT last_analyze IS NULL AND last_autoanalyze IS NULL FROM pg_stat_user_tables "
                         "WHERE relname = %s", (t,)).fetchone()[0]:
                c.execute(f"VACUUM ANALYZE {t}")
    say(f"schema current ({time.perf_counter() - t0:.1f} s)")


def say(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def _territory(c: psycopg.Connection, now: datetime) -> None:
    c.execute("""INSERT INTO region_level(depth, key, name, name_en) VALUES
        (1, 'city', '市', 'City'), (2, 'district', '区', 'District'), (3, 'street', '街道', 'Street'),
        (4, 'community', '社区', 'Community')""")
    regions, grids = [], []
    rid = 0

    def add(code, name, depth, parent):
        nonlocal rid
        rid += 1
        path = (parent[4] if parent else "/") + f"{rid}/"
        r = (rid, code, name, depth, path, parent[0] if parent else None)
        regions.append(r)
        return (rid, code, name, depth, path)

    city = add("990100", "基准市", 1, None)
    gid = 0
    for d in range(1, N_DISTRICTS + 1):
        dist = add(f"9901{d:02d}", f"第{d}区", 2, city)
        for s in range(1, N_STREETS + 1):
            st = add(f"{dist[1]}{s:03d}", f"第{d}区{s}街道", 3, dist)
            for m in range(1, N_COMMUNITIES + 1):
                cm = add(f"{st[1]}{m:03d}", f"{st[2]}{m}社区", 4, st)
                for g in range(1, N_GRIDS_PER + 1):
                    gid += 1
                    x0 = 113.0 + (gid % 100) * 0.0011
                    y0 = 34.0 + (gid // 100) * 0.0009
                    geom = {"type": "Polygon", "coordinates": [[[x0, y0], [x0 + 0.0011, y0], [x0 + 0.0011, y0 + 0.0009],
                                                                [x0, y0 + 0.0009], [x0, y0]]]}
                    grids.append((gid, f"{cm[1]}{g:03d}", f"{cm[2]}{g}号网格", cm[0], Jsonb(geom), 10000.0,
                                  x0 + 0.00055, y0 + 0.00045, x0, y0, x0 + 0.0011, y0 + 0.0009))
    with c.cursor() as cur:
        cur.executemany("INSERT INTO region(id, code, name, depth, path, parent_id, active) VALUES (%s,%s,%s,%s,%s,%s,true)",
                        regions)
        cur.executemany(
            "INSERT INTO unit_grid(id, code, name, region_id, geometry, area_m2, center_lon, center_lat, min_lon, "
            "min_lat, max_lon, max_lat, valid_from) VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s, DATE '2015-01-01')",
            grids)
    c.execute("""INSERT INTO department(id, code, name, level, active, contact)
        SELECT g, 'D' || g, '专业部门' || g, 'district', true, '' FROM generate_series(1, 20) g""")
    c.execute("""INSERT INTO department(id, code, name, level, region_id, active, contact)
        SELECT 20 + g, 'S' || g, '街道单位' || g, 'street', r.id, true, ''
        FROM generate_series(1, 200) g
        JOIN (SELECT id, row_number() OVER (ORDER BY id) AS rn FROM region WHERE depth = 3) r ON r.rn = (g + 1) / 2""")
    c.execute("""INSERT INTO category(id, code, name, kind, depth, path, is_leaf, pinyin, command_level, urgent, retired,
            filing_condition, closing_condition)
        VALUES (1, 'E', '事件', 'event', 0, '/1/', false, '', 'district', false, false, '', '')""")
    c.execute("""INSERT INTO category(id, code, name, kind, parent_id, depth, path, is_leaf, pinyin, department_id,
            command_level, file_limit, file_unit, dispatch_limit, dispatch_unit, handle_limit, handle_unit,
            check_limit, check_unit, close_limit, close_unit, urgent, retired, filing_condition, closing_condition)
        SELECT 1 + g, 'E' || lpad(g::text, 3, '0'), '类别' || g, 'event', 1, 1, '/1/' || (1 + g) || '/', true, '',
               1 + mod(g, 20), 'district', 30, 'minute', 30, 'minute', 1, 'work_day', 60, 'minute', 30, 'minute',
               false, false, '', ''
        FROM generate_series(1, %s) g""", (N_CATEGORIES,))
    c.execute("""INSERT INTO app_user(id, login, name, position, password_hash, active, phone)
        SELECT g, 'u' || g, '用户' || g, CASE WHEN g <= 100 THEN 'supervisor' WHEN g <= 105 THEN 'intake_operator'
               WHEN g <= 108 THEN 'shift_leader' ELSE 'dispatcher' END, 'x', true, ''
        FROM generate_series(1, 120) g""")
    c.execute("INSERT INTO setting(key, value) VALUES ('work_hours', %s)", (Jsonb([["09:00", "12:00"], ["13:30", "17:30"]]),))


# A case's life from random numbers. u1..u6 are independent uniforms; reported_at grows with g.
CASE_SQL = """
INSERT INTO cases (id, number, source, category_id, lon, lat, address, grid_id, description, reporter_name,
    reporter_phone, reported_by_id, state, command_level, current_department_id, reported_at, verified_at,
    filed_at, dispatched_at, handled_at, checked_at, closed_at, voided_at, handle_deadline, close_deadline,
    stage, due_at, extension_minutes, parked_minutes, urged, urge_count, dispatch_count, return_count,
    rework_count, extension_count, park_count, version, updated_at)
SELECT g, 'B' || lpad(g::text, 12, '0'), src, cat, 113.0, 34.0, '', grid, '', '', '', 1 + mod(g, 100), st, 'district',
    CASE WHEN disp > 0 THEN dept END, rep, rep, filed, dispd, handled,
    CASE WHEN st = 'closed' THEN handled + interval '30 minutes' END,
    CASE WHEN st = 'closed' THEN handled + interval '50 minutes' END,
    CASE WHEN st = 'voided' THEN rep + interval '25 minutes' END,
    CASE WHEN disp > 0 THEN dispd + interval '1 day' END,
    CASE WHEN st = 'closed' THEN handled + interval '60 minutes' END,
    CASE WHEN st IN ('handling', 'to_check', 'to_dispatch', 'parked') THEN 'handle' END,
    CASE WHEN st IN ('handling', 'to_check', 'to_dispatch', 'parked') THEN rep + (u5 * 6 - 2) * interval '1 day' END,
    0, 0, false, (u6 < 0.025)::int, disp, ret, rew, (u6 > 0.98)::int, (st = 'parked' OR u6 BETWEEN 0.5 AND 0.51)::int,
    1, rep
FROM (
    SELECT g, src, cat, grid, dept, rep, u5, u6, st,
        CASE WHEN st = 'voided' THEN NULL ELSE rep + interval '20 minutes' END AS filed,
        CASE WHEN st IN ('voided', 'to_dispatch') THEN NULL ELSE rep + interval '35 minutes' END AS dispd,
        CASE WHEN st IN ('closed', 'to_check') THEN rep + interval '35 minutes' + work END AS handled,
        CASE WHEN st IN ('voided', 'to_dispatch') THEN 0 ELSE 1 + ret + rew END AS disp,
        ret, rew
    FROM (
        SELECT g, src, cat, grid, dept, rep, u5, u6, work,
            CASE WHEN u3 < 0.05 THEN 'voided'
                 WHEN rep > %(now)s - interval '12 days'
                      AND u4 < extract(epoch FROM rep - (%(now)s - interval '12 days')) / (12 * 86400.0)
                     THEN (ARRAY['to_dispatch', 'handling', 'handling', 'to_check', 'parked'])[1 + mod(floor(u5 * 5)::int, 5)]
                 WHEN u6 BETWEEN 0.5 AND 0.5015 THEN 'parked'
                 ELSE 'closed' END AS st,
            (u4 < 0.02)::int AS ret, (u4 BETWEEN 0.3 AND 0.33)::int AS rew
        FROM (
            SELECT g,
                CASE WHEN u1 < 0.70 THEN 'supervisor' WHEN u1 < 0.88 THEN 'hotline' WHEN u1 < 0.96 THEN 'public'
                     ELSE 'camera' END AS src,
                2 + floor(u2 * %(ncat)s)::int AS cat,
                1 + floor(%(grids)s * power(u3b, 1.4))::int AS grid,
                1 + floor(u5 * 220)::int AS dept,
                %(start)s + (g - 1) * %(step)s + u2 * interval '1 hour' AS rep,
                u3, u4, u5, u6,
                interval '1 minute' * exp(5.5 + 1.1 * sqrt(-2 * ln(greatest(u7, 1e-12))) * cos(6.2831853 * u8)) AS work
            FROM (
                SELECT g, random() AS u1, random() AS u2, random() AS u3, random() AS u3b, random() AS u4,
                       random() AS u5, random() AS u6, random() AS u7, random() AS u8
                FROM generate_series(%(lo)s::bigint, %(hi)s::bigint) g
            ) r
        ) a
    ) b
) c
"""


def _hist_sql(bucket: str) -> str:
    return ", ".join(f"sum(({bucket} = {i})::int)" for i in range(len(HIST_COLUMNS)))


def generate(dbname: str, cases: int, years: int, admin: str = ADMIN, now: datetime | None = None) -> dict:
    now = (now or datetime.now()).replace(microsecond=0, second=0)
    t0 = time.perf_counter()
    drop(dbname, admin)
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{dbname}"')
    url = pg_url(dbname, admin)
    say(f"migrating {dbname}")
    upgrade(url.replace("postgresql://", "postgresql+psycopg://"))
    with psycopg.connect(url) as c:
        _territory(c, now)
        c.execute("INSERT INTO setting(key, value) VALUES (%s, %s)", (MARK, Jsonb({"cases": cases, "complete": False})))
    say("territory written")
    # drop the secondary indexes of cases for the load
    with psycopg.connect(url, autocommit=True) as c:
        idx = c.execute("""SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases'
                           AND indexname NOT IN ('pk_cases', 'uq_cases_number')""").fetchall()
        for name, _ in idx:
            c.execute(f'DROP INDEX "{name}"')
    start = now - timedelta(days=round(365.25 * years))
    step = (now - timedelta(hours=2) - start) / cases
    parts = 2
    bounds = [(1 + i * cases // parts, (i + 1) * cases // parts) for i in range(parts)]
    errors = []

    def load(lo: int, hi: int) -> None:
        try:
            with psycopg.connect(url) as c:
                c.execute("SET session_replication_role = replica")  # no FK triggers during the load
                c.execute("SET synchronous_commit = off")
                chunk = 1_000_000
                for a in range(lo, hi + 1, chunk):
                    b = min(hi, a + chunk - 1)
                    c.execute(CASE_SQL, {"lo": a, "hi": b, "now": now, "start": start, "step": step,
                                         "ncat": N_CATEGORIES, "grids": N_DISTRICTS * N_STREETS * N_COMMUNITIES * N_GRIDS_PER})
                    c.commit()
                    say(f"  cases {a:,} .. {b:,}")
        except Exception as e:  # noqa: BLE001
            errors.append(e)

    say(f"loading {cases:,} cases in {parts} sessions")
    threads = [threading.Thread(target=load, args=b) for b in bounds]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    if errors:
        raise errors[0]
    t_cases = time.perf_counter() - t0
    say("rebuilding the indexes of cases")
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("SET maintenance_work_mem = '1GB'")
        for _, ddl in idx:
            c.execute(ddl)
        c.execute("SELECT setval(pg_get_serial_sequence('cases', 'id'), %s)", (cases,))
        c.execute("VACUUM ANALYZE cases")
    t_idx = time.perf_counter() - t0
    say("rollups: rollup_case_day from cases")
    mins = "(extract(epoch FROM (closed_at - reported_at)) / 60.0 * 7 / 24)::float8"
    counters = {
        "reported": "count(*)",
        "public_reports": "sum((source IN ('hotline', 'public'))::int)",
        "filed": "sum((filed_at IS NOT NULL)::int)",
        "voided": "sum((state = 'voided')::int)",
        "voided_filed": "sum((state = 'voided' AND filed_at IS NOT NULL)::int)",
        "dispatched": "sum((dispatch_count > 0)::int)",
        "handled": "sum((handled_at IS NOT NULL)::int)",
        "closed": "sum((state = 'closed')::int)",
        "closed_on_time": "sum((state = 'closed' AND handled_at <= handle_deadline)::int)",
        "dept_cases": "sum((dispatch_count > 0)::int)",
        "fed_back": "sum(CASE WHEN handled_at IS NOT NULL THEN 1 + rework_count ELSE 0 END)",
        "fed_back_on_time": "sum((handled_at <= handle_deadline)::int)",
        "reworks": "sum(rework_count)",
        "returns": "sum(return_count)",
        "extensions": "sum(extension_count)",
        "parked": "sum(park_count)",
        "parked_now": "sum((state = 'parked')::int)",
        "urged": "sum(urge_count)",
    }
    assert list(counters) == list(CASE_COUNTERS)
    cols = ", ".join(list(CASE_COUNTERS) + ["close_minutes"] + list(HIST_COLUMNS))
    bucket = "b"
    with psycopg.connect(url) as c:
        c.execute("SET work_mem = '512MB'")
        c.execute(f"""
            INSERT INTO rollup_case_day (day, grid_id, category_id, department_id, source, {cols})
            SELECT reported_at::date, grid_id,
                   CASE WHEN filed_at IS NULL AND state <> 'closed' THEN 0 ELSE category_id END,
                   coalesce(current_department_id, 0), source,
                   {", ".join(f"coalesce({x}, 0)" for x in counters.values())},
                   coalesce(sum(CASE WHEN state = 'closed' THEN round(m * 64) / 64 END), 0),
                   {_hist_sql(bucket)}
            FROM (
                SELECT *, CASE WHEN state <> 'closed' THEN -1 WHEN m < 1 THEN 0
                               ELSE least(31, 1 + floor(2 * ln(m) / ln(2.0))::int) END AS b
                FROM (SELECT reported_at, grid_id, category_id, current_department_id, source, state, filed_at,
                             dispatch_count, handled_at, handle_deadline, rework_count, return_count,
                             extension_count, park_count, urge_count, {mins} AS m
                      FROM cases OFFSET 0) x
                OFFSET 0
            ) y GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2""")
        c.commit()
        say("rollups: rollup_grid_month from rollup_case_day")
        sums = ", ".join(f"sum({x})" for x in list(CASE_COUNTERS) + ["close_minutes"] + list(HIST_COLUMNS))
        c.execute(f"""INSERT INTO rollup_grid_month (month, grid_id, {cols})
            SELECT date_trunc('month', day)::date, grid_id, {sums} FROM rollup_case_day GROUP BY 1, 2 ORDER BY 1, 2""")
        c.commit()
        say("rollups: rollup_region_day and rollup_region_month from the grid tables")
        rsums = ", ".join(f"sum(r.{x})" for x in list(CASE_COUNTERS) + ["close_minutes"] + list(HIST_COLUMNS))
        c.execute(f"""INSERT INTO rollup_region_day (day, region_id, {cols})
            SELECT r.day, g.region_id, {rsums} FROM rollup_case_day r JOIN unit_grid g ON g.id = r.grid_id
            GROUP BY 1, 2 ORDER BY 1, 2""")
        c.execute(f"""INSERT INTO rollup_region_month (month, region_id, {cols})
            SELECT r.month, g.region_id, {rsums} FROM rollup_grid_month r JOIN unit_grid g ON g.id = r.grid_id
            GROUP BY 1, 2 ORDER BY 1, 2""")
        c.commit()
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("VACUUM ANALYZE rollup_case_day")
        c.execute("VACUUM ANALYZE rollup_grid_month")
        c.execute("VACUUM ANALYZE rollup_region_day")
        c.execute("VACUUM ANALYZE rollup_region_month")
        c.execute("ANALYZE region")
        c.execute("ANALYZE unit_grid")
        n_day = c.execute("SELECT count(*) FROM rollup_case_day").fetchone()[0]
        n_month = c.execute("SELECT count(*) FROM rollup_grid_month").fetchone()[0]
        size = c.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
        record = {"cases": cases, "complete": True, "years": years, "now": now.isoformat(), "start": start.isoformat(),
                  "day_rows": n_day, "month_rows": n_month, "size": size,
                  "seconds": {"cases": round(t_cases), "indexes": round(t_idx - t_cases), "total": round(time.perf_counter() - t0)}}
        c.execute("UPDATE setting SET value = %s WHERE key = %s", (Jsonb(record), MARK))
    say(f"done: {record}")
    return record


# The events of one case, from its row: the life the generator gave it, told as the workflow
# would have written it (report, file, the returns and reworks before the last dispatch,
# dispatch, extension, urging, parking, feedback, re-check, close; or void). Users: 1..100
# supervisors, 101..105 intake operators, 106..108 shift leaders, 109.. dispatchers.
EVENT_SQL = """
INSERT INTO case_event (case_id, at, user_id, position, action, from_state, to_state, department_id, note, data)
SELECT c.id, e.at, e.uid, e.pos, e.action, NULL, e.to_state, e.dept, '', NULL
FROM cases c
CROSS JOIN LATERAL (VALUES
    (1, c.reported_at, c.reported_by_id, CASE WHEN c.source = 'supervisor' THEN 'supervisor' ELSE 'intake_operator' END,
        'report', 'to_file', NULL::int, true),
    (2, c.filed_at, 106, 'shift_leader', 'file', 'to_dispatch', NULL, c.filed_at IS NOT NULL),
    (3, c.voided_at, 106, 'shift_leader', 'void', 'voided', NULL, c.voided_at IS NOT NULL),
    (4, c.filed_at + interval '2 minutes', 109, 'dispatcher', 'dispatch', 'handling', c.current_department_id,
        c.return_count > 0 AND c.dispatched_at IS NOT NULL),
    (5, c.filed_at + interval '4 minutes', 109, 'dispatcher', 'approve_return', 'to_dispatch', c.current_department_id,
        c.return_count > 0 AND c.dispatched_at IS NOT NULL),
    (6, c.filed_at + interval '6 minutes', 109, 'dispatcher', 'dispatch', 'handling', c.current_department_id,
        c.rework_count > 0 AND c.dispatched_at IS NOT NULL),
    (7, c.filed_at + interval '8 minutes', NULL, 'dept_handler', 'feedback', 'to_check', c.current_department_id,
        c.rework_count > 0 AND c.dispatched_at IS NOT NULL),
    (8, c.filed_at + interval '10 minutes', 1, 'supervisor', 'recheck', 'to_dispatch', c.current_department_id,
        c.rework_count > 0 AND c.dispatched_at IS NOT NULL),
    (9, c.dispatched_at, 109, 'dispatcher', 'dispatch', 'handling', c.current_department_id, c.dispatched_at IS NOT NULL),
    (10, c.dispatched_at + interval '30 minutes', 109, 'dispatcher', 'approve_extension', 'handling',
        c.current_department_id, c.extension_count > 0 AND c.dispatched_at IS NOT NULL),
    (11, c.dispatched_at + interval '40 minutes', 120, 'dispatcher', 'urge', NULL, c.current_department_id,
        c.urge_count > 0 AND c.dispatched_at IS NOT NULL),
    (12, c.dispatched_at + interval '50 minutes', 109, 'dispatcher', 'approve_park', 'parked', c.current_department_id,
        c.park_count > 0 AND c.dispatched_at IS NOT NULL),
    (13, c.dispatched_at + interval '55 minutes', 109, 'dispatcher', 'resume', 'handling', c.current_department_id,
        c.park_count > 0 AND c.state <> 'parked' AND c.dispatched_at IS NOT NULL),
    (14, c.handled_at, NULL, 'dept_handler', 'feedback', 'to_check', c.current_department_id, c.handled_at IS NOT NULL),
    (15, c.checked_at, 1, 'supervisor', 'recheck', 'to_close', c.current_department_id, c.checked_at IS NOT NULL),
    (16, c.closed_at, 106, 'shift_leader', 'close', 'closed', c.current_department_id, c.closed_at IS NOT NULL)
) AS e(k, at, uid, pos, action, to_state, dept, present)
WHERE c.id BETWEEN %(lo)s AND %(hi)s AND e.present
ORDER BY c.id, e.k
"""


def add_events(dbname: str, months: int, admin: str = ADMIN) -> dict:
    """Write case events for the cases reported in the last ``months`` months (the share a
    center keeps its full history online for, and what a ``rollup rebuild --since`` replays),
    then record it. Returns the record's "events" part."""
    url = pg_url(dbname, admin)
    t0 = time.perf_counter()
    with psycopg.connect(url) as c:
        rec = c.execute("SELECT value FROM setting WHERE key = %s", (MARK,)).fetchone()[0]
        now = datetime.fromisoformat(rec["now"])
        since = (now.replace(day=1) - timedelta(days=1)).replace(day=1)
        for _ in range(months - 2):
            since = (since - timedelta(days=1)).replace(day=1)
        lo, hi = c.execute("SELECT min(id), max(id) FROM cases WHERE reported_at >= %s", (since,)).fetchone()
        c.execute("SET session_replication_role = replica")  # no FK or append-only triggers for the load
        c.execute("SET synchronous_commit = off")
        c.execute("DELETE FROM case_event WHERE case_id >= %s", (lo,))
        step = 200_000
        for a in range(lo, hi + 1, step):
            c.execute(EVENT_SQL, {"lo": a, "hi": min(hi, a + step - 1)})
            c.commit()
            say(f"  events of cases {a:,} .. {min(hi, a + step - 1):,}")
        n = c.execute("SELECT count(*) FROM case_event").fetchone()[0]
        info = {"months": months, "since": since.date().isoformat(), "cases": hi - lo + 1, "events": n,
                "seconds": round(time.perf_counter() - t0)}
        rec["events"] = info
        c.execute("UPDATE setting SET value = %s WHERE key = %s", (Jsonb(rec), MARK))
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("VACUUM ANALYZE case_event")
    say(f"events: {info}")
    return info


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10_000_000)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--db", default="gs_bench_10m")
    ap.add_argument("--admin", default=ADMIN)
    ap.add_argument("--drop", action="store_true")
    ap.add_argument("--event-months", type=int, default=6,
                    help="write case events for the cases of the last N months (0: none)")
    args = ap.parse_args(argv)
    if args.drop:
        drop(args.db, args.admin)
        print(f"dropped {args.db}")
        return 0
    rec = ready(args.db, args.cases, args.admin)
    if rec:
        print(f"{args.db} is ready: {rec}")
        migrate(args.db, args.admin)
    else:
        rec = generate(args.db, args.cases, args.years, args.admin)
    if args.event_months and (rec.get("events") or {}).get("months") != args.event_months:
        add_events(args.db, args.event_months, args.admin)
    return 0


if __name__ == "__main__":
    sys.exit(main())
