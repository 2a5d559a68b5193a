"""Starting the client: environment, application, translations, theme, sign-in, main window."""

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


def run_client(url: str | None = None, read_url: str | None = None) -> int:
    app = make_application()
    from gridstation.app.accounts.signin import SignInDialog

    dlg = SignInDialog(default_url=url)
    windows = []
    dlg.signedIn.connect(lambda u, actor: windows.append(open_main_window(u, actor, read_url)))
    if dlg.exec() != dlg.DialogCode.Accepted:
        return 0
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_client())
