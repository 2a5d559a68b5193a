"""The shape the architecture promises: a Qt-free core, and migrations that match the model."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from gridstation.store.model import Base

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "gridstation"
QT_LAYER = PKG / "app"  # the only place allowed to import PySide6


def core_modules() -> list[Path]:
    return [p for p in PKG.rglob("*.py") if QT_LAYER not in p.parents]


def test_core_source_never_imports_qt():
    offenders = []
    for path in core_modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in ("PySide6", "pyqtgraph", "shiboken6")]
    assert offenders == []


BLOCKER = r'''
import sys, importlib.abc
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"):
            raise ImportError(f"{name} is blocked in this test")
sys.meta_path.insert(0, Block())
'''


def test_core_runs_with_qt_blocked(tmp_path):
    """Import every core module and run a whole case loop with PySide6 unimportable."""
    mods = sorted(
        ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for p in core_modules()
        if p.name != "__main__.py"
    )
    code = BLOCKER + f"""
import importlib
for m in {mods!r}:
    importlib.import_module(m)
from gridstation.store.db import make_engine
from gridstation.schema import upgrade
from gridstation.cases.workflow import Workflow
from tests.minicity import build_mini_city
url = "sqlite:///{(tmp_path / 'noqt.db').as_posix()}"
upgrade(url)
eng = make_engine(url)
m = build_mini_city(eng)
wf = Workflow(eng)
lon, lat = m.point("G1a")
r = wf.report("sup1", source="supervisor", description="x", lon=lon, lat=lat, category_id=m.cats["MANHOLE"])
r = wf.file("shift", r.case_id)
r = wf.dispatch("disp", r.case_id, department_id=m.depts["MUN"])
assert r.state == "handling", r
assert "PySide6" not in sys.modules
print("OK", len({mods!r}))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert out.returncode == 0, out.stderr[-3000:]
    assert out.stdout.startswith("OK")


def test_migrations_match_the_model(engine):
    """Alembic's head builds exactly the schema the ORM declares, on both databases."""
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_pyside_pin_excludes_the_crashing_release():
    text = (ROOT / "pyproject.toml").read_text()
    assert "!=6.12.0" in text


def test_import_contracts_hold():
    """The layers of pyproject.toml's [tool.importlinter] (core below app and cli, the database
    at the bottom, no Qt in the core, no workflow internals in analytics, no circles)."""
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint) if lint.exists() else "lint-imports", "--no-cache"], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert "0 broken" in proc.stdout


def test_no_module_imports_itself_back():
    """No circle of imports between any two modules, at any depth (not only between siblings)."""
    import grimp

    graph = grimp.build_graph("gridstation")
    circles = []
    for m in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(m):
            if graph.chain_exists(importer=imported, imported=m):
                circles.append(f"{m} -> {imported} -> … -> {m}")
    assert circles == []


def test_core_root_holds_packages_and_entry_modules_only():
    """One capability, one folder: the root keeps only the few entry modules."""
    modules = sorted(p.name for p in PKG.glob("*.py"))
    assert modules == ["__init__.py", "__main__.py", "errors.py", "logs.py", "paths.py", "schema.py"]
    for pkg in (p for p in PKG.rglob("__init__.py") if "__pycache__" not in p.parts):
        doc = ast.get_docstring(ast.parse(pkg.read_text(encoding="utf-8")))
        assert doc and len(doc) > 40, f"{pkg.relative_to(ROOT)} needs a docstring: what it holds, what it may import"
