"""The weekly review (周报) as a multi-page A4 document.

``paint_weekly(device, data)`` paints :class:`gridstation.report.weekly.WeeklyReview` onto a paged
paint device: a ``QPdfWriter`` (files, command line) or a ``QPrinter`` (print, print preview).
The same code serves both. Layout works in "report pixels" (1/96 inch) whatever the device
resolution: the painter is scaled by ``logicalDpi / 96`` and every font is sized in pixels, so
text metrics do not depend on the device. The document is laid out first (a list of drawing
operations per page) and painted afterwards, so every page can say "page n of N".

Charts are pyqtgraph plots exported to images about 2400 px wide (tech notes: painting a plot
scene straight into a high-resolution device misplaces labels); they need a ``QApplication``.

Every visible string goes through ``QCoreApplication.translate("WeeklyReview", ...)``; the data
(names of streets, departments, categories) is Chinese already, so the text font is a CJK font
found through ``QFontDatabase`` and embedded in the PDF.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QPointF, QRectF, Qt

from gridstation.analytics.drilldown import RATE_FIGURES
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
    QPolygonF,
)

# ---------------------------------------------------------------- fonts

CJK_FAMILIES = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Microsoft YaHei", "微软雅黑",
    "PingFang SC", "Hiragino Sans GB", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimHei", "黑体",
    "SimSun", "宋体", "Noto Serif CJK SC", "Noto Sans Mono CJK SC",
)
_family_cache: list[str] = []


def cjk_font_family() -> str:
    """A font family with Simplified Chinese glyphs: Noto Sans CJK SC on Linux, Microsoft YaHei
    or SimSun on Windows, PingFang on macOS; else any family that claims Simplified Chinese."""
    if _family_cache:
        return _family_cache[0]
    families = QFontDatabase.families()
    have = set(families)
    chosen = next((f for f in CJK_FAMILIES if f in have), None)
    if chosen is None:
        zh = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
        chosen = zh[0] if zh else QFont().family()
    _family_cache.append(chosen)
    return chosen


LATIN_FAMILIES = ("Segoe UI", "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica")


def _families() -> list[str]:
    """A Latin family first, then the CJK one: Qt writes no ToUnicode entries for the digits of
    Noto Sans CJK (the glyphs are shared), so digits from it are invisible to PDF text search."""
    if len(_family_cache) < 2:
        cjk = cjk_font_family()
        have = set(QFontDatabase.families())
        latin = next((f for f in LATIN_FAMILIES if f in have), None)
        _family_cache.append([latin, cjk] if latin and not cjk.startswith(("Microsoft", "微软")) else [cjk])
    return _family_cache[1]


def _font(px: float, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(_families())
    f.setPixelSize(max(1, round(px)))
    f.setBold(bold)
    f.setStyleStrategy(QFont.StyleStrategy.PreferAntialias)
    return f


# ---------------------------------------------------------------- text helpers


def T(text: str) -> str:  # noqa: N802 - short on purpose; lupdate sees the literal calls below
    return QCoreApplication.translate("WeeklyReview", text)


def _pct(x: float | None, digits: int = 1) -> str:
    return "—" if x is None else f"{x * 100:.{digits}f}%"


def _num(x) -> str:
    if x is None:
        return "—"
    if isinstance(x, float):
        return f"{x:,.1f}"
    return f"{x:,}"


def _hours(minutes: float | None) -> str:
    return "—" if minutes is None else f"{minutes / 60:.1f}"


def _duration(minutes: float | None) -> str:
    if minutes is None:
        return "—"
    h = int(minutes // 60)
    d, h = divmod(h, 24)
    if d:
        return QCoreApplication.translate("WeeklyReview", "%1 d %2 h").replace("%1", str(d)).replace("%2", str(h))
    return QCoreApplication.translate("WeeklyReview", "%1 h").replace("%1", str(h))


def _dt(x: datetime | None) -> str:
    return "—" if x is None else x.strftime("%Y-%m-%d %H:%M")


def _sdt(x: datetime | None) -> str:
    return "—" if x is None else x.strftime("%m-%d %H:%M")


def _change_text(ch: float | None, attr: str = "") -> str:
    """A count's change in per cent, a rate's in percentage points (百分点)."""
    if ch is None:
        return "—"
    if attr in RATE_FIGURES:
        return QCoreApplication.translate("WeeklyReview", "%1 pp").replace("%1", f"{ch * 100:+.1f}")
    return f"{ch * 100:+.1f}%"


def _weekday(i: int) -> str:
    return [
        QCoreApplication.translate("WeeklyReview", "Mon"), QCoreApplication.translate("WeeklyReview", "Tue"),
        QCoreApplication.translate("WeeklyReview", "Wed"), QCoreApplication.translate("WeeklyReview", "Thu"),
        QCoreApplication.translate("WeeklyReview", "Fri"), QCoreApplication.translate("WeeklyReview", "Sat"),
        QCoreApplication.translate("WeeklyReview", "Sun"),
    ][i]


def _state(state: str) -> str:
    from gridstation.app.i18n import state_label

    return state_label(state)


# ---------------------------------------------------------------- colours

INK = QColor("#1f2933")
MUTED = QColor("#616e7c")
RULE = QColor("#cbd2d9")
ACCENT = QColor("#1d4ed8")
GOOD = QColor("#15803d")
BAD = QColor("#b91c1c")
NEUTRAL = QColor("#52606d")
ZEBRA = QColor("#f3f5f8")
HEAD_BG = QColor("#e4e9f2")
C_REPORTED = "#2563eb"
C_CLOSED = "#16a34a"
C_RATE = "#d97706"

# ---------------------------------------------------------------- charts (pyqtgraph → QImage)

CHART_W, CHART_H, EXPORT_W = 900, 300, 2400


def _style_plot(plot, family: str) -> None:
    import pyqtgraph as pg

    tick_font = QFont(family)
    tick_font.setPixelSize(14)
    for name in ("left", "bottom"):
        ax = plot.getAxis(name)
        ax.setPen(pg.mkPen("#52606d"))
        ax.setTextPen(pg.mkPen("#1f2933"))
        ax.setStyle(tickFont=tick_font, tickTextOffset=6)
    plot.showGrid(x=False, y=True, alpha=0.25)
    plot.setMenuEnabled(False)
    plot.hideButtons()


def _export(widget) -> QImage:
    from pyqtgraph.exporters import ImageExporter
    from PySide6.QtWidgets import QApplication

    widget.resize(CHART_W, CHART_H)
    widget.show()
    for _ in range(3):
        QApplication.processEvents()
    ex = ImageExporter(widget.getPlotItem())
    ex.parameters()["width"] = EXPORT_W
    ex.parameters()["background"] = QColor("white")
    img = ex.export(toBytes=True)
    widget.hide()
    widget.deleteLater()
    return img.convertToFormat(QImage.Format.Format_RGB32)


def _label(plot, x, y, text, family, anchor=(0.5, 1.0), color="#1f2933", px=13):
    import pyqtgraph as pg

    t = pg.TextItem(text, color=color, anchor=anchor)
    f = QFont(family)
    f.setPixelSize(px)
    t.setFont(f)
    t.setPos(x, y)
    plot.addItem(t)


def render_charts(data) -> dict[str, QImage]:
    """The three charts of the review as images ~2400 px wide. Needs a QApplication."""
    import pyqtgraph as pg

    family = cjk_font_family()
    out: dict[str, QImage] = {}

    # reported vs closed per day
    w = pg.PlotWidget(background="w")
    p = w.getPlotItem()
    _style_plot(p, family)
    legend = p.addLegend(offset=(10, 5), labelTextColor="#1f2933", labelTextSize="13pt")
    legend.setBrush(pg.mkBrush(255, 255, 255, 220))
    xs = list(range(len(data.daily)))
    rep = [d["reported"] for d in data.daily]
    clo = [d["closed"] for d in data.daily]
    b1 = pg.BarGraphItem(x=[x - 0.19 for x in xs], height=rep, width=0.36, brush=C_REPORTED, pen=None,
                         name=QCoreApplication.translate("WeeklyReview", "Reported"))
    b2 = pg.BarGraphItem(x=[x + 0.19 for x in xs], height=clo, width=0.36, brush=C_CLOSED, pen=None,
                         name=QCoreApplication.translate("WeeklyReview", "Closed"))
    p.addItem(b1)
    p.addItem(b2)
    top = max(rep + clo + [1])
    for x, a, b in zip(xs, rep, clo):
        _label(p, x - 0.19, a, str(a), family)
        _label(p, x + 0.19, b, str(b), family)
    p.getAxis("bottom").setTicks([[(x, f"{_weekday(d['day'].weekday())} {d['day']:%m-%d}") for x, d in zip(xs, data.daily)]])
    p.setXRange(-0.6, len(xs) - 0.4, padding=0)
    p.setYRange(0, top * 1.25, padding=0)
    p.setMouseEnabled(False, False)
    out["daily"] = _export(w)

    # on-time closure rate, last 8 weeks
    w = pg.PlotWidget(background="w")
    p = w.getPlotItem()
    _style_plot(p, family)
    tr = data.on_time_trend
    pts = [(i, t["rate"] * 100) for i, t in enumerate(tr) if t["rate"] is not None]
    if pts:
        p.plot([a for a, _ in pts], [b for _, b in pts], pen=pg.mkPen(C_RATE, width=3), symbol="o", symbolSize=10,
               symbolBrush=C_RATE, symbolPen=pg.mkPen("w", width=1.5))
        for a, b in pts:
            _label(p, a, b + 0.6, f"{b:.1f}%", family)
        lo = min(b for _, b in pts)
        p.setYRange(max(0.0, math.floor(lo / 5) * 5 - 5), 102, padding=0)
    else:
        p.setYRange(0, 100, padding=0)
    p.getAxis("bottom").setTicks([[(i, t["week"]) for i, t in enumerate(tr)]])
    p.getAxis("left").setLabel(QCoreApplication.translate("WeeklyReview", "On-time closure rate (%)"), color="#1f2933")
    p.setXRange(-0.5, max(len(tr) - 0.5, 0.5), padding=0)
    p.setMouseEnabled(False, False)
    out["trend"] = _export(w)

    # top categories (horizontal bars, this week and the week before)
    cats = data.top_categories[:10]
    if cats:
        w = pg.PlotWidget(background="w")
        p = w.getPlotItem()
        _style_plot(p, family)
        p.showGrid(x=True, y=False, alpha=0.25)
        legend = p.addLegend(offset=(-10, -10), labelTextColor="#1f2933", labelTextSize="13pt")
        legend.setBrush(pg.mkBrush(255, 255, 255, 220))
        n = len(cats)
        ys = [n - 1 - i for i in range(n)]
        cur = [c.value or 0 for c in cats]
        prev = [c.previous or 0 for c in cats]
        p.addItem(pg.BarGraphItem(x0=0, y=[y + 0.17 for y in ys], height=0.32, width=cur, brush=C_REPORTED, pen=None,
                                  name=QCoreApplication.translate("WeeklyReview", "This week")))
        p.addItem(pg.BarGraphItem(x0=0, y=[y - 0.17 for y in ys], height=0.32, width=prev, brush="#9aa5b1", pen=None,
                                  name=QCoreApplication.translate("WeeklyReview", "Previous week")))
        for y, v in zip(ys, cur):
            _label(p, v, y + 0.17, f" {v}", family, anchor=(0, 0.5))
        ax = p.getAxis("left")
        ax.setTicks([[(y, c.name) for y, c in zip(ys, cats)]])
        ax.setWidth(150)
        p.setYRange(-0.6, n - 0.4, padding=0)
        p.setXRange(0, max(cur + prev + [1]) * 1.15, padding=0)
        p.setMouseEnabled(False, False)
        w.resize(CHART_W, CHART_H)
        out["categories"] = _export(w)
    return out


# ---------------------------------------------------------------- layout

Op = Callable[[QPainter], None]


@dataclass
class Column:
    title: str
    width: float  # relative
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


@dataclass
class _Doc:
    width: float
    height: float
    margin: float = 40.0
    header_h: float = 26.0
    footer_h: float = 26.0
    pages: list[list[Op]] = field(default_factory=list)
    y: float = 0.0

    @property
    def left(self) -> float:
        return self.margin

    @property
    def inner(self) -> float:
        return self.width - 2 * self.margin

    @property
    def top(self) -> float:
        return self.margin + self.header_h

    @property
    def bottom(self) -> float:
        return self.height - self.margin - self.footer_h

    def new_page(self) -> None:
        self.pages.append([])
        self.y = self.top

    def need(self, h: float) -> None:
        if not self.pages or (self.y + h > self.bottom and self.y > self.top + 1):
            self.new_page()

    def add(self, op: Op) -> None:
        self.pages[-1].append(op)

    # ---- blocks

    def text(self, text: str, font: QFont, color: QColor = INK, *, gap: float = 4.0,
             align=Qt.AlignmentFlag.AlignLeft, x: float | None = None, width: float | None = None) -> float:
        x = self.left if x is None else x
        width = self.inner if width is None else width
        flags = int(align) | int(Qt.TextFlag.TextWordWrap)
        r = QFontMetricsF(font).boundingRect(QRectF(0, 0, width, 10_000), flags, text)
        h = r.height()
        self.need(h + gap)
        rect = QRectF(x, self.y, width, h)

        def op(p: QPainter, rect=rect, text=text, font=font, color=color, flags=flags):
            p.setFont(font)
            p.setPen(color)
            p.drawText(rect, flags, text)

        self.add(op)
        self.y += h + gap
        return h

    def heading(self, text: str, *, keep: float = 90.0) -> None:
        f = _font(17, bold=True)
        h = QFontMetricsF(f).height()
        self.need(h + 14 + keep)
        y = self.y + 4
        left, inner = self.left, self.inner

        def op(p: QPainter, y=y):
            p.setFont(f)
            p.setPen(ACCENT)
            p.drawText(QRectF(left, y, inner, h), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
            p.setPen(QPen(ACCENT, 1.2))
            p.drawLine(QPointF(left, y + h + 3), QPointF(left + inner, y + h + 3))

        self.add(op)
        self.y += h + 14

    def subheading(self, text: str, *, keep: float = 60.0) -> None:
        f = _font(13.5, bold=True)
        h = QFontMetricsF(f).height()
        self.need(h + 6 + keep)
        self.text(text, f, INK, gap=6)

    def space(self, h: float) -> None:
        self.y = min(self.y + h, self.bottom)

    def image(self, img: QImage, width: float | None = None) -> None:
        width = self.inner if width is None else width
        h = width * img.height() / max(1, img.width())
        self.need(h + 8)
        rect = QRectF(self.left + (self.inner - width) / 2, self.y, width, h)
        self.add(lambda p, rect=rect, img=img: p.drawImage(rect, img))
        self.y += h + 8

    def table(self, columns: list[Column], rows: list[list[str]], *, colors: list[dict[int, QColor]] | None = None,
              font_px: float = 11.0) -> None:
        font, bold = _font(font_px), _font(font_px - 0.5, bold=True)
        fm = QFontMetricsF(font)
        row_h = fm.height() + 7
        total = sum(c.width for c in columns)
        xs, x = [], self.left
        for c in columns:
            w = self.inner * c.width / total
            xs.append((x, w))
            x += w
        left, inner = self.left, self.inner

        def header(y: float) -> Op:
            def op(p: QPainter):
                p.fillRect(QRectF(left, y, inner, row_h), HEAD_BG)
                p.setFont(bold)
                p.setPen(INK)
                for (cx, cw), c in zip(xs, columns):
                    p.drawText(QRectF(cx + 4, y, cw - 8, row_h),
                               int(c.align | Qt.AlignmentFlag.AlignVCenter), QFontMetricsF(bold).elidedText(
                                   c.title, Qt.TextElideMode.ElideRight, cw - 8))
            return op

        self.need(row_h * 3)
        self.add(header(self.y))
        self.y += row_h
        for i, row in enumerate(rows):
            if self.y + row_h > self.bottom:
                self.new_page()
                self.add(header(self.y))
                self.y += row_h
            y = self.y
            rc = (colors[i] if colors and i < len(colors) else None) or {}

            def op(p: QPainter, y=y, row=row, i=i, rc=rc):
                if i % 2:
                    p.fillRect(QRectF(left, y, inner, row_h), ZEBRA)
                p.setFont(font)
                for j, ((cx, cw), c, cell) in enumerate(zip(xs, columns, row)):
                    p.setPen(rc.get(j, INK))
                    p.drawText(QRectF(cx + 4, y, cw - 8, row_h), int(c.align | Qt.AlignmentFlag.AlignVCenter),
                               fm.elidedText(str(cell), Qt.TextElideMode.ElideRight, cw - 8))
            self.add(op)
            self.y += row_h
        yb = self.y
        self.add(lambda p, yb=yb: (p.setPen(QPen(RULE, 0.8)), p.drawLine(QPointF(left, yb), QPointF(left + inner, yb))))
        self.y += 10


# ---------------------------------------------------------------- the review

R = Qt.AlignmentFlag.AlignRight
C = Qt.AlignmentFlag.AlignHCenter

#: headline figures: (attribute, label, formatter, higher is better: True/False/None = neutral)
def _headline_spec():
    return [
        ("reported", QCoreApplication.translate("WeeklyReview", "Reported"), _num, None),
        ("filed", QCoreApplication.translate("WeeklyReview", "Filed"), _num, None),
        ("closed", QCoreApplication.translate("WeeklyReview", "Closed"), _num, True),
        ("closure_rate", QCoreApplication.translate("WeeklyReview", "Closure rate"), _pct, True),
        ("on_time_rate", QCoreApplication.translate("WeeklyReview", "On-time closure rate"), _pct, True),
        ("avg_close_minutes", QCoreApplication.translate("WeeklyReview", "Avg. time to close (h)"), _hours, False),
        ("public_share", QCoreApplication.translate("WeeklyReview", "Public-report share"), _pct, None),
        ("reworks", QCoreApplication.translate("WeeklyReview", "Reworks"), _num, False),
        ("returns", QCoreApplication.translate("WeeklyReview", "Returns"), _num, False),
        ("overdue_now", QCoreApplication.translate("WeeklyReview", "Overdue now"), _num, False),
    ]


def _arrow(p: QPainter, x: float, y: float, size: float, up: bool, color: QColor) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QBrush(color))
    if up:
        poly = QPolygonF([QPointF(x, y + size), QPointF(x + size, y + size), QPointF(x + size / 2, y)])
    else:
        poly = QPolygonF([QPointF(x, y), QPointF(x + size, y), QPointF(x + size / 2, y + size)])
    p.drawPolygon(poly)
    p.setBrush(Qt.BrushStyle.NoBrush)


def _cards(doc: _Doc, data) -> None:
    spec = _headline_spec()
    cols, gap = 5, 8.0
    cw = (doc.inner - gap * (cols - 1)) / cols
    ch = 86.0
    rows = math.ceil(len(spec) / cols)
    doc.need(rows * (ch + gap))
    y0 = doc.y
    f_label, f_value, f_small = _font(10.5), _font(22, bold=True), _font(10)
    for i, (attr, label, fmt, better) in enumerate(spec):
        x = doc.left + (i % cols) * (cw + gap)
        y = y0 + (i // cols) * (ch + gap)
        cur = getattr(data.headline, attr)
        prev = getattr(data.previous, attr, None) if attr != "overdue_now" else None
        change = data.change.get(attr)

        def op(p: QPainter, x=x, y=y, label=label, cur=cur, prev=prev, change=change, fmt=fmt, better=better,
               attr=attr):
            p.setPen(QPen(RULE, 0.8))
            p.setBrush(QColor("#fbfcfd"))
            p.drawRoundedRect(QRectF(x, y, cw, ch), 5, 5)
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.setFont(f_label)
            p.setPen(MUTED)
            p.drawText(QRectF(x + 8, y + 6, cw - 16, 16), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       QFontMetricsF(f_label).elidedText(label, Qt.TextElideMode.ElideRight, cw - 16))
            p.setFont(f_value)
            p.setPen(INK)
            p.drawText(QRectF(x + 8, y + 22, cw - 16, 32), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       fmt(cur))
            p.setFont(f_small)
            if change is not None and abs(change) > 1e-9:
                up = change > 0
                color = NEUTRAL if better is None else (GOOD if up == better else BAD)
                _arrow(p, x + 8, y + 60, 9, up, color)
                p.setPen(color)
                p.drawText(QRectF(x + 21, y + 56, cw - 29, 16), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                           _change_text(change, attr))
            elif attr != "overdue_now":
                p.setPen(MUTED)
                p.drawText(QRectF(x + 8, y + 56, cw - 16, 16), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                           "= " if change is not None else "—")
            if attr != "overdue_now":
                p.setPen(MUTED)
                p.drawText(QRectF(x + 8, y + 70, cw - 16, 14), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                           QCoreApplication.translate("WeeklyReview", "prev. week: %1").replace("%1", fmt(prev)))
            else:
                p.setPen(MUTED)
                p.drawText(QRectF(x + 8, y + 62, cw - 16, 20), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                           QCoreApplication.translate("WeeklyReview", "at %1").replace("%1", data.now.strftime("%m-%d %H:%M")))

        doc.add(op)
    doc.y = y0 + rows * (ch + gap) + 6


def _ranked_colors(rows: list, col: int) -> list[dict[int, QColor]]:
    grade_col = {"A": GOOD, "B": QColor("#4d7c0f"), "C": QColor("#a16207"), "D": QColor("#c2410c"), "E": BAD}
    return [{col: grade_col.get(r, INK)} for r in rows]


def _street_table(doc: _Doc, data) -> None:
    cols = [Column("#", 0.5, R), Column(QCoreApplication.translate("WeeklyReview", "Street"), 2.4),
            Column(QCoreApplication.translate("WeeklyReview", "Grade"), 0.9, C),
            Column(QCoreApplication.translate("WeeklyReview", "Score"), 1.0, R),
            Column(QCoreApplication.translate("WeeklyReview", "Cases"), 1.0, R),
            Column(QCoreApplication.translate("WeeklyReview", "Closure rate"), 1.4, R),
            Column(QCoreApplication.translate("WeeklyReview", "On-time rate"), 1.4, R),
            Column(QCoreApplication.translate("WeeklyReview", "Public share"), 1.4, R)]
    rows, grades = [], []
    for i, r in enumerate(data.street_ranking, 1):
        e = r.extra
        rows.append([str(i), r.name, e.get("grade") or "—", _num(r.value), _num(e.get("cases")),
                     _pct(e.get("closure_rate")), _pct(e.get("on_time_rate")), _pct(e.get("public_share"))])
        grades.append(e.get("grade"))
    if rows:
        doc.table(cols, rows, colors=_ranked_colors(grades, 2))
    else:
        doc.text(QCoreApplication.translate("WeeklyReview", "No streets to rank."), _font(11.5), MUTED)


def _department_table(doc: _Doc, data) -> None:
    cols = [Column("#", 0.5, R), Column(QCoreApplication.translate("WeeklyReview", "Department"), 2.4),
            Column(QCoreApplication.translate("WeeklyReview", "Grade"), 0.9, C),
            Column(QCoreApplication.translate("WeeklyReview", "Score"), 1.0, R),
            Column(QCoreApplication.translate("WeeklyReview", "Cases due"), 1.1, R),
            Column(QCoreApplication.translate("WeeklyReview", "Closure rate"), 1.3, R),
            Column(QCoreApplication.translate("WeeklyReview", "On-time handling"), 1.5, R),
            Column(QCoreApplication.translate("WeeklyReview", "Rework rate"), 1.2, R)]
    scored = [r for r in data.department_ranking if r.value is not None and (r.extra.get("cases_due") or 0) > 0]
    idle = len(data.department_ranking) - len(scored)
    rows, grades = [], []
    for i, r in enumerate(scored, 1):
        e = r.extra
        rows.append([str(i), r.name, e.get("grade") or "—", _num(r.value), _num(e.get("cases_due")),
                     _pct(e.get("closure_rate")), _pct(e.get("handling_on_time")), _pct(e.get("rework_rate"))])
        grades.append(e.get("grade"))
    if rows:
        doc.table(cols, rows, colors=_ranked_colors(grades, 2))
    else:
        doc.text(QCoreApplication.translate("WeeklyReview", "No department had cases due this week."), _font(11.5), MUTED)
    if idle:
        doc.text(QCoreApplication.translate("WeeklyReview", "%1 departments had no cases due this week and are not ranked.")
                 .replace("%1", str(idle)), _font(10), MUTED)


def _top_table(doc: _Doc, items, first: list[Column]) -> None:
    cols = [Column("#", 0.5, R), *first,
            Column(QCoreApplication.translate("WeeklyReview", "This week"), 1.1, R),
            Column(QCoreApplication.translate("WeeklyReview", "Previous week"), 1.3, R),
            Column(QCoreApplication.translate("WeeklyReview", "Change"), 1.1, R)]
    rows, colors = [], []
    for i, r in enumerate(items, 1):
        names = [r.key, r.name] if len(first) == 2 else [r.name]
        prev = r.previous or 0
        ch = (r.value - prev) / prev if prev else None
        delta = f"{(r.value or 0) - prev:+d}" + (f" ({ch * 100:+.0f}%)" if ch is not None else "")
        rows.append([str(i), *names, _num(r.value), _num(prev), delta])
        colors.append({len(cols) - 1: BAD if (r.value or 0) > prev else (GOOD if (r.value or 0) < prev else INK)})
    doc.table(cols, rows, colors=colors)


def _case_table(doc: _Doc, notes, kind: str) -> None:
    number = QCoreApplication.translate("WeeklyReview", "Case number")
    cat = QCoreApplication.translate("WeeklyReview", "Category")
    grid = QCoreApplication.translate("WeeklyReview", "Grid")
    dept = QCoreApplication.translate("WeeklyReview", "Department")
    state = QCoreApplication.translate("WeeklyReview", "State")
    if kind == "overdue":
        cols = [Column(number, 1.7), Column(cat, 1.4), Column(grid, 1.8), Column(dept, 1.7), Column(state, 1.0),
                Column(QCoreApplication.translate("WeeklyReview", "Due"), 1.1),
                Column(QCoreApplication.translate("WeeklyReview", "Overdue"), 0.9, R)]
        rows = [[n.number, n.category, n.grid, n.department, _state(n.state), _sdt(n.due_at), _duration(n.overdue_minutes)]
                for n in notes]
        colors = [{6: BAD} for _ in notes]
    elif kind == "parked":
        cols = [Column(number, 1.7), Column(cat, 1.4), Column(grid, 1.8), Column(dept, 1.7),
                Column(QCoreApplication.translate("WeeklyReview", "Reported"), 1.4),
                Column(QCoreApplication.translate("WeeklyReview", "Due"), 1.4)]
        rows = [[n.number, n.category, n.grid, n.department, _dt(n.reported_at), _dt(n.due_at)] for n in notes]
        colors = None
    else:
        cols = [Column(number, 1.7), Column(cat, 1.3), Column(grid, 1.8), Column(dept, 1.6), Column(state, 0.9),
                Column(QCoreApplication.translate("WeeklyReview", "Reported"), 1.2),
                Column(QCoreApplication.translate("WeeklyReview", "Urged"), 0.7, R),
                Column(QCoreApplication.translate("WeeklyReview", "Bounces"), 0.8, R),
                Column(QCoreApplication.translate("WeeklyReview", "Overdue"), 0.9, R)]
        rows = [[n.number, n.category, n.grid, n.department, _state(n.state), _sdt(n.reported_at), str(n.urge_count),
                 str(n.bounces), _duration(n.overdue_minutes)] for n in notes]
        colors = None
    doc.table(cols, rows, colors=colors, font_px=10)


def _warnings(doc: _Doc, data) -> None:
    w = data.warnings
    small = _font(10)
    any_ = False
    for spikes, title, what in (
        (getattr(w, "grids", []), QCoreApplication.translate("WeeklyReview", "Unusual numbers of reports by grid"),
         QCoreApplication.translate("WeeklyReview", "Grid")),
        (getattr(w, "categories", []), QCoreApplication.translate("WeeklyReview", "Unusual numbers of reports by category"),
         QCoreApplication.translate("WeeklyReview", "Category")),
    ):
        if not spikes:
            continue
        any_ = True
        doc.subheading(title)
        cols = [Column(QCoreApplication.translate("WeeklyReview", "Code"), 1.6), Column(what, 2.2),
                Column(QCoreApplication.translate("WeeklyReview", "Reports"), 1.0, R),
                Column(QCoreApplication.translate("WeeklyReview", "Expected"), 1.0, R),
                Column(QCoreApplication.translate("WeeklyReview", "Ratio"), 0.9, R),
                Column("p", 1.0, R)]
        rows = [[s.code, s.name, str(s.count), f"{s.expected:.1f}", "∞" if math.isinf(s.ratio) else f"×{s.ratio:.1f}",
                 f"{s.p_value:.1e}"] for s in spikes]
        doc.table(cols, rows, colors=[{2: BAD} for _ in spikes])
    bounces = getattr(w, "bounces", [])
    if bounces:
        any_ = True
        doc.subheading(QCoreApplication.translate("WeeklyReview", "Cases bounced between departments"))
        cols = [Column(QCoreApplication.translate("WeeklyReview", "Case number"), 1.4),
                Column(QCoreApplication.translate("WeeklyReview", "Grid"), 1.4),
                Column(QCoreApplication.translate("WeeklyReview", "Dispatch chain"), 4.0),
                Column(QCoreApplication.translate("WeeklyReview", "Returns"), 0.8, R),
                Column(QCoreApplication.translate("WeeklyReview", "Near a boundary"), 1.2, C)]
        rows = [[b.number, b.grid_code, " → ".join(d.get("name", "") for d in b.departments), str(b.returns),
                 QCoreApplication.translate("WeeklyReview", "yes") if b.near_grid_boundary else ""] for b in bounces]
        doc.table(cols, rows, font_px=10.5)
    if not any_:
        doc.text(QCoreApplication.translate("WeeklyReview", "No early warnings this week: no grid or category had an "
                                            "unusual number of reports, and no case bounced between departments."),
                 _font(11.5), INK, gap=6)
    rule = getattr(w, "rule", "")
    if rule:
        doc.text(QCoreApplication.translate("WeeklyReview", "Rule: %1").replace("%1", rule), small, MUTED, gap=8)


def place_name(session, data) -> str:
    """The city for the whole-city review (the top region(s)), else the region's name."""
    from sqlalchemy import func, select

    from gridstation.store.model import Region

    if data.scope.kind == "top":
        top = session.scalar(select(func.min(Region.depth)))
        names = list(session.scalars(select(Region.name).where(Region.depth == top).order_by(Region.code)))
        return "、".join(names[:3]) or data.scope.name
    return data.scope.name


