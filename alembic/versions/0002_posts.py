"""Posts, their images and the dibs queue.

Revision ID: 0002_posts
Revises: 0001_users
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = '0002_posts'
down_revision = '0001_users'
branch_labels = None
depends_on = None


def upgrade():
  op.create_table(
    'posts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('seller_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=120), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('price_cents', sa.Integer(), nullable=False),
    sa.Column('category', sa.String(length=30), nullable=False),
    sa.Column('condition', sa.String(length=30), nullable=False),
    sa.Column('campus', sa.String(length=100), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
      "status IN ('available', 'pending', 'sold', 'withdrawn')", name=op.f('ck_posts_status_known')
    ),
    sa.CheckConstraint('price_cents >= 0', name=op.f('ck_posts_price_not_negative')),
    sa.ForeignKeyConstraint(
      ['seller_id'], ['users.id'], name=op.f('fk_posts_seller_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_posts')),
  )
  with op.batch_alter_table('posts', schema=None) as batch_op:
    batch_op.create_index('ix_posts_category_status', ['category', 'status'], unique=False)
    batch_op.create_index('ix_posts_price_cents', ['price_cents'], unique=False)
    batch_op.create_index(
      'ix_posts_seller_id_created_at', ['seller_id', 'created_at'], unique=False
    )
    batch_op.create_index('ix_posts_status_created_at', ['status', 'created_at'], unique=False)

  op.create_table(
    'dibs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint(
      "status IN ('waiting', 'accepted', 'declined', 'cancelled')",
      name=op.f('ck_dibs_status_known'),
    ),
    sa.ForeignKeyConstraint(
      ['post_id'], ['posts.id'], name=op.f('fk_dibs_post_id_posts'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['user_id'], ['users.id'], name=op.f('fk_dibs_user_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dibs')),
  )
  with op.batch_alter_table('dibs', schema=None) as batch_op:
    batch_op.create_index('ix_dibs_post_id_status_id', ['post_id', 'status', 'id'], unique=False)
    batch_op.create_index('ix_dibs_user_id_created_at', ['user_id', 'created_at'], unique=False)
    batch_op.create_index(
      'uq_dibs_accepted_post',
      ['post_id'],
      unique=True,
      postgresql_where=sa.text("status = 'accepted'"),
      sqlite_where=sa.text("status = 'accepted'"),
    )
    batch_op.create_index(
      'uq_dibs_live_post_user',
      ['post_id', 'user_id'],
      unique=True,
      postgresql_where=sa.text("status IN ('waiting', 'accepted')"),
      sqlite_where=sa.text("status IN ('waiting', 'accepted')"),
    )

  op.create_table(
    'post_images',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('storage_key', sa.String(length=200), nullable=False),
    sa.Column('thumb_key', sa.String(length=200), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('byte_size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['post_id'], ['posts.id'], name=op.f('fk_post_images_post_id_posts'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_images')),
  )
  with op.batch_alter_table('post_images', schema=None) as batch_op:
    batch_op.create_index(batch_op.f('ix_post_images_post_id'), ['post_id'], unique=False)


def downgrade():
  with op.batch_alter_table('post_images', schema=None) as batch_op:
    batch_op.drop_index(batch_op.f('ix_post_images_post_id'))

  op.drop_table('post_images')
  with op.batch_alter_table('dibs', schema=None) as batch_op:
    batch_op.drop_index(
      'uq_dibs_live_post_user',
      postgresql_where=sa.text("status IN ('waiting', 'accepted')"),
      sqlite_where=sa.text("status IN ('waiting', 'accepted')"),
    )
    batch_op.drop_index(
      'uq_dibs_accepted_post',
      postgresql_where=sa.text("status = 'accepted'"),
      sqlite_where=sa.text("status = 'accepted'"),
    )
    batch_op.drop_index('ix_dibs_user_id_created_at')
    batch_op.drop_index('ix_dibs_post_id_status_id')

  op.drop_table('dibs')
  with op.batch_alter_table('posts', schema=None) as batch_op:
    batch_op.drop_index('ix_posts_status_created_at')
    batch_op.drop_index('ix_posts_seller_id_created_at')
    batch_op.drop_index('ix_posts_price_cents')
    batch_op.drop_index('ix_posts_category_status')

  op.drop_table('posts')
