"""Center-wide settings kept in the shared database (the ``setting`` table, one JSON value a key)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from gridstation.store.model import Setting

WORK_HOURS_KEY = "work_hours"
# 9:00-12:00 and 13:30-17:30: the common office day of a Chinese government department.
DEFAULT_WORK_HOURS = [["09:00", "12:00"], ["13:30", "17:30"]]


def get(session: Session, key: str, default=None):
    row = session.get(Setting, key)
    return default if row is None else row.value


def read_db_url(engine) -> str | None:
    """The center's hot standby for read-only work (setting ``read_db_url``), if it set one: the
    clients' analytics and weekly review read there unless given ``--read-db``."""
    with Session(engine) as s:
        value = get(s, "read_db_url")
    return value if isinstance(value, str) and value.strip() else None


def put(session: Session, key: str, value) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
