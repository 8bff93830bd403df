"""What Alembic's autogenerate must leave alone, shared by alembic/env.py and the tests."""

# Tables the database maintains itself (full-text indexes and their shadow tables) are
# created by hand in their migrations and are invisible to autogenerate.
DATABASE_MAINTAINED_TABLE_PREFIXES = ('posts_fts',)


def include_object(object_, name, type_, reflected, compare_to):
  """Leave database-maintained objects out of autogenerate comparisons."""
  if type_ == 'table' and name and name.startswith(DATABASE_MAINTAINED_TABLE_PREFIXES):
    return False
  return True
