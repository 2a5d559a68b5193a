"""How long one workflow action takes to commit (median of N), on SQLite and PostgreSQL.

Each measured action is a full transaction: load the actor and the case, check the rules,
update the case under its version, append the event, write change_log (on PostgreSQL under
the change-feed lock, with NOTIFY), commit.

    python benchmarks/bench_workflow.py               # both databases, 1,000 actions each
    python benchmarks/bench_workflow.py --n 200 --only sqlite
    GRIDSTATION_BENCH_PG=postgresql://postgres@127.0.0.1:5432/postgres python benchmarks/bench_workflow.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text  # noqa: E402

from gridstation.store.db import make_engine  # noqa: E402
from gridstation.schema import upgrade
from gridstation.cases.workflow import Workflow  # noqa: E402
from tests.minicity import build_mini_city  # noqa: E402

PG_ADMIN = os.environ.get("GRIDSTATION_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def measure(url: str, n: int) -> dict[str, float]:
    upgrade(url)
    eng = make_engine(url)
    m = build_mini_city(eng)
    t = [datetime(2026, 3, 2, 9, 0)]

    def clock():
        t[0] += timedelta(seconds=1)
        return t[0]

    wf = Workflow(eng, clock=clock)
    wf.calendar  # build the calendar before timing (it is cached for the session)
    lon, lat = m.point("G1a")
    per_action: dict[str, list[float]] = {}

    def timed(name, fn, *a, **kw):
        t0 = time.perf_counter()
        r = fn(*a, **kw)
        per_action.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
        return r

    # n actions in all, as whole loops of 7 actions
    loops = max(1, n // 7)
    for _ in range(loops):
        r = timed("report", wf.report, "sup1", source="supervisor", description="井盖破损", lon=lon, lat=lat,
                  category_id=m.cats["MANHOLE"])
        r = timed("file", wf.file, "shift", r.case_id, expected_version=r.version)
        r = timed("dispatch", wf.dispatch, "disp", r.case_id, department_id=m.depts["MUN"], expected_version=r.version)
        r = timed("feedback", wf.feedback, "h_mun", r.case_id, note="已更换", expected_version=r.version)
        r = timed("assign_check", wf.assign_check, "intake", r.case_id, m.users["sup1"], expected_version=r.version)
        r = timed("recheck", wf.recheck, "sup1", r.case_id, fixed=True, expected_version=r.version)
        r = timed("close", wf.close, "shift", r.case_id, expected_version=r.version)
    eng.dispose()
    every = [x for v in per_action.values() for x in v]
    out = {"actions": len(every), "median_ms": statistics.median(every),
           "p90_ms": statistics.quantiles(every, n=10)[-1], "max_ms": max(every)}
    for k, v in per_action.items():
        out[f"{k}_median_ms"] = statistics.median(v)
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    results = {}
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as d:
            results["sqlite"] = measure(f"sqlite:///{d}/bench.db", args.n)
    if args.only in (None, "postgresql"):
        name = f"gs_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            results["postgresql"] = measure(admin.url.set(database=name).render_as_string(hide_password=False), args.n)
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    for db, r in results.items():
        print(f"{db}: {r['actions']} actions, median {r['median_ms']:.2f} ms, p90 {r['p90_ms']:.2f} ms, max {r['max_ms']:.1f} ms")
        print("   " + ", ".join(f"{k.removesuffix('_median_ms')} {v:.2f}" for k, v in r.items() if k.endswith("_median_ms")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
