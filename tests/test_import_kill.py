"""A case-history import killed at a random moment (SIGKILL of the importing process) never
leaves stale summaries: the rows and their rollups commit together or not at all, so the
rollups always equal a fresh ``rollup rebuild``."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select, text

from gridstation.analytics import rollup
from gridstation.cases.workflow import Workflow
from gridstation.store.model import Case
from tests.minicity import build_mini_city
from tests.test_import_cases import history_rows, write_csv

ROOT = Path(__file__).resolve().parent.parent
COPIES = 600  # x 6 template rows: a few seconds of import
ROLLUP_TABLES = ("rollup_case_day", "rollup_grid_month", "rollup_position_day")


def _snapshot(engine) -> dict[str, list[tuple]]:
    out = {}
    with engine.connect() as c:
        for t in ROLLUP_TABLES:
            rows = c.execute(text(f"SELECT * FROM {t}")).all()
            out[t] = sorted(tuple(round(v, 6) if isinstance(v, float) else v for v in r) for r in rows)
    return out


def _history_file(tmp_path: Path, city, k: int) -> Path:
    rows = []
    for i in range(COPIES):
        for j, r in enumerate(history_rows(city)):
            rows.append(dict(r, 案件编号=f"K{k:02d}{i:05d}{j}"))
    return write_csv(tmp_path / f"history{k}.csv", rows)


def _import_process(url: str, path: Path) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [sys.executable, "-m", "gridstation", "--db", url, "import", "cases", str(path)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )


def _cases(engine) -> int:
    with engine.connect() as c:
        return c.execute(select(func.count()).select_from(Case)).scalar()


def test_killed_import_leaves_summaries_equal_to_a_rebuild(engine, db_url, tmp_path):
    city = build_mini_city(engine)
    wf = Workflow(engine)
    lon, lat = city.point("G1a")
    wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat, category_id=city.cats["MANHOLE"])
    n_file = COPIES * len(history_rows(city))

    # one complete import, timed, so the kills below land anywhere inside one
    t = time.perf_counter()
    p = _import_process(db_url, _history_file(tmp_path, city, 0))
    assert p.wait(timeout=600) == 0, p.stderr.read().decode()
    whole = time.perf_counter() - t
    assert _cases(engine) == 1 + n_file

    rng = random.Random(19)
    outcomes = []
    for k in range(1, 6):
        before = _cases(engine)
        p = _import_process(db_url, _history_file(tmp_path, city, k))
        time.sleep(rng.uniform(0.05, whole * 1.1))
        p.send_signal(signal.SIGKILL)
        p.wait(timeout=60)
        after = _cases(engine)
        assert after in (before, before + n_file), "all of the file or none of it"
        outcomes.append("committed" if after > before else "nothing")
        live = _snapshot(engine)
        rollup.rebuild(engine)
        assert _snapshot(engine) == live, f"kill {k} ({outcomes[-1]}) left summaries that differ from a rebuild"
    print("kill outcomes:", outcomes)
