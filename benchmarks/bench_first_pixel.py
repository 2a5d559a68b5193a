"""First pixel and start time, as a new user sees them: a fresh user folder (no city, no settings),
launch the client, time until its first window is on screen; and the console program's start.

    python benchmarks/bench_first_pixel.py                       # from source: python -m gridstation
    python benchmarks/bench_first_pixel.py --bundle dist/GridStation   # the frozen programs
    python benchmarks/bench_first_pixel.py --bundle A --bundle B       # compare two bundles

"First pixel" = the sign-in window mapped and visible on a real X server (Xvfb, started here;
needs Debian's xvfb and xdotool), polled every 10 ms with ``xdotool search --onlyvisible``.
"Demo window" = the first start's progress window (the demo build behind it has started).
"CLI start" = ``gridstation-cli --help`` (or ``python -m gridstation --help``) to exit.
Target: first pixel < 2 s. Medians of --runs runs (the machine is shared: look at the spread).
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _xvfb() -> tuple[subprocess.Popen, str]:
    for n in range(90, 140):
        if Path(f"/tmp/.X{n}-lock").exists() or Path(f"/tmp/.X11-unix/X{n}").exists():
            continue
        proc = subprocess.Popen(["Xvfb", f":{n}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            if proc.poll() is not None:
                break
            probe = subprocess.run(["xdotool", "getdisplaygeometry"], capture_output=True,
                                   env={**os.environ, "DISPLAY": f":{n}"})
            if probe.returncode == 0:
                return proc, f":{n}"
            time.sleep(0.05)
        proc.kill()
        proc.wait()
    raise SystemExit("could not start Xvfb")


def _visible(display: str, name: str) -> bool:
    r = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True, text=True,
                       env={**os.environ, "DISPLAY": display})
    return bool(r.stdout.strip())


def first_pixel(cmd: list[str], display: str, timeout: float = 60.0) -> tuple[float, float | None]:
    with tempfile.TemporaryDirectory(prefix="gs-fp-") as home:
        env = {**os.environ, "DISPLAY": display, "XDG_DATA_HOME": f"{home}/data", "LOCALAPPDATA": f"{home}/data",
               "XDG_CONFIG_HOME": f"{home}/config", "GRIDSTATION_LOG_DIR": f"{home}/logs", "LANG": "zh_CN.UTF-8"}
        env.pop("QT_QPA_PLATFORM", None)
        env.pop("GRIDSTATION_DB", None)
        t0 = time.perf_counter()
        err = open(f"{home}/stderr.txt", "w+b")  # noqa: SIM115 - read back on failure
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err,
                                start_new_session=True, cwd=home)
        shown = demo = None
        try:
            while time.perf_counter() - t0 < timeout:
                if proc.poll() is not None:
                    err.seek(0)
                    tail = err.read().decode("utf-8", "replace")[-3000:]
                    raise SystemExit(f"{cmd} exited with {proc.returncode} before showing a window:\n{tail}")
                if shown is None and _visible(display, "GridStation"):
                    shown = time.perf_counter() - t0
                if shown is not None and _visible(display, "DemoProgress|first start|首次启动"):
                    demo = time.perf_counter() - t0
                    break
                if shown is not None and time.perf_counter() - t0 > shown + 10:
                    break
                time.sleep(0.01)
        finally:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(10)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        if shown is None:
            raise SystemExit(f"{cmd}: no window within {timeout} s")
        return shown, demo


def cli_start(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd + ["--help"], check=True, stdout=subprocess.DEVNULL,
                   env={**os.environ, "GRIDSTATION_LOG_DIR": tempfile.gettempdir() + "/gs-bench-logs"})
    return time.perf_counter() - t0


def _cli(bundle: Path) -> Path:
    cli = bundle / "gridstation-cli"
    return cli if cli.exists() else bundle / "GridStation"  # a bundle from before the console twin


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bundle", action="append", default=[], help="a PyInstaller bundle folder (repeatable)")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for a window")
    args = ap.parse_args()
    for tool in ("Xvfb", "xdotool"):
        if not shutil.which(tool):
            raise SystemExit(f"{tool} is needed (apt-get install xvfb xdotool)")
    targets = [(b, [str(Path(b).resolve() / "GridStation")], [str(_cli(Path(b).resolve()))]) for b in args.bundle] or [
        ("source", [sys.executable, "-m", "gridstation"], [sys.executable, "-m", "gridstation"])]
    xvfb, display = _xvfb()
    try:
        for label, gui, cli in targets:
            if label != "source":
                size = sum(f.stat().st_size for f in Path(label).rglob("*") if f.is_file() and not f.is_symlink())
                print(f"{label}: {size / 1e6:.0f} MB, {sum(1 for _ in Path(label).rglob('*') if _.is_file())} files")
            px, demo, starts = [], [], []
            for _ in range(args.runs):
                s, d = first_pixel(gui, display, args.timeout)
                px.append(s)
                if d is not None:
                    demo.append(d)
                starts.append(cli_start(cli))
            seen = f"{statistics.median(demo):.2f} s" if demo else "not seen"
            print(f"{label}: first pixel median {statistics.median(px):.2f} s (min {min(px):.2f}, max {max(px):.2f}); "
                  f"demo progress window {seen}")
            print(f"{label}: CLI start (--help) median {statistics.median(starts):.2f} s "
                  f"(min {min(starts):.2f}, max {max(starts):.2f})")
    finally:
        xvfb.terminate()
        xvfb.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
