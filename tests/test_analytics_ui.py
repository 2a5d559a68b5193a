"""The analytics window on a small demo city (SQLite): the drill-down table against
``drilldown``, the cases behind a number against ``cases_behind`` (and its .xlsx), the
evaluation table against ``evaluation``, and every chart with data."""

from __future__ import annotations

import html
from datetime import date, datetime

import pytest
from PySide6.QtCore import QSettings, Qt, qInstallMessageHandler
from PySide6.QtTest import QAbstractItemModelTester
from sqlalchemy import select
from sqlalchemy.orm import Session

from gridstation.analytics import drilldown as dd
from gridstation.analytics import evaluation
from gridstation.app import tasks
from gridstation.app.analytics import AnalyticsWindow
from gridstation.app.analytics.models import FigureRole, RawRole, RowIdRole
from gridstation.app.context import AppContext
from gridstation.store.db import make_engine
from gridstation.demo.city import build_demo
from gridstation.store.model import Case
from gridstation.cases.workflow import Workflow

NOW = datetime(2026, 3, 2, 10, 0)  # a Monday
FEB = dd.Period(date(2026, 2, 1), date(2026, 3, 1))
WAIT = 20_000


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    path = tmp_path_factory.mktemp("analytics") / "demo.db"
    url = f"sqlite:///{path}"
    build_demo(url, cases=3000, now=NOW)
    return url


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path):
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    yield


@pytest.fixture
def qt_messages():
    got: list[str] = []
    prev = qInstallMessageHandler(lambda _mode, _ctx, msg: got.append(msg))
    yield got
    qInstallMessageHandler(prev)


@pytest.fixture
def ctx(demo_url):
    eng = make_engine(demo_url)
    wf = Workflow(eng)
    yield AppContext(url=demo_url, engine=eng, workflow=wf, actor=wf.actor("leader"), clock=lambda: NOW)
    tasks.wait_idle()
    eng.dispose()


@pytest.fixture
def win(qtbot, ctx):
    w = AnalyticsWindow(ctx)
    qtbot.addWidget(w)
    with qtbot.waitSignal(w.drill.loaded, timeout=WAIT):
        w.show()
    yield w
    for page in (w.drill, w.evaluation, w.charts):
        for dlg in getattr(page, "dialogs", []):
            try:
                dlg.close()
            except RuntimeError:
                pass
    tasks.wait_idle()
    w.close()


def _feb(qtbot, page) -> None:
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.period.set_custom(date(2026, 2, 1), date(2026, 2, 28))


def _figures_of(model, row: int) -> dict:
    out = {}
    for c in range(model.columnCount()):
        f = model.data(model.index(row, c), FigureRole)
        if f:
            out[f] = model.data(model.index(row, c), RawRole)
    return out


def test_drill_table_matches_drilldown_and_passes_the_model_tester(qtbot, win, ctx, qt_messages):
    page = win.drill
    tester = QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Warning)
    _feb(qtbot, page)
    # the top holds one city: the window starts there
    assert page.node.kind == "region" and page.node.level == "city"
    assert page.breadcrumb_names()[-1] == page.node.name
    with Session(ctx.engine) as s:
        expected = dd.drilldown(s, page.node, FEB, now=NOW)
    m = page.model
    assert m.rowCount() == len(expected.rows) + 1  # the children and the total
    by_name = {m.data(m.index(r, 0), RawRole): r for r in range(len(expected.rows))}
    for er in expected.rows:
        got = _figures_of(m, by_name[er.node.name])
        assert set(got) >= {"reported", "filed", "dispatched", "handled", "closed", "closure_rate", "on_time_rate",
                            "overdue_now", "reworks", "returns", "extensions", "parked", "voided",
                            "avg_close_minutes", "p90_close_minutes", "public_share"}
        for f, v in got.items():
            assert v == getattr(er.current, f), f
        assert m.data(m.index(by_name[er.node.name], m.column_of("reported", "prev")), RawRole) == er.change("reported", "prev")
    total = _figures_of(m, m.rowCount() - 1)
    assert total["reported"] == expected.total.current.reported > 0
    # 同比 and 环比 columns, every role, and sorting keep the model sane
    page.compare.setCurrentIndex(page.compare.findData("both"))
    assert m.data(m.index(0, m.column_of("closed", "yoy")), RawRole) is not None or True
    roles = [Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.ForegroundRole,
             Qt.ItemDataRole.FontRole, Qt.ItemDataRole.TextAlignmentRole, RawRole, FigureRole]
    for r in range(m.rowCount()):
        for c in range(m.columnCount()):
            for role in roles:
                m.data(m.index(r, c), role)
    col = m.column_of("reported")
    page.view.sortByColumn(col, Qt.SortOrder.DescendingOrder)
    values = [m.data(m.index(r, col), RawRole) for r in range(m.rowCount() - 1)]
    assert values == sorted(values, reverse=True)
    assert m.data(m.index(m.rowCount() - 1, 0)).startswith("Total")  # the total stays last
    assert not [q for q in qt_messages if "FAIL" in q or "QAbstractItemModelTester" in q], qt_messages
    del tester


