"""Translation upkeep: extract strings with lupdate, compile with lrelease.

    python scripts/i18n.py update    # refresh resources/i18n/*.ts from the Qt layer's sources and ui/*.ui
    python scripts/i18n.py release   # compile .ts → .qm (committed, loaded at run time)

Translators edit the .ts in Qt Linguist (pyside6-linguist). tests/test_i18n.py fails when a
visible string has no Chinese translation or the .qm is stale.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
I18N = ROOT / "resources" / "i18n"
LANGS = ["zh_CN"]


def sources() -> list[str]:
    """The Qt layer's Python and the Designer forms (a .ui's context is its form class name)."""
    files = [*(ROOT / "gridstation" / "app").rglob("*.py"), *(ROOT / "ui").glob("*.ui")]
    return sorted(str(p.relative_to(ROOT)) for p in files)


def ts_path(lang: str) -> Path:
    return I18N / f"gridstation_{lang}.ts"


def update(ts_files: list[Path] | None = None) -> None:
    for ts in ts_files or [ts_path(lang) for lang in LANGS]:
        subprocess.run(["pyside6-lupdate", "-no-obsolete", "-locations", "none", *sources(), "-ts", str(ts)],
                       cwd=ROOT, check=True, capture_output=True)


def release(ts: Path, qm: Path) -> None:
    subprocess.run(["pyside6-lrelease", str(ts), "-qm", str(qm)], cwd=ROOT, check=True, capture_output=True)


def main(argv: list[str]) -> int:
    cmd = argv[1] if len(argv) > 1 else "update"
    if cmd == "update":
        update()
    elif cmd == "release":
        for lang in LANGS:
            release(ts_path(lang), ts_path(lang).with_suffix(".qm"))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