def load_weekly(session, region_code: str | None, week: str, *, now: datetime | None = None):
    """``(WeeklyReview, place name)`` for the renderer."""
    from gridstation.report.weekly import weekly_review

    data = weekly_review(session, region_code, week, now=now)
    return data, place_name(session, data)


def layout_weekly(data, width: float, height: float, *, place: str | None = None,
                  charts: dict[str, QImage] | None = None, generated: datetime | None = None) -> _Doc:
    """The review laid out on pages of ``width`` × ``height`` report pixels (1/96 inch)."""
    charts = render_charts(data) if charts is None else charts
    place = place or data.scope.name
    doc = _Doc(width, height)
    doc.new_page()
    body, small = _font(11.5), _font(10)
    last_day = data.period.end - timedelta(days=1)
    iso_prev = data.period.previous().start.isocalendar()

    # ---- page 1: title, headline figures, reported vs closed
    doc.text(QCoreApplication.translate("WeeklyReview", "Weekly review of urban management"), _font(13), MUTED, gap=2)
    scope_code = f"  ({data.scope.code})" if data.scope.code else ""
    doc.text(place + scope_code, _font(28, bold=True), INK, gap=2)
    doc.text(QCoreApplication.translate("WeeklyReview", "Week %1 · %2 to %3")
             .replace("%1", data.week).replace("%2", data.period.start.isoformat()).replace("%3", last_day.isoformat()),
             _font(15), ACCENT, gap=4)
    doc.text(QCoreApplication.translate("WeeklyReview", "Compared with the week before (%1). Figures count the cases "
                                        "reported in the week; closures and on-time rates are those of these cases.")
             .replace("%1", f"{iso_prev[0]}-W{iso_prev[1]:02d}"), small, MUTED, gap=12)
    doc.heading(QCoreApplication.translate("WeeklyReview", "Headline figures"), keep=180)
    _cards(doc, data)
    doc.heading(QCoreApplication.translate("WeeklyReview", "Reported and closed, day by day"), keep=240)
    if "daily" in charts:
        doc.image(charts["daily"])
    doc.text(QCoreApplication.translate("WeeklyReview", "Reported: cases reported that day. Closed: cases closed that day, "
                                        "whenever they were reported."), small, MUTED, gap=10)

    # ---- page 2: on-time trend, top problems and grids
    doc.new_page()
    doc.heading(QCoreApplication.translate("WeeklyReview", "On-time closure rate, last 8 weeks"), keep=240)
    if "trend" in charts:
        doc.image(charts["trend"])
    doc.heading(QCoreApplication.translate("WeeklyReview", "Top problems"), keep=240)
    if data.top_categories:
        if "categories" in charts:
            doc.image(charts["categories"])
        _top_table(doc, data.top_categories, [Column(QCoreApplication.translate("WeeklyReview", "Category"), 3.5)])
    else:
        doc.text(QCoreApplication.translate("WeeklyReview", "No cases were reported this week."), body, MUTED)
    doc.heading(QCoreApplication.translate("WeeklyReview", "Top grids"))
    if data.top_grids:
        _top_table(doc, data.top_grids, [Column(QCoreApplication.translate("WeeklyReview", "Grid code"), 2.0),
                                         Column(QCoreApplication.translate("WeeklyReview", "Grid"), 2.6)])
    else:
        doc.text(QCoreApplication.translate("WeeklyReview", "No cases were reported this week."), body, MUTED)

    # ---- rankings (flowing on)
    doc.heading(QCoreApplication.translate("WeeklyReview", "Ranking of streets"))
    _street_table(doc, data)
    doc.heading(QCoreApplication.translate("WeeklyReview", "Ranking of departments"))
    _department_table(doc, data)
    doc.text(QCoreApplication.translate("WeeklyReview", "Scores and grades follow the comprehensive evaluation "
                                        "(A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E < 40)."), small, MUTED)

    # ---- early warnings, overdue and parked
    doc.heading(QCoreApplication.translate("WeeklyReview", "Early warnings"))
    _warnings(doc, data)
    doc.heading(QCoreApplication.translate("WeeklyReview", "Overdue cases (%1)").replace("%1", _of(len(data.overdue), data.overdue_total)))
    if data.overdue:
        _case_table(doc, data.overdue, "overdue")
    else:
        doc.text(QCoreApplication.translate("WeeklyReview", "No case is overdue."), body, MUTED, gap=8)
    doc.heading(QCoreApplication.translate("WeeklyReview", "Parked cases (%1)").replace("%1", _of(len(data.parked), data.parked_total)))
    if data.parked:
        _case_table(doc, data.parked, "parked")
    else:
        doc.text(QCoreApplication.translate("WeeklyReview", "No case is parked."), body, MUTED, gap=8)

    # ---- page 5: notable cases
    doc.new_page()
    doc.heading(QCoreApplication.translate("WeeklyReview", "Notable cases"))
    for notes, title in (
        (data.most_urged, QCoreApplication.translate("WeeklyReview", "Most urged this week")),
        (data.most_bounced, QCoreApplication.translate("WeeklyReview", "Most bounced between departments")),
        (data.longest_overdue, QCoreApplication.translate("WeeklyReview", "Longest overdue")),
    ):
        doc.subheading(title)
        if notes:
            _case_table(doc, notes, "notable")
        else:
            doc.text(QCoreApplication.translate("WeeklyReview", "None."), body, MUTED, gap=10)

    # ---- header and footer on every page
    generated = generated or datetime.now()
    n = len(doc.pages)
    f = _font(9.5)
    head = QCoreApplication.translate("WeeklyReview", "Weekly review · %1 · %2").replace("%1", place).replace("%2", data.week)
    foot = QCoreApplication.translate("WeeklyReview", "Generated %1 by GridStation · data as of %2") \
        .replace("%1", generated.strftime("%Y-%m-%d %H:%M")).replace("%2", data.now.strftime("%Y-%m-%d %H:%M"))
    for i, page in enumerate(doc.pages, 1):
        def op(p: QPainter, i=i):
            left, inner = doc.left, doc.inner
            p.setFont(f)
            p.setPen(MUTED)
            if i > 1:
                p.drawText(QRectF(left, doc.margin, inner, 16), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), head)
                p.setPen(QPen(RULE, 0.8))
                p.drawLine(QPointF(left, doc.margin + 19), QPointF(left + inner, doc.margin + 19))
            yf = doc.height - doc.margin - 16
            p.setPen(QPen(RULE, 0.8))
            p.drawLine(QPointF(left, yf - 4), QPointF(left + inner, yf - 4))
            p.setPen(MUTED)
            p.drawText(QRectF(left, yf, inner * 0.75, 16), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), foot)
            p.drawText(QRectF(left, yf, inner, 16), int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                       QCoreApplication.translate("WeeklyReview", "Page %1 of %2").replace("%1", str(i)).replace("%2", str(n)))
        page.append(op)
    return doc


