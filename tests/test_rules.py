"""The workflow's rules as data: seeded by the migration, validated as a whole, edited by the
administrator with an audit, and read by every workflow on its next action."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select, text

from gridstation.admin import workflow_rules as admin_rules
from gridstation.admin.common import AdminForbidden, ConfigConflict
from gridstation.cases import rules
from gridstation.cases.model import WorkflowRule
from gridstation.cases.workflow import Workflow
from gridstation.errors import Forbidden, InvalidState
from gridstation.store.db import session_factory
from gridstation.store.model import ChangeLog, ConfigChange
from tests.minicity import build_mini_city


@pytest.fixture
def city(engine):
    return build_mini_city(engine)


def _codes(rs) -> set[str]:
    return {p.code for p in rules.problems(rs)}


# --------------------------------------------------------------------------- pure


def test_the_default_rules_are_valid_and_every_profile_too():
    assert rules.problems(rules.default_ruleset()) == []
    for name in rules.profile_names():
        rs = rules.from_dict(rules.profile_data(name), name=name)
        assert rules.problems(rs) == [], name


def test_a_state_that_cannot_be_left_is_refused():
    rs = rules.with_grant(rules.default_ruleset(), "resume", "dispatcher", None)
    rs = rules.with_grant(rs, "resume", "street_dispatcher", None)
    found = rules.problems(rs)
    assert {p.code for p in found} >= {"nobody_acts", "dead_end"}
    assert any(p.code == "dead_end" and p.subject == "parked" for p in found)


def test_closing_without_recheck_is_refused_where_the_profile_demands_it():
    rs = rules.default_ruleset()
    lax = rules.with_grant(rs, "close", "shift_leader", ["to_check", "to_close"])
    assert "close_without_recheck" in _codes(lax)
    # a profile that does not demand the re-check may do it
    assert "close_without_recheck" not in _codes(replace(lax, require_recheck=False))


def test_an_action_nobody_may_take_and_a_request_nobody_approves_are_refused():
    rs = rules.with_grant(rules.default_ruleset(), "file", "shift_leader", None)
    assert "nobody_acts" in _codes(rs)
    approvers = {k: v for k, v in rules.default_ruleset().approvers.items() if k[0] != "park"}
    assert "nobody_approves" in _codes(replace(rules.default_ruleset(), approvers=approvers))


def test_unknown_names_and_read_only_positions_are_refused():
    rs = rules.default_ruleset()
    assert "unknown_position" in _codes(rules.with_grant(rs, "file", "nobody", ["to_file"]))
    assert "bad_state" in _codes(rules.with_grant(rs, "file", "shift_leader", ["to_fly"]))
    assert "bad_scope" in _codes(rules.with_grant(rs, "file", "shift_leader", ["to_file"], "galaxy"))
    assert "read_only_acts" in _codes(rules.with_grant(rs, "file", "wall", ["to_file"]))
    assert "terminal_state" in _codes(rules.with_grant(rs, "file", "shift_leader", ["to_file", "closed"]))
    assert rules.problems(rs, in_use=["ghost"])[0].code == "position_in_use"


def test_a_state_from_which_no_case_is_ever_closed_is_found():
    # 返工 and 核查 only loop: nobody closes from 待结案 (closing moved to 自处理待审核 only), and
    # nothing voids after dispatch, so a dispatched case can never be closed
    rs = rules.default_ruleset()
    rs = rules.with_grant(rs, "close", "shift_leader", ["self_review"])
    codes = _codes(rs)
    assert "no_way_out" in codes and "nobody_acts" not in codes


def test_profile_round_trip_through_the_dictionary_form():
    rs = rules.default_ruleset()
    again = rules.from_dict(rs.to_dict())
    assert rules.diff(rs, again) == []


# --------------------------------------------------------------------------- database


def test_the_migration_seeds_exactly_the_demo_profile(engine):
    with session_factory(engine)() as s:
        seeded = rules.load(s)
    assert seeded is not None
    assert rules.diff(rules.default_ruleset(), seeded) == []
    # one row per (action, position, state): what database-side enforcement reads
    with engine.connect() as c:
        n = c.execute(text("SELECT count(*) FROM wf_rule WHERE action = 'dispatch' AND position = 'street_dispatcher' "
                           "AND state = 'to_dispatch' AND scope = 'command'")).scalar()
    assert n == 1


def test_admin_edits_are_validated_audited_and_reach_a_running_workflow(engine, city):
    wf = Workflow(engine)
    shift = wf.actor("shift")
    cid = wf.report("sup1", source="supervisor", description="垃圾", lon=113.7005, lat=34.7704).case_id
    assert "file" in wf.allowed_actions(shift, cid)
    rev = wf.rules.revision

    # refused as a whole: nothing changes, nothing audited
    with session_factory(engine)() as s:
        before = (s.scalar(select(ConfigChange.id).order_by(ConfigChange.id.desc()).limit(1)),
                  s.scalar(select(ChangeLog.seq).order_by(ChangeLog.seq.desc()).limit(1)))
    with pytest.raises(rules.InvalidRules) as e:
        admin_rules.set_grant(engine, "admin", "file", "shift_leader", None, expected_revision=rev)
    assert any(p.code == "nobody_acts" for p in e.value.problems)
    with pytest.raises(AdminForbidden):
        admin_rules.set_grant(engine, "shift", "file", "intake_operator", ["to_file"])

    # the intake operator may also file now: the same Workflow object sees it on its next call
    changes = admin_rules.set_grant(engine, "admin", "file", "intake_operator", ["to_file"], expected_revision=rev)
    assert [(d.entity, d.key, d.field) for d in changes] == [
        ("rule", "file/intake_operator", "scope"), ("rule", "file/intake_operator", "states")]
    intake = wf.actor("intake")
    assert "file" in wf.allowed_actions(intake, cid)
    wf.file(intake, cid, category_id=city.cats["GARBAGE"])
    with session_factory(engine)() as s:
        audit = [(c.entity, c.entity_id, c.field, c.new_value)
                 for c in s.scalars(select(ConfigChange).where(ConfigChange.id > (before[0] or 0)))]
        feed = [(c.entity, c.action) for c in s.scalars(select(ChangeLog).where(ChangeLog.seq > (before[1] or 0)))]
    assert ("rules", "rule:file/intake_operator", "states", "to_file") in audit
    assert ("rules", "update") in feed

    # a stale editor is refused
    with pytest.raises(ConfigConflict):
        admin_rules.set_grant(engine, "admin", "file", "intake_operator", None, expected_revision=rev)
    # taking it away again works, and the workflow follows
    admin_rules.set_grant(engine, "admin", "file", "intake_operator", None)
    cid2 = wf.report("sup1", source="supervisor", description="垃圾2", lon=113.7005, lat=34.7704).case_id
    with pytest.raises(Forbidden):
        wf.file(intake, cid2, category_id=city.cats["GARBAGE"])
    with session_factory(engine)() as s:
        assert s.scalar(select(WorkflowRule.id).where(WorkflowRule.position == "intake_operator",
                                                      WorkflowRule.action == "file")) is None


def test_a_position_held_by_users_cannot_be_removed(engine, city):
    with session_factory(engine)() as s:
        rs = admin_rules.load(s)
    positions = {k: v for k, v in rs.positions.items() if k != "leader"}
    grants = {k: g for k, g in rs.grants.items() if k[1] != "leader"}
    with pytest.raises(rules.InvalidRules) as e:
        admin_rules.save(engine, "admin", replace(rs, positions=positions, grants=grants))
    assert [p.code for p in e.value.problems] == ["position_in_use"]


def test_a_profiles_own_position_acts_by_its_rules(engine, city):
    """A 网格长 (grid leader, a position the code does not know) reports, self-handles and
    re-checks; the shift leader may assign him the re-check."""
    from gridstation.admin.users import add_user

    with session_factory(engine)() as s:
        rs = admin_rules.load(s)
    gl = rules.PositionDef("grid_leader", "网格长", "supervisor", "Grid leader", "supervision", level="community",
                           self_handle=True, reports=frozenset({"supervisor"}))
    rs = replace(rs, positions={**rs.positions, "grid_leader": gl})
    for action, states in (("recheck", ["to_check"]), ("verify", ["to_verify"])):
        rs = rules.with_grant(rs, action, "grid_leader", states)
    admin_rules.save(engine, "admin", rs)
    _uid, _pw = add_user(engine, "admin", login="gl1", name="网格长一", position="grid_leader",
                        region_id=city.regions["C1"])
    wf = Workflow(engine)
    gl1 = wf.actor("gl1")
    assert gl1.position == "grid_leader" and gl1.role == "supervisor"
    r = wf.report(gl1, source="supervisor", description="小广告", self_handled=True, lon=113.7005, lat=34.7704)
    assert r.state == "self_review"
    with pytest.raises(Forbidden):  # only reports from his own community
        wf.report(gl1, source="supervisor", description="x", lon=113.7005 + 2 * 0.0011, lat=34.7704)
    with pytest.raises(InvalidState):
        wf.recheck(gl1, r.case_id, fixed=True)
