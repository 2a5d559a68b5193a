"""Connecting to the shared database, migrating it, and writing the change feed.

SQLite is the embedded default (one file in the user's data folder, WAL mode); PostgreSQL is
the shared database of a real center. Both get the same schema from the Alembic migrations in
``db/``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from gridstation.paths import data_dir  # noqa: F401  (callers ask the store for the data folder)
from gridstation.store.model import ChangeLog

# One channel for every change: the payload is only a wake-up, the truth is change_log.
NOTIFY_CHANNEL = "gridstation_changes"
# Key of the transaction-level advisory lock that makes change_log.seq follow commit order on
# PostgreSQL: without it a transaction holding a lower seq could commit after a reader has
# already seen a higher one, and that reader would never see the change.
CHANGE_LOG_LOCK = 0x6772_6964  # "grid"


def default_db_url() -> str:
    """``GRIDSTATION_DB`` if set, else the embedded SQLite file in the user's data folder."""
    env = os.environ.get("GRIDSTATION_DB")
    if env:
        return env
    return f"sqlite:///{data_dir() / 'gridstation.db'}"


def normalise_url(url: str) -> str:
    """Accept ``postgresql://`` as users write it and use the psycopg 3 driver."""
    u = make_url(url)
    if u.drivername in ("postgresql", "postgres"):
        u = u.set(drivername="postgresql+psycopg")
    return u.render_as_string(hide_password=False)


def same_database(a: str, b: str) -> bool:
    """Whether two database URLs name the same database. Compare URLs this way, never as
    strings: ``normalise_url`` percent-encodes the SQLite path (``C:\\`` becomes ``C%3A%5C``,
    a Chinese user name ``%E5%BC%A0…``), so a normalised URL never equals the raw one."""
    ua, ub = make_url(normalise_url(a)), make_url(normalise_url(b))
    if ua.get_backend_name() != ub.get_backend_name():
        return False
    if ua.get_backend_name() == "sqlite":
        return _same_path(ua.database or "", ub.database or "")
    # URL.set(password=None) would keep the password: None there means "unchanged"
    return ua._replace(password=None) == ub._replace(password=None)


def _same_path(a: str, b: str) -> bool:
    if a == b:
        return True
    if not a or not b or ":memory:" in (a, b):
        return False
    if sys.platform == "win32" or "\\" in a or "\\" in b:  # Windows paths: case and slashes do not matter
        return a.replace("/", "\\").casefold() == b.replace("/", "\\").casefold()
    return os.path.normpath(a) == os.path.normpath(b)


def is_embedded(url: str) -> bool:
    """The embedded database of this user (the demo city's file), however the URL is written."""
    return same_database(url, f"sqlite:///{data_dir() / 'gridstation.db'}")


def _sqlite_connect(dbapi_conn, _record) -> None:
    # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite's implicit BEGIN is deferred
    # and only before DML, which loses the choice of IMMEDIATE for writers).
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=15000")
    cur.close()


def _sqlite_begin(conn) -> None:
    # A writer takes the write lock at BEGIN: a deferred transaction that reads and then
    # writes fails at once with "database is locked" when another workstation wrote meanwhile,
    # while BEGIN IMMEDIATE simply waits its turn. Readers stay deferred and never block.
    immediate = conn.get_execution_options().get("gs_write", False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _sqlite_query_only(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.close()


def make_engine(url: str | None = None, *, read_only: bool = False, **kw) -> Engine:
    """An engine for ``url``. ``read_only``: the database itself refuses every write on these
    connections (PostgreSQL ``default_transaction_read_only``, SQLite ``query_only``): the wall."""
    url = normalise_url(url or default_db_url())
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kw)
        event.listen(engine, "connect", _sqlite_connect)
        if read_only:
            event.listen(engine, "connect", _sqlite_query_only)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    kw.setdefault("pool_pre_ping", True)
    args = dict(kw.pop("connect_args", {}))
    args.setdefault("connect_timeout", 10)  # a server gone silent is noticed, not waited for
    if read_only:
        args["options"] = (args.get("options", "") + " -c default_transaction_read_only=on").strip()
    kw["connect_args"] = args
    return create_engine(url, **kw)


def writer(engine: Engine) -> Engine:
    """The same engine, marked so that its transactions start as writers."""
    return engine.execution_options(gs_write=True)


def is_postgres(bind) -> bool:
    return bind.dialect.name == "postgresql"


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back everything on any error."""
    session = factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def record_change(
    session: Session,
    entity: str,
    entity_id: int | None,
    action: str,
    user_id: int | None,
    at: datetime | None = None,
) -> None:
    """Write a change_log row in the caller's transaction and wake the other workstations.

    Call it last in a transaction: on PostgreSQL it takes the change-feed lock, held to commit.
    """
    bind = session.get_bind()
    if is_postgres(bind):
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": CHANGE_LOG_LOCK})
    session.execute(
        insert(ChangeLog).values(
            at=at or datetime.now(), entity=entity, entity_id=entity_id, action=action, user_id=user_id
        )
    )
    if is_postgres(bind):
        # Delivered at commit, dropped on rollback: exactly the semantics we want.
        session.execute(text("SELECT pg_notify(:ch, :p)"), {"ch": NOTIFY_CHANNEL, "p": entity})


# --------------------------------------------------------------------------- migrations


def migrations_dir() -> Path:
    """The Alembic environment (``db/``), wherever this installation keeps it."""
    from gridstation.paths import migrations_dir as find

    return find()


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", normalise_url(url).replace("%", "%%"))
    return cfg


def migrate(url: str, revision: str = "head") -> tuple[str | None, str | None]:
    """Run the Alembic migrations up to ``revision``; the revisions before and after.

    ``gridstation.schema.upgrade`` is what callers use: it also fills what a migration adds."""
    from alembic import command

    engine = make_engine(url)  # creates the SQLite folder if needed
    try:
        before = current_revision(engine)
        command.upgrade(alembic_config(url), revision)
        return before, current_revision(engine)
    finally:
        engine.dispose()


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()
