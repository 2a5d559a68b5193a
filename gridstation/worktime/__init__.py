"""Working time: the working calendar with China's holidays and 调休 (``workcal``), the
center's stored hours and day overrides (``center_calendar``), and time limits with the
traffic light, parked time and extensions (``timelimits``).

May import: ``store`` only. Everything that counts time stands on it.
"""
