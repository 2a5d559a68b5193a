"""Point → grid lookups per second on 5,000 jittered unit grids (target: >= 20,000/s).

    python benchmarks/bench_locate.py [--grids 5000] [--points 100000]

Measures ``GridIndex.locate`` (one point per call, as the intake form does) and
``GridIndex.locate_many`` (vectorised, as imports do), and checks both give the same answers.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gridstation.geo.spatial import GridEntry, GridIndex


def jittered_grids(n: int, seed: int = 1) -> list[GridEntry]:
    cols = round((n * 2) ** 0.5)
    rows = -(-n // cols)
    rng = random.Random(seed)
    d = 0.001
    vx = [
        [113.6 + i * d + (rng.uniform(-0.15, 0.15) * d if 0 < i < cols else 0) for j in range(rows + 1)]
        for i in range(cols + 1)
    ]
    vy = [
        [34.7 + j * d + (rng.uniform(-0.15, 0.15) * d if 0 < j < rows else 0) for j in range(rows + 1)]
        for i in range(cols + 1)
    ]
    out = []
    k = 0
    for i in range(cols):
        for j in range(rows):
            if k >= n:
                break
            ring = [
                [vx[i][j], vy[i][j]],
                [vx[i + 1][j], vy[i + 1][j]],
                [vx[i + 1][j + 1], vy[i + 1][j + 1]],
                [vx[i][j + 1], vy[i][j + 1]],
                [vx[i][j], vy[i][j]],
            ]
            out.append(GridEntry(k + 1, f"410105{k:09d}", {"type": "Polygon", "coordinates": [ring]}))
            k += 1
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--grids", type=int, default=5000)
    ap.add_argument("--points", type=int, default=100_000)
    a = ap.parse_args(argv)
    entries = jittered_grids(a.grids)
    t = time.perf_counter()
    idx = GridIndex.from_entries(entries)
    build = time.perf_counter() - t
    xs = [c[0] for e in entries for c in e.geometry["coordinates"][0]]
    ys = [c[1] for e in entries for c in e.geometry["coordinates"][0]]
    rng = np.random.default_rng(2)
    lons = rng.uniform(min(xs), max(xs), a.points)
    lats = rng.uniform(min(ys), max(ys), a.points)

    n_single = min(a.points, 50_000)
    t = time.perf_counter()
    single = [idx.locate(x, y) for x, y in zip(lons[:n_single].tolist(), lats[:n_single].tolist())]
    t_single = time.perf_counter() - t
    t = time.perf_counter()
    many = idx.locate_many(lons, lats)
    t_many = time.perf_counter() - t
    agree = all((s if s is not None else -1) == m for s, m in zip(single, many[:n_single].tolist()))
    rate_single = n_single / t_single
    rate_many = a.points / t_many
    print(f"grids {len(idx):,}; index built in {build * 1000:.0f} ms")
    print(f"locate (one point per call): {rate_single:,.0f} lookups/s ({n_single:,} points in {t_single:.2f} s)")
    print(f"locate_many (vectorised):    {rate_many:,.0f} lookups/s ({a.points:,} points in {t_many:.2f} s)")
    print(f"answers agree: {agree}; points outside every grid: {(many < 0).sum():,}")
    ok = agree and rate_single >= 20_000 and rate_many >= 20_000
    print("OK (>= 20,000 lookups/s)" if ok else "TOO SLOW or disagreeing")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
