"""Jobs, notifications and email verification: the mails jobs sent (idempotency), email
verification tokens and the verified mark on users, notifications and their email settings,
and an index on message times for the unread-message job.

Revision ID: 0007_jobs_notifications
Revises: 0006_sessions
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0007_jobs_notifications'
down_revision = '0006_sessions'
branch_labels = None
depends_on = None


def upgrade():
  op.create_table(
    'sent_mails',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_key', sa.String(length=120), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sent_mails')),
    sa.UniqueConstraint('mail_key', name=op.f('uq_sent_mails_mail_key')),
  )
  op.create_table(
    'email_verification_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['user_id'],
      ['users.id'],
      name=op.f('fk_email_verification_tokens_user_id_users'),
      ondelete='CASCADE',
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_verification_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_email_verification_tokens_token_hash')),
  )
  with op.batch_alter_table('email_verification_tokens', schema=None) as batch_op:
    batch_op.create_index(
      batch_op.f('ix_email_verification_tokens_user_id'), ['user_id'], unique=False
    )

  op.create_table(
    'notification_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(
      ['user_id'],
      ['users.id'],
      name=op.f('fk_notification_preferences_user_id_users'),
      ondelete='CASCADE',
    ),
    sa.PrimaryKeyConstraint('user_id', 'kind', name=op.f('pk_notification_preferences')),
  )
  op.create_table(
    'notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('subject_key', sa.String(length=64), nullable=True),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users'), ondelete='CASCADE'
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications')),
  )
  with op.batch_alter_table('notifications', schema=None) as batch_op:
    batch_op.create_index('ix_notifications_user_id_id', ['user_id', 'id'], unique=False)

  with op.batch_alter_table('messages', schema=None) as batch_op:
    batch_op.create_index('ix_messages_created_at', ['created_at'], unique=False)

  with op.batch_alter_table('users', schema=None) as batch_op:
    batch_op.add_column(sa.Column('email_verified_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
  # ALTER TABLE ... DROP COLUMN, which SQLite has had since 3.35: batch mode would copy the users
  # table, and SQLite refuses to drop a table other tables' foreign keys refer to mid-migration.
  op.execute('ALTER TABLE users DROP COLUMN email_verified_at')

  with op.batch_alter_table('messages', schema=None) as batch_op:
    batch_op.drop_index('ix_messages_created_at')

  with op.batch_alter_table('notifications', schema=None) as batch_op:
    batch_op.drop_index('ix_notifications_user_id_id')

  op.drop_table('notifications')
  op.drop_table('notification_preferences')
  with op.batch_alter_table('email_verification_tokens', schema=None) as batch_op:
    batch_op.drop_index(batch_op.f('ix_email_verification_tokens_user_id'))

  op.drop_table('email_verification_tokens')
  op.drop_table('sent_mails')
