"""Holds, meet-ups and the expiry of posts in the OpenAPI document (issue 24): schemas and
operations, as tables."""

from app.api.openapi.OpenApiComponents import (
  INTEGER_ID,
  STRING,
  TIMESTAMP,
  list_of,
  nullable,
  obj,
  ref,
)
from app.api.openapi.OpenApiOperations import PAGE_QUERY, json_body, paths_from_table, wrapped
from app.api.openapi.OpenApiUsers import NOT_BLANK
from app.posts.PostConstants import POST_STATUSES
from app.posts.PostHoldConstants import HOLD_STATUSES, MEETUP_STATUSES, PLACE_MAX_LENGTH

TAG_HOLDS = 'holds'
COUNT = {'type': 'integer', 'minimum': 0}

HOLD_SCHEMAS = {
  'Meetup': obj(
    {
      'id': INTEGER_ID,
      'proposer_id': INTEGER_ID,
      'meet_at': TIMESTAMP,
      'place': STRING,
      'status': {'type': 'string', 'enum': list(MEETUP_STATUSES)},
      'confirmed_at': nullable(TIMESTAMP),
      'seconds_until': {**COUNT, 'description': 'Countdown to the meet-up (0 once passed).'},
    }
  ),
  'Hold': obj(
    {
      'id': INTEGER_ID,
      'post_id': INTEGER_ID,
      'post': obj(
        {
          'id': INTEGER_ID,
          'title': STRING,
          'status': {'type': 'string', 'enum': list(POST_STATUSES)},
        }
      ),
      'dib_id': INTEGER_ID,
      'buyer': ref('UserSummary'),
      'seller': ref('UserSummary'),
      'status': {'type': 'string', 'enum': list(HOLD_STATUSES)},
      'deadline_at': TIMESTAMP,
      'seconds_left': {**COUNT, 'description': 'Countdown to the deadline (0 once ended).'},
      'buyer_no_shows': {**COUNT, 'description': "How many of the buyer's holds were no-shows."},
      'meetup': nullable(ref('Meetup')),
      'created_at': TIMESTAMP,
      'ended_at': nullable(TIMESTAMP),
    }
  ),
  'HoldList': list_of(ref('Hold')),
}

HOLD_ID = (('hold_id', INTEGER_ID),)
HOLD_RESPONSE = wrapped('hold', 'Hold')
MEETUP_BODY = json_body(
  {
    'meet_at': {
      **TIMESTAMP,
      'description': 'With a time zone; in the future and before the hold deadline.',
    },
    'place': {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': PLACE_MAX_LENGTH},
  },
  required=('meet_at', 'place'),
)
PRIVATE_HOLD = "Another user's hold answers 404."

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
HOLDS_OPERATIONS = (
  (
    'GET /api/posts/{post_id}/hold',
    'getPostHold',
    "The post's newest hold, for its buyer or seller, with countdowns and the meet-up.",
    {200: ('The hold.', HOLD_RESPONSE)},
    {'path': (('post_id', INTEGER_ID),), 'description': PRIVATE_HOLD},
  ),
  (
    'GET /api/users/me/holds',
    'listMyHolds',
    'My holds as buyer or seller, the active ones first.',
    {200: ('A page of holds.', ref('HoldList'))},
    {'query': PAGE_QUERY},
  ),
  (
    'POST /api/holds/{hold_id}/meetups',
    'proposeMeetup',
    'Propose a meet-up (either side); it supersedes the current one (a counter-proposal).',
    {201: ('The hold with the new proposal.', HOLD_RESPONSE)},
    {
      'path': HOLD_ID,
      'body': MEETUP_BODY,
      'errors': (409,),
      'description': f'409 once the hold has ended. {PRIVATE_HOLD}',
    },
  ),
  (
    'POST /api/meetups/{meetup_id}/confirm',
    'confirmMeetup',
    "Confirm the other side's proposal; the hold then lasts until 2 h after the meet-up.",
    {200: ('The hold with the confirmed meet-up.', HOLD_RESPONSE)},
    {
      'path': (('meetup_id', INTEGER_ID),),
      'errors': (409,),
      'description': (
        '409 when the proposal is superseded or already confirmed, is my own, its time has '
        f'passed, or the hold has ended. {PRIVATE_HOLD}'
      ),
    },
  ),
  (
    'POST /api/holds/{hold_id}/release',
    'releaseHold',
    'The buyer gives the post up; the next buyer in the queue is told it is their turn.',
    {200: ('The released hold.', HOLD_RESPONSE)},
    {'path': HOLD_ID, 'errors': (403, 409), 'description': PRIVATE_HOLD},
  ),
  (
    'POST /api/holds/{hold_id}/no-show',
    'reportNoShow',
    'The seller reports the buyer missed the confirmed meet-up; the hold ends.',
    {200: ('The ended hold.', HOLD_RESPONSE)},
    {
      'path': HOLD_ID,
      'errors': (403, 409),
      'description': (
        '409 without a confirmed meet-up, before its time, or once the hold has ended. '
        f'{PRIVATE_HOLD}'
      ),
    },
  ),
)


def holds_paths():
  """Holds and meet-ups."""
  return paths_from_table(TAG_HOLDS, HOLDS_OPERATIONS)


TAG_POSTS = 'posts'
EXPIRY_OPERATIONS = (
  (
    'POST /api/posts/{post_id}/renew',
    'renewPost',
    'List my post anew (expired or not): back on top, expiring POST_EXPIRY_DAYS from now.',
    {200: ('The renewed post.', wrapped('post', 'Post'))},
    {
      'path': (('post_id', INTEGER_ID),),
      'errors': (403, 409),
      'description': '409 when sold or withdrawn, or renewed (or listed) less than a week ago.',
    },
  ),
  (
    'GET /api/users/me/expired-posts',
    'listMyExpiredPosts',
    'My expired posts, the most recently expired first ("Expired" in My posts).',
    {200: ('A page of posts.', list_of(ref('Post')))},
    {'query': PAGE_QUERY},
  ),
)


WATCH_STATE = obj(
  {
    'watching': {'type': 'boolean'},
    'watchers': nullable({**COUNT, 'description': 'How many watch the post (its seller only).'}),
  }
)
POST_ID = (('post_id', INTEGER_ID),)
WATCH_OPERATIONS = (
  (
    'GET /api/posts/{post_id}/watch',
    'getWatch',
    'Whether I watch the post; how many watch it, for its seller.',
    {200: ('The watch state.', WATCH_STATE)},
    {'path': POST_ID},
  ),
  (
    'PUT /api/posts/{post_id}/watch',
    'watchPost',
    'Watch a post: told when its price drops, it is available again, sold or withdrawn.',
    {200: ('The watch state (watching again changes nothing).', WATCH_STATE)},
    {
      'path': POST_ID,
      'errors': (409,),
      'description': '409 for my own post, or one sold or withdrawn.',
    },
  ),
  (
    'DELETE /api/posts/{post_id}/watch',
    'unwatchPost',
    'Stop watching a post.',
    {204: ('Not watching it.',)},
    {'path': POST_ID},
  ),
  (
    'GET /api/users/me/watchlist',
    'listMyWatchlist',
    'The posts I watch, the latest watched first.',
    {200: ('A page of posts.', list_of(ref('Post')))},
    {'query': PAGE_QUERY},
  ),
)


def expiry_paths():
  """Renewing a post, my expired posts, and the watchlist."""
  return {
    **paths_from_table(TAG_POSTS, EXPIRY_OPERATIONS),
    **paths_from_table(TAG_POSTS, WATCH_OPERATIONS),
  }
