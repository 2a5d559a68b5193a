"""analytics summaries: cohort rollups per day and month, position counters

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 22:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# A frozen copy of the column lists of gridstation/model_analytics.py at this revision.
CASE_COUNTERS = [
    'reported', 'public_reports', 'filed', 'voided', 'voided_filed', 'dispatched', 'handled',
    'closed', 'closed_on_time', 'dept_cases', 'fed_back', 'fed_back_on_time', 'reworks',
    'returns', 'extensions', 'parked', 'parked_now', 'urged',
]
HIST = [f'h{i:02d}' for i in range(32)]
POSITION_COUNTERS = [
    'reports', 'valid_reports', 'invalid_reports', 'verify_done', 'verify_on_time', 'recheck_done',
    'recheck_on_time', 'verify_assigned', 'verify_assigned_on_time', 'check_assigned',
    'check_assigned_on_time', 'filed', 'filed_on_time', 'filed_voided', 'closed', 'closed_on_time',
    'dispatched', 'dispatched_on_time', 'dispatch_returned',
]


def _int(name):
    return sa.Column(name, sa.Integer(), server_default=sa.text('0'), nullable=False)


def _case_columns():
    cols = [_int(n) for n in CASE_COUNTERS]
    cols.append(sa.Column('close_minutes', sa.Float(), server_default=sa.text('0'), nullable=False))
    cols += [_int(n) for n in HIST]
    return cols


def upgrade() -> None:
    op.create_table('rollup_case_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=24), nullable=False),
    *_case_columns(),
    sa.PrimaryKeyConstraint('day', 'grid_id', 'category_id', 'department_id', 'source', name=op.f('pk_rollup_case_day'))
    )
    with op.batch_alter_table('rollup_case_day', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_case_day_department_day', ['department_id', 'day'], unique=False)

    op.create_table('rollup_grid_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('grid_id', sa.Integer(), nullable=False),
    *_case_columns(),
    sa.PrimaryKeyConstraint('month', 'grid_id', name=op.f('pk_rollup_grid_month'))
    )
    op.create_table('rollup_position_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=24), nullable=False),
    *[_int(n) for n in POSITION_COUNTERS],
    sa.PrimaryKeyConstraint('day', 'user_id', 'position', name=op.f('pk_rollup_position_day'))
    )


def downgrade() -> None:
    op.drop_table('rollup_position_day')
    op.drop_table('rollup_grid_month')
    with op.batch_alter_table('rollup_case_day', schema=None) as batch_op:
        batch_op.drop_index('ix_rollup_case_day_department_day')
    op.drop_table('rollup_case_day')
