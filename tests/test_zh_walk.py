"""Every window and page of the client in zh_CN shows no English (tooltips included).

The walk opens, in Simplified Chinese, the sign-in dialog, the main window of each position with
each of its queues, the case pane, every action form and the new-report dialog, the analytics
window with its three tabs, every administration page, the wall and the weekly review's PDF (its
text through ``pdftotext``), and collects the text a user can see: labels, buttons, titles, tabs,
menus and toolbars, combo box items, placeholders, table headers and the first rows of every
table and list, chart titles, axis labels and legends. It fails on any Latin word that is not a
code or a unit (``ALLOWED``); numbers, codes with digits (grid and case numbers, logins such as
``dispatch1``), URLs and file names are not words.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from datetime import datetime

import pytest
from PySide6.QtCore import QModelIndex, QSettings, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QPlainTextEdit,
    QTabBar,
    QTabWidget,
    QTextEdit,
    QToolBar,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.accounts.users import authenticate
from gridstation.app import i18n, tasks
from gridstation.app.context import AppContext
from gridstation.cases.workflow import Workflow
from gridstation.demo.city import DEMO_PASSWORD, build_demo
from gridstation.store.db import make_engine
from gridstation.store.model import Case, User

NOW = datetime(2026, 12, 4, 10, 0)
WAIT = 30_000

#: Latin words a Chinese user may see: units, codes, product and format names, key names.
ALLOWED = {
    # units
    "km", "m", "h", "min", "s", "ms", "px", "pt", "dpi",
    # product, database, file formats, protocols
    "GridStation", "SQLite", "PostgreSQL", "Excel", "xlsx", "csv", "CSV", "PDF", "pdf", "PNG", "png", "JPEG", "jpg",
    "GeoJSON", "geojson", "JSON", "json", "Shapefile", "shp", "zip", "URL", "WGS", "GCJ", "CGCS", "EPSG", "ID",
    "TSV", "tsv", "xls", "qss", "postgresql", "sqlite", "db", "psycopg",
    # keys on the keyboard (shortcut hints)
    "Ctrl", "Shift", "Alt", "Enter", "Esc", "Del", "Delete", "Tab", "Backspace", "F", "Space",
    # names of formats and services the user configures
    "MBTiles", "XYZ", "English",  # "English": the language menu names each language in itself
    # demo logins and their password (codes a user types)
    "leader", "admin", "demo", "wall",
    # the pinyin initials example of the category search
    "bllj",
}
#: Columns of data that are codes or another language by design: (table objectName, column).
CODE_COLUMNS = {("LevelTable", 0), ("LevelTable", 2),  # a level's key, its English name
                ("UserTable", 0)}  # login
_URL = re.compile(r"\b[a-z][a-z0-9+.\-]*://\S+|\b\S+@\S+|(?:[A-Za-z]:)?[/\\]\S*[/\\]\S*")
_FILE = re.compile(r"\b[\w\-]+\.(?:xlsx|csv|pdf|png|json|geojson|zip|shp|db|qss)\b", re.IGNORECASE)
_CODE = re.compile(r"\S*\d\S*")  # anything with a digit: numbers, codes, logins, dates
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text`` that are neither codes nor units (empty: the text is fine)."""
    t = html.unescape(re.sub(r"<[^>]+>", " ", text or ""))
    t = re.sub(r"\(&\w\)|&(?=\w)", "", t)  # mnemonics: 视图(&V)
    t = _URL.sub(" ", t)
    t = _FILE.sub(" ", t)
    t = _CODE.sub(" ", t)
    # a single letter is a symbol (P(X ≥ n), grades A–E), not a word
    return [w for w in _WORD.findall(t) if len(w) > 1 and w not in ALLOWED]


def test_latin_words_filter():
    assert latin_words("上报数 12 km · 3.5 h · 网格 110101001001001 · dispatch1") == []
    assert latin_words("导出到 /tmp/x/out.xlsx，见 https://example.org/a") == []
    assert latin_words("Total · 郑州市") == ["Total"]
    assert latin_words("vs prev.") == ["vs", "prev"]
    assert latin_words("<b>合计</b> &amp; 环比 +1.2 个百分点") == []


