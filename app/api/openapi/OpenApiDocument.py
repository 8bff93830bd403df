"""The whole OpenAPI 3.1 document, assembled from the areas' operations."""

from functools import cache

from app.api.openapi.OpenApiCampuses import CAMPUS_SCHEMAS, TAG_CAMPUSES, campus_paths
from app.api.openapi.OpenApiChat import chat_paths
from app.api.openapi.OpenApiComponents import build_components, obj, ref
from app.api.openapi.OpenApiEvents import EVENT_SCHEMAS, TAG_EVENTS, events_paths
from app.api.openapi.OpenApiHolds import HOLD_SCHEMAS, TAG_HOLDS, expiry_paths, holds_paths
from app.api.openapi.OpenApiMyData import MY_DATA_SCHEMAS, my_data_paths
from app.api.openapi.OpenApiNotifications import notifications_paths
from app.api.openapi.OpenApiOperations import paths_from_table
from app.api.openapi.OpenApiPosts import dibs_paths, posts_paths, search_paths
from app.api.openapi.OpenApiReviews import REVIEW_SCHEMAS, REVIEWS_TAG, reviews_paths
from app.api.openapi.OpenApiSafety import SAFETY_SCHEMAS, SAFETY_TAG, safety_paths
from app.api.openapi.OpenApiUsers import auth_paths, users_paths

OPENAPI_VERSION = '3.1.0'
API_VERSION = '1.0.0'
TAG_OPERATIONS = 'operations'

TAGS = [
  {'name': 'auth', 'description': 'Sessions, CSRF tokens, sign-up and password resets.'},
  {'name': 'users', 'description': 'Profiles.'},
  {'name': TAG_CAMPUSES, 'description': 'Campuses, their email domains and pickup spots.'},
  {'name': 'posts', 'description': 'Things for sale and their photos.'},
  {'name': 'dibs', 'description': 'The first-come-first-served queue of a post.'},
  {'name': TAG_HOLDS, 'description': 'After an accepted dib: the hold, meet-ups, the handover.'},
  {'name': 'search', 'description': 'Full-text search of posts.'},
  {'name': 'chat', 'description': 'Conversations between a buyer and a seller.'},
  {'name': 'notifications', 'description': 'What happened to my posts, dibs and chats.'},
  {'name': TAG_EVENTS, 'description': 'Live updates, as Server-Sent Events.'},
  SAFETY_TAG,
  REVIEWS_TAG,
  {'name': TAG_OPERATIONS, 'description': 'Probes, this document and its reference page.'},
]

DESCRIPTION = (
  'The Dibz campus marketplace. Every response is JSON; every error is the envelope '
  '`{"error": {"code", "message", "fields?"}}`. Unsafe methods need the `X-CSRFToken` header '
  "from GET /api/auth/csrf. Private operations need the session cookie; another user's "
  'private resource answers 404. The SPA shell hands the client the bounds of its forms in '
  '`<meta name="dibz-limits">` (schema `ClientLimits`). Cached reads (marked by their 304) '
  'answer with a strong `ETag` and `Cache-Control: no-cache`: keep the body, send '
  '`If-None-Match`, and a 304 says it is still current; a write is in the very next answer. '
  'Every POST but login and logout takes an optional `Idempotency-Key`: send one fresh key per '
  'action, and the same key again when retrying it; the retry gets the first answer '
  '(`Idempotent-Replayed: true`) and nothing is done twice.'
)


STATUS_OK = obj({'status': {'const': 'ok'}})
READINESS = obj(
  {
    'status': ref('ReadinessStatus'),
    'database': {'type': 'string'},
    'migrations': ref('MigrationState'),
  }
)
PUBLIC = {'public': True}

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
OPERATIONS = (
  (
    'GET /api/docs',
    'apiDocs',
    'This reference as an interactive page (Swagger UI), drawn from /api/openapi.json.',
    {
      200: {
        'description': 'The HTML page.',
        'content': {'text/html': {'schema': {'type': 'string'}}},
      }
    },
    PUBLIC,
  ),
  (
    'GET /api/health',
    'health',
    'Liveness: the process answers (the database is not touched).',
    {200: ('Alive.', STATUS_OK)},
    PUBLIC,
  ),
  (
    'GET /api/health/ready',
    'healthReady',
    'Readiness: the database answers and is at the newest migration.',
    {
      200: ('Ready.', READINESS),
      503: ('Not ready; the body names the failing part.', READINESS),
    },
    PUBLIC,
  ),
  (
    'GET /api/openapi.json',
    'openapiDocument',
    'This OpenAPI 3.1 document.',
    {200: ('The document.', {'type': 'object'})},
    PUBLIC,
  ),
)


def operations_paths():
  """Health probes and the document itself."""
  return paths_from_table(TAG_OPERATIONS, OPERATIONS)


@cache
def build_openapi_document():
  """The OpenAPI document as a dict; it depends only on code, so it is built once per process."""
  paths = {}
  for area_paths in (
    auth_paths(),
    users_paths(),
    campus_paths(),
    posts_paths(),
    dibs_paths(),
    holds_paths(),
    expiry_paths(),
    search_paths(),
    chat_paths(),
    notifications_paths(),
    events_paths(),
    safety_paths(),
    reviews_paths(),
    my_data_paths(),
    operations_paths(),
  ):
    # Two areas may share a path (GET /api/users/me is users', DELETE is my data's).
    for path, operations in area_paths.items():
      paths.setdefault(path, {}).update(operations)
  components = build_components()
  components['schemas'] = {
    **components['schemas'],
    **HOLD_SCHEMAS,
    **CAMPUS_SCHEMAS,
    **EVENT_SCHEMAS,
    **SAFETY_SCHEMAS,
    **REVIEW_SCHEMAS,
    **MY_DATA_SCHEMAS,
  }
  return {
    'openapi': OPENAPI_VERSION,
    'info': {'title': 'Dibz API', 'version': API_VERSION, 'description': DESCRIPTION},
    'servers': [{'url': '/'}],
    'tags': TAGS,
    'security': [{'sessionCookie': []}],
    'paths': dict(sorted(paths.items())),
    'components': components,
  }
