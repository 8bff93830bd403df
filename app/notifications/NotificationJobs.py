"""Jobs of the notifications area: mailing a notification."""

from flask import current_app

from app.common.CommonMail import send_mail_once
from app.extensions import db
from app.notifications.NotificationModels import Notification
from app.notifications.NotificationSettingHelpers import wants_email
from app.notifications.NotificationTexts import notification_mail
from app.users.UserModels import User


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
  return send_mail_once(f'notification:{notification.id}', user.email, subject, body)
