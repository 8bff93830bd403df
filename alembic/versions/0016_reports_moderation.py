"""Reports and moderation (issue 23): reports of posts, users and messages (one open report per
reporter per target: a partial unique index), the append-only audit log, and the moderation
state of posts (null, hidden or removed) with its reason.

Revision ID: 0016_reports_moderation
Revises: 0015_user_blocks
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = '0016_reports_moderation'
down_revision = '0015_user_blocks'
branch_labels = None
depends_on = None

OPEN_REPORT_CONDITION = sa.text("status = 'open'")


def upgrade():
  # Plain ADD COLUMN on both: a batch copy of posts on SQLite would drop its search triggers.
  op.add_column('posts', sa.Column('moderation_state', sa.String(length=20), nullable=True))
  op.add_column('posts', sa.Column('moderation_reason', sa.Text(), nullable=True))
  op.create_table(
    'reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('target_user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=30), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('decision', sa.String(length=30), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['reporter_id'], ['users.id'], name=op.f('fk_reports_reporter_id_users'), ondelete='CASCADE'
    ),
    sa.ForeignKeyConstraint(
      ['target_user_id'],
      ['users.id'],
      name=op.f('fk_reports_target_user_id_users'),
      ondelete='CASCADE',
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
  )
  op.create_index(
    'uq_reports_open_reporter_target',
    'reports',
    ['reporter_id', 'target_type', 'target_id'],
    unique=True,
    postgresql_where=OPEN_REPORT_CONDITION,
    sqlite_where=OPEN_REPORT_CONDITION,
  )
  op.create_index('ix_reports_status_target', 'reports', ['status', 'target_type', 'target_id'])
  op.create_index('ix_reports_reporter_id_created_at', 'reports', ['reporter_id', 'created_at'])
  op.create_table(
    'moderation_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('moderator_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('target_type', sa.String(length=20), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(
      ['moderator_id'],
      ['users.id'],
      name=op.f('fk_moderation_actions_moderator_id_users'),
      ondelete='SET NULL',
    ),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_moderation_actions')),
  )
  op.create_index('ix_moderation_actions_created_at', 'moderation_actions', ['created_at'])


def downgrade():
  op.drop_index('ix_moderation_actions_created_at', table_name='moderation_actions')
  op.drop_table('moderation_actions')
  op.drop_index('ix_reports_reporter_id_created_at', table_name='reports')
  op.drop_index('ix_reports_status_target', table_name='reports')
  op.drop_index('uq_reports_open_reporter_target', table_name='reports')
  op.drop_table('reports')
  # SQLite 3.35+ drops a column in place (no table copy, so the search triggers stay).
  for column_name in ('moderation_reason', 'moderation_state'):
    op.execute(f'ALTER TABLE posts DROP COLUMN {column_name}')
