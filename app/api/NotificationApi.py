"""Notifications: my list (newest first, with the unread count) and marking them read."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body, paginate
from app.common.CommonResponses import json_response
from app.notifications import NotificationHelpers
from app.notifications.NotificationForms import NotificationReadForm
from app.notifications.NotificationSerializers import notifications_to_json


@api_blueprint.get('/notifications')
def list_notifications():
  """My notifications, newest first, a page at a time, with how many are unread."""
  statement = NotificationHelpers.notifications_statement(current_user)
  page = paginate(statement, notifications_to_json)
  page['unread'] = NotificationHelpers.count_unread(current_user)
  return json_response(page)


@api_blueprint.post('/notifications/read')
def mark_notifications_read():
  """Mark my notifications up to `up_to` (an id) read."""
  form = validate_form(NotificationReadForm, get_json_body())
  NotificationHelpers.mark_read(current_user, form.up_to.data)
  return json_response({'unread': NotificationHelpers.count_unread(current_user)})
