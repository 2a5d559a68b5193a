"""Test databases: every database test runs on SQLite and on a real PostgreSQL.

PostgreSQL comes from ``GRIDSTATION_TEST_PG`` (an admin URL; default the local service at
127.0.0.1:5432). Each test run creates its own database and drops it at the end, so runs never
see each other's rows. Without a reachable server the PostgreSQL half is skipped with the
reason, except under CI (``CI`` set), where a missing PostgreSQL is a failure.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

# Qt runs headless in tests; these must be set before the first Qt object exists.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# commands run by tests log to a folder of their own, not to this user's data folder
os.environ.setdefault("GRIDSTATION_LOG_DIR", tempfile.mkdtemp(prefix="gridstation-test-logs-"))
from gridstation.app.qtenv import prepare_environment  # noqa: E402  (imports no Qt)

prepare_environment()

from gridstation.store.db import make_engine
from gridstation.schema import upgrade
from gridstation.store.model import Base

PG_ADMIN_URL = os.environ.get("GRIDSTATION_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
IN_CI = bool(os.environ.get("CI"))


def _pg_available() -> str | None:
    """None if the server answers, else why not."""
    try:
        eng = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        with eng.connect() as c:
            c.execute(text("select 1"))
        eng.dispose()
        return None
    except Exception as e:  # noqa: BLE001 - any failure means "not available"
        return f"{type(e).__name__}: {str(e).splitlines()[0]}"


@pytest.fixture(scope="session")
def pg_server_url():
    """URL of a fresh, migrated PostgreSQL database for this test run (dropped afterwards)."""
    why = _pg_available()
    if why:
        msg = f"PostgreSQL not reachable at {PG_ADMIN_URL} ({why}); set GRIDSTATION_TEST_PG"
        if IN_CI:
            pytest.fail("CI requires PostgreSQL: " + msg)
        pytest.skip(msg)
    name = f"gs_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = str(admin.url.set(database=name).render_as_string(hide_password=False))
    upgrade(url)
    yield url
    with admin.connect() as c:
        c.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n AND pid <> pg_backend_pid()"),
            {"n": name},
        )
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A migrated SQLite file, copied for each test (migrating per test would be slow)."""
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


def _wipe_pg(url: str) -> None:
    eng = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with eng.begin() as c:
        # TRUNCATE does not fire the append-only row trigger of case_event.
        c.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    # Like a freshly migrated database: the default workflow rules (migration 0006 seeds them).
    from sqlalchemy.orm import Session

    from gridstation.cases import rules

    with Session(eng) as s, s.begin():
        rules.store(s, rules.default_ruleset())
    eng.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, sqlite_template) -> str:
    """An empty, migrated database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "gs.db"
        shutil.copy(sqlite_template, path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("pg_server_url")
    _wipe_pg(url)
    return url


@pytest.fixture
def engine(db_url):
    eng = make_engine(db_url)
    yield eng
    eng.dispose()


def pytest_configure(config):
    """QtWebEngine must be imported, and our URL scheme registered, before QApplication."""
    try:
        import PySide6.QtWebEngineWidgets  # noqa: F401
    except ImportError:
        return
    try:
        from gridstation.app.geo.mapview import register_scheme
    except ImportError:
        return
    register_scheme()


@pytest.fixture(scope="session")
def qapp_args():
    return ["gridstation-tests"]


@pytest.fixture
def pg_cluster():
    """A throwaway PostgreSQL cluster (initdb in a temp folder, its own port) for tests that
    stop or break the server; the machine's own service is never touched. A failure in CI,
    a skip with the reason elsewhere."""
    from tests.pgcluster import Cluster

    try:
        c = Cluster()
    except Exception as e:  # noqa: BLE001
        msg = f"cannot start a throwaway PostgreSQL cluster here: {e}"
        if IN_CI:
            pytest.fail(msg)
        pytest.skip(msg)
    yield c
    c.destroy()
