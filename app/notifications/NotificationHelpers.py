"""The rules of notifications: creating them (one function, `notify`), listing, reading and
unread counts (the email choices are NotificationSettingHelpers')."""

from sqlalchemy import func, select, update

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import utc_now
from app.common.CommonJobs import enqueue
from app.common.CommonTransaction import after_commit
from app.events.EventConstants import EVENT_NOTIFICATION
from app.events.EventHelpers import queue_user_event
from app.extensions import db
from app.notifications import NotificationJobs
from app.notifications.NotificationModels import Notification
from app.notifications.NotificationSerializers import notification_to_json
from app.notifications.NotificationSettingHelpers import wants_email


def notify(user_id, kind, payload, subject_key=None):
  """Add a notification for the user to the caller's transaction; once it commits, publish it
  and queue its mail (unless the user turned the kind off).

  The one way notifications are made. It joins the caller's transaction and never commits:
  call it beside the change it reports, and commit once at the end; a rollback leaves no
  notification, event or mail. `subject_key` names what it is about when later notifications
  must find it (a conversation)."""
  notification = Notification(user_id=user_id, kind=kind, payload=payload, subject_key=subject_key)
  db.session.add(notification)
  # The id and time, for the event's JSON and the mail job.
  db.session.flush()
  queue_user_event(user_id, EVENT_NOTIFICATION, notification_to_json(notification))
  if wants_email(user_id, kind):
    after_commit(enqueue, NotificationJobs.send_notification_mail, notification.id)
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
