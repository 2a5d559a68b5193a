"""One wall window per physical screen: a header (title, "data as of", clock) over a grid of
panels placed as the layout file says. Frameless and full screen; no dialog, no cursor."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gridstation.wall.layout import ScreenLayout
from gridstation.app.geo.mapview import MapView
from gridstation.app.wall import panels
from gridstation.app.wall import theme


class MapPanel(panels.Panel):
    kind = "map"

    def __init__(self, u: float, parent=None) -> None:
        super().__init__(self.tr("Live map"), u, parent)
        self.map = MapView(self)
        self.map.setZoomFactor(u)  # labels, legend and dots at the same apparent size on a 4K wall
        self.map.page().setBackgroundColor(QColor(theme.BG))  # no white flash before the first load
        self.body_layout.addWidget(self.map, 1)

    def set_counts(self, open_cases: int, overdue: int) -> None:
        self.note.setText(self.tr("%1 open · %2 overdue").replace("%1", f"{open_cases:,}").replace("%2", f"{overdue:,}"))


class WallWindow(QWidget):
    """A full-screen window for one screen of the layout."""

    def __init__(self, screen_layout: ScreenLayout, *, title: str, height: int, ticker_items: int = 12,
                 ranking_items: int = 8, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("WallWindow")
        self.setWindowTitle(title)
        self.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.u = u = theme.unit(height)
        self.setStyleSheet(theme.stylesheet(u))
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        self.header = QFrame()
        self.header.setObjectName("WallHeader")
        h = QHBoxLayout(self.header)
        h.setContentsMargins(round(24 * u), round(8 * u), round(24 * u), round(8 * u))
        self.title = QLabel(title)
        self.title.setObjectName("WallTitle")
        self.as_of = QLabel("")
        self.as_of.setObjectName("WallAsOf")
        clock_box = QVBoxLayout()
        clock_box.setSpacing(0)
        self.clock = QLabel("")
        self.clock.setObjectName("WallClock")
        self.date = QLabel("")
        self.date.setObjectName("WallDate")
        for w in (self.clock, self.date):
            w.setAlignment(Qt.AlignmentFlag.AlignRight)
            clock_box.addWidget(w)
        for lab in (self.title, self.as_of):
            lab.setMinimumWidth(1)
            lab.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.as_of.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        h.addWidget(self.title, 5)
        h.addWidget(self.as_of, 4)
        h.addSpacing(round(36 * u))
        h.addLayout(clock_box)
        outer.addWidget(self.header)

        body = QWidget()
        grid = QGridLayout(body)
        m = round(14 * u)
        grid.setContentsMargins(m, m, m, m)
        grid.setSpacing(m)
        self.panels: list[panels.Panel] = []
        for place in screen_layout.panels:
            panel = make_panel(place.panel, u, ticker_items=ticker_items, ranking_items=ranking_items)
            grid.addWidget(panel, place.row, place.col, place.rowspan, place.colspan)
            self.panels.append(panel)
        for c in range(screen_layout.columns):
            grid.setColumnStretch(c, 1)
        for r in range(screen_layout.rows):
            grid.setRowStretch(r, 1)
        outer.addWidget(body, 1)

        self.body = body
        self.message = QLabel("", self)  # over the panels until signed in (why not, and that it retries)
        self.message.setObjectName("WallMessage")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"background: rgba(7, 13, 24, 230); border: {max(1, round(2 * u))}px solid {theme.STALE};"
                                   f" border-radius: {round(10 * u)}px; padding: {round(28 * u)}px;")
        self.message.hide()

    def of_kind(self, kind: str) -> list[panels.Panel]:
        return [p for p in self.panels if p.kind == kind]

    def tick(self, now: datetime) -> None:
        self.clock.setText(now.strftime("%H:%M:%S"))
        weekday = (self.tr("Monday"), self.tr("Tuesday"), self.tr("Wednesday"), self.tr("Thursday"), self.tr("Friday"),
                   self.tr("Saturday"), self.tr("Sunday"))[now.weekday()]
        self.date.setText(f"{now.strftime('%Y-%m-%d')}  {weekday}")

    def set_status(self, as_of: datetime | None, stale: bool, lost_at: datetime | None) -> None:
        if stale:
            when = lost_at.strftime("%H:%M:%S") if lost_at else "—"
            shown = as_of.strftime("%H:%M:%S") if as_of else "—"
            text = self.tr("STALE: the database has not answered since %1; showing data as of %2; reconnecting…")
            self.as_of.setText(text.replace("%1", when).replace("%2", shown))
        else:
            self.as_of.setText(self.tr("Data as of %1").replace("%1", as_of.strftime("%H:%M:%S")) if as_of else "")
        for w in (self, self.header, self.as_of):
            if w.property("stale") != stale:
                w.setProperty("stale", stale)
                w.style().unpolish(w)
                w.style().polish(w)

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self._place_message()

    def _place_message(self) -> None:
        if self.message.isVisible():
            w = round(self.width() * 0.6)
            h = self.message.heightForWidth(w) if self.message.hasHeightForWidth() else self.message.sizeHint().height()
            self.message.setGeometry((self.width() - w) // 2, (self.height() - h) // 2, w, h)
            self.message.raise_()

    def resizeEvent(self, ev) -> None:  # Qt override
        super().resizeEvent(ev)
        self._place_message()


def make_panel(kind: str, u: float, *, ticker_items: int = 12, ranking_items: int = 8) -> panels.Panel:
    if kind == "map":
        return MapPanel(u)
    if kind == "headline":
        return panels.HeadlinePanel(u)
    if kind == "ticker":
        return panels.TickerPanel(u, ticker_items)
    if kind == "trend":
        return panels.TrendPanel(u)
    if kind in ("departments", "streets"):
        return panels.RankingPanel(kind, u, ranking_items)
    if kind == "warnings":
        return panels.WarningsPanel(u)
    if kind == "drilldown":
        return panels.DrillPanel(u)
    raise ValueError(f"unknown panel {kind!r}")
