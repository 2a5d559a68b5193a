"""What building a form costs now that its layout comes from ui/*.ui at run time.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui_forms.py [--repeat 30]

Builds, on the test suite's mini city (temporary SQLite), the sign-in dialog, the intake
dialog, a few action forms and the users page, each ``--repeat`` times, and prints the median
milliseconds per build (construction only: no database work waited for). Run the same file on an
older checkout (hand-built forms) to compare.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication(["bench-ui-forms"])
    tmp = Path(tempfile.mkdtemp(prefix="gs-bench-ui-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))

    from gridstation.app import i18n, tasks
    from gridstation.app.accounts.signin import SignInDialog
    from gridstation.app.admin.users_page import UsersPage
    from gridstation.app.cases.forms import form_for
    from gridstation.app.cases.intake import IntakeDialog
    from gridstation.app.context import AppContext
    from gridstation.cases.queues import case_detail
    from gridstation.cases.workflow import Workflow
    from gridstation.schema import upgrade
    from gridstation.store.db import make_engine
    from tests.minicity import build_mini_city

    i18n.install(app, "zh_CN")
    url = f"sqlite:///{tmp / 'gs.db'}"
    upgrade(url)
    engine = make_engine(url)
    m = build_mini_city(engine)
    wf = Workflow(engine)

    def ctx(login):
        return AppContext(url=url, engine=engine, workflow=wf, actor=wf.actor(login))

    lon, lat = m.point("G1a")
    cid = wf.report("sup1", source="supervisor", description="井盖缺失", lon=lon, lat=lat,
                    category_id=m.cats["MANHOLE"]).case_id
    wf.file("shift", cid)
    c = ctx("disp")
    with c.session() as s:
        detail = case_detail(s, cid, actor=c.actor, wf=wf, now=c.now())

    builds = {
        "sign-in dialog": lambda: SignInDialog(default_url=url),
        "intake dialog": lambda: IntakeDialog(ctx("intake")),
        "action form: void (ReasonForm)": lambda: form_for("void", c, detail),
        "action form: change_level": lambda: form_for("change_level", c, detail),
        "action form: feedback (PhotoNoteForm)": lambda: form_for("feedback", c, detail),
        "admin page: users": lambda: UsersPage(ctx("admin")),
    }
    print(f"{'form':40} {'median ms':>10} {'max ms':>8}  ({args.repeat} builds)")
    for name, build in builds.items():
        times = []
        for _ in range(args.repeat):
            t = time.perf_counter()
            w = build()
            times.append((time.perf_counter() - t) * 1000)
            tasks.wait_idle()
            w.deleteLater()
            app.processEvents()
        print(f"{name:40} {statistics.median(times):10.1f} {max(times):8.1f}")
    tasks.wait_idle()
    engine.dispose()


if __name__ == "__main__":
    main()
