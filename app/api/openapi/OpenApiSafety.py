"""The trust-and-safety operations of the OpenAPI document, as a table: blocks."""

from app.api.openapi.OpenApiComponents import TIMESTAMP, list_of, obj, ref
from app.api.openapi.OpenApiOperations import PAGE_QUERY, json_content, paths_from_table, wrapped
from app.api.openapi.OpenApiUsers import USERNAME_PATH

TAG_SAFETY = 'safety'
SAFETY_TAG = {
  'name': TAG_SAFETY,
  'description': 'Blocks between users (docs/TRUST_AND_SAFETY.md).',
}

USER_BLOCK = obj({'user': ref('UserSummary'), 'created_at': TIMESTAMP})
SAFETY_SCHEMAS = {
  'UserBlock': USER_BLOCK,
  'UserBlockList': list_of(ref('UserBlock')),
}
NO_BODY = {'required': False, 'content': json_content({'type': 'object'})}

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
SAFETY_OPERATIONS = (
  (
    'GET /api/users/me/blocks',
    'listMyBlocks',
    'The users I blocked, most recent first.',
    {200: ('A page of blocks.', ref('UserBlockList'))},
    {'query': PAGE_QUERY},
  ),
  (
    'PUT /api/users/{username}/block',
    'blockUser',
    'Block a user: both ways at once, and they are not told.',
    {
      201: ('The new block.', wrapped('block', 'UserBlock')),
      200: ('The block that already existed.', wrapped('block', 'UserBlock')),
    },
    {
      'path': USERNAME_PATH,
      'body': NO_BODY,
      'errors': (422,),
      'rate_limited': True,
      'description': (
        "From then on neither user sees the other's posts (lists, search, profiles, post "
        'pages: 404), starts a conversation with, writes to, or calls dibs on the other '
        "(409). Their conversations say `can_send: false`; only the blocker's says "
        '`blocked_by_me: true`. Blocking oneself is a 422.'
      ),
    },
  ),
  (
    'DELETE /api/users/{username}/block',
    'unblockUser',
    'Lift my block of a user (204 whether or not there was one).',
    {204: ('Unblocked.',)},
    {'path': USERNAME_PATH, 'rate_limited': True},
  ),
)


def safety_paths():
  """Blocks."""
  return paths_from_table(TAG_SAFETY, SAFETY_OPERATIONS)
