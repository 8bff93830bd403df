"""Held for review (issue 23): posts.moderation_state takes 'in_review' too; moderators list
the held posts by it, so it gets an index.

Revision ID: 0019_held_for_review
Revises: 0018_reviews
Create Date: 2026-12-04
"""

from alembic import op

revision = '0019_held_for_review'
down_revision = '0018_reviews'
branch_labels = None
depends_on = None


def upgrade():
  op.create_index('ix_posts_moderation_state', 'posts', ['moderation_state'], unique=False)


def downgrade():
  # A held post would be listed once the code that holds it is gone: remove it instead.
  op.execute("UPDATE posts SET moderation_state = 'removed' WHERE moderation_state = 'in_review'")
  op.drop_index('ix_posts_moderation_state', table_name='posts')
