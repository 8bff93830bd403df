"""Campuses and their pickup spots in the OpenAPI document (issue 24.1): schemas and
operations, as tables."""

from app.api.openapi.OpenApiComponents import INTEGER_ID, STRING, obj, ref
from app.api.openapi.OpenApiOperations import json_body, paths_from_table, wrapped
from app.api.openapi.OpenApiUsers import NOT_BLANK, ONE_LINE
from app.campuses.CampusConstants import (
  DOMAIN_PATTERN,
  MAX_DOMAINS_PER_CAMPUS,
  NAME_MAX_LENGTH,
  RESERVED_SLUGS,
  SLUG_MAX_LENGTH,
  SLUG_PATTERN,
  SPOT_NAME_MAX_LENGTH,
  SPOT_NOTES_MAX_LENGTH,
  TIMEZONE_MAX_LENGTH,
)

TAG_CAMPUSES = 'campuses'
SLUG = {'type': 'string', 'pattern': SLUG_PATTERN, 'maxLength': SLUG_MAX_LENGTH}
CAMPUS_SCHEMAS = {
  'CampusSummary': obj({'slug': SLUG, 'name': STRING}),
  'PickupSpot': obj({'id': INTEGER_ID, 'name': STRING, 'notes': STRING}),
  'Campus': obj(
    {
      'slug': SLUG,
      'name': STRING,
      'timezone': {'type': 'string', 'description': 'An IANA time zone name.'},
      'email_domains': {'type': 'array', 'items': STRING},
      'pickup_spots': {'type': 'array', 'items': ref('PickupSpot')},
    }
  ),
}
CAMPUS_FIELDS = {
  'slug': {**SLUG, 'description': f'Not one of {", ".join(RESERVED_SLUGS)} (a 422).'},
  'name': {
    'type': 'string',
    'pattern': NOT_BLANK,
    'maxLength': NAME_MAX_LENGTH,
    'description': ONE_LINE,
  },
  'email_domains': {
    'type': 'array',
    'maxItems': MAX_DOMAINS_PER_CAMPUS,
    'uniqueItems': True,
    'items': {'type': 'string', 'pattern': DOMAIN_PATTERN},
    'description': 'Students with an address there (or in a subdomain) belong to the campus.',
  },
  'timezone': {
    'type': 'string',
    'pattern': NOT_BLANK,
    'maxLength': TIMEZONE_MAX_LENGTH,
    'description': 'An IANA time zone name (default UTC): the daily digest goes out in it.',
  },
}
SPOT_BODY = json_body(
  {
    'name': {
      'type': 'string',
      'pattern': NOT_BLANK,
      'maxLength': SPOT_NAME_MAX_LENGTH,
      'description': ONE_LINE,
    },
    'notes': {'type': ['string', 'null'], 'maxLength': SPOT_NOTES_MAX_LENGTH},
  },
  required=('name',),
)
SLUG_PATH = (('slug', {'type': 'string', 'maxLength': SLUG_MAX_LENGTH}),)
CAMPUS_RESPONSE = wrapped('campus', 'Campus')
ADMINS_ONLY = 'Admins only (403 for anyone else).'
DUPLICATE = '409 when another campus has the slug, the name or one of the domains.'
PUBLIC = {'public': True, 'cached': True}

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
CAMPUS_OPERATIONS = (
  (
    'GET /api/campuses',
    'listCampuses',
    'Every campus with its time zone, email domains and pickup spots, by name.',
    {200: ('The campuses.', obj({'items': {'type': 'array', 'items': ref('Campus')}}))},
    PUBLIC,
  ),
  (
    'GET /api/campuses/{slug}',
    'getCampus',
    'One campus with its pickup spots.',
    {200: ('The campus.', CAMPUS_RESPONSE)},
    {**PUBLIC, 'path': SLUG_PATH},
  ),
  (
    'POST /api/admin/campuses',
    'createCampus',
    'Add a campus; students of its email domains join it.',
    {201: ('The new campus.', CAMPUS_RESPONSE)},
    {
      'body': json_body(CAMPUS_FIELDS, required=('slug', 'name')),
      'errors': (403, 409),
      'rate_limited': True,
      'description': f'{ADMINS_ONLY} {DUPLICATE}',
    },
  ),
  (
    'PATCH /api/admin/campuses/{slug}',
    'updateCampus',
    "Change a campus's slug, name, email domains (its students follow) or time zone.",
    {200: ('The campus.', CAMPUS_RESPONSE)},
    {
      'path': SLUG_PATH,
      'body': json_body(CAMPUS_FIELDS),
      'errors': (403, 409),
      'rate_limited': True,
      'description': f'{ADMINS_ONLY} {DUPLICATE}',
    },
  ),
  (
    'DELETE /api/admin/campuses/{slug}',
    'deleteCampus',
    'Remove a campus and its spots; its students, posts and saved searches keep no campus.',
    {204: ('Removed.',)},
    {'path': SLUG_PATH, 'errors': (403,), 'rate_limited': True, 'description': ADMINS_ONLY},
  ),
  (
    'POST /api/admin/campuses/{slug}/spots',
    'addPickupSpot',
    'Add a pickup spot to a campus.',
    {201: ('The new spot.', wrapped('pickup_spot', 'PickupSpot'))},
    {
      'path': SLUG_PATH,
      'body': SPOT_BODY,
      'errors': (403, 409),
      'rate_limited': True,
      'description': f'{ADMINS_ONLY} 409 when the campus has a spot of that name.',
    },
  ),
  (
    'DELETE /api/admin/campuses/{slug}/spots/{spot_id}',
    'removePickupSpot',
    'Remove a pickup spot (meet-ups that named it keep the name as their place).',
    {204: ('Removed.',)},
    {
      'path': (*SLUG_PATH, ('spot_id', INTEGER_ID)),
      'errors': (403,),
      'rate_limited': True,
      'description': ADMINS_ONLY,
    },
  ),
)


def campus_paths():
  """The campus operations."""
  return paths_from_table(TAG_CAMPUSES, CAMPUS_OPERATIONS)
