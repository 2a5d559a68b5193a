"""Tests for gridstation.worktime.workcal (working-time calendar, 工作日/工作时).

The 2026 expectations come from the State Council notice
"国务院办公厅关于2026年部分节假日安排的通知" (4 Nov 2025), encoded below
independently of the holidays library, and are checked against both the
library-backed calendar and a bare calendar fed the notice as overrides.
"""

from __future__ import annotations

import random
import time as _time
from datetime import date, datetime, time, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gridstation.worktime.workcal import (
    GREEN,
    MAX_YEAR,
    MIN_YEAR,
    RED,
    YELLOW,
    DayOverride,
    TimeUnit,
    WorkCalendar,
    traffic_light,
)

D = datetime

# --- 2026 official notice (国务院办公厅, 2025-11-04), written out by hand ---------
# Days off (放假), including weekends that fall inside a holiday block.
NOTICE_2026_OFF = (
    [date(2026, 1, d) for d in (1, 2, 3)]  # 元旦 Jan 1-3
    + [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]  # 春节 Feb 15-23
    + [date(2026, 4, d) for d in (4, 5, 6)]  # 清明 Apr 4-6
    + [date(2026, 5, d) for d in (1, 2, 3, 4, 5)]  # 劳动节 May 1-5
    + [date(2026, 6, d) for d in (19, 20, 21)]  # 端午 Jun 19-21
    + [date(2026, 9, d) for d in (25, 26, 27)]  # 中秋 Sep 25-27
    + [date(2026, 10, d) for d in range(1, 8)]  # 国庆 Oct 1-7
)
# Makeup working days (调休上班), all on weekends.
NOTICE_2026_MAKEUP = [
    date(2026, 1, 4),  # Sun, 元旦
    date(2026, 2, 14),  # Sat, 春节
    date(2026, 2, 28),  # Sat, 春节
    date(2026, 5, 9),  # Sat, 劳动节
    date(2026, 9, 20),  # Sun, 国庆
    date(2026, 10, 10),  # Sat, 国庆
]


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar()


@pytest.fixture(scope="module")
def bare() -> WorkCalendar:
    return WorkCalendar(use_library=False)


def _days(year: int):
    d = date(year, 1, 1)
    while d.year == year:
        yield d
        d += timedelta(days=1)


# ------------------------------------------------------------ calendar data


def test_notice_2026_weekdays_are_as_stated():
    # Guard the hand-written test data itself.
    assert date(2026, 2, 15).weekday() == 6 and date(2026, 2, 23).weekday() == 0
    assert all(d.weekday() >= 5 for d in NOTICE_2026_MAKEUP)
    assert date(2026, 9, 20).weekday() == 6 and date(2026, 10, 10).weekday() == 5


def test_library_has_2026_holidays_and_makeup_days():
    """What the holidays library itself says for China 2026."""
    lib = holidays.country_holidays("CN", years=2026)
    # Weekday holidays of the Spring Festival and National Day blocks are listed
    # (the weekend days inside the blocks are simply weekends).
    for d in [date(2026, 2, 16), date(2026, 2, 17), date(2026, 2, 18), date(2026, 2, 19),
              date(2026, 2, 20), date(2026, 2, 23)]:
        assert d in lib, d
    for d in [date(2026, 10, d) for d in (1, 2, 5, 6, 7)]:
        assert d in lib, d
    # Makeup working days: exposed as weekend_workdays / is_working_day().
    for d in NOTICE_2026_MAKEUP:
        assert d in lib.weekend_workdays, d
        assert lib.is_working_day(d), d


