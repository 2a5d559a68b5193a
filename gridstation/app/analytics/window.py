"""The analytics window for leaders and supervisors: drill-down, evaluation, charts."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget

from gridstation.app import tasks
from gridstation.store import changes as change_feed

from gridstation.app.analytics.charts import ChartsPage
from gridstation.app.analytics.pages import DrillPage, EvaluationPage


class AnalyticsWindow(QMainWindow):
    """``openCase(int)``: a case the user asked to open (connect to the main window's open_case)."""

    openCase = Signal(int)
    # the drill-down layer for the main map (a dict for ``MapView.set_choropleth``, or None)
    mapLayerChanged = Signal(object)

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Analytics"))
        self.setObjectName("AnalyticsWindow")
        self.tabs = QTabWidget()
        self.drill = DrillPage(ctx, self)
        self.evaluation = EvaluationPage(ctx, self)
        self.charts = ChartsPage(ctx, self)
        self.tabs.addTab(self.drill, self.tr("Drill-down"))
        self.tabs.addTab(self.evaluation, self.tr("Evaluation"))
        self.tabs.addTab(self.charts, self.tr("Charts"))
        self.setCentralWidget(self.tabs)
        for page in (self.drill, self.evaluation, self.charts):
            page.openCase.connect(self.openCase)
        self.drill.nodeChanged.connect(self.charts.set_node)
        self.drill.mapLayerChanged.connect(self.mapLayerChanged)
        self.resize(1500, 900)
        # on a hot standby: how current the data is (polled; nothing to show on the primary)
        self.as_of = QLabel()
        self.as_of.setObjectName("DataAsOf")
        self.statusBar().addPermanentWidget(self.as_of)
        self.as_of.hide()
        self._as_of_timer = QTimer(self)
        self._as_of_timer.timeout.connect(self.refresh_as_of)
        self._as_of_timer.start(5000)
        self.refresh_as_of()
        self.drill.load(None)

    def refresh_as_of(self) -> None:
        engine = self.ctx.engine

        def done(at):
            if at is None:
                self.as_of.hide()
                return
            self.as_of.setText(self.tr("Read-only standby · data as of %1").replace("%1", at.strftime("%Y-%m-%d %H:%M:%S")))
            self.as_of.show()

        tasks.run(lambda: change_feed.data_as_of(engine), done, lambda e: None, owner=self)
