"""Client speed on the demo city: launch to a usable window, and a change seen by a second client.

    python benchmarks/bench_client.py --db URL            # an existing demo database
    python benchmarks/bench_client.py                      # builds the demo into a temp SQLite file
    python benchmarks/bench_client.py --pg                 # copies nothing: builds the demo into a scratch PostgreSQL database

"Usable" = the main window shown, the first queue filled and the map page drawn with its grids
and cases. "Change latency" = another process commits a dispatch and a new report; timed until
the second client's queue has lost the dispatched row and its map shows the new case.
Runs offscreen; memory is the process's peak RSS.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PG_ADMIN = os.environ.get("GRIDSTATION_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")

CHANGE = r"""
import sys
from gridstation.store.db import make_engine, session_factory
from gridstation.store.model import Case
from gridstation.cases.workflow import Workflow
url, case_id = sys.argv[1], int(sys.argv[2])
eng = make_engine(url)
wf = Workflow(eng)
wf.dispatch("dispatch1", case_id, department_id=wf.suggest_department(case_id).department_id)
with session_factory(eng)() as s:
    c = s.get(Case, case_id)
r = wf.report("intake1", source="hotline", description="bench", lon=c.lon, lat=c.lat, category_id=c.category_id)
print(r.case_id)
"""


def seed_cases_to_dispatch(url: str, n: int) -> None:
    """Cases waiting for dispatch1 (district 1, district-level categories), filed through the
    workflow, so the measured queue is never empty whatever time the demo was built at."""
    from sqlalchemy import select

    from gridstation.store.db import make_engine, session_factory
    from gridstation.store.model import Category, Region, UnitGrid, User
    from gridstation.cases.workflow import Workflow

    eng = make_engine(url)
    wf = Workflow(eng)
    with session_factory(eng)() as s:
        d1 = s.scalar(select(User.region_id).where(User.login == "dispatch1"))
        d1_path = s.scalar(select(Region.path).where(Region.id == d1))
        cats = s.scalars(select(Category.id).where(Category.is_leaf, Category.command_level == "district")
                         .order_by(Category.id).limit(n)).all()
        grids = s.execute(select(UnitGrid.center_lon, UnitGrid.center_lat, Region.path)
                          .join(Region, Region.id == UnitGrid.region_id)
                          .where(Region.path.startswith(d1_path)).order_by(UnitGrid.id).limit(n)).all()
        sups = s.execute(select(User.login, Region.path).join(Region, Region.id == User.region_id)
                         .where(User.position == "supervisor")).all()
    for (lon, lat, path), cat in zip(grids, cats):
        sup = next(login for login, p in sups if path.startswith(p))  # the grid's own supervisor
        r = wf.report(sup, source="supervisor", description="benchmark", lon=lon, lat=lat, category_id=cat)
        wf.file("shift1", r.case_id)
    eng.dispose()


def pump(app, cond, timeout=60.0) -> float:
    t0 = time.perf_counter()
    while not cond():
        app.processEvents()
        time.sleep(0.002)
        if time.perf_counter() - t0 > timeout:
            raise TimeoutError
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--pg", action="store_true", help="build the demo into a scratch PostgreSQL database")
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    from sqlalchemy import create_engine, text

    scratch = None
    url = args.db
    if url is None and args.pg:
        scratch = f"gs_bench_client_{uuid.uuid4().hex[:6]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{scratch}"'))
        url = admin.url.set(database=scratch).render_as_string(hide_password=False)
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    try:
        return run(url, args)
    finally:
        if scratch:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)'))


def run(url: str, args) -> int:
    from gridstation.store.db import make_engine
    from gridstation.schema import upgrade

    if "bench" in url or args.pg:
        from gridstation.demo.city import build_demo
        from gridstation.app.accounts.signin import city_ready

        upgrade(url)
        if not city_ready(url):
            print("building the demo city…", flush=True)
            build_demo(url)

    seed_cases_to_dispatch(url, 6)
    t_launch = time.perf_counter()
    from gridstation.app.application import make_application

    app = make_application()
    from PySide6.QtCore import QSettings

    QSettings().clear()
    from gridstation.accounts.users import authenticate
    from gridstation.app.context import AppContext
    from gridstation.app.mainwindow import MainWindow
    from gridstation.cases.workflow import Workflow

    def open_window(login="dispatch1"):
        eng = make_engine(url)
        ctx = AppContext(url=url, engine=eng, workflow=Workflow(eng), actor=authenticate(eng, login, "demo"))
        w = MainWindow(ctx)
        w.show()
        return w

    first = open_window()
    pump(app, lambda: first.map.is_ready and first.map.last_batch > 0 and len(first.queues.model.ids()) > 0
         and first.queues.model.is_fetched(first.queues.model.ids()[0]))  # seeded: the queue is never empty
    launch = time.perf_counter() - t_launch
    print(f"launch → usable window (queues filled, map drawn): {launch * 1000:.0f} ms")

    second = open_window()
    pump(app, lambda: second.map.is_ready and len(second.queues.model.ids()) > 0)
    lat = []
    for _ in range(args.rounds):
        ids = second.queues.model.ids()
        if not ids:
            break
        target = ids[0]
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHANGE, url, str(target)], capture_output=True, text=True,
                             cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        if out.returncode:
            print(out.stderr)
            return 1
        t_commit = time.perf_counter()
        new_id = int(out.stdout.strip())
        pump(app, lambda: target not in second.queues.model.ids()
             and second.map.run_js_sync(f"GridMap.caseColor({new_id})") is not None, timeout=10)
        lat.append(time.perf_counter() - t_commit)
        del t0
    if lat:
        print(f"change → second client's queue and map: median {statistics.median(lat) * 1000:.0f} ms, "
              f"max {max(lat) * 1000:.0f} ms over {len(lat)} changes ({make_engine(url).dialect.name})")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the client process (two windows): {peak:.0f} MB")
    for w in (first, second):
        w.hub.stop()
        w.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
