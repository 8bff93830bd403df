"""My data (issue 23): when a student deleted their account (users.deleted_at); the row stays,
scrubbed, so their messages stay readable to the other side as "Deleted user".

Revision ID: 0021_account_deletion
Revises: 0020_campuses
Create Date: 2026-12-04
"""

import sqlalchemy as sa
from alembic import op

revision = '0021_account_deletion'
down_revision = '0020_campuses'
branch_labels = None
depends_on = None


def upgrade():
  op.add_column('users', sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
  # In place on SQLite 3.35+ too (no table copy).
  op.execute('ALTER TABLE users DROP COLUMN deleted_at')
