"""The Qt layer: the only part of GridStation that imports PySide6. Keep it thin: it shows
core data and calls core commands, always off the GUI thread for database work."""
