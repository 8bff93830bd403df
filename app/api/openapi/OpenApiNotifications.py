"""The notifications operations of the OpenAPI document, as a table."""

from app.api.openapi.OpenApiComponents import INTEGER_ID, obj, ref
from app.api.openapi.OpenApiOperations import PAGE_QUERY, json_body, paths_from_table

TAG_NOTIFICATIONS = 'notifications'

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
NOTIFICATIONS_OPERATIONS = (
  (
    'GET /api/notifications',
    'listNotifications',
    'My notifications, newest first, with the unread count.',
    {200: ('A page of notifications.', ref('NotificationList'))},
    {'query': PAGE_QUERY},
  ),
  (
    'POST /api/notifications/read',
    'markNotificationsRead',
    'Mark my notifications up to an id read.',
    {
      200: (
        'The unread count after the change.',
        obj({'unread': {'type': 'integer', 'minimum': 0}}),
      )
    },
    {
      'body': json_body({'up_to': INTEGER_ID}, required=('up_to',)),
      'description': 'An id that is not one of my notifications is a 422 on `up_to`.',
    },
  ),
)


def notifications_paths():
  """/api/notifications: my notifications and marking them read."""
  return paths_from_table(TAG_NOTIFICATIONS, NOTIFICATIONS_OPERATIONS)
