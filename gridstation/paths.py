"""Where GridStation's files are: in a source checkout (``resources/``, ``db/``, ``ui/`` beside
the package), inside an installed wheel (as ``gridstation/resources``, ``gridstation/migrations``
and ``gridstation/ui``), or inside a PyInstaller bundle (``_MEIPASS/resources``, ``db``, ``ui``);
and the per-user data folder (the embedded database, the logs)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

_PKG = Path(__file__).resolve().parent


def _first(*candidates: Path) -> Path:
    for c in candidates:
        if c.exists():
            return c
    return candidates[0]


def resources_dir() -> Path:
    bundle = Path(getattr(sys, "_MEIPASS", "")) / "resources" if getattr(sys, "frozen", False) else None
    return _first(*(p for p in (bundle, _PKG.parent / "resources", _PKG / "resources") if p is not None))


def ui_dir() -> Path:
    """The Qt Designer forms (``*.ui``) the client loads at run time."""
    bundle = Path(getattr(sys, "_MEIPASS", "")) / "ui" if getattr(sys, "frozen", False) else None
    for c in (bundle, _PKG.parent / "ui", _PKG / "ui"):
        if c is not None and any(c.glob("*.ui")):
            return c
    raise FileNotFoundError("the Qt Designer forms (ui/*.ui) were not found next to the gridstation package")


def migrations_dir() -> Path:
    bundle = Path(getattr(sys, "_MEIPASS", "")) / "db" if getattr(sys, "frozen", False) else None
    for c in (bundle, _PKG.parent / "db", _PKG / "migrations"):
        if c is not None and (c / "env.py").exists():
            return c
    raise FileNotFoundError("Alembic migrations (db/) not found next to the gridstation package")


def data_dir() -> Path:
    """The per-user folder for the embedded database, the logs and local files:
    ``%LOCALAPPDATA%\\GridStation`` on Windows, ``$XDG_DATA_HOME/gridstation`` (default
    ``~/.local/share/gridstation``) elsewhere."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "GridStation"
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "gridstation"


def logs_dir() -> Path:
    """Where the rotating log files are (``GRIDSTATION_LOG_DIR`` overrides it)."""
    env = os.environ.get("GRIDSTATION_LOG_DIR")
    return Path(env) if env else data_dir() / "logs"
