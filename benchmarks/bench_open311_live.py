"""How soon a running client sees a report POSTed to ``gridstation serve``, SQLite and PostgreSQL.

The service runs in its own process on 127.0.0.1; the "client" here is the client's own
wake-up path without a window: PostgreSQL LISTEN (``PgListener``) or, on SQLite,
``PRAGMA data_version`` polled every 400 ms like the client's ChangeHub, then ``change_log``
read until the new case is there. Measured from sending the POST to having the case's row.

    python benchmarks/bench_open311_live.py            # 40 reports, one every 0.25 s, both databases
"""

from __future__ import annotations

import argparse
import os
import select
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402

from gridstation.admin.apikeys import add_key  # noqa: E402
from gridstation.schema import upgrade  # noqa: E402
from gridstation.store.changes import PgListener, SqliteWatcher, changes_since, latest_seq  # noqa: E402
from gridstation.store.db import make_engine  # noqa: E402
from tests.minicity import build_mini_city  # noqa: E402
from tests.test_open311_socket import Server  # noqa: E402

POLL = 0.4  # the client's SQLite poll (gridstation.app.live.POLL_MS)
PG_ADMIN = os.environ.get("GRIDSTATION_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def measure(label: str, url: str, n: int, gap: float) -> dict:
    upgrade(url)
    eng = make_engine(url)
    city = build_mini_city(eng)
    _, key = add_key(eng, "admin", name="live")
    server = Server(url)
    pg = eng.dialect.name == "postgresql"
    wake = PgListener(url) if pg else SqliteWatcher(url)
    seen_ms, post_ms = [], []
    try:
        seq = latest_seq(eng)
        start = time.perf_counter()
        lon, lat = city.point("G1a")
        for i in range(n):
            body = urllib.parse.urlencode({"api_key": key, "service_code": "E0101", "lat": lat, "long": lon,
                                           "description": f"live {i}"}).encode()
            t0 = time.perf_counter()
            urllib.request.urlopen(urllib.request.Request(server.base + "/open311/v2/requests.json", data=body),
                                   timeout=30).read()
            post_ms.append((time.perf_counter() - t0) * 1000)
            while True:
                if pg:
                    # the client's QSocketNotifier: wait for the socket, then drain what arrived
                    select.select([wake.fileno()], [], [], POLL)
                    woke = bool(wake.drain(timeout=0))
                else:
                    # the client's timer ticks every POLL seconds, whenever the POST came
                    time.sleep(POLL - (time.perf_counter() - start) % POLL)
                    woke = wake.changed()
                if woke:
                    new = [c for c in changes_since(eng, seq) if c.entity == "case" and c.action == "report"]
                    if new:
                        seq = max(c.seq for c in changes_since(eng, seq))
                        break
            seen_ms.append((time.perf_counter() - t0) * 1000)
            time.sleep(gap)
    finally:
        wake.close()
        server.stop()
        eng.dispose()
    out = {"database": label, "reports": n, "median_ms": round(statistics.median(seen_ms), 1),
           "p95_ms": round(statistics.quantiles(seen_ms, n=20)[18], 1), "max_ms": round(max(seen_ms), 1),
           "post_median_ms": round(statistics.median(post_ms), 1)}
    print(f"[{label}] POST → the client has the case: median {out['median_ms']} ms, p95 {out['p95_ms']} ms, "
          f"max {out['max_ms']} ms over {n} reports (the POST itself: median {out['post_median_ms']} ms; "
          f"load average {os.getloadavg()[0]:.1f})", flush=True)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--gap", type=float, default=0.25)
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            measure("sqlite", f"sqlite:///{Path(tmp) / 'live.db'}", args.n, args.gap)
    if args.only in (None, "postgresql"):
        name = f"gs_live311_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            measure("postgresql", admin.url.set(database=name).render_as_string(hide_password=False), args.n, args.gap)
        finally:
            with admin.connect() as c:
                c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