@pytest.mark.parametrize(
    "day, expected",
    [
        (date(2026, 2, 13), True),  # Fri before
        (date(2026, 2, 14), True),  # Sat, 调休上班
        *[(date(2026, 2, 15) + timedelta(days=i), False) for i in range(9)],  # Feb 15-23
        (date(2026, 2, 24), True),  # Tue back to work
        (date(2026, 2, 28), True),  # Sat, 调休上班
        (date(2026, 3, 1), False),  # ordinary Sunday
        (date(2026, 9, 19), False),  # ordinary Saturday
        (date(2026, 9, 20), True),  # Sun, 调休上班
        (date(2026, 9, 30), True),
        *[(date(2026, 10, d), False) for d in range(1, 8)],  # Oct 1-7
        (date(2026, 10, 8), True),
        (date(2026, 10, 9), True),
        (date(2026, 10, 10), True),  # Sat, 调休上班
        (date(2026, 10, 11), False),  # ordinary Sunday
    ],
)
def test_2026_spring_festival_and_national_day(cal, day, expected):
    assert cal.is_workday(day) is expected


def test_library_calendar_matches_notice_for_all_of_2026(cal):
    off, makeup = set(NOTICE_2026_OFF), set(NOTICE_2026_MAKEUP)
    for d in _days(2026):
        expected = d in makeup or (d.weekday() < 5 and d not in off)
        assert cal.is_workday(d) is expected, d


def test_override_table_alone_reproduces_the_notice(cal):
    """The path used when the library lags: a bare calendar + the notice as
    override rows must give the same 2026 as the library."""
    rows = [DayOverride(d, False, "放假") for d in NOTICE_2026_OFF if d.weekday() < 5]
    rows += [DayOverride(d, True, "调休上班") for d in NOTICE_2026_MAKEUP]
    manual = WorkCalendar(overrides=rows, use_library=False)
    for d in _days(2026):
        assert manual.is_workday(d) is cal.is_workday(d), d
    # ...and so the time arithmetic agrees too.
    start = D(2026, 1, 1)
    for end in (D(2026, 2, 28, 12), D(2026, 10, 10, 17, 30), D(2027, 1, 1)):
        assert manual.working_minutes_between(start, end) == cal.working_minutes_between(start, end)
    assert manual.deadline(D(2026, 2, 13, 10), 3, TimeUnit.WORK_DAY) == D(2026, 2, 25, 10)


def test_bare_calendar_ignores_holidays(bare):
    assert bare.is_workday(date(2026, 2, 18))  # Wed in Spring Festival
    assert not bare.is_workday(date(2026, 2, 14))  # Sat makeup day unknown
    assert bare.add_working_minutes(D(2026, 2, 13, 17), 60) == D(2026, 2, 16, 9, 30)


def test_override_wins_over_library():
    cal = WorkCalendar(overrides=[
        DayOverride(date(2026, 2, 18), True, "值班"),  # library holiday -> working
        DayOverride(date(2026, 2, 28), False, "本地停工"),  # makeup day -> closed
    ])
    assert cal.is_workday(date(2026, 2, 18))
    assert not cal.is_workday(date(2026, 2, 28))
    assert cal.add_working_minutes(D(2026, 2, 14, 17), 60) == D(2026, 2, 18, 9, 30)


def test_duplicate_override_last_row_wins():
    cal = WorkCalendar(overrides=[DayOverride(date(2026, 3, 4), False),
                                  DayOverride(date(2026, 3, 4), True)], use_library=False)
    assert cal.is_workday(date(2026, 3, 4))


# ------------------------------------------------------------------ deadlines


