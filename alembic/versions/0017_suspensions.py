"""Suspensions and bans (issue 23): since when, until when (null: a ban) and why, on users.

Revision ID: 0017_suspensions
Revises: 0016_reports_moderation
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0017_suspensions'
down_revision = '0016_reports_moderation'
branch_labels = None
depends_on = None

COLUMNS = ('suspension_reason', 'suspended_until', 'suspended_at')


def upgrade():
  op.add_column('users', sa.Column('suspended_at', sa.DateTime(timezone=True), nullable=True))
  op.add_column('users', sa.Column('suspended_until', sa.DateTime(timezone=True), nullable=True))
  op.add_column('users', sa.Column('suspension_reason', sa.Text(), nullable=True))
  op.create_index('ix_users_suspended_at', 'users', ['suspended_at'], unique=False)


def downgrade():
  op.drop_index('ix_users_suspended_at', table_name='users')
  # In place on SQLite 3.35+ too (no table copy).
  for column_name in COLUMNS:
    op.execute(f'ALTER TABLE users DROP COLUMN {column_name}')
