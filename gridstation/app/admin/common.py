"""What the administration pages share: the page frame (ui/page.ui: title, hint, an inline
message bar, no modal box for an ordinary refusal) with the page's own Designer form below it,
background work with a busy count, the reload after a write, tables of records with an editor
beside them (``RecordPage``), and small widgets (combos of regions and departments, unit and
level labels)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gridstation.app import tasks
from gridstation.app.i18n import error_message
from gridstation.app.uiload import load_ui, register, ui_path

# Styles local to the admin window (the application theme stays untouched).
ADMIN_QSS = """
#AdminNav { background: #ffffff; border: none; border-right: 1px solid #dde1e6; font-size: 11pt; outline: 0; }
#AdminNav::item { padding: 9px 14px; border-left: 3px solid transparent; }
#AdminNav::item:selected { background: #e8f0fa; color: #1b4f8a; border-left: 3px solid #2f6fb5; font-weight: 600; }
#AdminPageTitle { font-size: 14pt; font-weight: 700; color: #1b4f8a; }
#AdminPageHint { color: #52606d; }
#AdminMessage[state="error"] { background: #fdecea; color: #9b2c2c; border: 1px solid #f5c2c0; border-radius: 4px; padding: 6px 8px; }
#AdminMessage[state="info"] { background: #e3f4e8; color: #1e6b3a; border: 1px solid #9fd3b0; border-radius: 4px; padding: 6px 8px; }
#AdminMessage[state="warn"] { background: #fff4d6; color: #7a4d00; border: 1px solid #f0c36d; border-radius: 4px; padding: 6px 8px; }
#AdminNote { color: #52606d; background: #f0f4f8; border-radius: 4px; padding: 6px 8px; }
QGroupBox { font-weight: 600; border: 1px solid #dde1e6; border-radius: 6px; margin-top: 12px; padding-top: 6px; background: #ffffff; }
QGroupBox::title { subcontrol-origin: margin; left: 10px; padding: 0 4px; color: #1b4f8a; }
QTreeView { background: #ffffff; alternate-background-color: #f7f9fb; border: 1px solid #dde1e6;
            selection-background-color: #d6e6f7; selection-color: #10253f; }
"""


def unit_label(unit: str | None) -> str:
    return {
        "minute": QCoreApplication.translate("Admin", "minutes"),
        "work_hour": QCoreApplication.translate("Admin", "working hours"),
        "work_day": QCoreApplication.translate("Admin", "working days"),
        "natural_hour": QCoreApplication.translate("Admin", "natural hours"),
    }.get(unit or "", unit or "")


def stage_label(stage: str) -> str:
    return {
        "file": QCoreApplication.translate("Admin", "Filing"),
        "dispatch": QCoreApplication.translate("Admin", "Dispatch"),
        "handle": QCoreApplication.translate("Admin", "Handling"),
        "check": QCoreApplication.translate("Admin", "Re-check"),
        "close": QCoreApplication.translate("Admin", "Closing"),
    }.get(stage, stage)


def kind_label(kind: str) -> str:
    return {"component": QCoreApplication.translate("Admin", "Component"),
            "event": QCoreApplication.translate("Admin", "Event")}.get(kind, kind)


def unit_label_one(unit: str | None) -> str:
    return {
        "minute": QCoreApplication.translate("Admin", "minute"),
        "work_hour": QCoreApplication.translate("Admin", "working hour"),
        "work_day": QCoreApplication.translate("Admin", "working day"),
        "natural_hour": QCoreApplication.translate("Admin", "natural hour"),
    }.get(unit or "", unit or "")


def limit_label(value) -> str:
    """(amount, unit) → "2 working hours", "1 working day"; None → "—"."""
    if not value or value[0] is None:
        return "—"
    amount, unit = value
    return f"{amount:g} {unit_label_one(unit) if amount == 1 else unit_label(unit)}"


def ui_chinese() -> bool:
    """True when the Chinese translation is installed (for data that carries both names)."""
    from gridstation.app import i18n

    return bool(i18n._installed)


class MessageBar(QWidget):
    """One line above a page's content: an error stays until dismissed or replaced; an
    information fades after a few seconds."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setObjectName("AdminMessage")
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QToolButton()
        close.setText("×")
        close.setAutoRaise(True)
        close.clicked.connect(self.hide)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label, 1)
        lay.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        self.hide()

    def text(self) -> str:
        return "" if self.isHidden() else self.label.text()

    def state(self) -> str:
        return str(self.label.property("state") or "")

    def _show(self, text: str, state: str) -> None:
        self.label.setText(text)
        self.label.setProperty("state", state)
        self.label.style().unpolish(self.label)
        self.label.style().polish(self.label)
        self.show()

    def error(self, text: str) -> None:
        self._timer.stop()
        self._show(text, "error")

    def warn(self, text: str) -> None:
        self._timer.stop()
        self._show(text, "warn")

    def info(self, text: str, ms: int = 6000) -> None:
        self._show(text, "info")
        self._timer.start(ms)


class Page(QWidget):
    """A page of the administration window.

    The frame is ui/page.ui (title, hint, message bar; ``body`` is its layout); a page whose
    class has a Designer form (ui/<page name>.ui, e.g. ui/users_page.ui) gets it below, as
    ``content``, its named widgets bound as attributes.

    ``load()`` reads in the background; ``on_changes`` reloads when the change feed names
    one of ``entities`` (another administrator, or this one through the feed). Every write
    goes through ``run`` so the page knows when it is idle (``idle``); after a write,
    ``_written`` reloads (at once when the window follows no live feed)."""

    entities: tuple[str, ...] = ()
    idle = Signal()

    body: QVBoxLayout
    title_label: QLabel
    hint_label: QLabel
    message: MessageBar

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._busy = 0
        self._has_loaded = False
        self._select_after: int | None = None
        load_ui(self, Page)
        self.title_label.setText(self.title())
        hint = self.hint()
        self.hint_label.setText(hint)
        self.hint_label.setVisible(bool(hint))
        if type(self) is not Page and ui_path(type(self)).exists():
            self.content = load_ui(self, type(self), into=False)
            self.body.addWidget(self.content, 1)

    # ---- subclasses

    def title(self) -> str:
        return ""

    def hint(self) -> str:
        return ""

    def load(self) -> None:
        """Read the page's data (in the background)."""

    # ---- background work

    def is_idle(self) -> bool:
        return self._busy == 0

    def ensure_loaded(self) -> None:
        if not self._has_loaded:
            self._has_loaded = True
            self.load()

    def run(self, fn: Callable[[], Any], done: Callable[[Any], None] | None = None,
            failed: Callable[[BaseException], None] | None = None) -> None:
        self._busy += 1
        self.setCursor(Qt.CursorShape.BusyCursor)

        def finish():
            self._busy -= 1
            if self._busy == 0:
                self.unsetCursor()
                self.idle.emit()

        def ok(result):
            try:
                if done is not None:
                    done(result)
            finally:
                finish()

        def bad(exc):
            try:
                (failed or self.show_error)(exc)
            finally:
                finish()

        tasks.run(fn, ok, bad, owner=self)

    def read(self, fn: Callable[[Any], Any], done: Callable[[Any], None]) -> None:
        """``fn(session)`` in a read session, in the background."""
        ctx = self.ctx

        def job():
            with ctx.session() as s:
                return fn(s)

        self.run(job, done)

    def show_error(self, exc: BaseException) -> None:
        self.message.error(error_message(exc))

    def _written(self, select_id: int | None = None) -> None:
        """After a write: the change feed reloads the page (this client follows it too); a
        window without a live feed reloads at once. ``select_id`` is selected after the reload."""
        if select_id is not None:
            self._select_after = select_id
        if not getattr(self.window(), "live", False):
            self.load()

    def write(self, fn: Callable[[], Any], message: str, select_id: int | None = None) -> None:
        """Run a command in the background; then say ``message`` and reload."""
        self.run(fn, lambda _: (self.message.info(message), self._written(select_id)))

    @staticmethod
    def size_columns(header: QHeaderView, stretch: tuple[int, ...] = (), *, last: bool | None = None) -> None:
        """Columns as wide as their contents, the ``stretch`` ones sharing the rest."""
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for i in stretch:
            header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        if last is not None:
            header.setStretchLastSection(last)

    def on_changes(self, changes: list) -> None:
        if self._has_loaded and any(c.entity in self.entities for c in changes):
            self.load()


GREY = "#9aa5b1"  # disabled records in the tables


class RecordPage(Page):
    """A table of records (departments, users…) with an editor box beside it.

    The subclass names its ``editor_fields`` (enabled while a record or a new one is in the
    editor), shows a record with ``show_record`` and saves through ``save_record``: a new
    record is added with its key, an existing one gets only the fields that changed."""

    editor_fields: tuple[str, ...] = ()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._current = None
        self._new = False

    def _show(self, record_id: int | None) -> None:
        """Put the record (None: nothing) in the editor."""
        raise NotImplementedError

    def set_editing(self, on: bool, *extra: str) -> None:
        for name in (*self.editor_fields, *extra):
            getattr(self, name).setEnabled(on)

    def new_record(self, key_edit, title: str) -> None:
        """An empty editor for a new record, its key typed first."""
        self.table.clearSelection()
        self._show(None)
        self._new = True
        self.box.setTitle(title)
        key_edit.setReadOnly(False)
        self.set_editing(True)
        key_edit.setFocus()

    def save_record(self, values: dict, add: Callable[[Any, Any], Any], added: Callable[[Any], None],
                    update: Callable[[Any, Any, int, dict], Any], label: str) -> None:
        """``add(engine, actor)`` for a new record (then ``added(result)``), else
        ``update(engine, actor, id, changes)`` with the fields that differ from the record's
        ``values()`` (nothing to do when none does)."""
        engine, actor = self.ctx.engine, self.ctx.actor
        if self._new:
            self.run(lambda: add(engine, actor), added)
            return
        rec = self._current
        if rec is None:
            return
        old = rec.values()
        changes = {k: v for k, v in values.items() if v != old.get(k)}
        if changes:
            self.write(lambda: update(engine, actor, rec.id, changes), self.tr("Saved %1.").replace("%1", label),
                       rec.id)

    @staticmethod
    def grey(items, active: bool) -> None:
        """Disabled records in grey."""
        if not active:
            brush = QBrush(QColor(GREY))
            for it in items:
                it.setForeground(brush)


class AmountSpin(QDoubleSpinBox):
    """A number without trailing zeros (30, 0.5), as people write limits."""

    def textFromValue(self, value: float) -> str:
        return f"{round(value, self.decimals()):g}"


class IdCombo(QComboBox):
    """A combo of (id, label) with an optional "none" entry; ``value()`` is the id."""

    def __init__(self, none_label: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.none_label = none_label
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(18)

    def set_items(self, items: list[tuple[Any, str]], keep: bool = True) -> None:
        """Replace the items without emitting a change (the selection is kept when it still
        exists)."""
        current = self.value() if keep else None
        was = self.blockSignals(True)
        try:
            self.clear()
            if self.none_label is not None:
                self.addItem(self.none_label, None)
            for ident, label in items:
                self.addItem(label, ident)
            self.set_value(current)
        finally:
            self.blockSignals(was)

    def value(self):
        return self.currentData()

    def set_value(self, ident) -> None:
        i = self.findData(ident)
        self.setCurrentIndex(max(i, 0))


register(MessageBar, IdCombo, AmountSpin)
