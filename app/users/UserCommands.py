"""Commands of the users area for `manage.py` (and `flask`): creating accounts."""

import click
from flask.cli import with_appcontext

from app.common.CommonErrors import ApiError
from app.common.CommonForms import validate_form
from app.users.UserConstants import ROLE_ADMIN, ROLE_USER
from app.users.UserForms import SignupForm
from app.users.UserHelpers import create_user


@click.command('create-user')
@click.option('--email', prompt=True)
@click.option('--username', prompt=True)
@click.option('--password', prompt=True, hide_input=True, confirmation_prompt=True)
@click.option('--display-name', default=None)
@click.option('--admin', is_flag=True, help='Give the account the admin role.')
@with_appcontext
def create_user_command(email, username, password, display_name, admin):
  """Create an account (an admin one with --admin), checked like a sign-up."""
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


def register_user_commands(app):
  """Attach the users area's commands to the app's CLI."""
  app.cli.add_command(create_user_command)
