"""首次配置向导: the guided first start of a real center (not the demo).

Profile → levels → boundary files → grids → catalogue → departments → users → calendar, each
step calling the same core functions as the command line (``admin.profiles``,
``admin.region_setup``, ``importers.regions``, ``importers.grids``, ``admin.catalogue_excel``,
``admin.org_excel``). Where the center stands is read from the database
(``gridstation.admin.setup.status``), so the wizard opens at the first step not done and can be
left and resumed at any time, on any workstation. Database work runs in the background.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from gridstation.admin import setup as core
from gridstation.app import tasks
from gridstation.app.i18n import error_message

STEP_IDS = {k: i for i, k in enumerate(core.STEPS)}


def in_python_thread(fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` run in a Python thread of its own (inside the pooled job).

    PROJ (through pyproj 3.7) keeps a context per Python thread; a pooled Qt thread gets a new
    Python thread state per job, and a second coordinate transformation in a reused pool thread
    crashed the process in ``proj_create`` (seen in tests/test_setup_wizard.py). A plain
    ``threading.Thread`` per GIS job avoids it."""

    def job():
        box: dict = {}

        def target():
            try:
                box["result"] = fn()
            except BaseException as e:  # noqa: BLE001 - re-raised in the pooled job
                box["error"] = e

        t = threading.Thread(target=target, name="gis-import")
        t.start()
        t.join()
        if "error" in box:
            raise box["error"]
        return box.get("result")

    return job


def _problems_text(exc: BaseException) -> str:
    problems = getattr(exc, "problems", None)
    if problems:
        return "\n".join(str(p) for p in problems)
    return error_message(exc)


class StepPage(QWizardPage):
    """A step: its state comes from ``SetupStatus``; its actions run in the background and
    end with the wizard re-reading the status."""

    step = ""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.ctx = wizard.ctx
        self.lay = QVBoxLayout(self)
        self.state = QLabel()
        self.state.setObjectName(f"SetupState_{self.step}")
        self.state.setWordWrap(True)
        self.output = QPlainTextEdit()
        self.output.setObjectName(f"SetupOutput_{self.step}")
        self.output.setReadOnly(True)
        self.output.setMaximumHeight(180)

    def finish_layout(self) -> None:
        self.lay.addWidget(self.state)
        self.lay.addWidget(self.output)

    def isComplete(self) -> bool:
        st = self.wiz.status
        return bool(st and st.done.get(self.step))

    def show_status(self, st: core.SetupStatus) -> None:
        self.state.setText(self.describe(st))
        self.completeChanged.emit()

    def describe(self, st: core.SetupStatus) -> str:
        return ""

    def work(self, fn: Callable[[], object], done: Callable[[object], None] | None = None) -> None:
        self.output.setPlainText(self.tr("Working…"))

        def ok(result):
            if done is not None:
                done(result)
            self.wiz.refresh()

        def bad(exc):
            self.output.setPlainText(_problems_text(exc))
            self.wiz.refresh()

        self.wiz.run(fn, ok, bad)

    @property
    def login(self) -> str:
        return self.ctx.actor.login


def _file_row(page: StepPage, name: str, filt: str) -> tuple[QLineEdit, QWidget]:
    edit = QLineEdit()
    edit.setObjectName(name)
    browse = QPushButton(QCoreApplication.translate("SetupWizard", "Choose…"))
    browse.clicked.connect(lambda: _browse(page, edit, filt))
    row = QWidget()
    h = QHBoxLayout(row)
    h.setContentsMargins(0, 0, 0, 0)
    h.addWidget(edit, 1)
    h.addWidget(browse)
    return edit, row


def _browse(page: QWidget, edit: QLineEdit, filt: str) -> None:
    path, _ = QFileDialog.getOpenFileName(page, QCoreApplication.translate("SetupWizard", "Choose a file"),
                                          edit.text(), filt)
    if path:
        edit.setText(path)


GIS_FILTER = "GIS (*.shp *.geojson *.json)"
XLSX_FILTER = "Excel (*.xlsx)"


