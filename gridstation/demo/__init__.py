"""The embedded demo city (``city``: 郑州, 1,632 grids, 100,000 cases) and the simulator of
other workstations at work (``simulate``).

May import every core package; nothing in the core imports it.
"""
