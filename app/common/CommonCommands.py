"""Commands of `manage.py` (and `flask`): schema, demo data, accounts, checks, tests."""

import subprocess  # nosec B404 # only `manage.py test` uses it, with a fixed argv, no shell
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from app.common.CommonHealth import config_problems, database_status, migration_status


@click.command('initdb')
@with_appcontext
def initdb_command():
  """Create or upgrade the database schema to the newest migration."""
  upgrade()
  click.echo('The database is at the newest migration.')


@click.command('seed')
@click.option('--posts', default=300, show_default=True, help='How many demo posts to create.')
@with_appcontext
def seed_command(posts):
  """Fill the database with demo data (idempotent: a second run changes nothing)."""
  from app.common.CommonSeed import seed_demo_data

  summary = seed_demo_data(post_count=posts)
  for line in summary:
    click.echo(line)


@click.command('create-user')
@click.option('--email', prompt=True)
@click.option('--username', prompt=True)
@click.option('--password', prompt=True, hide_input=True, confirmation_prompt=True)
@click.option('--display-name', default=None)
@click.option('--admin', is_flag=True, help='Give the account the admin role.')
@with_appcontext
def create_user_command(email, username, password, display_name, admin):
  """Create an account (an admin one with --admin), checked like a sign-up."""
  from app.common.CommonErrors import ApiError
  from app.common.CommonForms import validate_form
  from app.users.UserConstants import ROLE_ADMIN, ROLE_USER
  from app.users.UserForms import SignupForm
  from app.users.UserHelpers import create_user

  payload = {'email': email, 'username': username, 'password': password}
  if display_name:
    payload['display_name'] = display_name
  try:
    form = validate_form(SignupForm, payload)
    user = create_user(
      form.email.data,
      form.username.data,
      form.password.data,
      form.display_name.data,
      role=ROLE_ADMIN if admin else ROLE_USER,
    )
  except ApiError as error:
    details = '; '.join(
      f'{name}: {" ".join(messages)}' for name, messages in (error.fields or {}).items()
    )
    raise click.ClickException(details or error.message) from None
  click.echo(f'Created {user.role} {user.username} <{user.email}> with id {user.id}.')


@click.command('check')
@with_appcontext
def check_command():
  """Check the config, the database and the migrations; exit non-zero when one fails."""
  config = current_app.config
  problems = config_problems(config)
  click.echo(f'config: {"ok" if not problems else "problem"} ({config["ENV_NAME"]})')
  for problem in problems:
    click.echo(f'  - {problem}')
  database = database_status()
  click.echo(f'database: {database}')
  migrations = migration_status() if database == 'ok' else 'unknown'
  click.echo(f'migrations: {migrations}')
  if problems or database != 'ok' or migrations != 'head':
    raise click.exceptions.Exit(1)


@click.command('test', context_settings={'ignore_unknown_options': True})
@click.argument('pytest_args', nargs=-1, type=click.UNPROCESSED)
def test_command(pytest_args):
  """Run the test suite with pytest (arguments are passed on)."""
  # This interpreter running pytest, no shell; the arguments are the developer's own.
  exit_code = subprocess.call([sys.executable, '-m', 'pytest', *pytest_args])  # nosec B603
  raise click.exceptions.Exit(exit_code)


def register_commands(app):
  """Attach the commands to the app's CLI."""
  from app.common.CommonJobCommands import JOB_COMMANDS

  for command in (initdb_command, seed_command, create_user_command, check_command, test_command):
    app.cli.add_command(command)
  for command in JOB_COMMANDS:
    app.cli.add_command(command)
