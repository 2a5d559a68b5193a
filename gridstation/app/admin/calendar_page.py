"""工作日历: the year at a glance (public holidays and makeup working days from the holidays
library, weekends, and this center's overrides), the override of one day, and the working
hours of a day."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, QRect, QSize, Qt, QTime, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QButtonGroup,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTimeEdit,
    QToolTip,
    QWidget,
)

from gridstation.admin import calendar as core
from gridstation.app.admin.common import Page, ui_chinese
from gridstation.app.uiload import register

# background, text, border of each kind of day
STYLE = {
    core.WORKDAY: ("#ffffff", "#1f2933", None),
    core.WEEKEND: ("#eef0f3", "#8a94a0", None),
    core.HOLIDAY: ("#fbd9d7", "#a61b1b", None),
    core.MAKEUP: ("#ffe8b3", "#7a4d00", None),
    core.OVERRIDE_WORK: ("#cdeed8", "#14532d", "#1e8a4c"),
    core.OVERRIDE_REST: ("#d7e6f8", "#1b3f6b", "#2f6fb5"),
}


class YearView(QWidget):
    """Twelve months in a 4 × 3 grid; click a day to choose it (``dayClicked``)."""

    dayClicked = Signal(object)

    CELL_W, CELL_H = 28, 22
    MONTH_GAP = 18
    TITLE_H, WEEK_H = 24, 18

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("YearView")
        self.year = date.today().year
        self.days: dict[date, core.DayInfo] = {}
        self.selected: date | None = None
        self.setMouseTracking(True)

    def month_size(self) -> QSize:
        return QSize(7 * self.CELL_W, self.TITLE_H + self.WEEK_H + 6 * self.CELL_H)

    def sizeHint(self) -> QSize:
        m = self.month_size()
        return QSize(4 * m.width() + 3 * self.MONTH_GAP + 2, 3 * m.height() + 2 * self.MONTH_GAP + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def set_days(self, year: int, days: list[core.DayInfo]) -> None:
        self.year = year
        self.days = {d.day: d for d in days}
        self.update()

    def set_selected(self, day: date | None) -> None:
        self.selected = day
        self.update()

    def _origin(self, month: int) -> tuple[int, int]:
        m = self.month_size()
        col, row = (month - 1) % 4, (month - 1) // 4
        return col * (m.width() + self.MONTH_GAP) + 1, row * (m.height() + self.MONTH_GAP) + 1

    def day_rect(self, d: date) -> QRect:
        x0, y0 = self._origin(d.month)
        first = date(d.year, d.month, 1)
        offset = first.weekday()  # Monday first, as Chinese calendars are printed
        i = offset + d.day - 1
        return QRect(x0 + (i % 7) * self.CELL_W, y0 + self.TITLE_H + self.WEEK_H + (i // 7) * self.CELL_H,
                     self.CELL_W - 2, self.CELL_H - 2)

    def day_at(self, pos) -> date | None:
        for month in range(1, 13):
            d = date(self.year, month, 1)
            while d.month == month:
                if self.day_rect(d).contains(pos):
                    return d
                d += timedelta(days=1)
        return None

    def paintEvent(self, _ev) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        locale = QLocale()
        title_font = QFont(self.font())
        title_font.setBold(True)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() * 0.8))
        today = date.today()
        for month in range(1, 13):
            x0, y0 = self._origin(month)
            p.setFont(title_font)
            p.setPen(QColor("#1b4f8a"))
            p.drawText(QRect(x0, y0, 7 * self.CELL_W, self.TITLE_H), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                       locale.standaloneMonthName(month, QLocale.FormatType.LongFormat))
            p.setFont(small)
            for i in range(7):
                p.setPen(QColor("#8a94a0" if i >= 5 else "#52606d"))
                p.drawText(QRect(x0 + i * self.CELL_W, y0 + self.TITLE_H, self.CELL_W - 2, self.WEEK_H),
                           Qt.AlignmentFlag.AlignCenter, locale.standaloneDayName(i + 1, QLocale.FormatType.NarrowFormat))
            p.setFont(self.font())
            d = date(self.year, month, 1)
            while d.month == month:
                info = self.days.get(d)
                kind = info.kind if info else (core.WEEKEND if d.weekday() >= 5 else core.WORKDAY)
                bg, fg, border = STYLE[kind]
                r = self.day_rect(d)
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(QColor(bg))
                p.drawRoundedRect(r, 3, 3)
                if border:
                    p.setPen(QPen(QColor(border), 1.6))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawRoundedRect(r.adjusted(1, 1, -1, -1), 3, 3)
                if kind == core.MAKEUP or (info and info.kind == core.OVERRIDE_WORK and d.weekday() >= 5):
                    # a worked weekend day: a small corner mark
                    p.setPen(Qt.PenStyle.NoPen)
                    p.setBrush(QColor(border or "#c98a00"))
                    p.drawEllipse(r.right() - 6, r.top() + 2, 4, 4)
                if d == self.selected:
                    p.setPen(QPen(QColor("#10253f"), 2))
                    p.setBrush(Qt.BrushStyle.NoBrush)
                    p.drawRoundedRect(r.adjusted(0, 0, 0, 0), 3, 3)
                p.setPen(QColor(fg))
                f = QFont(self.font())
                f.setBold(d == today)
                f.setUnderline(d == today)
                p.setFont(f)
                p.drawText(r, Qt.AlignmentFlag.AlignCenter, str(d.day))
                d += timedelta(days=1)
        p.end()

    def mousePressEvent(self, ev) -> None:
        d = self.day_at(ev.position().toPoint())
        if d is not None:
            self.set_selected(d)
            self.dayClicked.emit(d)

    def event(self, ev) -> bool:
        if ev.type() == ev.Type.ToolTip:
            d = self.day_at(ev.pos())
            if d is not None:
                info = self.days.get(d)
                bits = [QLocale().toString(QDate(d.year, d.month, d.day), QLocale.FormatType.LongFormat)]
                if info is not None:
                    if info.holiday_name:
                        bits.append(info.holiday_name)
                    if info.note:
                        bits.append(info.note)
                QToolTip.showText(ev.globalPos(), "\n".join(bits), self)
            else:
                QToolTip.hideText()
            return True
        return super().event(ev)


register(YearView)


def _swatch(kind: str, text: str) -> QWidget:
    bg, fg, border = STYLE[kind]
    w = QLabel(text)
    w.setStyleSheet(f"background: {bg}; color: {fg}; border: 1px solid {border or '#dde1e6'}; border-radius: 3px; padding: 2px 6px;")
    return w


class CalendarPage(Page):
    entities = ("calendar",)

    year_bar: QHBoxLayout
    prev_year: QPushButton
    year: QSpinBox
    next_year: QPushButton
    year_scroll: QScrollArea
    view: YearView
    summary: QLabel
    day_box: QGroupBox
    day_label: QLabel
    library: QLabel
    as_library: QRadioButton
    work: QRadioButton
    rest: QRadioButton
    note: QLineEdit
    save_day: QPushButton
    overrides: QTableWidget
    hours_box: QGroupBox
    hours: QTableWidget
    day_length: QLabel
    add_interval_button: QPushButton
    remove_interval_button: QPushButton
    save_hours: QPushButton

    def title(self) -> str:
        return self.tr("Working calendar")

    def hint(self) -> str:
        return self.tr("Time limits in working hours and working days skip nights, weekends and public holidays and "
                       "count the makeup working days. Public holidays and makeup days come from the holidays "
                       "library; add this center's own changes (a new notice, a closure) as overrides.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)  # the year, the day and the working hours: ui/calendar_page.ui
        self.days: dict[date, core.DayInfo] = {}
        self.day: date | None = None

        self.year.setRange(core.MIN_YEAR, core.MAX_YEAR)
        self.year.setValue(ctx.now().year)
        self.prev_year.clicked.connect(lambda: self.year.setValue(self.year.value() - 1))
        self.next_year.clicked.connect(lambda: self.year.setValue(self.year.value() + 1))
        legend = ((core.WORKDAY, self.tr("working day")), (core.WEEKEND, self.tr("weekend")),
                  (core.HOLIDAY, self.tr("public holiday")), (core.MAKEUP, self.tr("makeup working day")),
                  (core.OVERRIDE_WORK, self.tr("override: working")), (core.OVERRIDE_REST, self.tr("override: day off")))
        for i, (kind, text) in enumerate(legend):  # in the colours of the year view, before the bar's stretch
            self.year_bar.insertWidget(5 + i, _swatch(kind, text))
        self.year_scroll.setMinimumWidth(self.view.sizeHint().width() + 20)

        self.choice = QButtonGroup(self)
        for b in (self.as_library, self.work, self.rest):
            self.choice.addButton(b)
        self.overrides.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.hours.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.year.valueChanged.connect(lambda *_: self.load())
        self.view.dayClicked.connect(self.select_day)
        self.overrides.cellClicked.connect(lambda r, _c: self.select_day(self.overrides.item(r, 0).data(Qt.ItemDataRole.UserRole)))
        self.save_day.clicked.connect(self.save_selected_day)
        self.add_interval_button.clicked.connect(lambda: self._add_interval("13:30", "17:30"))
        self.remove_interval_button.clicked.connect(
            lambda: self.hours.removeRow(self.hours.currentRow()) if self.hours.currentRow() >= 0 else None)
        self.save_hours.clicked.connect(self.save_work_hours)
        self._show_day(None)

    # ---- loading

    def load(self) -> None:
        year = self.year.value()
        lang = "zh_CN" if ui_chinese() else "en_US"
        self.read(lambda s: (year, core.year_view(s, year, language=lang), core.overrides(s, year), core.work_hours(s)),
                  self._loaded)

    def _loaded(self, data) -> None:
        year, days, overrides, hours = data
        if year != self.year.value():
            return
        self.days = {d.day: d for d in days}
        self.view.set_days(year, days)
        holidays = sum(1 for d in days if d.kind == core.HOLIDAY and d.day.weekday() < 5)
        makeup = sum(1 for d in days if d.kind == core.MAKEUP)
        work = sum(1 for d in days if d.is_workday)
        self.summary.setText(self.tr("%1: %2 working days · %3 weekday holidays · %4 makeup working days · %5 overrides")
                             .replace("%1", str(year)).replace("%2", str(work)).replace("%3", str(holidays))
                             .replace("%4", str(makeup)).replace("%5", str(len(overrides))))
        self.overrides.setRowCount(len(overrides))
        for i, o in enumerate(overrides):
            day = QTableWidgetItem(o.day.isoformat())
            day.setData(Qt.ItemDataRole.UserRole, o.day)
            self.overrides.setItem(i, 0, day)
            self.overrides.setItem(i, 1, QTableWidgetItem(self.tr("working day") if o.is_workday else self.tr("day off")))
            self.overrides.setItem(i, 2, QTableWidgetItem(o.note))
        self.overrides.resizeColumnToContents(0)
        self.overrides.resizeColumnToContents(1)
        if not self.hours_dirty():
            self._set_hours(hours)
        self._loaded_hours = [list(x) for x in hours]
        if self.day is not None and self.day.year == year:
            self.view.set_selected(self.day)
            self._show_day(self.day)

    # ---- a day

    def select_day(self, day: date) -> None:
        if day.year != self.year.value():
            self.day = day
            self.year.setValue(day.year)
            return
        self.view.set_selected(day)
        self._show_day(day)

    def _show_day(self, day: date | None) -> None:
        self.day = day
        info = self.days.get(day) if day else None
        for w in (self.as_library, self.work, self.rest, self.note, self.save_day):
            w.setEnabled(info is not None)
        if info is None:
            self.day_label.setText("—")
            self.library.setText(self.tr("Click a day in the calendar."))
            return
        self.day_label.setText(QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat))
        lib = {
            core.HOLIDAY: self.tr("public holiday"), core.MAKEUP: self.tr("makeup working day (调休)"),
            core.WEEKEND: self.tr("weekend"), core.WORKDAY: self.tr("working day"),
        }
        if info.kind in (core.OVERRIDE_WORK, core.OVERRIDE_REST):
            base = self.tr("working day") if info.library_workday else self.tr("day off")
            text = self.tr("Without the override: %1.").replace("%1", base)
        else:
            text = self.tr("Calendar: %1.").replace("%1", lib.get(info.kind, info.kind))
        if info.holiday_name:
            text += f" {info.holiday_name}"
        self.library.setText(text)
        if info.kind == core.OVERRIDE_WORK:
            self.work.setChecked(True)
        elif info.kind == core.OVERRIDE_REST:
            self.rest.setChecked(True)
        else:
            self.as_library.setChecked(True)
        self.note.setText(info.note)

    def save_selected_day(self) -> None:
        day = self.day
        if day is None:
            return
        engine, actor = self.ctx.engine, self.ctx.actor
        note = self.note.text().strip()
        if self.as_library.isChecked():
            self.run(lambda: core.remove_override(engine, actor, day),
                     lambda _: (self.message.info(self.tr("%1 follows the calendar again.").replace("%1", day.isoformat())),
                                self._written()))
            return
        working = self.work.isChecked()
        self.run(lambda: core.set_override(engine, actor, day, is_workday=working, note=note),
                 lambda _: (self.message.info((self.tr("%1 is now a working day.") if working else
                                               self.tr("%1 is now a day off.")).replace("%1", day.isoformat())),
                            self._written()))

    # ---- working hours

    def _add_interval(self, a: str, b: str) -> None:
        r = self.hours.rowCount()
        self.hours.insertRow(r)
        for c, v in enumerate((a, b)):
            edit = QTimeEdit(QTime.fromString(v, "HH:mm"))
            edit.setDisplayFormat("HH:mm")
            edit.timeChanged.connect(self._update_length)
            self.hours.setCellWidget(r, c, edit)
        self._update_length()

    def _set_hours(self, hours) -> None:
        self.hours.setRowCount(0)
        for a, b in hours:
            self._add_interval(a, b)

    def hour_values(self) -> list[list[str]]:
        return [[self.hours.cellWidget(r, c).time().toString("HH:mm") for c in range(2)] for r in range(self.hours.rowCount())]

    def hours_dirty(self) -> bool:
        return hasattr(self, "_loaded_hours") and self.hour_values() != self._loaded_hours

    def _update_length(self, *_):
        minutes = 0
        for a, b in self.hour_values():
            ta, tb = QTime.fromString(a, "HH:mm"), QTime.fromString(b, "HH:mm")
            minutes += max(0, ta.secsTo(tb) // 60)
        self.day_length.setText(self.tr("A working day is %1 h %2 min.").replace("%1", str(minutes // 60))
                                .replace("%2", f"{minutes % 60:02d}"))

    def save_work_hours(self) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        hours = self.hour_values()

        def done(saved):
            self._loaded_hours = saved
            self._set_hours(saved)
            self.message.info(self.tr("Working hours saved."))
            self._written()

        self.run(lambda: core.set_work_hours(engine, actor, hours), done)
