"""The rules of notifications: creating them (one function, `notify`), listing, reading,
unread counts and which kinds each user wants by email."""

from sqlalchemy import func, select, update

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import utc_now
from app.common.CommonJobs import enqueue
from app.events.EventConstants import EVENT_NOTIFICATION
from app.events.EventHelpers import queue_user_event
from app.extensions import db
from app.notifications import NotificationJobs
from app.notifications.NotificationConstants import NOTIFICATION_KINDS
from app.notifications.NotificationModels import Notification, NotificationPreference
from app.notifications.NotificationSerializers import notification_to_json


def notify(user_id, kind, payload, subject_key=None):
  """Record a notification for the user and queue its mail (unless they turned the kind off).

  The one way notifications are made: call it after the change it reports is committed.
  `subject_key` names what it is about when later notifications must find it (a
  conversation)."""
  notification = Notification(user_id=user_id, kind=kind, payload=payload, subject_key=subject_key)
  db.session.add(notification)
  db.session.flush()
  queue_user_event(user_id, EVENT_NOTIFICATION, notification_to_json(notification))
  db.session.commit()
  if wants_email(user_id, kind):
    enqueue(NotificationJobs.send_notification_mail, notification.id)
  return notification


def notifications_statement(user):
  """The user's notifications, newest first."""
  return (
    select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())
  )


def count_unread(user):
  """How many of the user's notifications are unread: one query."""
  return db.session.execute(
    select(func.count())
    .select_from(Notification)
    .where(Notification.user_id == user.id, Notification.read_at.is_(None))
  ).scalar_one()


def mark_read(user, up_to):
  """Mark the user's notifications up to id `up_to` read; 422 when it is not one of theirs."""
  owner = db.session.execute(
    select(Notification.user_id).where(Notification.id == up_to)
  ).scalar_one_or_none()
  if owner != user.id:
    raise ApiError(422, fields={'up_to': ['Is not one of your notifications.']})
  db.session.execute(
    update(Notification)
    .where(
      Notification.user_id == user.id, Notification.id <= up_to, Notification.read_at.is_(None)
    )
    .values(read_at=utc_now())
  )
  db.session.commit()


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
