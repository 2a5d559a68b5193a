"""数据交换密钥: the API keys of the exchange service (apps and supervisors' handhelds), made
and revoked here or with ``gridstation apikeys``. A new key's secret is shown once."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)
from sqlalchemy import select

from gridstation.admin import apikeys as core
from gridstation.app.admin.common import IdCombo, Page
from gridstation.store.model import Position, User


def kind_label(kind: str) -> str:
    return {"application": QCoreApplication.translate("Admin", "Application"),
            "handheld": QCoreApplication.translate("Admin", "Handheld (supervisor)")}.get(kind, kind)


class ApiKeysPage(Page):
    entities = ("api_key",)

    def title(self) -> str:
        return self.tr("Data exchange keys")

    def hint(self) -> str:
        return self.tr("Keys of the Open311 service (gridstation serve): an application's reports enter as public "
                       "reports; a handheld key reports as its supervisor. Only a hash is stored: the secret is "
                       "shown once, when the key is made.")

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rows: list[core.KeyRow] = []
        self.table = QTableWidget(0, 7)
        self.table.setObjectName("ApiKeysTable")
        self.table.setHorizontalHeaderLabels([self.tr("Name"), self.tr("Kind"), self.tr("Key begins"),
                                              self.tr("Supervisor"), self.tr("Requests a minute"),
                                              self.tr("Made"), self.tr("State")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        hh = self.table.horizontalHeader()
        for i in range(7):
            hh.setSectionResizeMode(i, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.revoke_button = QPushButton(self.tr("Revoke the selected key"))
        self.revoke_button.setObjectName("ApiKeyRevoke")
        self.revoke_button.setEnabled(False)

        box = QGroupBox(self.tr("New key"))
        form = QHBoxLayout(box)
        self.name = QLineEdit()
        self.name.setObjectName("ApiKeyName")
        self.name.setPlaceholderText(self.tr("e.g. the citizens' app, or sup001's phone"))
        self.kind = QComboBox()
        self.kind.setObjectName("ApiKeyKind")
        for k in core.KINDS:
            self.kind.addItem(kind_label(k), k)
        self.supervisor = IdCombo()
        self.supervisor.setObjectName("ApiKeySupervisor")
        self.rate = QSpinBox()
        self.rate.setRange(1, 100_000)
        self.rate.setValue(core.DEFAULT_RATE)
        self.rate.setSuffix(self.tr(" /min"))
        self.add_button = QPushButton(self.tr("Make key"))
        self.add_button.setObjectName("ApiKeyAdd")
        for w in (QLabel(self.tr("Name")), self.name, QLabel(self.tr("Kind")), self.kind, self.supervisor,
                  QLabel(self.tr("Limit")), self.rate, self.add_button):
            form.addWidget(w)
        form.setStretch(1, 1)

        secret_row = QHBoxLayout()
        self.secret = QLineEdit()
        self.secret.setObjectName("ApiKeySecret")
        self.secret.setReadOnly(True)
        self.secret.setPlaceholderText(self.tr("The new key's secret appears here, once"))
        copy = QPushButton(self.tr("Copy"))
        secret_row.addWidget(QLabel(self.tr("Secret")))
        secret_row.addWidget(self.secret, 1)
        secret_row.addWidget(copy)

        self.body.addWidget(box)
        self.body.addLayout(secret_row)
        self.body.addWidget(self.table, 1)
        self.body.addWidget(self.revoke_button)

        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.add_button.clicked.connect(self.add)
        self.revoke_button.clicked.connect(self.revoke)
        copy.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.secret.text()))
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self._kind_changed()

    def _kind_changed(self, *_):
        self.supervisor.setEnabled(self.kind.currentData() == "handheld")

    def _selection_changed(self) -> None:
        row = self.table.currentRow()
        self.revoke_button.setEnabled(0 <= row < len(self.rows) and self.rows[row].active)

    def load(self) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor

        def job():
            with self.ctx.session() as s:
                sups = [(u.login, f"{u.login} {u.name}") for u in s.scalars(
                    select(User).where(User.position == Position.SUPERVISOR.value, User.active.is_(True))
                    .order_by(User.login))]
            return core.list_keys(engine, actor), sups

        self.run(job, self._loaded)

    def _loaded(self, data) -> None:
        rows, sups = data
        self.supervisor.set_items(sups)
        self.rows = rows
        self.table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            state = self.tr("active") if r.active else self.tr("revoked %1").replace(
                "%1", r.revoked_at.strftime("%Y-%m-%d %H:%M"))
            cells = [r.name, kind_label(r.kind), r.prefix + "…", r.user_login if r.kind == "handheld" else "",
                     str(r.rate_per_minute), r.created_at.strftime("%Y-%m-%d %H:%M"), state]
            for j, text in enumerate(cells):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self._selection_changed()

    def add(self) -> None:
        engine, actor = self.ctx.engine, self.ctx.actor
        name, kind, rate = self.name.text(), self.kind.currentData(), self.rate.value()
        user = self.supervisor.value() if kind == "handheld" else None

        def done(result):
            _, secret = result
            self.secret.setText(secret)
            self.name.clear()
            self.message.info(self.tr("Key %1 made. Copy its secret now: it is not shown again.").replace("%1", name))
            self.load()

        self.run(lambda: core.add_key(engine, actor, name=name, kind=kind, user_login=user, rate_per_minute=rate),
                 done)

    def revoke(self) -> None:
        row = self.table.currentRow()
        if not 0 <= row < len(self.rows):
            return
        key = self.rows[row]
        engine, actor = self.ctx.engine, self.ctx.actor

        def done(_):
            self.message.info(self.tr("Key %1 revoked; the service refuses it within seconds.").replace("%1", key.name))
            self.load()

        self.run(lambda: core.revoke_key(engine, actor, key.id), done)
