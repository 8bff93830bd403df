"""An index for the newest-first post list.

`GET /api/posts` orders by (created_at, id) descending over nearly every status; walking this
index backwards finds a page without sorting the whole table (bench/RESULTS.md).

Revision ID: 0005_post_list_index
Revises: 0004_chat
Create Date: 2026-11-29
"""

from alembic import op

revision = '0005_post_list_index'
down_revision = '0004_chat'
branch_labels = None
depends_on = None


def upgrade():
  op.create_index('ix_posts_created_at_id', 'posts', ['created_at', 'id'], unique=False)


def downgrade():
  op.drop_index('ix_posts_created_at_id', table_name='posts')
