"""Blocks between users (trust and safety, issue 23): one row per (blocker, blocked) pair.

Revision ID: 0015_user_blocks
Revises: 0014_saved_searches
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0015_user_blocks'
down_revision = '0014_saved_searches'
branch_labels = None
depends_on = None


def upgrade():
  op.create_table(
    'user_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('blocker_id', sa.Integer(), nullable=False),
    sa.Column('blocked_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('blocker_id <> blocked_id', name=op.f('ck_user_blocks_not_self')),
    sa.ForeignKeyConstraint(
      ['blocker_id'], ['users.id'], name=op.f('fk_user_blocks_blocker_id_users'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['blocked_id'], ['users.id'], name=op.f('fk_user_blocks_blocked_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_blocks')),
    sa.UniqueConstraint(
      'blocker_id', 'blocked_id', name=op.f('uq_user_blocks_blocker_id_blocked_id')
    ),
  )
  op.create_index('ix_user_blocks_blocked_id', 'user_blocks', ['blocked_id'], unique=False)


def downgrade():
  op.drop_index('ix_user_blocks_blocked_id', table_name='user_blocks')
  op.drop_table('user_blocks')
