"""The OpenAPI operations of posts held for review and of my data (export, account deletion),
as a table (docs/TRUST_AND_SAFETY.md)."""

from app.api.openapi.OpenApiComponents import INTEGER_ID, list_of, nullable, ref, string_enum
from app.api.openapi.OpenApiOperations import PAGE_QUERY, json_body, paths_from_table, wrapped
from app.api.openapi.OpenApiSafety import TAG_SAFETY
from app.moderation.ModerationConstants import DECISION_REASON_MAX_LENGTH, HELD_DECISIONS
from app.users.UserConstants import PASSWORD_MAX_LENGTH

SECTION = {'type': 'array', 'items': {'type': 'object'}}
MY_DATA = {
  'type': 'object',
  'description': (
    'Everything Dibz holds about me. Each section lists the rows of one table that are mine, '
    'every column but secrets (password and token hashes); other areas may add sections '
    '(reviews).'
  ),
  'properties': {
    'format': {'const': 'dibz-my-data'},
    'version': {'type': 'integer'},
    'exported_at': {'type': 'string', 'format': 'date-time'},
    'profile': {'type': 'object'},
    'posts': {'type': 'array', 'items': ref('Post')},
    'dibs': SECTION,
    'messages_sent': SECTION,
    'reports_filed': SECTION,
    'sessions': SECTION,
    'notifications': SECTION,
    'notification_settings': SECTION,
    'blocks': SECTION,
    'watches': SECTION,
    'saved_searches': SECTION,
    'holds': SECTION,
    'meetups_proposed': SECTION,
  },
  'required': ['format', 'version', 'exported_at', 'profile', 'posts'],
}
MY_DATA_SCHEMAS = {
  'HeldDecision': string_enum(HELD_DECISIONS),
  'PostPage': list_of(ref('Post')),
  'MyData': MY_DATA,
}
HELD_DECISION_BODY = json_body(
  {
    'action': ref('HeldDecision'),
    'reason': nullable({'type': 'string', 'maxLength': DECISION_REASON_MAX_LENGTH}),
  },
  required=('action',),
)
DELETION_BODY = json_body(
  {'password': {'type': 'string', 'minLength': 1, 'maxLength': PASSWORD_MAX_LENGTH}},
  required=('password',),
)
DOWNLOAD_HEADERS = {
  'Content-Disposition': {
    'description': 'attachment; filename="dibz-my-data-<username>.json"',
    'schema': {'type': 'string'},
  }
}

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
MY_DATA_OPERATIONS = (
  (
    'GET /api/moderation/held-posts',
    'listHeldPosts',
    'The posts waiting for review, oldest first (moderators).',
    {200: ('A page of posts.', ref('PostPage'))},
    {'query': PAGE_QUERY, 'errors': (403,)},
  ),
  (
    'POST /api/moderation/held-posts/{post_id}/decision',
    'decideHeldPost',
    'Approve a post held for review (listed at once) or remove it (its seller is told why).',
    {200: ('The post after the decision.', wrapped('post', 'Post'))},
    {
      'path': (('post_id', INTEGER_ID),),
      'body': HELD_DECISION_BODY,
      'errors': (403, 409),
      'description': (
        'Moderators only (403), never on their own post (403); 409 for a post not waiting for '
        'review. Both land in the audit log (`approve_post`, `remove_post`).'
      ),
    },
  ),
  (
    'GET /api/users/me/moderated-posts',
    'listMyModeratedPosts',
    'My posts held back by moderation (waiting for review, hidden, removed), newest first.',
    {
      200: ('A page of posts; `moderation_state` and `moderation_reason` say why.', ref('PostPage'))
    },
    {'query': PAGE_QUERY},
  ),
  (
    'GET /api/users/me/export',
    'exportMyData',
    'Everything Dibz holds about me, as one JSON file to download.',
    {
      200: {
        'description': 'The file.',
        'headers': DOWNLOAD_HEADERS,
        'content': {'application/json': {'schema': ref('MyData')}},
      }
    },
    {'rate_limited': True},
  ),
  (
    'DELETE /api/users/me',
    'deleteMe',
    'Delete my account after typing my password.',
    {204: ('Deleted: every session has ended.',)},
    {
      'body': DELETION_BODY,
      'rate_limited': True,
      'description': (
        '422 when the password is wrong. Every session ends; my posts are withdrawn and their '
        'photos deleted; my live dibs are cancelled; my messages stay, signed "Deleted user"; '
        'my email and username are free to sign up with again; the audit log keeps that the '
        'account was deleted.'
      ),
    },
  ),
)


def my_data_paths():
  """Posts held for review, and my data."""
  return paths_from_table(TAG_SAFETY, MY_DATA_OPERATIONS)
