"""How fast the case queue is ready, scrolls and follows a live change, on SQLite and PostgreSQL.

The database is the demo city (``gridstation.demo.city.build_demo``; the mini test city when the demo
cannot be built) topped up with open, district-level cases waiting for dispatch, written with
SQLAlchemy Core, so a district dispatcher's 待派遣 queue holds at least ``--open`` cases (the demo
alone leaves only the last days' cases open). Then, signed in as that dispatcher:

* ready: ``QueueModel.load()`` until the ids and the first page are in the model (one background
  job), and until a 700 x 700 table has painted them; first (cold) and median of ``--repeat``;
* the same for a whole ``QueuePane`` (tabs, counts, filter choices);
* the plain core queries (``queue_ids``, ``fetch_rows`` of a page), without Qt;
* scrolling: one viewport down at a time to the end, the paint time of each step (placeholders
  for rows not fetched yet) and how long the pages take to arrive;
* a live change: another workstation dispatches a case; ``on_changes`` until the row is gone.

    python benchmarks/bench_queue.py                      # both databases
    python benchmarks/bench_queue.py --only sqlite --open 5000 --history 20000
    GRIDSTATION_BENCH_PG=postgresql://postgres@127.0.0.1:5432/postgres python benchmarks/bench_queue.py
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.orm import Session

from gridstation.store.db import make_engine
from gridstation.schema import upgrade
from gridstation.store.model import (
    Case,
    CaseState,
    Category,
    CommandLevel,
    Department,
    Position,
    Region,
    Stage,
    UnitGrid,
    User,
)
from gridstation.worktime.timelimits import start_clock
from gridstation.cases.workflow import Workflow

PG_ADMIN = os.environ.get("GRIDSTATION_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


# --------------------------------------------------------------------------- the database


def build_city(url: str, history: int) -> str:
    """The demo city (or the mini city); returns which."""
    try:
        from gridstation.demo.city import build_demo
    except ImportError:
        build_demo = None
    if build_demo is not None:
        try:
            t0 = time.perf_counter()
            s = build_demo(url, cases=history, months=2)
            print(f"   demo city: {s.cases} cases ({s.open_cases} open) in {time.perf_counter() - t0:.1f} s")
            return "demo"
        except Exception as e:  # noqa: BLE001 - the demo is optional here
            print(f"   demo city failed ({type(e).__name__}: {e}); using the mini city")
    upgrade(url)
    from tests.minicity import build_mini_city

    eng = make_engine(url)
    build_mini_city(eng)
    eng.dispose()
    return "mini"


def dispatcher(engine) -> tuple[str, str | None]:
    """A district dispatcher with a region (login, region path)."""
    with Session(engine) as s:
        row = s.execute(
            select(User.login, Region.path)
            .join(Region, Region.id == User.region_id)
            .where(User.position == Position.DISPATCHER.value, User.active.is_(True))
            .order_by(func.length(Region.path), User.id)
        ).first()
    return row.login, row.path


def top_up(engine, calendar, region_path: str, want: int) -> int:
    """Open district-level cases waiting for dispatch in the region until there are ``want``;
    filed during the last working hours so the lights are a mix of green, yellow and red."""
    now = datetime.now().replace(microsecond=0)
    with Session(engine) as s:
        have = s.scalar(
            select(func.count(Case.id))
            .join(UnitGrid, UnitGrid.id == Case.grid_id)
            .join(Region, Region.id == UnitGrid.region_id)
            .where(Case.state == CaseState.TO_DISPATCH.value, Region.path.startswith(region_path),
                   func.coalesce(Case.command_level, "district") == "district")
        ) or 0
        n = want - have
        if n <= 0:
            return 0
        grids = s.execute(
            select(UnitGrid.id, UnitGrid.center_lon, UnitGrid.center_lat)
            .join(Region, Region.id == UnitGrid.region_id)
            .where(Region.path.startswith(region_path))
            .order_by(UnitGrid.id)
        ).all()
        cats = list(s.scalars(
            select(Category).where(Category.is_leaf.is_(True), Category.retired.is_(False),
                                   func.coalesce(Category.command_level, "district") == CommandLevel.DISTRICT.value)
            .order_by(Category.id)
        ))
        dept = s.scalar(select(Department.id).where(Department.active.is_(True)).order_by(Department.id))
        start_id = (s.scalar(select(func.max(Case.id))) or 0) + 1
        clocks = {}
        rows = []
        for k in range(n):
            g = grids[k % len(grids)]
            cat = cats[k % len(cats)]
            filed = now - timedelta(minutes=(k * 7) % 600)
            key = (cat.id, filed)
            clock = clocks.get(key) or clocks.setdefault(key, start_clock(calendar, Stage.DISPATCH, cat, filed))
            rows.append({
                "id": start_id + k, "number": f"Q{start_id + k:012d}", "source": "supervisor",
                "category_id": cat.id, "lon": g.center_lon, "lat": g.center_lat, "grid_id": g.id,
                "address": f"基准路{k % 997}号", "description": f"{cat.name} 基准案件 {k}",
                "state": CaseState.TO_DISPATCH.value, "command_level": CommandLevel.DISTRICT.value,
                "current_department_id": dept if k % 50 == 0 else None,
                "reported_at": filed - timedelta(minutes=5), "filed_at": filed,
                "stage": clock.stage.value, "stage_started_at": clock.started_at,
                "stage_limit_minutes": clock.limit_minutes, "stage_unit": clock.unit.value,
                "extension_minutes": 0.0, "parked_minutes": 0.0,
                "warn_at": clock.warn_at, "due_at": clock.due_at, "dispatch_deadline": clock.due_at,
                "urged": k % 37 == 0, "urge_count": 0, "dispatch_count": 0, "return_count": 0,
                "rework_count": 0, "extension_count": 0, "park_count": 0,
                "version": 1, "updated_at": filed,
            })
        for i in range(0, len(rows), 2000):
            s.execute(insert(Case), rows[i:i + 2000])
        if engine.dialect.name == "postgresql":
            s.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT MAX(id) FROM cases))"))
        s.commit()
    if engine.dialect.name == "postgresql":
        with engine.connect() as c:
            c.execute(text("ANALYZE"))
            c.commit()
    return n


# --------------------------------------------------------------------------- measuring


def wait(signal_or_pred, timeout_s: float = 30.0) -> None:
    """Run the Qt event loop until a signal fires or a predicate holds (the GIL is free meanwhile)."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(loop.quit)
    guard.start(int(timeout_s * 1000))
    if not hasattr(signal_or_pred, "connect"):
        poll = QTimer()
        poll.timeout.connect(lambda: signal_or_pred() and loop.quit())
        poll.start(1)
        if not signal_or_pred():
            loop.exec()
        poll.stop()
    else:
        signal_or_pred.connect(loop.quit)
        loop.exec()
        signal_or_pred.disconnect(loop.quit)
    if not guard.isActive():
        raise TimeoutError("timed out")
    guard.stop()


