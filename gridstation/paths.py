"""Where GridStation's files are: in a source checkout (``resources/``, ``db/``, ``ui/`` beside
the package), inside an installed wheel (as ``gridstation/resources``, ``gridstation/migrations``
and ``gridstation/ui``), or inside a PyInstaller bundle (``_MEIPASS/resources``, ``db``, ``ui``)."""

from __future__ import annotations

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
