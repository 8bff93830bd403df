"""Users and password-reset tokens.

Revision ID: 0001_users
Revises:
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = '0001_users'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
  op.create_table(
    'users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('username', sa.String(length=30), nullable=False),
    sa.Column('display_name', sa.String(length=50), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('campus', sa.String(length=100), nullable=True),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('email', name=op.f('uq_users_email')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username')),
  )
  op.create_table(
    'password_reset_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['user_id'],
      ['users.id'],
      name=op.f('fk_password_reset_tokens_user_id_users'),
      ondelete='CASCADE',
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_password_reset_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_password_reset_tokens_token_hash')),
  )
  op.create_index(
    op.f('ix_password_reset_tokens_user_id'), 'password_reset_tokens', ['user_id'], unique=False
  )


def downgrade():
  op.drop_index(op.f('ix_password_reset_tokens_user_id'), table_name='password_reset_tokens')
  op.drop_table('password_reset_tokens')
  op.drop_table('users')
