"""The working calendar as the administrator keeps it: this center's day overrides (a new
调休 notice the holidays library does not know yet, a typhoon closure, a local holiday) on
top of the library's public holidays and makeup working days, and the working hours of a
day (the ``work_hours`` setting).

Every change writes a ``change_log`` row with entity ``calendar``: each open client then
drops its cached ``WorkCalendar`` (``Workflow.reload_calendar()``), so deadlines computed
from then on use the new calendar. Deadlines already fixed on running cases are not moved
(a case's stage deadline is fixed when the stage starts).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, time, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from gridstation.store import settings as settings_mod
from gridstation.errors import InvalidInput
from gridstation.store.model import CalendarOverride
from gridstation.worktime.workcal import MAX_YEAR, MIN_YEAR, WorkCalendar
from gridstation.admin.common import admin_tx, text_field

ENTITY = "calendar"

# Kinds of day in the year view, strongest first.
OVERRIDE_WORK = "override_work"  # this center's override: a working day
OVERRIDE_REST = "override_rest"  # this center's override: a day off
MAKEUP = "makeup"  # the library's 调休上班: a weekend day worked
HOLIDAY = "holiday"  # the library's public holiday (or a weekday off in lieu)
WEEKEND = "weekend"
WORKDAY = "workday"


@dataclass(frozen=True)
class DayInfo:
    day: date
    is_workday: bool  # what the center's calendar says, overrides included
    kind: str
    library_workday: bool  # what the holidays library alone (and weekends) say
    holiday_name: str  # the library's name for the day, if it has one
    note: str  # the override's note


@dataclass(frozen=True)
class OverrideInfo:
    day: date
    is_workday: bool
    note: str
    library_workday: bool  # the day without the override


def _library(year: int, language: str | None):
    import holidays

    try:
        return holidays.country_holidays("CN", years=year, language=language)
    except (NotImplementedError, ValueError):  # an unknown language: the library's default
        return holidays.country_holidays("CN", years=year)


def year_view(s: Session, year: int, *, language: str | None = None) -> list[DayInfo]:
    """Every day of ``year``: the library's holidays and makeup days, and the overrides.
    ``language`` for the holiday names ("zh_CN", "en_US"; default the library's)."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidInput("year", f"between {MIN_YEAR} and {MAX_YEAR}")
    overrides = {o.day: o for o in s.scalars(select(CalendarOverride).where(
        CalendarOverride.day >= date(year, 1, 1), CalendarOverride.day <= date(year, 12, 31)))}
    lib = _library(year, language)
    makeup = {d for d in getattr(lib, "weekend_workdays", set()) if d.year == year}
    out = []
    d = date(year, 1, 1)
    while d.year == year:
        lib_work = bool(lib.is_working_day(d))
        o = overrides.get(d)
        if o is not None:
            kind = OVERRIDE_WORK if o.is_workday else OVERRIDE_REST
            work = bool(o.is_workday)
        elif d in makeup:
            kind, work = MAKEUP, True
        elif not lib_work and d.weekday() < 5:
            kind, work = HOLIDAY, False
        elif not lib_work:
            kind, work = (HOLIDAY if d in lib else WEEKEND), False
        else:
            kind, work = WORKDAY, True
        out.append(DayInfo(d, work, kind, lib_work, str(lib.get(d) or ""), o.note if o is not None else ""))
        d += timedelta(days=1)
    return out


def overrides(s: Session, year: int | None = None) -> list[OverrideInfo]:
    q = select(CalendarOverride).order_by(CalendarOverride.day)
    if year is not None:
        q = q.where(CalendarOverride.day >= date(year, 1, 1), CalendarOverride.day <= date(year, 12, 31))
    rows = list(s.scalars(q))
    libs: dict[int, object] = {}
    out = []
    for o in rows:
        lib = libs.get(o.day.year) or libs.setdefault(o.day.year, _library(o.day.year, None))
        out.append(OverrideInfo(o.day, bool(o.is_workday), o.note or "", bool(lib.is_working_day(o.day))))
    return out


def _day(value) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("day", f"not a date (YYYY-MM-DD): {value!r}") from None


def set_override(engine: Engine, actor, day, *, is_workday: bool, note: str = "") -> None:
    """Add or change this center's override of one day (working or not, with a note)."""
    day = _day(day)
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise InvalidInput("day", f"a day between {MIN_YEAR} and {MAX_YEAR}")
    note = text_field(note, "note", required=False, max_len=128)
    with admin_tx(engine, actor) as tx:
        o = tx.s.get(CalendarOverride, day)
        if o is None:
            tx.s.add(CalendarOverride(day=day, is_workday=bool(is_workday), note=note))
            tx.audit(ENTITY, day.isoformat(), "is_workday", None, bool(is_workday))
            tx.audit(ENTITY, day.isoformat(), "note", None, note or None)
        else:
            changed = tx.audit(ENTITY, day.isoformat(), "is_workday", bool(o.is_workday), bool(is_workday))
            changed |= tx.audit(ENTITY, day.isoformat(), "note", o.note or None, note or None)
            if not changed:
                return
            o.is_workday, o.note = bool(is_workday), note
        tx.changed(ENTITY, None, "override")


def remove_override(engine: Engine, actor, day) -> bool:
    """Drop the override of a day (the library and weekends decide again)."""
    day = _day(day)
    with admin_tx(engine, actor) as tx:
        o = tx.s.get(CalendarOverride, day)
        if o is None:
            return False
        tx.audit(ENTITY, day.isoformat(), "is_workday", bool(o.is_workday), None)
        if o.note:
            tx.audit(ENTITY, day.isoformat(), "note", o.note, None)
        tx.s.delete(o)
        tx.changed(ENTITY, None, "override")
        return True


# --------------------------------------------------------------------------- working hours

_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def work_hours(s: Session) -> list[tuple[str, str]]:
    hours = settings_mod.get(s, settings_mod.WORK_HOURS_KEY, settings_mod.DEFAULT_WORK_HOURS)
    return [(str(a), str(b)) for a, b in hours]


def check_work_hours(intervals) -> list[list[str]]:
    """[[start, end], ...] as "HH:MM", ascending, non-overlapping, at least one."""
    out: list[list[str]] = []
    parsed = []
    for i, pair in enumerate(intervals or []):
        try:
            a, b = pair
        except (TypeError, ValueError):
            raise InvalidInput("work_hours", f"interval {i + 1}: a start and an end") from None
        ts = []
        for v in (a, b):
            m = _HHMM.match(str(v).strip())
            if not m:
                raise InvalidInput("work_hours", f"interval {i + 1}: {v!r} is not a time (HH:MM)")
            ts.append(time(int(m.group(1)), int(m.group(2))))
        parsed.append(tuple(ts))
        out.append([f"{ts[0]:%H:%M}", f"{ts[1]:%H:%M}"])
    try:
        WorkCalendar(work_intervals=parsed, use_library=False)
    except ValueError as e:
        raise InvalidInput("work_hours", str(e)) from None
    return sorted(out)


def set_work_hours(engine: Engine, actor, intervals) -> list[list[str]]:
    """The working hours of every working day (e.g. 09:00-12:00 and 13:30-17:30)."""
    hours = check_work_hours(intervals)
    with admin_tx(engine, actor) as tx:
        old = settings_mod.get(tx.s, settings_mod.WORK_HOURS_KEY)
        if old is not None and [list(x) for x in old] == hours:
            return hours
        settings_mod.put(tx.s, settings_mod.WORK_HOURS_KEY, hours)
        tx.audit("setting", settings_mod.WORK_HOURS_KEY, "value",
                 old if old is not None else settings_mod.DEFAULT_WORK_HOURS, hours)
        tx.changed(ENTITY, None, "work_hours")
        return hours
