"""Post expiry and renewal: when a post expires, when the expiry job took it out of browse and
search, when it was last renewed, and when its seller was reminded (docs/HANDOVER.md).

The columns are added with plain ALTER TABLE statements (no batch rebuild), so SQLite keeps
the posts table's search triggers (0003_search, 0010_photos_campus); that is also why
expires_at stays nullable in the schema, though every post has one.

Existing posts get a full period from this migration (30 days, the default of
POST_EXPIRY_DAYS), whatever their age: none disappears the minute the expiry job first runs.

Revision ID: 0012_post_expiry
Revises: 0011_holds_meetups
Create Date: 2026-12-03
"""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = '0012_post_expiry'
down_revision = '0011_holds_meetups'
branch_labels = None
depends_on = None

EXISTING_POSTS_DAYS = 30


COLUMNS = ('expires_at', 'expired_at', 'renewed_at', 'expiry_reminded_at')


def upgrade():
  for name in COLUMNS:
    op.add_column('posts', sa.Column(name, sa.DateTime(timezone=True), nullable=True))
  posts = sa.table('posts', sa.column('expires_at', sa.DateTime(timezone=True)))
  expires_at = datetime.now(UTC) + timedelta(days=EXISTING_POSTS_DAYS)
  op.execute(posts.update().values(expires_at=expires_at))
  op.create_index('ix_posts_expires_at', 'posts', ['expires_at'], unique=False)


def downgrade():
  op.drop_index('ix_posts_expires_at', table_name='posts')
  # SQLite 3.35+ and PostgreSQL both drop a column in place (no rebuild of the table).
  for name in reversed(COLUMNS):
    op.execute(sa.text(f'ALTER TABLE posts DROP COLUMN {name}'))
