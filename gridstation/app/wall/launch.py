"""View → Wall display…: start the wall from the client, as its own process on a chosen screen.

The wall runs apart from the client (it must outlive the dispatcher's session and sign in
with the read-only wall account); the password travels in the child's environment, never on
its command line.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QProcess, QProcessEnvironment
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)


def wall_program() -> tuple[str, list[str]]:
    """``python -m gridstation``, or in the bundle the windowed ``GridStation(.exe)`` beside this
    program (also when the console twin ``gridstation-cli`` asks: a wall needs no console)."""
    if not getattr(sys, "frozen", False):
        return sys.executable, ["-m", "gridstation"]
    here = Path(sys.executable)
    gui = here.with_name("GridStation.exe" if here.suffix.lower() == ".exe" else "GridStation")
    return str(gui if gui.exists() else here), []


def wall_command(url: str, *, screen: int | None, all_screens: bool, layout: str, login: str) -> tuple[str, list[str]]:
    """The program and arguments that start the wall. The URL goes without its password (the
    command line is visible to every user of the machine): ``start`` hands the password over in
    the child's environment."""
    from gridstation.accounts.credentials import split_password

    program, args = wall_program()
    args += ["--db", split_password(url)[0], "wall", "--user", login]
    if all_screens:
        args.append("--all-screens")
    elif screen is not None:
        args += ["--screen", str(screen)]
    if layout:
        args += ["--layout", layout]
    return program, args


class WallLaunchDialog(QDialog):
    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.setWindowTitle(self.tr("Open the wall display"))
        form = QFormLayout(self)
        self.screen = QComboBox()
        self.screen.setObjectName("WallScreen")
        for i, s in enumerate(QGuiApplication.screens()):
            g = s.geometry()
            self.screen.addItem(self.tr("Screen %1: %2 (%3×%4)").replace("%1", str(i)).replace("%2", s.name())
                                .replace("%3", str(g.width())).replace("%4", str(g.height())), i)
        form.addRow(self.tr("Screen"), self.screen)
        self.all_screens = QCheckBox(self.tr("Use every screen (one window per screen of the layout)"))
        self.all_screens.toggled.connect(lambda on: self.screen.setEnabled(not on))
        form.addRow("", self.all_screens)
        row = QHBoxLayout()
        self.layout_file = QLineEdit()
        self.layout_file.setPlaceholderText(self.tr("built-in layout"))
        browse = QPushButton(self.tr("Choose…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.layout_file, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Layout file"), row)
        self.login = QLineEdit("wall")
        form.addRow(self.tr("Wall account"), self.login)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("Password"), self.password)
        hint = QLabel(self.tr("The wall signs in with a read-only account (position “wall”). "
                              "It runs on its own until it is closed (Alt+F4 on its screen)."))
        hint.setWordWrap(True)
        form.addRow(hint)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #b3261e;")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Start the wall"))
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Layout file"), "", self.tr("Wall layout (*.toml)"))
        if path:
            self.layout_file.setText(path)

    def start(self) -> bool:
        layout = self.layout_file.text().strip()
        if layout:
            from gridstation.wall.layout import LayoutError, load_layout

            try:
                load_layout(layout)
            except LayoutError as e:
                self.error.setText(str(e))
                return False
        program, args = wall_command(self.url, screen=self.screen.currentData(), all_screens=self.all_screens.isChecked(),
                                     layout=layout, login=self.login.text().strip() or "wall")
        proc = QProcess(self)
        env = QProcessEnvironment.systemEnvironment()
        if self.password.text():
            env.insert("GRIDSTATION_WALL_PASSWORD", self.password.text())
        from gridstation.accounts.credentials import split_password

        db_password = split_password(self.url)[1]
        if db_password is not None:
            env.insert("GRIDSTATION_DB_PASSWORD", db_password)
        proc.setProcessEnvironment(env)
        proc.setProgram(program)
        proc.setArguments(args)
        ok, _pid = proc.startDetached()
        if not ok:
            self.error.setText(self.tr("The wall could not be started: %1").replace("%1", proc.errorString()))
            return False
        self.accept()
        return True
