"""The Windows release on Linux, with the platform faked where it matters: paths with a drive and a
Chinese user name, the missing console of the windowed program, the log, the wall's memory
figures, database passwords kept out of QSettings, and no silent schema upgrade of a shared
database."""

from __future__ import annotations

import ctypes
import logging
import os
import sys
import uuid
from pathlib import Path, PureWindowsPath

import pytest
from sqlalchemy import create_engine, text

from gridstation import logs, paths, schema
from gridstation.accounts import credentials
from gridstation.errors import SchemaMismatch
from gridstation.store import db as dbmod

WIN_DATA = PureWindowsPath(r"C:\Users\张三\AppData\Local\GridStation")


# ------------------------------------------------------------------ paths on Windows


def test_data_and_log_folders_on_windows(monkeypatch, tmp_path):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "本地"))
    monkeypatch.delenv("GRIDSTATION_LOG_DIR", raising=False)
    assert paths.data_dir() == tmp_path / "本地" / "GridStation"
    assert paths.logs_dir() == tmp_path / "本地" / "GridStation" / "logs"
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert paths.data_dir() == tmp_path / "xdg" / "gridstation"
    assert dbmod.default_db_url().endswith("gridstation.db")  # not "gridstation.store.db"


def test_wall_finds_the_embedded_demo_password_on_windows(monkeypatch):
    """The command line hands the wall a normalised URL, percent-encoded: ``C:\\Users\\张三`` became
    ``C%3A%5CUsers%5C%E5%BC%A0%E4%B8%89``; compared as strings with the raw default it never
    matched, so the wall never signed in to the embedded demo on Windows."""
    from gridstation.app.wall.main import _password

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("GRIDSTATION_DB", raising=False)
    monkeypatch.delenv("GRIDSTATION_WALL_PASSWORD", raising=False)
    monkeypatch.setattr(dbmod, "data_dir", lambda: WIN_DATA)
    raw = dbmod.default_db_url()
    assert raw == r"sqlite:///C:\Users\张三\AppData\Local\GridStation\gridstation.db"
    handed = dbmod.normalise_url(raw)
    assert handed != raw and "%E5%BC%A0" in handed  # what made the old string comparison fail
    assert _password(handed, None) == "demo"
    assert dbmod.same_database(handed, r"sqlite:///c:/users/张三/appdata/local/gridstation/GRIDSTATION.DB")
    assert dbmod.is_embedded(handed)
    other = dbmod.normalise_url(r"sqlite:///D:\演示\gridstation.db")
    assert _password(other, None) is None
    assert _password("postgresql+psycopg://wall@db/gs", None) is None


def test_same_database_compares_servers_without_passwords():
    a = "postgresql://zhang:secret@db.example:5432/gridstation"
    assert dbmod.same_database(a, "postgresql+psycopg://zhang@db.example:5432/gridstation")
    assert not dbmod.same_database(a, "postgresql://zhang@db.example:5432/other")
    assert not dbmod.same_database(a, "sqlite:///gridstation")


# ------------------------------------------------------------------ the wall's memory on Windows


def test_heap_trim_on_windows_compacts_the_process_heap(monkeypatch):
    from gridstation.app.wall import controller

    calls = []

    class Kernel32:
        def GetProcessHeap(self):  # noqa: N802 - the Win32 name
            return 1234

        def HeapCompact(self, heap, flags):  # noqa: N802
            calls.append((heap, flags))
            return 4096

    class WinDLL:
        kernel32 = Kernel32()

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", WinDLL(), raising=False)
    monkeypatch.delenv("GRIDSTATION_NO_TRIM", raising=False)
    controller._trim_heap()
    assert calls == [(1234, 0)]
    monkeypatch.setenv("GRIDSTATION_NO_TRIM", "1")
    controller._trim_heap()
    assert calls == [(1234, 0)]
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv("GRIDSTATION_NO_TRIM")
    controller._trim_heap()  # nothing to do, nothing raised


