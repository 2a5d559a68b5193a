"""The action forms of the case pane, one per workflow action, and the widgets they share with
intake: the category picker (name, pinyin initials or code) and the photo list.

A form only collects and checks input; it never writes. It emits ``submitted(values)`` with
the keyword arguments of the workflow call (``perform`` turns them into the call), and the pane
runs that call in the background with the version the user saw. Every form works from the
keyboard: Tab moves between fields, Enter submits (Shift+Enter makes a new line in a text
box), Esc cancels.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.store import limits
from gridstation.store.model import Category, Position, Region, UnitGrid, User
from gridstation.cases.workflow import MAX_PHOTO_BYTES, MAX_PHOTOS, Photo, _sniff_image
from gridstation.app import tasks
from gridstation.app.cases.counter import attach_counter
from gridstation.app.i18n import action_label, level_label, request_label, state_label
from gridstation.app.uiload import load_ui, register

MAX_TEXT = limits.NOTE
THUMB = 72

# --------------------------------------------------------------------------- categories


@dataclass(frozen=True)
class CategoryOption:
    """A leaf category as the picker offers it."""

    id: int
    code: str
    name: str
    major: str  # the major class (大类) it belongs to
    initials: str  # pinyin initials, e.g. "bllj" for 暴露垃圾
    spelled: str  # full pinyin without spaces, e.g. "baolulaji"
    kind: str
    filing_condition: str = ""
    closing_condition: str = ""

    @property
    def display(self) -> str:
        return f"{self.name} — {self.major}" if self.major else self.name


def _pinyin(name: str) -> tuple[str, str]:
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError:  # the picker still finds names and codes
        return "", ""
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER)).lower()
    spelled = "".join(lazy_pinyin(name)).lower()
    return initials, spelled


def load_categories(session: Session) -> list[CategoryOption]:
    """Current leaf categories, ordered by code, each with its major class and pinyin."""
    rows = session.execute(
        select(Category.id, Category.code, Category.name, Category.kind, Category.path, Category.depth,
               Category.is_leaf, Category.retired, Category.pinyin, Category.filing_condition,
               Category.closing_condition).order_by(Category.code)
    ).all()
    by_id = {r.id: r for r in rows}
    out = []
    for r in rows:
        if not r.is_leaf or r.retired:
            continue
        ancestors = [by_id.get(int(p)) for p in r.path.strip("/").split("/") if p]
        ancestors = [a for a in ancestors if a is not None and a.id != r.id]
        major = next((a.name for a in ancestors if a.depth == 1), ancestors[-1].name if ancestors else "")
        initials, spelled = _pinyin(r.name)
        out.append(CategoryOption(r.id, r.code, r.name, major, (r.pinyin or initials).lower(), spelled, r.kind,
                                  r.filing_condition or "", r.closing_condition or ""))
    return out


def match_categories(options: list[CategoryOption], query: str, limit: int = 50) -> list[CategoryOption]:
    """Options whose name, pinyin (initials or spelled out) or code match every word of
    ``query``; the closest first (an exact code, then prefixes, then anywhere)."""
    words = query.strip().lower().split()
    if not words:
        return options[:limit]
    scored = []
    for o in options:
        name, code = o.name.lower(), o.code.lower()
        total = 0
        for w in words:
            if w == code:
                s = 0
            elif o.initials.startswith(w) or name.startswith(w):
                s = 1
            elif code.startswith(w) or o.spelled.startswith(w):
                s = 2
            elif w in name or w in o.major.lower():
                s = 3
            elif w in o.initials or w in o.spelled:
                s = 4
            else:
                break
            total += s
        else:
            scored.append((total, o.code, o))
    scored.sort(key=lambda t: (t[0], t[1]))
    return [o for _, _, o in scored[:limit]]


class CategoryPicker(QWidget):
    """A line edit that completes leaf categories by name, pinyin initials (``bllj`` → 暴露垃圾, bào lù lā jī)
    or code, showing "name — major class". ``categoryChanged(id or None)``."""

    categoryChanged = Signal(object)
    loaded = Signal()

    ID_ROLE = Qt.ItemDataRole.UserRole + 1

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CategoryPicker")
        self._options: list[CategoryOption] = []
        self._by_id: dict[int, CategoryOption] = {}
        self._current: CategoryOption | None = None
        self._pending_id: int | None = None
        self.edit = QLineEdit()
        self.edit.setObjectName("CategoryEdit")
        self.edit.setPlaceholderText(self.tr("name, pinyin initials (e.g. bllj) or code"))
        self.edit.setClearButtonEnabled(True)
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(self._activated)
        self.edit.textEdited.connect(self._edited)
        self.edit.editingFinished.connect(self._resolve)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    # ---- data

    def load(self, ctx) -> None:
        """Load the catalogue in the background (then ``loaded``)."""
        self.edit.setEnabled(False)
        self.edit.setPlaceholderText(self.tr("loading categories…"))

        def done(options):
            self.edit.setEnabled(True)
            self.edit.setPlaceholderText(self.tr("name, pinyin initials (e.g. bllj) or code"))
            self.set_options(options)

        def failed(exc):
            self.edit.setEnabled(True)
            self.edit.setPlaceholderText(self.tr("categories could not be loaded"))

        def job():
            with ctx.session() as s:
                return load_categories(s)

        tasks.run(job, done, failed, owner=self)

    def set_options(self, options: list[CategoryOption]) -> None:
        self._options = list(options)
        self._by_id = {o.id: o for o in self._options}
        if self._pending_id is not None:
            pid, self._pending_id = self._pending_id, None
            self.set_category_id(pid)
        self.loaded.emit()

    def options(self) -> list[CategoryOption]:
        return list(self._options)

    def is_loaded(self) -> bool:
        return bool(self._options)

    # ---- choice

    def category_id(self) -> int | None:
        return self._current.id if self._current else None

    def current(self) -> CategoryOption | None:
        return self._current

    def set_category_id(self, category_id: int | None) -> None:
        if category_id is not None and not self._options:
            self._pending_id = category_id  # applied when the catalogue arrives
            return
        opt = self._by_id.get(category_id) if category_id is not None else None
        self._choose(opt, update_text=True)

    def search(self, text: str) -> list[CategoryOption]:
        """Type ``text`` as the user would: fills the popup, returns what it offers."""
        self.edit.setText(text)
        self._edited(text)
        return self.visible_matches()

    def visible_matches(self) -> list[CategoryOption]:
        return [self._by_id[self.model.item(i).data(self.ID_ROLE)] for i in range(self.model.rowCount())]

    def _fill(self, matches: list[CategoryOption]) -> None:
        self.model.clear()
        for o in matches:
            it = QStandardItem(o.display)
            it.setData(o.id, self.ID_ROLE)
            it.setToolTip(f"{o.code} · {o.name}")
            self.model.appendRow(it)

    def _edited(self, text: str) -> None:
        if self._current is not None and text != self._current.display:
            self._choose(None, update_text=False)
        matches = match_categories(self._options, text) if text.strip() else []
        self._fill(matches)
        if matches:
            self.completer.setCompletionPrefix("")
            self.completer.complete()
        else:
            self.completer.popup().hide()

    def _activated(self, index: QModelIndex) -> None:
        cid = index.data(self.ID_ROLE)
        self._choose(self._by_id.get(cid), update_text=True)

    def _resolve(self) -> None:
        """Enter or leaving the field: accept an exact display text or a single match."""
        text = self.edit.text().strip()
        if self._current is not None or not text:
            return
        exact = [o for o in self._options if text in (o.display, o.name, o.code)]
        matches = exact or match_categories(self._options, text, limit=2)
        if len(matches) == 1:
            self._choose(matches[0], update_text=True)

    def _choose(self, opt: CategoryOption | None, *, update_text: bool) -> None:
        changed = opt is not self._current
        self._current = opt
        if update_text:
            self.edit.setText(opt.display if opt else "")
        self.edit.setToolTip(opt.code if opt else "")
        if changed:
            self.categoryChanged.emit(opt.id if opt else None)


# --------------------------------------------------------------------------- photos


def _read_photo(path: str) -> tuple[Photo, QImage]:
    p = Path(path)
    size = p.stat().st_size
    if size > MAX_PHOTO_BYTES:
        raise ValueError(f"{p.name}: larger than 10 MB")
    content = p.read_bytes()
    if not content or _sniff_image(content) is None:
        raise ValueError(f"{p.name}: not a JPEG, PNG, WebP or GIF picture")
    img = QImage.fromData(content)
    if img.isNull():
        raise ValueError(f"{p.name}: the picture cannot be read")
    thumb = img.scaled(THUMB * 2, THUMB * 2, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
    return Photo(p.name, content), thumb


class PhotoList(QWidget):
    """Photos to send with an action: file picker (or drop files here), thumbnails, remove."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PhotoList")
        self._photos: list[Photo] = []
        self._loading = 0
        self.list = QListWidget()
        self.list.setViewMode(QListWidget.ViewMode.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 16, THUMB + 22))
        self.list.setMovement(QListWidget.Movement.Static)
        self.list.setFlow(QListWidget.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.list.setFixedHeight(THUMB + 40)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.add_button = QPushButton(self.tr("Add photos…"))
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self._pick)
        self.remove_button = QPushButton(self.tr("Remove"))
        self.remove_button.setAutoDefault(False)
        self.remove_button.setToolTip(self.tr("Remove the selected photos (Delete)"))
        self.remove_button.clicked.connect(self.remove_selected)
        self.hint = QLabel()
        self.hint.setObjectName("FormHint")
        self._update_hint()
        QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.list, self.remove_selected,
                  context=Qt.ShortcutContext.WidgetShortcut)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.hint, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(buttons)
        lay.addWidget(self.list)
        self.setAcceptDrops(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setTabOrder(self.add_button, self.remove_button)
        self.setTabOrder(self.remove_button, self.list)

    def photos(self) -> list[Photo]:
        return list(self._photos)

    def count(self) -> int:
        return len(self._photos)

    def is_loading(self) -> bool:
        return self._loading > 0

    def clear(self) -> None:
        self._photos.clear()
        self.list.clear()
        self._update_hint()
        self.changed.emit()

    def _update_hint(self, error: str = "") -> None:
        self.hint.setText(error or self.tr("%1 of %2 photos").replace("%1", str(len(self._photos))).replace("%2", str(MAX_PHOTOS)))
        self.hint.setStyleSheet("color: #c0392b;" if error else "")

    def _pick(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Add photos"), "", self.tr("Pictures (*.jpg *.jpeg *.png *.webp *.gif)")
        )
        self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        """Read and check the files in the background, then show their thumbnails."""
        for path in paths:
            if len(self._photos) + self._loading >= MAX_PHOTOS:
                self._update_hint(self.tr("At most %1 photos").replace("%1", str(MAX_PHOTOS)))
                return
            self._loading += 1
            tasks.run(lambda p=path: _read_photo(p), self._added, self._failed, owner=self)

    def _added(self, result) -> None:
        self._loading -= 1
        photo, thumb = result
        self._photos.append(photo)
        it = QListWidgetItem(QIcon(QPixmap.fromImage(thumb)), photo.filename)
        it.setToolTip(f"{photo.filename} · {len(photo.content) // 1024} KB")
        self.list.addItem(it)
        self._update_hint()
        self.changed.emit()

    def _failed(self, exc) -> None:
        self._loading -= 1
        self._update_hint(str(exc))

    def remove_selected(self) -> None:
        rows = sorted({self.list.row(it) for it in self.list.selectedItems()}, reverse=True)
        if not rows and self.list.currentRow() >= 0:
            rows = [self.list.currentRow()]
        for r in rows:
            self.list.takeItem(r)
            del self._photos[r]
        self._update_hint()
        self.changed.emit()

    def dragEnterEvent(self, e) -> None:
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e) -> None:
        self.add_files([u.toLocalFile() for u in e.mimeData().urls() if u.isLocalFile()])


