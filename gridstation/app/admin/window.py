"""The administration window (系统管理): a page list on the left, one page per capability.

Only the administrator position opens it (and the core refuses everybody else anyway). The
pages follow the change feed like the main window does: a change made here, or by another
administrator elsewhere, comes back through ``change_log`` and the affected pages reload.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QStyle,
    QWidget,
)

from gridstation.admin.common import AdminForbidden
from gridstation.store.model import Position
from gridstation.app.i18n import position_label
from gridstation.app.live import ChangeHub
from gridstation.app.admin.apikeys_page import ApiKeysPage
from gridstation.app.admin.audit_page import AuditPage
from gridstation.app.admin.calendar_page import CalendarPage
from gridstation.app.admin.catalogue_page import CataloguePage
from gridstation.app.admin.common import ADMIN_QSS, Page
from gridstation.app.admin.departments_page import DepartmentsPage
from gridstation.app.admin.evaluation_page import EvaluationPage
from gridstation.app.admin.map_page import MapPage
from gridstation.app.admin.regions_page import RegionsPage
from gridstation.app.admin.rules_page import RulesPage
from gridstation.app.admin.users_page import UsersPage

PAGES: list[tuple[str, type[Page], QStyle.StandardPixmap]] = [
    ("regions", RegionsPage, QStyle.StandardPixmap.SP_DirHomeIcon),
    ("departments", DepartmentsPage, QStyle.StandardPixmap.SP_DirIcon),
    ("users", UsersPage, QStyle.StandardPixmap.SP_FileDialogContentsView),
    ("catalogue", CataloguePage, QStyle.StandardPixmap.SP_FileDialogDetailedView),
    ("rules", RulesPage, QStyle.StandardPixmap.SP_BrowserReload),
    ("calendar", CalendarPage, QStyle.StandardPixmap.SP_FileDialogInfoView),
    ("evaluation", EvaluationPage, QStyle.StandardPixmap.SP_DialogApplyButton),
    ("map", MapPage, QStyle.StandardPixmap.SP_DriveNetIcon),
    ("apikeys", ApiKeysPage, QStyle.StandardPixmap.SP_DialogOpenButton),
    ("audit", AuditPage, QStyle.StandardPixmap.SP_FileDialogListView),
]


class AdminWindow(QMainWindow):
    """``AdminWindow(ctx)``; ``hub`` shares the main window's change feed (else the window
    runs its own, started unless ``live=False``)."""

    def __init__(self, ctx, parent: QWidget | None = None, *, hub: ChangeHub | None = None, live: bool = True) -> None:
        if ctx.actor.position is not Position.ADMIN:
            raise AdminForbidden()
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("AdminWindow")
        self.setStyleSheet(ADMIN_QSS)
        self.setWindowTitle(self.tr("GridStation administration — %1 (%2)").replace("%1", ctx.actor.name)
                            .replace("%2", position_label(ctx.actor.position.value)))
        self.nav = QListWidget()
        self.nav.setObjectName("AdminNav")
        self.nav.setIconSize(QSize(18, 18))
        self.nav.setFixedWidth(220)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack = QStackedWidget()
        self.pages: dict[str, Page] = {}
        labels = self.page_labels()
        for key, cls, icon in PAGES:
            page = cls(ctx)
            page.setObjectName(f"AdminPage_{key}")
            self.pages[key] = page
            self.stack.addWidget(page)
            it = QListWidgetItem(self.style().standardIcon(icon), labels[key])
            it.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(it)
        central = QWidget()
        lay = QHBoxLayout(central)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addWidget(self.nav)
        lay.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.status = QLabel()
        self.statusBar().addWidget(self.status)
        self.nav.currentRowChanged.connect(self._page_changed)

        self._own_hub = hub is None
        self.hub = hub or ChangeHub(ctx, self)
        self.hub.changed.connect(self.on_changes)
        self.hub.refresh_all.connect(self.refresh_all)
        if self._own_hub and live:
            self.hub.start()
        self.live = (not self._own_hub) or live
        self.resize(1440, 900)
        self.nav.setCurrentRow(0)
        setup = self.menuBar().addAction(self.tr("First start wizard…"))
        setup.setObjectName("OpenSetupWizard")
        setup.triggered.connect(self.open_setup)
        self.setup_wizard = None

    def open_setup(self):
        """The guided first start (profile → … → calendar), at the first step not done."""
        from gridstation.app.admin.setup_wizard import open_setup

        self.setup_wizard = open_setup(self.ctx, self)
        return self.setup_wizard

    def page_labels(self) -> dict[str, str]:
        return {
            "regions": self.tr("Regions"),
            "departments": self.tr("Departments"),
            "users": self.tr("Users"),
            "catalogue": self.tr("Case categories"),
            "rules": self.tr("Workflow rules"),
            "calendar": self.tr("Working calendar"),
            "evaluation": self.tr("Evaluation weights"),
            "map": self.tr("Base map"),
            "apikeys": self.tr("Data exchange keys"),
            "audit": self.tr("Change history"),
        }

    def page(self, key: str) -> Page:
        return self.pages[key]

    def show_page(self, key: str) -> Page:
        row = [k for k, _, _ in PAGES].index(key)
        self.nav.setCurrentRow(row)
        return self.pages[key]

    def _page_changed(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        if isinstance(page, Page):
            page.ensure_loaded()

    def on_changes(self, changes: list) -> None:
        for page in self.pages.values():
            page.on_changes(changes)

    def refresh_all(self) -> None:
        for page in self.pages.values():
            if page._has_loaded:
                page.load()

    def is_idle(self) -> bool:
        return all(p.is_idle() for p in self.pages.values())

    def closeEvent(self, ev) -> None:
        if self._own_hub:
            self.hub.stop()
        super().closeEvent(ev)