def test_drilling_down_changes_the_breadcrumb_and_up_goes_back(qtbot, win):
    page = win.drill
    _feb(qtbot, page)
    before = page.breadcrumb_names()
    name0 = page.model.row_at(0).node.name
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        assert page.drill_row(0)
    assert page.breadcrumb_names() == before + [name0]
    assert page.node.level == "district"
    # down to the grids: street, community, grid level rows
    for level in ("street", "community"):
        with qtbot.waitSignal(page.loaded, timeout=WAIT):
            page.drill_row(0)
        assert page.node.level == level
    assert {page.model.row_at(r).node.kind for r in range(page.model.rowCount() - 1)} == {"grid"}
    assert not page.drill_row(0)  # a grid has no children
    assert len(page.breadcrumb_names()) == len(before) + 3
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.go_up()
    assert page.node.level == "street"
    # the charts follow the drill-down's node
    qtbot.waitUntil(lambda: win.charts.node is not None and win.charts.node.key == page.node.key, timeout=WAIT)


def test_cases_behind_dialog_lists_cases_behind_and_exports_xlsx(qtbot, win, ctx, tmp_path):
    from openpyxl import load_workbook

    page = win.drill
    _feb(qtbot, page)
    m = page.model
    opened = []
    win.openCase.connect(opened.append)
    for figure in ("closed", "closure_rate", "overdue_now"):
        index = m.index(0, m.column_of(figure))
        dlg = page.open_cell(index)
        assert dlg is not None
        qtbot.waitUntil(lambda: dlg.model.rowCount() > 0 or dlg.ids is not None, timeout=WAIT)
        qtbot.waitUntil(lambda: "case" in dlg.count.text(), timeout=WAIT)
        row = m.row_at(0)
        with Session(ctx.engine) as s:
            expected = dd.cases_behind(s, row.node, FEB, figure, now=NOW)
            numbers = dict(s.execute(select(Case.id, Case.number).where(Case.id.in_(expected or [-1]))).all())
        shown = sorted(dlg.model.data(dlg.model.index(r, 0), RowIdRole) for r in range(dlg.model.rowCount()))
        assert shown == expected
        if figure == "closed":
            assert len(expected) == row.current.closed
            out = tmp_path / "closed.xlsx"
            done = []
            dlg.export_to(str(out), done.append)
            qtbot.waitUntil(lambda: bool(done), timeout=WAIT)
            assert done == [len(expected)]
            ws = load_workbook(out, read_only=True).active
            rows = list(ws.iter_rows(values_only=True))
            col = rows[0].index("案件编号")
            assert sorted(str(r[col]) for r in rows[1:]) == sorted(numbers.values())
            dlg._activate(dlg.model.index(0, 1))  # double-click / Enter on a row opens the case
            assert opened == [dlg.model.data(dlg.model.index(0, 0), RowIdRole)]
        dlg.close()
    # a cell that is not a figure (the name) opens nothing
    assert page.open_cell(m.index(0, 0)) is None


def test_evaluation_table_matches_evaluation(qtbot, win, ctx):
    page = win.evaluation
    win.tabs.setCurrentWidget(page)
    QAbstractItemModelTester(page.model, QAbstractItemModelTester.FailureReportingMode.Warning)
    _feb(qtbot, page)
    for obj in ("regions", "departments", "positions"):
        if page.object.currentData() != obj:
            with qtbot.waitSignal(page.loaded, timeout=WAIT):
                page.object.setCurrentIndex(page.object.findData(obj))
        m = page.model
        with Session(ctx.engine) as s:
            res = evaluation.evaluate(s, obj, FEB, level=page.level.currentData(), now=NOW)
        assert m.rowCount() == len(res.rows) > 0
        want = {(r.object, r.id): r for r in res.rows}
        for row in range(m.rowCount()):
            er = m.row_at(row)
            exp = want[(er.object, er.id)]
            assert m.data(m.index(row, m.score_column), RawRole) == pytest.approx(exp.score)
            assert m.data(m.index(row, m.grade_column)) == (exp.grade or "")
            for k, v in exp.values.items():
                assert m.data(m.index(row, m.indicator_column(k)), RawRole) == v
            if exp.grade:
                assert m.data(m.index(row, m.grade_column), Qt.ItemDataRole.BackgroundRole) is not None
        # formulas as header tooltips
        for k in {k for r in res.rows for k in r.values}:
            tip = m.headerData(m.indicator_column(k), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
            assert tip in {evaluation.FORMULAS_EN.get(f"{r.object}.{k}") for r in res.rows}  # the user's language: English here
        scores = [m.data(m.index(r, m.score_column), RawRole) for r in range(m.rowCount())]
        scored = [x for x in scores if x is not None]
        assert scored == sorted(scored, reverse=True)


def test_every_chart_has_data_and_exports_png(qtbot, win, tmp_path):
    from PySide6.QtGui import QImage

    page = win.charts
    win.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.data is not None, timeout=WAIT)
    _feb(qtbot, page)
    assert set(page.charts) == {"daily", "on_time", "categories", "departments", "overdue", "heat"}
    cd = page.data
    assert sum(cd.reported) > 0 and sum(cd.closed) > 0
    for key, box in page.charts.items():
        assert box.items, key
        assert box.plot.getPlotItem().items, key
        out = tmp_path / f"{key}.png"
        box.export_png(str(out), width=1200)
        assert QImage(str(out)).width() == 1200
    # hover text and click-through to the cases behind a daily bar
    from gridstation.app.analytics.charts import DAY, day_ts

    i = max(range(len(cd.days)), key=lambda j: cd.reported[j])
    x = day_ts(cd.days[i]) + DAY / 2
    text, spec = page.charts["daily"].hit(x, 0.1)
    assert str(cd.reported[i]) in text and spec["figure"] == "reported"
    dlg = page.charts["daily"].open_at(x, 0.1)
    qtbot.waitUntil(lambda: dlg.ids is not None and dlg.model.rowCount() == cd.reported[i], timeout=WAIT)
    dlg.close()
    # the heatmap counts the same reports
    assert sum(map(sum, cd.heat)) >= sum(cd.reported)


