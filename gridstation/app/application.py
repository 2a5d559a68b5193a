"""The one QApplication of a process (client, wall or headless report): environment first,
then the application with its translations, icon and theme."""

from __future__ import annotations

from gridstation.app.qtenv import app_argv, prepare_environment
from gridstation.paths import resources_dir

RESOURCES = resources_dir()


def make_application():
    """The QApplication, created once, after everything that must precede it."""
    prepare_environment()
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must be imported before the application)
    from PySide6.QtCore import QCoreApplication, QSettings, Qt
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    from gridstation.app.geo.scheme import register_scheme

    register_scheme()
    QCoreApplication.setOrganizationName("GridStation")
    QCoreApplication.setApplicationName("GridStation")
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(app_argv())
    icon = RESOURCES / "icons" / "gridstation.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    from gridstation.app import i18n

    i18n.install(app, QSettings().value("ui/language") or None)
    apply_theme(app, "light")
    return app


def apply_theme(app, name: str) -> None:
    qss = RESOURCES / "themes" / f"{name}.qss"
    app.setStyle("Fusion")
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))
