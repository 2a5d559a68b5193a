"""The workflow rules page driven as an administrator would (offscreen, SQLite and PostgreSQL):
a cell edited in the matrix, a draft the validator refuses kept from saving, a valid draft
saved with its audit, and a running workflow that follows."""

from __future__ import annotations

from sqlalchemy import select

from gridstation.cases import rules
from gridstation.cases.workflow import Workflow
from gridstation.store.db import session_factory
from gridstation.store.model import ConfigChange
from tests.test_admin_window import WAIT, admin_window, city, isolated_settings  # noqa: F401  (fixtures)


def test_edit_a_cell_refuse_a_broken_draft_and_save_a_good_one(qtbot, engine, city, admin_window):  # noqa: F811
    win = admin_window()
    page = win.show_page("rules")
    qtbot.waitUntil(lambda: page.is_idle() and page.saved is not None, timeout=WAIT)
    assert page.matrix.rowCount() == len(page.saved.positions)
    assert not page.save_button.isEnabled()

    # nobody may file any more: refused in the draft, the save button stays off
    page.select_cell("file", "shift_leader")
    assert page.allowed.isChecked() and page.state_boxes["to_file"].isChecked()
    page.allowed.setChecked(False)
    page.apply_cell()
    assert page.problems.count() >= 1 and not page.save_button.isEnabled()
    page.revert_button.click()
    assert page.problems.count() == 0

    # the intake operator may file too
    page.select_cell("file", "intake_operator")
    assert not page.allowed.isChecked()
    page.allowed.setChecked(True)
    page.state_boxes["to_file"].setChecked(True)
    page.scope.setCurrentIndex(page.scope.findData("region"))
    page.apply_cell()
    assert page.problems.count() == 0 and page.save_button.isEnabled()
    page.save_button.click()
    qtbot.waitUntil(lambda: page.message.state() == "info", timeout=WAIT)
    qtbot.waitUntil(lambda: page.is_idle() and page.saved is not None
                    and page.saved.grant("file", "intake_operator") is not None, timeout=WAIT)
    with session_factory(engine)() as s:
        assert rules.load(s).grant("file", "intake_operator").states == {"to_file"}
        assert s.scalar(select(ConfigChange.new_value).where(ConfigChange.entity == "rules",
                                                             ConfigChange.entity_id == "rule:file/intake_operator",
                                                             ConfigChange.field == "states")) == "to_file"
    wf = Workflow(engine)
    cid = wf.report("sup1", source="supervisor", description="垃圾", lon=113.7005, lat=34.7704).case_id
    assert "file" in wf.allowed_actions(wf.actor("intake"), cid)


def test_add_a_position_and_give_it_an_action(qtbot, engine, city, admin_window):  # noqa: F811
    win = admin_window()
    page = win.show_page("rules")
    qtbot.waitUntil(lambda: page.is_idle() and page.saved is not None, timeout=WAIT)
    rows = page.matrix.rowCount()
    page.pos_key.setText("grid_leader")
    page.pos_name.setText("网格长")
    page.pos_role.setCurrentIndex(page.pos_role.findData("supervisor"))
    page.pos_center.setCurrentIndex(page.pos_center.findData("supervision"))
    page.pos_sources["supervisor"].setChecked(True)
    page.pos_self.setChecked(True)
    page.apply_position()
    assert page.matrix.rowCount() == rows + 1 and page.problems.count() == 0
    page.select_cell("recheck", "grid_leader")
    page.allowed.setChecked(True)
    page.state_boxes["to_check"].setChecked(True)
    page.apply_cell()
    # a position users hold cannot go
    page.select_cell("file", "shift_leader")
    assert page.pos_key.text() == "shift_leader"
    page.remove_position()
    assert page.problems.count() >= 1 and not page.save_button.isEnabled()
    page.revert_button.click()
    assert "grid_leader" not in page.draft.positions
    # again, and save
    page.pos_key.setText("grid_leader")
    page.pos_name.setText("网格长")
    page.pos_role.setCurrentIndex(page.pos_role.findData("supervisor"))
    page.pos_sources["supervisor"].setChecked(True)
    page.apply_position()
    page.save_button.click()
    qtbot.waitUntil(lambda: page.is_idle() and page.saved is not None and "grid_leader" in page.saved.positions,
                    timeout=WAIT)
    with session_factory(engine)() as s:
        saved = rules.load(s)
    assert saved.positions["grid_leader"].reports == {"supervisor"}
    assert saved.positions["grid_leader"].role == "supervisor"


def test_the_users_page_offers_a_profiles_own_positions(qtbot, engine, city, admin_window):  # noqa: F811
    from dataclasses import replace

    from gridstation.admin import workflow_rules

    with session_factory(engine)() as s:
        rs = rules.load(s)
    gl = rules.PositionDef("grid_leader", "网格长", "supervisor", "Grid leader", "supervision",
                           reports=frozenset({"supervisor"}), self_handle=True)
    workflow_rules.save(engine, "admin", replace(rs, positions={**rs.positions, "grid_leader": gl}))
    win = admin_window()
    page = win.show_page("users")
    qtbot.waitUntil(lambda: page.is_idle() and page.position.findData("grid_leader") >= 0, timeout=WAIT)
    assert page.position.itemText(page.position.findData("grid_leader")) == "Grid leader"
    assert page.position.findData("supervisor") == 0
