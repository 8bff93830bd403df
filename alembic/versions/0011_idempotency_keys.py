"""Idempotency keys: each POST's Idempotency-Key per scope (a user or an anonymous browser),
the keyed fingerprint of the request that claimed it, and its first answer (app/idempotency).

Revision ID: 0011_idempotency_keys
Revises: 0010_photos_campus
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0011_idempotency_keys'
down_revision = '0010_photos_campus'
branch_labels = None
depends_on = None


def upgrade():
  op.create_table(
    'idempotency_keys',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('idempotency_key', sa.String(length=255), nullable=False),
    sa.Column('request_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('method', sa.String(length=10), nullable=False),
    sa.Column('path', sa.String(length=2048), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('work_committed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response_status', sa.Integer(), nullable=True),
    sa.Column('response_headers', sa.Text(), nullable=True),
    sa.Column('response_body', sa.LargeBinary(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_keys')),
    sa.UniqueConstraint('scope', 'idempotency_key', name=op.f('uq_idempotency_keys_scope')),
  )
  with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
    batch_op.create_index('ix_idempotency_keys_created_at', ['created_at'], unique=False)


def downgrade():
  with op.batch_alter_table('idempotency_keys', schema=None) as batch_op:
    batch_op.drop_index('ix_idempotency_keys_created_at')
  op.drop_table('idempotency_keys')
