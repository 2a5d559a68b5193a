"""Process set-up that must happen before the first QApplication / WebEngine object."""

from __future__ import annotations

import os
import sys


def prepare_environment() -> None:
    """Chromium inside QtWebEngine refuses to run as root without --no-sandbox, and has no GPU
    on a headless server or in a VM; both leave it exiting with code 1."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    wanted = []
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in flags:
        wanted.append("--no-sandbox")
    if os.environ.get("QT_QPA_PLATFORM") in ("offscreen", "minimal") or not os.environ.get("DISPLAY", "x"):
        if "--disable-gpu" not in flags:
            wanted.append("--disable-gpu")
    if wanted:
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = (flags + " " + " ".join(wanted)).strip()
    os.environ.setdefault("QT_ENABLE_HIGHDPI_SCALING", "1")


def app_argv() -> list[str]:
    """Never an empty argv: Qt reads the program name from it."""
    return sys.argv[:1] or ["gridstation"]
