"""流程配置: the workflow rules as a matrix, position × action (and who approves which request).

A cell says from which case states the position may take the action and within which scope.
Clicking a cell opens it in the editor on the right; edits collect in a draft that the
validator (``gridstation.cases.rules``) checks as you go, so the list of problems is always
in view; only a draft without problems can be saved (the core checks again, writes the audit
and the change feed, and refuses a draft made from an older revision).
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridstation.admin import workflow_rules as core
from gridstation.app.admin.common import Page, ui_chinese
from gridstation.app.i18n import (
    action_label,
    level_label,
    position_label,
    register_positions,
    source_label,
    state_label,
)
from gridstation.cases import rules
from gridstation.store.model import CaseSource, Position

APPROVAL_KINDS = tuple(rules.APPROVED)


def scope_label(scope: str) -> str:
    return {
        "region": QCoreApplication.translate("Rules", "own region"),
        "command": QCoreApplication.translate("Rules", "own region and command level"),
        "department": QCoreApplication.translate("Rules", "own department"),
        "none": QCoreApplication.translate("Rules", "everywhere"),
    }.get(scope, scope)


def scope_short(scope: str) -> str:
    return {
        "region": QCoreApplication.translate("Rules", "R"),
        "command": QCoreApplication.translate("Rules", "C"),
        "department": QCoreApplication.translate("Rules", "D"),
        "none": QCoreApplication.translate("Rules", "*"),
    }.get(scope, scope)


def center_label(center: str) -> str:
    return {
        "supervision": QCoreApplication.translate("Rules", "Supervision center"),
        "command": QCoreApplication.translate("Rules", "Command center"),
        "department": QCoreApplication.translate("Rules", "Department"),
        "leadership": QCoreApplication.translate("Rules", "Leadership"),
        "system": QCoreApplication.translate("Rules", "System"),
        "": "—",
    }.get(center, center)


def states_count(n: int) -> str:
    return QCoreApplication.translate("Rules", "%n state(s)", None, n)


def kind_label(kind: str) -> str:
    return {
        "return": QCoreApplication.translate("Rules", "Approve return"),
        "extension": QCoreApplication.translate("Rules", "Approve extension"),
        "park": QCoreApplication.translate("Rules", "Approve parking"),
        "void": QCoreApplication.translate("Rules", "Approve void"),
    }.get(kind, kind)


def problem_label(p: rules.Problem) -> str:
    """A validator finding in the user's language (the core's English text as a fallback)."""
    text = {
        "nobody_acts": QCoreApplication.translate("Rules", "Nobody may take the action “%1”."),
        "nobody_approves": QCoreApplication.translate("Rules", "A “%1” request can be asked for, but nobody approves it."),
        "dead_end": QCoreApplication.translate("Rules", "A case in state “%1” cannot be left."),
        "no_way_out": QCoreApplication.translate("Rules", "From state “%1” a case can never be closed."),
        "never_closed": QCoreApplication.translate("Rules", "No case can ever be closed."),
        "close_without_recheck": QCoreApplication.translate(
            "Rules", "A dispatched case could be closed without an on-site re-check, which this center demands."),
        "position_in_use": QCoreApplication.translate("Rules", "Position %1 is held by users and cannot be removed."),
        "decides_nothing": QCoreApplication.translate("Rules", "%1 may decide requests but approves no kind of request."),
        "approver_cannot_decide": QCoreApplication.translate("Rules", "%1 approves requests but may not decide."),
        "read_only_acts": QCoreApplication.translate("Rules", "%1 is a read-only position and may not act on cases."),
        "no_reports": QCoreApplication.translate("Rules", "No position takes reports: no case can start."),
    }.get(p.code)
    if text is None:
        return p.message
    subject = p.subject
    if p.code in ("nobody_acts",):
        subject = action_label(p.subject)
    elif p.code in ("dead_end", "no_way_out"):
        subject = state_label(p.subject)
    elif p.code == "nobody_approves":
        subject = kind_label(p.subject)
    return text.replace("%1", subject)


class RulesPage(Page):
    entities = ("rules",)

    def title(self) -> str:
        return self.tr("Workflow rules")

    def hint(self) -> str:
        return self.tr("Who may take which action, from which case states, within which scope; who approves "
                       "which request. Click a cell to edit it. The rules are checked as a whole: a state a case "
                       "cannot leave, an action nobody may take or closing without re-check cannot be saved.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.saved: rules.RuleSet | None = None
        self.draft: rules.RuleSet | None = None
        self.in_use: set[str] = set()
        self.columns = [("action", a) for a in rules.ACTION_KEYS] + [("approve", k) for k in APPROVAL_KINDS]
        self.row_keys: list[str] = []
        self._cell: tuple[str, str, str] | None = None  # (column kind, action or request kind, position)

        self.matrix = QTableWidget(0, len(self.columns))
        self.matrix.setObjectName("RulesMatrix")
        self.matrix.setHorizontalHeaderLabels(
            [action_label(k) if c == "action" else kind_label(k) for c, k in self.columns])
        self.matrix.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matrix.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matrix.setWordWrap(False)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.matrix.currentCellChanged.connect(lambda r, c, *_: self._select(r, c))

        # ---- the cell editor
        self.cell_title = QLabel()
        self.cell_title.setWordWrap(True)
        self.cell_title.setObjectName("AdminNote")
        self.allowed = QCheckBox(self.tr("May take this action"))
        self.allowed.setObjectName("RuleAllowed")
        self.state_boxes: dict[str, QCheckBox] = {}
        states_box = QGroupBox(self.tr("From the states"))
        sl = QVBoxLayout(states_box)
        for st in rules.OPEN:
            cb = QCheckBox(state_label(st))
            cb.setObjectName(f"RuleState_{st}")
            self.state_boxes[st] = cb
            sl.addWidget(cb)
        self.states_box = states_box
        self.scope = QComboBox()
        self.scope.setObjectName("RuleScope")
        for sc in rules.SCOPES:
            self.scope.addItem(scope_label(sc), sc)
        self.apply_button = QPushButton(self.tr("Apply to the draft"))
        self.apply_button.setObjectName("RuleApply")
        self.apply_button.clicked.connect(self.apply_cell)
        self.allowed.toggled.connect(self._allowed_toggled)
        editor = QGroupBox(self.tr("Cell"))
        el = QVBoxLayout(editor)
        el.addWidget(self.cell_title)
        el.addWidget(self.allowed)
        el.addWidget(states_box)
        scope_row = QHBoxLayout()
        scope_row.addWidget(QLabel(self.tr("Scope")))
        scope_row.addWidget(self.scope, 1)
        el.addLayout(scope_row)
        el.addWidget(self.apply_button)
        el.addStretch(1)
        editor.setEnabled(False)
        self.editor = editor

        self.require_recheck = QCheckBox(self.tr("A dispatched case is closed only after an on-site re-check"))
        self.require_recheck.setObjectName("RequireRecheck")
        self.require_recheck.toggled.connect(self._recheck_toggled)
        self.problems = QListWidget()
        self.problems.setObjectName("RuleProblems")
        self.problems.setMaximumHeight(110)
        self.status = QLabel()
        self.status.setObjectName("RulesStatus")

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.matrix)
        side = QWidget()
        side_lay = QVBoxLayout(side)
        side_lay.setContentsMargins(0, 0, 0, 0)
        side_lay.addWidget(editor)
        side_lay.addWidget(self._position_editor())
        split.addWidget(side)
        split.setStretchFactor(0, 1)
        split.setSizes([1100, 280])
        self.body.addWidget(self.require_recheck)
        self.body.addWidget(split, 1)
        self.body.addWidget(QLabel(self.tr("Problems of the draft")))
        self.body.addWidget(self.problems)

        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("SaveRules")
        self.save_button.setProperty("primary", True)
        self.revert_button = QPushButton(self.tr("Revert"))
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(lambda: self._show(self.saved) if self.saved else None)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        self.body.addLayout(buttons)

    # ---- positions

    def _position_editor(self) -> QGroupBox:
        box = QGroupBox(self.tr("Position"))
        box.setObjectName("PositionEditor")
        form = QFormLayout(box)
        self.pos_key = QLineEdit()
        self.pos_key.setObjectName("PositionKey")
        self.pos_name = QLineEdit()
        self.pos_name.setObjectName("PositionName")
        self.pos_role = QComboBox()
        self.pos_role.setObjectName("PositionRole")
        for p in Position:
            self.pos_role.addItem(position_label(p.value), p.value)
        self.pos_center = QComboBox()
        for c in rules.CENTERS:
            self.pos_center.addItem(center_label(c), c)
        self.pos_level = QComboBox()
        self.pos_level.addItem("—", None)
        for lv in rules.COMMAND_LEVELS:
            self.pos_level.addItem(level_label(lv), lv)
        self.pos_self = QCheckBox(self.tr("Self-handles (自处理)"))
        self.pos_sources: dict[str, QCheckBox] = {}
        src_row = QHBoxLayout()
        for src in CaseSource:
            cb = QCheckBox(source_label(src.value))
            self.pos_sources[src.value] = cb
            src_row.addWidget(cb)
        form.addRow(self.tr("Key"), self.pos_key)
        form.addRow(self.tr("Name"), self.pos_name)
        form.addRow(self.tr("Behaves like"), self.pos_role)
        form.addRow(self.tr("Center"), self.pos_center)
        form.addRow(self.tr("Commands cases of"), self.pos_level)
        form.addRow(self.tr("Takes reports from"), src_row)
        form.addRow("", self.pos_self)
        self.pos_apply = QPushButton(self.tr("Add or change in the draft"))
        self.pos_apply.setObjectName("PositionApply")
        self.pos_remove = QPushButton(self.tr("Remove from the draft"))
        self.pos_remove.setObjectName("PositionRemove")
        self.pos_apply.clicked.connect(self.apply_position)
        self.pos_remove.clicked.connect(self.remove_position)
        row = QHBoxLayout()
        row.addWidget(self.pos_remove)
        row.addWidget(self.pos_apply)
        form.addRow(row)
        return box

    def _fill_position(self, key: str) -> None:
        p = self.draft.positions.get(key) if self.draft else None
        if p is None:
            return
        self.pos_key.setText(p.key)
        self.pos_name.setText(p.name)
        self.pos_role.setCurrentIndex(max(0, self.pos_role.findData(p.role)))
        self.pos_center.setCurrentIndex(max(0, self.pos_center.findData(p.center)))
        self.pos_level.setCurrentIndex(max(0, self.pos_level.findData(p.command_level)))
        self.pos_self.setChecked(p.self_handle)
        for src, cb in self.pos_sources.items():
            cb.setChecked(src in p.reports)

    def apply_position(self) -> None:
        """Add the position of the form to the draft, or change the one with its key."""
        if self.draft is None:
            return
        key = self.pos_key.text().strip()
        old = self.draft.positions.get(key)
        p = rules.PositionDef(
            key=key, name=self.pos_name.text().strip(), role=self.pos_role.currentData(),
            name_en=old.name_en if old else "", center=self.pos_center.currentData(),
            command_level=self.pos_level.currentData(), level=old.level if old else None,
            self_handle=self.pos_self.isChecked(),
            reports=frozenset(s for s, cb in self.pos_sources.items() if cb.isChecked()),
        )
        self._show(replace(self.draft, positions={**self.draft.positions, key: p}))

    def remove_position(self) -> None:
        if self.draft is None:
            return
        key = self.pos_key.text().strip()
        if key not in self.draft.positions:
            return
        positions = {k: v for k, v in self.draft.positions.items() if k != key}
        grants = {k: g for k, g in self.draft.grants.items() if k[1] != key}
        approvers = {k: v for k, v in self.draft.approvers.items() if k[1] != key}
        self._show(replace(self.draft, positions=positions, grants=grants, approvers=approvers))

    # ---- loading

    def load(self) -> None:
        self.read(lambda s: (core.load(s), core.positions_in_use(s)), self._loaded)

    def _loaded(self, result) -> None:
        self.saved, self.in_use = result
        register_positions(self.saved)
        self._show(self.saved)

    def _position_name(self, key: str) -> str:
        p = self.draft.positions.get(key) if self.draft else None
        if p is None:
            return key
        return p.name if ui_chinese() or not p.name_en else p.name_en

    def _show(self, rs: rules.RuleSet) -> None:
        self.draft = rs
        self.row_keys = list(rs.positions)
        self.matrix.setRowCount(len(self.row_keys))
        self.matrix.setVerticalHeaderLabels([self._position_name(k) for k in self.row_keys])
        for r, pos in enumerate(self.row_keys):
            for c in range(len(self.columns)):
                self.matrix.setItem(r, c, self._item(rs, pos, *self.columns[c]))
        was = self.require_recheck.blockSignals(True)
        self.require_recheck.setChecked(rs.require_recheck)
        self.require_recheck.blockSignals(was)
        self._check()
        if self.matrix.currentRow() >= 0:
            self._select(self.matrix.currentRow(), self.matrix.currentColumn())

    def _item(self, rs: rules.RuleSet, pos: str, col: str, key: str) -> QTableWidgetItem:
        changed = False
        if col == "action":
            g = rs.grant(key, pos)
            names = [state_label(s) for s in rules._ordered_states(g.states)] if g else []
            if len(names) > 2:
                shown = states_count(len(names))
            else:
                shown = "、".join(names) if ui_chinese() else ", ".join(names)
            text = f"{shown} [{scope_short(g.scope)}]" if g else ""
            tip = "" if g is None else "\n".join([*names, scope_label(g.scope)])
            if self.saved is not None:
                changed = self.saved.grant(key, pos) != g
        else:
            sc = rs.approvers.get((key, pos))
            text = "" if sc is None else f"✓ [{scope_short(sc)}]"
            tip = "" if sc is None else scope_label(sc)
            if self.saved is not None:
                changed = self.saved.approvers.get((key, pos)) != sc
        it = QTableWidgetItem(text)
        it.setToolTip(tip)
        if text:
            it.setBackground(QBrush(QColor("#e3f4e8")))
        if changed:
            it.setBackground(QBrush(QColor("#fff4d6")))
        return it

    # ---- the cell editor

    def _select(self, row: int, col: int) -> None:
        if self.draft is None or row < 0 or col < 0 or row >= len(self.row_keys):
            self.editor.setEnabled(False)
            return
        pos = self.row_keys[row]
        kind, key = self.columns[col]
        self._cell = (kind, key, pos)
        self._fill_position(pos)
        self.editor.setEnabled(True)
        name = action_label(key) if kind == "action" else kind_label(key)
        self.cell_title.setText(f"{self._position_name(pos)} · {name}")
        self.states_box.setVisible(kind == "action")
        self.allowed.blockSignals(True)
        if kind == "action":
            g = self.draft.grant(key, pos)
            self.allowed.setChecked(g is not None)
            for st, cb in self.state_boxes.items():
                cb.setChecked(bool(g and st in g.states))
            self.scope.setCurrentIndex(max(0, self.scope.findData(g.scope if g else "region")))
        else:
            sc = self.draft.approvers.get((key, pos))
            self.allowed.setChecked(sc is not None)
            self.scope.setCurrentIndex(max(0, self.scope.findData(sc or "command")))
        self.allowed.blockSignals(False)
        self._allowed_toggled(self.allowed.isChecked())

    def _allowed_toggled(self, on: bool) -> None:
        self.states_box.setEnabled(on)
        self.scope.setEnabled(on)

    def select_cell(self, action_or_kind: str, position: str, *, approval: bool = False) -> None:
        col = self.columns.index(("approve" if approval else "action", action_or_kind))
        self.matrix.setCurrentCell(self.row_keys.index(position), col)

    def apply_cell(self) -> None:
        if self.draft is None or self._cell is None:
            return
        kind, key, pos = self._cell
        scope = self.scope.currentData()
        if kind == "action":
            states = [st for st, cb in self.state_boxes.items() if cb.isChecked()] if self.allowed.isChecked() else None
            draft = rules.with_grant(self.draft, key, pos, states, scope)
        else:
            approvers = dict(self.draft.approvers)
            if self.allowed.isChecked():
                approvers[(key, pos)] = scope
            else:
                approvers.pop((key, pos), None)
            draft = replace(self.draft, approvers=approvers)
        self._show(draft)

    def _recheck_toggled(self, on: bool) -> None:
        if self.draft is not None:
            self._show(replace(self.draft, require_recheck=on))

    def _check(self) -> list[rules.Problem]:
        found = rules.problems(self.draft, in_use=self.in_use) if self.draft else []
        self.problems.clear()
        for p in found:
            self.problems.addItem(problem_label(p))
        dirty = bool(self.draft and self.saved and rules.diff(self.saved, self.draft))
        self.save_button.setEnabled(dirty and not found)
        self.revert_button.setEnabled(dirty)
        if found:
            self.status.setText(self.tr("%n problem(s): the draft cannot be saved", "", len(found)))
        elif dirty:
            self.status.setText(self.tr("%n change(s) not saved yet", "", len(rules.diff(self.saved, self.draft))))
        else:
            self.status.setText(self.tr("Revision %1 in force").replace("%1", str(self.saved.revision if self.saved else 0)))
        return found

    def save(self) -> None:
        if self.draft is None or self.saved is None:
            return
        engine, actor, draft, rev = self.ctx.engine, self.ctx.actor, self.draft, self.saved.revision
        self.run(lambda: core.save(engine, actor, draft, expected_revision=rev),
                 lambda changes: (self.message.info(self.tr("Workflow rules saved (%n change(s)).", "", len(changes))),
                                  self.load()))
