"""The JSON of notifications: each with its sentence and the SPA page it is about."""

from app.common.CommonHelpers import to_iso
from app.notifications.NotificationTexts import notification_link, notification_text


def notification_to_json(notification):
  """A notification as the API shows it."""
  return {
    'id': notification.id,
    'kind': notification.kind,
    'payload': notification.payload,
    'text': notification_text(notification.kind, notification.payload),
    'link': notification_link(notification.kind, notification.payload),
    'read': notification.read_at is not None,
    'created_at': to_iso(notification.created_at),
  }


def notifications_to_json(notifications):
  """Serialize notification rows (they carry all they show: no further queries)."""
  return [notification_to_json(notification) for notification in notifications]
