"""The drill-down on the map (专题图): the children of a node coloured by one figure.

``map_layer(session, drill, figure)`` takes a computed ``DrillDown`` (so the map shows exactly the
numbers of the table, for the same period) and gives each child its value and class, the class
breaks, and the grid → child map the page colours the grids by (a child region is the union of
its grids, so no region polygons are needed). Qt-free; the colours and words are the Qt layer's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from gridstation.analytics.drilldown import FIGURES, DrillDown, group_map
from gridstation.analytics.scope import Node

#: Figures offered on the map, in order (上报量, 按期结案率, 超时数 …).
MAP_FIGURES = ("reported", "on_time_rate", "overdue_now", "closure_rate", "filed", "closed", "reworks",
               "returns", "public_share", "avg_close_minutes")
#: Higher is better for these (a green ramp); LOWER_BETTER a red one; the rest neutral.
HIGHER_BETTER = frozenset({"on_time_rate", "closure_rate", "closed"})
LOWER_BETTER = frozenset({"overdue_now", "reworks", "returns", "avg_close_minutes"})
CLASSES = 5


@dataclass
class MapItem:
    node: Node
    value: float | None
    cls: int | None  # index into the layer's classes; None: no value


@dataclass
class MapLayer:
    figure: str
    drill: DrillDown
    items: list[MapItem]
    classes: list[tuple[float, float]]  # (lowest, highest) value of each class, ascending
    grids: dict[int, int] = field(default_factory=dict)  # grid id → index into items

    @property
    def tone(self) -> str:
        return "good" if self.figure in HIGHER_BETTER else "bad" if self.figure in LOWER_BETTER else "neutral"

    def index_of(self, node: Node) -> int | None:
        return next((i for i, it in enumerate(self.items) if it.node.key == node.key), None)


def class_ranges(values: list[float], n: int = CLASSES) -> list[tuple[float, float]]:
    """At most ``n`` classes ``(lowest, highest)`` holding about equal numbers of children
    (quantiles over the distinct values, so equal values share a class and no class is empty);
    up to ``n`` distinct values: one class each."""
    vs = sorted(values)
    distinct = sorted(set(vs))
    if len(distinct) <= n:
        return [(v, v) for v in distinct]
    count = {v: 0 for v in distinct}
    for v in vs:
        count[v] += 1
    groups: dict[int, list[float]] = {}
    before = 0
    for v in distinct:
        groups.setdefault(min(n - 1, before * n // len(vs)), []).append(v)
        before += count[v]
    return [(g[0], g[-1]) for _, g in sorted(groups.items())]


def classify(v: float, ranges: list[tuple[float, float]]) -> int:
    """The class of ``v``: the highest class whose lowest value it reaches."""
    for i in range(len(ranges) - 1, -1, -1):
        if v >= ranges[i][0]:
            return i
    return 0


def map_layer(session: Session, drill: DrillDown, figure: str) -> MapLayer:
    """The children of ``drill.node`` coloured by ``figure`` over ``drill.period``."""
    if figure not in FIGURES:
        raise KeyError(f"unknown figure {figure!r}; one of {sorted(FIGURES)}")
    rows = drill.rows or [drill.total]
    values = [getattr(r.current, figure) for r in rows]
    classes = class_ranges([float(v) for v in values if v is not None])
    items = [MapItem(r.node, None if v is None else float(v), None if v is None else classify(float(v), classes))
             for r, v in zip(rows, values)]
    index = {r.node.key: i for i, r in enumerate(rows)}
    grids = {}
    for gid, keys in group_map(session, [r.node for r in rows]).items():
        for k in keys:
            if k in index:
                grids[gid] = index[k]
                break
    return MapLayer(figure, drill, items, classes, grids)
