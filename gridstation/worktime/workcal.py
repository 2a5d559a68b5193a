"""Working-time calendar for case time limits (办理时限).

Case limits are stated in working minutes, working hours (工作时), working
days (工作日), or, for emergencies, natural clock hours (自然时). Working time
skips nights, lunch, weekends and Chinese public holidays (法定节假日), and
counts the official makeup working days (调休上班日: weekend days the State
Council declares working days).

All timestamps are naive ``datetime`` values in the command center's local
time (China, no DST), so plain datetime arithmetic is exact.

Why prefix sums: the case queue computes time-left for thousands of cases at
once. Every supported year is turned, lazily and once, into an array of
cumulative working time per day; afterwards ``working_minutes_between`` is
O(1) and ``add_working_minutes`` is O(log n) (a bisect), with no per-day loop
per call. Internally time is counted in integer microseconds, so sums are
exact and the round trip ``between(start, add(start, m)) == m`` holds to
within one microsecond's rounding of ``m``.

Holiday data (checked against holidays 0.109, ``holidays/countries/china.py``):
``holidays.country_holidays("CN", years=...)`` supports the categories
``public`` and ``half_day`` only -- there is no ``workday`` category for China
and no ``get_workdays()`` method. The makeup working days are nevertheless in
the library: each official notice is encoded as "substituted" holidays
(``ChinaStaticHolidays.special_public_holidays``, e.g. ``(FEB, 20, FEB, 14)``
= Feb 20 off, worked on Sat Feb 14), and the library collects the worked
weekend days in the instance attribute ``weekend_workdays`` and honours them in
``is_working_day()``. Official notices are encoded for 2001-2026; for later
years the library only estimates the holidays from the statutory rules and
has no makeup days, so the admin override table must carry each new notice
until the library catches up. ``half_day`` holidays (妇女节 etc., half a day
off for some groups only) are deliberately not used.
"""

from __future__ import annotations

import enum
import math
import threading
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Iterable, Sequence

__all__ = [
    "GREEN",
    "YELLOW",
    "RED",
    "MIN_YEAR",
    "MAX_YEAR",
    "TimeUnit",
    "DayOverride",
    "WorkCalendar",
    "traffic_light",
]

GREEN = "green"
YELLOW = "yellow"
RED = "red"

#: Range of years the calendar can compute working time for (on demand).
MIN_YEAR = 2000
MAX_YEAR = 2100

_US_PER_MINUTE = 60_000_000
_US_PER_DAY = 24 * 60 * _US_PER_MINUTE


class TimeUnit(str, enum.Enum):
    """Unit a case time limit (办理时限) is stated in."""

    #: Working minutes (工作分钟).
    MINUTE = "minute"
    #: Working hours (工作时): 60 working minutes.
    WORK_HOUR = "work_hour"
    #: Working day (工作日): one standard working day's worth of working
    #: minutes (the sum of the day's work intervals), not "until the same
    #: clock time on the next working day" when they would differ.
    WORK_DAY = "work_day"
    #: Natural hours (自然时): clock hours, nights and holidays included; used
    #: for emergencies (紧急工单) that must be handled around the clock.
    NATURAL_HOUR = "natural_hour"


@dataclass(frozen=True)
class DayOverride:
    """One row of the admin-editable override table (日历调整表).

    It wins over both weekends and the library's holiday data: a local
    closure (e.g. a typhoon day, 停工), or this year's official 调休 notice
    when the installed holidays library lags behind it.
    """

    day: date
    is_workday: bool
    note: str = ""


def _time_us(t: time) -> int:
    """Microseconds since midnight for a clock time (naive, no tzinfo)."""
    return ((t.hour * 60 + t.minute) * 60 + t.second) * 1_000_000 + t.microsecond


def _check_naive(dt: datetime, name: str) -> None:
    # Aware datetimes would silently mix clocks; the center uses naive local time.
    if not isinstance(dt, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(dt).__name__}")
    if dt.tzinfo is not None:
        raise ValueError(f"{name} must be a naive local datetime (no tzinfo)")


class _Year:
    """Prefix sums of one year: ``cum[i]`` = working µs before day-of-year i."""

    __slots__ = ("year", "first_ordinal", "cum", "total")

    def __init__(self, year: int, first_ordinal: int, cum: list[int]) -> None:
        self.year = year
        self.first_ordinal = first_ordinal
        self.cum = cum
        self.total = cum[-1]