@pytest.mark.parametrize(
    "start, amount, unit, expected",
    [
        # Spring Festival 2026 with the Sat Feb 14 / Sat Feb 28 makeup days.
        (D(2026, 2, 13, 16, 30), 120, TimeUnit.MINUTE, D(2026, 2, 14, 10, 0)),
        (D(2026, 2, 14, 17, 0), 60, TimeUnit.MINUTE, D(2026, 2, 24, 9, 30)),
        (D(2026, 2, 14, 15, 0), 4, TimeUnit.WORK_HOUR, D(2026, 2, 24, 10, 30)),
        (D(2026, 2, 13, 10, 0), 3, TimeUnit.WORK_DAY, D(2026, 2, 25, 10, 0)),
        (D(2026, 2, 27, 15, 0), 1, TimeUnit.WORK_DAY, D(2026, 2, 28, 15, 0)),
        (D(2026, 2, 28, 15, 0), 1, TimeUnit.WORK_DAY, D(2026, 3, 2, 15, 0)),
        # National Day 2026 with Sun Sep 20 / Sat Oct 10 makeup days.
        (D(2026, 9, 18, 16, 0), 1, TimeUnit.WORK_DAY, D(2026, 9, 20, 16, 0)),
        (D(2026, 9, 30, 17, 0), 45, TimeUnit.MINUTE, D(2026, 10, 8, 9, 15)),
        (D(2026, 9, 30, 14, 0), 2, TimeUnit.WORK_DAY, D(2026, 10, 9, 14, 0)),
        (D(2026, 9, 30, 16, 0), 3, TimeUnit.WORK_HOUR, D(2026, 10, 8, 10, 30)),
        (D(2026, 10, 9, 11, 0), 1, TimeUnit.WORK_DAY, D(2026, 10, 10, 11, 0)),
        # New Year: Jan 1-3 off, Sun Jan 4 makeup; crosses the year boundary.
        (D(2025, 12, 31, 16, 0), 120, TimeUnit.MINUTE, D(2026, 1, 4, 9, 30)),
        # Starting outside working time: night, early morning, weekend, lunch.
        (D(2026, 3, 3, 22, 0), 30, TimeUnit.MINUTE, D(2026, 3, 4, 9, 30)),
        (D(2026, 3, 4, 3, 0), 30, TimeUnit.MINUTE, D(2026, 3, 4, 9, 30)),
        (D(2026, 3, 7, 10, 0), 1, TimeUnit.WORK_HOUR, D(2026, 3, 9, 10, 0)),
        (D(2026, 3, 4, 12, 15), 60, TimeUnit.MINUTE, D(2026, 3, 4, 14, 30)),
        (D(2026, 3, 4, 11, 30), 60, TimeUnit.MINUTE, D(2026, 3, 4, 14, 0)),
        # Landing exactly at the end of an interval stays there.
        (D(2026, 3, 4, 11, 0), 60, TimeUnit.MINUTE, D(2026, 3, 4, 12, 0)),
        (D(2026, 3, 4, 16, 30), 1, TimeUnit.WORK_HOUR, D(2026, 3, 4, 17, 30)),
        (D(2026, 3, 4, 9, 0), 1, TimeUnit.WORK_DAY, D(2026, 3, 4, 17, 30)),
        (D(2026, 2, 14, 17, 0), 30, TimeUnit.MINUTE, D(2026, 2, 14, 17, 30)),
        # Starting at the end of the day: the next working instant.
        (D(2026, 3, 4, 17, 30), 1, TimeUnit.MINUTE, D(2026, 3, 5, 9, 1)),
        # Fractions of a minute.
        (D(2026, 3, 4, 9, 0), 0.5, TimeUnit.MINUTE, D(2026, 3, 4, 9, 0, 30)),
        # Zero: start unchanged, even outside working time.
        (D(2026, 3, 7, 3, 0), 0, TimeUnit.WORK_DAY, D(2026, 3, 7, 3, 0)),
        # Natural hours ignore nights and holidays.
        (D(2026, 2, 14, 22, 0), 3, TimeUnit.NATURAL_HOUR, D(2026, 2, 15, 1, 0)),
        (D(2026, 9, 30, 23, 0), 1.5, TimeUnit.NATURAL_HOUR, D(2026, 10, 1, 0, 30)),
    ],
)
def test_deadline(cal, start, amount, unit, expected):
    due = cal.deadline(start, amount, unit)
    assert due == expected
    # And elapsed() at the deadline gives back the limit.
    assert cal.elapsed(start, due, unit) == pytest.approx(cal.limit_minutes(amount, unit), abs=1e-9)


