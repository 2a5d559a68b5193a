"""Sign-in: user, password and database profile; on a new machine, the embedded demo city.

Profiles (a name and a database URL) are kept in QSettings; passwords never are. Checking the
password (scrypt) and building the demo run in the background.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gridstation import schema
from gridstation.store import db as dbmod
from gridstation.app import tasks
from gridstation.app.i18n import error_message

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
    """Emits ``signedIn(url, actor)`` and accepts when the password checks out."""

    signedIn = Signal(str, object)

    def __init__(self, parent: QWidget | None = None, *, default_url: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SignInDialog")
        self.setWindowTitle(self.tr("GridStation — Sign in"))
        self.setMinimumWidth(460)
        self.embedded_url = default_url or dbmod.normalise_url(dbmod.default_db_url())

        title = QLabel(self.tr("GridStation command center"))
        title.setObjectName("SignInTitle")
        subtitle = QLabel(self.tr("Digital urban management · sign in to your workstation"))
        subtitle.setObjectName("SignInSubtitle")

        self.login = QLineEdit()
        self.login.setPlaceholderText(self.tr("user name"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("password"))
        self.profile = QComboBox()
        self.add_profile = QPushButton(self.tr("Add…"))
        self.add_profile.setToolTip(self.tr("Add a shared PostgreSQL database"))
        self.add_profile.clicked.connect(self._add_profile)
        prow = QHBoxLayout()
        prow.addWidget(self.profile, 1)
        prow.addWidget(self.add_profile)

        form = QFormLayout()
        form.addRow(self.tr("User"), self.login)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Database"), prow)

        self.demo_box = QWidget()
        dl = QHBoxLayout(self.demo_box)
        dl.setContentsMargins(0, 0, 0, 0)
        self.demo_label = QLabel(self.tr("This computer has no city yet. Build the embedded demo city "
                                         "(Zhengzhou, 1,600 grids, six months of cases, about half a minute)?"))
        self.demo_label.setWordWrap(True)
        self.demo_button = QPushButton(self.tr("Build demo city"))
        self.demo_button.clicked.connect(self._build_demo)
        dl.addWidget(self.demo_label, 1)
        dl.addWidget(self.demo_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()

        self.hint = QLabel(self.tr("Demo city: sign in as dispatch1, shift1, intake1, sup001 or leader; "
                                   "the password is demo."))
        self.hint.setObjectName("SignInHint")
        self.hint.setWordWrap(True)
        self.hint.hide()
        self.message = QLabel()
        self.message.setObjectName("SignInMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.addWidget(title)
        lay.addWidget(subtitle)
        lay.addSpacing(8)
        lay.addLayout(form)
        lay.addWidget(self.demo_box)
        lay.addWidget(self.progress)
        lay.addWidget(self.hint)
        lay.addWidget(self.message)
        lay.addWidget(self.buttons)

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
