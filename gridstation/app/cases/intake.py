"""Intake (受理): a hotline, public or camera report taken by the intake operator, or a
supervisor's own report, with the place, the category and photos.

Before saving, and live while the place or the category changes, the dialog lists cases of
the same category within 50 m from the last 24 hours (``Workflow.duplicates``): the same pile
of garbage is often reported by several callers, and a duplicate case would be dispatched
twice. The operator opens the existing case instead, or saves anyway.

The dialog is not modal by itself, so the main window can pass a map click (``set_point``).
"""

from __future__ import annotations

import importlib
import uuid
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)
from sqlalchemy import select

from gridstation.errors import GridStationError
from gridstation.store.model import CaseSource, Region, UnitGrid
from gridstation.cases.workflow import DUP_RADIUS_M, locate_grid
from gridstation.app import tasks
from gridstation.app.cases.counter import attach_counter, length_problem
from gridstation.app.cases.forms import CategoryPicker, PhotoList
from gridstation.store import limits
from gridstation.app.i18n import error_message, source_label, state_label
from gridstation.app.uiload import load_ui


@dataclass(frozen=True)
class GridOption:
    id: int
    code: str
    name: str
    region: str
    lon: float
    lat: float

    @property
    def display(self) -> str:
        return f"{self.code} — {self.region} {self.name}".strip()


def load_grids(session) -> list[GridOption]:
    rows = session.execute(
        select(UnitGrid.id, UnitGrid.code, UnitGrid.name, Region.name, UnitGrid.center_lon, UnitGrid.center_lat)
        .join(Region, Region.id == UnitGrid.region_id)
        .where(UnitGrid.valid_to.is_(None))
        .order_by(UnitGrid.code)
    ).all()
    return [GridOption(*r) for r in rows]


def interpret_geocode(result) -> dict | None:
    """Whatever ``geocode.geocode`` returns (a result, a list of them, a dict, a (lon, lat)
    pair) as ``{"lon", "lat", "grid_id", "label"}``, or None when nothing was found."""
    if result is None:
        return None
    if isinstance(result, (list, tuple)):
        if len(result) == 2 and all(isinstance(x, (int, float)) for x in result):
            return {"lon": float(result[0]), "lat": float(result[1]), "grid_id": None, "label": ""}
        return interpret_geocode(result[0]) if result else None

    def get(*names):
        for n in names:
            v = result.get(n) if isinstance(result, dict) else getattr(result, n, None)
            if v is not None:
                return v
        return None

    lon, lat = get("lon", "longitude", "x"), get("lat", "latitude", "y")
    grid_id = get("grid_id")
    if grid_id is None:
        grid = get("grid")
        grid_id = getattr(grid, "id", grid) if not isinstance(grid, str) else None
    if lon is None and grid_id is None:
        return None
    return {
        "lon": float(lon) if lon is not None else None,
        "lat": float(lat) if lat is not None else None,
        "grid_id": int(grid_id) if isinstance(grid_id, int) else None,
        "label": str(get("label", "address", "name", "text") or ""),
    }


class _ReturnFilter(QObject):
    """Enter in the address field looks the address up instead of saving the report."""

    def __init__(self, on_return, parent=None) -> None:
        super().__init__(parent)
        self.on_return = on_return

    def eventFilter(self, obj, e) -> bool:
        if e.type() == QEvent.Type.KeyPress and e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.on_return()
            return True
        return False


