"""Starting the client: environment, application, translations, theme, sign-in, main window.

The sign-in window is the first thing on screen (target: under 2 s, see
benchmarks/bench_first_pixel.py); a database that cannot be reached, a schema that does not
match and the first start's demo build are all handled there, never before a window exists."""

from __future__ import annotations

import sys

from gridstation.app.application import apply_theme, make_application  # noqa: F401  (the client's entry)


def open_main_window(url: str, actor, read_url: str | None = None):
    from gridstation.store.db import make_engine
    from gridstation.cases.workflow import Workflow
    from gridstation.app.context import AppContext
    from gridstation.app.mainwindow import MainWindow

    engine = make_engine(url)
    if not read_url:  # the center's setting: one standby for every client's read-only work
        from gridstation.store.settings import read_db_url

        read_url = read_db_url(engine)
    read_engine = make_engine(read_url, read_only=True) if read_url else None
    ctx = AppContext(url=url, engine=engine, workflow=Workflow(engine), actor=actor, read_url=read_url,
                     read_engine=read_engine)
    win = MainWindow(ctx)
    win.show()
    return win


def splash():
    """Something on screen while the rest loads (the database layer, the sign-in window)."""
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
    from PySide6.QtWidgets import QApplication, QSplashScreen

    from gridstation.app.application import RESOURCES

    card = QPixmap(340, 190)
    card.fill(QColor("#f4f6f9"))
    painter = QPainter(card)
    painter.drawPixmap((card.width() - 96) // 2, 28, QIcon(str(RESOURCES / "icons" / "gridstation.svg")).pixmap(96, 96))
    painter.end()
    screen = QSplashScreen(card)
    screen.setWindowTitle("GridStation")
    screen.showMessage(QCoreApplication.translate("Startup", "Starting GridStation…"),
                       Qt.AlignmentFlag.AlignBottom | Qt.AlignmentFlag.AlignHCenter, QColor("#1d3557"))
    screen.show()
    QApplication.processEvents()
    return screen


def run_client(url: str | None = None, read_url: str | None = None) -> int:
    """``url``: the command line's --db (None: ``GRIDSTATION_DB``, else the embedded database);
    ``read_url``: a hot standby for read-only work (analytics, the weekly review)."""
    app = make_application()
    first = splash()
    from gridstation.app import crash

    crash.install()  # uncaught exceptions: logged, and a dialog that says where the log is
    from gridstation.accounts.credentials import for_connection
    from gridstation.app.accounts.signin import SignInDialog
    from gridstation.store import db as dbmod

    url = for_connection(dbmod.normalise_url(url or dbmod.default_db_url()))
    dlg = SignInDialog(default_url=url, auto_demo=True)
    dlg.show()
    first.finish(dlg)
    windows = []
    dlg.signedIn.connect(lambda u, actor: windows.append(open_main_window(u, actor, read_url)))
    if dlg.exec() != dlg.DialogCode.Accepted:
        return 0
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_client())
