"""`manage.py moderation …`: the queue, ban and unban, and the moderator role, for operators."""

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.common.CommonErrors import ApiError
from app.extensions import db
from app.moderation.ModerationAccountHelpers import apply_lift, apply_suspension
from app.moderation.ModerationConstants import REPORT_OPEN, SUSPENSION_MAX_DAYS
from app.moderation.ModerationModels import Report
from app.users.UserConstants import ROLE_ADMIN, ROLE_MODERATOR, ROLE_USER
from app.users.UserHelpers import find_user_by_username

moderation_commands = AppGroup('moderation', help='Reports, suspensions and moderators.')


def user_or_fail(username):
  """The user named `username`, else a ClickException."""
  user = find_user_by_username(username)
  if user is None:
    raise click.ClickException(f'No user named {username}.')
  return user


@moderation_commands.command('queue')
def queue_command():
  """List the targets with open reports, most reported first."""
  rows = db.session.execute(
    select(Report.target_type, Report.target_id, func.count(), func.min(Report.created_at))
    .where(Report.status == REPORT_OPEN)
    .group_by(Report.target_type, Report.target_id)
    .order_by(func.count().desc(), func.min(Report.id))
  ).all()
  if not rows:
    click.echo('No open reports.')
  for target_type, target_id, count, first in rows:
    click.echo(f'{target_type} {target_id}: {count} open report(s), first {first:%Y-%m-%d %H:%M}')


@moderation_commands.command('ban')
@click.argument('username')
@click.option('--reason', required=True, help='Shown to the user when they try to log in.')
@click.option(
  '--days',
  type=click.IntRange(1, SUSPENSION_MAX_DAYS),
  default=None,
  help='Suspend for this many days instead of banning.',
)
def ban_command(username, reason, days):
  """Ban a user (or suspend them for --days): every session ends at once."""
  user = apply_suspension(user_or_fail(username), days, reason, None)
  ending = f'until {user.suspended_until:%Y-%m-%d %H:%M} UTC' if days else 'for good'
  click.echo(f'{user.username} is suspended {ending}; their sessions ended.')


@moderation_commands.command('unban')
@click.argument('username')
@click.option('--reason', default='lifted by an operator', show_default=True)
def unban_command(username, reason):
  """Lift a user's ban or suspension."""
  try:
    user = apply_lift(user_or_fail(username), reason, None)
  except ApiError as error:
    raise click.ClickException(error.message) from None
  click.echo(f'{user.username} may log in again.')


@moderation_commands.command('make-moderator')
@click.argument('username')
@click.option('--revoke', is_flag=True, help='Make them a plain user again.')
def make_moderator_command(username, revoke):
  """Give a user the moderator role (or take it back with --revoke); admins keep theirs."""
  user = user_or_fail(username)
  if user.role == ROLE_ADMIN:
    raise click.ClickException(f'{user.username} is an admin, already a moderator.')
  user.role = ROLE_USER if revoke else ROLE_MODERATOR
  db.session.commit()
  click.echo(f'{user.username} is now a {user.role}.')


def register_moderation_commands(app):
  """Attach `moderation` to the app's CLI."""
  app.cli.add_command(moderation_commands)
