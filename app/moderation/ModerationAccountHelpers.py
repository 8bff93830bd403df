"""What moderators do to accounts: warn, suspend for N days or ban, and lift. A suspension ends
every session at once, refuses the login with the reason and end date (UserHelpers), and hides
the user's posts (PostHelpers.post_visibility_conditions); they cannot post, dib or message."""

from datetime import timedelta

from sqlalchemy import select

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404, utc_now
from app.extensions import db
from app.moderation.ModerationConstants import (
  ACTION_BAN,
  ACTION_LIFT,
  ACTION_SUSPEND,
  ACTION_WARN,
  TARGET_USER,
)
from app.moderation.ModerationHelpers import audit, require_moderator
from app.notifications.NotificationConstants import KIND_WARNING
from app.notifications.NotificationHelpers import notify
from app.users.UserModels import User, suspended_user_ids
from app.users.UserSessionHelpers import end_all_sessions


def get_account_for(moderator, user_id):
  """The account a moderator acts on: never their own (403), never an admin's unless they are
  one (403)."""
  require_moderator(moderator)
  user = get_or_404(User, id=user_id)
  if user.id == moderator.id:
    raise ApiError(403, message='You cannot act on your own account.')
  if user.is_admin and not moderator.is_admin:
    raise ApiError(403, message='Only an admin can act on an admin.')
  return user


def warn_user(moderator, user_id, reason):
  """Send the user a warning notification, and log it."""
  user = get_account_for(moderator, user_id)
  audit(moderator.id, ACTION_WARN, TARGET_USER, user.id, reason)
  notify(user.id, KIND_WARNING, {'reason': reason})
  db.session.commit()
  return user


def suspend_user(moderator, user_id, days, reason):
  """Suspend the user for `days` days, or ban them (`days` None): every session ends now."""
  return apply_suspension(get_account_for(moderator, user_id), days, reason, moderator.id)


def apply_suspension(user, days, reason, moderator_id):
  """Suspend or ban `user` for the moderator `moderator_id` (None: the operator's CLI)."""
  now = utc_now()
  user.suspended_at = now
  user.suspended_until = None if days is None else now + timedelta(days=days)
  user.suspension_reason = reason
  end_all_sessions(user)
  audit(moderator_id, ACTION_BAN if days is None else ACTION_SUSPEND, TARGET_USER, user.id, reason)
  db.session.commit()
  return user


def lift_suspension(moderator, user_id, reason):
  """End the user's suspension or ban now (409 when there is none)."""
  return apply_lift(get_account_for(moderator, user_id), reason, moderator.id)


def apply_lift(user, reason, moderator_id):
  """End `user`'s suspension for the moderator `moderator_id` (None: the operator's CLI)."""
  if not user.is_suspended():
    raise ApiError(409, message='This account is not suspended.')
  user.suspended_at = None
  user.suspended_until = None
  user.suspension_reason = None
  audit(moderator_id, ACTION_LIFT, TARGET_USER, user.id, reason)
  db.session.commit()
  return user


def suspended_accounts_statement(moderator):
  """The accounts suspended or banned now, most recently suspended first (moderators only)."""
  require_moderator(moderator)
  return (
    select(User)
    .where(User.id.in_(suspended_user_ids(utc_now()).scalar_subquery()))
    .order_by(User.suspended_at.desc(), User.id.desc())
  )
