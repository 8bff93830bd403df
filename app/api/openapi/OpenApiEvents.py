"""The live events stream of the OpenAPI document: GET /api/events and its event payloads."""

from app.api.openapi.OpenApiComponents import INTEGER_ID, obj, ref
from app.api.openapi.OpenApiOperations import paths_from_table, query_parameter
from app.events.EventConstants import (
  EVENT_DIB,
  EVENT_HOLD,
  EVENT_MESSAGE,
  EVENT_NOTIFICATION,
  EVENT_POST,
  EVENT_UNREAD,
  HEARTBEAT_SECONDS,
  MAX_STREAM_SECONDS,
  STREAM_REPLACED_EVENT,
  STREAM_REPLACED_REASON,
)
from app.events.EventForms import EVENT_ID_PATTERN

TAG_EVENTS = 'events'
EVENT_ID = {
  'type': 'string',
  'pattern': EVENT_ID_PATTERN,
  'description': 'An event id the stream sent (`<milliseconds>-<sequence>`).',
}
COUNT = {'type': 'integer', 'minimum': 0}

EVENT_SCHEMAS = {
  'MessageEvent': obj(
    {'conversation_id': INTEGER_ID, 'message': ref('Message')},
    required=['conversation_id', 'message'],
  ),
  'UnreadEvent': obj({'unread': COUNT}, required=['unread']),
  'DibEvent': obj(
    {
      'post_id': INTEGER_ID,
      'dib_id': INTEGER_ID,
      'action': ref('DibAction'),
      'status': ref('DibStatus'),
      'queue_length': COUNT,
      'position': {
        'type': ['integer', 'null'],
        'minimum': 1,
        'description': "The buyer's place in the queue (buyers' events only).",
      },
    },
    required=['post_id', 'dib_id', 'action', 'status', 'queue_length'],
  ),
  'PostEvent': obj(
    {
      'post_id': INTEGER_ID,
      'status': ref('PostStatus'),
      'title': {'type': 'string'},
    },
    required=['post_id', 'status'],
  ),
  'HoldEvent': obj(
    {
      'hold_id': INTEGER_ID,
      'post_id': INTEGER_ID,
      'dib_id': INTEGER_ID,
      'action': ref('HoldAction'),
      'status': ref('HoldStatus'),
      'deadline_at': {'type': 'string', 'format': 'date-time'},
      'meetup_id': INTEGER_ID,
    },
    required=['post_id', 'dib_id', 'action'],
  ),
  'NotificationEvent': {
    'type': 'object',
    'description': 'A notification, as the notifications resource serializes it.',
  },
  'ReplacedEvent': obj(
    {
      'reason': {'type': 'string', 'const': STREAM_REPLACED_REASON},
      'max_streams': {'type': 'integer', 'minimum': 1},
    },
    required=['reason', 'max_streams'],
  ),
}
EVENT_PAYLOADS = {
  EVENT_MESSAGE: 'MessageEvent',
  EVENT_UNREAD: 'UnreadEvent',
  EVENT_DIB: 'DibEvent',
  EVENT_POST: 'PostEvent',
  EVENT_NOTIFICATION: 'NotificationEvent',
  STREAM_REPLACED_EVENT: 'ReplacedEvent',
  EVENT_HOLD: 'HoldEvent',
}

STREAM_DESCRIPTION = (
  'A Server-Sent Events stream (text/event-stream) of what changes for the logged-in user. '
  'Each event is `id: <event id>`, `event: <type>`, `data: <one line of JSON>`; the `data` of '
  'each type follows the schema named in `x-event-payloads`: `message` (a new message in one '
  'of my conversations, to both participants), `unread` (my new unread count), `dib` (a dib '
  'on my post called, cancelled, accepted or declined; my dib accepted or declined, or its '
  '`position` moved), `post` (the status of a post I sell or called dibs on), `hold` (a '
  'hold of mine started, a meet-up proposed or confirmed, the hold sold, lapsed, released, '
  'a no-show or otherwise ended; `your_turn`, without `hold_id`, when a hold before mine in '
  'the queue ended without a sale) and '
  '`notification`. A comment line (`: heartbeat`) comes every '
  f'{HEARTBEAT_SECONDS} s; the stream ends when the login that opened it ends, or after '
  f'{MAX_STREAM_SECONDS} s. A user holds at most EVENTS_MAX_STREAMS_PER_USER streams (5 by '
  'default), counted across servers: opening one more closes the oldest, whose last block is '
  f'a `{STREAM_REPLACED_EVENT}` event (no id) — its client should close it and not reconnect '
  'on its own. Reconnecting with `Last-Event-ID` (browsers send it by themselves) '
  "replays what was missed from the user's bounded buffer. 503 means live updates are "
  'unavailable (Redis unreachable): poll instead.'
)


STREAM_RESPONSE = {
  'description': 'The stream, open until the login ends.',
  'headers': {
    'Cache-Control': {'schema': {'const': 'no-cache'}},
    'X-Accel-Buffering': {'schema': {'const': 'no'}},
  },
  'content': {
    'text/event-stream': {
      'schema': {'type': 'string', 'description': 'Events, separated by blank lines.'},
      'x-event-payloads': {event_type: ref(name) for event_type, name in EVENT_PAYLOADS.items()},
    }
  },
}
LAST_EVENT_ID_QUERY = (
  {
    'name': 'Last-Event-ID',
    'in': 'header',
    'required': False,
    'schema': EVENT_ID,
    'description': 'Resume after this event (sent by the browser on reconnect).',
  },
  query_parameter(
    'last_event_id', EVENT_ID, description='The same, for a client reopening by hand.'
  ),
)

# (METHOD /path, operationId, summary, {status: response}, other arguments)
EVENT_OPERATIONS = (
  (
    'GET /api/events',
    'eventStream',
    'My live events, as Server-Sent Events.',
    {200: STREAM_RESPONSE},
    {'query': LAST_EVENT_ID_QUERY, 'errors': (503,), 'description': STREAM_DESCRIPTION},
  ),
)


def events_paths():
  """/api/events."""
  return paths_from_table(TAG_EVENTS, EVENT_OPERATIONS)
