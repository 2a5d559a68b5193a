"""the workflow as data: positions, rules, approvals and report sources in wf_* tables;
region boundaries

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-04 15:40:00

Seeds the rules the code had as constants until now (the demo profile), so behaviour is
unchanged. A frozen copy: resources/profiles/demo.toml may change later, this may not.
"""
from datetime import datetime

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0003'
branch_labels = None
depends_on = None

# (key, name, name_en, role, center, command_level, level, self_handle)
POSITIONS = [
    ('supervisor', '监督员', 'Supervisor', 'supervisor', 'supervision', None, 'street', True),
    ('intake_operator', '受理员', 'Intake operator', 'intake_operator', 'supervision', None, None, False),
    ('shift_leader', '值班长', 'Shift leader', 'shift_leader', 'supervision', None, None, False),
    ('dispatcher', '派遣员', 'Dispatcher', 'dispatcher', 'command', 'district', 'district', False),
    ('street_dispatcher', '街道分中心派遣员', 'Street dispatcher', 'street_dispatcher', 'command', 'street', 'street', False),
    ('dept_handler', '专业部门处置人员', 'Department handler', 'dept_handler', 'department', None, None, False),
    ('leader', '领导', 'Leader', 'leader', 'leadership', None, None, False),
    ('admin', '系统管理员', 'Administrator', 'admin', 'system', None, None, False),
    ('wall', '指挥大厅大屏', 'Wall display (read-only)', 'wall', 'system', None, None, False),
]

# (key, name, name_en, blocked_by_request)
ACTIONS = [
    ('assign_verify', '核实派遣', 'Assign verification', False),
    ('verify', '核实', 'Verify', True),
    ('file', '立案', 'File', True),
    ('void', '作废', 'Void', True),
    ('request_void', '申请作废', 'Request voiding', True),
    ('dispatch', '派遣', 'Dispatch', True),
    ('change_level', '转派层级', 'Change command level', True),
    ('request_return', '申请回退', 'Request return', True),
    ('request_extension', '申请延期', 'Request extension', True),
    ('request_park', '申请挂账', 'Request parking', True),
    ('feedback', '处置反馈', 'Feedback', True),
    ('resume', '挂账恢复', 'Resume', True),
    ('assign_check', '核查派遣', 'Assign re-check', False),
    ('recheck', '核查', 'Re-check', True),
    ('close', '结案', 'Close', True),
    ('rework', '返工', 'Rework', True),
    ('urge', '督办', 'Urge', False),
    ('reply_urge', '督办回复', 'Reply to urging', False),
    ('review_self', '自处理审核', 'Review self-handling', True),
    ('decide', '审批', 'Decide a request', False),
]

