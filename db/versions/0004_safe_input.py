"""idempotent submissions (case_submission) and text bounds in the database

Revision ID: 0004
Revises: 0008
Create Date: 2026-12-04 15:40:00

``case_submission`` keeps the client-generated id of every report and case action, so a retry
after a lost reply returns the first result instead of writing again.

Text bounds: PostgreSQL already refuses a too long ``VARCHAR(n)``; its ``TEXT`` columns get
CHECK constraints, added ``NOT VALID`` so that a database holding older over-long text still
upgrades (new and changed rows are checked). SQLite enforces neither, so every bounded table gets
an INSERT trigger and every bounded column an UPDATE OF trigger that abort with the table,
column and limit named.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0008'
branch_labels = None
depends_on = None

# A frozen copy of gridstation.store.limits.COLUMN_LIMITS at this revision.
LIMITS = {
    ('cases', 'description'): 2000,
    ('cases', 'address'): 255,
    ('cases', 'reporter_name'): 64,
    ('cases', 'reporter_phone'): 32,
    ('case_event', 'note'): 2000,
    ('case_request', 'reason'): 2000,
    ('case_request', 'decision_note'): 2000,
    ('region', 'name'): 128,
    ('unit_grid', 'name'): 128,
    ('department', 'name'): 128,
    ('department', 'contact'): 128,
    ('app_user', 'name'): 64,
    ('app_user', 'phone'): 32,
    ('category', 'name'): 128,
    ('category', 'filing_condition'): 2000,
    ('category', 'closing_condition'): 2000,
    ('component', 'name'): 128,
    ('component', 'owner'): 128,
    ('component', 'maintainer'): 128,
    ('place', 'name'): 128,
    ('place', 'address'): 255,
    ('calendar_override', 'note'): 128,
}
# The TEXT columns (the others are VARCHAR(n), which PostgreSQL bounds itself).
TEXT_COLUMNS = [
    ('cases', 'description'), ('case_event', 'note'), ('case_request', 'reason'),
    ('case_request', 'decision_note'), ('category', 'filing_condition'), ('category', 'closing_condition'),
]


def _trigger(table, column, op_name):
    return f"gs_len_{table}_{column}_{op_name}"


def upgrade() -> None:
    op.create_table('case_submission',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('case_version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_submission_case_id_cases')),
    sa.ForeignKeyConstraint(['event_id'], ['case_event.id'], name=op.f('fk_case_submission_event_id_case_event')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_case_submission_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_case_submission'))
    )
    with op.batch_alter_table('case_submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_submission_case_id'), ['case_id'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        for table, column in TEXT_COLUMNS:
            op.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT ck_{table}_{column}_len "
                f"CHECK (length({column}) <= {LIMITS[(table, column)]}) NOT VALID"
            )
    else:
        # One INSERT trigger per table (a trigger program per row is what bulk inserts pay for),
        # one UPDATE OF trigger per column (they fire only when that column is written).
        for table in dict.fromkeys(t for t, _ in LIMITS):
            cols = [(c, n) for (t, c), n in LIMITS.items() if t == table]
            when = " OR ".join(f"length(NEW.{c}) > {n}" for c, n in cols)
            msg = f"{table}: text longer than allowed (" + ", ".join(f"{c} {n}" for c, n in cols) + " characters)"
            op.execute(f"CREATE TRIGGER gs_len_{table}_insert BEFORE INSERT ON {table} "
                       f"WHEN {when} BEGIN SELECT RAISE(ABORT, '{msg}'); END")
        for (table, column), n in LIMITS.items():
            msg = f"{table}.{column} is longer than {n} characters"
            op.execute(
                f"CREATE TRIGGER {_trigger(table, column, 'update')} BEFORE UPDATE OF {column} ON {table} "
                f"WHEN length(NEW.{column}) > {n} BEGIN SELECT RAISE(ABORT, '{msg}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        for table, column in TEXT_COLUMNS:
            op.execute(f"ALTER TABLE {table} DROP CONSTRAINT IF EXISTS ck_{table}_{column}_len")
    else:
        for table in dict.fromkeys(t for t, _ in LIMITS):
            op.execute(f"DROP TRIGGER IF EXISTS gs_len_{table}_insert")
        for table, column in LIMITS:
            op.execute(f"DROP TRIGGER IF EXISTS {_trigger(table, column, 'update')}")
    with op.batch_alter_table('case_submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_submission_case_id'))
    op.drop_table('case_submission')
