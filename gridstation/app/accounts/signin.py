"""Sign-in: user, password and database profile; on a new machine, the embedded demo city.

Profiles (a name and a database URL) are kept in QSettings; passwords never are: a database
password goes to the platform's credential store (``accounts.credentials``) or is not saved.
The window appears at once; everything that touches a database runs in the background: the
first look at the chosen database (unreachable? schema older or newer? no city yet?), checking
the password (scrypt) and building the demo city, behind a progress window with a cancel.
A shared PostgreSQL is never migrated here (``schema.prepare_for_client``).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QProgressDialog,
    QPushButton,
    QWidget,
)

from gridstation import schema
from gridstation.accounts import credentials
from gridstation.app import tasks
from gridstation.app.i18n import error_message
from gridstation.app.uiload import load_ui
from gridstation.store import db as dbmod

log = logging.getLogger(__name__)

DEMO_PROFILE = "__embedded__"


def load_profiles() -> list[dict]:
    s = QSettings()
    profiles = s.value("profiles/list", []) or []
    if isinstance(profiles, dict):
        profiles = [profiles]
    return [p for p in profiles if isinstance(p, dict) and p.get("url")]


def save_profiles(profiles: list[dict]) -> None:
    """Saved without passwords, whatever the caller passes."""
    QSettings().setValue("profiles/list", [{**p, "url": credentials.split_password(p["url"])[0]} for p in profiles])


class DemoCancelled(Exception):
    """The user cancelled the demo build."""


class _Progress(QObject):
    """Carries the demo build's progress lines from its thread to the GUI thread."""

    message = Signal(str)


