"""data exchange: api keys, open311 log, hotline orders, outbox

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04 15:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('api_key',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('rate_per_minute', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['app_user.id'], name=op.f('fk_api_key_created_by_id_app_user')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['app_user.id'], name=op.f('fk_api_key_revoked_by_id_app_user')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_api_key_user_id_app_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_key')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_api_key_key_hash')),
    sa.UniqueConstraint('name', name=op.f('uq_api_key_name'))
    )
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_key_prefix'), ['prefix'], unique=False)

    op.create_table('hotline_order',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('order_no', sa.String(length=64), nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=255), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.Column('exchange_state', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_hotline_order_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hotline_order')),
    sa.UniqueConstraint('case_id', name=op.f('uq_hotline_order_case_id')),
    sa.UniqueConstraint('order_no', name=op.f('uq_hotline_order_order_no'))
    )
    op.create_table('open311_request',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('case_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('api_key_id', sa.Integer(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('remote_addr', sa.String(length=64), nullable=False),
    sa.Column('email', sa.String(length=128), nullable=False),
    sa.Column('device_id', sa.String(length=128), nullable=False),
    sa.Column('account_id', sa.String(length=128), nullable=False),
    sa.Column('media_url', sa.String(length=1024), nullable=False),
    sa.Column('client_token', sa.String(length=128), nullable=True),
    sa.ForeignKeyConstraint(['api_key_id'], ['api_key.id'], name=op.f('fk_open311_request_api_key_id_api_key')),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_open311_request_case_id_cases')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_open311_request')),
    sa.UniqueConstraint('api_key_id', 'client_token', name=op.f('uq_open311_request_api_key_id_client_token')),
    sa.UniqueConstraint('case_id', name=op.f('uq_open311_request_case_id'))
    )
    with op.batch_alter_table('open311_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_open311_request_api_key_id'), ['api_key_id'], unique=False)

    op.create_table('exchange_outbox',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('message_id', sa.String(length=96), nullable=False),
    sa.Column('order_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=True),
    sa.Column('acked_at', sa.DateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['hotline_order.id'], name=op.f('fk_exchange_outbox_order_id_hotline_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exchange_outbox')),
    sa.UniqueConstraint('message_id', name=op.f('uq_exchange_outbox_message_id'))
    )
    with op.batch_alter_table('exchange_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_exchange_outbox_done_next', ['done', 'next_attempt_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_exchange_outbox_order_id'), ['order_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('exchange_outbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exchange_outbox_order_id'))
        batch_op.drop_index('ix_exchange_outbox_done_next')

    op.drop_table('exchange_outbox')
    with op.batch_alter_table('open311_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_open311_request_api_key_id'))

    op.drop_table('open311_request')
    op.drop_table('hotline_order')
    with op.batch_alter_table('api_key', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_key_prefix'))

    op.drop_table('api_key')