class WorkCalendar:
    """Working-time calendar: which days are 工作日 and how time limits run.

    Day rule, strongest first: the override table; the library's makeup
    working days (调休上班, working even on a weekend); the library's public
    holidays (法定节假日, not working); otherwise Monday-Friday work and
    Saturday/Sunday rest. ``use_library=False`` keeps only weekends +
    overrides, a bare calendar for tests and for sites without holiday data.

    Every working day has the same ``work_intervals`` (default 09:00-12:00
    and 13:30-17:30, i.e. a 7-hour 工作日). Per-year prefix sums are built on
    first use and cached; ``years`` merely pre-builds those years up front
    (to pay the cost at start-up rather than on the first queue refresh).
    Any year in ``MIN_YEAR..MAX_YEAR`` is still built on demand.

    The calendar is immutable: when the override table changes, build a new
    ``WorkCalendar`` (cheap; years are rebuilt lazily).
    """

    def __init__(
        self,
        overrides: Iterable[DayOverride] = (),
        work_intervals: Sequence[tuple[time, time]] = (
            (time(9), time(12)),
            (time(13, 30), time(17, 30)),
        ),
        years: range | None = None,
        use_library: bool = True,
    ) -> None:
        # Later rows win if the table lists a day twice.
        self._overrides: dict[date, bool] = {o.day: bool(o.is_workday) for o in overrides}

        intervals: list[tuple[int, int]] = []
        for start, end in work_intervals:
            if start.tzinfo is not None or end.tzinfo is not None:
                raise ValueError("work intervals must be naive clock times")
            s, e = _time_us(start), _time_us(end)
            if s >= e:
                raise ValueError(f"work interval {start}-{end} is empty or reversed")
            intervals.append((s, e))
        intervals.sort()
        if not intervals:
            raise ValueError("at least one work interval is required")
        for (_, e1), (s2, _) in zip(intervals, intervals[1:]):
            if s2 < e1:
                raise ValueError("work intervals must not overlap")
        self._intervals: tuple[tuple[int, int], ...] = tuple(intervals)
        self._day_us = sum(e - s for s, e in intervals)

        self._use_library = use_library
        self._lib: dict[int, object] = {}
        self._years: dict[int, _Year] = {}
        self._lock = threading.Lock()

        if years is not None:
            for y in years:
                self._year(y)

    # ------------------------------------------------------------------ days

    @property
    def day_minutes(self) -> float:
        """Length of a standard working day (一个工作日) in working minutes."""
        return self._day_us / _US_PER_MINUTE

    def _library(self, year: int):
        """The holidays-library calendar for one year, cached."""
        lib = self._lib.get(year)
        if lib is None:
            import holidays  # imported lazily: a bare calendar needs no holiday data

            lib = holidays.country_holidays("CN", years=year)
            self._lib[year] = lib
        return lib

    def is_workday(self, d: date) -> bool:
        """Whether ``d`` is a working day (工作日) under the override table,
        the official holidays/调休 from the library, and weekends."""
        if isinstance(d, datetime):
            d = d.date()
        override = self._overrides.get(d)
        if override is not None:
            return override
        if self._use_library:
            # is_working_day(): weekend -> only if in weekend_workdays (调休上班);
            # weekday -> only if not a public holiday.
            return bool(self._library(d.year).is_working_day(d))
        return d.weekday() < 5

    def _year(self, year: int) -> _Year:
        """Prefix sums for ``year``, built once (thread-safe) and cached."""
        y = self._years.get(year)
        if y is not None:
            return y
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"year {year} outside supported range {MIN_YEAR}-{MAX_YEAR}")
        with self._lock:
            y = self._years.get(year)
            if y is None:
                first = date(year, 1, 1).toordinal()
                ndays = date(year + 1, 1, 1).toordinal() - first
                cum = [0] * (ndays + 1)
                acc = 0
                day_us = self._day_us
                for i in range(ndays):
                    if self.is_workday(date.fromordinal(first + i)):
                        acc += day_us
                    cum[i + 1] = acc
                y = _Year(year, first, cum)
                self._years[year] = y
        return y

    # ------------------------------------------------------------ arithmetic

    def _within_day_us(self, tod_us: int) -> int:
        """Working µs of a working day elapsed before clock time ``tod_us``."""
        worked = 0
        for s, e in self._intervals:
            if tod_us <= s:
                break
            worked += (e if tod_us >= e else tod_us) - s
        return worked

    def _cum_in_year(self, dt: datetime) -> tuple[_Year, int]:
        """(year table, working µs from Jan 1 00:00 of dt's year up to dt)."""
        y = self._year(dt.year)
        i = dt.toordinal() - y.first_ordinal
        base = y.cum[i]
        if y.cum[i + 1] != base:  # a working day
            tod = ((dt.hour * 60 + dt.minute) * 60 + dt.second) * 1_000_000 + dt.microsecond
            base += self._within_day_us(tod)
        return y, base

    def _between_us(self, start: datetime, end: datetime) -> int:
        if end <= start:
            return 0
        ys, cs = self._cum_in_year(start)
        ye, ce = self._cum_in_year(end)
        if ys.year == ye.year:
            return ce - cs
        # Crossing New Year: loop over whole years (never over days).
        total = ys.total - cs + ce
        for year in range(ys.year + 1, ye.year):
            total += self._year(year).total
        return total

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """Working minutes in [start, end); 0 if end <= start.

        Fractional minutes are returned (seconds count). O(1) within a year.
        """
        _check_naive(start, "start")
        _check_naive(end, "end")
        return self._between_us(start, end) / _US_PER_MINUTE

    def add_working_minutes(self, start: datetime, minutes: float) -> datetime:
        """The earliest instant at which ``minutes`` working minutes have
        elapsed since ``start`` (计时截止时刻).

        Starting outside working time the clock starts at the next working
        instant; a limit that runs out exactly at the end of an interval
        ends there (e.g. 17:30), not at the start of the next one.
        ``minutes == 0`` returns ``start`` unchanged. Resolution: 1 µs.
        """
        _check_naive(start, "start")
        if not math.isfinite(minutes) or minutes < 0:
            raise ValueError(f"minutes must be a finite non-negative number, got {minutes!r}")
        amount = round(minutes * _US_PER_MINUTE)
        if amount == 0:
            return start
        y, pos = self._cum_in_year(start)
        pos += amount
        while pos > y.total:  # runs past this year: carry into the next
            pos -= y.total
            y = self._year(y.year + 1)  # raises past MAX_YEAR
        # Smallest day boundary i with cum[i] >= pos; the instant lies in day i-1.
        # pos > 0 here, and cum[0] == 0, so i >= 1 and day i-1 is a working day.
        i = bisect_left(y.cum, pos)
        rest = pos - y.cum[i - 1]  # 0 < rest <= one working day
        for s, e in self._intervals:
            length = e - s
            if rest <= length:
                tod = s + rest
                break
            rest -= length
        else:  # pragma: no cover - impossible: rest <= day length
            raise AssertionError("working-time prefix sums are inconsistent")
        day = date.fromordinal(y.first_ordinal + i - 1)
        return datetime.combine(day, time()) + timedelta(microseconds=tod)

    # ---------------------------------------------------------------- limits

    def limit_minutes(self, amount: float, unit: TimeUnit) -> float:
        """Convert a limit (时限) to minutes of the unit's kind.

        Working minutes for MINUTE / WORK_HOUR / WORK_DAY; for NATURAL_HOUR
        the result is ``amount * 60`` *natural* minutes (the unit tells the
        caller which kind it is).
        """
        unit = TimeUnit(unit)
        if unit is TimeUnit.MINUTE:
            return float(amount)
        if unit is TimeUnit.WORK_HOUR or unit is TimeUnit.NATURAL_HOUR:
            return amount * 60.0
        return amount * self.day_minutes  # WORK_DAY

    def deadline(self, start: datetime, amount: float, unit: TimeUnit) -> datetime:
        """Due time (截止时间) of a limit of ``amount`` ``unit`` from ``start``.

        NATURAL_HOUR runs on the clock: ``start + timedelta(hours=amount)``.
        """
        unit = TimeUnit(unit)
        if unit is TimeUnit.NATURAL_HOUR:
            _check_naive(start, "start")
            return start + timedelta(hours=amount)
        return self.add_working_minutes(start, self.limit_minutes(amount, unit))

    def elapsed(self, start: datetime, end: datetime, unit: TimeUnit) -> float:
        """Time used (已用时) from ``start`` to ``end`` in minutes of the
        unit's kind: working minutes, or natural minutes for NATURAL_HOUR.
        Never negative. Compare with ``limit_minutes`` of the same unit."""
        unit = TimeUnit(unit)
        if unit is TimeUnit.NATURAL_HOUR:
            _check_naive(start, "start")
            _check_naive(end, "end")
            return max(0.0, (end - start) / timedelta(minutes=1))
        return self.working_minutes_between(start, end)


def traffic_light(elapsed_minutes: float, limit_minutes: float) -> str:
    """Red/yellow/green light (红黄绿灯) for the time used on a case.

    GREEN while elapsed <= 80% of the limit, YELLOW from just past 80% up to
    and including 100%, RED once past the limit (超时). A limit <= 0 means
    "already due": RED as soon as any time has elapsed, else GREEN.
    """
    if limit_minutes <= 0:
        return RED if elapsed_minutes > 0 else GREEN
    # elapsed*5 <= limit*4 rather than elapsed <= 0.8*limit: 0.8 is inexact in binary.
    if elapsed_minutes * 5 <= limit_minutes * 4:
        return GREEN
    if elapsed_minutes <= limit_minutes:
        return YELLOW
    return RED
