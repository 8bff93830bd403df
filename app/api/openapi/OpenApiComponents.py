"""Reusable pieces of the OpenAPI document: schemas, error responses, parameters, security."""

from app.common.CommonConstants import (
  DEFAULT_PAGE_SIZE,
  ERROR_CODES_BY_STATUS,
  MAX_PAGE_NUMBER,
  MAX_PAGE_SIZE,
  MAX_ROW_ID,
)
from app.events.EventConstants import DIB_ACTIONS, HOLD_ACTIONS
from app.frontend.FrontendLimits import client_limits
from app.idempotency.IdempotencyConstants import (
  IDEMPOTENCY_ERROR_CODES,
  IDEMPOTENCY_KEY_HEADER,
  IDEMPOTENCY_KEY_LIFETIME_SECONDS,
  IDEMPOTENCY_KEY_MAX_LENGTH,
  IDEMPOTENCY_KEY_PATTERN,
  REPLAYED_HEADER,
)
from app.moderation.ModerationConstants import (
  AUDIT_ACTIONS,
  DECISIONS,
  POST_MODERATION_STATES,
  REPORT_REASONS,
  REPORT_STATUSES,
  TARGET_TYPES,
)
from app.notifications.NotificationConstants import NOTIFICATION_KINDS
from app.posts.PostConstants import (
  CATEGORIES,
  CONDITIONS,
  DIB_STATUSES,
  LIVE_DIB_STATUSES,
  POST_SORTS,
  POST_STATUSES,
)
from app.posts.PostHoldConstants import HOLD_STATUSES, MEETUP_STATUSES
from app.search.SavedSearchConstants import ALERTS
from app.search.SearchConstants import SEARCH_SORTS
from app.users.UserConstants import RESERVED_USERNAMES, ROLES

ERROR_CODES = sorted({*ERROR_CODES_BY_STATUS.values(), 'csrf', *IDEMPOTENCY_ERROR_CODES})
CSRF_HEADER = 'X-CSRFToken'
SESSION_COOKIE = 'session'


def ref(name):
  """A $ref to a schema of components."""
  return {'$ref': f'#/components/schemas/{name}'}


def nullable(schema):
  """The schema, or null."""
  return {'oneOf': [schema, {'type': 'null'}]}


def or_blank(schema):
  """A query argument that may also be left blank (`?category=` means no filter)."""
  return {'anyOf': [schema, {'type': 'string', 'pattern': r'^\s*$'}]}


def obj(properties, required=None):
  """An object schema; `required` defaults to every property."""
  return {
    'type': 'object',
    'properties': properties,
    'required': list(properties) if required is None else required,
  }


def string_enum(values, description=None):
  """A string schema taking one of `values`; it is written once, under ENUM_SCHEMAS."""
  schema = {'type': 'string', 'enum': list(values)}
  if description:
    schema['description'] = description
  return schema


# Every enum of the document, once: operations and schemas refer to them with ref(name), so a
# generated client gets one type per enum (tests/hardening/test_OpenApiDocument.py checks it).
ENUM_SCHEMAS = {
  'Category': string_enum(CATEGORIES),
  'Condition': string_enum(CONDITIONS),
  'PostStatus': string_enum(POST_STATUSES),
  'PostSort': string_enum(POST_SORTS),
  'SearchSort': string_enum(SEARCH_SORTS),
  'DibStatus': string_enum(DIB_STATUSES),
  'LiveDibStatus': string_enum(LIVE_DIB_STATUSES, 'The statuses of a dib still in the queue.'),
  'DibAction': string_enum(DIB_ACTIONS, 'What happened to a dib, in a `dib` event.'),
  'NotificationKind': string_enum(NOTIFICATION_KINDS),
  'Role': string_enum(ROLES),
  'ReservedUsername': string_enum(RESERVED_USERNAMES, 'Usernames nobody may sign up with.'),
  'ErrorCode': string_enum(ERROR_CODES, 'The `code` of the error envelope.'),
  'ReadinessStatus': string_enum(('ok', 'unavailable')),
  'MigrationState': string_enum(('head', 'behind', 'unknown')),
  'HoldStatus': string_enum(HOLD_STATUSES),
  'HoldAction': string_enum(HOLD_ACTIONS, 'What happened to a hold, in a `hold` event.'),
  'MeetupStatus': string_enum(MEETUP_STATUSES),
  'SavedSearchAlert': string_enum(ALERTS, 'When a saved search alerts: at once, daily or never.'),
  'ReportTargetType': string_enum(TARGET_TYPES),
  'ReportReason': string_enum(REPORT_REASONS),
  'ReportStatus': string_enum(REPORT_STATUSES),
  'ModerationDecision': string_enum(DECISIONS),
  'ModerationAction': string_enum(AUDIT_ACTIONS, 'Every action of the audit log.'),
  'ModerationState': string_enum(POST_MODERATION_STATES),
}

