"""Center-wide settings kept in the shared database, and the working calendar built from them."""

from __future__ import annotations

from datetime import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from .model import CalendarOverride, Setting
from .workcal import DayOverride, WorkCalendar

WORK_HOURS_KEY = "work_hours"
# 9:00-12:00 and 13:30-17:30: the common office day of a Chinese government department.
DEFAULT_WORK_HOURS = [["09:00", "12:00"], ["13:30", "17:30"]]


def get(session: Session, key: str, default=None):
    row = session.get(Setting, key)
    return default if row is None else row.value


def put(session: Session, key: str, value) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value


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