# --------------------------------------------------------------------------- small widgets


class NoteEdit(QPlainTextEdit):
    """A short multi-line text: Tab leaves the field, Enter submits the form, Shift+Enter
    starts a new line."""

    submitRequested = Signal()

    def __init__(self, placeholder: str = "", parent: QWidget | None = None, *, enter_submits: bool = True) -> None:
        super().__init__(parent)
        self.enter_submits = enter_submits
        self.setTabChangesFocus(True)
        self.setPlaceholderText(placeholder)
        self.setFixedHeight(72)

    def text(self) -> str:
        return self.toPlainText().strip()

    def keyPressEvent(self, e) -> None:
        if (self.enter_submits and e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and not (e.modifiers() & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier))):
            self.submitRequested.emit()
            return
        super().keyPressEvent(e)


class YesNo(QWidget):
    """An explicit choice between two answers (no default: the user must decide)."""

    toggled = Signal()

    def __init__(self, yes: str = "", no: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.yes = QRadioButton(yes)
        self.no = QRadioButton(no)
        self.group = QButtonGroup(self)
        self.group.addButton(self.yes)
        self.group.addButton(self.no)
        self.group.buttonToggled.connect(lambda *_: self.toggled.emit())
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.yes)
        lay.addWidget(self.no)
        self.setFocusProxy(self.yes)

    def value(self) -> bool | None:
        if self.yes.isChecked():
            return True
        if self.no.isChecked():
            return False
        return None


