"""The analytics window for leaders and supervisors: drill-down, evaluation, charts."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMainWindow, QTabWidget

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
        self.drill.load(None)