class ProfilePage(StepPage):
    step = "profile"

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Profile: the shape of the center"))
        self.setSubTitle(self.tr("Choose the profile closest to your city: its levels and its workflow rules. "
                                 "Both can be changed later in the administration."))
        self.profiles = QListWidget()
        self.profiles.setObjectName("SetupProfiles")
        self.description = QLabel()
        self.description.setWordWrap(True)
        self.apply_button = QPushButton(self.tr("Apply this profile"))
        self.apply_button.setObjectName("SetupApplyProfile")
        self.keep_button = QPushButton(self.tr("Keep the rules in force"))
        self.apply_button.clicked.connect(self.apply)
        self.keep_button.clicked.connect(lambda: self.work(lambda: core.mark(self.ctx.engine, self.ctx.actor, "profile")))
        self.profiles.currentRowChanged.connect(self._chosen)
        self.lay.addWidget(self.profiles, 1)
        self.lay.addWidget(self.description)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.keep_button)
        row.addWidget(self.apply_button)
        self.lay.addLayout(row)
        self.finish_layout()
        self._list: list = []

    def load_profiles(self, profiles) -> None:
        self._list = profiles
        self.profiles.clear()
        for p in profiles:
            it = QListWidgetItem(f"{p.title}  [{' → '.join(lv.name for lv in p.levels)}]")
            it.setData(Qt.ItemDataRole.UserRole, p.name)
            self.profiles.addItem(it)

    def select(self, name: str) -> None:
        for i in range(self.profiles.count()):
            if self.profiles.item(i).data(Qt.ItemDataRole.UserRole) == name:
                self.profiles.setCurrentRow(i)

    def _chosen(self, row: int) -> None:
        if 0 <= row < len(self._list):
            self.description.setText(self._list[row].description)

    def apply(self) -> None:
        row = self.profiles.currentRow()
        if row < 0:
            return
        name = self._list[row].name
        engine, actor, login = self.ctx.engine, self.ctx.actor, self.login

        def job():
            from gridstation.admin import profiles

            plan = profiles.apply(engine, name, as_login=login)
            core.mark(engine, actor, "profile")
            return plan

        self.work(job, lambda plan: self.output.setPlainText("\n".join(plan.lines())))

    def describe(self, st) -> str:
        if st.done["profile"]:
            return self.tr("Rules in force: %1.").replace("%1", st.profile or "—")
        return self.tr("No profile chosen yet (the rules in force: %1).").replace("%1", st.profile or "—")


class LevelsPage(StepPage):
    step = "levels"

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Region levels"))
        self.setSubTitle(self.tr("One level per line, top first: KEY=NAME (2 to 6 levels). Unit grids hang under "
                                 "the last level."))
        self.levels = QPlainTextEdit()
        self.levels.setObjectName("SetupLevels")
        save = QPushButton(self.tr("Save levels"))
        save.setObjectName("SetupSaveLevels")
        save.clicked.connect(self.save)
        self.lay.addWidget(self.levels, 1)
        self.lay.addWidget(save, 0, Qt.AlignmentFlag.AlignRight)
        self.finish_layout()

    def show_status(self, st) -> None:
        if not self.levels.toPlainText().strip():
            self.levels.setPlainText("\n".join(f"{k}={n}" for k, n, _c in st.levels))
        super().show_status(st)

    def save(self) -> None:
        lines = [x.strip() for x in self.levels.toPlainText().splitlines() if x.strip()]
        engine, login = self.ctx.engine, self.login

        def job():
            from gridstation.admin.profiles import operator_tx
            from gridstation.admin.region_setup import parse_levels, set_levels

            with operator_tx(engine, login) as tx:
                return set_levels(tx, parse_levels(lines))

        self.work(job, lambda out: self.output.setPlainText("\n".join(out) or self.tr("Nothing changed.")))

    def describe(self, st) -> str:
        return " → ".join(f"{n} ({k})" for k, n, _c in st.levels) or self.tr("No levels yet.")