# the promoted widgets of the .ui files
register(CategoryPicker, PhotoList, NoteEdit, YesNo)

# --------------------------------------------------------------------------- the base form


def _mark(widget: QWidget, bad: bool) -> None:
    widget.setProperty("invalid", bad)
    target = widget.edit if isinstance(widget, CategoryPicker) else widget
    target.setStyleSheet("border: 1px solid #d63031; border-radius: 3px;" if bad else "")


class ActionForm(QDialog):
    """One action's input. ``submitted(values)`` carries the workflow call's keyword arguments;
    the pane answers with ``set_busy`` / ``show_error`` / ``accept``.

    The frame (context line, error line, buttons) is ui/action_form.ui; each subclass's fields
    are ui/<its name>.ui, a form layout named ``form`` placed between the context and the error
    line. A row that does not apply to this action or case is dropped (``drop_row``)."""

    submitted = Signal(dict)
    ready = Signal()

    frame_layout: QVBoxLayout
    head: QLabel
    error: QLabel
    buttons: QDialogButtonBox
    form: QFormLayout

    def __init__(self, action: str, ctx, detail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"ActionForm_{action}")
        self.action, self.ctx, self.detail = action, ctx, detail
        self._busy = False
        self._ready = True
        load_ui(self, ActionForm)
        self.setWindowTitle(f"{action_label(action)} — {detail.number}")
        self.head.setText(self._context_text())
        self.error.hide()
        self.submit_button = self.buttons.addButton(action_label(action), QDialogButtonBox.ButtonRole.AcceptRole)
        self.submit_button.setDefault(True)
        self.submit_button.setToolTip(self.tr("Enter"))
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setToolTip(self.tr("Esc"))
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.submit_shortcuts = [QShortcut(QKeySequence(seq), self, self.submit) for seq in ("Ctrl+Return", "Ctrl+Enter")]
        if type(self) is not ActionForm:
            self.fields = load_ui(self, type(self), into=False)
            self.frame_layout.insertWidget(1, self.fields)
            for n in self.fields.findChildren(NoteEdit):
                n.submitRequested.connect(self.submit)
                attach_counter(n, MAX_TEXT)
        self.build()

    def _context_text(self) -> str:
        d = self.detail
        bits = [d.number, state_label(d.state)]
        if d.category:
            bits.append(d.category)
        if d.address:
            bits.append(d.address)
        return " · ".join(bits)

    # ---- for subclasses

    def build(self) -> None:
        """Add the fields."""

    def values(self) -> dict:
        """The workflow call's keyword arguments."""
        return {}

    def problems(self) -> list[tuple[QWidget, str]]:
        """(field, what is wrong) for every field that stops the submission."""
        return []

    def drop_row(self, field: QWidget) -> None:
        """Remove a row of the .ui that does not apply here (as if it had never been laid out)."""
        self.form.removeRow(field)

    def required_text(self, widget: NoteEdit, what: str) -> list[tuple[QWidget, str]]:
        t = widget.text()
        if not t:
            return [(widget, self.tr("%1 is required").replace("%1", what))]
        if len(t) > MAX_TEXT:
            return [(widget, self.tr("%1: at most %2 characters").replace("%1", what).replace("%2", str(MAX_TEXT)))]
        return []

    def set_loading(self, loading: bool) -> None:
        self._ready = not loading
        self.submit_button.setEnabled(not loading and not self._busy)
        if not loading:
            self.ready.emit()

    def is_ready(self) -> bool:
        return self._ready

    # ---- the flow

    def submit(self) -> None:
        if self._busy or not self._ready:
            return
        bad = self.problems()
        for w in self.findChildren(QWidget):
            if w.property("invalid"):
                _mark(w, False)
        if bad:
            for w, _ in bad:
                _mark(w, True)
            self.show_error("\n".join(msg for _, msg in bad))
            bad[0][0].setFocus()
            return
        self.error.hide()
        self.submitted.emit(self.values())

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.submit_button.setEnabled(not busy and self._ready)
        self.submit_button.setText(self.tr("Saving…") if busy else action_label(self.action))

    def is_busy(self) -> bool:
        return self._busy

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def error_text(self) -> str:
        return self.error.text() if self.error.isVisible() else ""

    def reject(self) -> None:
        if self._busy:  # the call is under way; its answer decides
            return
        super().reject()