def paint_weekly(device, data, *, place: str | None = None, charts: dict[str, QImage] | None = None,
                 generated: datetime | None = None) -> int:
    """Paint the weekly review onto ``device`` (a QPdfWriter or QPrinter); returns the page count."""
    scale = device.logicalDpiX() / 96.0
    width, height = device.width() / scale, device.height() / scale
    doc = layout_weekly(data, width, height, place=place, charts=charts, generated=generated)
    p = QPainter()
    if not p.begin(device):
        raise RuntimeError("cannot paint on the output device (is the file writable?)")
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        for i, page in enumerate(doc.pages):
            if i:
                device.newPage()
            p.resetTransform()
            p.scale(scale, scale)
            for op in page:
                p.save()
                op(p)
                p.restore()
    finally:
        p.end()
    return len(doc.pages)


def a4_pdf_writer(path: str | Path, *, title: str = "") -> QPdfWriter:
    w = QPdfWriter(str(path))
    w.setResolution(300)
    w.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                QMarginsF(8, 8, 8, 8), QPageLayout.Unit.Millimeter))
    w.setCreator("GridStation")
    if title:
        w.setTitle(title)
    return w


def write_weekly_pdf(path: str | Path, data, *, place: str | None = None, generated: datetime | None = None) -> int:
    """Write the review to a PDF file; returns the page count. Needs a QApplication (charts)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    charts = render_charts(data)
    title = QCoreApplication.translate("WeeklyReview", "Weekly review · %1 · %2") \
        .replace("%1", place or data.scope.name).replace("%2", data.week)
    writer = a4_pdf_writer(path, title=title)
    pages = paint_weekly(writer, data, place=place, charts=charts, generated=generated)
    del writer  # flushes the file
    return pages


def _of(shown: int, total: int) -> str:
    """'12', or '50 / 3,214' when the list shows only the longest ones."""
    return str(total) if total <= shown else QCoreApplication.translate("WeeklyReview", "the longest %1 of %2").replace(
        "%1", str(shown)).replace("%2", f"{total:,}")