def test_wall_rss_comes_from_psutil_on_every_platform(monkeypatch):
    import psutil

    from gridstation.app.wall import controller

    monkeypatch.setattr(sys, "platform", "win32")  # no /proc is read any more
    rss = controller._rss_kb()
    assert rss > 10_000
    assert abs(rss - psutil.Process().memory_info().rss // 1024) < 200_000


# ------------------------------------------------------------------ passwords never in QSettings


class MemoryKeyring:
    """A credential store in memory, standing in for Windows Credential Manager."""

    priority = 10

    def __init__(self):
        self.items = {}

    def set_password(self, service, user, password):
        self.items[(service, user)] = password

    def get_password(self, service, user):
        return self.items.get((service, user))

    def delete_password(self, service, user):
        self.items.pop((service, user), None)


@pytest.fixture
def memory_keyring(monkeypatch):
    store = MemoryKeyring()
    monkeypatch.setattr(credentials, "_backend", lambda: store)
    return store


def test_password_goes_to_the_credential_store(memory_keyring):
    url = "postgresql+psycopg://zhang:s3cr%40t@dbserver:5432/gridstation"
    bare, saved = credentials.remember(url)
    assert saved and bare == "postgresql+psycopg://zhang@dbserver:5432/gridstation"
    assert list(memory_keyring.items.values()) == ["s3cr@t"]
    assert credentials.resolve(bare) == url
    credentials.forget(bare)
    assert credentials.resolve(bare) == bare


def test_without_a_credential_store_the_password_is_not_saved(monkeypatch):
    import keyring
    from keyring.backends import fail

    monkeypatch.setattr(keyring, "get_keyring", lambda: fail.Keyring())
    assert not credentials.store_available()
    bare, saved = credentials.remember("postgresql://zhang:pw@dbserver/gridstation")
    assert (bare, saved) == ("postgresql://zhang@dbserver/gridstation", False)
    assert credentials.resolve(bare) == bare


@pytest.fixture
def ini_settings(tmp_path):
    from PySide6.QtCore import QSettings

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield tmp_path / "settings"
    QSettings().clear()


def _settings_text(folder: Path) -> str:
    """Everything QSettings holds, as values and as the bytes of its files (QVariant lists are
    stored as UTF-16 inside the INI file)."""
    from PySide6.QtCore import QSettings

    s = QSettings()
    s.sync()
    values = " ".join(f"{k}={s.value(k)!r}" for k in s.allKeys())
    raw = b"".join(p.read_bytes() for p in folder.rglob("*.ini"))
    return values + raw.decode("latin-1") + raw.replace(b"\\0", b"").decode("latin-1")


@pytest.mark.parametrize("store", ["keyring", "none"])
def test_sign_in_keeps_database_passwords_out_of_qsettings(qtbot, monkeypatch, ini_settings, tmp_path, store):
    from gridstation.app.accounts import signin

    keys = MemoryKeyring()
    monkeypatch.setattr(credentials, "_backend", lambda: keys if store == "keyring" else None)
    monkeypatch.setattr(signin.QInputDialog, "getText",
                        staticmethod(lambda *a, **k: ("postgresql://zhang:TopSecret@127.0.0.1:1/gs", True)))
    dlg = signin.SignInDialog(default_url=f"sqlite:///{tmp_path / 'x.db'}")
    qtbot.addWidget(dlg)
    dlg._add_profile()
    bare = "postgresql+psycopg://zhang@127.0.0.1:1/gs"
    assert dlg.profile.currentData() == bare
    assert dlg.current_url().endswith("zhang:TopSecret@127.0.0.1:1/gs")  # usable in this session
    signin.save_profiles(signin.load_profiles() + [{"name": "x", "url": "postgresql://li:Other@h/gs"}])
    text_ = _settings_text(ini_settings)
    assert "TopSecret" not in text_ and "Other" not in text_ and "zhang@127.0.0.1" in text_
    if store == "keyring":
        assert list(keys.items.values()) == ["TopSecret"]
    else:
        assert "not saved" in dlg.note.text()


# ------------------------------------------------------------------ no console in the windowed program


def _no_console(monkeypatch) -> None:
    """The streams of GridStation.exe on Windows: none. Set in the test itself (pytest puts its
    own capture streams back between a fixture and the test)."""
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    monkeypatch.setattr(sys, "stdin", None)
    monkeypatch.setattr(logging, "lastResort", logging.lastResort)
    monkeypatch.setattr(logging, "raiseExceptions", logging.raiseExceptions)
    logs.detach_console()


def test_windowed_program_never_needs_a_console(monkeypatch, tmp_path):
    from gridstation.cli import main

    monkeypatch.setenv("GRIDSTATION_LOG_DIR", str(tmp_path / "logs"))
    url = f"sqlite:///{tmp_path / 'w.db'}"
    try:
        _no_console(monkeypatch)
        assert not logs.has_console()
        print("printed without a console")  # would raise AttributeError on None
        assert main(["--db", url, "db", "upgrade"]) == 0
        assert main(["--db", url, "users", "add", "zhang", "--position", "admin", "--password-stdin"]) == 2
        assert main(["--db", url, "evaluate", "--object", "regions", "--from", "2026-01-01", "--to", "2026-02-01",
                     "--format", "csv"]) == 2
        sys.stdout.flush()
    finally:
        monkeypatch.undo()
        logs._state["detached"] = False
    log = (tmp_path / "logs" / "cli.log").read_text(encoding="utf-8")
    assert "Database at revision" in log  # the command's output went to the log
    assert "no console to read a password from" in log and "gridstation-cli" in log
    assert "no console to print the table on" in log


def test_log_file_per_program_and_uncaught_exceptions(monkeypatch, tmp_path):
    monkeypatch.setenv("GRIDSTATION_LOG_DIR", str(tmp_path / "logs"))
    assert logs.program_for([]) == "client"
    assert logs.program_for(["--db", "sqlite:///x.db"]) == "client"
    assert logs.program_for(["--db", "sqlite:///x.db", "wall", "--screen", "1"]) == "wall"
    assert logs.program_for(["db", "upgrade"]) == "cli"
    assert logs.program_for(["--help"]) == "cli"
    path = logs.setup("client")
    try:
        assert path == tmp_path / "logs" / "client.log"
        try:
            raise RuntimeError("boom 爆")
        except RuntimeError:
            logs.log_uncaught(*sys.exc_info())  # what the installed sys.excepthook does first
        logging.getLogger("gridstation.app.geo.mapview").warning("map page: page.js:3: Uncaught TypeError")
        text_ = path.read_text(encoding="utf-8")
        assert "uncaught exception" in text_ and "RuntimeError: boom 爆" in text_ and "Traceback" in text_
        assert "Uncaught TypeError" in text_
    finally:
        logging.getLogger().removeHandler(logs._state["handler"])


def test_background_job_tracebacks_reach_the_log(qtbot, caplog):
    from gridstation.app import tasks

    def broken():
        return {}["missing"]

    errors = []
    with caplog.at_level(logging.INFO, logger="gridstation.app.tasks"):
        tasks.run(broken)  # nobody handles it
        tasks.run(broken, on_error=errors.append)
        qtbot.waitUntil(lambda: len([r for r in caplog.records if "broken" in r.getMessage()]) == 2, timeout=10_000)
    texts = [r.getMessage() for r in caplog.records if "broken" in r.getMessage()]
    assert all("KeyError" in t and "Traceback" in t for t in texts)
    assert len(errors) == 1


# ------------------------------------------------------------------ schema: no silent upgrade


PG_ADMIN_URL = os.environ.get("GRIDSTATION_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_url(request, tmp_path):
    """An empty database of its own (these tests change the schema's revision)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    yield from _fresh_pg(request)


def _revision(url: str) -> str | None:
    eng = dbmod.make_engine(url)
    try:
        return dbmod.current_revision(eng)
    finally:
        eng.dispose()


def _set_revision(url: str, rev: str) -> None:
    eng = dbmod.make_engine(url)
    with eng.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": rev})
    eng.dispose()


def test_schema_status_older_newer_empty(fresh_url):
    relation, current, head = schema.status(fresh_url)
    assert (relation, current) == ("empty", None) and head
    schema.upgrade(fresh_url, "0002")
    assert schema.status(fresh_url)[:2] == ("older", "0002")
    with pytest.raises(SchemaMismatch) as e:
        schema.require_current(fresh_url)
    assert e.value.relation == "older" and "db upgrade" in str(e.value)
    schema.upgrade(fresh_url)
    assert schema.status(fresh_url) == ("current", head, head)
    schema.require_current(fresh_url)
    _set_revision(fresh_url, "9999_from_the_future")
    assert schema.status(fresh_url)[0] == "newer"
    with pytest.raises(SchemaMismatch, match="newer"):
        schema.require_current(fresh_url)


def test_client_never_migrates_a_shared_database(fresh_url):
    schema.upgrade(fresh_url, "0002")
    if fresh_url.startswith("sqlite"):
        schema.prepare_for_client(fresh_url)  # this workstation's own file: migrated
        assert schema.status(fresh_url)[0] == "current"
    else:
        with pytest.raises(SchemaMismatch):
            schema.prepare_for_client(fresh_url)
        assert _revision(fresh_url) == "0002"  # untouched: only 'db upgrade' migrates it


@pytest.fixture
def fresh_pg_url(request):
    yield from _fresh_pg(request)


def _fresh_pg(request):
    request.getfixturevalue("pg_server_url")  # skips or fails like every PostgreSQL test
    name = f"gs_schema_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    yield admin.url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as c:
        c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


def test_sign_in_says_the_schema_is_older_and_writes_nothing(qtbot, fresh_pg_url, ini_settings):
    """A shared PostgreSQL only: an SQLite file is the workstation's own and is migrated."""
    from gridstation.app.accounts.signin import SignInDialog

    fresh_url = fresh_pg_url
    schema.upgrade(fresh_url, "0002")
    dlg = SignInDialog(default_url=fresh_url)
    qtbot.addWidget(dlg)
    qtbot.waitUntil(lambda: dlg.state == "older", timeout=20_000)
    assert "db upgrade" in dlg.message.text()
    dlg.login.setText("admin")
    dlg.password.setText("x")
    signed = []
    dlg.signedIn.connect(lambda *a: signed.append(a))
    dlg.message.clear()
    dlg.submit()
    qtbot.waitUntil(lambda: "db upgrade" in dlg.message.text(), timeout=20_000)
    assert not signed and _revision(fresh_url) == "0002"


def test_sign_in_window_says_an_unreachable_database(qtbot, ini_settings):
    from gridstation.app.accounts.signin import SignInDialog

    # a port nobody listens on: refused at once
    dlg = SignInDialog(default_url="postgresql://nobody@127.0.0.1:9/gridstation")
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitUntil(lambda: dlg.state == "unreachable", timeout=20_000)
    assert dlg.retry.isVisible() and dlg.profile.count() >= 2  # the database choice is right there
    assert dlg.profile.currentData() == "postgresql+psycopg://nobody@127.0.0.1:9/gridstation"


def test_cli_db_upgrade_is_what_migrates(fresh_url, monkeypatch, tmp_path, capsys):
    from gridstation.cli import main

    monkeypatch.setenv("GRIDSTATION_LOG_DIR", str(tmp_path / "logs"))
    schema.upgrade(fresh_url, "0002")
    if not fresh_url.startswith("sqlite"):
        assert main(["--db", fresh_url, "--no-gui"]) == 2  # a normal launch refuses and says why
        assert "older" in capsys.readouterr().err
        assert _revision(fresh_url) == "0002"
    assert main(["--db", fresh_url, "db", "upgrade"]) == 0
    assert schema.status(fresh_url)[0] == "current"


def test_map_page_javascript_errors_reach_the_log(qtbot, monkeypatch, tmp_path):
    from gridstation.app.geo import mapview as mv

    monkeypatch.setenv("GRIDSTATION_LOG_DIR", str(tmp_path / "logs"))
    path = logs.setup("client")
    view = mv.MapView()
    try:
        view.resize(400, 300)
        view.show()
        empty = {"type": "FeatureCollection", "features": []}
        with qtbot.waitSignal(view.ready, timeout=60_000):
            view.load_city(empty, empty, (113.6, 34.7, 113.7, 34.8))
        view.page().runJavaScript("console.error('gs-js-test 地图脚本出错')")
        qtbot.waitUntil(lambda: path.exists() and "gs-js-test 地图脚本出错" in path.read_text(encoding="utf-8"),
                        timeout=10_000)
    finally:
        view.close()
        view.deleteLater()
        qtbot.wait(50)
        logging.getLogger().removeHandler(logs._state["handler"])


def test_error_dialog_says_where_the_log_is(qtbot, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QMessageBox

    from gridstation.app import crash

    monkeypatch.setenv("GRIDSTATION_LOG_DIR", str(tmp_path / "日志"))
    logs.setup("client")
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    try:
        crash._show(ValueError("坏数据"))
    finally:
        logging.getLogger().removeHandler(logs._state["handler"])
    assert len(shown) == 1
    assert "ValueError: 坏数据" in shown[0] and str(tmp_path / "日志" / "client.log") in shown[0]


def test_first_start_builds_the_demo_behind_a_progress_window_that_cancels(qtbot, tmp_path, ini_settings):
    from gridstation.app.accounts.signin import SignInDialog

    db = tmp_path / "新用户" / "gridstation.db"
    dlg = SignInDialog(default_url=f"sqlite:///{db}", auto_demo=True)
    qtbot.addWidget(dlg)
    dlg.show()  # the window is there first; the build starts behind it
    qtbot.waitUntil(lambda: dlg._demo_progress is not None and dlg._demo_progress.value() >= 2, timeout=60_000)
    assert dlg._demo_progress.isVisible() and not dlg.buttons.isEnabled()
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QPushButton

    qtbot.mouseClick(dlg._demo_progress.findChild(QPushButton), Qt.MouseButton.LeftButton)  # Cancel
    qtbot.waitUntil(lambda: dlg._demo_progress is None, timeout=120_000)
    assert "not built" in dlg.message.text()
    assert not db.exists()  # nothing half-built is left behind
    assert dlg.demo_box.isVisible() and dlg.demo_button.isEnabled() and dlg.buttons.isEnabled()


def test_the_first_window_waits_for_no_database_layer_and_no_map():
    """What runs before the client's splash: the command line, the application. SQLAlchemy, the
    store and folium (the map page) load after it (benchmarks/bench_first_pixel.py: < 2 s)."""
    import subprocess

    code = ("import sys, gridstation.cli, gridstation.app.main, gridstation.app.application; "
            "print(sorted(m for m in ('sqlalchemy', 'folium', 'gridstation.store.db', 'pandas', 'shapely') "
            "if m in sys.modules))")
    root = Path(__file__).resolve().parent.parent
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=root,
                         env={**os.environ, "PYTHONPATH": str(root)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