# --------------------------------------------------------------------------- the forms


class ReasonForm(ActionForm):
    """request_return, request_park, request_void, void, rework: a required reason."""

    def hints(self) -> dict[str, str]:
        return {
            "request_return": self.tr("Why the case is not for your department (the dispatcher decides)"),
            "request_park": self.tr("Why it cannot be solved now, e.g. it needs a budget (the dispatcher decides)"),
            "request_void": self.tr("Why the report should be voided (the shift leader decides)"),
            "void": self.tr("Why the report is void: not real, a duplicate, or out of scope"),
            "rework": self.tr("What is not acceptable in the result"),
        }

    reason: NoteEdit

    def build(self) -> None:
        self.reason.setPlaceholderText(self.hints().get(self.action, ""))
        self.reason.setFocus()

    def values(self) -> dict:
        return {"reason": self.reason.text()}

    def problems(self):
        return self.required_text(self.reason, self.tr("A reason"))


class NoteForm(ActionForm):
    """close, resume: an optional note."""

    text: NoteEdit
    closing_condition: QLabel

    def build(self) -> None:
        if self.action == "close" and self.detail.closing_condition:
            self.closing_condition.setText(self.detail.closing_condition)
        else:
            self.drop_row(self.closing_condition)
        self.text.setFocus()

    def values(self) -> dict:
        return {"note": self.text.toPlainText().strip()}

    def problems(self):
        return [(self.text, self.tr("A note: at most %1 characters").replace("%1", str(MAX_TEXT)))] \
            if len(self.text.text()) > MAX_TEXT else []


