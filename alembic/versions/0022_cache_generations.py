"""The response cache's generations (issue 22): one random token per tag, replaced in the
transaction of every write the tag covers (app/common/CommonCacheStores.py, docs/CACHE.md).

Revision ID: 0022_cache_generations
Revises: 0021_account_deletion
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0022_cache_generations'
down_revision = '0021_account_deletion'
branch_labels = None
depends_on = None


def upgrade():
  op.create_table(
    'cache_generations',
    sa.Column('tag', sa.String(120), nullable=False),
    sa.Column('token', sa.String(32), nullable=False),
    sa.PrimaryKeyConstraint('tag', name='pk_cache_generations'),
  )


def downgrade():
  op.drop_table('cache_generations')
