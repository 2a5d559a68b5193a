"""The charts page (pyqtgraph): hover shows values, clicking opens the cases behind a bar or
point where the figure can be traced, and each chart exports to PNG."""

from __future__ import annotations

import html
import math
import time
from datetime import date, datetime, timedelta

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from gridstation.analytics import drilldown as dd
from gridstation.app import tasks
from gridstation.app.analytics import data
from gridstation.app.analytics.models import GRADE_COLOURS
from gridstation.app.analytics.widgets import CasesDialog, PeriodPicker

DAY = 86400
BLUE, ORANGE, GREEN, GREY = "#1a73e8", "#e8710a", "#1e8e3e", "#9aa0a6"


def day_ts(d: date) -> float:
    """Local midnight of ``d`` in POSIX seconds (DateAxisItem's unit)."""
    return time.mktime(datetime.combine(d, datetime.min.time()).timetuple())


class DayAxis(pg.DateAxisItem):
    """Dates as 03-02 (with the year on January 1st) when ticks are days or more apart."""

    def tickStrings(self, values, scale, spacing):
        if spacing >= DAY * 0.99:
            out = []
            for v in values:
                d = datetime.fromtimestamp(v)
                out.append(d.strftime("%Y-%m-%d") if (d.month == 1 and d.day == 1) else d.strftime("%m-%d"))
            return out
        return super().tickStrings(values, scale, spacing)


class ChartBox(QFrame):
    """A titled plot with a hover line and an Export PNG button. ``hit(x, y)`` → (text, what
    to open: a dict for ``CasesDialog`` or None)."""

    def __init__(self, key: str, title: str, page: ChartsPage, *, date_axis: bool = False) -> None:
        super().__init__(page)
        self.key, self.page = key, page
        self.setFrameShape(QFrame.Shape.StyledPanel)
        axis = {"bottom": DayAxis(orientation="bottom")} if date_axis else {}
        self.plot = pg.PlotWidget(axisItems=axis, background="w")
        self.plot.setMenuEnabled(False)
        self.plot.showGrid(x=False, y=True, alpha=0.25)
        self.plot.getPlotItem().vb.setMouseEnabled(x=False, y=False)
        for ax in ("left", "bottom"):
            self.plot.getAxis(ax).setTextPen("#3c4043")
            self.plot.getAxis(ax).setPen("#9aa0a6")
        self.title = QLabel(title)
        self.title.setStyleSheet("font-weight: 600")
        self.hover = QLabel(" ")
        self.hover.setStyleSheet("color: #5f6368")
        self.export_btn = QPushButton(self.tr("Export PNG…"))
        self.export_btn.clicked.connect(self._ask_export)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.export_btn)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(6, 6, 6, 6)
        lay.addLayout(head)
        lay.addWidget(self.plot, 1)
        lay.addWidget(self.hover)
        self.hit = lambda x, y: (None, None)
        self.items: list = []
        self.colorbar = None  # the heat map's colour scale (kept across reloads)
        self.legend = None
        self.plot.scene().sigMouseMoved.connect(self._moved)
        self.plot.scene().sigMouseClicked.connect(self._clicked)

    def clear(self) -> None:
        if self.legend is not None:  # a legend of the previous drawing
            self.legend.clear()
        self.plot.clear()
        self.items = []
        self.hit = lambda x, y: (None, None)
        self.hover.setText(" ")

    def add(self, item) -> None:
        self.plot.addItem(item)
        self.items.append(item)

    def _at(self, scene_pos):
        vb = self.plot.getPlotItem().vb
        if not vb.sceneBoundingRect().contains(scene_pos):
            return None
        p = vb.mapSceneToView(scene_pos)
        return p.x(), p.y()

    def _moved(self, pos) -> None:
        at = self._at(pos)
        text = self.hit(*at)[0] if at else None
        self.hover.setText(text or " ")
        if text:
            QToolTip.showText(QCursor.pos(), text, self.plot)
        else:
            QToolTip.hideText()

    def _clicked(self, ev) -> None:
        if ev.button() != Qt.MouseButton.LeftButton:
            return
        at = self._at(ev.scenePos())
        if at:
            self.open_at(*at)

    def open_at(self, x: float, y: float):
        text, spec = self.hit(x, y)
        if spec:
            return self.page.open_cases(text or self.title.text(), spec)
        return None

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export PNG"), f"{self.key}.png", self.tr("PNG image (*.png)"))
        if path:
            self.export_png(path if path.lower().endswith(".png") else path + ".png")

    def export_png(self, path: str, width: int = 2400) -> None:
        from pyqtgraph.exporters import ImageExporter

        ex = ImageExporter(self.plot.getPlotItem())
        ex.parameters()["width"] = width
        ex.export(path)