class TextForm(ActionForm):
    """urge (opinion), reply_urge (reply): one required text."""

    urging: QLabel
    text_label: QLabel
    text: NoteEdit

    def build(self) -> None:
        self.key = "opinion" if self.action == "urge" else "reply"
        opinion = ""
        if self.action == "reply_urge":
            opinion = next((e.note for e in reversed(self.detail.events) if e.action == "urge"), "")
        if opinion:
            self.urging.setText(opinion)
        else:
            self.drop_row(self.urging)
        if self.key == "reply":  # the .ui holds the urge's wording
            self.text_label.setText(self.tr("Reply"))
            self.text.setPlaceholderText(self.tr("What has been done, and when it will be finished"))
        self.label = self.text_label.text()
        self.text.setFocus()

    def values(self) -> dict:
        return {self.key: self.text.text()}

    def problems(self):
        return self.required_text(self.text, self.label)


class ExtensionForm(ActionForm):
    hours: QDoubleSpinBox
    reason: NoteEdit

    def build(self) -> None:
        self.hours.setSuffix(" " + self.tr("working hours"))
        self.hours.setFocus()
        self.hours.selectAll()

    def values(self) -> dict:
        return {"hours": float(self.hours.value()), "reason": self.reason.text()}

    def problems(self):
        return self.required_text(self.reason, self.tr("A reason"))


