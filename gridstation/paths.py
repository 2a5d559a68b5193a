"""Where GridStation's files are: in a source checkout (``resources/``, ``db/`` beside the
package), inside an installed wheel (mapped to ``gridstation/resources`` and
``gridstation/migrations`` by pyproject.toml), or inside a PyInstaller bundle."""

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


def migrations_dir() -> Path:
    bundle = Path(getattr(sys, "_MEIPASS", "")) / "db" if getattr(sys, "frozen", False) else None
    for c in (bundle, _PKG.parent / "db", _PKG / "migrations"):
        if c is not None and (c / "env.py").exists():
            return c
    raise FileNotFoundError("Alembic migrations (db/) not found next to the gridstation package")