class IntakeDialog(QDialog):
    """Signals: ``reported(case_id)`` after saving (then the dialog closes), ``openCase(case_id)``
    when the operator opens a duplicate instead. ``set_point(lon, lat)`` takes a map click."""

    reported = Signal(int)
    openCase = Signal(int)
    duplicatesChanged = Signal(list)

    # ui/intake_dialog.ui
    form: QFormLayout
    source: QComboBox
    reporter_name: QLineEdit
    reporter_phone: QLineEdit
    address: QLineEdit
    locate_button: QPushButton
    grid_edit: QLineEdit
    place_label: QLabel
    category: CategoryPicker
    description: QPlainTextEdit
    self_handled: QCheckBox
    photos: PhotoList
    dup_box: QGroupBox
    dup_hint: QLabel
    dup_list: QListWidget
    dup_status: QLabel
    open_button: QPushButton
    error: QLabel
    buttons: QDialogButtonBox

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("IntakeDialog")
        self.ctx = ctx
        load_ui(self)  # ui/intake_dialog.ui
        self._point: tuple[float, float] | None = None
        self._grids: list[GridOption] = []
        self._grid_by_id: dict[int, GridOption] = {}
        self._grid: GridOption | None = None
        self._dups: list = []
        self._checked_key = None
        self._dup_token = 0
        self._dup_running = False
        self._save_after_check = False
        self._busy = False

        position = ctx.actor.position
        rules = ctx.workflow.rules  # the rules in force: who takes which reports, who self-handles
        self.sources = [s for s in CaseSource if s.value in rules.report_sources(position.value)]

        # ---- who reports
        for s in self.sources:
            self.source.addItem(source_label(s.value), s.value)

        # ---- where
        self._return_filter = _ReturnFilter(self.locate, self)
        self.address.installEventFilter(self._return_filter)
        self.locate_button.clicked.connect(self.locate)
        self.grid_completer = QCompleter([], self)
        self.grid_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.grid_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.grid_completer.setMaxVisibleItems(12)
        self.grid_edit.setCompleter(self.grid_completer)
        self.grid_completer.activated[str].connect(self._grid_text_chosen)
        self.grid_edit.editingFinished.connect(lambda: self._grid_text_chosen(self.grid_edit.text()))

        # ---- what
        self.category.categoryChanged.connect(lambda _id: self._schedule_duplicates())
        own = rules.positions.get(position.value)
        self._is_supervisor = bool(own and own.self_handle)
        if not self._is_supervisor:  # only a supervisor's own report can be self-handled
            self.form.takeRow(self.self_handled)
            self.self_handled.setParent(self)
            self.self_handled.hide()
        for edit, limit in ((self.reporter_name, limits.PERSON_NAME), (self.reporter_phone, limits.PHONE),
                            (self.address, limits.ADDRESS), (self.description, limits.DESCRIPTION)):
            attach_counter(edit, limit)
        # One id for this report, kept across retries: saving again never makes a second case.
        self.submission_id = str(uuid.uuid4())

        # ---- duplicates
        self.dup_hint.setText(self.tr("Same category within %1 m, reported in the last 24 hours.").replace(
            "%1", f"{DUP_RADIUS_M:g}"))
        self.dup_list.itemActivated.connect(lambda _it: self.open_selected())
        self.open_button.clicked.connect(self.open_selected)
        self.dup_list.currentItemChanged.connect(lambda cur, _prev: self.open_button.setEnabled(cur is not None))

        # ---- bottom
        self.error.hide()
        self.save_button = self.buttons.addButton(self.tr("Save report"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Ctrl+Enter"))
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        for seq in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(seq), self, self.save)

        self.setTabOrder(self.source, self.reporter_name)
        self.setTabOrder(self.reporter_name, self.reporter_phone)
        self.setTabOrder(self.reporter_phone, self.address)
        self.setTabOrder(self.address, self.locate_button)
        self.setTabOrder(self.locate_button, self.grid_edit)
        self.setTabOrder(self.grid_edit, self.category)
        self.setTabOrder(self.category, self.description)
        if self._is_supervisor:
            self.setTabOrder(self.description, self.self_handled)
            self.setTabOrder(self.self_handled, self.photos.add_button)
        else:
            self.setTabOrder(self.description, self.photos.add_button)

        self._dup_timer = QTimer(self)
        self._dup_timer.setSingleShot(True)
        self._dup_timer.setInterval(250)
        self._dup_timer.timeout.connect(self.check_duplicates)

        if not self.sources:
            self.show_error(self.tr("Your position does not take reports."))
            self.save_button.setEnabled(False)
        self.category.load(ctx)
        self._load_grids()
        (self.address if self._is_supervisor else self.reporter_name).setFocus()

    # ================================================================ place

    def _load_grids(self) -> None:
        ctx = self.ctx

        def job():
            with ctx.session() as s:
                return load_grids(s)

        tasks.run(job, self._grids_loaded, lambda e: None, owner=self)

    def _grids_loaded(self, grids: list[GridOption]) -> None:
        self._grids = grids
        self._grid_by_id = {g.id: g for g in grids}
        self.grid_completer.model().setStringList([g.display for g in grids])

    def grid_id(self) -> int | None:
        return self._grid.id if self._grid else None

    def point(self) -> tuple[float, float] | None:
        return self._point

    def set_point(self, lon: float, lat: float) -> None:
        """A point from the map (or the geocoder): find its grid in the background."""
        self._point = (float(lon), float(lat))
        self._update_place(self.tr("Finding the grid…"))
        ctx, pt = self.ctx, self._point

        def job():
            with ctx.session() as s:
                g = locate_grid(s, pt[0], pt[1])
                if g is None:
                    return None
                region = s.scalar(select(Region.name).where(Region.id == g.region_id)) or ""
                return GridOption(g.id, g.code, g.name, region, g.center_lon, g.center_lat)

        def done(grid):
            if self._point != pt:
                return
            if grid is None:
                self._grid = None
                self.grid_edit.clear()
                self._update_place(self.tr("This point lies in no unit grid of the city."), bad=True)
            else:
                self._set_grid(grid, keep_point=True)
            self._schedule_duplicates()

        tasks.run(job, done, lambda e: self._update_place(error_message(e), bad=True), owner=self)
        self._schedule_duplicates()

    def set_grid(self, grid_id: int | None) -> None:
        """Choose a grid without a point (the case goes to the grid's centre)."""
        g = self._grid_by_id.get(grid_id) if grid_id is not None else None
        self._set_grid(g, keep_point=False)
        self._schedule_duplicates()

    def _grid_text_chosen(self, text: str) -> None:
        text = text.strip()
        if self._grid is not None and text == self._grid.display:
            return
        if not text:
            if self._grid is not None and self._point is None:
                self._set_grid(None, keep_point=False)
                self._schedule_duplicates()
            return
        code = text.split("—")[0].strip()
        matches = [g for g in self._grids if g.code == code] or [g for g in self._grids if text in g.display]
        if len(matches) == 1:
            self._set_grid(matches[0], keep_point=False)
            self._schedule_duplicates()
        else:
            self._update_place(self.tr("No single grid matches %1.").replace("%1", text), bad=True)

    def _set_grid(self, grid: GridOption | None, *, keep_point: bool) -> None:
        self._grid = grid
        if not keep_point:
            self._point = None  # a grid chosen by hand: the case goes to its centre
        self.grid_edit.setText(grid.display if grid else "")
        self._update_place()

    def _update_place(self, message: str = "", bad: bool = False) -> None:
        if message:
            text = message
        elif self._point is not None and self._grid is not None:
            text = self.tr("Point %1, %2 in grid %3 (%4)").replace("%1", f"{self._point[0]:.6f}").replace(
                "%2", f"{self._point[1]:.6f}").replace("%3", self._grid.code).replace("%4", self._grid.region)
        elif self._grid is not None:
            text = self.tr("Grid %1 (%2); no point: the case goes to the grid's centre.").replace(
                "%1", self._grid.code).replace("%2", self._grid.region)
        else:
            text = self.tr("No place yet: locate the address, click on the map or choose a grid.")
        self.place_label.setText(text)
        self.place_label.setStyleSheet("color: #c0392b;" if bad else "color: #666;")

    def locate(self) -> None:
        """Look the address up with ``gridstation.geo.geocode`` when that module exists."""
        text = self.address.text().strip()
        if not text:
            self._update_place(self.tr("Type an address first."), bad=True)
            self.address.setFocus()
            return
        try:
            geocode = importlib.import_module("gridstation.geo.geocode")
            fn = geocode.geocode
        except (ImportError, AttributeError):
            self._update_place(self.tr("Address lookup not available: click on the map or choose a grid."), bad=True)
            return
        self.locate_button.setEnabled(False)
        self._update_place(self.tr("Looking up the address…"))
        ctx = self.ctx

        def job():
            with ctx.session() as s:
                return interpret_geocode(fn(s, text))

        def done(hit):
            self.locate_button.setEnabled(True)
            if hit is None:
                self._update_place(self.tr("Address not found: click on the map or choose a grid."), bad=True)
                return
            if hit["lon"] is not None and hit["lat"] is not None:
                self.set_point(hit["lon"], hit["lat"])
            elif hit["grid_id"] is not None:
                self.set_grid(hit["grid_id"])

        def failed(exc):
            self.locate_button.setEnabled(True)
            self._update_place(error_message(exc) if isinstance(exc, GridStationError) else str(exc), bad=True)

        tasks.run(job, done, failed, owner=self)

    # ================================================================ duplicates

    def _dup_key(self):
        if self._point is not None:
            lon, lat = self._point
        elif self._grid is not None:
            lon, lat = self._grid.lon, self._grid.lat
        else:
            return None
        return (round(lon, 7), round(lat, 7), self.category.category_id())

    def _schedule_duplicates(self) -> None:
        self._dup_timer.start()

    def check_duplicates(self) -> None:
        key = self._dup_key()
        self._dup_token += 1
        if key is None:
            self._show_duplicates([], None)
            self.dup_status.setText(self.tr("Give a place to check for duplicates."))
            return
        token, wf = self._dup_token, self.ctx.workflow
        self._dup_running = True
        self.dup_status.setText(self.tr("Checking…"))

        def done(dups):
            if token != self._dup_token:
                return
            self._dup_running = False
            self._show_duplicates(dups, key)
            if self._save_after_check:
                self._save_after_check = False
                if not dups:
                    self.save()
                else:
                    self.show_error(self.tr("Possible duplicates found: open one of them, or save anyway."))
                    self.dup_list.setFocus()
                    self.dup_list.setCurrentRow(0)

        def failed(exc):
            if token != self._dup_token:
                return
            self._dup_running = False
            self._save_after_check = False
            self.dup_status.setText(error_message(exc) if isinstance(exc, GridStationError) else str(exc))

        tasks.run(lambda: wf.duplicates(key[0], key[1], key[2]), done, failed, owner=self)

    def _show_duplicates(self, dups: list, key) -> None:
        self._dups = list(dups)
        self._checked_key = key
        self.dup_list.clear()
        for d in dups:
            text = f"{d.number} · {state_label(d.state)} · {d.distance_m:.0f} m · {d.reported_at:%m-%d %H:%M}"
            if d.description:
                desc = d.description if len(d.description) <= 60 else d.description[:58] + "…"
                text += "\n" + desc
            it = QListWidgetItem(text)
            it.setData(Qt.ItemDataRole.UserRole, d.case_id)
            it.setToolTip(d.description)
            self.dup_list.addItem(it)
        if dups:
            self.dup_list.setCurrentRow(0)
        if key is not None:
            self.dup_status.setText(self.tr("Possible duplicates: %1").replace("%1", str(len(dups))) if dups
                                    else self.tr("No similar case nearby."))
        self.save_button.setText(self.tr("Save anyway") if dups else self.tr("Save report"))
        self.duplicatesChanged.emit(self._dups)

    def duplicates(self) -> list:
        return list(self._dups)

    def open_selected(self) -> None:
        it = self.dup_list.currentItem()
        if it is None:
            return
        self.openCase.emit(int(it.data(Qt.ItemDataRole.UserRole)))
        self.reject()

    # ================================================================ saving

    def show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def problems(self) -> list[tuple[QWidget, str]]:
        bad = []
        if not self.sources:
            bad.append((self.source, self.tr("Your position does not take reports.")))
        if self._point is None and self._grid is None:
            bad.append((self.grid_edit, self.tr("Give the place: locate the address, click on the map or choose a grid")))
        if not self.description.toPlainText().strip():
            bad.append((self.description, self.tr("A description is required")))
        if self.category.category_id() is None and self.category.edit.text().strip():
            bad.append((self.category, self.tr("Choose the category from the list (or leave it empty)")))
        if self.photos.is_loading():
            bad.append((self.photos, self.tr("Wait until the photos are read")))
        bad += length_problem(self.description, self.tr("Description"))
        bad += length_problem(self.address, self.tr("Address"))
        bad += length_problem(self.reporter_name, self.tr("Reporter"))
        bad += length_problem(self.reporter_phone, self.tr("phone"))
        return bad

    def save(self) -> None:
        if self._busy:
            return
        bad = self.problems()
        if bad:
            self.show_error("\n".join(m for _, m in bad))
            bad[0][0].setFocus()
            return
        self.show_error("")
        if self._dup_running or self._dup_key() != self._checked_key:
            self._save_after_check = True  # check first; saves when nothing similar is found
            self._dup_timer.stop()
            self.check_duplicates()
            return
        self._set_busy(True)
        wf, actor = self.ctx.workflow, self.ctx.actor
        kwargs = {
            "source": self.source.currentData(),
            "description": self.description.toPlainText().strip(),
            "address": self.address.text().strip(),
            "category_id": self.category.category_id(),
            "reporter_name": self.reporter_name.text().strip(),
            "reporter_phone": self.reporter_phone.text().strip(),
            "self_handled": self._is_supervisor and self.self_handled.isChecked(),
            "photos": self.photos.photos(),
            "submission_id": self.submission_id,
        }
        if self._point is not None:
            kwargs.update(lon=self._point[0], lat=self._point[1])
        if self._grid is not None:
            kwargs["grid_id"] = self._grid.id
        tasks.run(lambda: wf.report(actor, **kwargs), self._saved, self._save_failed, owner=self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.save_button.setEnabled(not busy)
        if busy:
            self.save_button.setText(self.tr("Saving…"))
        else:
            self.save_button.setText(self.tr("Save anyway") if self._dups else self.tr("Save report"))

    def saved_message(self, result) -> str:
        """What happened, in the user's words (a lost reply that the retry found saved included)."""
        if getattr(result, "replayed", False):
            return self.tr("Saved as %1. The connection broke while saving; GridStation checked: "
                           "the report was saved once.").replace("%1", result.number)
        return self.tr("Saved as %1.").replace("%1", result.number)

    def _saved(self, result) -> None:
        self._set_busy(False)
        self.last_message = self.saved_message(result)
        window = self.parent().window() if self.parent() is not None else None
        if window is not None and hasattr(window, "statusBar"):
            window.statusBar().showMessage(self.last_message, 15000)
        if getattr(result, "replayed", False):
            QMessageBox.information(self, self.tr("Report saved"), self.last_message)
        self.reported.emit(result.case_id)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        text = error_message(exc) if isinstance(exc, GridStationError) else \
            self.tr("Unexpected error: %1").replace("%1", str(exc))
        self.show_error(text)
        if getattr(exc, "saved_unknown", False):
            QMessageBox.warning(self, self.tr("Maybe saved"), text)
        else:
            QMessageBox.warning(self, self.tr("The report was not saved"), text)

    def reject(self) -> None:
        if self._busy:
            return
        super().reject()