class PhotoNoteForm(ActionForm):
    """feedback: note + photos; verify / recheck: yes/no + note + photos (note required for no);
    review_self: approve/reject + note (required for reject)."""

    def choices(self) -> dict[str, tuple[str, str, str]]:
        return {
            "verify": (self.tr("The problem is real (confirmed on site)"),
                       self.tr("Not confirmed: nothing found on site"), "confirmed"),
            "recheck": (self.tr("Fixed: the result is acceptable"), self.tr("Not fixed: send back for rework"), "fixed"),
            "review_self": (self.tr("Approve the on-the-spot fix (close the case)"),
                            self.tr("Reject: file it as a normal case"), "approve"),
        }

    closing_condition: QLabel
    choice: YesNo | None
    text: NoteEdit
    photos: PhotoList | None

    def build(self) -> None:
        if self.action in self.choices():
            yes, no, self.key = self.choices()[self.action]
            self.choice.yes.setText(yes)
            self.choice.no.setText(no)
            self.choice.toggled.connect(self._placeholder)
        else:
            self.drop_row(self.choice)
            self.choice = None
        if self.action == "review_self":
            self.drop_row(self.photos)
            self.photos = None
        if self.action == "recheck" and self.detail.closing_condition:
            self.closing_condition.setText(self.detail.closing_condition)
        else:
            self.drop_row(self.closing_condition)
        self._placeholder()
        (self.choice or self.text).setFocus()

    def _note_required(self) -> bool:
        if self.choice is None:
            return True  # feedback
        return self.choice.value() is False

    def _placeholder(self) -> None:
        if self.choice is None:
            hint = self.tr("required: what was done to fix it")
        elif self._note_required():
            hint = self.tr("required: what was found")
        else:
            hint = self.tr("optional")
        self.text.setPlaceholderText(hint)

    def values(self) -> dict:
        v: dict = {"note": self.text.text()}
        if self.choice is not None:
            v[self.key] = bool(self.choice.value())
        if self.photos is not None:
            v["photos"] = self.photos.photos()
        return v

    def problems(self):
        bad = []
        if self.choice is not None and self.choice.value() is None:
            bad.append((self.choice, self.tr("Choose a result")))
        if self._note_required():
            bad += self.required_text(self.text, self.tr("A note"))
        if self.photos is not None and self.photos.is_loading():
            bad.append((self.photos, self.tr("Wait until the photos are read")))
        return bad


