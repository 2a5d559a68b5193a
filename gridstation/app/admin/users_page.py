"""用户: accounts with their position, scope region and department; disable / enable; a
password reset that shows the temporary password once."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from gridstation.admin import regions as regions_mod
from gridstation.admin import users as core
from gridstation.store.model import Department, Position
from gridstation.app.i18n import position_label, register_positions
from gridstation.app.admin.common import ADMIN_QSS, IdCombo, Page

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def region_items(s) -> list[tuple[int, str, bool]]:
    """Regions in tree order, indented by level: (id, label, active)."""
    return [(r.id, "　" * max(0, r.depth - 1) + f"{r.name} ({r.code})", r.active) for r in regions_mod.regions(s)]


def load_users(s) -> dict:
    depts = [(d.id, f"{d.code} {d.name}", bool(d.active)) for d in s.scalars(select(Department).order_by(Department.code))]
    from gridstation.cases import rules

    return {"users": core.list_users(s), "regions": region_items(s), "departments": depts,
            "rules": rules.load(s) or rules.default_ruleset()}


class PasswordDialog(QDialog):
    """The temporary password, shown once, with a copy button."""

    def __init__(self, login: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TemporaryPasswordDialog")
        self.setStyleSheet(ADMIN_QSS)
        self.setWindowTitle(self.tr("Temporary password"))
        head = QLabel(self.tr("The temporary password of %1 is shown only now. Give it to the user in person; "
                              "they should change it at their first sign-in.").replace("%1", login))
        head.setWordWrap(True)
        self.password = QLineEdit(password)
        self.password.setObjectName("TemporaryPassword")
        self.password.setReadOnly(True)
        f = self.password.font()
        f.setFamily("monospace")
        f.setPointSize(f.pointSize() + 4)
        self.password.setFont(f)
        copy = QPushButton(self.tr("Copy"))
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(password))
        row = QHBoxLayout()
        row.addWidget(self.password, 1)
        row.addWidget(copy)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        lay = QVBoxLayout(self)
        lay.addWidget(head)
        lay.addLayout(row)
        lay.addWidget(buttons)
        self.setMinimumWidth(420)

    def reject(self) -> None:
        self.password.clear()  # it is not kept anywhere once the dialog closes
        super().reject()


class UsersPage(Page):
    entities = ("user", "region", "department", "rules")

    COLUMNS = 6

    def title(self) -> str:
        return self.tr("Users")

    def hint(self) -> str:
        return self.tr("Accounts are disabled, never deleted: cases keep naming the people who worked on them.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.users: list[core.UserInfo] = []
        self.by_id: dict[int, core.UserInfo] = {}
        self.password_dialog: PasswordDialog | None = None
        self._current: core.UserInfo | None = None
        self._new = False
        self._select_after: int | None = None

        self.filter = QLineEdit()
        self.filter.setObjectName("UserFilter")
        self.filter.setPlaceholderText(self.tr("Filter by login, name, position, region or department"))
        self.filter.setClearButtonEnabled(True)
        self.show_disabled = QCheckBox(self.tr("Show disabled"))
        self.show_disabled.setChecked(True)
        self.new_button = QPushButton(self.tr("New user…"))
        self.new_button.setObjectName("NewUser")
        bar = QHBoxLayout()
        bar.addWidget(self.filter, 1)
        bar.addWidget(self.show_disabled)
        bar.addWidget(self.new_button)

        self.model = QStandardItemModel(0, self.COLUMNS, self)
        self.model.setHorizontalHeaderLabels([self.tr("Login"), self.tr("Name"), self.tr("Position"), self.tr("Region"),
                                              self.tr("Department"), self.tr("Status")])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table = QTableView()
        self.table.setObjectName("UserTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        hh = self.table.horizontalHeader()
        for i in range(self.COLUMNS):
            hh.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        # the editor
        self.box = QGroupBox(self.tr("User"))
        self.login = QLineEdit()
        self.login.setObjectName("UserLogin")
        self.login.setMaxLength(64)
        self.name = QLineEdit()
        self.name.setObjectName("UserName")
        self.name.setMaxLength(64)
        self.position = QComboBox()
        self.position.setObjectName("UserPosition")
        for p in Position:
            self.position.addItem(position_label(p.value), p.value)
        self.region = IdCombo(self.tr("— the whole city —"))
        self.region.setObjectName("UserRegion")
        self.department = IdCombo(self.tr("— none —"))
        self.department.setObjectName("UserDepartment")
        self.phone = QLineEdit()
        self.phone.setMaxLength(32)
        self.status = QLabel()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Login"), self.login)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Position"), self.position)
        form.addRow(self.tr("Scope region"), self.region)
        form.addRow(self.tr("Department"), self.department)
        form.addRow(self.tr("Phone"), self.phone)
        form.addRow(self.tr("Status"), self.status)
        scope = QLabel(self.tr("The scope region limits what the user sees and may act on (a street dispatcher: "
                               "their street; a supervisor: the grids they patrol). Department handlers need "
                               "their department."))
        scope.setObjectName("AdminNote")
        scope.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"))
        self.save_button.setObjectName("SaveUser")
        self.save_button.setProperty("primary", True)
        self.active_button = QPushButton(self.tr("Disable"))
        self.active_button.setObjectName("ToggleUserActive")
        self.reset_button = QPushButton(self.tr("Reset password…"))
        self.reset_button.setObjectName("ResetPassword")
        buttons = QHBoxLayout()
        buttons.addWidget(self.active_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        bl = QVBoxLayout(self.box)
        bl.addLayout(form)
        bl.addWidget(scope)
        bl.addStretch(1)
        bl.addLayout(buttons)

        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addLayout(bar)
        ll.addWidget(self.table, 1)
        split = QSplitter()
        split.addWidget(left)
        split.addWidget(self.box)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.body.addWidget(split, 1)

        self.filter.textChanged.connect(lambda t: self.proxy.setFilterFixedString(t.strip()))
        self.show_disabled.toggled.connect(lambda *_: self._fill())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show(self.current_id()))
        self.new_button.clicked.connect(self.new_user)
        self.save_button.clicked.connect(self.save)
        self.active_button.clicked.connect(self._toggle_active)
        self.reset_button.clicked.connect(self._ask_reset)
        self._show(None)

    # ---- loading

    def load(self) -> None:
        self.read(load_users, self._loaded)

    def _loaded(self, data) -> None:
        self.users = data["users"]
        self.by_id = {u.id: u for u in self.users}
        self.region.set_items([(i, label) for i, label, active in data["regions"] if active])
        self.department.set_items([(i, label) for i, label, active in data["departments"] if active])
        self._fill_positions(data["rules"])
        keep = self._select_after or self.current_id()
        self._select_after = None
        self._fill(keep)

    def _fill_positions(self, rs) -> None:
        """The positions of the rules in force (a profile's own ones too), built-in ones first."""
        register_positions(rs)
        keys = [p.value for p in Position if p.value in rs.positions] + \
            [k for k in rs.positions if k not in {p.value for p in Position}]
        if [self.position.itemData(i) for i in range(self.position.count())] == keys:
            return
        current = self.position.currentData()
        was = self.position.blockSignals(True)
        self.position.clear()
        for k in keys:
            self.position.addItem(position_label(k), k)
        self.position.setCurrentIndex(max(0, self.position.findData(current)))
        self.position.blockSignals(was)

    def _fill(self, select_id: int | None = None) -> None:
        select_id = select_id if select_id is not None else self.current_id()
        self.model.removeRows(0, self.model.rowCount())
        grey = QBrush(QColor("#9aa5b1"))
        for u in self.users:
            if not u.active and not self.show_disabled.isChecked():
                continue
            row = [QStandardItem(x) for x in (u.login, u.name, position_label(u.position), u.region, u.department,
                                              self.tr("active") if u.active else self.tr("disabled"))]
            row[0].setData(u.id, ID_ROLE)
            if not u.active:
                for it in row:
                    it.setForeground(grey)
            self.model.appendRow(row)
        if select_id is not None:
            self.select(select_id)
        else:
            self._show(None)

    def current_id(self) -> int | None:
        idx = self.table.currentIndex()
        if not idx.isValid():
            return None
        return self.proxy.index(idx.row(), 0).data(ID_ROLE)

    def select(self, user_id: int) -> None:
        for r in range(self.proxy.rowCount()):
            if self.proxy.index(r, 0).data(ID_ROLE) == user_id:
                self.table.selectRow(r)
                self.table.setCurrentIndex(self.proxy.index(r, 0))
                self._show(user_id)
                return

    def select_login(self, login: str) -> None:
        u = next((x for x in self.users if x.login == login), None)
        if u is not None:
            self.select(u.id)

    def _show(self, user_id: int | None) -> None:
        u = self.by_id.get(user_id) if user_id is not None else None
        self._current, self._new = u, False
        editing = u is not None
        for w in (self.name, self.position, self.region, self.department, self.phone, self.save_button,
                  self.active_button, self.reset_button):
            w.setEnabled(editing)
        self.login.setReadOnly(True)
        if u is None:
            self.box.setTitle(self.tr("User"))
            for w in (self.login, self.name, self.phone):
                w.clear()
            self.status.setText("—")
            return
        self.box.setTitle(self.tr("User %1").replace("%1", u.login))
        self.login.setText(u.login)
        self.name.setText(u.name)
        self.position.setCurrentIndex(max(0, self.position.findData(u.position)))
        self.region.set_value(u.region_id)
        self.department.set_value(u.department_id)
        self.phone.setText(u.phone)
        self.status.setText(self.tr("active") if u.active else self.tr("disabled: cannot sign in"))
        self.active_button.setText(self.tr("Disable") if u.active else self.tr("Enable"))
        mine = u.id == self.ctx.actor.id
        self.active_button.setEnabled(not mine)
        if mine:
            self.active_button.setToolTip(self.tr("You cannot disable your own account"))

    def new_user(self) -> None:
        self.table.clearSelection()
        self._show(None)
        self._new = True
        self.box.setTitle(self.tr("New user"))
        self.login.setReadOnly(False)
        for w in (self.name, self.position, self.region, self.department, self.phone, self.save_button):
            w.setEnabled(True)
        self.status.setText(self.tr("a temporary password is made when you save"))
        self.login.setFocus()

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "position": self.position.currentData(),
                "region_id": self.region.value(), "department_id": self.department.value(),
                "phone": self.phone.text().strip()}

    # ---- commands

    def save(self) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        values = self.values()
        if self._new:
            login = self.login.text().strip()

            def added(res):
                uid, password = res
                self._select_after = uid
                self.message.info(self.tr("Added %1.").replace("%1", login))
                self._show_password(login, password)
                self._written()

            self.run(lambda: core.add_user(engine, actor, login=login, **values), added)
            return
        u = self._current
        if u is None:
            return
        old = u.values()
        changes = {k: v for k, v in values.items() if v != old.get(k)}
        if not changes:
            return
        self.run(lambda: core.update_user(engine, actor, u.id, changes),
                 lambda _: (self.message.info(self.tr("Saved %1.").replace("%1", u.login)), self._written(u.id)))

    def _written(self, select_id: int | None = None) -> None:
        if select_id is not None:
            self._select_after = select_id
        if not getattr(self.window(), "live", False):
            self.load()

    def set_active(self, user_id: int, active: bool) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        u = self.by_id[user_id]
        self.run(lambda: core.set_active(engine, actor, user_id, active),
                 lambda _: (self.message.info((self.tr("Enabled %1.") if active else self.tr("Disabled %1.")).replace("%1", u.login)),
                            self._written(user_id)))

    def _toggle_active(self) -> None:
        u = self._current
        if u is None:
            return
        if u.active:
            text = self.tr("Disable %1? The account can no longer sign in or act; its history stays.").replace(
                "%1", f"{u.login} ({u.name})")
            if QMessageBox.question(self, self.tr("Disable user"), text) != QMessageBox.StandardButton.Yes:
                return
        self.set_active(u.id, not u.active)

    def reset_password(self, user_id: int) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        u = self.by_id[user_id]
        self.run(lambda: core.reset_password(engine, actor, user_id),
                 lambda pw: (self._show_password(u.login, pw), self._written(user_id)))

    def _ask_reset(self) -> None:
        u = self._current
        if u is None:
            return
        text = self.tr("Give %1 a new temporary password? The current password stops working at once.").replace(
            "%1", f"{u.login} ({u.name})")
        if QMessageBox.question(self, self.tr("Reset password"), text) == QMessageBox.StandardButton.Yes:
            self.reset_password(u.id)

    def _show_password(self, login: str, password: str) -> None:
        self.password_dialog = PasswordDialog(login, password, self)
        self.password_dialog.open()
