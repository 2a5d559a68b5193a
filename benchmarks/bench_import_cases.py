"""Import 100,000 historical cases from CSV into the mini city, on SQLite and on PostgreSQL.

    python benchmarks/bench_import_cases.py [--cases 100000] [--pg ADMIN_URL] [--no-pg]

Generates a previous system's export (every state, all four sources, grid codes and points,
Chinese headers and labels), then imports it with ``gridstation.importers.cases.import_cases``
into a fresh SQLite file and into a scratch PostgreSQL database that is created and dropped
here. Prints the progress lines and the seconds of each import end to end: reading, checking,
writing and the drill-down/evaluation summaries, which commit in the same transaction
(target: < 60 s each). ``--cases 560000`` is the size of the file in issue 19.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd
from sqlalchemy import create_engine, func, select, text

import gridstation.geo.model  # noqa: F401
from gridstation.store.db import make_engine
from gridstation.schema import upgrade
from gridstation.importers.cases import import_cases
from gridstation.store.model import Case, CaseEvent
from tests.minicity import DLAT, DLON, LAT0, LON0, build_mini_city

PG_ADMIN = os.environ.get("GRIDSTATION_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
GRIDS = ["410105001001001", "410105001001002", "410105002001001", "410105002001002"]


def generate(path: Path, n: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    start = datetime(2024, 1, 2, 8, 0)
    rows = []
    day_seq: dict[str, int] = {}
    for i in range(n):
        t0 = start + timedelta(minutes=int(i * 180 * 24 * 60 / n) + rng.randrange(0, 30))
        day = t0.strftime("%Y%m%d")
        day_seq[day] = day_seq.get(day, 0) + 1
        source = rng.choices(["监督员上报", "热线", "公众举报", "视频监控"], [70, 15, 10, 5])[0]
        manhole = rng.random() < 0.4
        g = rng.randrange(4)
        street = 1 if g < 2 else 2
        cat, dept = ("C0102", "D02") if manhole else ("E0101", f"S{street}01")
        r = rng.random()
        state = (
            "closed"
            if r < 0.86
            else "voided"
            if r < 0.91
            else "handling"
            if r < 0.94
            else "to_check"
            if r < 0.96
            else "to_dispatch"
            if r < 0.98
            else "parked"
            if r < 0.99
            else "to_file"
        )
        m = lambda a, b: timedelta(minutes=rng.randrange(a, b))
        tv = t0 + m(5, 30) if source != "监督员上报" else None
        tf = (tv or t0) + m(3, 40)
        td = tf + m(3, 40)
        tp = td + m(60, 600)
        th = td + m(30, 2000)
        tc = th + m(10, 120)
        tz = tc + m(5, 60)
        row = {
            "案件编号": f"{day}{day_seq[day]:05d}",
            "案件来源": source,
            "类别编码": cat,
            "上报时间": t0,
            "核实时间": tv,
            "立案时间": tf,
            "派遣时间": td,
            "挂账时间": None,
            "处置时间": th,
            "核查时间": tc,
            "结案时间": tz,
            "作废时间": None,
            "处置部门": dept,
            "网格编码": "",
            "经度": "",
            "纬度": "",
            "案件状态": {
                "closed": "已结案",
                "voided": "已作废",
                "handling": "处置中",
                "to_check": "待核查",
                "to_dispatch": "待派遣",
                "parked": "挂账",
                "to_file": "待立案",
            }[state],
            "问题描述": "暴露垃圾" if not manhole else "井盖破损",
            "地址": f"花园路{rng.randrange(1, 300)}号",
        }
        if state == "voided":
            row.update(
                {
                    "作废时间": tf,
                    "立案时间": None,
                    "派遣时间": None,
                    "处置时间": None,
                    "核查时间": None,
                    "结案时间": None,
                    "处置部门": "",
                }
            )
        elif state in ("handling", "to_check", "to_dispatch", "parked", "to_file"):
            row["结案时间"] = None
            row["核查时间"] = None
            if state in ("handling", "to_dispatch", "parked", "to_file"):
                row["处置时间"] = None
            if state in ("to_dispatch", "to_file"):
                row["派遣时间"] = None
                row["处置部门"] = ""
            if state == "to_file":
                row["立案时间"] = None
            if state == "parked":
                row["挂账时间"] = tp
        if rng.random() < 0.5:
            row["网格编码"] = GRIDS[g]
        else:
            row["经度"] = f"{LON0 + (g + rng.uniform(0.05, 0.95)) * DLON:.7f}"
            row["纬度"] = f"{LAT0 + rng.uniform(0.05, 0.95) * DLAT:.7f}"
        rows.append(row)
    df = pd.DataFrame(rows)
    for c in (
        "上报时间",
        "核实时间",
        "立案时间",
        "派遣时间",
        "挂账时间",
        "处置时间",
        "核查时间",
        "结案时间",
        "作废时间",
    ):
        df[c] = pd.to_datetime(df[c]).dt.strftime("%Y-%m-%d %H:%M:%S").fillna("")
    df.to_csv(path, index=False, encoding="utf-8-sig")


def run(url: str, csv: Path, label: str) -> float:
    upgrade(url)
    eng = make_engine(url)
    try:
        build_mini_city(eng)
        t = time.perf_counter()
        # the progress display, as the command line shows it (gridstation import cases FILE)
        rep = import_cases(eng, csv, progress=lambda line: print(f"  … {line}", flush=True))
        secs = time.perf_counter() - t
        with eng.connect() as c:
            n_cases = c.execute(select(func.count()).select_from(Case)).scalar()
            n_events = c.execute(select(func.count()).select_from(CaseEvent)).scalar()
        print(
            f"{label}: {rep.imported:,} cases, {n_events:,} events in {secs:.1f} s "
            f"({rep.imported / secs:,.0f} cases/s); in the database: {n_cases:,} cases; states {rep.details['by_state']}"
        )
        return secs
    finally:
        eng.dispose()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--pg", default=PG_ADMIN, help="PostgreSQL admin URL (a scratch database is created and dropped)")
    ap.add_argument("--no-pg", action="store_true")
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="gs-bench-"))
    csv = tmp / "history.csv"
    t = time.perf_counter()
    generate(csv, a.cases)
    print(f"generated {a.cases:,} cases ({csv.stat().st_size / 1e6:.1f} MB CSV) in {time.perf_counter() - t:.1f} s")
    results = {"sqlite": run(f"sqlite:///{tmp / 'bench.db'}", csv, "SQLite")}
    if not a.no_pg:
        name = f"gs_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(a.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = admin.url.set(database=name).render_as_string(hide_password=False)
            results["postgresql"] = run(url, csv, "PostgreSQL")
        finally:
            with admin.connect() as c:
                c.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"
                    ),
                    {"n": name},
                )
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()
    ok = all(s < 60 for s in results.values())
    print("OK (< 60 s each)" if ok else "TOO SLOW")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