class BoundariesPage(StepPage):
    step = "boundaries"

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Boundaries"))
        self.setSubTitle(self.tr("Type in the top node (e.g. the city) and import each level's boundary file "
                                 "(Shapefile or GeoJSON, any coordinate system, GBK or UTF-8). A file with gaps, "
                                 "overlaps or unknown parents is refused whole."))
        self.table = QTableWidget(0, 2)
        self.table.setObjectName("SetupLevelTable")
        self.table.setHorizontalHeaderLabels([self.tr("Level"), self.tr("Regions")])
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().hide()
        form = QFormLayout()
        self.top_code, self.top_name = QLineEdit(), QLineEdit()
        self.top_code.setObjectName("SetupTopCode")
        self.top_name.setObjectName("SetupTopName")
        add = QPushButton(self.tr("Add the top node"))
        add.setObjectName("SetupAddTop")
        add.clicked.connect(self.add_top)
        top = QHBoxLayout()
        top.addWidget(self.top_code)
        top.addWidget(self.top_name, 1)
        top.addWidget(add)
        form.addRow(self.tr("Top node (code, name)"), top)
        self.file, file_row = _file_row(self, "SetupBoundaryFile", GIS_FILTER)
        form.addRow(self.tr("Boundary file"), file_row)
        self.level = QLineEdit()
        self.level.setObjectName("SetupBoundaryLevel")
        self.mapping = QLineEdit()
        self.mapping.setObjectName("SetupBoundaryMap")
        self.mapping.setPlaceholderText("code=XZQDM,name=XZQMC,parent=SJDM")
        self.crs = QLineEdit()
        self.crs.setPlaceholderText(self.tr("from the .prj (e.g. EPSG:4547)"))
        self.parent_code = QLineEdit()
        self.parent_code.setObjectName("SetupBoundaryParent")
        self.parent_code.setPlaceholderText(self.tr("by the parent field, else by containment"))
        form.addRow(self.tr("Level key"), self.level)
        form.addRow(self.tr("Field mapping"), self.mapping)
        form.addRow(self.tr("Parent (code) of every feature"), self.parent_code)
        form.addRow(self.tr("Coordinate system"), self.crs)
        imp = QPushButton(self.tr("Import the boundaries"))
        imp.setObjectName("SetupImportBoundaries")
        imp.clicked.connect(self.import_file)
        self.lay.addWidget(self.table, 1)
        self.lay.addLayout(form)
        self.lay.addWidget(imp, 0, Qt.AlignmentFlag.AlignRight)
        self.finish_layout()

    def show_status(self, st) -> None:
        self.table.setRowCount(len(st.levels))
        for r, (key, name, count) in enumerate(st.levels):
            self.table.setItem(r, 0, QTableWidgetItem(f"{name} ({key})"))
            self.table.setItem(r, 1, QTableWidgetItem(str(count)))
        nxt = next((k for k, _n, c in st.levels[1:] if c == 0), "")
        if nxt and not self.level.text():
            self.level.setText(nxt)
        super().show_status(st)

    def add_top(self) -> None:
        engine, login = self.ctx.engine, self.login
        code, name = self.top_code.text().strip(), self.top_name.text().strip()
        level = self.wiz.status.levels[0][0] if self.wiz.status and self.wiz.status.levels else ""

        def job():
            from gridstation.admin.profiles import operator_tx
            from gridstation.admin.region_setup import add_region

            with operator_tx(engine, login) as tx:
                return add_region(tx, code=code, name=name, level=level)

        self.work(job, lambda rid: self.output.setPlainText(self.tr("Added %1 %2.").replace("%1", code).replace("%2", name)))

    def import_file(self) -> None:
        engine, path, level = self.ctx.engine, self.file.text().strip(), self.level.text().strip()
        mapping, crs = self.mapping.text().strip() or None, self.crs.text().strip() or None
        parent, uid = self.parent_code.text().strip() or None, self.ctx.actor.id

        def job():
            from gridstation.importers.regions import import_regions

            return import_regions(engine, path, level=level, mapping=mapping, crs=crs, parent_code=parent, user_id=uid)

        def done(rep):
            self.output.setPlainText(rep.text())
            for edit in (self.file, self.level, self.mapping, self.parent_code):
                edit.clear()

        self.work(in_python_thread(job), done)

    def describe(self, st) -> str:
        missing = [n for _k, n, c in st.levels if c == 0]
        return self.tr("Still without regions: %1").replace("%1", "、".join(missing)) if missing else \
            self.tr("Every level has its regions.")


