"""A flood of Open311 POSTs against ``gridstation serve`` on 127.0.0.1, SQLite and PostgreSQL.

Builds a small demo city in a throwaway database (SQLite file in a temp folder; a new
PostgreSQL database, dropped afterwards), makes an application key, starts the real command
(``python -m gridstation --db URL serve --port P --workers W``) on a free port of 127.0.0.1
only, and lets C concurrent clients (asyncio, HTTP/1.1 keep-alive) each POST N reports at a
random point of a random grid. Bounded: it stops by itself after C × N requests (and gives up
after --deadline seconds). Then it checks the database: every accepted report is exactly one
case (by its unique description), no case was made twice, nothing refused was written.

    python benchmarks/bench_open311.py                      # 50 clients × 40 POSTs, both databases
    python benchmarks/bench_open311.py --clients 50 --per-client 2000 --only sqlite
    python benchmarks/bench_open311.py --workers 2
    python benchmarks/bench_open311.py --rate 150            # latency at 150 POSTs/s offered

Closed loop (default), 50 clients always waiting make latency ≈ 50 / throughput (Little's law);
the open-loop --rate run shows the latency a given load sees.

Prints accepted reports/s, p50/p95/p99 latency and the checks; --json FILE keeps them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402

from gridstation.admin.apikeys import add_key  # noqa: E402
from gridstation.store.db import make_engine, session_factory  # noqa: E402
from gridstation.store.model import Case, Category, UnitGrid  # noqa: E402

PG_ADMIN = os.environ.get("GRIDSTATION_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(url: str, demo_cases: int) -> tuple[str, list[tuple[float, float]], list[str]]:
    from gridstation.demo.city import build_demo

    build_demo(url, seed=7, cases=demo_cases, months=1)
    eng = make_engine(url)
    _, key = add_key(eng, "admin", name=f"bench-{uuid.uuid4().hex[:6]}", rate_per_minute=100_000)
    with session_factory(eng)() as s:
        grids = s.execute(select(UnitGrid.min_lon, UnitGrid.min_lat, UnitGrid.max_lon, UnitGrid.max_lat,
                                 UnitGrid.geometry).where(UnitGrid.valid_to.is_(None))).all()
        codes = list(s.scalars(select(Category.code).where(Category.is_leaf.is_(True), Category.retired.is_(False))))
    from shapely.geometry import shape

    points = []
    for g in grids:
        p = shape(g.geometry).representative_point()
        points.append((p.x, p.y))
    eng.dispose()
    return key, points, codes


async def one_client(port: int, key: str, run: str, cid: int, n: int, points, codes, lat_ms: list, out: dict,
                     rng: random.Random, interval: float | None = None, start: float = 0.0) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    loop = asyncio.get_running_loop()
    try:
        for i in range(n):
            if interval:
                # Open loop: this client's i-th request is due at start + i × interval, whether
                # the server kept up or not (a late server shows as latency, not as a lower rate).
                delay = start + i * interval - loop.time()
                if delay > 0:
                    await asyncio.sleep(delay)
            lon, lat = rng.choice(points)
            body = urlencode({"api_key": key, "service_code": rng.choice(codes), "lat": f"{lat:.7f}",
                              "long": f"{lon:.7f}", "description": f"{run}-{cid}-{i} 压力测试"}).encode()
            req = (f"POST /open311/v2/requests.json HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                   f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n\r\n").encode()
            t0 = time.perf_counter()
            writer.write(req + body)
            await writer.drain()
            status_line = await reader.readline()
            length = 0
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                k, _, v = line.decode("latin-1").partition(":")
                if k.strip().lower() == "content-length":
                    length = int(v.strip())
            payload = await reader.readexactly(length) if length else b""
            lat_ms.append((time.perf_counter() - t0) * 1000)
            status = int(status_line.split()[1]) if status_line else 0
            if status == 200:
                out["accepted"].append((f"{run}-{cid}-{i} 压力测试", json.loads(payload)[0]["service_request_id"]))
            else:
                out["refused"].append((status, payload[:200].decode("utf-8", "replace")))
    finally:
        writer.close()


async def flood(port: int, key: str, run: str, clients: int, per_client: int, points, codes,
                rate: float | None = None) -> dict:
    lat_ms: list[float] = []
    out = {"accepted": [], "refused": []}
    rng = random.Random(42)
    t0 = time.perf_counter()
    interval = clients / rate if rate else None
    start = asyncio.get_running_loop().time() + 0.05
    await asyncio.gather(*[one_client(port, key, run, c, per_client, points, codes, lat_ms, out,
                                      random.Random(rng.random()), interval,
                                      start + (c * interval / clients if interval else 0.0))
                           for c in range(clients)])
    out["seconds"] = time.perf_counter() - t0
    out["lat_ms"] = lat_ms
    return out


def wait_up(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not come up")


def run_one(label: str, url: str, args) -> dict:
    print(f"[{label}] building the demo city ({args.demo_cases} cases)...", flush=True)
    key, points, codes = prepare(url, args.demo_cases)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    log = tempfile.TemporaryFile()  # the server's log (a pipe nobody reads would fill and block it)
    proc = subprocess.Popen([sys.executable, "-m", "gridstation", "--db", url, "serve", "--host", "127.0.0.1",
                             "--port", str(port), "--workers", str(args.workers)], env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_up(port, proc)
        eng = make_engine(url)
        with session_factory(eng)() as s:
            before = s.scalar(select(func.count()).select_from(Case))
        run = f"bench{uuid.uuid4().hex[:6]}"
        load_before = os.getloadavg()[0]
        print(f"[{label}] {args.clients} clients × {args.per_client} POSTs on 127.0.0.1:{port}, "
              f"{args.workers} worker(s), {'as fast as answered' if not args.rate else f'{args.rate:g}/s offered'}...",
              flush=True)
        # Warm-up: one request per worker's first connection is not measured.
        asyncio.run(flood(port, key, run + "warm", min(4, args.clients), 1, points, codes))
        res = asyncio.run(asyncio.wait_for(
            flood(port, key, run, args.clients, args.per_client, points, codes, args.rate), timeout=args.deadline))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
    with session_factory(eng)() as s:
        after = s.scalar(select(func.count()).select_from(Case))
        rows = s.execute(select(Case.description, Case.number).where(Case.description.like(f"{run}-%"))).all()
        warm = s.scalar(select(func.count()).select_from(Case).where(Case.description.like(f"{run}warm-%")))
    eng.dispose()
    accepted = res["accepted"]
    in_db = {d: n for d, n in rows}
    descs = [d for d, _ in rows]
    lost = [d for d, n in accepted if in_db.get(d) != n]
    doubled = len(descs) - len(set(descs))
    numbers_unique = len({n for _, n in accepted}) == len(accepted)
    lat = sorted(res["lat_ms"])
    q = statistics.quantiles(lat, n=100) if len(lat) > 1 else [lat[0]] * 99
    summary = {
        "database": label, "clients": args.clients, "per_client": args.per_client, "workers": args.workers,
        "requests": len(lat), "accepted": len(accepted), "refused": len(res["refused"]),
        "seconds": round(res["seconds"], 2), "accepted_per_s": round(len(accepted) / res["seconds"], 1),
        "p50_ms": round(q[49], 1), "p95_ms": round(q[94], 1), "p99_ms": round(q[98], 1),
        "max_ms": round(lat[-1], 1), "new_cases": after - before - warm, "offered_rate": args.rate, "lost": len(lost), "doubled": doubled,
        "numbers_unique": numbers_unique, "server_exit": proc.returncode, "cpus": os.cpu_count(),
        "load_before": round(load_before, 2), "load_after": round(os.getloadavg()[0], 2),
        "refusals_sample": res["refused"][:3],
    }
    ok = (not lost and not doubled and numbers_unique and summary["new_cases"] == len(accepted))
    summary["nothing_lost_or_doubled"] = ok
    print(f"[{label}] {summary['accepted']}/{summary['requests']} accepted in {summary['seconds']} s: "
          f"{summary['accepted_per_s']} reports/s; latency p50 {summary['p50_ms']} ms, p95 {summary['p95_ms']} ms, "
          f"p99 {summary['p99_ms']} ms, max {summary['max_ms']} ms; new cases {summary['new_cases']}, "
          f"lost {summary['lost']}, doubled {summary['doubled']} → {'OK' if ok else 'FAILED'}; "
          f"server exit {proc.returncode}; load average {summary['load_before']} → {summary['load_after']} "
          f"on {summary['cpus']} CPUs", flush=True)
    if res["refused"]:
        print(f"[{label}] refusals: {res['refused'][:3]}", flush=True)
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--per-client", type=int, default=40, help="POSTs per client (default 40: 2,000 in all)")
    ap.add_argument("--workers", type=int, default=1, help="service worker processes")
    ap.add_argument("--rate", type=float, default=None,
                    help="offered load in POSTs/s over all clients (open loop); default: each client sends "
                         "its next POST as soon as the last is answered (closed loop, the maximum rate)")
    ap.add_argument("--demo-cases", type=int, default=2000, help="history of the throwaway demo city")
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    ap.add_argument("--deadline", type=float, default=1800, help="give up after this many seconds")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()
    results = []
    if args.only in (None, "sqlite"):
        with tempfile.TemporaryDirectory() as tmp:
            results.append(run_one("sqlite", f"sqlite:///{Path(tmp) / 'bench.db'}", args))
    if args.only in (None, "postgresql"):
        name = f"gs_bench311_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            results.append(run_one("postgresql", admin.url.set(database=name).render_as_string(hide_password=False),
                                   args))
        finally:
            with admin.connect() as c:
                c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                          {"n": name})
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()
    if args.json:
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0 if all(r["nothing_lost_or_doubled"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
