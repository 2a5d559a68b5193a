"""1,000 submissions (500 reports, 500 case actions) whose reply to COMMIT is lost: how many
are doubled?

    python benchmarks/bench_lost_reply.py [--reports 500] [--actions 500] [--pg ADMIN_URL]

A real TCP proxy (tests/lostreply.py) sits between the workflow's engine and PostgreSQL; it
lets the server commit and swallows the answer, for every submission. The workflow notices
the broken connection, asks again with the same submission id and gets the first result.
Prints the doubled reports and actions (must be 0), whether every result was a replay, and
the time per submission including the reconnect.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from gridstation.cases.workflow import Workflow
from gridstation.schema import upgrade
from gridstation.store.db import make_engine
from gridstation.store.model import Case, CaseEvent
from tests.lostreply import LostReplyProxy, proxied_url
from tests.minicity import build_mini_city

PG_ADMIN = os.environ.get("GRIDSTATION_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def run(url: str, tries: int, actions: int) -> dict:
    direct = make_engine(url)
    m = build_mini_city(direct)
    u = make_url(url)
    out = {}
    with LostReplyProxy(u.host or "127.0.0.1", u.port or 5432) as proxy:
        engine = make_engine(proxied_url(url, proxy.port))
        wf = Workflow(engine)
        lon, lat = m.point("G1a")
        replayed = 0
        numbers = {}
        t = time.perf_counter()
        for i in range(tries):
            proxy.arm()
            r = wf.report("sup1", source="supervisor", description=f"lost reply {i}", lon=lon, lat=lat,
                          category_id=m.cats["MANHOLE"])
            replayed += r.replayed
            numbers[f"lost reply {i}"] = r.number
            if (i + 1) % 100 == 0:
                print(f"  reports {i + 1}/{tries}", flush=True)
        secs_r = time.perf_counter() - t
        with direct.connect() as c:
            n_cases = c.execute(select(func.count()).select_from(Case)).scalar()
            stored = dict(c.execute(select(Case.description, Case.number)).all())
        wrong = sum(1 for d, n in numbers.items() if stored.get(d) != n)
        out["reports"] = dict(tries=tries, cases=n_cases, doubled=n_cases - tries, replayed=replayed,
                              wrong_number_told=wrong, seconds=round(secs_r, 1))

        case_id = wf.file("shift", wf.report("sup1", source="supervisor", description="urged", lon=lon, lat=lat,
                                             category_id=m.cats["MANHOLE"]).case_id).case_id
        version = None
        replayed = conflicts = 0
        t = time.perf_counter()
        for i in range(actions):
            proxy.arm()
            r = wf.urge("leader", case_id, opinion=f"urge {i}", expected_version=version,
                        submission_id=str(uuid.uuid4()))
            replayed += r.replayed
            version = r.version
            if (i + 1) % 100 == 0:
                print(f"  actions {i + 1}/{actions}", flush=True)
        secs_a = time.perf_counter() - t
        with direct.connect() as c:
            n_urges = c.execute(select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "urge")).scalar()
            count = c.execute(select(Case.urge_count).where(Case.id == case_id)).scalar()
        out["actions"] = dict(tries=actions, events=n_urges, doubled=n_urges - actions, urge_count=count,
                              replayed=replayed, conflicts=conflicts, seconds=round(secs_a, 1))
        out["commits_lost"] = proxy.commits_lost
        engine.dispose()
    direct.dispose()
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reports", type=int, default=500)
    ap.add_argument("--actions", type=int, default=500)
    ap.add_argument("--pg", default=PG_ADMIN)
    a = ap.parse_args(argv)
    name = f"gs_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(a.pg, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        url = admin.url.set(database=name).render_as_string(hide_password=False)
        upgrade(url)
        res = run(url, a.reports, a.actions)
        for k, v in res.items():
            print(f"{k}: {v}")
        ok = res["reports"]["doubled"] == 0 and res["actions"]["doubled"] == 0
        print("PASS: nothing doubled" if ok else "FAIL: doubled submissions")
        return 0 if ok else 1
    finally:
        with admin.connect() as c:
            c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n "
                           "AND pid <> pg_backend_pid()"), {"n": name})
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


if __name__ == "__main__":
    raise SystemExit(main())
