"""Starting the client: environment, application, translations, theme, sign-in, main window."""

from __future__ import annotations

import sys

from ..paths import resources_dir
from .qtenv import app_argv, prepare_environment

RESOURCES = resources_dir()


def make_application():
    """The QApplication, created once, after everything that must precede it."""
    prepare_environment()
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must be imported before the application)
    from PySide6.QtCore import QCoreApplication, QSettings, Qt
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    from .mapview import register_scheme

    register_scheme()
    QCoreApplication.setOrganizationName("GridStation")
    QCoreApplication.setApplicationName("GridStation")
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(app_argv())
    icon = RESOURCES / "icons" / "gridstation.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    from . import i18n

    i18n.install(app, QSettings().value("ui/language") or None)
    apply_theme(app, "light")
    return app


def apply_theme(app, name: str) -> None:
    qss = RESOURCES / "themes" / f"{name}.qss"
    app.setStyle("Fusion")
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))


def open_main_window(url: str, actor):
    from ..db import make_engine
    from ..workflow import Workflow
    from .context import AppContext
    from .mainwindow import MainWindow

    engine = make_engine(url)
    ctx = AppContext(url=url, engine=engine, workflow=Workflow(engine), actor=actor)
    win = MainWindow(ctx)
    win.show()
    return win


def run_client(url: str | None = None) -> int:
    app = make_application()
    from .signin import SignInDialog

    dlg = SignInDialog(default_url=url)
    windows = []
    dlg.signedIn.connect(lambda u, actor: windows.append(open_main_window(u, actor)))
    if dlg.exec() != dlg.DialogCode.Accepted:
        return 0
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_client())