class DispatchForm(ActionForm):
    """派遣: the suggested department preselected, the reason, the alternatives searchable."""

    department: QComboBox
    reason_label: QLabel
    text: NoteEdit

    def build(self) -> None:
        self.suggestion = None
        self.department.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.department.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.department.lineEdit().setPlaceholderText(self.tr("type to search departments"))
        self.set_loading(True)
        wf, case_id = self.ctx.workflow, self.detail.id
        tasks.run(lambda: wf.suggest_department(case_id), self._suggested, self._failed, owner=self)
        self.department.setFocus()

    def _suggested(self, sug) -> None:
        self.suggestion = sug
        self.department.clear()
        if sug.department_id is not None:
            self.department.addItem(sug.department_name + "  " + self.tr("(suggested)"), sug.department_id)
        for did, name in sug.alternatives:
            self.department.addItem(name, did)
        self.department.setCurrentIndex(0 if self.department.count() else -1)
        level = level_label(sug.command_level)
        if sug.department_id is None:
            text = self.tr("No responsible department is configured for this category; choose one.")
        elif sug.reason == "street":
            text = self.tr("Street-level case (%1): the street's unit for this category.").replace("%1", level)
        else:
            text = self.tr("%1-level case: the category %2 is handled by %3.").replace("%1", level).replace(
                "%2", self.detail.category or "—").replace("%3", sug.department_name)
        self.reason_label.setText(text)
        self.set_loading(False)
        self.department.lineEdit().selectAll()

    def _failed(self, exc) -> None:
        from gridstation.app.i18n import error_message

        self.reason_label.setText(error_message(exc))
        self.set_loading(False)

    def department_id(self) -> int | None:
        i = self.department.findText(self.department.currentText(), Qt.MatchFlag.MatchFixedString)
        if i < 0:
            return None
        return self.department.itemData(i)

    def values(self) -> dict:
        return {"department_id": self.department_id(), "note": self.text.text()}

    def problems(self):
        if self.department_id() is None:
            return [(self.department, self.tr("Choose a department from the list"))]
        return []


class ChangeLevelForm(ActionForm):
    level: QLabel
    reason: NoteEdit

    def build(self) -> None:
        current = self.detail.command_level or "district"
        self.target = "street" if current == "district" else "district"
        self.level.setText(self.tr("From %1 level to %2 level").replace("%1", level_label(current)).replace(
            "%2", level_label(self.target)))
        self.reason.setFocus()

    def values(self) -> dict:
        return {"level": self.target, "reason": self.reason.text()}

    def problems(self):
        return self.required_text(self.reason, self.tr("A reason"))


class FileForm(ActionForm):
    """立案: confirm or correct the category, with its filing condition as a hint."""

    category: CategoryPicker
    condition: QLabel
    text: NoteEdit

    def build(self) -> None:
        self.category.categoryChanged.connect(self._show_condition)
        self.category.loaded.connect(lambda: (self._show_condition(), self.set_loading(False)))
        self.set_loading(True)
        self.category.set_category_id(self.detail.category_id)
        self.category.load(self.ctx)
        self.category.setFocus()

    def _show_condition(self, *_):
        c = self.category.current()
        self.condition.setText((c.filing_condition or self.tr("none recorded")) if c else "—")

    def values(self) -> dict:
        return {"category_id": self.category.category_id(), "note": self.text.text()}

    def problems(self):
        if self.category.category_id() is None:
            return [(self.category, self.tr("Choose a current leaf category"))]
        return []


def load_supervisors(session: Session, grid_id: int | None) -> list[tuple[int, str, str]]:
    """Active supervisors whose region covers the grid: (id, name, region name)."""
    path = None
    if grid_id is not None:
        path = session.scalar(
            select(Region.path).join(UnitGrid, UnitGrid.region_id == Region.id).where(UnitGrid.id == grid_id)
        )
    rows = session.execute(
        select(User.id, User.name, Region.path, Region.name)
        .join(Region, Region.id == User.region_id, isouter=True)
        .where(User.position == Position.SUPERVISOR.value, User.active)
        .order_by(User.name)
    ).all()
    return [(uid, name, rname or "") for uid, name, rpath, rname in rows
            if rpath is None or (path is not None and path.startswith(rpath))]


class SupervisorForm(ActionForm):
    """assign_verify / assign_check: a supervisor who patrols the case's grid."""

    supervisor: QComboBox
    text: NoteEdit

    def build(self) -> None:
        self.set_loading(True)
        ctx, grid_id = self.ctx, self.detail.grid_id

        def job():
            with ctx.session() as s:
                return load_supervisors(s, grid_id)

        tasks.run(job, self._loaded, lambda e: self._loaded([]), owner=self)
        self.supervisor.setFocus()

    def _loaded(self, rows) -> None:
        self.supervisor.clear()
        for uid, name, region in rows:
            self.supervisor.addItem(f"{name} — {region}" if region else name, uid)
        if not rows:
            self.supervisor.setPlaceholderText(self.tr("no active supervisor patrols this grid"))
        self.set_loading(False)

    def values(self) -> dict:
        return {"supervisor_id": self.supervisor.currentData(), "note": self.text.text()}

    def problems(self):
        if self.supervisor.currentData() is None:
            return [(self.supervisor, self.tr("Choose a supervisor"))]
        return []


