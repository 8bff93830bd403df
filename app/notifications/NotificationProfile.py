"""My private profile as the API and the SPA shell hand it: the user's private JSON with their
notification state (unread count and email settings), built in one place."""

from app.notifications.NotificationHelpers import count_unread
from app.notifications.NotificationSettingHelpers import email_settings
from app.users.UserSerializers import user_private_to_json


def private_profile_to_json(user):
  """My private profile with my unread notifications and notification email settings."""
  return {
    **user_private_to_json(user),
    'unread_notifications': count_unread(user),
    'notification_settings': email_settings(user),
  }
