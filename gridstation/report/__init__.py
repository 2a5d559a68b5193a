"""The weekly review's data (``weekly``): headline figures, rankings, warnings, overdue and
parked lists. The PDF itself is drawn by ``app.report``.

May import: ``analytics`` and ``store``.
"""
