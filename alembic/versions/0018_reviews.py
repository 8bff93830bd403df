"""Reviews after a sale (issue 23): one review window per sold post, the reviews its buyer and
seller write of each other (one per reviewer per window), and each user's published count and
stars total on users.

Revision ID: 0018_reviews
Revises: 0017_suspensions
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0018_reviews'
down_revision = '0017_suspensions'
branch_labels = None
depends_on = None

USER_COLUMNS = ('review_stars_total', 'review_count')


def upgrade():
  op.add_column(
    'users', sa.Column('review_count', sa.Integer(), server_default='0', nullable=False)
  )
  op.add_column(
    'users', sa.Column('review_stars_total', sa.Integer(), server_default='0', nullable=False)
  )
  op.create_table(
    'review_windows',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('buyer_id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closes_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(
      ['post_id'], ['posts.id'], name=op.f('fk_review_windows_post_id_posts'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['buyer_id'], ['users.id'], name=op.f('fk_review_windows_buyer_id_users'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['seller_id'],
      ['users.id'],
      name=op.f('fk_review_windows_seller_id_users'),
      ondelete='CASCADE',
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_windows')),
    sa.UniqueConstraint('post_id', name=op.f('uq_review_windows_post_id')),
  )
  op.create_index(
    'ix_review_windows_published_at_closes_at', 'review_windows', ['published_at', 'closes_at']
  )
  op.create_index(
    'ix_review_windows_reminded_at_opened_at', 'review_windows', ['reminded_at', 'opened_at']
  )
  op.create_index('ix_review_windows_buyer_id', 'review_windows', ['buyer_id'])
  op.create_index('ix_review_windows_seller_id', 'review_windows', ['seller_id'])
  op.create_table(
    'reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_id', sa.Integer(), nullable=False),
    sa.Column('reviewee_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('stars', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('stars BETWEEN 1 AND 5', name=op.f('ck_reviews_stars_in_range')),
    sa.CheckConstraint("role IN ('buyer', 'seller')", name=op.f('ck_reviews_role_known')),
    sa.ForeignKeyConstraint(
      ['window_id'],
      ['review_windows.id'],
      name=op.f('fk_reviews_window_id_review_windows'),
      ondelete='CASCADE',
    ),
    sa.ForeignKeyConstraint(
      ['reviewer_id'], ['users.id'], name=op.f('fk_reviews_reviewer_id_users'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['reviewee_id'], ['users.id'], name=op.f('fk_reviews_reviewee_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reviews')),
  )
  op.create_index(
    'uq_reviews_window_id_reviewer_id', 'reviews', ['window_id', 'reviewer_id'], unique=True
  )
  op.create_index(
    'ix_reviews_reviewee_id_published_at', 'reviews', ['reviewee_id', 'published_at', 'id']
  )
  op.create_index('ix_reviews_reviewer_id', 'reviews', ['reviewer_id'])


def downgrade():
  op.drop_index('ix_reviews_reviewer_id', table_name='reviews')
  op.drop_index('ix_reviews_reviewee_id_published_at', table_name='reviews')
  op.drop_index('uq_reviews_window_id_reviewer_id', table_name='reviews')
  op.drop_table('reviews')
  op.drop_index('ix_review_windows_seller_id', table_name='review_windows')
  op.drop_index('ix_review_windows_buyer_id', table_name='review_windows')
  op.drop_index('ix_review_windows_reminded_at_opened_at', table_name='review_windows')
  op.drop_index('ix_review_windows_published_at_closes_at', table_name='review_windows')
  op.drop_table('review_windows')
  # In place on SQLite 3.35+ too (no table copy).
  for column_name in USER_COLUMNS:
    op.execute(f'ALTER TABLE users DROP COLUMN {column_name}')
