"""What the map shows, as plain GeoJSON-ready data: unit grids with their open and overdue
counts, case points with stage and light, components, and region outlines with labels for the
offline base map (no tiles needed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from shapely.geometry import mapping, shape
from shapely.ops import unary_union
from sqlalchemy import case as sql_case
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from gridstation.store.model import OPEN_STATES, Case, CaseState, Component, Region, RegionLevel, UnitGrid

OPEN = [s.value for s in OPEN_STATES]


@dataclass(frozen=True)
class CasePoint:
    id: int
    lon: float
    lat: float
    state: str
    light: str  # green / yellow / red / parked
    number: str


def grid_features(session: Session) -> dict:
    """The current unit grids as a GeoJSON FeatureCollection (id, code, name)."""
    feats = []
    for gid, code, name, geom in session.execute(
        select(UnitGrid.id, UnitGrid.code, UnitGrid.name, UnitGrid.geometry).where(UnitGrid.valid_to.is_(None))
    ):
        feats.append({"type": "Feature", "id": gid, "properties": {"id": gid, "code": code, "name": name}, "geometry": geom})
    return {"type": "FeatureCollection", "features": feats}


def grid_stats(session: Session, *, now: datetime, grid_ids: list[int] | None = None) -> dict[int, tuple[int, int]]:
    """grid id → (open cases, overdue cases) for every grid with at least one open case."""
    overdue = func.sum(sql_case(((Case.state != CaseState.PARKED.value) & (Case.due_at < now), 1), else_=0))
    q = select(Case.grid_id, func.count(Case.id), overdue).where(Case.state.in_(OPEN)).group_by(Case.grid_id)
    if grid_ids is not None:
        q = q.where(Case.grid_id.in_(grid_ids))
    return {gid: (int(n), int(o or 0)) for gid, n, o in session.execute(q) if gid is not None}


def case_points(session: Session, *, now: datetime, ids: list[int] | None = None, limit: int = 50_000) -> list[CasePoint]:
    """Open cases as points (or the given ids, which may have left the loop: then state tells)."""
    q = select(Case.id, Case.lon, Case.lat, Case.state, Case.warn_at, Case.due_at, Case.number)
    q = q.where(Case.id.in_(ids)) if ids is not None else q.where(Case.state.in_(OPEN)).limit(limit)
    out = []
    for cid, lon, lat, state, warn, due, number in session.execute(q):
        if lon is None or lat is None:
            continue
        out.append(CasePoint(cid, lon, lat, state, point_light(state, warn, due, now), number))
    return out


def grids_of(session: Session, case_ids: list[int]) -> list[int]:
    """The grids of these cases (each once, in order)."""
    if not case_ids:
        return []
    return sorted({g for g in session.scalars(select(Case.grid_id).where(Case.id.in_(case_ids))) if g is not None})


def case_updates(session: Session, *, now: datetime, ids: list[int]) -> tuple[list[CasePoint], dict[int, tuple[int, int]]]:
    """What the map must redraw after these cases changed: their points, and (open, overdue)
    for each of their grids, (0, 0) for a grid left without an open case."""
    if not ids:
        return [], {}
    grids = grids_of(session, ids)
    stats = grid_stats(session, now=now, grid_ids=grids) if grids else {}
    return case_points(session, now=now, ids=ids), {g: stats.get(g, (0, 0)) for g in grids}


def point_light(state: str, warn_at, due_at, now: datetime) -> str:
    if state == CaseState.PARKED.value:
        return "parked"
    if state in (CaseState.CLOSED.value, CaseState.VOIDED.value):
        return "done"
    if due_at is not None and due_at < now:
        return "red"
    if warn_at is not None and warn_at < now:
        return "yellow"
    return "green"


def component_points(session: Session, limit: int = 100_000) -> list[tuple[int, float, float, str, str]]:
    return list(
        session.execute(select(Component.id, Component.lon, Component.lat, Component.code, Component.state).limit(limit))
    )


def region_outlines(session: Session, max_depth: int | None = None) -> dict:
    """Outlines of every region above the grids, dissolved from its grids, with a label point.

    This is the default offline base map: district, street and community boundaries.
    """
    regions = {r.id: r for r in session.scalars(select(Region))}
    levels = dict(session.execute(select(RegionLevel.depth, RegionLevel.key)).all())
    geoms_by_region: dict[int, list] = {}
    for rid, geom in session.execute(select(UnitGrid.region_id, UnitGrid.geometry).where(UnitGrid.valid_to.is_(None))):
        g = shape(geom)
        r = regions.get(rid)
        # the grid counts for its region and every ancestor
        path_ids = [int(p) for p in (r.path if r else "").strip("/").split("/") if p]
        for pid in path_ids:
            geoms_by_region.setdefault(pid, []).append(g)
    feats = []
    for rid, geoms in geoms_by_region.items():
        r = regions[rid]
        if r.parent_id is None:  # the city itself: its outline is the union of districts
            continue
        if max_depth is not None and r.depth > max_depth:
            continue
        u = unary_union(geoms).buffer(0)
        label = u.representative_point()
        feats.append(
            {
                "type": "Feature",
                "properties": {"id": rid, "name": r.name, "code": r.code, "depth": r.depth,
                               "level": levels.get(r.depth, ""), "label": [label.x, label.y]},
                "geometry": mapping(u.boundary),
            }
        )
    feats.sort(key=lambda f: f["properties"]["depth"])
    return {"type": "FeatureCollection", "features": feats}


def city_bounds(session: Session) -> tuple[float, float, float, float] | None:
    row = session.execute(
        select(func.min(UnitGrid.min_lon), func.min(UnitGrid.min_lat), func.max(UnitGrid.max_lon), func.max(UnitGrid.max_lat))
        .where(UnitGrid.valid_to.is_(None))
    ).one()
    return None if row[0] is None else tuple(row)  # type: ignore[return-value]