def ms(t0: float) -> float:
    return (time.perf_counter() - t0) * 1000


def measure(url: str, n_open: int, history: int, repeat: int) -> dict:
    from PySide6.QtWidgets import QApplication, QTableView

    from gridstation.cases import queues as core
    from gridstation.app import tasks
    from gridstation.app.context import AppContext
    from gridstation.app.cases.queue_model import PAGE, QueueModel
    from gridstation.app.cases.queue_pane import QueuePane
    from gridstation.store.changes import changes_since, latest_seq

    app = QApplication.instance() or QApplication(["bench_queue"])
    city = build_city(url, history)
    engine = make_engine(url)
    wf = Workflow(engine)
    login, region = dispatcher(engine)
    added = top_up(engine, wf.calendar, region or "/", n_open)
    ctx = AppContext(url=url, engine=engine, workflow=wf, actor=wf.actor(login))
    out: dict = {"city": city, "added": added}

    with ctx.session() as s:
        for key in ("to_dispatch", "all_open"):
            out[f"{key}_rows"] = len(core.queue_ids(s, ctx.actor, key, now=ctx.now()))
    print(f"   dispatcher {login}: to_dispatch {out['to_dispatch_rows']} cases, all_open {out['all_open_rows']}")

    # plain core queries
    for key in ("to_dispatch", "all_open"):
        t_ids, t_rows = [], []
        for _ in range(repeat):
            with ctx.session() as s:
                t0 = time.perf_counter()
                ids = core.queue_ids(s, ctx.actor, key, now=ctx.now())
                t_ids.append(ms(t0))
                t0 = time.perf_counter()
                core.fetch_rows(s, ids[:PAGE], now=ctx.now(), calendar=ctx.calendar)
                t_rows.append(ms(t0))
        out[f"{key}_core_ids_ms"] = statistics.median(t_ids)
        out[f"{key}_core_page_ms"] = statistics.median(t_rows)

    # the model: ids + first page, then painted in a 700 x 700 table
    view = QTableView()
    view.resize(700, 700)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.show()
    app.processEvents()
    for key in ("to_dispatch", "all_open"):
        ready, shown = [], []
        for _ in range(repeat):
            model = QueueModel(ctx)
            t0 = time.perf_counter()
            model.load(key)
            wait(model.loaded)
            ready.append(ms(t0))
            view.setModel(model)
            view.viewport().repaint()
            shown.append(ms(t0))
            assert all(model.is_fetched(model.case_id(r)) for r in range(min(PAGE, model.rowCount())))
            view.setModel(None)
            model.deleteLater()
            app.processEvents()
        out[f"{key}_ready_first_ms"] = ready[0]
        out[f"{key}_ready_ms"] = statistics.median(ready)
        out[f"{key}_shown_ms"] = statistics.median(shown)

    # a whole pane
    pane_ready = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        pane = QueuePane(ctx)
        pane.resize(700, 700)
        pane.show()
        wait(lambda p=pane: not p.model.busy and p.model.rowCount() > 0)
        pane.repaint()
        pane_ready.append(ms(t0))
        last = pane
        wait(lambda p=pane: bool(p.counts) and not p._counting)
        if _ < repeat - 1:
            pane.close()
            pane.deleteLater()
            app.processEvents()
    out["pane_ready_ms"] = statistics.median(pane_ready)
    pane = last

    # scrolling: one viewport at a time to the end
    v = pane.view
    sb = v.verticalScrollBar()
    frames, fetch_waits = [], []
    pos = 0
    while pos < sb.maximum():
        pos = min(pos + v.viewport().height(), sb.maximum())
        t0 = time.perf_counter()
        sb.setValue(pos)
        v.viewport().repaint()
        frames.append(ms(t0))
        app.processEvents()  # let the page request go out
        first, last_row = v.rowAt(0), v.rowAt(v.viewport().height() - 1)
        if last_row < 0:
            last_row = pane.model.rowCount() - 1
        visible = [pane.model.case_id(r) for r in range(first, last_row + 1)]
        if not all(pane.model.is_fetched(i) for i in visible):
            t1 = time.perf_counter()
            wait(lambda vis=visible: all(pane.model.is_fetched(i) for i in vis))
            fetch_waits.append(ms(t1))
    out["scroll_steps"] = len(frames)
    out["scroll_frame_median_ms"] = statistics.median(frames) if frames else 0.0
    out["scroll_frame_max_ms"] = max(frames) if frames else 0.0
    out["page_fetches"] = len(fetch_waits)
    out["page_fetch_median_ms"] = statistics.median(fetch_waits) if fetch_waits else 0.0

    # a live change from another workstation, ``repeat`` times
    sb.setValue(0)
    app.processEvents()
    other = Workflow(engine)
    with Session(engine) as s:
        dept = s.scalar(select(Department.id).where(Department.active.is_(True), Department.level == "district")
                        .order_by(Department.id))
    live = []
    for _ in range(repeat):
        victim = pane.model.case_id(0)
        pane.select_case(pane.model.case_id(1))
        seq = latest_seq(engine)
        other.dispatch(login, victim, department_id=dept)
        changes = changes_since(engine, seq)
        t0 = time.perf_counter()
        pane.on_changes(changes)
        wait(lambda v=victim: pane.model.row_of(v) is None and not pane.model.busy)
        live.append(ms(t0))
        wait(lambda: not pane._counting)
    out["live_update_ms"] = statistics.median(live)
    out["live_update_max_ms"] = max(live)

    pane.close()
    pane.deleteLater()
    view.close()
    tasks.wait_idle()
    app.processEvents()
    engine.dispose()
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--open", type=int, default=5000, help="cases in the dispatcher's 待派遣 queue at least")
    ap.add_argument("--history", type=int, default=20_000, help="demo history cases")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    results = {}
    if args.only in (None, "sqlite"):
        print("sqlite:")
        with tempfile.TemporaryDirectory() as d:
            results["sqlite"] = measure(f"sqlite:///{d}/bench.db", args.open, args.history, args.repeat)
    if args.only in (None, "postgresql"):
        print("postgresql:")
        name = f"gs_bench_queue_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            url = admin.url.set(database=name).render_as_string(hide_password=False)
            results["postgresql"] = measure(url, args.open, args.history, args.repeat)
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    for db, r in results.items():
        print(f"\n{db} ({r['city']} city, +{r['added']} open cases): to_dispatch {r['to_dispatch_rows']} rows, "
              f"all_open {r['all_open_rows']} rows")
        for key in ("to_dispatch", "all_open"):
            print(f"  {key:12s} model ready with first page: median {r[f'{key}_ready_ms']:.1f} ms "
                  f"(first {r[f'{key}_ready_first_ms']:.1f} ms), painted {r[f'{key}_shown_ms']:.1f} ms; "
                  f"core: ids {r[f'{key}_core_ids_ms']:.1f} ms, page of rows {r[f'{key}_core_page_ms']:.1f} ms")
        print(f"  pane ready (tabs, first queue shown): median {r['pane_ready_ms']:.1f} ms")
        print(f"  scrolling: {r['scroll_steps']} viewport steps, paint median {r['scroll_frame_median_ms']:.1f} ms, "
              f"max {r['scroll_frame_max_ms']:.1f} ms; {r['page_fetches']} page waits, "
              f"median {r['page_fetch_median_ms']:.1f} ms")
        print(f"  live change (dispatched elsewhere -> row gone): median {r['live_update_ms']:.1f} ms, "
              f"max {r['live_update_max_ms']:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
