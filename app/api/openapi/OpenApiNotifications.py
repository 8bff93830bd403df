"""The notifications operations of the OpenAPI document."""

from app.api.openapi.OpenApiComponents import INTEGER_ID, ref
from app.api.openapi.OpenApiOperations import PAGE_QUERY, json_body, operation, success_response

TAG_NOTIFICATIONS = 'notifications'


def notifications_paths():
  """/api/notifications: my notifications and marking them read."""
  unread = {
    'type': 'object',
    'properties': {'unread': {'type': 'integer', 'minimum': 0}},
    'required': ['unread'],
  }
  return {
    '/api/notifications': {
      'get': operation(
        'get',
        'listNotifications',
        'My notifications, newest first, with the unread count.',
        TAG_NOTIFICATIONS,
        {200: success_response('A page of notifications.', ref('NotificationList'))},
        query=PAGE_QUERY,
      )
    },
    '/api/notifications/read': {
      'post': operation(
        'post',
        'markNotificationsRead',
        'Mark my notifications up to an id read.',
        TAG_NOTIFICATIONS,
        {200: success_response('The unread count after the change.', unread)},
        body=json_body({'up_to': INTEGER_ID}, required=('up_to',)),
        description='An id that is not one of my notifications is a 422 on `up_to`.',
      )
    },
  }
