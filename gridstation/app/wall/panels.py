"""The wall's panels. Each is a titled frame with ``set_data(...)``; none reads the database
(the controller does, in the background) and none ever asks anything of anyone.

Lists (ticker, rankings, warnings, drill-down pages) are painted by one ``RowsView``: a fixed
set of columns, as many rows as fit the panel at the screen's scale, text elided, never a
scroll bar. The wall keeps a bounded amount of data: nothing here grows with time.
"""

from __future__ import annotations

import time as _time
from collections import deque
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gridstation.wall.data import DrillPage, Headline, Rankings, TickerItem, Trend, WarningItem
from gridstation.app.wall import theme

# --------------------------------------------------------------------------- frame


class Panel(QFrame):
    """A titled panel; ``body`` is the content widget."""

    kind = ""

    def __init__(self, title: str, u: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("WallPanel")
        self.u = u
        lay = QVBoxLayout(self)
        m = round(14 * u)
        lay.setContentsMargins(m, round(10 * u), m, m)
        lay.setSpacing(round(6 * u))
        head = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("PanelTitle")
        self.note = QLabel("")
        self.note.setObjectName("PanelNote")
        self.note.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for lab in (self.title, self.note):
            lab.setMinimumWidth(1)  # a long name is cut, it never widens the screen
            lab.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        head.addWidget(self.title, 1)
        head.addWidget(self.note, 1)
        lay.addLayout(head)
        self.body_layout = lay


# --------------------------------------------------------------------------- painted rows


@dataclass(frozen=True)
class Cell:
    text: str = ""
    color: str = theme.TEXT
    bold: bool = False
    bar: float | None = None  # 0..1: a bar behind the text (rankings)
    tag: bool = False  # drawn as a filled tag (ticker kind)


@dataclass(frozen=True)
class Column:
    width: float  # > 1: units of u pixels; <= 1: share of the remaining width
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft


class RowsView(QWidget):
    """Rows of cells painted at a fixed line height; only whole rows that fit are drawn."""

    def __init__(self, columns: list[Column], u: float, *, px: float = 21, header: list[str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns, self.u, self.px = columns, u, px
        self.header = header
        self.rows: list[list[Cell]] = []
        self.flash: dict[int, float] = {}  # row index -> monotonic time it arrived (highlight fades)
        self.empty_text = ""
        self._font = theme.font(u, px)
        self._bold = theme.font(u, px, bold=True)
        self._head_font = theme.font(u, px * 0.8)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(round(px * u * 2))

    @property
    def line_height(self) -> int:
        return round(self.px * self.u * 1.75)

    def capacity(self) -> int:
        head = self.line_height if self.header else 0
        return max(0, (self.height() - head) // self.line_height)

    def set_rows(self, rows: list[list[Cell]], flash: dict[int, float] | None = None) -> None:
        self.rows = rows
        self.flash = flash or {}
        self.update()

    def _x_spans(self, width: int) -> list[tuple[int, int]]:
        gap = round(12 * self.u)
        fixed = sum(round(c.width * self.u) for c in self.columns if c.width > 1)
        share = sum(c.width for c in self.columns if c.width <= 1) or 1.0
        rest = max(0, width - fixed - gap * (len(self.columns) - 1))
        spans, x = [], 0
        for c in self.columns:
            w = round(c.width * self.u) if c.width > 1 else round(rest * c.width / share)
            spans.append((x, w))
            x += w + gap
        return spans

    def paintEvent(self, _ev) -> None:  # Qt override
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        lh = self.line_height
        spans = self._x_spans(self.width())
        y = 0
        if self.header:
            p.setFont(self._head_font)
            p.setPen(QColor(theme.DIM))
            for (x, w), text, col in zip(spans, self.header, self.columns):
                p.drawText(QRectF(x, y, w, lh), int(col.align | Qt.AlignmentFlag.AlignVCenter), text)
            p.setPen(QPen(QColor(theme.PANEL_EDGE), max(1, round(self.u))))
            p.drawLine(0, y + lh - 1, self.width(), y + lh - 1)
            y += lh
        if not self.rows and self.empty_text:
            p.setFont(self._font)
            p.setPen(QColor(theme.FAINT))
            p.drawText(QRectF(0, y, self.width(), lh * 2), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                       self.empty_text)
        now = _time.monotonic()
        for i, row in enumerate(self.rows[: self.capacity()]):
            arrived = self.flash.get(i)
            if arrived is not None and now - arrived < 8:
                a = int(90 * (1 - (now - arrived) / 8))
                p.fillRect(QRectF(0, y + 1, self.width(), lh - 2), QColor(56, 189, 248, a))
            elif i % 2 == 1:
                p.fillRect(QRectF(0, y, self.width(), lh), QColor(255, 255, 255, 8))
            for (x, w), cell, col in zip(spans, row, self.columns):
                r = QRectF(x, y, w, lh)
                if cell.bar is not None:
                    bw = max(0.0, min(1.0, cell.bar)) * w
                    p.fillRect(QRectF(x, y + lh * 0.22, bw, lh * 0.56), QColor(56, 189, 248, 70))
                font = self._bold if cell.bold else self._font
                p.setFont(font)
                text = p.fontMetrics().elidedText(cell.text, Qt.TextElideMode.ElideRight, max(0, int(w)))
                if cell.tag:
                    tw = p.fontMetrics().horizontalAdvance(text) + round(14 * self.u)
                    tag = QRectF(x, y + lh * 0.14, min(w, tw), lh * 0.72)
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(QColor(cell.color))
                    p.drawRoundedRect(tag, 4 * self.u, 4 * self.u)
                    p.setPen(QColor(theme.BG))
                    p.drawText(tag, int(Qt.AlignmentFlag.AlignCenter), text)
                    continue
                p.setPen(QColor(cell.color))
                p.drawText(r, int(col.align | Qt.AlignmentFlag.AlignVCenter), text)
            y += lh
        p.end()


def _restyle(w: QWidget, sheet: str) -> None:
    """Set a widget's style sheet only when it changes (a re-parse on every refresh is waste)."""
    if w.styleSheet() != sheet:
        w.setStyleSheet(sheet)


def pct(v: float | None) -> str:
    return "—" if v is None else f"{v * 100:.1f}%"


# --------------------------------------------------------------------------- headline

HEADLINE_KEYS = ("reported", "filed", "dispatched", "closed", "open_now", "overdue_now")


class HeadlinePanel(Panel):
    kind = "headline"

    def __init__(self, u: float, parent=None) -> None:
        super().__init__(self.tr("Today"), u, parent)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(round(18 * u))
        self.grid.setVerticalSpacing(round(8 * u))
        self.tiles: dict[str, tuple[QLabel, QLabel, QLabel]] = {}
        self.boxes: list[QWidget] = []
        for key in HEADLINE_KEYS:
            box = QWidget()
            lay = QVBoxLayout(box)
            lay.setContentsMargins(0, 0, 0, 0)
            lay.setSpacing(0)
            name, value, change = QLabel(self._label(key)), QLabel("—"), QLabel("")
            name.setObjectName("TileLabel")
            value.setObjectName("TileValue")
            change.setObjectName("TileChange")
            for w in (name, value, change):
                w.setAlignment(Qt.AlignmentFlag.AlignHCenter)
                w.setMinimumWidth(1)  # never widen the screen: the numbers are sized to fit instead
                w.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                lay.addWidget(w)
            self.boxes.append(box)
            self.tiles[key] = (name, value, change)
        self._columns = 0
        self.body_layout.addLayout(self.grid, 1)

    def resizeEvent(self, ev) -> None:  # Qt override
        super().resizeEvent(ev)
        # six tiles in a row when there is room, else two rows of three; numbers sized to fit
        w, h = max(1, self.width()), max(1, self.height())
        cols = 6 if w / 6 >= 2.2 * h / 2 or w / 6 >= 200 * self.u else 3
        if cols != self._columns:
            for box in self.boxes:
                self.grid.removeWidget(box)
            for i, box in enumerate(self.boxes):
                self.grid.addWidget(box, i // cols, i % cols)
            self._columns = cols
        rows = len(self.boxes) // cols
        tile_w = w / cols
        tile_h = (h - 40 * self.u) / rows
        value_px = max(14.0, min(62 * self.u, tile_w / 4.2, tile_h * 0.42))
        small_px = max(11.0, min(20 * self.u, tile_w / 10, tile_h * 0.16))
        for name, value, change in self.tiles.values():
            value.setFont(theme.font(1.0, value_px, bold=True))
            name.setFont(theme.font(1.0, small_px))
            change.setFont(theme.font(1.0, small_px * 0.95))

    def _label(self, key: str) -> str:
        return {
            "reported": self.tr("Reported"),
            "filed": self.tr("Filed"),
            "dispatched": self.tr("Dispatched"),
            "closed": self.tr("Closed"),
            "open_now": self.tr("Open now"),
            "overdue_now": self.tr("Overdue now"),
        }[key]

    def set_data(self, figures: list[Headline]) -> None:
        for h in figures:
            tile = self.tiles.get(h.key)
            if tile is None:
                continue
            _, value, change = tile
            value.setText(f"{h.today:,}")
            _restyle(value, f"color: {theme.BAD};" if h.key == "overdue_now" and h.today else "")
            if h.change is not None:
                d = h.change
                arrow = "▲" if d > 0 else "▼" if d < 0 else "＝"
                good = (d > 0 and h.good == "up") or (d < 0 and h.good == "down")
                bad = (d > 0 and h.good == "down") or (d < 0 and h.good == "up")
                colour = theme.GOOD if good else theme.BAD if bad else theme.DIM
                change.setText(self.tr("vs yesterday %1 %2").replace("%1", arrow).replace("%2", f"{abs(d):,}"))
                _restyle(change, f"color: {colour};")
            elif "new_today" in h.extra:
                change.setText(self.tr("%n new today", "", int(h.extra["new_today"])))
                _restyle(change, f"color: {theme.WARN};")
            else:
                change.setText("")


# --------------------------------------------------------------------------- ticker


class TickerPanel(Panel):
    """New and newly overdue cases, newest on top; a new line is lit for a few seconds."""

    kind = "ticker"

    def __init__(self, u: float, items: int = 12, parent=None) -> None:
        super().__init__(self.tr("New and overdue cases"), u, parent)
        self.items: deque[tuple[TickerItem, float]] = deque(maxlen=max(items, 3) * 2)
        self._keys: deque[tuple[str, int]] = deque(maxlen=2000)  # recently shown, to skip repeats
        self._seen: set[tuple[str, int]] = set()
        self.received = 0
        self.newest_case: int | None = None
        self.view = RowsView([Column(62), Column(80), Column(0.45), Column(0.55)], u, px=20)
        self.view.empty_text = self.tr("No new cases yet")
        self.body_layout.addWidget(self.view, 1)
        self._timer = QTimer(self)  # repaint while highlights fade
        self._timer.timeout.connect(self.view.update)
        self._timer.start(500)

    def add(self, items: list[TickerItem], *, fresh: bool = True) -> None:
        """Add items (any order); repeats of a line already shown are skipped."""
        stamp = _time.monotonic() if fresh else 0.0
        for it in sorted(items, key=lambda i: i.at):
            key = (it.kind, it.case_id)
            if key in self._seen:
                continue
            if len(self._keys) == self._keys.maxlen:
                self._seen.discard(self._keys[0])
            self._keys.append(key)
            self._seen.add(key)
            self.items.appendleft((it, stamp))
            self.received += 1
            self.newest_case = it.case_id if self.newest_case is None else max(self.newest_case, it.case_id)
        self._render()

    def _render(self) -> None:
        rows, flash = [], {}
        for i, (it, stamp) in enumerate(self.items):
            overdue = it.kind == "overdue"
            tag = Cell(self.tr("Overdue") if overdue else self.tr("New"), theme.BAD if overdue else theme.ACCENT, tag=True)
            where = " · ".join(x for x in (it.street, it.address) if x)
            rows.append([Cell(it.at.strftime("%H:%M"), theme.DIM), tag,
                         Cell(it.category or it.number, theme.TEXT, bold=True), Cell(where, theme.DIM)])
            if stamp:
                flash[i] = stamp
        self.view.set_rows(rows, flash)


# --------------------------------------------------------------------------- trend


class TrendPanel(Panel):
    kind = "trend"

    def __init__(self, u: float, parent=None) -> None:
        super().__init__(self.tr("Reported and closed, by day"), u, parent)
        from gridstation.app.analytics.charts import DayAxis

        pg.setConfigOptions(antialias=True)
        self.plot = pg.PlotWidget(background=theme.PANEL, axisItems={"bottom": DayAxis(orientation="bottom")})
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.showGrid(x=False, y=True, alpha=0.15)
        tick_font = theme.font(u, 15)
        for side in ("left", "bottom"):
            ax = self.plot.getAxis(side)
            ax.setTextPen(pg.mkPen(theme.DIM))
            ax.setPen(pg.mkPen(theme.PANEL_EDGE))
            ax.setStyle(tickFont=tick_font, tickTextOffset=round(6 * u))
        self.plot.getAxis("left").setWidth(round(56 * u))
        self.plot.getAxis("bottom").setHeight(round(34 * u))
        w = max(2, round(3 * u))
        self.reported = self.plot.plot([], [], pen=pg.mkPen(theme.ACCENT, width=w), symbol="o",
                                       symbolSize=round(7 * u), symbolBrush=theme.ACCENT, symbolPen=None)
        self.closed = self.plot.plot([], [], pen=pg.mkPen(theme.GOOD, width=w), symbol="s",
                                     symbolSize=round(7 * u), symbolBrush=theme.GOOD, symbolPen=None)
        legend = QHBoxLayout()
        for colour, text in ((theme.ACCENT, self.tr("Reported")), (theme.GOOD, self.tr("Closed"))):
            lab = QLabel(f"<span style='color:{colour}'>■</span> {text}")
            lab.setObjectName("PanelNote")
            legend.addWidget(lab)
        legend.addStretch(1)
        self.body_layout.addLayout(legend)
        self.body_layout.addWidget(self.plot, 1)

    def set_data(self, t: Trend) -> None:
        from gridstation.app.analytics.charts import day_ts

        xs = [day_ts(d) for d in t.days]
        self.reported.setData(xs, t.reported)
        self.closed.setData(xs, t.closed)
        if t.days:  # one label a week, counted back from today: never crowded, read from afar
            last = t.days[-1]
            self.plot.getAxis("bottom").setTicks(
                [[(day_ts(d), d.strftime("%m-%d")) for d in t.days if (last - d).days % 7 == 0], []])
        if t.days:
            self.note.setText(self.tr("today so far: %1 reported, %2 closed")
                              .replace("%1", f"{t.reported[-1]:,}").replace("%2", f"{t.closed[-1]:,}"))


# --------------------------------------------------------------------------- rankings


class RankingPanel(Panel):
    """Departments or streets by their evaluation score this month: the best, then the worst."""

    def __init__(self, kind: str, u: float, items: int = 8, parent=None) -> None:
        title = self.tr("Department ranking") if kind == "departments" else self.tr("Street ranking")
        super().__init__(title, u, parent)
        self.kind = kind
        self.items = items
        R = Qt.AlignmentFlag.AlignRight
        self.view = RowsView([Column(30, R), Column(1.0), Column(78, R), Column(58, R)], u, px=20,
                             header=["#", self.tr("Name"), self.tr("Score"), self.tr("Overdue")])
        self.body_layout.addWidget(self.view, 1)

    def set_data(self, r: Rankings) -> None:
        rows_ = r.departments if self.kind == "departments" else r.streets
        scored = [x for x in rows_ if x.score is not None]
        n = len(scored)
        fit = max(3, min(self.items, self.view.capacity() or self.items))
        ranked = list(enumerate(scored, start=1))
        if n > fit:  # the best and the worst (红榜 / 黑榜)
            top = fit - fit // 2
            shown = ranked[:top] + ranked[n - (fit - top):]
        else:
            shown = ranked
        rows = []
        for rank, x in shown:
            worst = n > fit and rank > n - (fit // 2)
            rows.append([
                Cell(str(rank), theme.BAD if worst else theme.DIM),
                Cell(x.name, theme.TEXT, bar=(x.score or 0) / 100.0),
                Cell(f"{x.score:.1f} {x.grade or ''}".strip(), theme.GRADE.get(x.grade or "", theme.TEXT), bold=True),
                Cell(f"{x.overdue_now:,}" if x.overdue_now else "0", theme.BAD if x.overdue_now else theme.FAINT),
            ])
        self.view.empty_text = self.tr("No cases this month yet")
        self.view.set_rows(rows)
        self.note.setText(self.tr("month to date, from %1").replace("%1", r.period_start.strftime("%m-%d")))


# --------------------------------------------------------------------------- early warnings


class WarningsPanel(Panel):
    kind = "warnings"

    def __init__(self, u: float, parent=None) -> None:
        super().__init__(self.tr("Early warnings today"), u, parent)
        self.view = RowsView([Column(120), Column(1.0), Column(170, Qt.AlignmentFlag.AlignRight)], u, px=20)
        self.view.empty_text = self.tr("No surge or bounced case today")
        self.body_layout.addWidget(self.view, 1)

    def set_data(self, items: list[WarningItem]) -> None:
        rows = []
        for w in items:
            if w.kind == "bounce":
                tag, colour = self.tr("Bounced"), theme.WARN
                figure = self.tr("%n departments", "", w.count)
            else:
                tag = self.tr("Grid surge") if w.kind == "grid_spike" else self.tr("Category surge")
                colour = theme.BAD
                figure = self.tr("%1 (usually %2)").replace("%1", str(w.count)).replace(
                    "%2", f"{w.expected:.1f}" if w.expected is not None else "—")
            rows.append([Cell(tag, colour, tag=True), Cell(w.title), Cell(figure, colour, bold=True)])
        self.view.set_rows(rows)
        self.note.setText(self.tr("%n warnings", "", len(items)) if items else "")


# --------------------------------------------------------------------------- rotating drill-down


class DrillPanel(Panel):
    """One region per page (the city, then each district): its parts this month; pages rotate."""

    kind = "drilldown"

    def __init__(self, u: float, parent=None) -> None:
        super().__init__(self.tr("This month by area"), u, parent)
        self.pages: list[DrillPage] = []
        self.index = 0
        R = Qt.AlignmentFlag.AlignRight
        self.view = RowsView([Column(1.0), Column(80, R), Column(80, R), Column(80, R), Column(64, R)], u, px=20,
                             header=[self.tr("Area"), self.tr("Reported"), self.tr("Closure"), self.tr("On time"),
                                     self.tr("Overdue")])
        self.body_layout.addWidget(self.view, 1)

    def set_data(self, pages: list[DrillPage]) -> None:
        self.pages = pages
        self.index = self.index % len(pages) if pages else 0
        self._render()

    def rotate(self) -> None:
        if self.pages:
            self.index = (self.index + 1) % len(self.pages)
            self._render()

    def _render(self) -> None:
        if not self.pages:
            self.view.set_rows([])
            return
        page = self.pages[self.index]
        self.title.setText(self.tr("%1 this month").replace("%1", page.name))
        self.note.setText(f"{self.index + 1} / {len(self.pages)}")

        def line(x, bold=False):
            return [Cell(x.name, theme.TEXT, bold=bold), Cell(f"{x.reported:,}", theme.TEXT, bold=bold),
                    Cell(pct(x.closure_rate), theme.TEXT, bold=bold), Cell(pct(x.on_time_rate), theme.TEXT, bold=bold),
                    Cell(f"{x.overdue_now:,}", theme.BAD if x.overdue_now else theme.FAINT, bold=True)]

        lines = sorted(page.lines, key=lambda x: -x.reported)
        fit = max(1, self.view.capacity() - 1)
        self.view.set_rows([line(page.total, bold=True)] + [line(x) for x in lines[:fit]])