INTEGER_ID = {'type': 'integer', 'minimum': 1, 'maximum': MAX_ROW_ID}
TIMESTAMP = {'type': 'string', 'format': 'date-time'}
STRING = {'type': 'string'}
USERNAME = {'type': 'string', 'examples': ['alice']}

USER_SUMMARY = obj({'id': INTEGER_ID, 'username': USERNAME, 'display_name': STRING})
USER_PUBLIC_FIELDS = {
  'id': INTEGER_ID,
  'username': USERNAME,
  'display_name': STRING,
  'bio': STRING,
  'campus': {
    **nullable(ref('CampusSummary')),
    'description': 'The campus of the email address (docs/CAMPUSES.md), or null.',
  },
  'verified_campus': {
    **nullable(STRING),
    'description': 'The domain of the verified email address (never the address), or null.',
  },
  'created_at': TIMESTAMP,
  'rating': ref('Rating'),
}
USER_PUBLIC = obj(USER_PUBLIC_FIELDS)
# A user's rating from their published reviews (app/reviews).
RATING = obj(
  {
    'average': {
      **nullable({'type': 'number', 'minimum': 1, 'maximum': 5}),
      'description': 'The average stars to one decimal; null without reviews.',
    },
    'count': {'type': 'integer', 'minimum': 0},
  }
)
USER_PRIVATE = obj(
  {
    **USER_PUBLIC_FIELDS,
    'email': {'type': 'string', 'format': 'email'},
    'email_verified': {'type': 'boolean'},
    'role': ref('Role'),
  }
)
NOTIFICATION_SETTINGS = {
  'type': 'object',
  'description': 'Whether each kind of notification is also mailed (default true).',
  'properties': {kind: {'type': 'boolean'} for kind in NOTIFICATION_KINDS},
  'additionalProperties': False,
}
USER_ME = obj(
  {
    **USER_PRIVATE['properties'],
    'unread_notifications': {'type': 'integer', 'minimum': 0},
    'notification_settings': NOTIFICATION_SETTINGS,
  }
)
NOTIFICATION = obj(
  {
    'id': INTEGER_ID,
    'kind': ref('NotificationKind'),
    'payload': {'type': 'object', 'description': 'post_id, post_title, actor, dib_id, …'},
    'text': STRING,
    'link': {'type': 'string', 'description': 'The SPA path the notification is about.'},
    'read': {'type': 'boolean'},
    'created_at': TIMESTAMP,
  }
)
IMAGE = obj({'id': INTEGER_ID, 'url': STRING, 'thumb_url': STRING})
POST = obj(
  {
    'id': INTEGER_ID,
    'title': STRING,
    'description': STRING,
    'price_cents': {'type': 'integer', 'minimum': 0},
    'category': ref('Category'),
    'condition': ref('Condition'),
    'campus': nullable(ref('CampusSummary')),
    'status': ref('PostStatus'),
    'seller': {
      'allOf': [ref('UserSummary'), obj({'rating': ref('Rating')})],
      'description': 'With the rating of their published reviews.',
    },
    'images': {'type': 'array', 'items': ref('Image')},
    'dibs_count': {'type': 'integer', 'minimum': 0},
    'created_at': {**TIMESTAMP, 'description': 'When it was listed (renewing lists it anew).'},
    'updated_at': TIMESTAMP,
    'expires_at': nullable(TIMESTAMP),
    'expired': {'type': 'boolean', 'description': 'Out of browse and search until renewed.'},
    'moderation_state': {
      **nullable(ref('ModerationState')),
      'description': 'Null unless moderation holds the post back (its seller and moderators '
      'alone read it then).',
    },
    'moderation_reason': {**nullable(STRING), 'description': 'Why it is held back.'},
  }
)
SEARCH_RESULT = {
  'allOf': [
    ref('Post'),
    obj({'highlight': {'type': 'string', 'description': 'Snippet with <mark> around matches.'}}),
  ]
}
DIB = obj(
  {
    'id': INTEGER_ID,
    'post_id': INTEGER_ID,
    'user': ref('UserSummary'),
    'position': nullable({'type': 'integer', 'minimum': 1}),
    'status': ref('DibStatus'),
    'created_at': TIMESTAMP,
  }
)
DIB_WITH_POST = {'allOf': [ref('Dib'), obj({'post': ref('Post')})]}
DIB_QUEUE = {
  'oneOf': [
    obj({'items': {'type': 'array', 'items': ref('Dib')}}),
    obj(
      {
        'count': {'type': 'integer', 'minimum': 0},
        'my_position': nullable(INTEGER_ID),
        'my_status': nullable(ref('LiveDibStatus')),
      }
    ),
  ],
  'description': 'The seller sees the queue; anyone else its length and their own place.',
}
MESSAGE = obj(
  {
    'id': INTEGER_ID,
    'conversation_id': INTEGER_ID,
    'sender_id': INTEGER_ID,
    'sender': ref('UserSummary'),
    'body': STRING,
    'created_at': TIMESTAMP,
  },
  required=['id', 'body', 'created_at'],
)
CONVERSATION = obj(
  {
    'id': INTEGER_ID,
    'post': obj(
      {'id': INTEGER_ID, 'title': STRING, 'cover': nullable(ref('Image'))},
    ),
    'other_user': ref('UserSummary'),
    'last_message': nullable(ref('Message')),
    'unread_count': {'type': 'integer', 'minimum': 0},
    'can_send': {
      'type': 'boolean',
      'description': 'False once the post is withdrawn or a block stands either way.',
    },
    'blocked_by_me': {
      'type': 'boolean',
      'description': 'True when I blocked the other user (the blocked side never learns it).',
    },
  }
)
ERROR = obj(
  {
    'error': obj(
      {
        'code': ref('ErrorCode'),
        'message': {'type': 'string', 'minLength': 1},
        'fields': {
          'type': 'object',
          'additionalProperties': {'type': 'array', 'items': STRING},
          'description': 'Only for validation errors: the messages of each bad field.',
        },
      },
      required=['code', 'message'],
    )
  }
)

