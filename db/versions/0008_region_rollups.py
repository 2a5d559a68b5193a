"""region rollups: the case counters per (day | month, region of the grid) for fast drill-downs;
cases (state, due_at, grid_id) for overdue-now per region

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-04 16:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None

# A frozen copy of the case columns of gridstation/analytics/model.py at this revision.
CASE_COUNTERS = [
    'reported', 'public_reports', 'filed', 'voided', 'voided_filed', 'dispatched', 'handled',
    'closed', 'closed_on_time', 'dept_cases', 'fed_back', 'fed_back_on_time', 'reworks',
    'returns', 'extensions', 'parked', 'parked_now', 'urged',
]
HIST = [f'h{i:02d}' for i in range(32)]
VALUES = CASE_COUNTERS + ['close_minutes'] + HIST


def _case_columns():
    cols = [sa.Column(n, sa.Integer(), server_default=sa.text('0'), nullable=False) for n in CASE_COUNTERS]
    cols.append(sa.Column('close_minutes', sa.Float(), server_default=sa.text('0'), nullable=False))
    cols += [sa.Column(n, sa.Integer(), server_default=sa.text('0'), nullable=False) for n in HIST]
    return cols


def upgrade() -> None:
    op.create_table('rollup_region_day',
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    *_case_columns(),
    sa.PrimaryKeyConstraint('day', 'region_id', name=op.f('pk_rollup_region_day'))
    )
    op.create_table('rollup_region_month',
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=False),
    *_case_columns(),
    sa.PrimaryKeyConstraint('month', 'region_id', name=op.f('pk_rollup_region_month'))
    )
    # fill them from the grid tables (derived data: the same sums, one level up)
    cols = ', '.join(VALUES)
    sums = ', '.join(f'sum(r.{c})' for c in VALUES)
    op.execute(f"INSERT INTO rollup_region_day (day, region_id, {cols}) "
               f"SELECT r.day, g.region_id, {sums} FROM rollup_case_day r JOIN unit_grid g ON g.id = r.grid_id "
               f"GROUP BY r.day, g.region_id ORDER BY r.day, g.region_id")
    op.execute(f"INSERT INTO rollup_region_month (month, region_id, {cols}) "
               f"SELECT r.month, g.region_id, {sums} FROM rollup_grid_month r JOIN unit_grid g ON g.id = r.grid_id "
               f"GROUP BY r.month, g.region_id ORDER BY r.month, g.region_id")


    # overdue-now per region from the index alone
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_state_due_grid', ['state', 'due_at', 'grid_id'], unique=False)
        batch_op.drop_index('ix_cases_state_due')


def downgrade() -> None:
    with op.batch_alter_table('cases', schema=None) as batch_op:
        batch_op.create_index('ix_cases_state_due', ['state', 'due_at'], unique=False)
        batch_op.drop_index('ix_cases_state_due_grid')
    op.drop_table('rollup_region_month')
    op.drop_table('rollup_region_day')
