"""The one loader of the Qt Designer forms in ``ui/`` (run time, ``QUiLoader``).

A form class builds its static part from ``ui/<snake_name>.ui`` whose ``<class>`` is the Python
class name, so the strings of the .ui and the class's own ``self.tr`` share one translation
context (lupdate reads both). ``load_ui(self, SomeClass)``:

* builds the .ui **into** ``self`` when its root class fits (a dialog's own layout, title and
  size), or as a new child widget that it returns (``into=False``, e.g. the fields of one
  action form inside the common action-form frame);
* binds every named widget and layout as an attribute of ``self`` (Designer's objectName is the
  Python name), refusing a name that would hide a method, a class attribute or an attribute
  the Python set before loading;
* then gives a widget the Qt objectName of its ``runtimeName`` dynamic property, when it has one:
  the names style sheets, tests and automation know (``AdminNote``, ``SignInHint``…), which may
  repeat inside a form where Designer wants unique names;
* ignores the root's ``geometry`` (Designer's canvas size): dialogs keep sizing themselves;
* builds promoted widgets (``<customwidget>``) from the registry ``CUSTOM`` (``name → class``);
  they are created as ``cls(parent=parent)``.

Why at run time rather than ``pyside6-uic`` output: the .ui stays the only source (nothing
generated to commit and keep in step, no uic-version churn), a designer's edit shows at the
next start, and the same files serve a checkout, ``pip install -e .`` and the frozen bundle
(found through ``gridstation.paths.ui_dir``). tests/test_ui_forms.py fails when a .ui and
its Python are out of step.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QLayout, QWidget

from gridstation.paths import ui_dir

# Promoted widgets: class name in the .ui → Python class (registered by the modules defining them).
CUSTOM: dict[str, type[QWidget]] = {}


class UiError(RuntimeError):
    """A .ui file that does not fit the Python that loads it (a programming error)."""


def register(*classes: type[QWidget]) -> None:
    """Make promoted widgets known to the loader (``CUSTOM``)."""
    for cls in classes:
        CUSTOM[cls.__name__] = cls


def ui_name(cls_or_name: type | str) -> str:
    """``ReasonForm`` → ``reason_form`` (the file ``ui/reason_form.ui``)."""
    name = cls_or_name if isinstance(cls_or_name, str) else cls_or_name.__name__
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower()


def ui_path(cls_or_name: type | str):
    return ui_dir() / f"{ui_name(cls_or_name)}.ui"


@cache
def _xml(name: str) -> bytes:
    """The .ui without the root widget's geometry (read once per process)."""
    path = ui_dir() / f"{name}.ui"
    try:
        tree = ET.parse(path)
    except (OSError, ET.ParseError) as exc:
        raise UiError(f"cannot read {path}: {exc}") from exc
    root = tree.getroot().find("widget")
    if root is None:
        raise UiError(f"{path} has no widget")
    for prop in root.findall("property"):
        if prop.get("name") == "geometry":
            root.remove(prop)
    return ET.tostring(tree.getroot(), encoding="utf-8")


class _Loader(QUiLoader):
    def __init__(self, owner: QObject, root: QWidget | None) -> None:
        super().__init__()
        self.owner, self.root = owner, root
        self.named: dict[str, QObject] = {}
        self.top: QWidget | None = None  # the root widget: not an attribute

    def _bind(self, name: str, obj: QObject) -> None:
        if not name or obj is self.owner or obj is self.top:
            return
        if name in self.named or hasattr(type(self.owner), name) or name in vars(self.owner):
            raise UiError(f"{type(self.owner).__name__}: the .ui name {name!r} is used twice or hides an attribute")
        self.named[name] = obj

    def createWidget(self, class_name: str, parent: QWidget | None = None, name: str = "") -> QWidget:
        if parent is None and self.root is not None:
            widget = self.root
        elif parent is None and class_name not in CUSTOM:
            widget = self.top = super().createWidget(class_name, parent, name)
        elif class_name in CUSTOM:
            widget = CUSTOM[class_name](parent=parent)
            if not widget.objectName():  # a promoted widget keeps the name its class gives it
                widget.setObjectName(name)
        else:
            widget = super().createWidget(class_name, parent, name)
            if widget is None:
                raise UiError(f"unknown widget class {class_name!r} (register promoted widgets in uiload.CUSTOM)")
        self._bind(name, widget)
        return widget

    def createLayout(self, class_name: str, parent: QObject | None = None, name: str = "") -> QLayout:
        layout = super().createLayout(class_name, parent, name)
        self._bind(name, layout)
        return layout


def load_ui(owner: QWidget, cls: type | str | None = None, *, into: bool = True) -> QWidget:
    """Build ``ui/<snake name of cls>.ui`` (default: ``owner``'s class) into ``owner`` (or, with
    ``into=False``, as a new widget, returned for the caller to place) and bind its named
    widgets and layouts as attributes of ``owner``."""
    cls = cls or type(owner)
    name = ui_name(cls)
    loader = _Loader(owner, owner if into else None)
    buf = QBuffer()
    buf.setData(QByteArray(_xml(name)))
    buf.open(QIODevice.OpenModeFlag.ReadOnly)
    widget = loader.load(buf, None)
    buf.close()
    if widget is None:
        raise UiError(f"ui/{name}.ui: {loader.errorString()}")
    for attr, obj in loader.named.items():
        setattr(owner, attr, obj)
        runtime = obj.property("runtimeName")
        if runtime:
            obj.setObjectName(str(runtime))
    return widget
