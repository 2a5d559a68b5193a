"""Soak test of the wall display (``gridstation wall``, the command hall's unattended big screen):
it must run for at least an hour against a simulator changing a case every 100 ms, through
database outages and a crashed map renderer, without growing and without falling behind.

    python benchmarks/soak_wall.py                                            # the real test: 65 min
    python benchmarks/soak_wall.py --minutes 3 --outages 1 --outage-seconds 15 --crash-renderer   # a quick try

What it does:

1. starts a throwaway PostgreSQL (``tests/pgcluster.Cluster``: initdb into a temp folder, a free
   port; the machine's own PostgreSQL service is never touched) and creates a database in it;
2. builds the demo city into it (``gridstation --db URL demo``, about a minute; ``--demo-cases``
   for a smaller city when only trying the script);
3. starts Xvfb on a free display (``Xvfb :N -screen 0 WxHx24 -nolisten tcp``) and the wall on it
   (``gridstation --db URL wall --user wall --password-file F --status-file S --status-interval I``,
   ``DISPLAY=:N``, ``QT_QPA_PLATFORM=xcb``), its output in ``wall.log`` in the work folder;
4. starts ``gridstation --db URL simulate --rate R`` (which rides out outages by itself; should it
   die anyway it is started again, and the restarts are counted);
5. every 10 s samples the wall's status file, the RSS of the wall process and of all its
   descendants (QtWebEngine's zygote and renderers; from ``/proc/<pid>/status`` VmRSS), the
   database's ``max(change_log.seq)`` and ``max(cases.id)`` (skipped while the database is down),
   and the lag ``db seq - wall last_seq`` in changes. The status file is read every 0.5 s, to
   time the lag in seconds: from the sample in which a seq first appeared in the database to
   the status file (its mtime) showing the wall has reached it;
6. stops the cluster ``--outages`` times, evenly spread (at 1/3 and 2/3 of the run for two),
   each for ``--outage-seconds``, and times each recovery: from the cluster's start until the
   status says ``online`` and not ``stale`` with ``last_seq`` at least the seq read just after
   the start; the wall's ``lost`` / ``restored`` counters must have moved;
7. with ``--crash-renderer``, once at about 85% of the run (at least 20 s before the simulator
   stops), SIGKILLs the wall's QtWebEngineProcess renderer (a descendant of the wall's pid with
   ``--type=renderer`` on its command line; no other process is ever signalled) and watches
   ``map_crashes`` and ``map_page_loads``;
8. stops the simulator 30 s before the end and times how long the wall takes to reach the final
   seq; with ``--screenshot PATH`` takes a picture of the display (ImageMagick's ``import``, else
   ``xwd | convert``; skipped with a message when neither works); then stops everything, always
   (also on Ctrl+C or an error), writes the results (``--out``, JSON with every sample) and
   prints a summary.

Memory baseline: the sample at 10 minutes; a run shorter than an hour uses the sample at 1/6 of
the run instead (``min(10 min, run / 6)``), so the 3-minute try measures growth from 30 s on.

Exit code 0 only if: the wall process stayed alive the whole run (never exited, its status pid
never changed); the wall's own RSS grew less than 10% from the baseline to the end; every outage
was recovered within 120 s; the wall caught up with the final seq within 30 s after the simulator
stopped. Anything else (or Ctrl+C) exits non-zero.

Needs PostgreSQL's server binaries (initdb, pg_ctl) and Xvfb (Debian: ``xvfb``); the work folder
with the logs and the status file is kept and named in the summary.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pgcluster import Cluster  # noqa: E402

GRIDSTATION = [sys.executable, "-m", "gridstation.cli"]
SAMPLE_EVERY = 10.0  # seconds between full samples
TICK = 0.5  # seconds between status-file reads and schedule checks
SIM_STOP_BEFORE_END = 30.0  # the simulator stops this long before the end ...
CATCH_UP_LIMIT = 30.0  # ... and the wall must reach the final seq within this
RECOVERY_LIMIT = 120.0  # seconds from the database's start to a current wall
RSS_GROWTH_LIMIT = 10.0  # percent, the wall process itself, baseline → end
BASELINE_AT = 600.0  # seconds into the run (or run / 6 when shorter)


def parse_args(argv=None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--minutes", type=float, default=65.0, help="length of the run (default 65)")
    ap.add_argument("--rate", type=float, default=10.0, help="simulator steps per second (default 10)")
    ap.add_argument("--outages", type=int, default=2, help="database outages, evenly spread (default 2)")
    ap.add_argument("--outage-seconds", type=float, default=45.0, help="length of each outage (default 45)")
    ap.add_argument("--crash-renderer", action="store_true",
                    help="kill the wall's QtWebEngine renderer once, at about 85%% of the run")
    ap.add_argument("--size", default="1920x1080", help="the virtual screen, WxH (default 1920x1080)")
    ap.add_argument("--out", default=None,
                    help="results JSON (default benchmarks/results/soak_wall-<timestamp>.json)")
    ap.add_argument("--keep", action="store_true", help="keep the PostgreSQL cluster (its URL is printed)")
    ap.add_argument("--screenshot", metavar="PATH", help="a PNG of the display at the end, before stopping")
    ap.add_argument("--status-interval", type=float, default=1.0,
                    help="the wall's --status-interval (default 1 s here, for the lag in seconds)")
    ap.add_argument("--layout", metavar="FILE", help="passed to the wall as --layout")
    ap.add_argument("--wall-user", default="wall", help="the wall's account (default: the demo's 'wall')")
    ap.add_argument("--wall-password", default="demo", help="its password (default: the demo's 'demo')")
    ap.add_argument("--demo-cases", type=int, default=None,
                    help="cases in the demo city (default: the demo's own, 100,000); smaller only for tries")
    # For debugging this script without the real wall: a command that takes the wall's arguments
    # ("--db URL wall --status-file ..."), e.g. "python /tmp/fake_wall.py".
    ap.add_argument("--wall-cmd", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    m = re.fullmatch(r"(\d+)x(\d+)", args.size)
    if not m:
        ap.error("--size must look like 1920x1080")
    args.width, args.height = int(m[1]), int(m[2])
    total = args.minutes * 60
    if args.outages < 0 or args.outage_seconds <= 0 or args.rate <= 0:
        ap.error("--outages must be >= 0, --outage-seconds and --rate > 0")
    last_outage_end = total * args.outages / (args.outages + 1) + args.outage_seconds
    if total < 90 or (args.outages and last_outage_end > total - SIM_STOP_BEFORE_END - 10):
        ap.error("the run is too short for its outages: every outage must end 40 s before the run does "
                 "(and the run last at least 1.5 minutes)")
    return args


# --------------------------------------------------------------------------- /proc


def _ppid_map() -> dict[int, int]:
    out = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid ...": comm may hold spaces and parentheses
        out[int(d)] = int(stat.rsplit(")", 1)[1].split()[1])
    return out


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, ppid in _ppid_map().items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def vmrss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return 0  # a zombie has no VmRSS line


def cmdline(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return int(f.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def renderers(wall_pid: int) -> list[int]:
    """The wall's QtWebEngine renderer processes: descendants of its pid only. On Linux a
    renderer is forked from the zygote and keeps the zygote's command line, so a
    QtWebEngineProcess whose parent is a QtWebEngineProcess counts too."""
    mine = descendants(wall_pid)
    engine = {p for p in mine if "QtWebEngineProcess" in cmdline(p)}
    return [p for p in sorted(engine) if "--type=renderer" in cmdline(p) or _ppid(p) in engine]


# --------------------------------------------------------------------------- helpers


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


def pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(q / 100 * (len(v) - 1))))]


def growth(base: float | None, end: float | None) -> float | None:
    if not base or end is None:
        return None
    return round((end - base) / base * 100, 2)


class StatusFile:
    """The wall's status JSON, read when its mtime changes (a half-written file is ignored)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict | None = None
        self.mtime = 0.0
        self.pids: set[int] = set()
        self.reads = 0

    def poll(self) -> bool:
        try:
            mtime = self.path.stat().st_mtime
        except OSError:
            return False
        if mtime == self.mtime:
            return False
        try:
            data = json.loads(self.path.read_text())
        except (OSError, ValueError):
            return False
        if not isinstance(data, dict):
            return False
        self.data, self.mtime = data, mtime
        self.reads += 1
        if isinstance(data.get("pid"), int):
            self.pids.add(data["pid"])
        return True

    def get(self, key, default=None):
        return (self.data or {}).get(key, default)


