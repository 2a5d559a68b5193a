"""Sign-in: user, password and database profile; on a new machine, the embedded demo city.

Profiles (a name and a database URL) are kept in QSettings; passwords never are. Checking the
password (scrypt) and building the demo run in the background.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from gridstation import schema
from gridstation.store import db as dbmod
from gridstation.app import tasks
from gridstation.app.i18n import error_message
from gridstation.app.uiload import load_ui

DEMO_PROFILE = "__embedded__"


def load_profiles() -> list[dict]:
    s = QSettings()
    profiles = s.value("profiles/list", []) or []
    if isinstance(profiles, dict):
        profiles = [profiles]
    return [p for p in profiles if isinstance(p, dict) and p.get("url")]


def save_profiles(profiles: list[dict]) -> None:
    QSettings().setValue("profiles/list", profiles)


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
    ui/sign_in_dialog.ui."""

    signedIn = Signal(str, object)

    login: QLineEdit
    password: QLineEdit
    profile: QComboBox
    add_profile: QPushButton
    demo_box: QWidget
    demo_label: QLabel
    demo_button: QPushButton
    progress: QProgressBar
    hint: QLabel
    message: QLabel
    buttons: QDialogButtonBox

    def __init__(self, parent: QWidget | None = None, *, default_url: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignInDialog")
        load_ui(self)  # ui/sign_in_dialog.ui
        self.embedded_url = default_url or dbmod.normalise_url(dbmod.default_db_url())
        self.add_profile.clicked.connect(self._add_profile)
        self.demo_button.clicked.connect(self._build_demo)
        self.progress.hide()
        self.hint.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        self._fill_profiles()
        settings = QSettings()
        self.login.setText(settings.value("signin/last_login", "") or "")
        last = settings.value("signin/last_profile", "")
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
        for p in load_profiles():
            self.profile.addItem(p.get("name") or p["url"], p["url"])

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
        profiles = load_profiles() + [{"name": url.split("@")[-1], "url": url}]
        save_profiles(profiles)
        self._fill_profiles()
        self.profile.setCurrentIndex(self.profile.findData(url))

    def current_url(self) -> str:
        data = self.profile.currentData()
        return self.embedded_url if data in (None, DEMO_PROFILE) else data

    # ---- first run

    def _check_city(self) -> None:
        url = self.current_url()
        self.demo_box.hide()
        self.hint.hide()
        if self.profile.currentData() != DEMO_PROFILE:
            return

        def shown(ready: bool) -> None:
            self.demo_box.setVisible(not ready)
            self.hint.setVisible(ready)

        tasks.run(lambda: city_ready(url), shown, lambda e: None, owner=self)

    def _build_demo(self) -> None:
        url = self.current_url()
        self.demo_button.setEnabled(False)
        self.buttons.setEnabled(False)
        self.progress.show()
        self.message.setText(self.tr("Building the demo city…"))

        def work():
            from gridstation.demo.city import build_demo

            schema.upgrade(url)
            return build_demo(url)

        def done(_summary):
            self.progress.hide()
            self.buttons.setEnabled(True)
            self.demo_box.hide()
            self.hint.show()
            self.message.clear()
            if not self.login.text():
                self.login.setText("dispatch1")
            self.password.setFocus()

        def failed(exc):
            self.progress.hide()
            self.buttons.setEnabled(True)
            self.demo_button.setEnabled(True)
            self.message.setText(self.tr("Could not build the demo city: %1").replace("%1", str(exc)))

        tasks.run(work, done, failed, owner=self)

    # ---- sign in

    def submit(self) -> None:
        login, password, url = self.login.text().strip(), self.password.text(), self.current_url()
        if not login or not password:
            self.message.setText(self.tr("Enter your user name and password."))
            return
        self.buttons.setEnabled(False)
        self.message.setText(self.tr("Signing in…"))

        def work():
            from gridstation.accounts.users import authenticate

            schema.upgrade(url)
            eng = dbmod.make_engine(url)
            try:
                return authenticate(eng, login, password)
            finally:
                eng.dispose()

        def done(actor):
            settings = QSettings()
            settings.setValue("signin/last_login", login)
            settings.setValue("signin/last_profile", self.profile.currentData())
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

        tasks.run(work, done, failed, owner=self)
