"""Screenshots of the client for the README, taken in a real window under Xvfb.

    xvfb-run -a -s "-screen 0 1920x1080x24" python scripts/screenshots.py [--db URL] [--lang zh_CN|en]

Builds the demo city into a temporary SQLite file unless --db is given, signs in as the
dispatcher dispatch1, waits until the queues are filled and the map is drawn, and writes
PNGs to docs/screenshots/.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"


def wait(app, cond, timeout=30.0) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        app.processEvents()
        if cond():
            return True
        time.sleep(0.02)
    return False


def settle(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db")
    ap.add_argument("--lang", default="zh_CN")
    ap.add_argument("--login", default="dispatch1")
    ap.add_argument("--size", default="1600x960")
    args = ap.parse_args()

    from gridstation.store.db import make_engine
    from gridstation.schema import upgrade

    url = args.db
    if url is None:
        tmp = tempfile.mkdtemp()
        url = f"sqlite:///{tmp}/shots.db"
        from gridstation.demo.city import build_demo

        build_demo(url, cases=100_000)
    upgrade(url)

    from PySide6.QtCore import QSettings

    from gridstation.app import i18n
    from gridstation.app.application import make_application

    app = make_application()
    QSettings().clear()  # a first-run layout, not whatever this machine saved
    i18n.install(app, args.lang)
    from gridstation.accounts.users import authenticate
    from gridstation.app.context import AppContext
    from gridstation.app.mainwindow import MainWindow
    from gridstation.app.accounts.signin import SignInDialog
    from gridstation.cases.workflow import Workflow

    OUT.mkdir(parents=True, exist_ok=True)
    suffix = "" if args.lang.startswith("zh") else "_en"

    dlg = SignInDialog(default_url=url)
    dlg.login.setText(args.login)
    dlg.show()
    settle(app, 1.0)
    dlg.grab().save(str(OUT / f"signin{suffix}.png"))
    dlg.close()

    engine = make_engine(url)
    actor = authenticate(engine, args.login, "demo")
    ctx = AppContext(url=url, engine=engine, workflow=Workflow(engine), actor=actor)
    w, h = (int(x) for x in args.size.split("x"))
    win = MainWindow(ctx)
    win.resize(w, h)
    win.show()
    ok_map = wait(app, lambda: win.map.is_ready, 60)
    wait(app, lambda: bool(win.queues.counts), 30)
    busiest = [k for k in win.queues.queue_keys() if win.queues.counts.get(k)]
    if busiest and not win.queues.counts.get(win.queues.current_queue()):
        win.queues.set_queue(busiest[0])
    ok_queue = wait(app, lambda: len(win.queues.model.ids()) > 0, 30)
    settle(app, 2.0)
    view = win.queues.view
    if ok_queue:
        view.selectRow(min(2, win.queues.model.rowCount() - 1))
        view.setFocus()
        wait(app, lambda: win.case_pane.detail is not None, 20)
    settle(app, 2.5)
    win.grab().save(str(OUT / f"main{suffix}.png"))
    print(f"map ready: {ok_map}, queue filled: {ok_queue}; wrote {OUT}")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