class Soak:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.total = args.minutes * 60
        self.work = Path(tempfile.mkdtemp(prefix="gs-soak-wall-"))
        self.status = StatusFile(self.work / "status.json")
        self.cluster: Cluster | None = None
        self.url = self.conninfo = None
        self.xvfb = self.wall = self.sim = None
        self.display = None
        self.t0: float | None = None  # time.time() when the wall was started
        self.events: list[dict] = []
        self.samples: list[dict] = []
        self.outages: list[dict] = []
        self.crash: dict | None = None
        self.catch_up: dict | None = None
        self.sim_restarts = 0
        self.sim_stopped = False
        self.db_down = False
        self.pending: list[tuple[float, int]] = []  # (time.time() of the db sample, seq) not yet reached
        self.lag_seconds: list[tuple[float, float]] = []  # (time the seq appeared, seconds to reach it)
        self.wall_exit: dict | None = None
        self.error: str | None = None
        self.interrupted = False
        self.demo_seconds = None
        self.screenshot: str | None = None
        self.first_db: tuple[int, int] | None = None
        self.final_db: tuple[int, int] | None = None
        self.logs: list = []

    # ---- bookkeeping

    def rel(self, t: float | None = None) -> float:
        return round((t or time.time()) - (self.t0 or time.time()), 1)

    def log(self, msg: str) -> None:
        stamp = f"[{self.rel():7.1f}s]" if self.t0 else "[  setup ]"
        print(f"{datetime.now():%H:%M:%S} {stamp} {msg}", flush=True)
        self.events.append({"t": self.rel() if self.t0 else None, "at": now_iso(), "what": msg})

    def db(self) -> tuple[int, int] | None:
        """(max change_log.seq, max cases.id), or None when the database does not answer."""
        import psycopg

        try:
            with psycopg.connect(self.conninfo, connect_timeout=2) as c:
                seq, case = c.execute("SELECT COALESCE((SELECT max(seq) FROM change_log), 0), "
                                      "COALESCE((SELECT max(id) FROM cases), 0)").fetchone()
            return int(seq), int(case)
        except psycopg.Error:
            return None

    def db_retry(self, seconds: float = 15.0) -> tuple[int, int] | None:
        end = time.time() + seconds
        while True:
            got = self.db()
            if got is not None or time.time() > end:
                return got
            time.sleep(0.5)

    # ---- setup

    def start_cluster(self) -> None:
        import psycopg

        self.log("starting a throwaway PostgreSQL cluster")
        self.cluster = Cluster()
        port = self.cluster.port
        with psycopg.connect(f"host=127.0.0.1 port={port} user=postgres dbname=postgres", autocommit=True) as c:
            c.execute("CREATE DATABASE gridstation")
        self.url = f"postgresql://postgres@127.0.0.1:{port}/gridstation"
        self.conninfo = f"host=127.0.0.1 port={port} user=postgres dbname=gridstation"
        self.log(f"cluster on port {port} in {self.cluster.dir}: {self.url}")

    def build_demo(self) -> None:
        cmd = [*GRIDSTATION, "--db", self.url, "demo"]
        if self.args.demo_cases is not None:
            cmd += ["--cases", str(self.args.demo_cases)]
        self.log("building the demo city: " + " ".join(cmd[3:]))
        t = time.time()
        with open(self.work / "demo.log", "w") as out:
            r = subprocess.run(cmd, check=False, stdout=out, stderr=subprocess.STDOUT, env=self.env(), timeout=1800)
        self.demo_seconds = round(time.time() - t, 1)
        if r.returncode:
            tail = (self.work / "demo.log").read_text().strip().splitlines()[-5:]
            raise RuntimeError("the demo city could not be built:\n  " + "\n  ".join(tail))
        self.log(f"demo city built in {self.demo_seconds} s")

    def open_log(self, name: str, mode: str):
        f = open(self.work / name, mode)  # noqa: SIM115 - a child's output, closed in shutdown()
        self.logs.append(f)
        return f

    def env(self, **extra) -> dict:
        return {**os.environ, "PYTHONUNBUFFERED": "1", **extra}

    def start_xvfb(self) -> None:
        xvfb = shutil.which("Xvfb")
        if not xvfb:
            raise RuntimeError("Xvfb not found: install it (Debian: apt-get install xvfb)")
        log = self.open_log("xvfb.log", "w")
        for n in range(90, 190):
            if os.path.exists(f"/tmp/.X{n}-lock") or os.path.exists(f"/tmp/.X11-unix/X{n}"):
                continue
            size = f"{self.args.width}x{self.args.height}x24"
            p = subprocess.Popen([xvfb, f":{n}", "-screen", "0", size, "-nolisten", "tcp"],
                                 stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            deadline = time.time() + 15
            while time.time() < deadline and p.poll() is None and not os.path.exists(f"/tmp/.X11-unix/X{n}"):
                time.sleep(0.1)
            if p.poll() is None and os.path.exists(f"/tmp/.X11-unix/X{n}"):
                self.xvfb, self.display = p, f":{n}"
                self.log(f"Xvfb on display :{n} ({size}), pid {p.pid}")
                return
            stop(p)  # lost a race for the display, or it would not start: try the next one
        raise RuntimeError("Xvfb would not start on any display :90-:189 (see xvfb.log)")

    def start_wall(self) -> None:
        pw = self.work / "password"
        pw.write_text(self.args.wall_password)
        pw.chmod(0o600)
        prefix = shlex.split(self.args.wall_cmd) if self.args.wall_cmd else GRIDSTATION
        cmd = [*prefix, "--db", self.url, "wall", "--user", self.args.wall_user, "--password-file", str(pw),
               "--status-file", str(self.status.path), "--status-interval", str(self.args.status_interval)]
        if self.args.layout:
            cmd += ["--layout", str(Path(self.args.layout).resolve())]
        self.wall = subprocess.Popen(cmd, stdout=self.open_log("wall.log", "w"), stderr=subprocess.STDOUT, start_new_session=True,
                                     env=self.env(DISPLAY=self.display, QT_QPA_PLATFORM="xcb"))
        self.t0 = time.time()
        self.log(f"wall started, pid {self.wall.pid}: {' '.join(shlex.quote(c) for c in cmd[len(prefix):])}")

    def start_sim(self) -> None:
        cmd = [*GRIDSTATION, "--db", self.url, "simulate", "--rate", str(self.args.rate)]
        self.sim = subprocess.Popen(cmd, stdout=self.open_log("simulate.log", "a"), stderr=subprocess.STDOUT, start_new_session=True, env=self.env())
        self.sim_started_at = time.time()
        self.log(f"simulator started, pid {self.sim.pid} ({self.args.rate} steps/s)")

    # ---- the run

    def schedule(self) -> list[tuple[float, str, int]]:
        ev = []
        n = self.args.outages
        for k in range(1, n + 1):
            start = self.total * k / (n + 1)
            ev += [(start, "outage_start", k - 1), (start + self.args.outage_seconds, "outage_end", k - 1)]
        sim_stop = self.total - SIM_STOP_BEFORE_END
        if self.args.crash_renderer:
            ev.append((min(0.85 * self.total, sim_stop - 20), "crash", 0))
        ev.append((sim_stop, "sim_stop", 0))
        return sorted(ev)

    def run(self) -> None:
        self.start_cluster()
        self.build_demo()
        self.first_db = self.db()
        self.start_xvfb()
        self.start_wall()
        self.start_sim()
        events = self.schedule()
        self.log("schedule: " + ", ".join(f"{kind}{'' if kind in ('sim_stop', 'crash') else ' ' + str(i + 1)} "
                                          f"at {t:.0f}s" for t, kind, i in events) + f", end at {self.total:.0f}s")
        next_sample = time.time()
        last_restart = 0.0
        while True:
            now = time.time()
            rel = now - self.t0
            if self.wall.poll() is not None:
                self.wall_exit = {"t": self.rel(), "code": self.wall.returncode}
                self.log(f"THE WALL EXITED with code {self.wall.returncode}: see {self.work / 'wall.log'}")
                break
            if self.status.poll():
                self.on_status()
            while events and events[0][0] <= rel:
                _, kind, i = events.pop(0)
                getattr(self, f"do_{kind}")(i)
            if not self.sim_stopped and self.sim.poll() is not None and now - last_restart > 5:
                self.sim_restarts += 1
                last_restart = now
                self.log(f"the simulator died (exit code {self.sim.returncode}); restarting it "
                         f"(restart {self.sim_restarts})")
                self.start_sim()
            if now >= next_sample:
                self.sample()
                next_sample += SAMPLE_EVERY
            if rel >= self.total and not events:
                caught = self.catch_up is not None and self.catch_up.get("seconds") is not None
                if caught or rel >= self.total + CATCH_UP_LIMIT:
                    break
            time.sleep(TICK)
        if self.wall_exit is None:
            if not self.samples or self.rel() - self.samples[-1]["t"] > 2:
                self.sample()
            if self.args.screenshot:
                self.take_screenshot(self.args.screenshot)

    def on_status(self) -> None:
        st = self.status
        seq = st.get("last_seq")
        if isinstance(seq, int):
            while self.pending and self.pending[0][1] <= seq:
                t_db, _ = self.pending.pop(0)
                self.lag_seconds.append((t_db, round(max(0.0, st.mtime - t_db), 2)))
        fresh = st.get("online") is True and st.get("stale") is False and isinstance(seq, int)
        for o in self.outages:
            if o.get("recovery_s") is None and o.get("db_started_at") and fresh and st.mtime >= o["db_started_at"] \
                    and seq >= (o.get("seq_after_start") or 0):
                o["recovery_s"] = round(time.time() - o["db_started_at"], 1)
                o["lost_after"], o["restored_after"] = st.get("lost"), st.get("restored")
                o["lost_incremented"] = _gt(st.get("lost"), o.get("lost_before"))
                o["restored_incremented"] = _gt(st.get("restored"), o.get("restored_before"))
                self.log(f"outage {o['n']}: the wall is current again {o['recovery_s']} s after the database "
                         f"started (lost {o['lost_before']}→{o['lost_after']}, "
                         f"restored {o['restored_before']}→{o['restored_after']})")
        c = self.crash
        if c and c.get("page_reload_s") is None and c.get("killed") and \
                _gt(st.get("map_page_loads"), c.get("page_loads_before")):
            c["page_reload_s"] = round(time.time() - c["at"], 1)
            c["crashes_after"], c["page_loads_after"] = st.get("map_crashes"), st.get("map_page_loads")
            c["crash_counted"] = _gt(st.get("map_crashes"), c.get("crashes_before"))
            self.log(f"the map page was loaded again {c['page_reload_s']} s after the renderer was killed "
                     f"(map_crashes {c['crashes_before']}→{c['crashes_after']})")
        cu = self.catch_up
        if cu and cu.get("seconds") is None and cu.get("final_seq") is not None and isinstance(seq, int) \
                and seq >= cu["final_seq"]:
            cu["seconds"] = round(max(0.0, min(time.time(), st.mtime) - cu["at"]), 1)
            self.log(f"the wall reached the final seq {cu['final_seq']} {cu['seconds']} s after the simulator stopped")

    def sample(self) -> None:
        t = time.time()
        pid = self.wall.pid
        kids = descendants(pid)
        rss_main = vmrss_kb(pid)
        rss_kids = sum(vmrss_kb(k) or 0 for k in kids)
        db = None if self.db_down else self.db()
        if db is not None and (not self.pending or db[0] > self.pending[-1][1]):
            last = self.status.get("last_seq")
            if not isinstance(last, int) or db[0] > last:
                self.pending.append((t, db[0]))
        st = self.status
        last_seq = st.get("last_seq")
        s = {
            "t": self.rel(t), "at": now_iso(),
            "rss_main_kb": rss_main, "rss_children_kb": rss_kids,
            "rss_total_kb": (rss_main or 0) + rss_kids, "children": len(kids),
            "db_seq": db[0] if db else None, "db_max_case": db[1] if db else None, "db_down": self.db_down,
            "lag_changes": db[0] - last_seq if db and isinstance(last_seq, int) else None,
            "sim_alive": self.sim is not None and self.sim.poll() is None,
            "status_age_s": round(t - st.mtime, 1) if st.mtime else None,
            "status": dict(st.data) if st.data else None,
        }
        self.samples.append(s)
        print(f"{datetime.now():%H:%M:%S} [{s['t']:7.1f}s] rss {fmt_kb(rss_main)} (+{fmt_kb(rss_kids)} in "
              f"{len(kids)} children)  db seq {s['db_seq'] if db else 'down'}  wall seq {last_seq}  "
              f"lag {s['lag_changes']}  online {st.get('online')} stale {st.get('stale')}  "
              f"ticker {st.get('ticker_items')}  map {st.get('map_batches_applied')}/{st.get('map_batches_sent')}",
              flush=True)

    def do_outage_start(self, i: int) -> None:
        o = {"n": i + 1, "stopped_at_t": self.rel(), "lost_before": self.status.get("lost"),
             "restored_before": self.status.get("restored"), "recovery_s": None}
        self.outages.append(o)
        self.log(f"outage {i + 1}: stopping the database for {self.args.outage_seconds:.0f} s")
        self.db_down = True
        self.cluster.stop()

    def do_outage_end(self, i: int) -> None:
        o = self.outages[i]
        self.cluster.start()
        o["db_started_at"] = time.time()
        o["started_at_t"] = self.rel()
        self.db_down = False
        got = self.db_retry()
        o["seq_after_start"] = got[0] if got else None
        self.log(f"outage {i + 1}: database started again; seq {o['seq_after_start']}")

    def do_crash(self, _i: int) -> None:
        found = renderers(self.wall.pid)
        c = self.crash = {"at": time.time(), "t": self.rel(), "renderers": found, "killed": None,
                          "crashes_before": self.status.get("map_crashes"),
                          "page_loads_before": self.status.get("map_page_loads"), "page_reload_s": None}
        if not found:
            self.log("renderer crash: the wall has no QtWebEngineProcess --type=renderer descendant; nothing killed")
            return
        victim = max(found, key=lambda p: vmrss_kb(p) or 0)  # the map's, when there are several
        if victim not in descendants(self.wall.pid):  # re-check just before the kill
            self.log("renderer crash: the renderer went away by itself; nothing killed")
            return
        try:
            os.kill(victim, signal.SIGKILL)
            c["killed"] = victim
            self.log(f"renderer crash: killed the wall's renderer pid {victim} ({len(found)} renderer(s))")
        except ProcessLookupError:
            self.log("renderer crash: the renderer went away by itself; nothing killed")

    def do_sim_stop(self, _i: int) -> None:
        self.log("stopping the simulator; waiting for the wall to catch up")
        self.sim_stopped = True
        stop(self.sim, signal.SIGINT)
        self.final_db = self.db_retry()
        self.catch_up = {"at": time.time(), "t": self.rel(), "final_seq": self.final_db[0] if self.final_db else None,
                         "seconds": None}
        if self.status.get("last_seq") is not None:
            self.on_status()  # maybe it is there already

    def take_screenshot(self, path: str) -> None:
        out = Path(path).resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, "DISPLAY": self.display}
        tries = []
        if shutil.which("import"):
            tries.append(("import", ["import", "-window", "root", str(out)], None))
        if shutil.which("xwd") and shutil.which("convert"):
            tries.append(("xwd | convert", ["xwd", "-root", "-silent"], ["convert", "xwd:-", str(out)]))
        for name, cmd, pipe_to in tries:
            try:
                out.unlink(missing_ok=True)
                if pipe_to:
                    grab = subprocess.run(cmd, check=False, env=env, capture_output=True, timeout=60)
                    subprocess.run(pipe_to, check=False, input=grab.stdout, env=env, capture_output=True, timeout=60)
                else:
                    subprocess.run(cmd, check=False, env=env, capture_output=True, timeout=60)
            except (OSError, subprocess.SubprocessError):
                continue
            if out.exists() and out.stat().st_size > 0:
                self.screenshot = str(out)
                self.log(f"screenshot ({name}): {out}")
                return
        self.log("screenshot skipped: needs ImageMagick's import, or xwd and a real convert "
                 "(Debian: apt-get install imagemagick x11-apps)")

    # ---- the end

    def shutdown(self) -> None:
        if self.sim is not None and self.sim.poll() is None:
            stop(self.sim, signal.SIGINT)
        if self.wall is not None:
            if self.wall.poll() is None:
                stop(self.wall, signal.SIGTERM, group=True)
            else:
                kill_group(self.wall.pid)  # renderers left behind by a dead wall
        if self.xvfb is not None:
            stop(self.xvfb, signal.SIGTERM)
        if self.cluster is not None:
            if self.args.keep:
                if not self.cluster.running():
                    try:
                        self.cluster.start()
                    except subprocess.CalledProcessError:
                        pass
                print(f"kept the cluster: {self.url} (data in {self.cluster.dir}; stop it with "
                      f"pg_ctl -D {self.cluster.data} stop)", flush=True)
            else:
                self.cluster.destroy()
        for f in self.logs:
            f.close()

    def sim_counts(self) -> dict:
        steps = actions = down = back = 0
        path = self.work / "simulate.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        for m in re.finditer(r"^(?:stopped|done): (\d+) steps, (\d+) actions", text, re.MULTILINE):
            steps += int(m[1])
            actions += int(m[2])
        down = len(re.findall(r"database unavailable", text))
        back = len(re.findall(r"database back after", text))
        return {"steps": steps, "actions": actions, "outages_seen": down, "recoveries_seen": back,
                "restarts": self.sim_restarts, "log": str(path)}

    def report(self) -> int:
        a = self.args
        samples = self.samples
        duration = round(samples[-1]["t"], 1) if samples else None
        baseline_t = min(BASELINE_AT, self.total / 6)
        base = next((s for s in samples if s["t"] >= baseline_t and s["rss_main_kb"]), None)
        end = next((s for s in reversed(samples) if s["rss_main_kb"]), None)
        mains = [s["rss_main_kb"] for s in samples if s["rss_main_kb"]]
        totals = [s["rss_total_kb"] for s in samples if s["rss_main_kb"]]
        rss = {
            "baseline_t": base["t"] if base else None, "end_t": end["t"] if end else None,
            "main_baseline_kb": base["rss_main_kb"] if base else None, "main_end_kb": end["rss_main_kb"] if end else None,
            "main_max_kb": max(mains, default=None),
            "main_growth_pct": growth(base and base["rss_main_kb"], end and end["rss_main_kb"]),
            "total_baseline_kb": base["rss_total_kb"] if base else None,
            "total_end_kb": end["rss_total_kb"] if end else None, "total_max_kb": max(totals, default=None),
            "total_growth_pct": growth(base and base["rss_total_kb"], end and end["rss_total_kb"]),
        }
        windows = [(o["stopped_at_t"], (o.get("started_at_t") or self.total) + (o.get("recovery_s") or RECOVERY_LIMIT))
                   for o in self.outages]
        windows += [(self.crash["t"], self.crash["t"] + (self.crash.get("page_reload_s") or 60))] if self.crash else []

        def steady(t_rel):
            return not any(lo <= t_rel <= hi for lo, hi in windows)

        lag_changes = [s["lag_changes"] for s in samples if s["lag_changes"] is not None]
        lag_changes_steady = [s["lag_changes"] for s in samples if s["lag_changes"] is not None and steady(s["t"])]
        lag_s = [x for _, x in self.lag_seconds]
        lag_s_steady = [x for t, x in self.lag_seconds if steady(t - self.t0)]
        lag = {
            "changes_max": max(lag_changes, default=None), "changes_p95": pct(lag_changes, 95),
            "changes_max_steady": max(lag_changes_steady, default=None), "changes_p95_steady": pct(lag_changes_steady, 95),
            "seconds_max": max(lag_s, default=None), "seconds_p95": pct(lag_s, 95),
            "seconds_max_steady": max(lag_s_steady, default=None), "seconds_p95_steady": pct(lag_s_steady, 95),
            "seconds_samples": len(lag_s), "not_reached_at_end": len(self.pending),
            "steady_excludes": "outage → recovery windows and the renderer crash → page reload",
        }
        st = self.status
        last_db = next(((s["db_seq"], s["db_max_case"]) for s in reversed(samples) if s["db_seq"] is not None), None)
        final_db = self.final_db or last_db  # the final read, else the last sample's (an interrupted run)
        final_case = final_db[1] if final_db else None
        wall_pid = self.wall.pid if self.wall else None
        alive = self.wall is not None and self.wall_exit is None and self.status.pids <= {wall_pid} \
            and bool(self.status.pids) and not self.interrupted
        checks = {
            "wall_alive": alive,
            "rss_growth_below_10pct": rss["main_growth_pct"] is not None and rss["main_growth_pct"] < RSS_GROWTH_LIMIT,
            "outages_recovered_within_120s": len(self.outages) == a.outages and all(
                o.get("recovery_s") is not None and o["recovery_s"] <= RECOVERY_LIMIT for o in self.outages),
            "caught_up_within_30s": bool(self.catch_up) and self.catch_up.get("seconds") is not None
            and self.catch_up["seconds"] <= CATCH_UP_LIMIT,
        }
        passed = all(checks.values()) and not self.error and not self.interrupted
        results = {
            "script": "benchmarks/soak_wall.py", "started_at": datetime.fromtimestamp(self.t0).isoformat(
                timespec="seconds") if self.t0 else None, "ended_at": now_iso(),
            "config": {k: v for k, v in vars(a).items() if k != "wall_password"},
            "duration_s": duration, "planned_s": self.total, "demo_build_s": self.demo_seconds,
            "work_dir": str(self.work), "display": self.display, "db_url": self.url,
            "wall": {"pid": wall_pid, "status_pids": sorted(self.status.pids), "exit": self.wall_exit,
                     "status_reads": self.status.reads, "log": str(self.work / "wall.log"),
                     "final_status": st.data},
            "simulator": self.sim_counts(),
            "db": {"first": self.first_db, "final": final_db,
                   "changes_during_run": (final_db[0] - self.first_db[0]) if final_db and self.first_db else None},
            "ticker": {"newest_case": st.get("ticker_newest_case"), "db_max_case": final_case,
                       "items": st.get("ticker_items")},
            "map": {k: st.get(f"map_{k}") for k in ("batches_sent", "batches_applied", "cases", "page_loads",
                                                    "crashes")},
            "rss": rss, "lag": lag, "outages": [{k: v for k, v in o.items() if k != "db_started_at"}
                                                for o in self.outages],
            "renderer_crash": {k: v for k, v in self.crash.items() if k != "at"} if self.crash else None,
            "catch_up": {k: v for k, v in self.catch_up.items() if k != "at"} if self.catch_up else None,
            "screenshot": self.screenshot, "error": self.error, "interrupted": self.interrupted,
            "checks": checks, "passed": passed, "events": self.events, "samples": samples,
        }
        out = Path(a.out) if a.out else ROOT / "benchmarks" / "results" / \
            f"soak_wall-{datetime.now():%Y%m%d-%H%M%S}.json"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str))
        self.print_summary(results, out)
        return 0 if passed else 1

    def print_summary(self, r: dict, out: Path) -> None:
        rss, lag, sim = r["rss"], r["lag"], r["simulator"]

        def yn(b):
            return "yes" if b else "NO"

        p = print
        p("\n===== wall soak test =====")
        p(f"duration            {fmt_s(r['duration_s'])} of {fmt_s(r['planned_s'])} planned "
          f"(demo city built in {fmt_s(r['demo_build_s'])}, work folder {r['work_dir']})")
        if r["error"]:
            p(f"ERROR               {r['error'].strip().splitlines()[-1]}")
        if r["interrupted"]:
            p("INTERRUPTED")
        p(f"simulator           {sim['steps']} steps, {sim['actions']} actions; {r['db']['changes_during_run']} changes "
          f"written; {sim['outages_seen']} outages seen, {sim['restarts']} restarts")
        w = r["wall"]
        p(f"wall alive          {yn(r['checks']['wall_alive'])} (pid {w['pid']}, status pids {w['status_pids']}, "
          f"exit {w['exit']['code'] if w['exit'] else 'none'})")
        p(f"RSS wall process    {fmt_kb(rss['main_baseline_kb'])} at {fmt_s(rss['baseline_t'])} → "
          f"{fmt_kb(rss['main_end_kb'])} at end: {fmt_pct(rss['main_growth_pct'])} (max {fmt_kb(rss['main_max_kb'])})")
        p(f"RSS incl. children  {fmt_kb(rss['total_baseline_kb'])} → {fmt_kb(rss['total_end_kb'])}: "
          f"{fmt_pct(rss['total_growth_pct'])} (max {fmt_kb(rss['total_max_kb'])})")
        p(f"lag, changes        max {lag['changes_max']}, p95 {lag['changes_p95']} "
          f"(outside outages: max {lag['changes_max_steady']}, p95 {lag['changes_p95_steady']})")
        p(f"lag, seconds        max {lag['seconds_max']}, p95 {lag['seconds_p95']} "
          f"(outside outages: max {lag['seconds_max_steady']}, p95 {lag['seconds_p95_steady']}; "
          f"{lag['seconds_samples']} seqs timed, {lag['not_reached_at_end']} never reached)")
        t = r["ticker"]
        p(f"ticker              newest case {t['newest_case']} vs db max case {t['db_max_case']} "
          f"({t['items']} items)")
        m = r["map"]
        p(f"map                 batches {m['batches_applied']} applied / {m['batches_sent']} sent, "
          f"{m['cases']} cases, {m['page_loads']} page loads, {m['crashes']} crashes")
        for o in r["outages"]:
            p(f"outage {o['n']}            at {fmt_s(o['stopped_at_t'])}: recovered in "
              f"{fmt_s(o.get('recovery_s')) if o.get('recovery_s') is not None else 'NEVER'}; "
              f"lost {o.get('lost_before')}→{o.get('lost_after')} ({yn(o.get('lost_incremented'))}), "
              f"restored {o.get('restored_before')}→{o.get('restored_after')} ({yn(o.get('restored_incremented'))})")
        c = r["renderer_crash"]
        if c:
            p(f"renderer crash      at {fmt_s(c['t'])}: killed pid {c['killed']}; page loaded again after "
              f"{fmt_s(c['page_reload_s'])}, map_crashes {c['crashes_before']}→{c.get('crashes_after')}")
        cu = r["catch_up"]
        p(f"catch-up            {fmt_s(cu['seconds']) if cu and cu['seconds'] is not None else 'NEVER'} after the "
          f"simulator stopped (final seq {cu['final_seq'] if cu else None})")
        if r["screenshot"]:
            p(f"screenshot          {r['screenshot']}")
        p("checks              " + ", ".join(f"{k} {yn(v)}" for k, v in r["checks"].items()))
        p(f"results             {out}")
        p("PASSED" if r["passed"] else "FAILED")


