"""The dispatcher's main window: the live map in the middle, queues and the case in docks.

Data flows one way: a user action → a core command → commit → the change hub wakes every
client (this one too) → the queues, the case pane and the map update in place from
``change_log``. Nothing is updated twice by two routes.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QCoreApplication, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStyle,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from gridstation.geo import mapdata
from gridstation.store import settings
from gridstation.store.model import Position
from gridstation.app import tasks
from gridstation.app.context import AppContext
from gridstation.app.i18n import light_label, position_label
from gridstation.app.live import ChangeHub

LAYOUT_VERSION = 3  # bump when docks change: old saved states are then ignored
REPORTERS = (Position.INTAKE_OPERATOR, Position.SUPERVISOR)


class Banner(QLabel):
    """The connection banner over the map: says what happened and that the client is on it."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("ConnectionBanner")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hide()
        self._hide_timer = QTimer(self)
        self._hide_timer.setSingleShot(True)
        self._hide_timer.timeout.connect(self.hide)

    def show_lost(self, since: str) -> None:
        self._hide_timer.stop()
        self.setProperty("state", "lost")
        self.setText(QCoreApplication.translate("MainWindow", "Connection to the database lost at %1. Showing the last known data; "
                                      "reconnecting automatically… Actions cannot be saved until it is back.")
                     .replace("%1", since))
        self._restyle()
        self.show()

    def show_restored(self) -> None:
        self.setProperty("state", "ok")
        self.setText(QCoreApplication.translate("MainWindow", "Connection restored; everything has been refreshed."))
        self._restyle()
        self.show()
        self._hide_timer.start(4000)

    def _restyle(self) -> None:
        self.style().unpolish(self)
        self.style().polish(self)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent=None, *, live: bool = True) -> None:
        super().__init__(parent)
        from gridstation.app.cases.case_pane import CasePane
        from gridstation.app.geo.mapview import MapView
        from gridstation.app.cases.queue_pane import QueuePane

        self.ctx = ctx
        self.setObjectName("MainWindow")
        self.setWindowTitle(self.tr("GridStation — %1 (%2)").replace("%1", ctx.actor.name)
                            .replace("%2", position_label(ctx.actor.position.value)))
        self.setDockOptions(QMainWindow.DockOption.AnimatedDocks | QMainWindow.DockOption.AllowTabbedDocks)

        # centre: banner over the map (the web view stays the central widget, never a dock)
        self.banner = Banner()
        self.map = MapView()
        central = QWidget()
        lay = QVBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.banner)
        lay.addWidget(self.map, 1)
        self.setCentralWidget(central)

        self.queues = QueuePane(ctx)
        self.case_pane = CasePane(ctx)
        self.queue_dock = self._dock("QueueDock", self.tr("Case queues"), self.queues, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.case_dock = self._dock("CaseDock", self.tr("Case"), self.case_pane, Qt.DockWidgetArea.RightDockWidgetArea)

        self._build_actions()
        self._build_status()

        # wiring: views follow each other through signals
        self.queues.caseActivated.connect(self.open_case)
        self.queues.currentCaseChanged.connect(self._queue_selection)
        self.map.caseClicked.connect(self.open_case)
        self.map.gridClicked.connect(self.queues.set_grid_filter)
        self.map.pointClicked.connect(self._map_point)
        self.case_pane.showOnMap.connect(lambda lon, lat: self.map.focus_case(self.case_pane.case_id() or 0, lon, lat))
        self.case_pane.actionDone.connect(self._after_action)
        self._intake = None
        self._admin = None

        self.hub = ChangeHub(ctx, self)
        self.hub.changed.connect(self.on_changes)
        self.hub.connection_lost.connect(self._lost)
        self.hub.connection_restored.connect(self._restored)
        self.hub.refresh_all.connect(self.refresh_all)

        self.resize(1600, 960)
        # The map in the middle gets most of the width; the queue and the case take what a
        # dispatcher needs to read them without scrolling sideways.
        self.resizeDocks([self.queue_dock, self.case_dock], [560, 430], Qt.Orientation.Horizontal)
        self._default_state = self.saveState(LAYOUT_VERSION)
        self.restore_layout()
        self._load_map()
        if live:
            self.hub.start()
        self.queues.refresh_all()

    # ---- construction

    def _dock(self, name: str, title: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _build_actions(self) -> None:
        tb = QToolBar(self.tr("Main toolbar"), self)
        tb.setObjectName("MainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(tb)
        st = self.style()

        self.act_report = QAction(st.standardIcon(QStyle.StandardPixmap.SP_FileDialogNewFolder), self.tr("New report"), self)
        self.act_report.setShortcut(QKeySequence("F2"))
        self.act_report.setToolTip(self.tr("Take a new report (F2)"))
        self.act_report.triggered.connect(self.new_report)
        self.act_report.setEnabled(self.ctx.actor.position in REPORTERS)

        self.act_refresh = QAction(st.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), self.tr("Refresh"), self)
        self.act_refresh.setShortcut(QKeySequence("F5"))
        self.act_refresh.triggered.connect(self.refresh_all)

        self.act_focus_queue = QAction(self.tr("Go to queue"), self)
        self.act_focus_queue.setShortcut(QKeySequence("F6"))
        self.act_focus_queue.triggered.connect(lambda: (self.queue_dock.show(), self.queues.setFocus()))
        self.act_focus_case = QAction(self.tr("Go to case"), self)
        self.act_focus_case.setShortcut(QKeySequence("F7"))
        self.act_focus_case.triggered.connect(lambda: (self.case_dock.show(), self.case_pane.setFocus()))

        self.act_reset_layout = QAction(self.tr("Reset layout"), self)
        self.act_reset_layout.triggered.connect(self.reset_layout)
        self.act_quit = QAction(self.tr("Quit"), self)
        self.act_quit.setShortcut(QKeySequence.StandardKey.Quit)
        self.act_quit.triggered.connect(self.close)

        self.act_analytics = QAction(st.standardIcon(QStyle.StandardPixmap.SP_FileDialogDetailedView),
                                     self.tr("Analytics"), self)
        self.act_analytics.setToolTip(self.tr("Drill-down, evaluation and charts"))
        self.act_analytics.triggered.connect(self.open_analytics)

        for a in (self.act_report, self.act_refresh, self.act_analytics):
            tb.addAction(a)

        m = self.menuBar()
        file_menu = m.addMenu(self.tr("&File"))
        file_menu.addAction(self.act_report)
        self.act_weekly = QAction(self.tr("Weekly review…"), self)
        self.act_weekly.triggered.connect(self.weekly_review)
        file_menu.addAction(self.act_weekly)
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        view = m.addMenu(self.tr("&View"))
        view.addAction(self.queue_dock.toggleViewAction())
        view.addAction(self.case_dock.toggleViewAction())
        view.addAction(self.act_analytics)
        self.act_wall = QAction(self.tr("Wall display…"), self)
        self.act_wall.setObjectName("WallAction")
        self.act_wall.setToolTip(self.tr("Start the command hall's big screen on a screen of this workstation"))
        self.act_wall.triggered.connect(self.open_wall)
        view.addAction(self.act_wall)
        view.addSeparator()
        for a in (self.act_refresh, self.act_focus_queue, self.act_focus_case, self.act_reset_layout):
            view.addAction(a)
        lang = view.addMenu(self.tr("Language"))
        for code, label in (("zh_CN", "中文"), ("en", "English")):
            act = lang.addAction(label)
            act.triggered.connect(lambda _=False, c=code: self._set_language(c))
        if self.ctx.actor.position is Position.ADMIN:
            self.act_admin = QAction(self.tr("Administration…"), self)
            self.act_admin.setObjectName("AdminAction")
            self.act_admin.triggered.connect(self.open_admin)
            tools = m.addMenu(self.tr("&Tools"))
            tools.addAction(self.act_admin)
        for a in (self.act_focus_queue, self.act_focus_case):
            self.addAction(a)

    def _build_status(self) -> None:
        a = self.ctx.actor
        self.status_user = QLabel(f"{a.name} · {position_label(a.position.value)}")
        backend = self.ctx.engine.url
        where = backend.database if backend.get_backend_name() == "sqlite" else f"{backend.host}:{backend.port or 5432}/{backend.database}"
        self.status_db = QLabel(("SQLite " if backend.get_backend_name() == "sqlite" else "PostgreSQL ") + str(where))
        self.status_live = QLabel(self.tr("● live"))
        self.status_live.setObjectName("LiveIndicator")
        sb = self.statusBar()
        sb.addWidget(self.status_user)
        sb.addPermanentWidget(self.status_db)
        sb.addPermanentWidget(self.status_live)

    # ---- layout

    def restore_layout(self) -> None:
        s = QSettings()
        geom = s.value("window/geometry")
        if isinstance(geom, QByteArray) and self.restoreGeometry(geom):
            self._clamp_to_screens()
        else:
            self.resize(1600, 960)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state, LAYOUT_VERSION)  # a state of another version is refused

    def _clamp_to_screens(self) -> None:
        """A window saved on a screen that is gone comes back onto one that exists."""
        frame = self.frameGeometry()
        if any(sc.availableGeometry().intersects(frame) for sc in QGuiApplication.screens()):
            return
        primary = QGuiApplication.primaryScreen().availableGeometry()
        self.resize(min(frame.width(), primary.width()), min(frame.height(), primary.height()))
        self.move(primary.topLeft())

    def save_layout(self) -> None:
        s = QSettings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState(LAYOUT_VERSION))

    def reset_layout(self) -> None:
        self.restoreState(self._default_state, LAYOUT_VERSION)
        self.queue_dock.show()
        self.case_dock.show()
        QSettings().remove("window/state")

    def closeEvent(self, ev) -> None:
        self.save_layout()
        self.hub.stop()
        super().closeEvent(ev)

    def _set_language(self, code: str) -> None:
        QSettings().setValue("ui/language", code)
        QMessageBox.information(self, self.tr("Language"), self.tr("The language changes the next time GridStation starts."))

    # ---- the map

    def _load_map(self) -> None:
        ctx = self.ctx

        def work():
            with ctx.session() as s:
                return (mapdata.grid_features(s), mapdata.region_outlines(s), mapdata.city_bounds(s),
                        mapdata.grid_stats(s, now=ctx.now()), mapdata.case_points(s, now=ctx.now()),
                        settings.get(s, "map_base"), mapdata.component_points(s))

        def done(res):
            grids, outlines, bounds, stats, points, base, components = res
            legend = {k: light_label(k) for k in ("green", "yellow", "red", "parked")}
            self.map.load_city(grids, outlines, bounds, base_map=base, legend=legend)
            self.map.set_grid_stats(stats, replace=True)
            self.map.upsert_cases(points)
            self.map.set_components(components)  # the layer is off until switched on

        tasks.run(work, done, self._report_error, owner=self)

    def _update_map_for(self, case_ids: list[int]) -> None:
        ctx = self.ctx

        def work():
            with ctx.session() as s:
                return mapdata.case_updates(s, now=ctx.now(), ids=case_ids)

        def done(res):
            pts, stats = res
            self.map.upsert_cases(pts)
            self.map.set_grid_stats(stats)

        tasks.run(work, done, self._report_error, owner=self)

    # ---- live changes

    def on_changes(self, changes: list) -> None:
        case_ids = sorted({c.entity_id for c in changes if c.entity == "case" and c.entity_id is not None})
        self.queues.on_changes(changes)
        self.case_pane.on_changes(changes)
        if case_ids:
            self._update_map_for(case_ids)
        if any(c.entity in ("demo", "import") for c in changes):
            self.refresh_all()  # a rebuilt city or an imported layer: everything may differ
        if any(c.entity == "calendar" for c in changes):
            self.ctx.workflow.reload_calendar()
        if any(c.entity == "rules" for c in changes):
            # the workflow rules changed (流程配置): the open case's buttons may differ
            self.ctx.workflow.reload_rules()
            if self.case_pane.case_id():
                self.case_pane.reload()
        if any(c.entity in ("category", "department") for c in changes):
            if self.case_pane.case_id():
                self.case_pane.reload()  # category, conditions, department names
            if self._intake is not None and self._intake.isVisible():
                self._intake.category.load(self.ctx)  # pickers: retired ones leave, new ones appear

    def refresh_all(self) -> None:
        self.queues.refresh_all()
        if self.case_pane.case_id():
            self.case_pane.reload()
        self._refresh_map_stats()

    def _refresh_map_stats(self) -> None:
        ctx = self.ctx

        def work():
            with ctx.session() as s:
                return mapdata.grid_stats(s, now=ctx.now()), mapdata.case_points(s, now=ctx.now())

        def done(res):
            stats, points = res
            self.map.set_grid_stats(stats, replace=True)
            self.map.upsert_cases(points)

        tasks.run(work, done, self._report_error, owner=self)

    def _lost(self, why: str) -> None:
        from datetime import datetime

        self.banner.show_lost(datetime.now().strftime("%H:%M:%S"))
        self.status_live.setText(self.tr("● offline"))
        self.status_live.setProperty("state", "lost")
        self.status_live.style().unpolish(self.status_live)
        self.status_live.style().polish(self.status_live)

    def _restored(self) -> None:
        self.banner.show_restored()
        self.status_live.setText(self.tr("● live"))
        self.status_live.setProperty("state", "ok")
        self.status_live.style().unpolish(self.status_live)
        self.status_live.style().polish(self.status_live)

    # ---- navigation

    def open_case(self, case_id: int) -> None:
        self.case_dock.show()
        self.case_dock.raise_()
        self.case_pane.show_case(case_id)
        self.queues.select_case(case_id)

    def open_admin(self) -> None:
        """Tools → Administration… (the administrator position only)."""
        if self.ctx.actor.position is not Position.ADMIN:
            return
        from gridstation.app.admin import AdminWindow

        if self._admin is None:
            self._admin = AdminWindow(self.ctx, self, hub=self.hub)  # shares this window's change feed
        self._admin.show()
        self._admin.raise_()
        self._admin.activateWindow()

    def open_wall(self) -> None:
        from gridstation.app.wall.launch import WallLaunchDialog

        WallLaunchDialog(self.ctx.url, self).exec()

    def open_analytics(self) -> None:
        """Drill-down, evaluation and charts; every number opens its cases, which open here."""
        from gridstation.app.analytics import AnalyticsWindow

        if getattr(self, "_analytics", None) is None:
            self._analytics = AnalyticsWindow(self.ctx.for_reading(), self)  # the standby, if any
            self._analytics.openCase.connect(self.open_case)
            # the drill-down on the main map: the layer follows the table, a click drills down
            self._analytics.mapLayerChanged.connect(self._show_map_layer)
            self.map.choroplethClicked.connect(self._analytics.drill.map_clicked)
            self._analytics.destroyed.connect(lambda *_: setattr(self, "_analytics", None))
        self._analytics.show()
        self._analytics.raise_()
        self._analytics.activateWindow()

    def _show_map_layer(self, layer) -> None:
        self.map.set_choropleth(layer)

    def _queue_selection(self, case_id: int, lon: float, lat: float) -> None:
        if case_id:
            self.case_pane.show_case(case_id)
            if lon == lon and lat == lat:  # NaN when the case has no point
                self.map.focus_case(case_id, lon, lat)

    def _after_action(self, case_id: int, action: str) -> None:
        # the row will leave the queue through the change feed; move on to the next one
        self.queues.next_case()

    def _map_point(self, lon: float, lat: float) -> None:
        if self._intake is not None and self._intake.isVisible():
            self._intake.set_point(lon, lat)

    def new_report(self) -> None:
        if self.ctx.actor.position not in REPORTERS:
            return
        from gridstation.app.cases.intake import IntakeDialog

        if self._intake is None or not self._intake.isVisible():
            self._intake = IntakeDialog(self.ctx, self)
            self._intake.reported.connect(self.open_case)
            self._intake.openCase.connect(self.open_case)
        self._intake.show()
        self._intake.raise_()

    def weekly_review(self) -> None:
        """Print preview of the weekly review (print, or save as PDF)."""
        from gridstation.app.report.preview import open_weekly_preview

        open_weekly_preview(self.ctx.for_reading(), self)

    def _report_error(self, exc: BaseException) -> None:
        from gridstation.app.i18n import error_message

        if getattr(exc, "kind", "") == "unavailable" or "connect" in str(exc).lower():
            self._lost(str(exc))
            return
        self.statusBar().showMessage(error_message(exc), 10_000)


def active_app() -> QApplication:
    return QApplication.instance()  # type: ignore[return-value]
