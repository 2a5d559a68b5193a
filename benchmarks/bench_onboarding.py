"""What the workflow-as-data and the onboarding cost (issue 15), on SQLite and PostgreSQL.

- the rules check before every action: reading ``wf_profile.revision`` (cached rules), median
  of N calls, and a full reload of the rules;
- the validator on every shipped profile;
- ``profile apply`` on an empty center;
- a boundary layer of C×C communities tiling C streets (topology checked), and a grid layer of
  4 grids per community checked against the community boundaries.

    python benchmarks/bench_onboarding.py                 # both databases
    python benchmarks/bench_onboarding.py --only sqlite --cells 20
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from gridstation.admin import profiles
from gridstation.admin.profiles import operator_tx
from gridstation.admin.region_setup import add_region
from gridstation.cases import rules
from gridstation.cases.workflow import Workflow
from gridstation.importers.common import run_in_transaction
from gridstation.importers.grids import import_grid_features
from gridstation.importers.regions import import_region_features
from gridstation.schema import upgrade
from gridstation.store.db import make_engine

PG_ADMIN = os.environ.get("GRIDSTATION_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
X0, Y0, SIDE = 113.60, 34.70, 0.004  # a community about 370 m × 440 m


def sq(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def f(code, name, geom):
    return {"properties": {"code": code, "name": name}, "geometry": geom}


def layers(c: int):
    """One district of c streets (rows), each of c communities (columns), 4 grids each."""
    district = [f("410102", "区", sq(X0, Y0, X0 + c * SIDE, Y0 + c * SIDE))]
    streets, comms, grids = [], [], []
    for r in range(c):
        y0 = Y0 + r * SIDE
        scode = f"410102{r + 1:03d}"
        streets.append(f(scode, f"街道{r + 1}", sq(X0, y0, X0 + c * SIDE, y0 + SIDE)))
        for k in range(c):
            x0 = X0 + k * SIDE
            ccode = f"{scode}{k + 1:03d}"
            comms.append(f(ccode, f"社区{r + 1}-{k + 1}", sq(x0, y0, x0 + SIDE, y0 + SIDE)))
            h = SIDE / 2
            for n, (a, b) in enumerate([(0, 1), (1, 1), (0, 0), (1, 0)], start=1):
                grids.append(f(f"{ccode}{n:03d}", f"网格{n}", sq(x0 + a * h, y0 + b * h, x0 + (a + 1) * h, y0 + (b + 1) * h)))
    return district, streets, comms, grids


def timed(fn):
    t0 = time.perf_counter()
    out = fn()
    return out, (time.perf_counter() - t0) * 1000


def measure(url: str, n: int, cells: int) -> dict[str, float]:
    upgrade(url)
    eng = make_engine(url)
    out: dict[str, float] = {}
    _, out["profile_apply_ms"] = timed(lambda: profiles.apply(eng, "zhengzhou"))
    wf = Workflow(eng)
    with Session(eng) as s:
        wf._rules_in(s)
        ts = []
        for _ in range(n):
            t0 = time.perf_counter()
            wf._rules_in(s)  # what every action pays: one primary-key read of the revision
            ts.append((time.perf_counter() - t0) * 1e6)
        out["revision_check_median_us"] = statistics.median(ts)
        ts = []
        for _ in range(max(5, n // 20)):
            t0 = time.perf_counter()
            rules.load(s)
            ts.append((time.perf_counter() - t0) * 1000)
        out["rules_reload_median_ms"] = statistics.median(ts)
    d, st, cm, gr = layers(cells)
    with operator_tx(eng) as tx:
        add_region(tx, code="4101", name="市", level="city")
    run_in_transaction(eng, lambda s: import_region_features(s, d, level="district", parent_code="4101"))
    run_in_transaction(eng, lambda s: import_region_features(s, st, level="street"))
    _, out[f"import_{len(cm)}_communities_ms"] = timed(
        lambda: run_in_transaction(eng, lambda s: import_region_features(s, cm, level="community")))
    _, out[f"import_{len(gr)}_grids_ms"] = timed(
        lambda: run_in_transaction(eng, lambda s: import_grid_features(s, gr)))
    eng.dispose()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--cells", type=int, default=20, help="streets and communities per street (default 20)")
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    t0 = time.perf_counter()
    for name in rules.profile_names():
        rules.validate(rules.from_dict(rules.profile_data(name), name=name))
    print(f"validator: {len(rules.profile_names())} profiles in {(time.perf_counter() - t0) * 1000:.1f} ms (with reading)")
    results = {}
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as d:
            results["sqlite"] = measure(f"sqlite:///{d}/bench.db", args.n, args.cells)
    if args.only in (None, "postgresql"):
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        name = f"gs_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            results["postgresql"] = measure(admin.url.set(database=name).render_as_string(hide_password=False),
                                            args.n, args.cells)
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    for db, r in results.items():
        print(f"{db}: " + ", ".join(f"{k} {v:,.1f}" for k, v in r.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
