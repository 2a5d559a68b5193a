"""Starting the client: environment, application, translations, theme, sign-in, main window.

The sign-in window is the first thing on screen (target: under 2 s, see
benchmarks/bench_first_pixel.py); a database that cannot be reached, a schema that does not
match and the first start's demo build are all handled there, never before a window exists."""

from __future__ import annotations

import sys

from gridstation.app.application import apply_theme, make_application  # noqa: F401  (the client's entry)


def open_main_window(url: str, actor):
    from gridstation.store.db import make_engine
    from gridstation.cases.workflow import Workflow
    from gridstation.app.context import AppContext
    from gridstation.app.mainwindow import MainWindow

    engine = make_engine(url)
    ctx = AppContext(url=url, engine=engine, workflow=Workflow(engine), actor=actor)
    win = MainWindow(ctx)
    win.show()
    return win


def run_client(url: str | None = None) -> int:
    app = make_application()
    from gridstation.app import crash

    crash.install()  # uncaught exceptions: logged, and a dialog that says where the log is
    from gridstation.app.accounts.signin import SignInDialog

    dlg = SignInDialog(default_url=url, auto_demo=True)
    windows = []
    dlg.signedIn.connect(lambda u, actor: windows.append(open_main_window(u, actor)))
    if dlg.exec() != dlg.DialogCode.Accepted:
        return 0
    return app.exec()


if __name__ == "__main__":
    sys.exit(run_client())
