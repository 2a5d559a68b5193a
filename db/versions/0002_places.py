"""gazetteer (place) and import batches for base data and case-history imports

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 21:53:50.081336
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('rejected', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('report', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_import_batch_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('norm_name', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('street', sa.String(length=64), nullable=False),
    sa.Column('house_number', sa.String(length=32), nullable=False),
    sa.Column('house_no', sa.Integer(), nullable=True),
    sa.Column('address', sa.String(length=255), nullable=False),
    sa.Column('lon', sa.Float(), nullable=False),
    sa.Column('lat', sa.Float(), nullable=False),
    sa.Column('geometry', sa.JSON(), nullable=True),
    sa.Column('grid_id', sa.Integer(), nullable=True),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['import_batch.id'], name=op.f('fk_place_batch_id_import_batch')),
    sa.ForeignKeyConstraint(['grid_id'], ['unit_grid.id'], name=op.f('fk_place_grid_id_unit_grid')),
    sa.ForeignKeyConstraint(['region_id'], ['region.id'], name=op.f('fk_place_region_id_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place'))
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_grid_id'), ['grid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_norm_name'), ['norm_name'], unique=False)
        batch_op.create_index('ix_place_street_house_no', ['street', 'house_no'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index('ix_place_street_house_no')
        batch_op.drop_index(batch_op.f('ix_place_norm_name'))
        batch_op.drop_index(batch_op.f('ix_place_kind'))
        batch_op.drop_index(batch_op.f('ix_place_grid_id'))

    op.drop_table('place')
    op.drop_table('import_batch')
