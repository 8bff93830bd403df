"""Indexes for list pages that cost what their page holds (issue 22): a category's page walks
(category, created_at, id) newest first and stops after the page instead of sorting the whole
category; its count reads one covering index; the NOT IN of suspended sellers reads the few
suspended users from a partial index instead of scanning every user.

Revision ID: 0023_list_indexes
Revises: 0022_cache_generations
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0023_list_indexes'
down_revision = '0022_cache_generations'
branch_labels = None
depends_on = None

SUSPENDED_ONLY = sa.text('suspended_at IS NOT NULL')
LISTED_COLUMNS = ['category', 'status', 'expired_at', 'moderation_state', 'seller_id']


def upgrade():
  op.create_index(
    'ix_posts_category_created_at_id', 'posts', ['category', 'created_at', 'id'], unique=False
  )
  op.create_index('ix_posts_category_listed', 'posts', LISTED_COLUMNS, unique=False)
  op.drop_index('ix_posts_category_status', table_name='posts')
  op.create_index(
    'ix_users_suspended_at_set',
    'users',
    ['suspended_at'],
    unique=False,
    postgresql_where=SUSPENDED_ONLY,
    sqlite_where=SUSPENDED_ONLY,
  )
  op.drop_index('ix_users_suspended_at', table_name='users')


def downgrade():
  op.create_index('ix_users_suspended_at', 'users', ['suspended_at'], unique=False)
  op.drop_index('ix_users_suspended_at_set', table_name='users')
  op.create_index('ix_posts_category_status', 'posts', ['category', 'status'], unique=False)
  op.drop_index('ix_posts_category_listed', table_name='posts')
  op.drop_index('ix_posts_category_created_at_id', table_name='posts')
