"""Point → unit grid (单元网格) lookups with a spatial index, one point or a million at a time.

``GridIndex`` holds the grids' shapely polygons in an STRtree. ``locate`` answers one point;
``locate_many`` answers arrays of points in one vectorised shapely 2 call
(``STRtree.query(points, predicate="intersects")``), which is what imports and evaluation use.

Rule for points on a shared edge or vertex (GB/T 30428.3: a point resolves to exactly one
grid): a point that touches several grids (it lies on their common boundary) belongs to the
grid with the **smallest code** (ties, which only history can produce, to the smallest id).
Boundaries count as inside ("intersects" = "covers" for a point), so a point on the outer edge
of the city still has a grid. This is the same rule as ``gridstation.cases.workflow.locate_grid``,
so the index and the single-case SQL path always agree.

Coordinates are WGS84 lon/lat, like ``UnitGrid.geometry``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry import shape
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.store.model import UnitGrid

NO_GRID = -1  # what locate_many returns for a point in no grid

_FAR_PAST = np.datetime64("0001-01-01", "D")
_FAR_FUTURE = np.datetime64("9999-12-31", "D")


@dataclass(frozen=True)
class GridEntry:
    id: int
    code: str
    geometry: dict
    valid_from: date | None = None
    valid_to: date | None = None


class GridIndex:
    """An STRtree over unit grids, ordered by (code, id) so "smallest code wins" is "smallest index".

    Build it with ``from_session`` (current grids, or the grids valid on a day, or the whole
    history) or ``from_entries``. It is immutable: rebuild it after a grid import.
    """

    def __init__(self, entries: Iterable[GridEntry]) -> None:
        items = sorted(entries, key=lambda e: (e.code, e.id))
        self.ids = np.array([e.id for e in items], dtype=np.int64)
        self.codes: list[str] = [e.code for e in items]
        self.geometries = np.array([shape(e.geometry) for e in items], dtype=object)
        shapely.prepare(self.geometries)
        self.valid_from = np.array(
            [np.datetime64(e.valid_from, "D") if e.valid_from else _FAR_PAST for e in items], dtype="datetime64[D]"
        )
        self.valid_to = np.array(
            [np.datetime64(e.valid_to, "D") if e.valid_to else _FAR_FUTURE for e in items], dtype="datetime64[D]"
        )
        self._has_history = bool(len(items)) and bool(
            (self.valid_to != _FAR_FUTURE).any() or (self.valid_from != _FAR_PAST).any()
        )
        self.tree = STRtree(self.geometries)
        self._pos = {int(i): k for k, i in enumerate(self.ids)}

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_entries(cls, entries: Iterable[GridEntry | tuple]) -> GridIndex:
        """From ``GridEntry`` objects or ``(id, code, geometry)`` tuples."""
        return cls(e if isinstance(e, GridEntry) else GridEntry(*e) for e in entries)

    @classmethod
    def from_session(cls, session: Session, *, at: date | None = None, history: bool = False) -> GridIndex:
        """Current grids (``valid_to`` is NULL); or the grids valid on ``at``; or, with
        ``history=True``, every grid row ever (then pass ``at=`` to ``locate_many``)."""
        q = select(UnitGrid.id, UnitGrid.code, UnitGrid.geometry, UnitGrid.valid_from, UnitGrid.valid_to)
        if not history:
            if at is None:
                q = q.where(UnitGrid.valid_to.is_(None))
            else:
                q = q.where(UnitGrid.valid_from <= at, (UnitGrid.valid_to.is_(None)) | (UnitGrid.valid_to > at))
        rows = session.execute(q).all()
        if history:
            return cls(GridEntry(r.id, r.code, r.geometry, r.valid_from, r.valid_to) for r in rows)
        return cls(GridEntry(r.id, r.code, r.geometry) for r in rows)

    def __len__(self) -> int:
        return len(self.ids)

    # ------------------------------------------------------------------ lookups

    def locate(self, lon: float, lat: float) -> int | None:
        """The id of the grid containing (lon, lat), None outside every grid.

        On a shared edge or vertex: the grid with the smallest code.
        """
        pt = shapely.points(lon, lat)
        hits = self.tree.query(pt, predicate="intersects")
        if len(hits) == 0:
            return None
        return int(self.ids[hits.min()])

    def code_of(self, grid_id: int) -> str | None:
        k = self._pos.get(int(grid_id))
        return None if k is None else self.codes[k]

    def locate_many(
        self,
        lons: Sequence[float] | np.ndarray,
        lats: Sequence[float] | np.ndarray,
        *,
        at: date | Sequence[date] | np.ndarray | None = None,
    ) -> np.ndarray:
        """Grid ids for arrays of points (``NO_GRID`` = -1 where a point lies in no grid).

        ``at`` (one day or one per point) keeps only grids valid on that day
        (``valid_from <= day < valid_to``): useful with an index built with ``history=True``
        to place historical cases in the grid layer of their time.
        """
        lons = np.asarray(lons, dtype=float)
        lats = np.asarray(lats, dtype=float)
        n = len(lons)
        out = np.full(n, NO_GRID, dtype=np.int64)
        if n == 0 or len(self.ids) == 0:
            return out
        ok = np.isfinite(lons) & np.isfinite(lats)
        pts = shapely.points(np.where(ok, lons, 0.0), np.where(ok, lats, 0.0))
        p_idx, g_idx = self.tree.query(pts, predicate="intersects")
        keep = ok[p_idx]
        if at is not None and self._has_history:
            days = np.asarray(at, dtype="datetime64[D]")
            day = days[p_idx] if days.ndim else np.full(len(p_idx), days)
            keep &= (self.valid_from[g_idx] <= day) & (day < self.valid_to[g_idx])
        p_idx, g_idx = p_idx[keep], g_idx[keep]
        if len(p_idx) == 0:
            return out
        # Smallest tree index per point = smallest code (the tree is in code order).
        best = np.full(n, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(best, p_idx, g_idx)
        found = best != np.iinfo(np.int64).max
        out[found] = self.ids[best[found]]
        return out


def locate(session: Session, lon: float, lat: float) -> int | None:
    """One-off lookup against the current grids (builds an index: keep one for many points)."""
    return GridIndex.from_session(session).locate(lon, lat)


__all__ = ["NO_GRID", "GridEntry", "GridIndex", "locate"]