def _gt(a, b) -> bool:
    return isinstance(a, int) and isinstance(b, int) and a > b


def fmt_kb(kb) -> str:
    return "?" if kb is None else f"{kb / 1024:.0f} MB"


def fmt_s(s) -> str:
    if s is None:
        return "?"
    return f"{s:.1f} s" if s < 120 else f"{s / 60:.1f} min"


def fmt_pct(p) -> str:
    return "?" if p is None else f"{p:+.1f}%"


def stop(p: subprocess.Popen | None, sig=signal.SIGTERM, *, group: bool = False, wait: float = 15.0) -> None:
    """Ask a process this script started to stop (its whole process group with ``group``), then kill it."""
    if p is None or p.poll() is not None:
        return
    try:
        os.killpg(p.pid, sig) if group else p.send_signal(sig)
        p.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL) if group else p.kill()
        p.wait(timeout=10)
    except ProcessLookupError:
        pass
    if group:
        kill_group(p.pid)


def kill_group(pgid: int) -> None:
    """What is left of a process group this script started (its leader's pid is the group id)."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def main(argv=None) -> int:
    args = parse_args(argv)
    soak = Soak(args)

    def on_term(*_):
        raise KeyboardInterrupt

    # Ctrl+C and SIGTERM stop the run cleanly, even when started with SIGINT ignored (from a
    # background job): the children then get the default SIGINT too, which stops the simulator.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, on_term)
    try:
        soak.run()
    except KeyboardInterrupt:
        soak.interrupted = True
        soak.log("interrupted: stopping everything")
    except Exception:  # noqa: BLE001 - reported, and everything is stopped all the same
        soak.error = traceback.format_exc()
        print(soak.error, file=sys.stderr, flush=True)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl+C must not leave things running
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        soak.shutdown()
    code = soak.report()
    return 130 if soak.interrupted else code


if __name__ == "__main__":
    sys.exit(main())
