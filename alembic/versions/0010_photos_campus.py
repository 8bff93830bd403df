"""Photos in the seller's order, and typo-tolerant search.

post_images.position: the seller's order of a post's photos (the first is the cover); rows
that exist keep their upload order (position 0, ties broken by id).

Typo tolerance: PostgreSQL gets the pg_trgm extension and a trigram GIN index on the
lower-cased title (`word <% lower(title)` finds "calculator" for "calculater"); SQLite an FTS5
external-content table `posts_trigram` over the title with the `trigram` tokenizer, kept in
sync by triggers like `posts_fts` (0003_search).

Revision ID: 0010_photos_campus
Revises: 0007_jobs_notifications
Create Date: 2026-11-30
"""

import sqlalchemy as sa
from alembic import op

revision = '0010_photos_campus'
down_revision = '0007_jobs_notifications'
branch_labels = None
depends_on = None

POSTGRESQL_TRIGRAM_INDEX = 'ix_posts_title_trigram'

SQLITE_TRIGRAM_TABLE = """
CREATE VIRTUAL TABLE posts_trigram USING fts5(
  title,
  content='posts',
  content_rowid='id',
  tokenize='trigram'
)
"""

SQLITE_TRIGGERS = {
  'posts_trigram_after_insert': """
CREATE TRIGGER posts_trigram_after_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_trigram(rowid, title) VALUES (new.id, new.title);
END
""",
  'posts_trigram_after_delete': """
CREATE TRIGGER posts_trigram_after_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_trigram(posts_trigram, rowid, title) VALUES ('delete', old.id, old.title);
END
""",
  'posts_trigram_after_update': """
CREATE TRIGGER posts_trigram_after_update AFTER UPDATE OF title ON posts BEGIN
  INSERT INTO posts_trigram(posts_trigram, rowid, title) VALUES ('delete', old.id, old.title);
  INSERT INTO posts_trigram(rowid, title) VALUES (new.id, new.title);
END
""",
}


def require_pg_trgm(bind):
  """Stop with one sentence when the server lacks pg_trgm (Debian ships it with PostgreSQL)."""
  available = bind.execute(
    sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
  ).first()
  if available is None:
    raise RuntimeError(
      'PostgreSQL has no pg_trgm extension: install the postgresql-contrib package.'
    )


def upgrade():
  op.add_column(
    'post_images', sa.Column('position', sa.Integer(), nullable=False, server_default='0')
  )
  bind = op.get_bind()
  if bind.dialect.name == 'postgresql':
    require_pg_trgm(bind)
    op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
    op.execute(
      f'CREATE INDEX {POSTGRESQL_TRIGRAM_INDEX} ON posts USING gin (lower(title) gin_trgm_ops)'
    )
  else:
    op.execute(SQLITE_TRIGRAM_TABLE)
    op.execute("INSERT INTO posts_trigram(posts_trigram) VALUES ('rebuild')")
    for statement in SQLITE_TRIGGERS.values():
      op.execute(statement)


def downgrade():
  bind = op.get_bind()
  if bind.dialect.name == 'postgresql':
    op.execute(f'DROP INDEX IF EXISTS {POSTGRESQL_TRIGRAM_INDEX}')
    # The extension stays: other databases' objects may use it, and it costs nothing idle.
  else:
    for trigger_name in SQLITE_TRIGGERS:
      op.execute(f'DROP TRIGGER IF EXISTS {trigger_name}')
    op.execute('DROP TABLE IF EXISTS posts_trigram')
  with op.batch_alter_table('post_images') as batch:
    batch.drop_column('position')
