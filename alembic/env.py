"""Alembic environment for Flask-Migrate: the app's engine and metadata drive every run."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

config = context.config
if config.config_file_name is not None and not current_app.testing:
  fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger('alembic.env')

# Tables the database maintains itself (full-text indexes and their shadow tables) are
# created by hand in their migrations and are invisible to autogenerate.
DATABASE_MAINTAINED_TABLE_PREFIXES = ('posts_fts',)
# PostgreSQL's generated full-text column and its GIN index (0003_search) exist on one
# database only, so the models, shared by both, do not map them.
DATABASE_MAINTAINED_COLUMNS = {('posts', 'search_vector')}
DATABASE_MAINTAINED_INDEXES = {'ix_posts_search_vector'}


def include_object(object_, name, type_, reflected, compare_to):
  """Leave database-maintained objects out of autogenerate comparisons."""
  if type_ == 'table' and name and name.startswith(DATABASE_MAINTAINED_TABLE_PREFIXES):
    return False
  if type_ == 'column' and (object_.table.name, name) in DATABASE_MAINTAINED_COLUMNS:
    return False
  if type_ == 'index' and name in DATABASE_MAINTAINED_INDEXES:
    return False
  return object_.info.get('autogenerate', True) if hasattr(object_, 'info') else True


def get_engine():
  return current_app.extensions['migrate'].db.engine


def get_metadata():
  return current_app.extensions['migrate'].db.metadata


def run_migrations_offline():
  """Emit SQL to stdout instead of running it (alembic --sql)."""
  url = get_engine().url.render_as_string(hide_password=False)
  context.configure(
    url=url,
    target_metadata=get_metadata(),
    literal_binds=True,
    include_object=include_object,
  )
  with context.begin_transaction():
    context.run_migrations()


def run_migrations_online():
  """Run the migrations on a live connection, inside one transaction where the database can."""

  def process_revision_directives(context_, revision, directives):
    if getattr(config.cmd_opts, 'autogenerate', False) and directives[0].upgrade_ops.is_empty():
      directives[:] = []
      logger.info('No changes in schema detected.')

  conf_args = dict(current_app.extensions['migrate'].configure_args)
  conf_args.setdefault('process_revision_directives', process_revision_directives)
  with get_engine().connect() as connection:
    context.configure(
      connection=connection,
      target_metadata=get_metadata(),
      include_object=include_object,
      **conf_args,
    )
    with context.begin_transaction():
      context.run_migrations()


if context.is_offline_mode():
  run_migrations_offline()
else:
  run_migrations_online()