def test_override_closes_a_normal_weekday():
    cal = WorkCalendar(overrides=[DayOverride(date(2026, 3, 4), False, "台风停工")])
    assert not cal.is_workday(date(2026, 3, 4))
    assert cal.add_working_minutes(D(2026, 3, 3, 17, 0), 60) == D(2026, 3, 5, 9, 30)
    assert cal.working_minutes_between(D(2026, 3, 3, 17, 0), D(2026, 3, 5, 9, 30)) == 60
    assert cal.working_minutes_between(D(2026, 3, 4, 9), D(2026, 3, 4, 17, 30)) == 0


def test_override_opens_a_sunday():
    cal = WorkCalendar(overrides=[DayOverride(date(2026, 3, 8), True, "专项整治")])
    assert cal.is_workday(date(2026, 3, 8))
    assert not cal.is_workday(date(2026, 3, 7))
    assert cal.add_working_minutes(D(2026, 3, 6, 17, 0), 60) == D(2026, 3, 8, 9, 30)
    assert cal.deadline(D(2026, 3, 6, 10), 1, TimeUnit.WORK_DAY) == D(2026, 3, 8, 10)


def test_working_minutes_between_examples(cal):
    assert cal.working_minutes_between(D(2026, 3, 4, 9), D(2026, 3, 4, 17, 30)) == 420
    assert cal.working_minutes_between(D(2026, 3, 4, 12), D(2026, 3, 4, 13, 30)) == 0
    assert cal.working_minutes_between(D(2026, 3, 4, 9), D(2026, 3, 4, 9, 0, 30)) == 0.5
    assert cal.working_minutes_between(D(2026, 3, 5), D(2026, 3, 4)) == 0
    # Whole Spring Festival week: only the two makeup Saturdays and Feb 13 count.
    assert cal.working_minutes_between(D(2026, 2, 13), D(2026, 2, 24)) == 2 * 420
    # A whole year: 2026 has 261 weekdays, 19 weekday holidays, 6 makeup days.
    workdays = sum(cal.is_workday(d) for d in _days(2026))
    assert workdays == 261 - 19 + 6
    assert cal.working_minutes_between(D(2026, 1, 1), D(2027, 1, 1)) == workdays * 420
    # Spanning three calendar years equals the sum of the pieces.
    a, b, c, e = D(2025, 7, 1, 10), D(2026, 1, 1), D(2027, 1, 1), D(2027, 7, 1, 15)
    assert cal.working_minutes_between(a, e) == (
        cal.working_minutes_between(a, b)
        + cal.working_minutes_between(b, c)
        + cal.working_minutes_between(c, e)
    )


def test_limit_minutes_and_day_minutes(cal):
    assert cal.day_minutes == 420
    assert cal.limit_minutes(90, TimeUnit.MINUTE) == 90
    assert cal.limit_minutes(2, TimeUnit.WORK_HOUR) == 120
    assert cal.limit_minutes(1.5, TimeUnit.WORK_DAY) == 630
    assert cal.limit_minutes(2, TimeUnit.NATURAL_HOUR) == 120
    assert cal.limit_minutes(3, "work_day") == 1260  # str value accepted
    eight = WorkCalendar(
        work_intervals=[(time(13), time(17)), (time(8), time(12))], use_library=False
    )
    assert eight.day_minutes == 480
    assert eight.deadline(D(2026, 3, 6, 10), 1, TimeUnit.WORK_DAY) == D(2026, 3, 9, 10)


def test_elapsed_units(cal):
    start, end = D(2026, 9, 30, 16, 0), D(2026, 10, 8, 10, 0)
    assert cal.elapsed(start, end, TimeUnit.MINUTE) == 150
    assert cal.elapsed(start, end, TimeUnit.WORK_HOUR) == 150
    assert cal.elapsed(start, end, TimeUnit.WORK_DAY) == 150
    assert cal.elapsed(start, end, TimeUnit.NATURAL_HOUR) == (7 * 24 + 18) * 60
    assert cal.elapsed(end, start, TimeUnit.NATURAL_HOUR) == 0


