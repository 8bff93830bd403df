"""The whole OpenAPI 3.1 document, assembled from the areas' operations."""

from functools import cache

from app.api.openapi.OpenApiChat import chat_paths
from app.api.openapi.OpenApiComponents import build_components
from app.api.openapi.OpenApiEvents import EVENT_SCHEMAS, TAG_EVENTS, events_paths
from app.api.openapi.OpenApiOperations import operation, success_response
from app.api.openapi.OpenApiPosts import dibs_paths, posts_paths, search_paths
from app.api.openapi.OpenApiUsers import auth_paths, users_paths

OPENAPI_VERSION = '3.1.0'
API_VERSION = '1.0.0'
TAG_OPERATIONS = 'operations'

TAGS = [
  {'name': 'auth', 'description': 'Sessions, CSRF tokens, sign-up and password resets.'},
  {'name': 'users', 'description': 'Profiles.'},
  {'name': 'posts', 'description': 'Things for sale and their photos.'},
  {'name': 'dibs', 'description': 'The first-come-first-served queue of a post.'},
  {'name': 'search', 'description': 'Full-text search of posts.'},
  {'name': 'chat', 'description': 'Conversations between a buyer and a seller.'},
  {'name': TAG_EVENTS, 'description': 'Live updates, as Server-Sent Events.'},
  {'name': TAG_OPERATIONS, 'description': 'Probes and this document.'},
]

DESCRIPTION = (
  'The Dibz campus marketplace. Every response is JSON; every error is the envelope '
  '`{"error": {"code", "message", "fields?"}}`. Unsafe methods need the `X-CSRFToken` header '
  "from GET /api/auth/csrf. Private operations need the session cookie; another user's "
  'private resource answers 404.'
)


def operations_paths():
  """Health probes and the document itself."""
  status_ok = {'type': 'object', 'properties': {'status': {'const': 'ok'}}, 'required': ['status']}
  readiness = {
    'type': 'object',
    'properties': {
      'status': {'type': 'string', 'enum': ['ok', 'unavailable']},
      'database': {'type': 'string'},
      'migrations': {'type': 'string', 'enum': ['head', 'behind', 'unknown']},
    },
    'required': ['status', 'database', 'migrations'],
  }
  return {
    '/api/health': {
      'get': operation(
        'get',
        'health',
        'Liveness: the process answers (the database is not touched).',
        TAG_OPERATIONS,
        {200: success_response('Alive.', status_ok)},
        public=True,
      )
    },
    '/api/health/ready': {
      'get': operation(
        'get',
        'healthReady',
        'Readiness: the database answers and is at the newest migration.',
        TAG_OPERATIONS,
        {
          200: success_response('Ready.', readiness),
          503: success_response('Not ready; the body names the failing part.', readiness),
        },
        public=True,
      )
    },
    '/api/openapi.json': {
      'get': operation(
        'get',
        'openapiDocument',
        'This OpenAPI 3.1 document.',
        TAG_OPERATIONS,
        {200: success_response('The document.', {'type': 'object'})},
        public=True,
      )
    },
  }


@cache
def build_openapi_document():
  """The OpenAPI document as a dict; it depends only on code, so it is built once per process."""
  paths = {}
  for area_paths in (
    auth_paths(),
    users_paths(),
    posts_paths(),
    dibs_paths(),
    search_paths(),
    chat_paths(),
    events_paths(),
    operations_paths(),
  ):
    paths.update(area_paths)
  components = build_components()
  components['schemas'].update(EVENT_SCHEMAS)
  return {
    'openapi': OPENAPI_VERSION,
    'info': {'title': 'Dibz API', 'version': API_VERSION, 'description': DESCRIPTION},
    'servers': [{'url': '/'}],
    'tags': TAGS,
    'security': [{'sessionCookie': []}],
    'paths': dict(sorted(paths.items())),
    'components': components,
  }