class DecideForm(ActionForm):
    """The waiting request with Approve / Reject (a note is required to reject)."""

    request_kind: QLabel
    requested_by: QLabel
    request_hours: QLabel
    request_reason: QLabel
    text: NoteEdit

    def build(self) -> None:
        req = self.detail.pending_request or {}
        self.request = req
        kind = req.get("kind", "")
        self.request_kind.setText(request_label(kind))
        who = req.get("requested_by") or ""
        at = req.get("requested_at")
        self.requested_by.setText(f"{who}  {at:%Y-%m-%d %H:%M}" if at else who)
        if req.get("hours") is not None:
            self.request_hours.setText(self.tr("%1 working hours").replace("%1", f"{req['hours']:g}"))
        else:
            self.drop_row(self.request_hours)
        self.request_reason.setText(req.get("reason") or "—")
        # Enter in the note makes a new line here: a decision is taken with its own button
        # (Tab to it, or Alt+A / Alt+R), never by a stray Enter while typing a reason.
        self.text.enter_submits = False
        self.submit_button.setText(self.tr("&Approve"))
        self.submit_button.setDefault(False)
        for sc in self.submit_shortcuts:
            sc.setEnabled(False)
        self.reject_button = self.buttons.addButton(self.tr("&Reject"), QDialogButtonBox.ButtonRole.ActionRole)
        self.reject_button.setAutoDefault(False)
        self.reject_button.clicked.connect(lambda: self.submit_decision(False))
        self._approve = True
        self.text.setFocus()

    def submit(self) -> None:
        self.submit_decision(True)

    def submit_decision(self, approve: bool) -> None:
        self._approve = approve
        super().submit()

    def set_busy(self, busy: bool) -> None:
        super().set_busy(busy)
        self.reject_button.setEnabled(not busy)
        if not busy:
            self.submit_button.setText(self.tr("&Approve"))

    def values(self) -> dict:
        return {"request_id": self.request.get("id"), "approve": self._approve, "note": self.text.text()}

    def problems(self):
        if not self.request.get("id"):
            return [(self.text, self.tr("No request is waiting on this case"))]
        if not self._approve:
            return self.required_text(self.text, self.tr("A note"))
        return []


FORMS: dict[str, type[ActionForm]] = {
    "dispatch": DispatchForm,
    "request_extension": ExtensionForm,
    "request_return": ReasonForm,
    "request_park": ReasonForm,
    "request_void": ReasonForm,
    "void": ReasonForm,
    "rework": ReasonForm,
    "urge": TextForm,
    "reply_urge": TextForm,
    "feedback": PhotoNoteForm,
    "verify": PhotoNoteForm,
    "recheck": PhotoNoteForm,
    "review_self": PhotoNoteForm,
    "file": FileForm,
    "decide": DecideForm,
    "change_level": ChangeLevelForm,
    "assign_verify": SupervisorForm,
    "assign_check": SupervisorForm,
    "close": NoteForm,
    "resume": NoteForm,
}


def form_for(action: str, ctx, detail, parent: QWidget | None = None) -> ActionForm:
    return FORMS[action](action, ctx, detail, parent)


def perform(wf, actor, detail, action: str, values: dict):
    """Run the workflow call of a submitted form (in a background job) against the version
    the user saw."""
    v = dict(values)
    version = detail.version
    if action == "decide":
        return wf.decide(actor, v.pop("request_id"), expected_version=version, **v)
    if action in ("assign_verify", "assign_check"):
        return getattr(wf, action)(actor, detail.id, v.pop("supervisor_id"), expected_version=version, **v)
    return getattr(wf, action)(actor, detail.id, expected_version=version, **v)
