"""Screenshots of the Designer forms, in Chinese, for comparing a layout change before and after.

    QT_QPA_PLATFORM=offscreen python scripts/form_shots.py OUT_DIR

Builds a small city in a temporary SQLite file (the test suite's mini city), then grabs the
sign-in dialog, the intake dialog, every action form and the administration pages, each at a
fixed size, as OUT_DIR/<name>.png. Compare two runs with ``--compare A B``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def shoot(out: Path) -> None:
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["form-shots"])
    tmp = Path(tempfile.mkdtemp(prefix="gs-shots-"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
    app.setFont(app.font())

    from gridstation.app import i18n, tasks
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
    out.mkdir(parents=True, exist_ok=True)

    def ctx(login: str) -> AppContext:
        return AppContext(url=url, engine=engine, workflow=wf, actor=wf.actor(login))

    def settle(w, size=None):
        if size:
            w.resize(*size)
        w.show()
        for _ in range(30):
            app.processEvents()
        tasks.wait_idle()
        for _ in range(30):
            app.processEvents()

    chains: list[str] = []

    def chain(name: str, w) -> None:
        """The Tab order, as the user meets it (class and visible text of each stop)."""
        from PySide6.QtCore import Qt

        seen, stops, x = set(), [], w.nextInFocusChain()
        while x is not w and id(x) not in seen:
            seen.add(id(x))
            if x.focusPolicy() & Qt.FocusPolicy.TabFocus and x.isVisibleTo(w):
                label = next((f() for f in (getattr(x, "text", None), getattr(x, "placeholderText", None),
                                            getattr(x, "title", None)) if callable(f) and isinstance(f(), str) and f()), "")
                stops.append(f"{type(x).__name__}:{label}")
            x = x.nextInFocusChain()
        chains.append(f"{name}: " + " | ".join(stops))

    def grab(name: str, w, size=None) -> None:
        settle(w, size)
        chain(name, w)
        w.grab().save(str(out / f"{name}.png"))
        w.close()
        w.deleteLater()
        app.processEvents()

    from gridstation.app.accounts.signin import SignInDialog

    grab("signin", SignInDialog(default_url=url), (520, 330))

    from gridstation.app.cases.intake import IntakeDialog

    grab("intake_operator", IntakeDialog(ctx("intake")), (900, 620))
    grab("intake_supervisor", IntakeDialog(ctx("sup1")), (900, 620))

    from gridstation.app.cases.forms import form_for

    lon, lat = m.point("G1a")
    cid = wf.report("intake", source="hotline", description="市民来电：井盖缺失", lon=lon, lat=lat,
                    address="测试路 12 号", category_id=m.cats["MANHOLE"], reporter_name="李女士").case_id

    def form(action: str, login: str, name: str | None = None) -> None:
        c = ctx(login)
        with c.session() as s:
            d = case_detail(s, cid, actor=c.actor, wf=wf, now=c.now())
        f = form_for(action, c, d)
        grab(f"form_{name or action}", f, (520, 420))

    form("assign_verify", "intake")
    wf.assign_verify("intake", cid, m.users["sup1"])
    form("verify", "sup1")
    wf.verify("sup1", cid, confirmed=True)
    form("file", "shift")
    form("void", "shift")
    wf.file("shift", cid)
    form("change_level", "disp")
    form("dispatch", "disp")
    wf.dispatch("disp", cid, department_id=m.depts["MUN"])
    form("urge", "leader")
    wf.urge("leader", cid, opinion="尽快处理")
    form("reply_urge", "h_mun")
    form("request_extension", "h_mun")
    form("request_return", "h_mun")
    wf.request_park("h_mun", cid, reason="需要预算")
    form("decide", "disp")
    form("feedback", "h_mun")

    from gridstation.app.admin import AdminWindow

    win = AdminWindow(ctx("admin"), live=False)
    settle(win, (1400, 860))
    for key, page in win.pages.items():
        win.show_page(key)
        page.ensure_loaded()
        settle(win)
        win.grab().save(str(out / f"admin_{key}.png"))
        chain(f"admin_{key}", page)
    # the administration dialogs
    from datetime import date

    import openpyxl
    from PySide6.QtWidgets import QDialog

    from gridstation.admin import catalogue_excel as cx
    from gridstation.app.admin.catalogue_page import AddCategoryDialog, MoveDialog
    from gridstation.app.admin.import_dialog import ImportPreviewDialog
    from gridstation.app.admin.regions_page import TargetDialog
    from gridstation.app.admin.users_page import PasswordDialog

    grab("dialog_password", PasswordDialog("disp", "Kq7-xP2m-9Tz", win))
    grab("dialog_target", TargetDialog("合并 甲街道", "甲街道的网格自所选日期起作为新版本移入目标社区。",
                                       [(1, "乙街道 (S2)"), (2, "丙街道 (S3)")], date(2026, 3, 2), win))
    grab("dialog_add_category", AddCategoryDialog("C01 公用设施", win))
    nodes = win.pages["catalogue"].nodes
    grab("dialog_move_category", MoveDialog(nodes[-1], nodes, win))
    book = tmp / "catalogue.xlsx"
    cx.export_catalogue(engine, book)
    grab("dialog_import_same", ImportPreviewDialog(cx.preview_import(engine, book, "catalogue.xlsx"), win))
    wb = openpyxl.load_workbook(book)
    ws = wb.worksheets[0]
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.value == "污水井盖":
                cell.value = "污水井盖（含雨水）"
    wb.save(book)
    grab("dialog_import_changes", ImportPreviewDialog(cx.preview_import(engine, book, "catalogue.xlsx"), win))
    regions = win.pages["regions"]
    win.show_page("regions")
    regions.select(next(r.id for r in regions.regions if r.depth == 2))
    before = set(regions.findChildren(QDialog))
    regions._ask_add()
    added = [d for d in regions.findChildren(QDialog) if d not in before]
    if added:
        grab("dialog_add_region", added[0])
    (out / "tab_order.txt").write_text("\n".join(chains) + "\n", encoding="utf-8")
    win.close()
    tasks.wait_idle()
    engine.dispose()


def compare(a: Path, b: Path) -> int:
    from PySide6.QtGui import QImage

    bad = 0
    ta, tb = a / "tab_order.txt", b / "tab_order.txt"
    if ta.exists() and tb.exists():
        for la, lb in zip(ta.read_text().splitlines(), tb.read_text().splitlines()):
            print(f"{la.split(':')[0]} tab order: {'same' if la == lb else 'DIFFERS'}")
            if la != lb:
                print("   before:", la, "\n   after: ", lb)
                bad += 1
    for pa in sorted(a.glob("*.png")):
        pb = b / pa.name
        if not pb.exists():
            print(f"{pa.name}: missing in {b}")
            bad += 1
            continue
        ia, ib = QImage(str(pa)), QImage(str(pb))
        if ia.size() != ib.size():
            print(f"{pa.name}: size {ia.width()}x{ia.height()} vs {ib.width()}x{ib.height()}")
            bad += 1
            continue
        diff = sum(1 for y in range(ia.height()) for x in range(ia.width()) if ia.pixel(x, y) != ib.pixel(x, y))
        print(f"{pa.name}: {'same' if diff == 0 else f'{diff} pixels differ'}")
        bad += diff > 0
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    shoot(Path(sys.argv[1]))
