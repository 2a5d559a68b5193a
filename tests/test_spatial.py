"""Point → grid with the STRtree index agrees with a brute-force test of every polygon, on
10,000 points over a few thousand jittered grids, edges and vertices included."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sqlalchemy.orm import Session

from gridstation.geo.spatial import NO_GRID, GridEntry, GridIndex
from gridstation.cases.workflow import locate_grid

# Dyadic coordinates (multiples of 2**-16 degrees, about 1.7 m): midpoints of edges are exact
# and the brute-force cross products below are computed without rounding, so "on the edge"
# means the same thing to numpy and to GEOS.
Q = 2.0**-16
STEP = 64 * Q  # about 110 m of latitude
LON0, LAT0 = 113.5, 34.75
COLS, ROWS = 60, 50  # 3,000 grids


def lattice(seed: int = 7):
    rng = random.Random(seed)
    vx = np.zeros((COLS + 1, ROWS + 1))
    vy = np.zeros((COLS + 1, ROWS + 1))
    for i in range(COLS + 1):
        for j in range(ROWS + 1):
            jx = rng.randint(-12, 12) if 0 < i < COLS else 0
            jy = rng.randint(-12, 12) if 0 < j < ROWS else 0
            vx[i, j] = LON0 + i * STEP + jx * Q
            vy[i, j] = LAT0 + j * STEP + jy * Q
    quads = []
    for i in range(COLS):
        for j in range(ROWS):
            # counter-clockwise: sw, se, ne, nw
            quads.append(
                [
                    (vx[i, j], vy[i, j]),
                    (vx[i + 1, j], vy[i + 1, j]),
                    (vx[i + 1, j + 1], vy[i + 1, j + 1]),
                    (vx[i, j + 1], vy[i, j + 1]),
                ]
            )
    codes = [f"410105001001{k:03d}" if k < 1000 else f"410105{k:09d}" for k in range(len(quads))]
    rng.shuffle(codes)  # the smallest code is not the first quad
    return quads, codes


def brute_force(quads, codes, lons, lats):
    """Smallest code among the quads that contain or touch each point (exact arithmetic)."""
    q = np.array(quads)  # (n, 4, 2)
    ax, ay = q[:, :, 0], q[:, :, 1]
    bx, by = np.roll(ax, -1, axis=1), np.roll(ay, -1, axis=1)
    order = np.argsort(np.array(codes))
    rank = np.empty(len(codes), dtype=np.int64)
    rank[order] = np.arange(len(codes))
    out = np.full(len(lons), -1, dtype=np.int64)
    for s in range(0, len(lons), 250):
        px = lons[s : s + 250, None, None]
        py = lats[s : s + 250, None, None]
        cross = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
        inside = (cross >= 0).all(axis=2)  # (points, quads)
        r = np.where(inside, rank[None, :], np.iinfo(np.int64).max)
        best = r.min(axis=1)
        hit = best != np.iinfo(np.int64).max
        out[s : s + 250][hit] = order[best[hit]]
    return out


def test_index_agrees_with_brute_force_on_10000_points():
    quads, codes = lattice()
    entries = [
        GridEntry(k + 1, codes[k], {"type": "Polygon", "coordinates": [[*map(list, qd), list(qd[0])]]})
        for k, qd in enumerate(quads)
    ]
    idx = GridIndex.from_entries(entries)
    rng = np.random.default_rng(3)
    pts = []
    # 6,000 random points inside and a little around the lattice
    xmin, ymin = LON0 - 3 * STEP, LAT0 - 3 * STEP
    xmax, ymax = LON0 + (COLS + 3) * STEP, LAT0 + (ROWS + 3) * STEP
    pts += list(
        zip(
            np.round(rng.uniform(xmin, xmax, 6000) / Q**1.25) * Q**1.25,
            np.round(rng.uniform(ymin, ymax, 6000) / Q**1.25) * Q**1.25,
        )
    )
    # 2,500 exact midpoints of shared and outer edges, 1,500 exact vertices
    for _ in range(2500):
        qd = quads[rng.integers(len(quads))]
        e = rng.integers(4)
        (x1, y1), (x2, y2) = qd[e], qd[(e + 1) % 4]
        pts.append(((x1 + x2) / 2, (y1 + y2) / 2))
    for _ in range(1500):
        qd = quads[rng.integers(len(quads))]
        pts.append(qd[rng.integers(4)])
    lons = np.array([p[0] for p in pts])
    lats = np.array([p[1] for p in pts])
    assert len(lons) == 10_000

    expected_pos = brute_force(quads, codes, lons, lats)
    expected = np.where(expected_pos >= 0, expected_pos + 1, NO_GRID)
    got = idx.locate_many(lons, lats)
    assert (got == expected).all(), np.flatnonzero(got != expected)[:10]
    single = np.array([idx.locate(x, y) or NO_GRID for x, y in zip(lons[:3000], lats[:3000])])
    assert (single == expected[:3000]).all()
    # the edge and vertex points really exercise the rule: many touch several grids
    assert (expected[6000:] >= 0).sum() > 3500
    assert (expected == NO_GRID).sum() > 100  # and some points lie outside the city


def test_shared_edge_goes_to_the_smallest_code_and_matches_the_workflow(engine):
    from tests.minicity import DLAT, DLON, build_mini_city
    from tests.minicity import LAT0 as MLAT0
    from tests.minicity import LON0 as MLON0

    city = build_mini_city(engine)
    with Session(engine) as s:
        idx = GridIndex.from_session(s)
        assert len(idx) == 4
        # the edge between G1a and G1b (codes …001001001 and …001001002), a shared vertex, the outer edge
        for lon, lat in [
            (MLON0 + DLON, MLAT0 + DLAT / 2),
            (MLON0 + 2 * DLON, MLAT0),
            (MLON0, MLAT0 + DLAT / 3),
            *[city.point(g) for g in ("G1a", "G1b", "G2a", "G2b")],
        ]:
            want = locate_grid(s, lon, lat)
            assert idx.locate(lon, lat) == (want.id if want else None)
        assert idx.locate(MLON0 + DLON, MLAT0 + DLAT / 2) == city.grids["G1a"]
        assert idx.locate(MLON0 - 0.01, MLAT0) is None
        many = idx.locate_many([MLON0 + DLON, MLON0 - 1, float("nan")], [MLAT0 + 0.0001, MLAT0, MLAT0])
        assert list(many) == [city.grids["G1a"], NO_GRID, NO_GRID]


def test_history_index_places_points_in_the_layer_of_their_day():
    from datetime import date

    sq = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    idx = GridIndex.from_entries(
        [
            GridEntry(1, "410105001001001", sq, date(2020, 1, 1), date(2025, 1, 1)),
            GridEntry(2, "410105001001002", sq, date(2025, 1, 1), None),
        ]
    )
    got = idx.locate_many(
        [0.5, 0.5, 0.5],
        [0.5, 0.5, 0.5],
        at=np.array([date(2024, 6, 1), date(2025, 1, 1), date(2019, 1, 1)], dtype="datetime64[D]"),
    )
    assert list(got) == [1, 2, NO_GRID]


@pytest.mark.parametrize("n", [0])
def test_empty_index(n):
    idx = GridIndex.from_entries([])
    assert idx.locate(1, 1) is None
    assert list(idx.locate_many([1.0], [1.0])) == [NO_GRID]
