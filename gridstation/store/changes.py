"""Following the change feed: what changed since the last ``change_log`` row a client saw.

The wake-up is PostgreSQL ``LISTEN/NOTIFY`` (a dedicated autocommit psycopg connection whose
socket the client watches) or, on SQLite, ``PRAGMA data_version`` polled on one dedicated
connection. Either way the notification only says "look"; the truth is ``change_log``.
Qt-free: the client wires ``fileno()`` to a QSocketNotifier.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select, text
from sqlalchemy.engine import make_url

from gridstation.store.db import NOTIFY_CHANNEL, normalise_url
from gridstation.store.model import ChangeLog


@dataclass(frozen=True)
class Change:
    seq: int
    at: datetime
    entity: str
    entity_id: int | None
    action: str
    user_id: int | None


def latest_seq(engine: Engine) -> int:
    with engine.connect() as c:
        return c.execute(select(func.coalesce(func.max(ChangeLog.seq), 0))).scalar_one()


def changes_since(engine: Engine, seq: int, limit: int = 10_000) -> list[Change]:
    """Rows after ``seq`` in commit order (``limit`` at most; call again for the rest)."""
    with engine.connect() as c:
        rows = c.execute(
            select(ChangeLog).where(ChangeLog.seq > seq).order_by(ChangeLog.seq).limit(limit)
        ).all()
    return [Change(r.seq, r.at, r.entity, r.entity_id, r.action, r.user_id) for r in rows]


def is_standby(engine: Engine) -> bool:
    """The database is a PostgreSQL hot standby (read-only, in recovery): NOTIFY does not reach
    it, so its clients poll ``change_log`` (replayed from the primary like every other row)."""
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect() as c:
        return bool(c.execute(text("SELECT pg_is_in_recovery()")).scalar())


def data_as_of(engine: Engine) -> datetime | None:
    """On a standby, the time its data is current as of (local, naive): when everything it has
    received is replayed, the last time the primary was heard from (the sender's keepalives
    arrive every few seconds even when nothing changes); otherwise the commit time of the last
    transaction replayed. None on a primary (the data is live) or on SQLite."""
    if engine.dialect.name != "postgresql":
        return None
    with engine.connect() as c:
        row = c.execute(text(
            "SELECT pg_is_in_recovery(), pg_last_xact_replay_timestamp(), "
            "pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn(), "
            "(SELECT last_msg_receipt_time FROM pg_stat_wal_receiver LIMIT 1)")).one()
    standby, replayed_at, caught_up, heard_at = row
    if not standby:
        return None
    ts = heard_at if caught_up and heard_at is not None else replayed_at
    if ts is None:
        return None
    return ts.astimezone().replace(tzinfo=None) if ts.tzinfo is not None else ts


class PgListener:
    """A dedicated LISTEN connection. ``fileno()`` becomes readable when a notification (or a
    dropped connection) arrives; ``drain()`` returns the payloads and raises
    ``psycopg.OperationalError`` if the server went away (reconnect, then refresh fully)."""

    def __init__(self, url: str) -> None:
        import psycopg

        u = make_url(normalise_url(url)).set(drivername="postgresql")
        self.conn = psycopg.connect(u.render_as_string(hide_password=False), autocommit=True, connect_timeout=5)
        self.conn.execute(f"LISTEN {NOTIFY_CHANNEL}")

    def fileno(self) -> int:
        return self.conn.fileno()

    def drain(self, timeout: float = 0.0) -> list[str]:
        """Payloads that arrived (waiting up to ``timeout`` seconds for the first ones)."""
        return [n.payload for n in self.conn.notifies(timeout=timeout)]

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # noqa: BLE001 - closing a dead connection
            pass


class SqliteWatcher:
    """``PRAGMA data_version`` on a dedicated connection: it changes when another connection
    commits (never for this one's own commits)."""

    def __init__(self, url: str) -> None:
        path = make_url(normalise_url(url)).database
        self.conn = sqlite3.connect(path, check_same_thread=False)
        self._last = self._version()

    def _version(self) -> int:
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    def changed(self) -> bool:
        v = self._version()
        if v != self._last:
            self._last = v
            return True
        return False

    def close(self) -> None:
        self.conn.close()