def test_invalid_input(cal):
    with pytest.raises(ValueError):
        cal.add_working_minutes(D(2026, 3, 4), -1)
    with pytest.raises(ValueError):
        cal.add_working_minutes(D(2026, 3, 4), float("nan"))
    with pytest.raises(ValueError):
        cal.working_minutes_between(D(1999, 12, 31), D(2026, 1, 1))
    with pytest.raises(ValueError):
        cal.add_working_minutes(D(2100, 12, 31, 17), 60)  # would run into 2101
    from datetime import timezone
    with pytest.raises(ValueError):
        cal.working_minutes_between(D(2026, 3, 4, tzinfo=timezone.utc), D(2026, 3, 5))
    with pytest.raises(ValueError):
        WorkCalendar(work_intervals=[(time(9), time(12)), (time(11), time(14))])
    with pytest.raises(ValueError):
        WorkCalendar(work_intervals=[(time(12), time(9))])
    with pytest.raises(ValueError):
        WorkCalendar(years=range(1990, 2001))


def test_supported_year_range_edges(bare):
    assert (MIN_YEAR, MAX_YEAR) == (2000, 2100)
    assert bare.add_working_minutes(D(2000, 1, 1), 1) == D(2000, 1, 3, 9, 1)  # Sat -> Mon
    assert bare.working_minutes_between(D(2100, 12, 31, 9), D(2100, 12, 31, 17, 30)) == 420


def test_many_cases_use_prefix_sums_not_day_loops(monkeypatch):
    """5,000 queue rows: after the years are built, no per-day work happens."""
    cal = WorkCalendar(years=range(2025, 2028))

    def boom(*_a, **_k):  # any per-day lookup now would be a regression
        raise AssertionError("per-day lookup during arithmetic")

    monkeypatch.setattr(cal, "is_workday", boom)
    rng = random.Random(7)
    base = D(2025, 1, 1)
    starts = [base + timedelta(minutes=rng.randrange(0, 2 * 365 * 1440)) for _ in range(5000)]
    now = D(2027, 6, 1, 10)
    t0 = _time.perf_counter()
    for s in starts:
        used = cal.elapsed(s, now, TimeUnit.MINUTE)
        due = cal.deadline(s, 5, TimeUnit.WORK_DAY)
        traffic_light(used, cal.limit_minutes(5, TimeUnit.WORK_DAY))
        assert due >= s
    assert _time.perf_counter() - t0 < 2.0  # generous; typically ~30 ms


# ------------------------------------------------------------------ properties

_starts = st.datetimes(min_value=D(2025, 12, 1), max_value=D(2026, 12, 31))


@settings(max_examples=300, deadline=None)
@given(start=_starts, minutes=st.floats(min_value=0, max_value=60 * 420, allow_nan=False))
def test_round_trip_and_earliest_instant(cal, start, minutes):
    due = cal.add_working_minutes(start, minutes)
    assert due >= start
    assert cal.working_minutes_between(start, due) == pytest.approx(minutes, abs=1e-6)
    if due > start:
        # Earliest instant: one microsecond earlier the limit has not yet run out.
        assert cal.working_minutes_between(start, due - timedelta(microseconds=1)) < minutes


@settings(max_examples=200, deadline=None)
@given(start=_starts, a=st.floats(0, 20 * 420), b=st.floats(0, 20 * 420))
def test_add_is_monotonic(cal, start, a, b):
    lo, hi = sorted((a, b))
    assert cal.add_working_minutes(start, lo) <= cal.add_working_minutes(start, hi)


