"""Watches: the posts each student watches (docs/HANDOVER.md, "Watchlist").

Revision ID: 0013_watches
Revises: 0012_post_expiry
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0013_watches'
down_revision = '0012_post_expiry'
branch_labels = None
depends_on = None


def upgrade():
  op.create_table(
    'watches',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['post_id'], ['posts.id'], name=op.f('fk_watches_post_id_posts'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['user_id'], ['users.id'], name=op.f('fk_watches_user_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('user_id', 'post_id', name=op.f('pk_watches')),
  )
  op.create_index('ix_watches_post_id', 'watches', ['post_id'], unique=False)
  op.create_index(
    'ix_watches_user_id_created_at', 'watches', ['user_id', 'created_at'], unique=False
  )


def downgrade():
  op.drop_table('watches')
