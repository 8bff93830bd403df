"""Commands of `manage.py` (and `flask`) that belong to no area: schema, checks, tests.
(The areas register their own: `create-user` in app/users, `seed` in app/demo/DemoSeed.py.)"""

import subprocess  # nosec B404 # only `manage.py test` uses it, with a fixed argv, no shell
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from app.common.CommonCache import clear_response_cache
from app.common.CommonHealth import (
  config_problems,
  database_status,
  migration_status,
  redis_status,
)
from app.common.CommonJobCommands import JOB_COMMANDS


@click.command('initdb')
@with_appcontext
def initdb_command():
  """Create or upgrade the database schema to the newest migration."""
  upgrade()
  click.echo('The database is at the newest migration.')


@click.command('check')
@with_appcontext
def check_command():
  """Check the config, the database and the migrations (exit non-zero when one fails), and
  report Redis."""
  config = current_app.config
  problems = config_problems(config)
  click.echo(f'config: {"ok" if not problems else "problem"} ({config["ENV_NAME"]})')
  for problem in problems:
    click.echo(f'  - {problem}')
  database = database_status()
  click.echo(f'database: {database}')
  migrations = migration_status() if database == 'ok' else 'unknown'
  click.echo(f'migrations: {migrations}')
  # Reported, never a failure: without Redis each process counts rate limits in memory.
  click.echo(f'redis: {redis_status()}')
  if problems or database != 'ok' or migrations != 'head':
    raise click.exceptions.Exit(1)


@click.command('test', context_settings={'ignore_unknown_options': True})
@click.argument('pytest_args', nargs=-1, type=click.UNPROCESSED)
def test_command(pytest_args):
  """Run the test suite with pytest (arguments are passed on)."""
  # This interpreter running pytest, no shell; the arguments are the developer's own.
  exit_code = subprocess.call([sys.executable, '-m', 'pytest', *pytest_args])  # nosec B603
  raise click.exceptions.Exit(exit_code)


@click.group('cache')
def cache_group():
  """The response cache (docs/CACHE.md)."""


@cache_group.command('clear')
@with_appcontext
def cache_clear_command():
  """Invalidate every cached answer: after writes outside the app (SQL, psql, a data fix), a
  restore or a release (fab deploy, migrate and restore run it)."""
  emptied = clear_response_cache()
  click.echo('Every cached answer is invalidated.')
  if not emptied:
    click.echo('Redis could not be reached: its entries are stale and expire by themselves.')


def register_commands(app):
  """Attach the commands to the app's CLI."""
  for command in (initdb_command, check_command, test_command, cache_group):
    app.cli.add_command(command)
  for command in JOB_COMMANDS:
    app.cli.add_command(command)
