"""用户: accounts with their position, scope region and department; disable / enable; a
password reset that shows the temporary password once."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtGui import QGuiApplication, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QWidget,
)
from sqlalchemy import select

from gridstation.admin import regions as regions_mod
from gridstation.admin import users as core
from gridstation.store.model import Department, Position
from gridstation.app.i18n import position_label, register_positions
from gridstation.app.admin.common import ADMIN_QSS, IdCombo, RecordPage
from gridstation.app.uiload import load_ui

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
    """The temporary password, shown once, with a copy button (ui/password_dialog.ui)."""

    head: QLabel
    password: QLineEdit
    copy_button: QPushButton
    buttons: QDialogButtonBox

    def __init__(self, login: str, password: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TemporaryPasswordDialog")
        load_ui(self)
        self.setStyleSheet(ADMIN_QSS)
        self.head.setText(self.tr("The temporary password of %1 is shown only now. Give it to the user in person; "
                                  "they should change it at their first sign-in.").replace("%1", login))
        self.password.setText(password)
        f = self.password.font()
        f.setFamily("monospace")
        f.setPointSize(f.pointSize() + 4)
        self.password.setFont(f)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(password))
        self.buttons.rejected.connect(self.reject)
        self.buttons.accepted.connect(self.accept)

    def reject(self) -> None:
        self.password.clear()  # it is not kept anywhere once the dialog closes
        super().reject()


class UsersPage(RecordPage):
    """The table and the editor are ui/users_page.ui."""

    entities = ("user", "region", "department", "rules")
    editor_fields = ("name", "position", "region", "department", "phone", "save_button")

    COLUMNS = 6

    filter: QLineEdit
    show_disabled: QCheckBox
    new_button: QPushButton
    table: QTableView
    box: QGroupBox
    login: QLineEdit
    name: QLineEdit
    position: QComboBox
    region: IdCombo
    department: IdCombo
    phone: QLineEdit
    status: QLabel
    active_button: QPushButton
    reset_button: QPushButton
    save_button: QPushButton
    split: QSplitter

    def title(self) -> str:
        return self.tr("Users")

    def hint(self) -> str:
        return self.tr("Accounts are disabled, never deleted: cases keep naming the people who worked on them.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.users: list[core.UserInfo] = []
        self.by_id: dict[int, core.UserInfo] = {}
        self.password_dialog: PasswordDialog | None = None

        self.model = QStandardItemModel(0, self.COLUMNS, self)
        self.model.setHorizontalHeaderLabels([self.tr("Login"), self.tr("Name"), self.tr("Position"), self.tr("Region"),
                                              self.tr("Department"), self.tr("Status")])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.table.setModel(self.proxy)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.size_columns(self.table.horizontalHeader(), stretch=(3,))

        # the editor
        for p in Position:
            self.position.addItem(position_label(p.value), p.value)
        self.region.none_label = self.tr("— the whole city —")
        self.department.none_label = self.tr("— none —")
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 2)

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
        for u in self.users:
            if not u.active and not self.show_disabled.isChecked():
                continue
            row = [QStandardItem(x) for x in (u.login, u.name, position_label(u.position), u.region, u.department,
                                              self.tr("active") if u.active else self.tr("disabled"))]
            row[0].setData(u.id, ID_ROLE)
            self.grey(row, u.active)
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
        self.set_editing(u is not None, "active_button", "reset_button")
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
        self.new_record(self.login, self.tr("New user"))
        self.status.setText(self.tr("a temporary password is made when you save"))

    def values(self) -> dict:
        return {"name": self.name.text().strip(), "position": self.position.currentData(),
                "region_id": self.region.value(), "department_id": self.department.value(),
                "phone": self.phone.text().strip()}

    # ---- commands

    def save(self) -> None:
        login = self.login.text().strip()
        values = self.values()

        def added(res):
            uid, password = res
            self._select_after = uid
            self.message.info(self.tr("Added %1.").replace("%1", login))
            self._show_password(login, password)
            self._written()

        u = self._current
        self.save_record(values, add=lambda engine, actor: core.add_user(engine, actor, login=login, **values),
                         added=added, update=core.update_user, label=u.login if u is not None else login)

    def set_active(self, user_id: int, active: bool) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        u = self.by_id[user_id]
        self.write(lambda: core.set_active(engine, actor, user_id, active),
                   (self.tr("Enabled %1.") if active else self.tr("Disabled %1.")).replace("%1", u.login), user_id)

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