# ------------------------------------------------------------------------------ collecting


def _model_texts(view: QAbstractItemView, rows: int = 15) -> list[str]:
    m = view.model()
    if m is None:
        return []
    out = []
    from PySide6.QtCore import Qt

    try:
        ncols = m.columnCount(QModelIndex())
    except TypeError:  # a list model: one column
        ncols = 1
    for c in range(ncols):
        h = m.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if isinstance(h, str):
            out.append(h)
    for c in range(ncols):
        h = m.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        if isinstance(h, str):
            out.append(h)
    for r in range(min(rows, m.rowCount(QModelIndex()))):
        for c in range(min(ncols, 40)):
            if (view.objectName(), c) in CODE_COLUMNS:
                continue
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                v = m.data(m.index(r, c), role)
                if isinstance(v, str):
                    out.append(v)
    return out


def _menu_texts(menu: QMenu) -> list[str]:
    out = [menu.title()]
    for a in menu.actions():
        out.append(a.text())
        if a.menu() is not None:
            out += _menu_texts(a.menu())
    return out


def _plot_texts(w) -> list[str]:
    """Title, axis labels and legend of a pyqtgraph PlotWidget."""
    out = []
    try:
        pi = w.getPlotItem()
    except AttributeError:
        return out
    out.append(pi.titleLabel.text or "")
    for name in ("left", "bottom", "right", "top"):
        ax = pi.getAxis(name)
        if ax is not None and ax.isVisible():
            out.append(ax.labelText or "")
    if pi.legend is not None:
        for _, label in pi.legend.items:
            out.append(label.text)
    for name in ("left", "bottom"):  # ticks set by hand are words (categories, weekdays, buckets)
        for level in getattr(pi.getAxis(name), "_tickLevels", None) or []:
            out += [str(t) for _, t in level]
    from PySide6.QtWidgets import QGraphicsSimpleTextItem, QGraphicsTextItem

    for it in w.scene().items():  # every other text item: colour bar labels, text items
        if isinstance(it, QGraphicsTextItem) and it.isVisible():
            out.append(it.toPlainText())
        elif isinstance(it, QGraphicsSimpleTextItem) and it.isVisible():
            out.append(it.text())
    return out


def visible_texts(root: QWidget) -> list[tuple[str, str]]:
    """(where, text) of everything a user sees in ``root`` now."""
    out: list[tuple[str, str]] = []

    def add(w, texts):
        name = f"{type(root).__name__}/{type(w).__name__}:{w.objectName()}"
        for t in texts:
            if t:
                out.append((name, t))

    widgets = [root] + root.findChildren(QWidget)
    for w in widgets:
        if w is not root and not w.isVisibleTo(root):
            continue
        add(w, [w.toolTip()])  # tooltips are read too
        if isinstance(w, (QMainWindow, QDockWidget)) or w.isWindow():
            add(w, [w.windowTitle()])
        if isinstance(w, QLabel):
            add(w, [w.text()])
        elif isinstance(w, QAbstractButton):
            add(w, [w.text()])
        elif isinstance(w, QGroupBox):
            add(w, [w.title()])
        elif isinstance(w, QTabBar):
            add(w, [w.tabText(i) for i in range(w.count())])
        elif isinstance(w, QComboBox):
            add(w, [w.itemText(i) for i in range(w.count())])
        elif isinstance(w, QLineEdit):
            add(w, [w.placeholderText()])
        elif isinstance(w, (QTextEdit, QPlainTextEdit)):
            add(w, [w.placeholderText()])
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):  # headers: via the table
            add(w, _model_texts(w))
        elif isinstance(w, QToolBar):
            add(w, [a.text() for a in w.actions()])
        if isinstance(w, QMainWindow) and w.menuBar() is not None:
            for a in w.menuBar().actions():
                if a.menu() is not None:
                    add(w, _menu_texts(a.menu()))
        if hasattr(w, "getPlotItem"):
            add(w, _plot_texts(w))
    return out