class GridsPage(StepPage):
    step = "grids"

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Unit grids"))
        self.setSubTitle(self.tr("Import the grid layer; each grid is checked against its community's boundary."))
        form = QFormLayout()
        self.file, row = _file_row(self, "SetupGridFile", GIS_FILTER)
        self.mapping = QLineEdit()
        self.mapping.setPlaceholderText("code=WGBM,name=WGMC,community=SQBM")
        form.addRow(self.tr("Grid file"), row)
        form.addRow(self.tr("Field mapping"), self.mapping)
        imp = QPushButton(self.tr("Import the grids"))
        imp.setObjectName("SetupImportGrids")
        imp.clicked.connect(self.import_file)
        self.lay.addLayout(form)
        self.lay.addWidget(imp, 0, Qt.AlignmentFlag.AlignRight)
        self.lay.addStretch(1)
        self.finish_layout()

    def import_file(self) -> None:
        engine, path, mapping, uid = self.ctx.engine, self.file.text().strip(), self.mapping.text().strip() or None, \
            self.ctx.actor.id

        def job():
            from gridstation.importers.grids import import_grids

            return import_grids(engine, path, mapping=mapping, user_id=uid)

        self.work(in_python_thread(job), lambda rep: self.output.setPlainText(rep.text()))

    def describe(self, st) -> str:
        return self.tr("%1 current unit grids.").replace("%1", str(st.grids))


class PreviewApplyPage(StepPage):
    """A workbook: preview what it would change, then apply exactly that."""

    def __init__(self, wizard, object_name: str) -> None:
        super().__init__(wizard)
        form = QFormLayout()
        self.file, row = _file_row(self, object_name, XLSX_FILTER)
        form.addRow(self.tr("Workbook"), row)
        self.preview_button = QPushButton(self.tr("Preview"))
        self.preview_button.setObjectName(f"{object_name}Preview")
        self.apply_button = QPushButton(self.tr("Apply"))
        self.apply_button.setObjectName(f"{object_name}Apply")
        self.apply_button.setEnabled(False)
        self.preview_button.clicked.connect(self.preview)
        self.apply_button.clicked.connect(self.apply)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.apply_button)
        self.lay.addLayout(form)
        self.lay.addLayout(buttons)
        self.diff = None

    def preview(self) -> None:
        engine, path = self.ctx.engine, self.file.text().strip()
        self.apply_button.setEnabled(False)

        def done(diff):
            self.diff = diff
            self.output.setPlainText(self.diff_text(diff))
            self.apply_button.setEnabled(not diff.is_empty)

        self.work(lambda: self.do_preview(engine, path), done)

    def apply(self) -> None:
        engine, actor, diff = self.ctx.engine, self.ctx.actor, self.diff
        self.apply_button.setEnabled(False)
        self.work(lambda: self.do_apply(engine, actor, diff), self.applied)

    def applied(self, result) -> None:
        self.output.setPlainText(self.tr("Applied."))


class CatalogueStep(PreviewApplyPage):
    step = "catalogue"

    def __init__(self, wizard) -> None:
        super().__init__(wizard, "SetupCatalogue")
        self.setTitle(self.tr("Case categories"))
        self.setSubTitle(self.tr("The catalogue sheet (案件类别) with each category's department and time limits."))
        self.lay.addStretch(1)
        self.finish_layout()

    def do_preview(self, engine, path):
        from gridstation.admin.catalogue_excel import preview_import

        return preview_import(engine, path)

    def do_apply(self, engine, actor, diff):
        from gridstation.admin.catalogue_excel import apply_import

        return apply_import(engine, actor, diff)

    def diff_text(self, diff) -> str:
        return ", ".join(f"{k} {v}" for k, v in diff.summary().items())

    def describe(self, st) -> str:
        return self.tr("%1 current categories.").replace("%1", str(st.categories))


class OrgPage(PreviewApplyPage):
    """Departments, or users: the same workbook import (sheets 部门 and 用户)."""

    def __init__(self, wizard, step: str) -> None:
        self.step = step
        super().__init__(wizard, f"Setup_{step}")
        if step == "departments":
            self.setTitle(self.tr("Departments"))
            self.setSubTitle(self.tr("The departments list (a sheet 部门): code, name, level, parent, region."))
        else:
            self.setTitle(self.tr("Users"))
            self.setSubTitle(self.tr("The staff list (a sheet 用户): login, name, position, region, department. New "
                                     "accounts get temporary passwords, shown here once."))
        self.passwords = QTableWidget(0, 2)
        self.passwords.setObjectName(f"SetupPasswords_{step}")
        self.passwords.setHorizontalHeaderLabels([self.tr("Login"), self.tr("Temporary password")])
        self.passwords.horizontalHeader().setStretchLastSection(True)
        self.lay.addWidget(self.passwords, 1)
        self.finish_layout()

    def do_preview(self, engine, path):
        from gridstation.admin.org_excel import preview_import

        return preview_import(engine, path)

    def do_apply(self, engine, actor, diff):
        from gridstation.admin.org_excel import apply_import

        return apply_import(engine, actor, diff)

    def diff_text(self, diff) -> str:
        return "\n".join(diff.lines())

    def applied(self, result) -> None:
        super().applied(result)
        self.passwords.setRowCount(len(result.passwords))
        for r, (login, pw) in enumerate(result.passwords):
            self.passwords.setItem(r, 0, QTableWidgetItem(login))
            self.passwords.setItem(r, 1, QTableWidgetItem(pw))

    def describe(self, st) -> str:
        if self.step == "departments":
            return self.tr("%1 active departments.").replace("%1", str(st.departments))
        return self.tr("%1 accounts besides the administrators.").replace("%1", str(st.users))


