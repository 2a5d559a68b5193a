"""The center's working calendar as the database keeps it: the working hours setting and the
admin's day overrides (调休 notices, local days off) on top of the holidays library."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.worktime.workcal import DayOverride, WorkCalendar
from gridstation.store.model import CalendarOverride
from gridstation.store.settings import DEFAULT_WORK_HOURS, WORK_HOURS_KEY, get


def _t(s: str) -> time:
    h, m = s.split(":")
    return time(int(h), int(m))


def load_calendar(session: Session) -> WorkCalendar:
    """The working calendar: library holidays and 调休, then this center's overrides."""
    hours = get(session, WORK_HOURS_KEY, DEFAULT_WORK_HOURS)
    overrides = [
        DayOverride(r.day, r.is_workday, r.note) for r in session.scalars(select(CalendarOverride))
    ]
    return WorkCalendar(overrides=overrides, work_intervals=[(_t(a), _t(b)) for a, b in hours])
