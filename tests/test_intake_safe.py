"""The intake dialog counts characters, refuses too long text instead of cutting it, and after
a lost reply tells the user what actually happened: saved once, as case 2026…"""

from __future__ import annotations

import os

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import func, select

from gridstation.app import tasks
from gridstation.app.cases.counter import counter_of
from gridstation.app.cases.intake import IntakeDialog
from gridstation.app.context import AppContext
from gridstation.cases.workflow import Workflow
from gridstation.store import limits
from gridstation.store.model import Case
from tests.minicity import build_mini_city


@pytest.fixture
def intake(qtbot, engine, db_url, monkeypatch):
    m = build_mini_city(engine)
    wf = Workflow(engine)
    ctx = AppContext(url=db_url, engine=engine, workflow=wf, actor=wf.actor("intake"))
    dlg = IntakeDialog(ctx)
    qtbot.addWidget(dlg)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, title, text, *a: shown.append((title, text)))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, title, text, *a: shown.append((title, text)))
    yield dlg, m, wf, shown
    tasks.wait_idle()


def _cases(engine) -> int:
    with engine.connect() as c:
        return c.execute(select(func.count()).select_from(Case)).scalar()


def test_counter_and_no_silent_cut(qtbot, intake, tmp_path):
    dlg, m, wf, _ = intake
    dlg.show()
    qtbot.waitUntil(lambda: bool(dlg._grids), timeout=10_000)
    dlg.set_grid(m.grids["G1a"])
    c = counter_of(dlg.description)
    dlg.description.setPlainText("井" * (limits.DESCRIPTION + 1))
    assert c.text() == f"{limits.DESCRIPTION + 1}/{limits.DESCRIPTION}" and c.too_long() and c.isVisible()
    pasted = "路" * (limits.ADDRESS + 10)
    dlg.address.setText(pasted)
    assert dlg.address.text() == pasted  # Qt's maxLength would have cut this without a word
    if os.environ.get("GS_SCREENSHOTS"):
        dlg.grab().save(str(tmp_path / "intake_counter.png"))
        print("screenshot:", tmp_path / "intake_counter.png")
    dlg.save()
    assert "2001" in dlg.error.text() and dlg.error.isVisible()
    assert _cases(dlg.ctx.engine) == 0
    dlg.description.setPlainText("井盖缺失")
    assert c.text() == f"4/{limits.DESCRIPTION}" and not c.too_long()


def test_a_retried_report_says_saved_once(qtbot, intake):
    dlg, m, wf, shown = intake
    qtbot.waitUntil(lambda: bool(dlg._grids), timeout=10_000)
    dlg.set_grid(m.grids["G1a"])
    dlg.description.setPlainText("井盖缺失")
    # the first try was saved but its reply never came back; the user presses Save again
    first = wf.report(dlg.ctx.actor, source=dlg.source.currentData(), description="井盖缺失", grid_id=m.grids["G1a"],
                      submission_id=dlg.submission_id)
    with qtbot.waitSignal(dlg.reported, timeout=20_000) as sig:
        dlg.save()  # checks for duplicates first (it finds the saved one), then...
        qtbot.waitUntil(lambda: not dlg._dup_running and dlg._checked_key == dlg._dup_key(), timeout=10_000)
        if dlg.isVisible() or not sig.signal_triggered:
            dlg.save()  # ...the operator saves anyway: the same submission, so no second case
    assert sig.args == [first.case_id]
    assert _cases(dlg.ctx.engine) == 1
    assert first.number in dlg.last_message and "saved once" in dlg.last_message
    assert shown and first.number in shown[-1][1]
