"""Early warning (事前预防): unusual surges of cases, and cases bounced between departments (推诿).

**Surges.** A unit grid, or a category, is flagged when its count in the current period is
abnormally above its own baseline, by this rule:

* count = the cases reported in the period and not voided (a duplicate report is voided before
  filing, so ten calls about one heap of garbage count once); for categories, the filed ones;
* baseline = the same counts in the previous 8 periods of the same length *and the same
  weekday structure*: they step back by the period length rounded up to whole weeks (a day is
  compared with the same weekday of the 8 weeks before; a week with the 8 weeks before; a
  30-day period with 30-day windows starting 35, 70, … days earlier). Supervisors patrol less
  at weekends and the hotline rings into the evening, so mixing weekdays would bias the mean;
* λ = (sum of the 8 baseline counts + ½) ÷ 8: the baseline mean, with half a case of prior so
  that a grid with no case at all in eight periods still has a small positive rate;
* flag when count ≥ ``min_count`` (default 5) **and** the Poisson upper tail
  P(X ≥ count | λ) < ``alpha`` (default 0.01).

Why Poisson: reports of separate problems in a fixed window are counts of rare, independent
events, for which the Poisson law is the natural null model; the exact upper tail needs no
normal approximation and is valid for the small counts of a single grid (a z-score on counts
of 0–3 is not). The discrete tail is conservative (the true false-alarm rate is below
``alpha``), and ``min_count`` keeps a quiet grid from being flagged for going from 0 to 2.
Real counts are somewhat overdispersed (weather, campaigns), so a city-wide list of 1,600
grids will still carry a few flags by chance: flags are ordered by p-value and carry the ratio
to the baseline, and each comes with the ids of the cases behind it.

**Bounces (推诿).** A case is flagged when it has had two or more approved returns (回退), or
two or more re-dispatches to a department other than the previous one (A → B → C, or
A → B → A); one mis-dispatch corrected (A, returned, → B) is not a bounce. Each flag notes
whether the case lies near a grid boundary (within ``boundary_m`` metres of its grid's edge,
with the neighbouring grids), whether that boundary or the departments involved cross a street,
and whether the departments cross command levels (district agency and street unit, or a
change of command level).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from shapely.geometry import Point, Polygon, shape
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from gridstation.analytics.scope import Node, Period, subtree_grid_ids, resolve_node
from gridstation.store.model import Case, CaseEvent, CaseState, Category, Department, Region, RegionLevel, UnitGrid
from gridstation.analytics.model import RollupCaseDay

__all__ = ["Bounce", "Spike", "Warnings", "baseline_periods", "bounces", "detect", "poisson_sf", "spikes"]

#: The rule in the words of the people who read it (tooltips, the weekly review).
RULE = "泊松上尾概率 P(X ≥ n | λ) < α 且 n ≥ 最小件数，λ = (此前 8 个同长度、同星期构成的期间件数之和 + ½) ÷ 8"


def poisson_sf(k: int, lam: float) -> float:
    """P(X ≥ k) for X ~ Poisson(λ), summed in log space (exact enough for any k, λ ≥ 0)."""
    if k <= 0:
        return 1.0
    if lam <= 0:
        return 0.0
    log_term = -lam + k * math.log(lam) - math.lgamma(k + 1)
    if k > lam:  # the tail's terms decrease: sum them from k upwards
        total, i, term = 0.0, k, math.exp(log_term)
        while term > 1e-300:
            total += term
            i += 1
            term *= lam / i
            if term < total * 1e-17:
                break
        return min(1.0, total)
    # otherwise 1 − P(X ≤ k−1), summing the lower terms downwards from k−1
    total, i, term = 0.0, k - 1, math.exp(-lam + (k - 1) * math.log(lam) - math.lgamma(k))
    while i >= 0 and term > 0:
        total += term
        if i == 0:
            break
        term *= i / lam
        i -= 1
    return max(0.0, 1.0 - total)


def baseline_periods(period: Period, n: int = 8) -> list[Period]:
    """The ``n`` earlier periods of the same length and weekday structure, nearest first."""
    step = 7 * math.ceil(period.days / 7)
    return [period.shifted(-step * j) for j in range(1, n + 1)]


@dataclass
class Spike:
    kind: str  # "grid" | "category"
    id: int
    code: str
    name: str
    count: int
    baseline: list[int]  # the 8 baseline counts, nearest period first
    expected: float  # λ
    p_value: float
    case_ids: list[int] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        return self.count / self.expected if self.expected > 0 else math.inf


@dataclass
class Bounce:
    case_id: int
    number: str
    grid_code: str
    departments: list[dict]  # the dispatch chain: {"id", "name", "level", "street_id", "at"}
    returns: int
    changes: int
    crosses_level: bool
    crosses_street: bool
    near_grid_boundary: bool
    neighbour_grids: list[str]
    distance_to_edge_m: float | None
    note: str = ""


@dataclass
class Warnings:
    period: Period
    baseline: list[Period]
    rule: str
    grids: list[Spike]
    categories: list[Spike]
    bounces: list[Bounce]


def _counts(session: Session, periods: list[Period], by: str, grids: list[int] | None) -> list[dict[int, int]]:
    t = RollupCaseDay.__table__
    lo = min(p.start for p in periods)
    hi = max(p.end for p in periods)
    col = t.c.grid_id if by == "grid" else t.c.category_id
    q = select(t.c.day, col, func.sum(t.c.reported - t.c.voided)).where(t.c.day >= lo, t.c.day < hi)
    if by == "category":
        q = q.where(t.c.category_id != 0)
    if grids is not None:
        q = q.where(t.c.grid_id.in_(grids or [-1]))
    q = q.group_by(t.c.day, col)
    index: dict[date, int] = {}
    for i, p in enumerate(periods):
        d = p.start
        while d < p.end:
            index.setdefault(d, i)
            d += timedelta(days=1)
    out: list[dict[int, int]] = [defaultdict(int) for _ in periods]
    for day, key, n in session.execute(q):
        i = index.get(day)
        if i is not None and n:
            out[i][key] += int(n)
    return out


def spikes(
    session: Session,
    period: Period,
    by: str = "grid",
    *,
    scope: Node | int | str | None = None,
    alpha: float = 0.01,
    min_count: int = 5,
    n_baseline: int = 8,
) -> list[Spike]:
    """Grids (``by="grid"``) or categories (``by="category"``) abnormally above their baseline."""
    node = resolve_node(session, scope)
    grids = subtree_grid_ids(session, node)
    base = baseline_periods(period, n_baseline)
    counts = _counts(session, [period] + base, by, grids)
    current, history = counts[0], counts[1:]
    found = []
    for key, n in current.items():
        if n < min_count:
            continue
        hist = [h.get(key, 0) for h in history]
        lam = (sum(hist) + 0.5) / n_baseline
        p = poisson_sf(n, lam)
        if p < alpha:
            found.append((key, n, hist, lam, p))
    if by == "grid":
        names = {g.id: (g.code, g.name) for g in session.scalars(select(UnitGrid).where(UnitGrid.id.in_([f[0] for f in found] or [-1])))}
    else:
        names = {c.id: (c.code, c.name) for c in session.scalars(select(Category).where(Category.id.in_([f[0] for f in found] or [-1])))}
    out = []
    for key, n, hist, lam, p in sorted(found, key=lambda f: (f[4], -f[1], f[0])):
        code, name = names.get(key, (str(key), ""))
        out.append(Spike(by, key, code, name, n, hist, lam, p, _spike_cases(session, period, by, key, grids)))
    return out


def _spike_cases(session: Session, period: Period, by: str, key: int, grids: list[int] | None) -> list[int]:
    start = datetime.combine(period.start, datetime.min.time())
    end = datetime.combine(period.end, datetime.min.time())
    q = select(Case.id).where(Case.reported_at >= start, Case.reported_at < end, Case.state != CaseState.VOIDED.value)
    if by == "grid":
        q = q.where(Case.grid_id == key)
    else:
        q = q.where(
            Case.category_id == key,
            or_(Case.filed_at.is_not(None), Case.state == CaseState.CLOSED.value),
        )
        if grids is not None:
            q = q.where(Case.grid_id.in_(grids or [-1]))
    return list(session.scalars(q.order_by(Case.id)))


# --------------------------------------------------------------------------- bounces


def _metres(lon0: float, lat0: float):
    kx = 111_320.0 * math.cos(math.radians(lat0))
    ky = 110_540.0

    def f(lon: float, lat: float) -> tuple[float, float]:
        return ((lon - lon0) * kx, (lat - lat0) * ky)

    return f


def _local(geom: dict, to_m) -> Polygon:
    shp = shape(geom)
    polys = [shp] if shp.geom_type == "Polygon" else list(shp.geoms)
    from shapely.geometry import MultiPolygon

    out = [Polygon([to_m(x, y) for x, y in p.exterior.coords]) for p in polys]
    return out[0] if len(out) == 1 else MultiPolygon(out)


def bounces(
    session: Session,
    period: Period,
    *,
    scope: Node | int | str | None = None,
    boundary_m: float = 30.0,
) -> list[Bounce]:
    """Cases dispatched or returned during the period that bounced between departments."""
    node = resolve_node(session, scope)
    grids = subtree_grid_ids(session, node)
    start = datetime.combine(period.start, datetime.min.time())
    end = datetime.combine(period.end, datetime.min.time())
    cand = (
        select(Case.id)
        .where(
            Case.id.in_(
                select(CaseEvent.case_id).where(
                    CaseEvent.at >= start, CaseEvent.at < end, CaseEvent.action.in_(("dispatch", "approve_return"))
                )
            ),
            or_(Case.return_count >= 2, Case.dispatch_count >= 3),
        )
    )
    if grids is not None:
        cand = cand.where(Case.grid_id.in_(grids or [-1]))
    ids = list(session.scalars(cand.order_by(Case.id)))
    if not ids:
        return []
    depts = {d.id: d for d in session.scalars(select(Department))}
    levels = {lv.key: lv.depth for lv in session.scalars(select(RegionLevel))}
    street_depth = levels.get("street")
    out = []
    for cid in ids:
        case = session.get(Case, cid)
        evs = session.execute(
            select(CaseEvent.at, CaseEvent.action, CaseEvent.department_id)
            .where(CaseEvent.case_id == cid, CaseEvent.action.in_(("dispatch", "approve_return", "change_level")))
            .order_by(CaseEvent.id)
        ).all()
        chain = [(at, d) for at, a, d in evs if a == "dispatch"]
        returns = sum(1 for _, a, _ in evs if a == "approve_return")
        changes = sum(1 for (_, a), (_, b) in zip(chain, chain[1:]) if a != b)
        if returns < 2 and changes < 2:
            continue
        info = []
        for at, d in chain:
            dep = depts.get(d)
            info.append({
                "id": d, "name": dep.name if dep else "", "level": dep.level if dep else "",
                "street_id": dep.region_id if dep else None, "at": at,
            })
        level_change = any(a == "change_level" for _, a, _ in evs)
        crosses_level = level_change or len({x["level"] for x in info}) > 1
        dept_streets = {x["street_id"] for x in info if x["street_id"] is not None}
        grid = session.get(UnitGrid, case.grid_id) if case.grid_id else None
        near, neigh, dist, street_cross = False, [], None, len(dept_streets) > 1
        if grid is not None and case.lon is not None and case.lat is not None:
            to_m = _metres(case.lon, case.lat)
            pt = Point(0.0, 0.0)
            own = _local(grid.geometry, to_m)
            dist = own.exterior.distance(pt) if own.geom_type == "Polygon" else own.boundary.distance(pt)
            dlon = boundary_m / (111_320.0 * max(0.01, math.cos(math.radians(case.lat))))
            dlat = boundary_m / 110_540.0
            others = session.scalars(
                select(UnitGrid).where(
                    UnitGrid.id != grid.id, UnitGrid.valid_to.is_(None),
                    UnitGrid.min_lon <= case.lon + dlon, UnitGrid.max_lon >= case.lon - dlon,
                    UnitGrid.min_lat <= case.lat + dlat, UnitGrid.max_lat >= case.lat - dlat,
                )
            ).all()
            own_street = _street(session, grid.region_id, street_depth)
            for o in others:
                if _local(o.geometry, to_m).distance(pt) <= boundary_m:
                    neigh.append(o.code)
                    if _street(session, o.region_id, street_depth) != own_street:
                        street_cross = True
            near = dist is not None and dist <= boundary_m and bool(neigh)
        notes = []
        if near:
            notes.append(f"{dist:.0f} m from the edge of grid {grid.code}, next to {', '.join(sorted(neigh))}")
        if crosses_level:
            notes.append("across command levels")
        if street_cross:
            notes.append("across a street boundary")
        out.append(Bounce(
            cid, case.number, grid.code if grid else "", info, returns, changes, crosses_level, street_cross,
            near, sorted(neigh), dist, "; ".join(notes),
        ))
    return out


def _street(session: Session, region_id: int | None, street_depth: int | None) -> int | None:
    """The street (the region at the ``street`` level) above a region, else the region's parent."""
    if region_id is None:
        return None
    path = session.scalar(select(Region.path).where(Region.id == region_id)) or ""
    ids = [int(x) for x in path.strip("/").split("/") if x]
    if street_depth is not None and len(ids) >= street_depth:
        return ids[street_depth - 1]
    return ids[-2] if len(ids) >= 2 else (ids[0] if ids else None)


def detect(
    session: Session,
    period: Period,
    *,
    scope: Node | int | str | None = None,
    alpha: float = 0.01,
    min_count: int = 5,
) -> Warnings:
    """Surges by grid and by category, and bounced cases, for one period (and scope)."""
    return Warnings(
        period=period,
        baseline=baseline_periods(period),
        rule=RULE + f"；α = {alpha}，最小件数 = {min_count}",
        grids=spikes(session, period, "grid", scope=scope, alpha=alpha, min_count=min_count),
        categories=spikes(session, period, "category", scope=scope, alpha=alpha, min_count=min_count),
        bounces=bounces(session, period, scope=scope),
    )
