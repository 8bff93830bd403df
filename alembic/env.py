"""Alembic environment for Flask-Migrate: the app's engine and metadata drive every run."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app

from app.common.CommonMigrations import include_object

config = context.config
if config.config_file_name is not None and not current_app.testing:
  fileConfig(config.config_file_name, disable_existing_loggers=False)
logger = logging.getLogger('alembic.env')


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
