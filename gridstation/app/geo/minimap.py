"""A small, self-contained map of one case's place: its unit grid (单元网格), the outlines of the
grids around it, and the reported point, painted with QPainter (no web view, no tiles).

The big map is the place to explore; this one only has to answer "where is it, and near
which boundary?" at a glance, which matters because boundary cases are the ones bounced
between departments (推诿).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.store.model import UnitGrid


@dataclass(frozen=True)
class MapContext:
    """Plain data for the mini map (built in a background job)."""

    grid: dict | None  # GeoJSON geometry of the case's grid
    grid_code: str = ""
    neighbours: list[dict] = field(default_factory=list)  # GeoJSON geometries
    point: tuple[float, float] | None = None


def load_map_context(session: Session, grid_id: int | None, lon: float | None, lat: float | None) -> MapContext:
    """The case's grid and every current grid whose box touches the area around it."""
    point = (lon, lat) if lon is not None and lat is not None else None
    if grid_id is None:
        return MapContext(None, "", [], point)
    g = session.get(UnitGrid, grid_id)
    if g is None:
        return MapContext(None, "", [], point)
    w, h = g.max_lon - g.min_lon, g.max_lat - g.min_lat
    x0, x1, y0, y1 = g.min_lon - w, g.max_lon + w, g.min_lat - h, g.max_lat + h
    rows = session.execute(
        select(UnitGrid.geometry).where(
            UnitGrid.valid_to.is_(None),
            UnitGrid.id != g.id,
            UnitGrid.max_lon >= x0,
            UnitGrid.min_lon <= x1,
            UnitGrid.max_lat >= y0,
            UnitGrid.min_lat <= y1,
        ).limit(200)
    ).scalars().all()
    return MapContext(g.geometry, g.code, list(rows), point)


def _polygons(geometry: dict | None) -> list[list[list[list[float]]]]:
    """Polygon and MultiPolygon as a list of polygons (each a list of rings)."""
    if not geometry:
        return []
    t = geometry.get("type")
    if t == "Polygon":
        return [geometry.get("coordinates") or []]
    if t == "MultiPolygon":
        return list(geometry.get("coordinates") or [])
    return []


class MiniMap(QWidget):
    """Paints a :class:`MapContext`. ``set_context(None)`` shows an empty frame."""

    GRID_FILL = QColor(47, 111, 223, 46)
    GRID_LINE = QColor(47, 111, 223)
    NEIGHBOUR_FILL = QColor(236, 239, 243)
    NEIGHBOUR_LINE = QColor(160, 168, 178)
    POINT = QColor(214, 48, 49)
    BACKGROUND = QColor(248, 249, 251)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MiniMap")
        self._ctx: MapContext | None = None
        self.setMinimumSize(140, 110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(self.tr("The case's unit grid (blue), the grids around it and the reported point"))

    def sizeHint(self) -> QSize:
        return QSize(220, 150)

    def set_context(self, ctx: MapContext | None) -> None:
        self._ctx = ctx
        self.update()

    def context(self) -> MapContext | None:
        return self._ctx

    # ---- projection: equirectangular, x shrunk by cos(lat) so squares stay square

    def _frame(self) -> tuple[float, float, float, float] | None:
        ctx = self._ctx
        if ctx is None:
            return None
        xs: list[float] = []
        ys: list[float] = []
        for poly in _polygons(ctx.grid):
            for ring in poly[:1]:
                xs += [p[0] for p in ring]
                ys += [p[1] for p in ring]
        if ctx.point is not None:
            xs.append(ctx.point[0])
            ys.append(ctx.point[1])
        if not xs:
            return None
        x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
        w = max(x1 - x0, 0.0004)
        h = max(y1 - y0, 0.0004)
        # show a margin of about half a grid so the neighbours are visible
        return x0 - w * 0.55, x1 + w * 0.55, y0 - h * 0.55, y1 + h * 0.55

    def _transform(self):
        frame = self._frame()
        if frame is None:
            return None
        x0, x1, y0, y1 = frame
        k = math.cos(math.radians((y0 + y1) / 2))
        gw, gh = (x1 - x0) * k, (y1 - y0)
        r = QRectF(self.rect()).adjusted(4, 4, -4, -4)
        scale = min(r.width() / gw, r.height() / gh)
        ox = r.center().x() - gw * scale / 2
        oy = r.center().y() + gh * scale / 2

        def to_px(lon: float, lat: float) -> QPointF:
            return QPointF(ox + (lon - x0) * k * scale, oy - (lat - y0) * scale)

        return to_px

    def _path(self, geometry: dict, to_px) -> QPainterPath:
        path = QPainterPath()
        path.setFillRule(Qt.FillRule.OddEvenFill)
        for poly in _polygons(geometry):
            for ring in poly:
                if len(ring) < 3:
                    continue
                path.moveTo(to_px(ring[0][0], ring[0][1]))
                for p in ring[1:]:
                    path.lineTo(to_px(p[0], p[1]))
                path.closeSubpath()
        return path

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.BACKGROUND)
        p.setPen(QPen(QColor(210, 214, 220), 1))
        p.drawRect(QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5))
        to_px = self._transform()
        if to_px is None:
            p.setPen(QColor(130, 130, 130))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No location"))
            p.end()
            return
        p.setClipRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        ctx = self._ctx
        p.setPen(QPen(self.NEIGHBOUR_LINE, 1))
        p.setBrush(QBrush(self.NEIGHBOUR_FILL))
        for geom in ctx.neighbours:
            p.drawPath(self._path(geom, to_px))
        if ctx.grid:
            p.setPen(QPen(self.GRID_LINE, 2))
            p.setBrush(QBrush(self.GRID_FILL))
            p.drawPath(self._path(ctx.grid, to_px))
        if ctx.point is not None:
            c = to_px(*ctx.point)
            p.setPen(QPen(QColor("white"), 2))
            p.setBrush(QBrush(self.POINT))
            p.drawEllipse(c, 5.5, 5.5)
        if ctx.grid_code:
            p.setClipping(False)
            f = p.font()
            f.setPointSizeF(max(7.0, f.pointSizeF() * 0.8))
            p.setFont(f)
            p.setPen(QColor(70, 80, 95))
            p.drawText(QRectF(self.rect()).adjusted(6, 4, -6, -4),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom, ctx.grid_code)
        p.end()