CLIENT_LIMITS = {
  **obj({name: {'type': 'integer', 'const': value} for name, value in client_limits().items()}),
  'description': (
    "Not an API response: the bounds the SPA's forms enforce, as JSON in the content of "
    '`<meta name="dibz-limits">` of the shell (GET / and every client route), beside '
    '`dibz-categories` and `dibz-conditions`. Each key is the lower-cased name of the '
    "constant the server's forms validate with."
  ),
}


def list_of(item_schema, cursor=False):
  """The list envelope of API.md around `item_schema`; with `cursor`, `next_after` too."""
  properties = {
    'items': {'type': 'array', 'items': item_schema},
    'page': {'type': 'integer', 'minimum': 1},
    'per_page': {'type': 'integer', 'minimum': 1, 'maximum': MAX_PAGE_SIZE},
    'total': {'type': 'integer', 'minimum': 0},
  }
  if cursor:
    properties['next_after'] = nullable({'type': 'integer', 'minimum': 1})
  return obj(properties)


SCHEMAS = {
  **ENUM_SCHEMAS,
  'UserSummary': USER_SUMMARY,
  'UserPublic': USER_PUBLIC,
  'Rating': RATING,
  'UserPrivate': USER_PRIVATE,
  'UserMe': USER_ME,
  'Notification': NOTIFICATION,
  'Image': IMAGE,
  'Post': POST,
  'SearchResult': SEARCH_RESULT,
  'Dib': DIB,
  'DibWithPost': DIB_WITH_POST,
  'DibQueue': DIB_QUEUE,
  'Message': MESSAGE,
  'Conversation': CONVERSATION,
  'PostList': list_of(ref('Post'), cursor=True),
  'SearchResultList': {
    'allOf': [
      list_of(ref('SearchResult')),
      obj(
        {
          'corrected_query': nullable(
            {'type': 'string', 'description': 'The corrected words the results are for.'}
          )
        }
      ),
    ]
  },
  'DibList': list_of(ref('DibWithPost')),
  'ConversationList': list_of(ref('Conversation')),
  'NotificationList': obj(
    {
      **list_of(ref('Notification'))['properties'],
      'unread': {'type': 'integer', 'minimum': 0},
    }
  ),
  'Error': ERROR,
  'ClientLimits': CLIENT_LIMITS,
}

# One reusable response per error status of API.md, named after its code.
ERROR_RESPONSES = {
  400: ('BadRequest', 'Malformed JSON, a body that is not an object, or code `csrf`.'),
  401: ('Unauthorized', 'A login is required, or the credentials are wrong.'),
  403: ('Forbidden', 'A public resource the user may not change.'),
  404: ('NotFound', "No such resource, or another user's private one."),
  409: (
    'Conflict',
    'The request conflicts with the current state; or `idempotency_request_in_progress`: '
    'the first request with this Idempotency-Key still runs (ask again after Retry-After); or '
    '`idempotency_answer_lost`: it did its work but died before answering (nothing is redone).',
  ),
  413: ('PayloadTooLarge', 'The body is larger than the limit; it is refused unread.'),
  415: ('UnsupportedMediaType', 'The body is not of the media type the operation takes.'),
  422: (
    'ValidationError',
    'Wrong types or values (`fields` names each bad field); or `idempotency_key_invalid` (a '
    'malformed Idempotency-Key), `idempotency_key_reused` (the key came with another request).',
  ),
  429: ('RateLimited', 'Too many requests; wait for the seconds in Retry-After.'),
  503: (
    'ServiceUnavailable',
    'The service is not ready, or a part it needs (the database, the photo store) is out of '
    'reach for a moment: try again after Retry-After (a write with the same Idempotency-Key).',
  ),
}


