"""Administration (系统管理): the configuration a center keeps, Qt-free.

One module per capability: ``regions`` (the region hierarchy and its unit grids),
``departments``, ``users``, ``catalogue`` (the 部件/事件 category tree with its time limits),
``catalogue_excel`` (the catalogue to and from the Excel sheet centers keep), ``calendar``
(working calendar overrides and working hours), ``weights`` (evaluation weights and grade
bands), ``mapconfig`` (base map and default view) and ``audit`` (who changed what).

Every command takes the acting user and refuses anyone but an active administrator
(``AdminForbidden``); it runs in one transaction that writes the change, a ``config_change``
row per changed field (who, when, entity, id, field, old value, new value) and the
``change_log`` rows that wake every open client, or raises and writes nothing.
"""

from gridstation.admin.common import AdminForbidden, ConfigConflict, admin_tx, read_session

__all__ = ["AdminForbidden", "ConfigConflict", "admin_tx", "read_session"]