def look_at_database(url: str) -> tuple[str, str]:
    """The first look at a database, before anyone signs in: ``(state, detail)`` with state
    ``ready``, ``no_city`` (SQLite without a city: the demo can be built), ``unreachable``,
    or a schema relation (``empty``, ``older``, ``newer``) for a shared database. Blocking."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import DBAPIError

    sqlite = make_url(url).get_backend_name() == "sqlite"
    if sqlite:
        path = make_url(url).database
        if path and path != ":memory:" and not Path(path).exists():
            return "no_city", ""
    try:
        if not sqlite:
            relation, current, head = schema.status(url)
            if relation != "current":
                return relation, f"{current or '-'} / {head}"
        return ("ready" if city_ready(url) else "no_city"), ""
    except DBAPIError as e:
        first = str(getattr(e, "orig", None) or e).strip().splitlines()
        return "unreachable", first[0] if first else type(e).__name__


def city_ready(url: str) -> bool:
    """True when the database answers and holds a city (False for a new, empty file)."""
    from sqlalchemy import func, select
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from gridstation.store.model import Region

    eng = dbmod.make_engine(url)
    try:
        with eng.connect() as c:
            return (c.execute(select(func.count()).select_from(Region)).scalar() or 0) > 0
    except (OperationalError, ProgrammingError):
        return False
    finally:
        eng.dispose()


class SignInDialog(QDialog):
    """Emits ``signedIn(url, actor)`` and accepts when the password checks out. The layout is
    ui/sign_in_dialog.ui.

    ``default_url``: an SQLite URL is "this computer" (the embedded database); any other is shown
    as a database of its own, chosen. ``auto_demo``: on a first start (this computer has no city
    yet) build the demo city at once, behind a progress window with a cancel."""

    signedIn = Signal(str, object)
    #: the first look at the chosen database has finished (state, detail): for tests and tools
    looked = Signal(str, str)

    login: QLineEdit
    password: QLineEdit
    profile: QComboBox
    add_profile: QPushButton
    demo_box: QWidget
    demo_label: QLabel
    demo_button: QPushButton
    progress: QProgressBar
    hint: QLabel
    note: QLabel
    message: QLabel
    retry: QPushButton
    buttons: QDialogButtonBox

    def __init__(self, parent: QWidget | None = None, *, default_url: str | None = None,
                 auto_demo: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("SignInDialog")
        from sqlalchemy.engine import make_url

        given = dbmod.normalise_url(default_url) if default_url else None
        if given and make_url(given).get_backend_name() != "sqlite":
            self.embedded_url = dbmod.normalise_url(f"sqlite:///{dbmod.data_dir() / 'gridstation.db'}")
            self.given_url: str | None = given
        else:
            self.embedded_url = given or dbmod.normalise_url(dbmod.default_db_url())
            self.given_url = None
        self.auto_demo = auto_demo
        self.state = ""  # the last look at the chosen database (see look_at_database)
        self._submissions = 0  # sign-in attempts so far: a slower first look must not clear their answer
        self._partial_demo = False  # a cancelled build left part of a city behind
        self._demo_progress: QProgressDialog | None = None
        # URLs with their password for this session only (never saved): the command line's
        # --db and an address typed with a password that no credential store could keep
        self._session_urls: dict[str, str] = {}
        if self.given_url and credentials.split_password(self.given_url)[1] is not None:
            self._session_urls[credentials.split_password(self.given_url)[0]] = self.given_url

        load_ui(self)  # ui/sign_in_dialog.ui
        self.add_profile.clicked.connect(self._add_profile)
        self.demo_button.clicked.connect(self._build_demo)
        self.progress.hide()
        self.hint.hide()
        self.note.hide()  # about saving the password: stays while the message changes
        self.retry.clicked.connect(self._check_city)
        self.retry.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        self._fill_profiles()
        settings = QSettings()
        self.login.setText(settings.value("signin/last_login", "") or "")
        last = self.given_url and credentials.split_password(self.given_url)[0] or settings.value("signin/last_profile", "")
        idx = self.profile.findData(last) if last else -1
        if idx >= 0:
            self.profile.setCurrentIndex(idx)
        self.profile.currentIndexChanged.connect(self._check_city)
        (self.password if self.login.text() else self.login).setFocus()
        self._check_city()

    # ---- profiles

    def _fill_profiles(self) -> None:
        self.profile.clear()
        self.profile.addItem(self.tr("This computer (embedded database)"), DEMO_PROFILE)
        urls = set()
        for p in load_profiles():
            bare = credentials.split_password(p["url"])[0]
            urls.add(bare)
            self.profile.addItem(p.get("name") or bare, bare)
        if self.given_url:
            bare = credentials.split_password(self.given_url)[0]
            if bare not in urls:  # --db / GRIDSTATION_DB: chosen for this run, not saved
                self.profile.addItem(bare.split("@")[-1], bare)

    def _add_profile(self) -> None:
        url, ok = QInputDialog.getText(
            self, self.tr("Add database"),
            self.tr("PostgreSQL address, e.g. postgresql://user@server:5432/gridstation"),
        )
        if not ok or not url.strip():
            return
        try:
            url = dbmod.normalise_url(url.strip())
        except Exception:  # noqa: BLE001 - sqlalchemy raises ArgumentError for nonsense
            self.message.setText(self.tr("That is not a database address."))
            return
        bare, saved = credentials.remember(url)
        if credentials.split_password(url)[1] is not None:
            self._session_urls[bare] = url  # usable in this session even if it could not be saved
            if not saved:
                self.note.show()
                self.note.setText(self.tr("The password was not saved: this computer has no credential store. "
                                             "Type the address with the password again next time, or put the "
                                             "password in PostgreSQL's pgpass file."))
        profiles = [p for p in load_profiles() if credentials.split_password(p["url"])[0] != bare]
        save_profiles(profiles + [{"name": bare.split("@")[-1], "url": bare}])
        self._fill_profiles()
        self.profile.setCurrentIndex(self.profile.findData(bare))

    def current_url(self) -> str:
        """The chosen database's URL, with its password (from this session or the credential
        store) if it has one."""
        data = self.profile.currentData()
        if data in (None, DEMO_PROFILE):
            return self.embedded_url
        return self._session_urls.get(data) or credentials.resolve(data)

    # ---- the first look, and first run

    def _check_city(self) -> None:
        url = self.current_url()
        self.demo_box.hide()
        self.hint.hide()
        self.retry.hide()
        embedded = self.profile.currentData() == DEMO_PROFILE
        if not embedded:
            self.message.setText(self.tr("Connecting to the database…"))

        started_with = self._submissions

        def say(text: str) -> None:
            # a sign-in tried while this look ran has said something newer: keep it
            if self._submissions == started_with:
                self.message.setText(text)

        def shown(result) -> None:
            state, detail = result
            if url != self.current_url():
                return  # another database was chosen meanwhile
            self.state = state
            say("")
            if state == "ready":
                self.hint.setVisible(embedded)
            elif state == "no_city" and embedded:
                self.demo_box.show()
                if self.auto_demo:
                    self.auto_demo = False  # once: after a cancel the button is there
                    self._build_demo()
            elif state == "unreachable":
                say(self.tr("The database cannot be reached: %1\nCheck the network or choose "
                            "another database above, then try again.").replace("%1", detail))
                self.retry.show()
            elif state in ("empty", "older", "newer"):
                from gridstation.errors import SchemaMismatch

                current, _, head = detail.partition(" / ")
                say(error_message(SchemaMismatch(state, current, head)))
                self.retry.show()
            self.looked.emit(state, detail)

        tasks.run(lambda: look_at_database(url), shown, lambda e: shown(("unreachable", str(e).splitlines()[0])),
                  owner=self)

    def _build_demo(self) -> None:
        url = self.current_url()
        self.demo_button.setEnabled(False)
        self.buttons.setEnabled(False)
        self.message.clear()
        cancel = threading.Event()
        replace = self._partial_demo
        relay = _Progress(self)
        dlg = QProgressDialog(self)
        dlg.setObjectName("DemoProgress")
        label = QLabel(self.tr("Building the demo city (Zhengzhou, 1,600 grids, six months of cases)…"))
        label.setWordWrap(True)
        dlg.setLabel(label)
        dlg.setCancelButtonText(self.tr("Cancel"))
        dlg.setRange(0, 100)
        dlg.setMinimumWidth(460)
        dlg.setWindowTitle(self.tr("GridStation — first start"))
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.setMinimumDuration(0)
        dlg.setAutoClose(False)
        dlg.setAutoReset(False)
        dlg.setValue(0)
        dlg.canceled.connect(cancel.set)
        dlg.canceled.connect(lambda: dlg.setLabelText(self.tr("Cancelling…")))
        self._demo_progress = dlg

        def step(line: str) -> None:
            # the build's own lines are English ("cases 42,000 / 100,000"): the window shows
            # only how far it is; the lines go to the log
            if cancel.is_set():
                return
            pct = line.strip().partition("%")[0]
            if pct.strip().isdigit():
                dlg.setValue(int(pct))
            log.info("demo build: %s", line.strip())

        relay.message.connect(step)
        dlg.show()

        def progress(line: str) -> None:  # on the build's thread
            if cancel.is_set():
                raise DemoCancelled()
            relay.message.emit(line)

        def work():
            from gridstation.demo.city import build_demo

            schema.upgrade(url)
            return build_demo(url, progress=progress, replace=replace)

        def finished() -> None:
            dlg.close()
            dlg.deleteLater()
            relay.deleteLater()
            self._demo_progress = None
            self.buttons.setEnabled(True)
            self.demo_button.setEnabled(True)

        def done(_summary):
            finished()
            self._partial_demo = False
            self.state = "ready"
            self.demo_box.hide()
            self.hint.show()
            self.message.clear()
            if not self.login.text():
                self.login.setText("dispatch1")
            self.password.setFocus()

        def failed(exc):
            finished()
            if isinstance(exc, DemoCancelled):
                self._partial_demo = not _remove_sqlite(url)
                self.message.setText(self.tr("The demo city was not built. Build it when you like with the "
                                             "button above."))
                return
            self._partial_demo = True
            self.message.setText(self.tr("Could not build the demo city: %1").replace("%1", str(exc)))

        tasks.run(work, done, failed, owner=self)

    # ---- sign in

    def submit(self) -> None:
        login, password, url = self.login.text().strip(), self.password.text(), self.current_url()
        if not login or not password:
            self.message.setText(self.tr("Enter your user name and password."))
            return
        self.buttons.setEnabled(False)
        self._submissions += 1
        self.message.setText(self.tr("Signing in…"))

        def work():
            from gridstation.accounts.users import authenticate

            # the embedded SQLite file is migrated; a shared PostgreSQL only checked: an older or
            # newer schema is said, and this client does not write to it
            schema.prepare_for_client(url)
            eng = dbmod.make_engine(url)
            try:
                return authenticate(eng, login, password)
            finally:
                eng.dispose()

        def done(actor):
            settings = QSettings()
            settings.setValue("signin/last_login", login)
            profile = self.profile.currentData()
            if profile != DEMO_PROFILE and self.given_url and profile == credentials.split_password(self.given_url)[0]:
                profile = None  # chosen on the command line: not this machine's choice
            if profile is not None:
                settings.setValue("signin/last_profile", profile)
            self.password.clear()
            self.signedIn.emit(url, actor)
            self.accept()

        def failed(exc):
            self.buttons.setEnabled(True)
            self.password.selectAll()
            self.password.setFocus()
            if getattr(exc, "kind", "") == "auth":
                self.message.setText(self.tr("Unknown user or wrong password."))
            elif getattr(exc, "kind", ""):
                self.message.setText(error_message(exc))
            else:
                first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
                self.message.setText(self.tr("Cannot open the database: %1").replace("%1", first))
                self.retry.show()

        tasks.run(work, done, failed, owner=self)


def _remove_sqlite(url: str) -> bool:
    """Remove an SQLite database file and its journal (a cancelled first demo build: it held no
    city before). True if it is gone."""
    from sqlalchemy.engine import make_url

    path = make_url(url).database
    if make_url(url).get_backend_name() != "sqlite" or not path or path == ":memory:":
        return False
    ok = True
    for suffix in ("", "-wal", "-shm", "-journal"):
        f = Path(path + suffix)
        try:
            f.unlink(missing_ok=True)
        except OSError:
            ok = False
    return ok
