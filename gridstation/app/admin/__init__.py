"""The administration window and its pages (Qt). The commands live in ``gridstation.admin``."""

from gridstation.app.admin.window import AdminWindow

__all__ = ["AdminWindow"]
