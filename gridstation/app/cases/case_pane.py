"""The case pane: one case in full (header, place, photos, deadlines, timeline) and the buttons
for exactly the actions the signed-in user may take on it now.

Everything is read in one background job as plain data (``queues.case_detail``); the pane is
rebuilt from it on every load. An action opens its form (``forms.py``); the workflow call runs
in the background with the version the user saw, so a case changed meanwhile by someone else
is refused (Conflict) instead of overwritten, and the pane then shows the current truth.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gridstation.errors import GridStationError, InvalidInput, NotFound, Unavailable
from gridstation.cases.queues import AttachmentMeta, CaseDetail, attachment_content, case_detail
from gridstation.exchange.hotline import hotline_link
from gridstation.app import tasks
from gridstation.app.cases.forms import ActionForm, form_for, perform
from gridstation.app.i18n import (
    action_label,
    error_message,
    level_label,
    light_label,
    minutes_text,
    position_label,
    request_label,
    source_label,
    state_label,
)
from gridstation.app.geo.minimap import MiniMap, load_map_context

# The step that moves the case forward comes first (it is the primary action, Ctrl+Enter);
# requests and urging next; voiding last.
PRIORITY = [
    "decide", "dispatch", "file", "verify", "feedback", "recheck", "close", "review_self",
    "assign_verify", "assign_check", "resume", "reply_urge", "request_extension", "request_return",
    "request_park", "change_level", "rework", "urge", "request_void", "void",
]
# Alt+letter for each action. F, E, V, H, W and T stay free for the main window's menus.
LETTERS = {
    "assign_verify": "A", "verify": "Y", "file": "I", "void": "X", "request_void": "X", "dispatch": "D",
    "change_level": "L", "request_return": "R", "request_extension": "N", "request_park": "P",
    "feedback": "B", "resume": "M", "assign_check": "A", "recheck": "K", "close": "C", "rework": "O",
    "urge": "U", "reply_urge": "Y", "review_self": "S", "decide": "J",
}
AVOID = set("FEVHWT")
DANGER = {"void", "request_void", "rework"}
LIGHT_COLOURS = {"green": "#27ae60", "yellow": "#e1a100", "red": "#d63031", "parked": "#8e9aa6"}
THUMB = 88
EVENT_THUMB = 52
STAGE_DONE = {"file": "filed", "dispatch": "dispatched", "handle": "handled", "check": "checked", "close": "closed"}


def order_actions(allowed: list[str]) -> list[str]:
    rank = {a: i for i, a in enumerate(PRIORITY)}
    return sorted(allowed, key=lambda a: (rank.get(a, len(PRIORITY)), a))


def assign_letters(actions: list[str]) -> dict[str, str]:
    """A distinct Alt+letter for each action (its own letter when free)."""
    taken: set[str] = set()
    out = {}
    for a in actions:
        candidates = [LETTERS.get(a, "")] + [c.upper() for c in a if c.isalpha()] + [chr(c) for c in range(65, 91)]
        for c in candidates:
            if c and c not in taken and c not in AVOID:
                taken.add(c)
                out[a] = c
                break
    return out


def _fmt(dt: datetime | None, with_date: bool = True) -> str:
    if dt is None:
        return "—"
    return dt.strftime("%Y-%m-%d %H:%M" if with_date else "%H:%M")


def _thumbs_job(ctx, ids: list[int], size: int) -> dict[int, QImage]:
    """Photo thumbnails, scaled off the GUI thread (QImage is safe there, QPixmap is not)."""
    out = {}
    with ctx.session() as s:
        for aid in ids:
            img = QImage.fromData(attachment_content(s, aid))
            if not img.isNull():
                img = img.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            out[aid] = img
    return out


class PhotoViewer(QDialog):
    """A larger view of one photo; Left/Right go through the case's photos, Esc closes."""

    def __init__(self, ctx, attachments: list[AttachmentMeta], index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("PhotoViewer")
        self.ctx, self.attachments, self.index = ctx, attachments, index
        self.image = QLabel(self.tr("Loading…"))
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image.setMinimumSize(480, 360)
        self.caption = QLabel()
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption.setStyleSheet("color: #555;")
        lay = QVBoxLayout(self)
        lay.addWidget(self.image, 1)
        lay.addWidget(self.caption)
        QShortcut(QKeySequence(Qt.Key.Key_Left), self, lambda: self.step(-1))
        QShortcut(QKeySequence(Qt.Key.Key_Right), self, lambda: self.step(1))
        self._token = 0
        self.show_index(index)

    def step(self, delta: int) -> None:
        if self.attachments:
            self.show_index((self.index + delta) % len(self.attachments))

    def show_index(self, index: int) -> None:
        self.index = index
        a = self.attachments[index]
        self.setWindowTitle(a.filename)
        self.caption.setText(f"{a.filename} · {max(1, a.size // 1024)} KB · {index + 1}/{len(self.attachments)}")
        self._token += 1
        token, ctx = self._token, self.ctx

        def job():
            with ctx.session() as s:
                return QImage.fromData(attachment_content(s, a.id))

        tasks.run(job, lambda img: self._shown(token, img), lambda e: self.image.setText(str(e)), owner=self)

    def _shown(self, token: int, img: QImage) -> None:
        if token != self._token:
            return
        if img.isNull():
            self.image.setText(self.tr("This picture cannot be shown"))
            return
        screen = self.screen().availableGeometry() if self.screen() else None
        max_w = int(screen.width() * 0.8) if screen else 1000
        max_h = int(screen.height() * 0.75) if screen else 760
        pm = QPixmap.fromImage(img)
        if pm.width() > max_w or pm.height() > max_h:
            pm = pm.scaled(max_w, max_h, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
        self.image.setPixmap(pm)
        self.adjustSize()


class CasePane(QWidget):
    """Shows one case and offers its allowed actions.

    Signals: ``caseChanged(case_id)`` and ``actionDone(case_id, action)`` after an action
    succeeded; ``showOnMap(lon, lat)``; ``loaded(case_id)`` whenever a case has been (re)shown;
    ``busyChanged(bool)`` while an action runs.
    """

    caseChanged = Signal(int)
    actionDone = Signal(int, str)
    showOnMap = Signal(float, float)
    loaded = Signal(int)
    busyChanged = Signal(bool)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CasePane")
        self.ctx = ctx
        self._case_id: int | None = None
        self._detail: CaseDetail | None = None
        self._token = 0
        self._busy = False
        self._reload_after_busy = False
        self._thumb_cache: dict[int, QPixmap] = {}
        self._thumb_buttons: dict[int, list[QToolButton]] = {}
        self._shortcuts: list[QShortcut] = []
        self.action_buttons: dict[str, QPushButton] = {}
        self.current_form: ActionForm | None = None
        self.minimap: MiniMap | None = None
        self._timeline: list[str] = []

        self.note_bar = QLabel()
        self.note_bar.setObjectName("CasePaneNote")
        self.note_bar.setWordWrap(True)
        self.note_bar.setStyleSheet("background: #fff4d6; color: #6b5200; border: 1px solid #f0d27a;"
                                    "border-radius: 3px; padding: 4px 8px;")
        self.note_bar.hide()

        self.scroll = QScrollArea()
        self.scroll.setObjectName("CasePaneScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.actions_box = QFrame()
        self.actions_box.setObjectName("CaseActions")
        self.actions_box.setFrameShape(QFrame.Shape.NoFrame)
        self.actions_layout = QGridLayout(self.actions_box)
        self.actions_layout.setContentsMargins(10, 8, 10, 10)
        self.actions_layout.setHorizontalSpacing(8)
        self.actions_layout.setVerticalSpacing(6)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #d8dce2;")
        self.actions_line = line

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.note_bar)
        lay.addWidget(self.scroll, 1)
        lay.addWidget(line)
        lay.addWidget(self.actions_box)
        self._placeholder(self.tr("Select a case to see its details."))

    # ================================================================ public API

    @property
    def detail(self) -> CaseDetail | None:
        return self._detail

    def case_id(self) -> int | None:
        return self._case_id

    def is_busy(self) -> bool:
        return self._busy

    def timeline_actions(self) -> list[str]:
        """The action codes of the timeline as shown, oldest first."""
        return list(self._timeline)

    def show_case(self, case_id: int | None) -> None:
        """Show a case (loaded in the background); None clears the pane."""
        if case_id is None:
            self.clear()
            return
        if case_id != self._case_id:
            self._close_form()
            self.note_bar.hide()
            self._case_id = case_id
            self._detail = None
        self._load(keep_scroll=False)

    def reload(self) -> None:
        if self._case_id is not None:
            self._load(keep_scroll=True)

    def clear(self) -> None:
        self._close_form()
        self._token += 1
        self._case_id = None
        self._detail = None
        self._timeline = []
        self.note_bar.hide()
        self._set_actions([])
        self._placeholder(self.tr("Select a case to see its details."))

    def on_changes(self, changes) -> None:
        """From the change feed: reload if the shown case changed elsewhere."""
        if self._case_id is None:
            return
        mine = [c for c in changes if getattr(c, "entity", None) == "case" and c.entity_id == self._case_id]
        if not mine:
            return
        if self._busy:  # our own action is under way; its reload follows
            self._reload_after_busy = True
            return
        by_other = any(c.user_id != self.ctx.actor.id for c in mine)
        self._load(keep_scroll=True, from_feed=by_other)

    def open_action(self, action: str) -> ActionForm | None:
        """Open the form of an allowed action (the buttons and shortcuts call this)."""
        d = self._detail
        if d is None or self._busy or action not in d.allowed or self.ctx.read_only:
            return None
        if self.current_form is not None:
            if self.current_form.action == action and self.current_form.isVisible():
                self.current_form.raise_()
                self.current_form.activateWindow()
                return self.current_form
            self._close_form()
        form = form_for(action, self.ctx, d, self)
        form.submitted.connect(partial(self._submit, form))
        form.finished.connect(partial(self._form_finished, form))
        self.current_form = form
        form.open()
        return form

    # ================================================================ loading

    def _load(self, *, keep_scroll: bool, from_feed: bool = False) -> None:
        self._token += 1
        token, case_id, ctx = self._token, self._case_id, self.ctx
        old_version = self._detail.version if self._detail is not None else None
        scroll = self.scroll.verticalScrollBar().value() if keep_scroll else 0

        def job():
            with ctx.session() as s:
                d = case_detail(s, case_id, actor=ctx.actor, wf=ctx.workflow, now=ctx.now())
                m = load_map_context(s, d.grid_id, d.lon, d.lat)
                hl = hotline_link(s, d.id) if d.source == "hotline" else None
            return d, m, hl

        def done(result):
            if token != self._token:
                return
            d, m, hl = result
            self._detail = d
            self._build(d, m, hl)
            if from_feed and old_version is not None and d.version != old_version:
                self.note_bar.setText(self.tr("Updated by another user: %1 at %2").replace(
                    "%1", d.updated_by or self.tr("someone")).replace("%2", _fmt(d.updated_at)))
                self.note_bar.show()
            QTimer.singleShot(0, lambda: self.scroll.verticalScrollBar().setValue(scroll))
            self.loaded.emit(d.id)

        def failed(exc):
            if token != self._token:
                return
            self._detail = None
            self._set_actions([])
            if isinstance(exc, NotFound):
                self._placeholder(self.tr("This case no longer exists."))
            else:
                text = error_message(exc) if isinstance(exc, GridStationError) else str(exc)
                self._placeholder(self.tr("The case could not be loaded: %1").replace("%1", text), retry=True)

        tasks.run(job, done, failed, owner=self)

    def _placeholder(self, text: str, retry: bool = False) -> None:
        w = QWidget()
        lay = QVBoxLayout(w)
        lay.addStretch(1)
        lab = QLabel(text)
        lab.setObjectName("CasePanePlaceholder")
        lab.setWordWrap(True)
        lab.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lab.setStyleSheet("color: #777;")
        lay.addWidget(lab)
        if retry:
            b = QPushButton(self.tr("Try again"))
            b.clicked.connect(self.reload)
            lay.addWidget(b, 0, Qt.AlignmentFlag.AlignCenter)
        lay.addStretch(2)
        self.scroll.setWidget(w)
        self.minimap = None
        self._thumb_buttons = {}
        self.actions_line.setVisible(False)

    # ================================================================ building the view

    def _section(self, lay: QVBoxLayout, title: str) -> None:
        lab = QLabel(title)
        lab.setObjectName("CaseSection")
        f = lab.font()
        f.setBold(True)
        lab.setFont(f)
        lab.setStyleSheet("color: #2c3e50; border-bottom: 1px solid #e1e5ea; padding-bottom: 3px; margin-top: 10px;")
        lay.addWidget(lab)

    @staticmethod
    def _wrap(text: str, *, selectable: bool = True, muted: bool = False) -> QLabel:
        lab = QLabel(text)
        lab.setWordWrap(True)
        if selectable:
            lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if muted:
            lab.setStyleSheet("color: #666;")
        return lab

    def _build(self, d: CaseDetail, m, hotline=None) -> None:
        self._thumb_buttons = {}
        content = QWidget()
        content.setObjectName("CasePaneContent")
        lay = QVBoxLayout(content)
        lay.setContentsMargins(12, 10, 12, 12)
        lay.setSpacing(6)

        self._build_header(lay, d)

        self._section(lay, self.tr("Description"))
        lay.addWidget(self._wrap(d.description or "—"))
        if d.reporter_name or d.reporter_phone:
            lay.addWidget(self._wrap(self.tr("Reported by %1").replace(
                "%1", " ".join(x for x in (d.reporter_name, d.reporter_phone) if x)), muted=True))
        if hotline is not None:  # a 12345 work order: its number and the exchange's state
            states = {"received": self.tr("received"), "sending": self.tr("replies waiting for acknowledgement"),
                      "synced": self.tr("in step"), "closed": self.tr("closing reply acknowledged")}
            hl = self._wrap(self.tr("12345 work order %1 · exchange: %2").replace("%1", hotline.order_no)
                            .replace("%2", states.get(hotline.exchange_state, hotline.exchange_state)), muted=True)
            hl.setObjectName("CaseHotline")
            lay.addWidget(hl)

        self._section(lay, self.tr("Category"))
        self._build_category(lay, d)

        self._section(lay, self.tr("Location"))
        self._build_location(lay, d, m)

        if d.attachments:
            self._section(lay, self.tr("Photos (%1)").replace("%1", str(len(d.attachments))))
            lay.addWidget(self._thumb_grid(d.attachments, THUMB, columns=4))

        self._section(lay, self.tr("Deadlines"))
        self._build_deadlines(lay, d)

        c = d.counts
        counts = " · ".join([
            self.tr("Dispatches %1").replace("%1", str(c.get("dispatch", 0))),
            self.tr("Returns %1").replace("%1", str(c.get("return", 0))),
            self.tr("Reworks %1").replace("%1", str(c.get("rework", 0))),
            self.tr("Extensions %1").replace("%1", str(c.get("extension", 0))),
            self.tr("Parked %1").replace("%1", str(c.get("park", 0))),
            self.tr("Urged %1").replace("%1", str(c.get("urge", 0))),
        ])
        counts_label = self._wrap(counts, muted=True)
        counts_label.setObjectName("CaseCounts")
        if c.get("return", 0) + c.get("rework", 0) >= 2:
            # bounced between departments (推诿): make it visible
            counts_label.setStyleSheet("color: #b03a2e; font-weight: bold;")
            counts_label.setToolTip(self.tr("This case has gone back and forth several times"))
        lay.addWidget(counts_label)

        self._section(lay, self.tr("Timeline (%1)").replace("%1", str(len(d.events))))
        self._build_timeline(lay, d)
        lay.addStretch(1)

        self.scroll.setWidget(content)
        self._set_actions([] if self.ctx.read_only else d.allowed)
        self._load_thumbs(d)

    def _build_header(self, lay: QVBoxLayout, d: CaseDetail) -> None:
        row = QHBoxLayout()
        number = QLabel(d.number)
        number.setObjectName("CaseNumber")
        f = number.font()
        f.setPointSizeF(f.pointSizeF() * 1.45)
        f.setBold(True)
        number.setFont(f)
        number.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        state = QLabel(state_label(d.state))
        state.setObjectName("CaseState")
        state.setStyleSheet("background: #e8eef7; color: #1f3a5f; border-radius: 9px; padding: 2px 10px;")
        row.addWidget(number)
        row.addStretch(1)
        row.addWidget(state)
        lay.addLayout(row)

        row2 = QHBoxLayout()
        row2.setSpacing(6)
        light = d.light if d.state != "parked" else "parked"
        if light:
            dot = QLabel()
            dot.setObjectName("CaseLight")
            dot.setFixedSize(12, 12)
            dot.setStyleSheet(f"background: {LIGHT_COLOURS.get(light, '#bbb')}; border-radius: 6px;")
            dot.setToolTip(light_label(light))
            row2.addWidget(dot)
        self.time_left_label = QLabel(self._time_text(d))
        self.time_left_label.setObjectName("CaseTimeLeft")
        if light == "red":
            self.time_left_label.setStyleSheet("color: #d63031; font-weight: bold;")
        row2.addWidget(self.time_left_label)
        row2.addStretch(1)
        if d.urged:
            urged = QLabel(self.tr("Urged"))
            urged.setObjectName("CaseUrged")
            urged.setStyleSheet("background: #d63031; color: white; border-radius: 3px; padding: 1px 6px;")
            urged.setToolTip(self.tr("A leader urged this case; the department must reply"))
            row2.addWidget(urged)
        lay.addLayout(row2)

        if d.pending_request:
            r = d.pending_request
            text = self.tr("Waiting for approval: %1 request by %2 at %3").replace(
                "%1", request_label(r.get("kind", ""))).replace("%2", r.get("requested_by") or "").replace(
                "%3", _fmt(r.get("requested_at")))
            if r.get("hours") is not None:
                text += " · " + self.tr("%1 working hours").replace("%1", f"{r['hours']:g}")
            if r.get("reason"):
                text += "\n" + r["reason"]
            pend = self._wrap(text)
            pend.setObjectName("CasePending")
            pend.setStyleSheet("background: #eef4ff; border: 1px solid #bcd0f0; border-radius: 3px; padding: 4px 6px;")
            lay.addWidget(pend)

        bits = [source_label(d.source), self.tr("reported %1").replace("%1", _fmt(d.times.get("reported")))]
        if d.department:
            bits.append(d.department)
        if d.command_level:
            bits.append(self.tr("%1 level").replace("%1", level_label(d.command_level)))
        lay.addWidget(self._wrap(" · ".join(bits), muted=True))

    def _time_text(self, d: CaseDetail) -> str:
        if d.state == "closed":
            return self.tr("Closed %1").replace("%1", _fmt(d.times.get("closed")))
        if d.state == "voided":
            return self.tr("Voided %1").replace("%1", _fmt(d.times.get("voided")))
        if d.state == "parked":
            return self.tr("Parked: the clock is stopped")
        if d.remaining_minutes is None:
            return self.tr("No time limit")
        if d.remaining_minutes < 0:
            return self.tr("Overdue by %1 (due %2)").replace("%1", minutes_text(-d.remaining_minutes)).replace(
                "%2", _fmt(d.due_at))
        return self.tr("%1 left (due %2)").replace("%1", minutes_text(d.remaining_minutes)).replace("%2", _fmt(d.due_at))

    def _build_category(self, lay: QVBoxLayout, d: CaseDetail) -> None:
        path = self._wrap(d.category_path or self.tr("not classified yet"))
        path.setObjectName("CaseCategory")
        tip = []
        if d.filing_condition:
            tip.append(self.tr("Filing condition: %1").replace("%1", d.filing_condition))
        if d.closing_condition:
            tip.append(self.tr("Closing condition: %1").replace("%1", d.closing_condition))
        path.setToolTip("\n".join(tip))
        lay.addWidget(path)
        if tip:
            toggle = QToolButton()
            toggle.setObjectName("ConditionsToggle")
            toggle.setText(self.tr("Filing and closing conditions"))
            toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            toggle.setArrowType(Qt.ArrowType.RightArrow)
            toggle.setCheckable(True)
            toggle.setAutoRaise(True)
            body = self._wrap("\n".join(tip), muted=True)
            body.setObjectName("CaseConditions")
            body.setContentsMargins(18, 0, 0, 0)
            body.hide()

            def flip(on: bool) -> None:
                body.setVisible(on)
                toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)

            toggle.toggled.connect(flip)
            lay.addWidget(toggle)
            lay.addWidget(body)

    def _build_location(self, lay: QVBoxLayout, d: CaseDetail, m) -> None:
        row = QHBoxLayout()
        row.setSpacing(10)
        text = QVBoxLayout()
        text.setSpacing(3)
        text.addWidget(self._wrap(d.address or self.tr("no address given")))
        grid = self._wrap(self.tr("Grid %1").replace("%1", d.grid_code or "—"), muted=True)
        grid.setObjectName("CaseGrid")
        text.addWidget(grid)
        if d.region_names:
            text.addWidget(self._wrap(" / ".join(d.region_names), muted=True))
        if d.lon is not None and d.lat is not None:
            text.addWidget(self._wrap(f"{d.lon:.6f}, {d.lat:.6f}", muted=True))
            btn = QPushButton(self.tr("Show on map"))
            btn.setObjectName("ShowOnMap")
            btn.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
            lon, lat = d.lon, d.lat
            btn.clicked.connect(lambda: self.showOnMap.emit(float(lon), float(lat)))
            text.addWidget(btn)
        text.addStretch(1)
        text_box = QWidget()
        text_box.setLayout(text)
        text.setContentsMargins(0, 0, 0, 0)
        text_box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        row.addWidget(text_box, 1)
        self.minimap = MiniMap()
        self.minimap.setFixedSize(190, 140)
        self.minimap.set_context(m)
        row.addWidget(self.minimap, 0, Qt.AlignmentFlag.AlignTop)
        lay.addLayout(row)

    def _build_deadlines(self, lay: QVBoxLayout, d: CaseDetail) -> None:
        names = {"file": self.tr("Filing"), "dispatch": self.tr("Dispatch"), "handle": self.tr("Handling"),
                 "check": self.tr("Re-check"), "close": self.tr("Closing")}
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(3)
        now = self.ctx.now()
        r = 0
        for stage, name in names.items():
            deadline = d.deadlines.get(stage)
            done = d.times.get(STAGE_DONE[stage])
            if deadline is None and done is None:
                continue
            current = d.stage == stage and d.state not in ("closed", "voided")
            if current:
                # a stage started again (rework, return) is not done by its earlier time
                done = None
            if done is not None:
                late = deadline is not None and done > deadline
                status = (self.tr("done %1, late") if late else self.tr("done %1")).replace("%1", _fmt(done))
                colour = "#b03a2e" if late else "#2e7d32"
            elif deadline is not None and (now > deadline and d.state != "parked"):
                status, colour = self.tr("overdue"), "#d63031"
            elif current:
                status, colour = self.tr("in progress"), "#1f3a5f"
            else:
                status, colour = self.tr("open"), "#666"
            lab = QLabel(name)
            if current:
                f = lab.font()
                f.setBold(True)
                lab.setFont(f)
            st = QLabel(status)
            st.setStyleSheet(f"color: {colour};")
            grid.addWidget(lab, r, 0)
            grid.addWidget(QLabel(_fmt(deadline)), r, 1)
            grid.addWidget(st, r, 2)
            r += 1
        if r == 0:
            lay.addWidget(self._wrap(self.tr("No deadlines yet."), muted=True))
            return
        grid.setColumnStretch(2, 1)
        lay.addLayout(grid)

    def _build_timeline(self, lay: QVBoxLayout, d: CaseDetail) -> None:
        self._timeline = []
        by_id = {a.id: a for a in d.attachments}
        for e in d.events:
            self._timeline.append(e.action)
            item = QFrame()
            item.setObjectName("TimelineEvent")
            item.setStyleSheet("#TimelineEvent { border-left: 3px solid #9db4d6; }")
            v = QVBoxLayout(item)
            v.setContentsMargins(10, 2, 0, 6)
            v.setSpacing(2)
            head = QHBoxLayout()
            head.setSpacing(10)
            when = QLabel(_fmt(e.at))
            when.setStyleSheet("color: #666;")
            what = QLabel(action_label(e.action))
            f = what.font()
            f.setBold(True)
            what.setFont(f)
            head.addWidget(when)
            head.addWidget(what)
            head.addStretch(1)
            if e.to_state and e.to_state != e.from_state:
                move = f"{state_label(e.from_state)} → {state_label(e.to_state)}" if e.from_state else state_label(e.to_state)
                ms = QLabel(move)
                ms.setStyleSheet("color: #1f3a5f;")
                head.addWidget(ms)
            v.addLayout(head)
            who = e.user or self.tr("system")
            if e.position:
                who += f" ({position_label(e.position)})"
            if e.department:
                who += f" · {e.department}"
            extra = self._event_extra(e)
            if extra:
                who += f" · {extra}"
            v.addWidget(self._wrap(who, muted=True))
            if e.note:
                v.addWidget(self._wrap(e.note))
            atts = [by_id[i] for i in e.attachment_ids if i in by_id]
            if atts:
                v.addWidget(self._thumb_grid(atts, EVENT_THUMB, columns=6, all_atts=d.attachments))
            lay.addWidget(item)

    def _event_extra(self, e) -> str:
        data = e.data or {}
        if "hours" in data and data["hours"] is not None:
            return self.tr("%1 working hours").replace("%1", f"{float(data['hours']):g}")
        if "confirmed" in data:
            return self.tr("confirmed") if data["confirmed"] else self.tr("not confirmed")
        if "fixed" in data:
            return self.tr("fixed") if data["fixed"] else self.tr("not fixed")
        if "approved" in data:
            return self.tr("approved") if data["approved"] else self.tr("rejected")
        if e.action == "change_level" and data.get("command_level"):
            return self.tr("to %1 level").replace("%1", level_label(data["command_level"]))
        return ""

    # ---- photos

    def _thumb_grid(self, atts: list[AttachmentMeta], size: int, *, columns: int, all_atts=None) -> QWidget:
        w = QWidget()
        g = QGridLayout(w)
        g.setContentsMargins(0, 2, 0, 2)
        g.setHorizontalSpacing(6)
        g.setVerticalSpacing(6)
        all_atts = all_atts or atts
        for i, a in enumerate(atts):
            b = QToolButton()
            b.setObjectName("PhotoThumb")
            # field photos are landscape 4:3; a square frame would leave a band of empty space
            b.setIconSize(QSize(size, size * 3 // 4))
            b.setFixedSize(size + 6, size * 3 // 4 + 6)
            b.setToolTip(a.filename)
            b.setAutoRaise(True)
            b.setProperty("attachment_id", a.id)
            pm = self._thumb_cache.get(a.id)
            if pm is not None:
                b.setIcon(QIcon(pm))
            else:
                b.setText("…")
            idx = next((k for k, x in enumerate(all_atts) if x.id == a.id), 0)
            b.clicked.connect(partial(self.open_photo, idx))
            self._thumb_buttons.setdefault(a.id, []).append(b)
            g.addWidget(b, i // columns, i % columns)
        g.setColumnStretch(columns, 1)
        return w

    def thumbnails(self) -> dict[int, list[QToolButton]]:
        """The photo thumbnails shown, by attachment id (for tests and tools)."""
        return self._thumb_buttons

    def thumbnails_loaded(self) -> bool:
        return all(aid in self._thumb_cache for aid in self._thumb_buttons)

    def _load_thumbs(self, d: CaseDetail) -> None:
        missing = [a.id for a in d.attachments if a.id not in self._thumb_cache]
        if not missing:
            return
        token, ctx = self._token, self.ctx

        def done(images):
            for aid, img in images.items():
                self._thumb_cache[aid] = QPixmap.fromImage(img) if not img.isNull() else QPixmap()
            if token != self._token:
                return
            for aid, buttons in self._thumb_buttons.items():
                pm = self._thumb_cache.get(aid)
                for b in buttons:
                    if pm is not None and not pm.isNull():
                        b.setText("")
                        b.setIcon(QIcon(pm))
                    elif pm is not None:
                        b.setText("?")

        tasks.run(lambda: _thumbs_job(ctx, missing, THUMB * 2), done, lambda e: None, owner=self)

    def open_photo(self, index: int) -> PhotoViewer | None:
        if self._detail is None or not self._detail.attachments:
            return None
        viewer = PhotoViewer(self.ctx, self._detail.attachments, index, self)
        viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        viewer.show()
        return viewer

    # ================================================================ actions

    def _set_actions(self, allowed: list[str]) -> None:
        for b in self.action_buttons.values():
            b.deleteLater()
        for s in self._shortcuts:
            s.setEnabled(False)
            s.deleteLater()
        self.action_buttons = {}
        self._shortcuts = []
        while self.actions_layout.count():
            self.actions_layout.takeAt(0)
        ordered = order_actions(allowed)
        letters = assign_letters(ordered)
        self.actions_line.setVisible(bool(ordered))
        self.actions_box.setVisible(bool(ordered))
        for i, action in enumerate(ordered):
            letter = letters.get(action)
            shown = "Ctrl+Enter" if i == 0 else (f"Alt+{letter}" if letter else "")
            b = QPushButton(f"{action_label(action)}   {shown}" if shown else action_label(action))
            b.setObjectName("PrimaryAction" if i == 0 else ("DangerAction" if action in DANGER else "CaseAction"))
            b.setProperty("action", action)
            b.setAutoDefault(False)
            b.setMinimumHeight(30)
            tips = [s for s in ("Ctrl+Enter" if i == 0 else "", f"Alt+{letter}" if letter else "") if s]
            b.setToolTip(f"{action_label(action)} ({', '.join(tips)})")
            if i == 0:
                f = b.font()
                f.setBold(True)
                b.setFont(f)
            if action in DANGER:
                b.setStyleSheet("color: #b03a2e;")
            b.clicked.connect(partial(self.open_action, action))
            b.setEnabled(not self._busy)
            self.action_buttons[action] = b
            self.actions_layout.addWidget(b, i // 2, i % 2)
            keys = [f"Alt+{letter}"] if letter else []
            if i == 0:
                keys += ["Ctrl+Return", "Ctrl+Enter"]
            for k in keys:
                sc = QShortcut(QKeySequence(k), self)
                sc.activated.connect(partial(self.open_action, action))
                sc.activatedAmbiguously.connect(partial(self.open_action, action))
                self._shortcuts.append(sc)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for b in self.action_buttons.values():
            b.setEnabled(not busy)
        self.busyChanged.emit(busy)

    def _submit(self, form: ActionForm, values: dict) -> None:
        d = self._detail
        if self._busy or d is None:
            return
        self._set_busy(True)
        form.set_busy(True)
        action, wf, actor = form.action, self.ctx.workflow, self.ctx.actor
        # One id per form, kept across retries: submitting again never applies the step twice.
        if not form.property("submission_id"):
            form.setProperty("submission_id", str(uuid.uuid4()))
        values = dict(values, submission_id=form.property("submission_id"))
        tasks.run(lambda: perform(wf, actor, d, action, values),
                  lambda r: self._action_done(form, d.id, action, r),
                  lambda e: self._action_failed(form, action, e), owner=self)

    def _action_done(self, form: ActionForm, case_id: int, action: str, result) -> None:
        self._set_busy(False)
        if getattr(result, "replayed", False):  # the reply was lost; the retry found it saved
            window = self.window()
            if hasattr(window, "statusBar"):
                window.statusBar().showMessage(
                    self.tr("%1 was saved (the connection broke while saving; GridStation checked).").replace(
                        "%1", action_label(action)), 15000)
        self._reload_after_busy = False
        if self._alive(form):
            form.set_busy(False)
            form.accept()
        self.caseChanged.emit(case_id)
        self.actionDone.emit(case_id, action)
        if self._case_id == case_id:
            self.reload()

    def _action_failed(self, form: ActionForm, action: str, exc: BaseException) -> None:
        self._set_busy(False)
        keep_open = isinstance(exc, (InvalidInput, Unavailable))
        alive = self._alive(form)
        if alive:
            form.set_busy(False)
            if not keep_open:
                form.reject()
        if not isinstance(exc, (InvalidInput, Unavailable)) or self._reload_after_busy:
            self.reload()  # the current truth, while the user reads the message
        self._reload_after_busy = False
        text = error_message(exc) if isinstance(exc, GridStationError) else \
            self.tr("Unexpected error: %1").replace("%1", str(exc))
        if alive and keep_open:
            form.show_error(text)
        self.warn(form if (alive and keep_open) else self,
                  self.tr("%1 was not done").replace("%1", action_label(action)), text)

    def warn(self, parent: QWidget, title: str, text: str) -> None:
        QMessageBox.warning(parent, title, text)

    @staticmethod
    def _alive(w) -> bool:
        try:
            import shiboken6

            return w is not None and shiboken6.isValid(w)
        except ImportError:  # pragma: no cover
            return w is not None

    def _form_finished(self, form: ActionForm, _result: int) -> None:
        if self.current_form is form:
            self.current_form = None
        form.deleteLater()

    def _close_form(self) -> None:
        f = self.current_form
        self.current_form = None
        if f is not None and self._alive(f) and not f.is_busy():
            f.reject()