def test_this_month_to_date_is_compared_with_the_same_days_and_the_header_says_so(qtbot, win):
    """The default period is 本月至今 (1–2 March on 2 March), compared with 1–2 February (环比) and
    1–2 March a year earlier (同比); the header line names both spans; rates change in points."""
    page = win.drill
    d = page.model.drill
    assert (d.period.start, d.period.last) == (date(2026, 3, 1), date(2026, 3, 2))
    assert (d.prev_period.start, d.prev_period.last) == (date(2026, 2, 1), date(2026, 2, 2))
    assert (d.yoy_period.start, d.yoy_period.last) == (date(2025, 3, 1), date(2025, 3, 2))
    page.compare.setCurrentIndex(page.compare.findData("both"))
    text = page.spans.text()
    assert "2026-03-01 – 2026-03-02" in text and "2026-02-01 – 2026-02-02" in text and "2025-03-01 – 2025-03-02" in text
    m = page.model
    row = next(r for r in range(m.rowCount()) if m.data(m.index(r, m.column_of("closure_rate", "prev")), RawRole) is not None)
    r = m.row_at(row)
    assert m.data(m.index(row, m.column_of("closure_rate", "prev")), RawRole) == pytest.approx(
        r.current.closure_rate - r.prev.closure_rate)


def test_charts_draw_no_future_days_name_unclassified_cases_and_show_colour_scales(qtbot, win, ctx):
    page = win.charts
    win.tabs.setCurrentWidget(page)
    qtbot.waitUntil(lambda: page.data is not None, timeout=WAIT)
    # a range running past today (2 March): days after today are not drawn
    with qtbot.waitSignal(page.loaded, timeout=WAIT):
        page.period.set_custom(date(2026, 2, 20), date(2026, 3, 31))
    cd = page.data
    assert cd.days[0] == date(2026, 2, 20) and cd.days[-1] == NOW.date() and len(cd.reported) == len(cd.days) == 11
    assert cd.weeks[-1].start <= NOW.date() < cd.weeks[-1].end
    # the reports not yet filed have no category: the bar says so, and opens exactly those cases
    labels = [t for _, t in page.charts["categories"].plot.getAxis("left")._tickLevels[0]]
    assert "—" not in labels
    unclassified = [c for c in cd.categories if not c[0]]
    assert unclassified, "the demo has reports not yet filed in the period"
    i = cd.categories.index(unclassified[0])
    ys = len(cd.categories) - 1 - i
    text, spec = page.charts["categories"].hit(1, ys)
    assert text.startswith("Uncategorised")  # English here: the test runs untranslated
    with Session(ctx.engine) as s:
        ids = spec["loader"](s)
        states = {st for (st,) in s.execute(select(Case.state).where(Case.id.in_(ids)))}
    assert len(ids) == unclassified[0][2] and "closed" not in states
    # every colour scale has a legend: the heat map's colour bar, the grades of the departments
    heat = page.charts["heat"]
    assert heat.colorbar is not None and heat.colorbar.levels() == (0, max(1.0, max(map(max, cd.heat))))
    legend = page.charts["departments"].plot.getPlotItem().legend
    assert [html.unescape(label.text) for _, label in legend.items] == ["A ≥ 90", "B ≥ 75", "C ≥ 60", "D ≥ 40", "E < 40"]
