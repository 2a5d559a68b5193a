"""The drill-down layer of the map in colours and words: ``layer_for_map(MapLayer)`` → the dict
``MapView.set_choropleth`` draws (ColorBrewer ramps of five classes, a grey for no value)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gridstation.analytics.choropleth import MAP_FIGURES, MapLayer
from gridstation.app.analytics.models import figure_labels, fmt_value

RAMPS = {
    "neutral": ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"],  # Blues
    "bad": ["#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000"],  # OrRd: more is worse
    "good": ["#d7191c", "#fdae61", "#ffffbf", "#a6d96a", "#1a9641"],  # RdYlGn: more is better
}
NO_VALUE = "#c7ccd1"


def map_figures() -> list[tuple[str, str]]:
    """(figure, label) offered for the map: the drill-down's own labels."""
    labels = dict(figure_labels())
    labels["reported"] = QCoreApplication.translate("MapLayer", "Reported")
    return [(f, labels.get(f, f)) for f in MAP_FIGURES]


def _ramp(tone: str, n: int) -> list[str]:
    full = RAMPS[tone]
    if n >= len(full):
        return full
    # spread n classes over the ramp, keeping both ends
    return [full[round(i * (len(full) - 1) / (n - 1))] for i in range(n)] if n > 1 else [full[len(full) // 2]]


def layer_for_map(layer: MapLayer) -> dict:
    label = dict(map_figures()).get(layer.figure, layer.figure)
    n = len(layer.classes)
    colours = _ramp(layer.tone, n) if n else []
    items = []
    for it in layer.items:
        colour = NO_VALUE if it.cls is None else colours[it.cls]
        items.append({"name": it.node.name, "text": fmt_value(layer.figure, it.value), "colour": colour})
    legend = []
    for colour, (lo, hi) in zip(colours, layer.classes):
        lo_t, hi_t = fmt_value(layer.figure, _num(layer.figure, lo)), fmt_value(layer.figure, _num(layer.figure, hi))
        legend.append([colour, lo_t if lo_t == hi_t else f"{lo_t} – {hi_t}"])
    if any(it.cls is None for it in layer.items):
        legend.append([NO_VALUE, QCoreApplication.translate("MapLayer", "No value")])
    d = layer.drill
    subtitle = QCoreApplication.translate("MapLayer", "%1 by %2 · %3").replace("%1", d.node.name) \
        .replace("%2", _level_word(layer)).replace("%3", d.period.span_text())
    return {"title": label, "subtitle": subtitle, "items": items, "grids": layer.grids, "legend": legend}


def _num(figure: str, v: float):
    """Counts are whole numbers: show 12, not 12.0."""
    return int(round(v)) if figure not in ("on_time_rate", "closure_rate", "public_share", "avg_close_minutes",
                                           "p90_close_minutes") else v


def _level_word(layer: MapLayer) -> str:
    kinds = {it.node.kind for it in layer.items}
    if kinds == {"grid"}:
        return QCoreApplication.translate("MapLayer", "unit grid")
    return QCoreApplication.translate("MapLayer", "child region")
