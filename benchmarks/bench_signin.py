"""How long a refused sign-in takes: unknown login vs. wrong password (they must not differ).

    python benchmarks/bench_signin.py [--n 40]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gridstation.accounts.users import AuthError, authenticate, set_password
from gridstation.schema import upgrade
from gridstation.store.db import make_engine
from tests.minicity import build_mini_city


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=40)
    a = ap.parse_args(argv)
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'signin.db'}"
    upgrade(url)
    engine = make_engine(url)
    build_mini_city(engine)
    set_password(engine, "sup1", "a real password 19")  # the mini city's test hashes are cheap
    out = {}
    for label, login in (("unknown login", "nobody"), ("wrong password", "sup1")):
        times = []
        for _ in range(a.n):
            t = time.perf_counter()
            try:
                authenticate(engine, login, "wrong")
            except AuthError:
                pass
            times.append((time.perf_counter() - t) * 1000)
        out[label] = statistics.median(times)
        print(f"{label}: median {out[label]:.1f} ms over {a.n}")
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
