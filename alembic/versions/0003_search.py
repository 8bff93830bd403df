"""Full-text search of posts, maintained by the database itself.

SQLite: an FTS5 external-content table `posts_fts` over posts.title and posts.description,
kept in sync by three triggers on posts. PostgreSQL: a generated, stored `search_vector`
column (title weighted A, description B; each text's English stems and its words as typed)
with a GIN index. Both are backfilled here.

A later migration that rebuilds `posts` on SQLite (Alembic batch mode copies the table and
drops the old one) drops the triggers with it: it must run `create_sqlite_triggers` again
and `INSERT INTO posts_fts(posts_fts) VALUES('rebuild')`.

Revision ID: 0003_search
Revises: 0002_posts
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0003_search'
down_revision = '0002_posts'
branch_labels = None
depends_on = None

# Kept here, not imported from app/, so the migration stays what it was when it ran.
# Each text twice: stemmed by 'english' (`bikes` finds "bike") and as typed by 'simple'
# (`calcula:*` finds "calculator", which 'english' stores as `calcul`).
POSTGRESQL_SEARCH_VECTOR = (
  "setweight(to_tsvector('english', title), 'A') || "
  "setweight(to_tsvector('simple', title), 'A') || "
  "setweight(to_tsvector('english', description), 'B') || "
  "setweight(to_tsvector('simple', description), 'B')"
)
POSTGRESQL_SEARCH_INDEX = 'ix_posts_search_vector'

SQLITE_FTS_TABLE = """
CREATE VIRTUAL TABLE posts_fts USING fts5(
  title,
  description,
  content='posts',
  content_rowid='id',
  tokenize='unicode61 remove_diacritics 2',
  prefix='2 3'
)
"""

# An external-content table stores no text: the 'delete' command must be given the old
# values exactly as they were indexed, which is why the update trigger reads OLD first.
SQLITE_TRIGGERS = {
  'posts_fts_after_insert': """
CREATE TRIGGER posts_fts_after_insert AFTER INSERT ON posts BEGIN
  INSERT INTO posts_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END
""",
  'posts_fts_after_delete': """
CREATE TRIGGER posts_fts_after_delete AFTER DELETE ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, description)
  VALUES ('delete', old.id, old.title, old.description);
END
""",
  # Only text changes touch the index: status and price updates are frequent and free.
  'posts_fts_after_update': """
CREATE TRIGGER posts_fts_after_update AFTER UPDATE OF title, description ON posts BEGIN
  INSERT INTO posts_fts(posts_fts, rowid, title, description)
  VALUES ('delete', old.id, old.title, old.description);
  INSERT INTO posts_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
END
""",
}


def create_sqlite_triggers():
  for statement in SQLITE_TRIGGERS.values():
    op.execute(statement)


def upgrade():
  if op.get_bind().dialect.name == 'postgresql':
    # Adding a stored generated column rewrites the table, which backfills every row.
    op.add_column(
      'posts',
      sa.Column(
        'search_vector',
        postgresql.TSVECTOR(),
        sa.Computed(POSTGRESQL_SEARCH_VECTOR, persisted=True),
        nullable=False,
      ),
    )
    # Without fastupdate, new rows go straight into the index instead of a pending list that
    # every search scans linearly (and that makes the planner price the index out) until the
    # next vacuum: posts are read far more often than written.
    op.create_index(
      POSTGRESQL_SEARCH_INDEX,
      'posts',
      ['search_vector'],
      unique=False,
      postgresql_using='gin',
      postgresql_with={'fastupdate': 'off'},
    )
  else:
    op.execute(SQLITE_FTS_TABLE)
    op.execute("INSERT INTO posts_fts(posts_fts) VALUES ('rebuild')")
    create_sqlite_triggers()


def downgrade():
  if op.get_bind().dialect.name == 'postgresql':
    op.drop_index(POSTGRESQL_SEARCH_INDEX, table_name='posts', postgresql_using='gin')
    op.drop_column('posts', 'search_vector')
  else:
    for trigger_name in SQLITE_TRIGGERS:
      op.execute(f'DROP TRIGGER IF EXISTS {trigger_name}')
    # Dropping the virtual table drops its shadow tables (posts_fts_data, _idx, ...) too.
    op.execute('DROP TABLE IF EXISTS posts_fts')
