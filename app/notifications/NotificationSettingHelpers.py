"""Which kinds of notification each user wants by email (the mail job and the profile read them)."""

from sqlalchemy import select

from app.extensions import db
from app.notifications.NotificationConstants import NOTIFICATION_KINDS
from app.notifications.NotificationModels import NotificationPreference


def email_settings(user):
  """{kind: whether it is mailed} for every kind."""
  rows = db.session.execute(
    select(NotificationPreference.kind, NotificationPreference.email).where(
      NotificationPreference.user_id == user.id
    )
  )
  chosen = dict(rows.all())
  return {kind: chosen.get(kind, True) for kind in NOTIFICATION_KINDS}


def wants_email(user_id, kind):
  """Whether the user wants this kind of notification by email (yes unless turned off)."""
  choice = db.session.execute(
    select(NotificationPreference.email).where(
      NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
    )
  ).scalar_one_or_none()
  return choice is not False


def update_email_settings(user, changes):
  """Store the user's choices from a validated {kind: bool} (the caller commits)."""
  for kind, email in changes.items():
    preference = db.session.get(NotificationPreference, (user.id, kind))
    if preference is None:
      db.session.add(NotificationPreference(user_id=user.id, kind=kind, email=email))
    else:
      preference.email = email
