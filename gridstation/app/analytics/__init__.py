"""Analytics for leaders and supervisors: drill-down, evaluation and charts."""

from .window import AnalyticsWindow

__all__ = ["AnalyticsWindow"]
