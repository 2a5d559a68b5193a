"""The Designer forms in ui/ and the Python that loads them stay in step.

For every ui/*.ui: its <class> is a class of gridstation.app and the file is named after it.
For every class that builds from a .ui (or inherits one): each ``self.name`` its methods read
is set by Python, is a class attribute, or is a widget/layout of one of its .ui files; each
widget the class declares (``name: QLineEdit``) exists in its .ui with that class (or a
subclass); and each .ui builds with the real loader (promoted widgets registered).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import textwrap
import typing
import xml.etree.ElementTree as ET

import pytest
from PySide6 import QtWidgets
from PySide6.QtWidgets import QWidget

import gridstation.app
from gridstation.app import uiload
from gridstation.paths import ui_dir

UI_FILES = sorted(ui_dir().glob("*.ui"))


def _app_classes() -> dict[str, type]:
    for info in pkgutil.walk_packages(gridstation.app.__path__, "gridstation.app."):
        importlib.import_module(info.name)
    out = {}
    for mod in list(__import__("sys").modules.values()):
        if getattr(mod, "__name__", "").startswith("gridstation.app"):
            for name, obj in vars(mod).items():
                if inspect.isclass(obj) and obj.__module__ == mod.__name__:
                    out[name] = obj
    return out


CLASSES = _app_classes()


def _ui_names(path) -> dict[str, str]:
    """objectName → class of every widget and layout of a .ui."""
    root = ET.parse(path).getroot()
    top = root.find("widget")
    names = {}
    for el in top.iter():
        if el.tag in ("widget", "layout") and el is not top:
            names[el.get("name")] = el.get("class")
    return names


def _ui_of(cls: type):
    path = uiload.ui_path(cls)
    return path if path.exists() else None


def _qt_class(name: str) -> type:
    return uiload.CUSTOM.get(name) or getattr(QtWidgets, name)


def _class_ast(cls: type) -> ast.ClassDef:
    return ast.parse(textwrap.dedent(inspect.getsource(cls))).body[0]


def _assigned(cls: type) -> set[str]:
    names = set()
    for base in cls.__mro__:
        if not base.__module__.startswith("gridstation."):
            continue
        for node in ast.walk(_class_ast(base)):
            targets = []
            if isinstance(node, ast.Assign):
                targets = node.targets
            elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and getattr(node, "value", None) is not None:
                targets = [node.target]
            for t in targets:
                for el in ast.walk(t):
                    if isinstance(el, ast.Attribute) and isinstance(el.value, ast.Name) and el.value.id == "self":
                        names.add(el.attr)
    return names


def _reads(cls: type) -> set[str]:
    return {n.attr for n in ast.walk(_class_ast(cls))
            if isinstance(n, ast.Attribute) and isinstance(n.ctx, ast.Load)
            and isinstance(n.value, ast.Name) and n.value.id == "self"}


UI_CLASSES = sorted({c for c in CLASSES.values() if any(_ui_of(b) for b in c.__mro__ if b.__module__.startswith("gridstation."))},
                    key=lambda c: c.__name__)


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_each_ui_file_belongs_to_a_class_of_its_name(path):
    cls_name = ET.parse(path).getroot().findtext("class")
    assert cls_name in CLASSES, f"{path.name}: no class {cls_name} in gridstation.app"
    assert uiload.ui_name(cls_name) == path.stem, f"{path.name} should be named {uiload.ui_name(cls_name)}.ui"
    root = ET.parse(path).getroot().find("widget")
    assert root.get("name") == cls_name
    assert issubclass(CLASSES[cls_name], _qt_class(root.get("class")))


def test_forms_are_found():
    assert len(UI_FILES) >= 10 and len(UI_CLASSES) >= 10


def _names_for(cls: type) -> dict[str, str]:
    """The .ui names a class can rely on: those of its own and its bases' .ui files, and those
    every subclass's .ui has (a frame class whose fields come from each subclass's .ui)."""
    ui = {}
    for base in reversed(cls.__mro__):
        if base.__module__.startswith("gridstation.") and _ui_of(base):
            ui.update(_ui_names(_ui_of(base)))
    subs = [_ui_names(_ui_of(c)) for c in CLASSES.values() if c is not cls and issubclass(c, cls) and _ui_of(c)]
    if subs:
        common = set.intersection(*(set(s) for s in subs))
        ui.update({n: subs[0][n] for n in common})
    return ui


@pytest.mark.parametrize("cls", UI_CLASSES, ids=lambda c: c.__name__)
def test_python_reads_only_what_the_ui_or_python_defines(cls):
    ui = _names_for(cls)
    assigned = _assigned(cls)
    missing = sorted(n for n in _reads(cls) if n not in ui and n not in assigned and not hasattr(cls, n))
    assert missing == [], f"{cls.__name__} reads self.{missing} but neither Python nor its .ui defines it"

    hints = typing.get_type_hints(cls)
    for name, hint in hints.items():
        wanted = [t for t in typing.get_args(hint) or (hint,) if inspect.isclass(t)]
        if not any(issubclass(t, QWidget) or t.__name__.endswith("Layout") for t in wanted):
            continue  # not a widget declaration
        assert name in ui, f"{cls.__name__} declares {name} but no .ui of it has a widget of that name"
        have = _qt_class(ui[name])
        assert any(issubclass(have, t) for t in wanted), f"{cls.__name__}.{name}: the .ui has {ui[name]}, Python wants {hint}"


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_each_ui_builds_with_the_loader(qapp, path):
    cls_name = ET.parse(path).getroot().findtext("class")

    class Owner(QWidget):
        pass

    owner = Owner()
    widget = uiload.load_ui(owner, cls_name, into=False)
    names = _ui_names(path)
    for name, klass in names.items():
        if ET.parse(path).getroot().find(f".//spacer[@name='{name}']") is not None:
            continue
        assert isinstance(getattr(owner, name), _qt_class(klass)), name
    widget.deleteLater()
    owner.deleteLater()


def test_the_loader_refuses_a_name_that_hides_a_method(qapp, tmp_path, monkeypatch):
    (tmp_path / "clash_form.ui").write_text(
        '<ui version="4.0"><class>ClashForm</class><widget class="QWidget" name="ClashForm">'
        '<layout class="QVBoxLayout" name="box"><item><widget class="QPushButton" name="close"/></item>'
        '</layout></widget></ui>', encoding="utf-8")
    monkeypatch.setattr(uiload, "ui_dir", lambda: tmp_path)
    uiload._xml.cache_clear()
    try:
        with pytest.raises(uiload.UiError, match="close"):
            uiload.load_ui(QWidget(), "ClashForm", into=False)
    finally:
        uiload._xml.cache_clear()


def test_ui_dir_in_a_checkout_a_wheel_and_a_frozen_bundle(tmp_path, monkeypatch):
    from gridstation import paths

    assert paths.ui_dir() == paths._PKG.parent / "ui"  # checkout and ``pip install -e .``
    bundle = tmp_path / "bundle"
    (bundle / "ui").mkdir(parents=True)
    (bundle / "ui" / "page.ui").write_text("<ui/>", encoding="utf-8")
    monkeypatch.setattr(paths.sys, "frozen", True, raising=False)
    monkeypatch.setattr(paths.sys, "_MEIPASS", str(bundle), raising=False)
    assert paths.ui_dir() == bundle / "ui"  # PyInstaller: datas (ui -> ui)
    monkeypatch.setattr(paths.sys, "frozen", False)
    wheel = tmp_path / "site" / "gridstation"
    (wheel / "ui").mkdir(parents=True)
    (wheel / "ui" / "page.ui").write_text("<ui/>", encoding="utf-8")
    monkeypatch.setattr(paths, "_PKG", wheel)
    assert paths.ui_dir() == wheel / "ui"  # a wheel that maps ui/ to gridstation/ui
    monkeypatch.setattr(paths, "_PKG", tmp_path / "nowhere" / "gridstation")
    with pytest.raises(FileNotFoundError, match="ui"):
        paths.ui_dir()


@pytest.mark.parametrize("path", UI_FILES, ids=lambda p: p.name)
def test_each_ui_is_a_valid_designer_file(path):
    """Designer's own compiler accepts it (so Designer opens it), promoted widgets importable."""
    import shutil
    import subprocess

    uic = shutil.which("pyside6-uic")
    assert uic, "pyside6-uic comes with PySide6"
    out = subprocess.run([uic, str(path)], capture_output=True, text=True, check=False)
    assert out.returncode == 0, out.stderr
    for header in re.findall(r"^from (gridstation\S*) import (\w+)", out.stdout, re.MULTILINE):
        assert hasattr(importlib.import_module(header[0]), header[1]), header