@settings(max_examples=200, deadline=None)
@given(start=_starts, a=st.integers(0, 30 * 1440), b=st.integers(0, 30 * 1440))
def test_between_is_additive(cal, start, a, b):
    m1 = start + timedelta(minutes=min(a, b))
    m2 = start + timedelta(minutes=max(a, b))
    assert cal.working_minutes_between(start, m2) == pytest.approx(
        cal.working_minutes_between(start, m1) + cal.working_minutes_between(m1, m2), abs=1e-9
    )


def _brute_force_minutes(cal: WorkCalendar, start: datetime, end: datetime) -> int:
    """Count whole minutes [t, t+1) inside working time, one by one."""
    count = 0
    t = start
    one = timedelta(minutes=1)
    while t < end:
        if cal.is_workday(t.date()):
            clock = t.time()
            if time(9) <= clock < time(12) or time(13, 30) <= clock < time(17, 30):
                count += 1
        t += one
    return count


@settings(max_examples=60, deadline=None)
@given(
    start=st.datetimes(min_value=D(2025, 12, 20), max_value=D(2026, 12, 31)).map(
        lambda d: d.replace(second=0, microsecond=0)
    ),
    length=st.integers(0, 12 * 1440),
)
def test_between_matches_brute_force_random(cal, start, length):
    end = start + timedelta(minutes=length)
    assert cal.working_minutes_between(start, end) == _brute_force_minutes(cal, start, end)


def test_between_matches_brute_force_long_random_ranges(cal):
    # Hypothesis favours short ranges; these seeded ones span up to three weeks.
    rng = random.Random(2026)
    for _ in range(25):
        start = D(2025, 12, 15) + timedelta(minutes=rng.randrange(0, 380 * 1440))
        end = start + timedelta(minutes=rng.randrange(7 * 1440, 21 * 1440))
        assert cal.working_minutes_between(start, end) == _brute_force_minutes(cal, start, end)


@pytest.mark.parametrize(
    "start, end",
    [
        (D(2025, 12, 30, 10, 17), D(2026, 1, 6, 11, 3)),  # New Year + Sun Jan 4
        (D(2026, 2, 12, 15, 41), D(2026, 3, 2, 9, 59)),  # Spring Festival + both Saturdays
        (D(2026, 9, 17, 12, 1), D(2026, 10, 12, 13, 31)),  # Sep 20, National Day, Oct 10
        (D(2026, 4, 30, 0, 0), D(2026, 5, 11, 23, 59)),  # Labour Day + Sat May 9
    ],
)
def test_between_matches_brute_force_holidays(cal, start, end):
    assert cal.working_minutes_between(start, end) == _brute_force_minutes(cal, start, end)


def test_brute_force_with_overrides():
    cal = WorkCalendar(overrides=[DayOverride(date(2026, 3, 4), False),
                                  DayOverride(date(2026, 3, 8), True)])
    start, end = D(2026, 3, 2, 11, 11), D(2026, 3, 10, 14, 2)
    assert cal.working_minutes_between(start, end) == _brute_force_minutes(cal, start, end)


# -------------------------------------------------------------- traffic light


@pytest.mark.parametrize(
    "elapsed, limit, expected",
    [
        (0, 480, GREEN),
        (384, 480, GREEN),  # exactly 80 %
        (384.001, 480, YELLOW),  # just past 80 %
        (8, 10, GREEN),  # exactly 80 %
        (5.6, 7, GREEN),  # exactly 80 % (decimal), not pushed over by rounding
        (5.601, 7, YELLOW),
        (2352, 2940, GREEN),  # 7 工作日 limit, exactly 80 %
        (479.999, 480, YELLOW),
        (480, 480, YELLOW),  # exactly 100 %
        (480.001, 480, RED),  # just past the limit
        (10_000, 480, RED),
        (0, 0, GREEN),
        (0.001, 0, RED),
        (5, -1, RED),
        (0, -1, GREEN),
    ],
)
def test_traffic_light(elapsed, limit, expected):
    assert traffic_light(elapsed, limit) == expected


def test_traffic_light_constants():
    assert (GREEN, YELLOW, RED) == ("green", "yellow", "red")
