"""A character counter for a text field: "123/2000" in the field's bottom-right corner.

One call hooks it to any ``QLineEdit`` or ``QPlainTextEdit`` (built in code or loaded from a
Qt Designer .ui file): ``attach_counter(edit, limits.DESCRIPTION)``. The counter floats over
the field (no layout changes), turns red above the limit, and ``too_long(edit)`` /
``length_problem(edit, what)`` give the form's check. Nothing is ever cut: Qt's
``setMaxLength`` silently drops the end of a paste, so fields show the count and the form
refuses instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPlainTextEdit, QWidget

SHOW_FROM = 0.8  # one-line fields show the counter from 80 % of the limit on (less clutter)


def _text_of(edit: QWidget) -> str:
    return edit.toPlainText() if isinstance(edit, QPlainTextEdit) else edit.text()


class CharCounter(QLabel):
    """The counter label; a child of the field it counts."""

    def __init__(self, edit: QLineEdit | QPlainTextEdit, limit: int) -> None:
        super().__init__(edit)
        self.edit, self.limit = edit, limit
        self.setObjectName("CharCounter")
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setToolTip(QCoreApplication.translate("CharCounter", "Characters used / allowed"))
        edit.textChanged.connect(self.update_count)
        edit.installEventFilter(self)
        self.update_count()

    def count(self) -> int:
        return len(_text_of(self.edit).strip())  # what will be saved (the core strips too)

    def too_long(self) -> bool:
        return self.count() > self.limit

    def update_count(self, *_args) -> None:
        n = self.count()
        self.setText(f"{n}/{self.limit}")
        color = "#c0392b" if n > self.limit else "#888"
        self.setStyleSheet(f"color: {color}; background: palette(base); padding: 0 2px; font-size: 11px;")
        multi = isinstance(self.edit, QPlainTextEdit)
        self.setVisible(multi or n >= self.limit * SHOW_FROM)
        self.adjustSize()
        self._place()

    def eventFilter(self, obj: QObject, e: QEvent) -> bool:
        if obj is self.edit and e.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self._place()
        return False

    def _place(self) -> None:
        right = 6
        if isinstance(self.edit, QPlainTextEdit) and self.edit.verticalScrollBar().isVisible():
            right += self.edit.verticalScrollBar().width()
        self.move(max(0, self.edit.width() - self.width() - right), max(0, self.edit.height() - self.height() - 3))
        self.raise_()


def attach_counter(edit: QLineEdit | QPlainTextEdit, limit: int) -> CharCounter:
    """Show a counter in ``edit`` against ``limit`` characters (and lift any ``setMaxLength``,
    which would cut a paste short without a word)."""
    if isinstance(edit, QLineEdit):
        edit.setMaxLength(32767)  # Qt's default: no silent cut
    counter = CharCounter(edit, limit)
    edit.setProperty("char_limit", limit)
    return counter


def counter_of(edit: QWidget) -> CharCounter | None:
    return edit.findChild(CharCounter, "CharCounter", Qt.FindChildOption.FindDirectChildrenOnly)


def too_long(edit: QWidget) -> bool:
    c = counter_of(edit)
    return c is not None and c.too_long()


def length_problem(edit: QWidget, what: str) -> list[tuple[QWidget, str]]:
    """``[(edit, message)]`` if the field holds more than its limit, else ``[]``."""
    c = counter_of(edit)
    if c is None or not c.too_long():
        return []
    msg = QCoreApplication.translate("CharCounter", "%1: %2 characters, at most %3")
    return [(edit, msg.replace("%1", what).replace("%2", str(c.count())).replace("%3", str(c.limit)))]


__all__ = ["CharCounter", "attach_counter", "counter_of", "length_problem", "too_long"]