def error_response(description):
  """A response in the error envelope."""
  return {
    'description': description,
    'content': {'application/json': {'schema': ref('Error')}},
  }


def build_error_responses():
  """components.responses: the error envelope under each documented status."""
  responses = {name: error_response(text) for name, text in ERROR_RESPONSES.values()}
  responses['RateLimited']['headers'] = {
    'Retry-After': {
      'description': 'Seconds until the limit lets the client through again.',
      'required': True,
      'schema': {'type': 'string', 'pattern': '^[0-9]+$'},
    }
  }
  responses['Conflict']['headers'] = {
    'Retry-After': {
      'description': 'With `idempotency_request_in_progress`: seconds before asking again.',
      'required': False,
      'schema': {'type': 'string', 'pattern': '^[0-9]+$'},
    }
  }
  return responses


PARAMETERS = {
  'IdempotencyKey': {
    'name': IDEMPOTENCY_KEY_HEADER,
    'in': 'header',
    'required': False,
    'description': (
      'Optional; one fresh value (a UUID) per user action, sent again unchanged on a retry. '
      f'Within {IDEMPOTENCY_KEY_LIFETIME_SECONDS // 3600} h the same key with the same method, '
      'path and body gets the first answer again (marked `Idempotent-Replayed: true`) and '
      'creates nothing; with another request it is a 422 `idempotency_key_reused`; while the '
      'first still runs, a 409 `idempotency_request_in_progress`. Keys are per user (per '
      'browser session before login). 5xx and 429 answers are not kept: a retry runs again.'
    ),
    'schema': {
      'type': 'string',
      'minLength': 1,
      'maxLength': IDEMPOTENCY_KEY_MAX_LENGTH,
      'pattern': IDEMPOTENCY_KEY_PATTERN,
    },
  },
  'IfNoneMatch': {
    'name': 'If-None-Match',
    'in': 'header',
    'required': False,
    'description': 'The `ETag` of an answer the client holds: 304 with no body while it is '
    'current.',
    'schema': {'type': 'string'},
  },
  'CsrfToken': {
    'name': CSRF_HEADER,
    'in': 'header',
    'required': True,
    'description': 'The token of GET /api/auth/csrf; required on every unsafe method.',
    'schema': {'type': 'string', 'minLength': 1},
  },
  'Page': {
    'name': 'page',
    'in': 'query',
    'required': False,
    'schema': or_blank({'type': 'integer', 'minimum': 1, 'maximum': MAX_PAGE_NUMBER, 'default': 1}),
  },
  'After': {
    'name': 'after',
    'in': 'query',
    'required': False,
    'description': 'Keyset paging: the posts after this one (a `next_after`) in the same '
    'order; not with `page`.',
    'schema': or_blank({'type': 'integer', 'minimum': 1, 'maximum': 2**31 - 1}),
  },
  'PerPage': {
    'name': 'per_page',
    'in': 'query',
    'required': False,
    'schema': or_blank(
      {'type': 'integer', 'minimum': 1, 'maximum': MAX_PAGE_SIZE, 'default': DEFAULT_PAGE_SIZE}
    ),
  },
}

SECURITY_SCHEMES = {
  'sessionCookie': {
    'type': 'apiKey',
    'in': 'cookie',
    'name': SESSION_COOKIE,
    'description': 'The Flask-Login session cookie set by signup and login (HttpOnly, Lax).',
  }
}


ETAG_HEADER = {
  'description': 'A strong entity tag of this answer, for `If-None-Match`.',
  'required': True,
  'schema': {'type': 'string'},
}
NOT_MODIFIED = {
  'description': 'Not Modified: `If-None-Match` names the current answer; no body.',
  'headers': {'ETag': {'$ref': '#/components/headers/ETag'}},
}


REPLAYED_HEADER_OBJECT = {
  'description': f'`{REPLAYED_HEADER}: true` when this is the stored first answer to the '
  'Idempotency-Key of the request (nothing was done again).',
  'required': False,
  'schema': {'type': 'string', 'const': 'true'},
}


def build_components():
  """The whole components object."""
  return {
    'schemas': SCHEMAS,
    'responses': {**build_error_responses(), 'NotModified': NOT_MODIFIED},
    'headers': {'ETag': ETAG_HEADER, 'IdempotentReplayed': REPLAYED_HEADER_OBJECT},
    'parameters': PARAMETERS,
    'securitySchemes': SECURITY_SCHEMES,
  }
