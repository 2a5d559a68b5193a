"""Analytics for leaders and supervisors: the window with drill-down, evaluation and charts.
The figures come from the Qt-free ``gridstation.analytics``."""

from gridstation.app.analytics.window import AnalyticsWindow

__all__ = ["AnalyticsWindow"]
