"""Saved searches with alerts (docs/SAVED_SEARCHES.md): the searches, their case-folded words
(an inverted index: matching a new post queries it by the post's words), the matches found
(one row per saved search and post, so never two alerts) and the daily digests sent (one row
per user and local day, the digest's claim).

Revision ID: 0014_saved_searches
Revises: 0013_watches
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0014_saved_searches'
down_revision = '0013_watches'
branch_labels = None
depends_on = None


def upgrade():
  op.create_table(
    'saved_search_digests',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('local_date', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['user_id'],
      ['users.id'],
      name=op.f('fk_saved_search_digests_user_id_users'),
      ondelete='CASCADE',
    ),
    sa.PrimaryKeyConstraint('user_id', 'local_date', name=op.f('pk_saved_search_digests')),
  )
  op.create_table(
    'saved_searches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('query', sa.String(length=200), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=True),
    sa.Column('campus', sa.String(length=100), nullable=True),
    sa.Column('min_price', sa.Integer(), nullable=True),
    sa.Column('max_price', sa.Integer(), nullable=True),
    sa.Column('alert', sa.String(length=10), nullable=False),
    sa.Column('word_count', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
      "alert IN ('instant', 'daily', 'off')", name=op.f('ck_saved_searches_alert_known')
    ),
    sa.ForeignKeyConstraint(
      ['user_id'], ['users.id'], name=op.f('fk_saved_searches_user_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_searches')),
  )
  with op.batch_alter_table('saved_searches', schema=None) as batch_op:
    batch_op.create_index('ix_saved_searches_user_id_id', ['user_id', 'id'], unique=False)
    batch_op.create_index('ix_saved_searches_word_count', ['word_count'], unique=False)

  op.create_table(
    'saved_search_matches',
    sa.Column('saved_search_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('alert', sa.String(length=10), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('digested_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(
      ['post_id'],
      ['posts.id'],
      name=op.f('fk_saved_search_matches_post_id_posts'),
      ondelete='CASCADE',
    ),
    sa.ForeignKeyConstraint(
      ['saved_search_id'],
      ['saved_searches.id'],
      name=op.f('fk_saved_search_matches_saved_search_id_saved_searches'),
      ondelete='CASCADE',
    ),
    sa.ForeignKeyConstraint(
      ['user_id'],
      ['users.id'],
      name=op.f('fk_saved_search_matches_user_id_users'),
      ondelete='CASCADE',
    ),
    sa.PrimaryKeyConstraint('saved_search_id', 'post_id', name=op.f('pk_saved_search_matches')),
  )
  with op.batch_alter_table('saved_search_matches', schema=None) as batch_op:
    batch_op.create_index(
      'ix_saved_search_matches_user_id_digested_at', ['user_id', 'digested_at'], unique=False
    )

  op.create_table(
    'saved_search_words',
    sa.Column('saved_search_id', sa.Integer(), nullable=False),
    sa.Column('word', sa.String(length=100), nullable=False),
    sa.Column('is_prefix', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(
      ['saved_search_id'],
      ['saved_searches.id'],
      name=op.f('fk_saved_search_words_saved_search_id_saved_searches'),
      ondelete='CASCADE',
    ),
    sa.PrimaryKeyConstraint('saved_search_id', 'word', name=op.f('pk_saved_search_words')),
  )
  with op.batch_alter_table('saved_search_words', schema=None) as batch_op:
    batch_op.create_index('ix_saved_search_words_word', ['word', 'is_prefix'], unique=False)


def downgrade():
  with op.batch_alter_table('saved_search_words', schema=None) as batch_op:
    batch_op.drop_index('ix_saved_search_words_word')

  op.drop_table('saved_search_words')
  with op.batch_alter_table('saved_search_matches', schema=None) as batch_op:
    batch_op.drop_index('ix_saved_search_matches_user_id_digested_at')

  op.drop_table('saved_search_matches')
  with op.batch_alter_table('saved_searches', schema=None) as batch_op:
    batch_op.drop_index('ix_saved_searches_word_count')
    batch_op.drop_index('ix_saved_searches_user_id_id')

  op.drop_table('saved_searches')
  op.drop_table('saved_search_digests')
