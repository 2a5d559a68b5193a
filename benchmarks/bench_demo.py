"""Benchmark: build the default demo city (100,000 cases) and report time and row counts.

    python benchmarks/bench_demo.py                 # into a temporary SQLite file
    python benchmarks/bench_demo.py --pg            # also into a scratch PostgreSQL database
    python benchmarks/bench_demo.py --cases 20000 --pg-admin postgresql://postgres@127.0.0.1:5432/postgres

The PostgreSQL run creates its own database (gs_demo_bench_<random>) and drops it afterwards;
no other database is touched. The requirement: the default build on SQLite in under 60 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from gridstation.store.db import make_engine, normalise_url
from gridstation.demo.city import build_demo
from gridstation.store.model import Base

LIMIT_S = 60.0


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in Base.metadata.sorted_tables
            }
    finally:
        engine.dispose()


def run(label: str, url: str, cases: int, seed: int) -> float:
    def progress(message: str) -> None:
        print(f"  {message}", file=sys.stderr, flush=True)

    print(f"== {label}: {cases:,} cases", flush=True)
    t0 = time.perf_counter()
    summary = build_demo(url, seed=seed, cases=cases, now=datetime.now().replace(microsecond=0),
                         progress=progress)
    wall = time.perf_counter() - t0
    print(f"build_demo: {summary.seconds:.1f} s (wall {wall:.1f} s)")
    for step, at in summary.timings.items():
        print(f"  {step:<8} done at {at:6.1f} s")
    print(f"open cases: {summary.open_cases:,}")
    for table, n in row_counts(url).items():
        print(f"  {table:<18} {n:>9,}")
    return summary.seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--pg", action="store_true", help="also build into a scratch PostgreSQL database")
    ap.add_argument("--pg-admin", default="postgresql://postgres@127.0.0.1:5432/postgres",
                    help="a database to connect to for CREATE/DROP DATABASE")
    args = ap.parse_args(argv)

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "demo.db"
        seconds = run("SQLite", f"sqlite:///{path}", args.cases, args.seed)
        size = sum(p.stat().st_size for p in Path(tmp).iterdir())
        print(f"  file size {size / 1e6:.0f} MB")
        if args.cases >= 100_000:
            ok = seconds < LIMIT_S
            print(f"SQLite limit {LIMIT_S:.0f} s: {'OK' if ok else 'TOO SLOW'}")

    if args.pg:
        admin = create_engine(normalise_url(args.pg_admin), isolation_level="AUTOCOMMIT")
        name = f"gs_demo_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = make_url(normalise_url(args.pg_admin)).set(database=name).render_as_string(hide_password=False)
            run(f"PostgreSQL ({name})", url, args.cases, args.seed)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
