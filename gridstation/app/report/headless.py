"""A Qt application for painting reports, with or without a display (scheduled jobs)."""

from __future__ import annotations

import os
import sys


def ensure_qt_application(lang: str | None = None):
    """The running QApplication, or a new one (offscreen when there is no display)."""
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from gridstation.app.qtenv import app_argv, prepare_environment

    prepare_environment()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    created = app is None
    if created:
        app = QApplication(app_argv())
    if created or lang is not None:
        from gridstation.app import i18n

        i18n.install(app, lang)
    return app
