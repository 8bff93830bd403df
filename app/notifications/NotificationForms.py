"""Input of the notifications area: the read marker and the email settings."""

from wtforms.validators import NumberRange

from app.common.CommonConstants import MAX_ROW_ID
from app.common.CommonErrors import ApiError
from app.common.CommonForms import JsonForm, JsonIntegerField, Required
from app.notifications.NotificationConstants import NOTIFICATION_KINDS


class NotificationReadForm(JsonForm):
  up_to = JsonIntegerField(
    validators=[
      Required(),
      NumberRange(min=1, max=MAX_ROW_ID, message='Must be a notification id.'),
    ]
  )


def read_email_settings(payload):
  """The `notification_settings` object of a profile change, checked: {kind: bool}, or None
  when absent; anything else is a 422 on that field."""
  if 'notification_settings' not in payload:
    return None
  settings = payload['notification_settings']
  if not isinstance(settings, dict):
    raise ApiError(
      422, fields={'notification_settings': ['Must be an object of kind: true/false.']}
    )
  problems = []
  for kind, value in settings.items():
    if kind not in NOTIFICATION_KINDS:
      problems.append(f'Unknown kind {kind!r}; kinds are {", ".join(NOTIFICATION_KINDS)}.')
    elif not isinstance(value, bool):
      problems.append(f'{kind} must be true or false.')
  if problems:
    raise ApiError(422, fields={'notification_settings': problems})
  return settings
