"""What Alembic's autogenerate must leave alone, shared by alembic/env.py and the tests."""

# Tables the database maintains itself (full-text indexes and their shadow tables) are
# created by hand in their migrations and are invisible to autogenerate.
DATABASE_MAINTAINED_TABLE_PREFIXES = ('posts_fts', 'posts_trigram')
# PostgreSQL's generated full-text column and its GIN index (0003_search) exist on that
# database only, so the models, shared by both databases, do not map them.
DATABASE_MAINTAINED_COLUMNS = {('posts', 'search_vector')}
DATABASE_MAINTAINED_INDEXES = {'ix_posts_search_vector', 'ix_posts_title_trigram'}


def include_object(object_, name, type_, reflected, compare_to):
  """Leave database-maintained objects out of autogenerate comparisons."""
  if type_ == 'table' and name and name.startswith(DATABASE_MAINTAINED_TABLE_PREFIXES):
    return False
  if type_ == 'column' and (object_.table.name, name) in DATABASE_MAINTAINED_COLUMNS:
    return False
  if type_ == 'index' and name in DATABASE_MAINTAINED_INDEXES:
    return False
  return True