class Walk:
    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.bad: list[tuple[str, str, list[str]]] = []
        self.seen = 0

    def check(self, root: QWidget, where: str = "") -> None:
        self.qtbot.wait(50)
        for name, text in visible_texts(root):
            self.seen += 1
            words = latin_words(text)
            if words:
                self.bad.append((f"{where} {name}", text[:120], words))

    def check_text(self, where: str, text: str) -> None:
        for line in text.splitlines():
            self.seen += 1
            words = latin_words(line)
            if words:
                self.bad.append((where, line[:120], words))

    def report(self) -> str:
        seen = {}
        for where, text, words in self.bad:
            seen.setdefault((text, tuple(words)), where)
        return "\n".join(f"{w}: {t!r} → {ws}" for (t, ws), w in list(seen.items())[:80])


# ------------------------------------------------------------------------------ the walk


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("zhwalk") / "demo.db"
    url = f"sqlite:///{path}"
    build_demo(url, cases=1500, now=NOW)
    return url


@pytest.fixture
def zh(qapp, tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    assert i18n.install(qapp, "zh_CN") == "zh_CN"
    yield
    tasks.wait_idle()
    i18n.install(qapp, "en")


def _ctx(url, login, **kw):
    eng = make_engine(url)
    wf = Workflow(eng)
    return AppContext(url=url, engine=eng, workflow=wf, actor=authenticate(eng, login, DEMO_PASSWORD), clock=lambda: NOW,
                      **kw)


def _logins(url) -> dict[str, str]:
    """One login of each position."""
    eng = make_engine(url)
    with Session(eng) as s:
        out = {}
        for login, pos in s.execute(select(User.login, User.position).order_by(User.id)):
            out.setdefault(pos, login)
    eng.dispose()
    return out


def test_every_window_and_page_is_chinese(qtbot, zh, demo, tmp_path):
    from gridstation.app.accounts.signin import SignInDialog
    from gridstation.app.analytics import AnalyticsWindow
    from gridstation.app.cases.case_pane import CasePane
    from gridstation.app.cases.forms import FORMS, form_for
    from gridstation.app.cases.intake import IntakeDialog
    from gridstation.app.cases.queue_pane import QueuePane
    from gridstation.cases.queues import case_detail, queues_for

    walk = Walk(qtbot)

    dlg = SignInDialog(default_url=demo)
    qtbot.addWidget(dlg)
    dlg.show()
    walk.check(dlg, "sign-in")
    dlg.close()

    # every position's queues, each queue with its rows
    logins = _logins(demo)
    for pos, login in logins.items():
        if pos == "wall":
            continue
        ctx = _ctx(demo, login)
        pane = QueuePane(ctx)
        qtbot.addWidget(pane)
        pane.show()
        for q in queues_for(ctx.actor.position):
            pane.set_queue(q.key)
            qtbot.waitUntil(lambda: not getattr(pane, "loading", False), timeout=WAIT)
            qtbot.wait(300)
            walk.check(pane, f"queue {pos}/{q.key}")
        pane.close()
        tasks.wait_idle()
        ctx.engine.dispose()

    # the case pane on a case of each state, and every action form on it
    ctx = _ctx(demo, logins["dispatcher"])
    with Session(ctx.engine) as s:
        by_state = {}
        for cid, st in s.execute(select(Case.id, Case.state).order_by(Case.id)):
            by_state.setdefault(st, cid)
    case_pane = CasePane(ctx)
    qtbot.addWidget(case_pane)
    case_pane.resize(700, 900)
    case_pane.show()
    for st, cid in by_state.items():
        case_pane.show_case(cid)
        qtbot.waitUntil(lambda: case_pane.detail is not None and case_pane.detail.id == cid, timeout=WAIT)
        walk.check(case_pane, f"case pane ({st})")
    with Session(ctx.engine) as s:
        detail = case_detail(s, by_state.get("handling", next(iter(by_state.values()))), actor=ctx.actor,
                             wf=ctx.workflow, now=NOW)
    for action in FORMS:
        form = form_for(action, ctx, detail, case_pane)
        form.show()
        qtbot.wait(100)
        walk.check(form, f"form {action}")
        form.close()
        form.deleteLater()
    case_pane.close()
    intake_ctx = _ctx(demo, logins["intake_operator"])
    intake = IntakeDialog(intake_ctx)
    qtbot.addWidget(intake)
    intake.show()
    walk.check(intake, "new report")
    intake.close()
    tasks.wait_idle()

    # the main window of the dispatcher, with its menus, docks and status bar
    from gridstation.app.mainwindow import MainWindow

    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.map.is_ready, timeout=60_000)
    qtbot.wait(500)
    walk.check(win, "main window")
    walk.check_text("map page", win.map.run_js_sync("document.body.innerText") or "")  # legend, layer switch

    # analytics, each of the three tabs
    aw = AnalyticsWindow(ctx)
    qtbot.addWidget(aw)
    with qtbot.waitSignal(aw.drill.loaded, timeout=WAIT):
        aw.show()
    for i in range(aw.tabs.count()):
        aw.tabs.setCurrentIndex(i)
        page = aw.tabs.widget(i)
        if hasattr(page, "loaded") and i:
            try:
                qtbot.waitSignal(page.loaded, timeout=WAIT).wait()
            except Exception:  # noqa: BLE001 - already loaded
                pass
        qtbot.wait(1500)
        walk.check(aw, f"analytics tab {i}")
    aw.close()
    tasks.wait_idle()

    # administration, every page
    from gridstation.app.admin import AdminWindow

    actx = _ctx(demo, logins["admin"])
    adm = AdminWindow(actx, live=False)
    qtbot.addWidget(adm)
    adm.show()
    for row in range(adm.nav.count()):
        adm.nav.setCurrentRow(row)
        qtbot.wait(1200)
        walk.check(adm, f"admin page {row}")
    adm.close()
    tasks.wait_idle()

    # the wall
    from gridstation.app.wall.controller import WallController
    from gridstation.app.wall.main import sign_in
    from gridstation.app.wall.window import MapPanel, WallWindow
    from gridstation.wall.layout import default_layout

    engine, actor = sign_in(demo, "wall", DEMO_PASSWORD)
    wctx = AppContext(url=demo, engine=engine, workflow=Workflow(engine), actor=actor, read_only=True, clock=lambda: NOW)
    layout = default_layout(1)
    ww = WallWindow(layout.screens[0], title="数字化城市管理监督指挥中心", height=1080,
                    ticker_items=layout.ticker_items, ranking_items=layout.ranking_items)
    ww.resize(QSize(1920, 1080))
    qtbot.addWidget(ww)
    ww.show()
    ctrl = WallController(wctx, layout, [ww], status_file=tmp_path / "status.json", status_interval=1.0)
    ctrl.start()
    qtbot.wait(4000)
    walk.check(ww, "wall")
    ctrl.stop()
    for p in ww.panels:
        if isinstance(p, MapPanel):
            p.map.close()
            p.map.page().deleteLater()
    ww.close()

    # the weekly review's PDF
    from gridstation.app.report.weekly import write_weekly_pdf
    from gridstation.report.weekly import weekly_review

    with Session(ctx.engine) as s:
        data = weekly_review(s, None, NOW.date().isocalendar()[:2], now=NOW)
    pdf = tmp_path / "weekly.pdf"
    write_weekly_pdf(pdf, data)
    assert shutil.which("pdftotext"), "pdftotext (poppler-utils) is needed to read the PDF"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "周" in text
    walk.check_text("weekly review PDF", text)

    win.hub.stop()
    win.close()
    win.map.close()
    win.map.page().deleteLater()
    tasks.wait_idle()
    assert walk.seen > 1000
    assert not walk.bad, "English in the Chinese client:\n" + walk.report()
