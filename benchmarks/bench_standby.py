"""Benchmark: how much later a change reaches a client reading a PostgreSQL hot standby.

    python benchmarks/bench_standby.py [--changes 30]

Makes its own primary and streaming standby (tests/pgcluster.py: initdb and pg_basebackup -R in
temp folders, own ports; never the machine's service), a small city on the primary, and then
reports cases on the primary one at a time. Measured for each:

* **replication**: the workflow call on the primary → the ``change_log`` row readable on the
  standby (polled every 2 ms), with ``synchronous_commit = on`` as in production;
* **client, primary**: commit → a ``ChangeHub`` on the primary emits it (LISTEN/NOTIFY);
* **client, standby**: commit → a ``ChangeHub`` on the standby emits it (NOTIFY does not reach a
  standby: it polls ``change_log`` every ``POLL_MS``).

The extra delay of the standby is the difference of the two clients' medians.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--changes", type=int, default=30)
    args = ap.parse_args(argv)

    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer

    from gridstation.app.context import AppContext
    from gridstation.app.live import POLL_MS, ChangeHub
    from gridstation.cases.workflow import Workflow
    from gridstation.schema import upgrade
    from gridstation.store import changes as feed
    from gridstation.store.db import make_engine
    from tests.minicity import build_mini_city
    from tests.pgcluster import Cluster

    app = QCoreApplication(["bench_standby"])
    primary = Cluster()
    standby = None
    try:
        upgrade(primary.url)
        p_eng = make_engine(primary.url)
        # as in production: a commit's WAL is flushed (and so sent to the standby) at once; the
        # throwaway cluster's default (off, for fast tests) holds it up to wal_writer_delay
        with p_eng.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("ALTER SYSTEM SET synchronous_commit = on")
            c.exec_driver_sql("SELECT pg_reload_conf()")
        city = build_mini_city(p_eng)
        standby = Cluster(standby_of=primary)
        s_eng = make_engine(standby.url, read_only=True)
        while feed.latest_seq(s_eng) != feed.latest_seq(p_eng):
            time.sleep(0.05)
        wf = Workflow(p_eng)

        def spin(ms: int) -> None:
            loop = QEventLoop()
            QTimer.singleShot(ms, loop.quit)
            loop.exec()

        seen: dict[str, dict[int, float]] = {"primary": {}, "standby": {}}
        hubs = []
        for name, eng, url in (("primary", p_eng, primary.url), ("standby", s_eng, standby.url)):
            ctx = AppContext(url=url, engine=eng, workflow=wf, actor=wf.actor("disp"), read_only=name == "standby")
            hub = ChangeHub(ctx)
            hub.changed.connect(lambda rows, name=name: seen[name].update(
                {r.entity_id: time.perf_counter() for r in rows if r.entity == "case"}))
            hub.start()
            hubs.append(hub)

        lon, lat = city.point("G1a")

        def report(i: int) -> int:
            return wf.report("sup1", source="supervisor", description=f"bench {i}", lon=lon, lat=lat,
                             category_id=city.cats["MANHOLE"]).case_id

        # replication alone (the hubs are not serviced meanwhile: their figures come next)
        repl = []
        for i in range(args.changes):
            t0 = time.perf_counter()
            report(i)
            seq = feed.latest_seq(p_eng)
            while feed.latest_seq(s_eng) < seq:
                time.sleep(0.002)
            repl.append((time.perf_counter() - t0) * 1000)
        spin(1500)  # let both hubs catch up on those
        client = {"primary": [], "standby": []}
        for i in range(args.changes):
            t0 = time.perf_counter()
            cid = report(args.changes + i)
            deadline = time.perf_counter() + 10
            while (cid not in seen["primary"] or cid not in seen["standby"]) and time.perf_counter() < deadline:
                spin(2)
            for name in client:
                if cid in seen[name]:
                    client[name].append((seen[name][cid] - t0) * 1000)
            spin(137)  # not in step with the poll
        for hub in hubs:
            hub.stop()
        med = {k: statistics.median(v) for k, v in client.items()}
        print(f"{args.changes} changes; change feed poll on the standby every {POLL_MS} ms")
        print(f"  replication (commit → row on the standby): median {statistics.median(repl):6.1f} ms, "
              f"max {max(repl):6.1f} ms")
        print(f"  client on the primary (NOTIFY):            median {med['primary']:6.1f} ms, max {max(client['primary']):6.1f} ms")
        print(f"  client on the standby (poll):              median {med['standby']:6.1f} ms, max {max(client['standby']):6.1f} ms")
        print(f"  extra delay of the standby: {med['standby'] - med['primary']:.0f} ms (median)")
        p_eng.dispose()
        s_eng.dispose()
    finally:
        if standby is not None:
            standby.destroy()
        primary.destroy()
        del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