class ChartsPage(QWidget):
    openCase = Signal(int)
    loaded = Signal()

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.node: dd.Node | None = None
        self.data: data.ChartData | None = None
        self.dialogs: list[CasesDialog] = []
        self.period = PeriodPicker(ctx.now().date(), self)
        self.period.changed.connect(self.reload)
        self.scope = QLabel()
        self.scope.setStyleSheet("font-weight: 600")
        top = QHBoxLayout()
        top.addWidget(self.period)
        top.addSpacing(16)
        top.addWidget(QLabel(self.tr("Scope (from the drill-down):")))
        top.addWidget(self.scope)
        top.addStretch(1)
        self.charts = {
            "daily": ChartBox("daily", self.tr("Reported vs closed per day"), self, date_axis=True),
            "on_time": ChartBox("on_time", self.tr("On-time closure rate, last 12 weeks"), self, date_axis=True),
            "categories": ChartBox("categories", self.tr("Top categories (reported)"), self),
            "departments": ChartBox("departments", self.tr("Department ranking (composite score)"), self),
            "overdue": ChartBox("overdue", self.tr("Overdue now, by age"), self),
            "heat": ChartBox("heat", self.tr("Load by hour of week (reports)"), self),
        }
        grid = QGridLayout()
        for i, key in enumerate(self.charts):
            grid.addWidget(self.charts[key], i // 3, i % 3)
        for r in range(2):
            grid.setRowStretch(r, 1)
        for c in range(3):
            grid.setColumnStretch(c, 1)
        self.status = QLabel(self.tr("Hover a bar or point for its value; click it to see the cases behind it."))
        self.status.setStyleSheet("color: #5f6368")
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(grid, 1)
        lay.addWidget(self.status)

    def set_node(self, node: dd.Node) -> None:
        if self.node is None or node.key != self.node.key:
            self.node = node
            self.reload()

    def reload(self) -> None:
        ctx, node, period, now = self.ctx, self.node, self.period.period(), self.ctx.now()

        def work():
            with ctx.session() as s:
                return data.load_charts(s, node, period, now)

        tasks.run_latest(work, self._loaded, lambda e: self.status.setText(str(e)), owner=self)

    def open_cases(self, title: str, spec: dict) -> CasesDialog:
        if "loader" in spec:
            loader, ctx = spec["loader"], self.ctx

            def work():
                with ctx.session() as s:
                    return loader(s)

            holder = {}

            def done(ids):
                holder["dlg"] = self._dialog(CasesDialog(ctx, title, ids=ids, parent=self))

            tasks.run(work, done, owner=self)
            return None
        return self._dialog(CasesDialog(self.ctx, title, parent=self, **spec))

    def _dialog(self, dlg: CasesDialog) -> CasesDialog:
        dlg.openCase.connect(self.openCase)
        self.dialogs.append(dlg)
        dlg.show()
        return dlg

    # ------------------------------------------------------------------ drawing
    def _loaded(self, cd: data.ChartData) -> None:
        self.data = cd
        self.scope.setText(f"{cd.node.name} · {cd.period.span_text()}")
        self._daily(cd)
        self._on_time(cd)
        self._categories(cd)
        self._departments(cd)
        self._overdue(cd)
        self._heat(cd)
        self.loaded.emit()

    def _daily(self, cd: data.ChartData) -> None:
        box = self.charts["daily"]
        box.clear()
        xs = np.array([day_ts(d) + DAY / 2 for d in cd.days])
        rep = np.array(cd.reported, dtype=float)
        clo = np.array(cd.closed, dtype=float)
        box.plot.addLegend(offset=(10, 5), labelTextColor="#3c4043", brush=pg.mkBrush(255, 255, 255, 230))
        bars = pg.BarGraphItem(x=xs, height=rep, width=0.7 * DAY, brush=pg.mkBrush(BLUE + "b0"), pen=None,
                               name=self.tr("Reported"))
        box.add(bars)
        line = pg.PlotDataItem(xs, clo, pen=pg.mkPen(ORANGE, width=2), symbol="o", symbolSize=6,
                               symbolBrush=ORANGE, symbolPen=None, name=self.tr("Closed"))
        box.add(line)
        box.plot.setXRange(xs[0] - DAY, xs[-1] + DAY, padding=0) if len(xs) else None
        box.plot.setYRange(0, max([1, *cd.reported, *cd.closed]) * 1.15, padding=0)
        node, days = cd.node, cd.days

        def hit(x, y):
            i = int(math.floor((x - day_ts(days[0])) / DAY)) if days else -1
            if not (0 <= i < len(days)):
                return None, None
            d = days[i]
            text = self.tr("%1: reported %2, closed %3").replace("%1", d.isoformat()) \
                .replace("%2", str(cd.reported[i])).replace("%3", str(cd.closed[i]))
            if y > cd.reported[i]:  # above the bar: the closed point
                return text, {"loader": lambda s, d=d: data.closed_on(s, node, d)}
            return text, {"node": node, "period": dd.Period(d, d + timedelta(days=1)), "figure": "reported"}

        box.hit = hit

    def _on_time(self, cd: data.ChartData) -> None:
        box = self.charts["on_time"]
        box.clear()
        pts = [(day_ts(p.start) + 3.5 * DAY, 100 * r) for p, r in zip(cd.weeks, cd.on_time) if r is not None]
        xs = np.array([p[0] for p in pts])
        ys = np.array([p[1] for p in pts])
        box.add(pg.PlotDataItem(xs, ys, pen=pg.mkPen(GREEN, width=2), symbol="o", symbolSize=7,
                                symbolBrush=GREEN, symbolPen=None))
        box.plot.setYRange(max(0, (min(ys) if len(ys) else 0) - 10), 100, padding=0.02)
        box.plot.setLabel("left", "%")
        if len(cd.weeks):
            box.plot.setXRange(day_ts(cd.weeks[0].start), day_ts(cd.weeks[-1].end), padding=0.02)
        node, weeks, rates = cd.node, cd.weeks, cd.on_time

        def hit(x, y):
            for p, r in zip(weeks, rates):
                if day_ts(p.start) <= x < day_ts(p.end):
                    iso = p.start.isocalendar()
                    txt = f"{iso[0]}-W{iso[1]:02d} ({p.start:%m-%d}): " + ("—" if r is None else f"{100 * r:.1f}%")
                    return txt, ({"node": node, "period": p, "figure": "on_time_rate"} if r is not None else None)
            return None, None

        box.hit = hit

    def _hbars(self, box: ChartBox, labels: list[str], values: list[float], brushes) -> None:
        n = len(labels)
        ys = np.arange(n)[::-1].astype(float)  # first on top
        if n:
            box.add(pg.BarGraphItem(x0=np.zeros(n), y=ys, height=0.7, width=np.array(values, dtype=float),
                                    brushes=brushes, pen=None))
        short = [lb if len(lb) <= 10 else lb[:9] + "…" for lb in labels]
        box.plot.getAxis("left").setTicks([list(zip(ys, short))])
        box.plot.showGrid(x=True, y=False, alpha=0.25)
        box.plot.setYRange(-0.6, n - 0.4, padding=0)
        box.plot.setXRange(0, max([1, *values]) * 1.08, padding=0)

    def _categories(self, cd: data.ChartData) -> None:
        box = self.charts["categories"]
        box.clear()
        cats = cd.categories
        cats = [(cid, name or self.tr("Uncategorised (not yet filed)"), n) for cid, name, n in cats]
        self._hbars(box, [c[1] for c in cats], [c[2] for c in cats], [pg.mkBrush(BLUE)] * len(cats))
        node, period = cd.node, cd.period

        def hit(x, y):
            i = len(cats) - 1 - int(round(y))
            if 0 <= i < len(cats) and abs(y - round(y)) <= 0.4:
                cid, name, n = cats[i]
                return f"{name}: {n}", {"loader": lambda s, c=cid: data.category_cases(s, node, period, c)}
            return None, None

        box.hit = hit

    def _departments(self, cd: data.ChartData) -> None:
        box = self.charts["departments"]
        box.clear()
        deps = cd.departments
        self._hbars(box, [d[1] for d in deps], [d[2] for d in deps],
                    [pg.mkBrush(GRADE_COLOURS.get(d[3] or "", GREY)) for d in deps])
        box.plot.setXRange(0, 100, padding=0.02)
        # the colours are the grades: say so
        legend = box.plot.addLegend(offset=(-10, -30), colCount=3, labelTextColor="#3c4043",
                                    brush=pg.mkBrush(255, 255, 255, 230), pen=pg.mkPen("#dadce0"))
        for grade, rule in (("A", "≥ 90"), ("B", "≥ 75"), ("C", "≥ 60"), ("D", "≥ 40"), ("E", "< 40")):
            box.add(pg.ScatterPlotItem([], [], symbol="s", size=10, pen=None, brush=pg.mkBrush(GRADE_COLOURS[grade]),
                                       name=html.escape(f"{grade} {rule}")))  # legend labels are rich text
        box.legend = legend

        def hit(x, y):
            i = len(deps) - 1 - int(round(y))
            if 0 <= i < len(deps) and abs(y - round(y)) <= 0.4:
                _, name, score, grade = deps[i]
                return f"{name}: {score:.1f} ({grade})", None
            return None, None

        box.hit = hit

    def _overdue(self, cd: data.ChartData) -> None:
        box = self.charts["overdue"]
        box.clear()
        labels = [self._bucket_label(lb) for lb, _ in cd.buckets]
        counts = [len(ids) for _, ids in cd.buckets]
        colours = ["#fbbc04", "#f29900", "#e8710a", "#d93025", "#a50e0e"]
        xs = np.arange(len(counts)).astype(float)
        box.add(pg.BarGraphItem(x=xs, height=np.array(counts, dtype=float), width=0.7,
                                brushes=[pg.mkBrush(c) for c in colours[:len(counts)]], pen=None))
        box.plot.getAxis("bottom").setTicks([list(zip(xs, labels))])
        box.plot.setXRange(-0.6, len(counts) - 0.4, padding=0)
        box.plot.setYRange(0, max([1, *counts]) * 1.15, padding=0)
        buckets = cd.buckets

        def hit(x, y):
            i = int(round(x))
            if 0 <= i < len(buckets) and abs(x - i) <= 0.4:
                ids = buckets[i][1]
                return f"{labels[i]}: {len(ids)}", ({"ids": ids} if ids else None)
            return None, None

        box.hit = hit

    def _bucket_label(self, label: str) -> str:
        return {"< 1 day": self.tr("< 1 day"), "1–3 days": self.tr("1–3 days"), "3–7 days": self.tr("3–7 days"),
                "7–30 days": self.tr("7–30 days"), "> 30 days": self.tr("> 30 days")}.get(label, label)

    def _heat(self, cd: data.ChartData) -> None:
        box = self.charts["heat"]
        box.clear()
        arr = np.array(cd.heat, dtype=float).T  # [hour][weekday]: ImageItem indexes [x, y]
        img = pg.ImageItem(arr)
        img.setColorMap(pg.colormap.get("viridis"))
        top = max(1.0, float(arr.max()))
        img.setLevels((0, top))
        box.add(img)
        # the colour scale: reports per hour of the week, 0 .. the busiest hour
        if box.colorbar is None:
            box.colorbar = pg.ColorBarItem(values=(0, top), colorMap=pg.colormap.get("viridis"),
                                           label=self.tr("Reports"), interactive=False, width=14,
                                           colorMapMenu=False, rounding=1)
            box.colorbar.setImageItem(img, insert_in=box.plot.getPlotItem())
            box.colorbar.getAxis("right").setTextPen("#3c4043")
            box.colorbar.getAxis("right").setPen("#9aa0a6")
        else:
            box.colorbar.setImageItem(img)
            box.colorbar.setLevels((0, top))
        days = [self.tr("Mon"), self.tr("Tue"), self.tr("Wed"), self.tr("Thu"), self.tr("Fri"), self.tr("Sat"), self.tr("Sun")]
        box.plot.getAxis("left").setTicks([[(i + 0.5, d) for i, d in enumerate(days)]])
        box.plot.getAxis("bottom").setTicks([[(h + 0.5, f"{h}") for h in range(0, 24, 3)],
                                             [(h + 0.5, "") for h in range(24)]])
        box.plot.getPlotItem().invertY(True)
        box.plot.showGrid(x=False, y=False)
        box.plot.setXRange(0, 24, padding=0)
        box.plot.setYRange(0, 7, padding=0)
        node, period, heat = cd.node, cd.period, cd.heat

        def hit(x, y):
            h, wd = int(math.floor(x)), int(math.floor(y))
            if 0 <= h < 24 and 0 <= wd < 7:
                n = heat[wd][h]
                txt = f"{days[wd]} {h:02d}:00–{h + 1:02d}:00: {n}"
                return txt, ({"loader": lambda s: data.hour_cases(s, node, period, wd, h)} if n else None)
            return None, None

        box.hit = hit