# (action, position, state, scope)
RULES = [
    ('assign_verify', 'intake_operator', 'to_verify', 'region'),
    ('assign_verify', 'shift_leader', 'to_verify', 'region'),
    ('verify', 'supervisor', 'to_verify', 'region'),
    ('file', 'shift_leader', 'to_file', 'region'),
    ('void', 'shift_leader', 'to_verify', 'region'),
    ('void', 'shift_leader', 'to_file', 'region'),
    ('void', 'shift_leader', 'to_dispatch', 'region'),
    ('request_void', 'dispatcher', 'to_verify', 'region'),
    ('request_void', 'dispatcher', 'to_file', 'region'),
    ('request_void', 'dispatcher', 'to_dispatch', 'region'),
    ('request_void', 'intake_operator', 'to_verify', 'region'),
    ('request_void', 'intake_operator', 'to_file', 'region'),
    ('request_void', 'intake_operator', 'to_dispatch', 'region'),
    ('request_void', 'street_dispatcher', 'to_verify', 'region'),
    ('request_void', 'street_dispatcher', 'to_file', 'region'),
    ('request_void', 'street_dispatcher', 'to_dispatch', 'region'),
    ('dispatch', 'dispatcher', 'to_dispatch', 'command'),
    ('dispatch', 'street_dispatcher', 'to_dispatch', 'command'),
    ('change_level', 'dispatcher', 'to_dispatch', 'command'),
    ('change_level', 'street_dispatcher', 'to_dispatch', 'command'),
    ('request_return', 'dept_handler', 'handling', 'department'),
    ('request_extension', 'dept_handler', 'handling', 'department'),
    ('request_park', 'dept_handler', 'handling', 'department'),
    ('feedback', 'dept_handler', 'handling', 'department'),
    ('resume', 'dispatcher', 'parked', 'command'),
    ('resume', 'street_dispatcher', 'parked', 'command'),
    ('assign_check', 'intake_operator', 'to_check', 'region'),
    ('assign_check', 'shift_leader', 'to_check', 'region'),
    ('recheck', 'supervisor', 'to_check', 'region'),
    ('close', 'shift_leader', 'to_close', 'region'),
    ('rework', 'shift_leader', 'to_close', 'region'),
    ('urge', 'dispatcher', 'to_verify', 'region'),
    ('urge', 'dispatcher', 'to_file', 'region'),
    ('urge', 'dispatcher', 'to_dispatch', 'region'),
    ('urge', 'dispatcher', 'handling', 'region'),
    ('urge', 'dispatcher', 'parked', 'region'),
    ('urge', 'dispatcher', 'to_check', 'region'),
    ('urge', 'dispatcher', 'to_close', 'region'),
    ('urge', 'dispatcher', 'self_review', 'region'),
    ('urge', 'leader', 'to_verify', 'region'),
    ('urge', 'leader', 'to_file', 'region'),
    ('urge', 'leader', 'to_dispatch', 'region'),
    ('urge', 'leader', 'handling', 'region'),
    ('urge', 'leader', 'parked', 'region'),
    ('urge', 'leader', 'to_check', 'region'),
    ('urge', 'leader', 'to_close', 'region'),
    ('urge', 'leader', 'self_review', 'region'),
    ('urge', 'shift_leader', 'to_verify', 'region'),
    ('urge', 'shift_leader', 'to_file', 'region'),
    ('urge', 'shift_leader', 'to_dispatch', 'region'),
    ('urge', 'shift_leader', 'handling', 'region'),
    ('urge', 'shift_leader', 'parked', 'region'),
    ('urge', 'shift_leader', 'to_check', 'region'),
    ('urge', 'shift_leader', 'to_close', 'region'),
    ('urge', 'shift_leader', 'self_review', 'region'),
    ('reply_urge', 'dept_handler', 'handling', 'department'),
    ('reply_urge', 'dept_handler', 'parked', 'department'),
    ('review_self', 'shift_leader', 'self_review', 'region'),
    ('decide', 'dispatcher', 'to_verify', 'none'),
    ('decide', 'dispatcher', 'to_file', 'none'),
    ('decide', 'dispatcher', 'to_dispatch', 'none'),
    ('decide', 'dispatcher', 'handling', 'none'),
    ('decide', 'dispatcher', 'parked', 'none'),
    ('decide', 'dispatcher', 'to_check', 'none'),
    ('decide', 'dispatcher', 'to_close', 'none'),
    ('decide', 'dispatcher', 'self_review', 'none'),
    ('decide', 'shift_leader', 'to_verify', 'none'),
    ('decide', 'shift_leader', 'to_file', 'none'),
    ('decide', 'shift_leader', 'to_dispatch', 'none'),
    ('decide', 'shift_leader', 'handling', 'none'),
    ('decide', 'shift_leader', 'parked', 'none'),
    ('decide', 'shift_leader', 'to_check', 'none'),
    ('decide', 'shift_leader', 'to_close', 'none'),
    ('decide', 'shift_leader', 'self_review', 'none'),
    ('decide', 'street_dispatcher', 'to_verify', 'none'),
    ('decide', 'street_dispatcher', 'to_file', 'none'),
    ('decide', 'street_dispatcher', 'to_dispatch', 'none'),
    ('decide', 'street_dispatcher', 'handling', 'none'),
    ('decide', 'street_dispatcher', 'parked', 'none'),
    ('decide', 'street_dispatcher', 'to_check', 'none'),
    ('decide', 'street_dispatcher', 'to_close', 'none'),
    ('decide', 'street_dispatcher', 'self_review', 'none'),
]

# (request_kind, position, scope)
APPROVERS = [
    ('extension', 'dispatcher', 'command'),
    ('extension', 'street_dispatcher', 'command'),
    ('park', 'dispatcher', 'command'),
    ('park', 'street_dispatcher', 'command'),
    ('return', 'dispatcher', 'command'),
    ('return', 'street_dispatcher', 'command'),
    ('void', 'shift_leader', 'region'),
]

