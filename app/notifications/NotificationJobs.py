"""Jobs of the notifications area: mailing a notification, and queuing again the mails owed."""

from flask import current_app
from sqlalchemy import String, cast, exists, literal, select

from app.common.CommonJobs import enqueue, periodic_job
from app.common.CommonMail import OWED_MAIL_BATCH, owed_mail_window, send_mail_once
from app.common.CommonModels import SentMail
from app.extensions import db
from app.notifications.NotificationModels import Notification, NotificationPreference
from app.notifications.NotificationSettingHelpers import wants_email
from app.notifications.NotificationTexts import notification_mail
from app.users.UserModels import User


def notification_mail_key(notification_id):
  """The key of a notification's mail in sent_mails."""
  return f'notification:{notification_id}'


def send_notification_mail(notification_id):
  """Mail a notification to its user, once (keyed by the notification), unless they turned
  its kind off since."""
  notification = db.session.get(Notification, notification_id)
  if notification is None or not wants_email(notification.user_id, notification.kind):
    return False
  user = db.session.get(User, notification.user_id)
  subject, body = notification_mail(
    notification.kind, notification.payload, current_app.config['PUBLIC_BASE_URL']
  )
  return send_mail_once(notification_mail_key(notification.id), user.email, subject, body)


def owed_notification_mail_ids():
  """Notifications old enough to have been mailed that have no mail sent or being sent, whose
  user did not turn their kind off."""
  oldest, newest = owed_mail_window()
  mail_key = literal('notification:') + cast(Notification.id, String)
  turned_off = exists().where(
    NotificationPreference.user_id == Notification.user_id,
    NotificationPreference.kind == Notification.kind,
    NotificationPreference.email.is_(False),
  )
  statement = (
    select(Notification.id)
    .where(Notification.created_at.between(oldest, newest))
    .where(~exists().where(SentMail.mail_key == mail_key))
    .where(~turned_off)
    .order_by(Notification.id)
    .limit(OWED_MAIL_BATCH)
  )
  return db.session.execute(statement).scalars().all()


@periodic_job
def resend_owed_notification_mails():
  """Queue again the mail of each notification that should have been mailed by now (its
  after-commit enqueue was lost: Redis away, or the process died right after the commit);
  send_mail_once keys it by the notification, so a mail is never sent twice."""
  owed = owed_notification_mail_ids()
  for notification_id in owed:
    enqueue(send_notification_mail, notification_id)
  if owed:
    current_app.logger.warning('Queued %d owed notification mails again.', len(owed))
  return len(owed)