class CalendarStep(StepPage):
    step = "calendar"

    def __init__(self, wizard) -> None:
        super().__init__(wizard)
        self.setTitle(self.tr("Working calendar"))
        self.setSubTitle(self.tr("Time limits count working time: check the working hours and this year's makeup "
                                 "working days (调休) in the administration's working calendar, then confirm."))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.ok_button = QPushButton(self.tr("The calendar is right"))
        self.ok_button.setObjectName("SetupCalendarOk")
        self.ok_button.clicked.connect(lambda: self.work(lambda: core.mark(self.ctx.engine, self.ctx.actor, "calendar")))
        self.lay.addWidget(self.summary)
        self.lay.addWidget(self.ok_button, 0, Qt.AlignmentFlag.AlignRight)
        self.lay.addStretch(1)
        self.finish_layout()

    def show_status(self, st) -> None:
        super().show_status(st)
        self.wiz.run(self._read, lambda text: self.summary.setText(text), lambda e: None)

    def _read(self) -> str:
        from gridstation.admin import calendar as cal

        with self.ctx.session() as s:
            hours = ", ".join(f"{a}–{b}" for a, b in cal.work_hours(s))
            n = len(cal.overrides(s, self.ctx.now().year))
        return self.tr("Working hours: %1. Overrides this year: %2.").replace("%1", hours).replace("%2", str(n))

    def describe(self, st) -> str:
        return self.tr("Confirmed.") if st.calendar_checked else ""


class SetupWizard(QWizard):
    """``SetupWizard(ctx)``: opens at the first step not done (``status``)."""

    refreshed = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.status: core.SetupStatus | None = None
        self._busy = 0
        self.setObjectName("SetupWizard")
        self.setWindowTitle(self.tr("First start of a center"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.pages: dict[str, StepPage] = {}
        for key, page in (("profile", ProfilePage(self)), ("levels", LevelsPage(self)),
                          ("boundaries", BoundariesPage(self)), ("grids", GridsPage(self)),
                          ("catalogue", CatalogueStep(self)), ("departments", OrgPage(self, "departments")),
                          ("users", OrgPage(self, "users")), ("calendar", CalendarStep(self))):
            self.pages[key] = page
            self.setPage(STEP_IDS[key], page)
        self.resize(980, 720)
        self.run(self._profiles, self.pages["profile"].load_profiles)
        self._first = True
        self.refresh()

    @staticmethod
    def _profiles():
        from gridstation.admin.profiles import available

        return available()

    def run(self, fn, done, failed=None) -> None:
        self._busy += 1

        def ok(result):
            try:
                done(result)
            finally:
                self._busy -= 1

        def bad(exc):
            try:
                (failed or (lambda e: None))(exc)
            finally:
                self._busy -= 1

        tasks.run(fn, ok, bad, owner=self)

    def is_idle(self) -> bool:
        return self._busy == 0

    def refresh(self) -> None:
        engine = self.ctx.engine
        self.run(lambda: core.read_status(engine), self._status)

    def _status(self, st: core.SetupStatus) -> None:
        self.status = st
        for page in self.pages.values():
            page.show_status(st)
        if self._first:
            self._first = False
            first = st.first_open()
            if first is not None and first != "profile":
                self.setStartId(STEP_IDS[first])
                self.restart()
        self.refreshed.emit()

    def current_step(self) -> str:
        return core.STEPS[self.currentId()] if self.currentId() >= 0 else ""


def open_setup(ctx, parent: QWidget | None = None) -> SetupWizard:
    w = SetupWizard(ctx, parent)
    w.show()
    return w


__all__ = ["SetupWizard", "open_setup"]