# (position, source)
REPORT_SOURCES = [
    ('supervisor', 'supervisor'),
    ('intake_operator', 'camera'),
    ('intake_operator', 'hotline'),
    ('intake_operator', 'public'),
]


def upgrade() -> None:
    profile = op.create_table('wf_profile',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=128), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('require_recheck', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wf_profile'))
    )
    position = op.create_table('wf_position',
    sa.Column('key', sa.String(length=24), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.Column('role', sa.String(length=24), nullable=False),
    sa.Column('center', sa.String(length=24), nullable=False),
    sa.Column('command_level', sa.String(length=24), nullable=True),
    sa.Column('level', sa.String(length=32), nullable=True),
    sa.Column('self_handle', sa.Boolean(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_wf_position'))
    )
    action = op.create_table('wf_action',
    sa.Column('key', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('name_en', sa.String(length=64), nullable=False),
    sa.Column('blocked_by_request', sa.Boolean(), nullable=False),
    sa.Column('sort', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_wf_action'))
    )
    approver = op.create_table('wf_approver',
    sa.Column('request_kind', sa.String(length=24), nullable=False),
    sa.Column('position', sa.String(length=24), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['position'], ['wf_position.key'], name=op.f('fk_wf_approver_position_wf_position')),
    sa.PrimaryKeyConstraint('request_kind', 'position', name=op.f('pk_wf_approver'))
    )
    source = op.create_table('wf_report_source',
    sa.Column('position', sa.String(length=24), nullable=False),
    sa.Column('source', sa.String(length=24), nullable=False),
    sa.ForeignKeyConstraint(['position'], ['wf_position.key'], name=op.f('fk_wf_report_source_position_wf_position')),
    sa.PrimaryKeyConstraint('position', 'source', name=op.f('pk_wf_report_source'))
    )
    rule = op.create_table('wf_rule',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('position', sa.String(length=24), nullable=False),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('scope', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['action'], ['wf_action.key'], name=op.f('fk_wf_rule_action_wf_action')),
    sa.ForeignKeyConstraint(['position'], ['wf_position.key'], name=op.f('fk_wf_rule_position_wf_position')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wf_rule')),
    sa.UniqueConstraint('action', 'position', 'state', name=op.f('uq_wf_rule_action_position_state'))
    )
    op.bulk_insert(profile, [{'id': 1, 'name': 'demo', 'title': '演示城市（一级监督、两级指挥）', 'revision': 1,
                              'require_recheck': True, 'updated_at': datetime(2026, 12, 4)}])
    op.bulk_insert(action, [dict(key=k, name=n, name_en=e, blocked_by_request=b, sort=i)
                            for i, (k, n, e, b) in enumerate(ACTIONS)])
    op.bulk_insert(position, [dict(key=k, name=n, name_en=e, role=r, center=c, command_level=cl, level=lv,
                                   self_handle=sh, sort=i)
                              for i, (k, n, e, r, c, cl, lv, sh) in enumerate(POSITIONS)])
    op.bulk_insert(rule, [dict(action=a, position=p, state=s, scope=sc) for a, p, s, sc in RULES])
    op.bulk_insert(approver, [dict(request_kind=k, position=p, scope=sc) for k, p, sc in APPROVERS])
    op.bulk_insert(source, [dict(position=p, source=s) for p, s in REPORT_SOURCES])
    # A region's boundary, when imported from a boundary file (issue 15).
    # Plain ADD/DROP COLUMN (SQLite has both natively): a batch rebuild of ``region`` would
    # trip the foreign keys of every table that points at it when the demo is rebuilt.
    op.add_column('region', sa.Column('geometry', sa.JSON(), nullable=True))
    op.add_column('region', sa.Column('area_m2', sa.Float(), nullable=True))


def downgrade() -> None:
    op.drop_column('region', 'area_m2')
    op.drop_column('region', 'geometry')
    op.drop_table('wf_rule')
    op.drop_table('wf_report_source')
    op.drop_table('wf_approver')
    op.drop_table('wf_action')
    op.drop_table('wf_position')
    op.drop_table('wf_profile')
