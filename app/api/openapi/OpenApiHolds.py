"""Holds, meet-ups, the expiry of posts, the watchlist and saved searches in the OpenAPI
document (issue 24): schemas and operations, as tables."""

from app.api.openapi.OpenApiComponents import (
  INTEGER_ID,
  STRING,
  TIMESTAMP,
  list_of,
  nullable,
  obj,
  ref,
)
from app.api.openapi.OpenApiOperations import (
  PAGE_QUERY,
  json_body,
  paths_from_table,
  query_parameter,
  wrapped,
)
from app.posts.PostConstants import CAMPUS_MAX_LENGTH, PRICE_MAX_CENTS
from app.posts.PostHoldConstants import PLACE_MAX_LENGTH
from app.posts.PostWatchForms import MAX_WATCHED_IDS_ASKED, POST_IDS_MESSAGE
from app.search.SavedSearchConstants import MAX_SAVED_SEARCHES_PER_USER
from app.search.SearchConstants import QUERY_MAX_LENGTH

TAG_HOLDS = 'holds'
ROW_ID_TEXT = '[1-9][0-9]{0,9}'
WATCHED_IDS_PATTERN = f'^{ROW_ID_TEXT}(,{ROW_ID_TEXT}){{0,{MAX_WATCHED_IDS_ASKED - 1}}}$'
COUNT = {'type': 'integer', 'minimum': 0}

HOLD_SCHEMAS = {
  'Meetup': obj(
    {
      'id': INTEGER_ID,
      'proposer_id': INTEGER_ID,
      'meet_at': TIMESTAMP,
      'place': STRING,
      'status': ref('MeetupStatus'),
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
          'status': ref('PostStatus'),
        }
      ),
      'dib_id': INTEGER_ID,
      'buyer': ref('UserSummary'),
      'seller': ref('UserSummary'),
      'status': ref('HoldStatus'),
      'deadline_at': TIMESTAMP,
      'seconds_left': {**COUNT, 'description': 'Countdown to the deadline (0 once ended).'},
      'buyer_no_shows': {**COUNT, 'description': "How many of the buyer's holds were no-shows."},
      'meetup': nullable(ref('Meetup')),
      'pickup_spots': {
        'type': 'array',
        'items': obj({'id': INTEGER_ID, 'name': STRING}),
        'description': "The pickup spots of the post's campus (a meet-up may name one by "
        'pickup_spot_id); empty for a post without a campus.',
      },
      'created_at': TIMESTAMP,
      'ended_at': nullable(TIMESTAMP),
    }
  ),
  'HoldList': list_of(ref('Hold')),
  'SavedSearch': obj(
    {
      'id': INTEGER_ID,
      'q': STRING,
      'category': nullable(ref('Category')),
      'campus': {**nullable(STRING), 'description': "The campus's slug; null: every campus."},
      'min_price': nullable(COUNT),
      'max_price': nullable(COUNT),
      'alert': ref('SavedSearchAlert'),
      'created_at': TIMESTAMP,
    }
  ),
  'SavedSearchList': list_of(ref('SavedSearch')),
}

HOLD_ID = (('hold_id', INTEGER_ID),)
HOLD_RESPONSE = wrapped('hold', 'Hold')
MEETUP_BODY = json_body(
  {
    'meet_at': {
      **TIMESTAMP,
      'description': 'With a time zone; in the future and before the hold deadline.',
    },
    'pickup_spot_id': {
      **nullable(INTEGER_ID),
      'description': "One of the pickup spots of the post's campus (422 otherwise): its name "
      'becomes the place.',
    },
    'place': {
      **nullable({'type': 'string', 'maxLength': PLACE_MAX_LENGTH}),
      'description': 'Free text; required without pickup_spot_id.',
    },
  },
  required=('meet_at',),
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
  (
    'GET /api/users/me/watched-post-ids',
    'listMyWatchedPostIds',
    'Which of the given posts I watch (a list page draws its hearts in one request).',
    {
      200: (
        'The ids among post_ids that I watch, ascending.',
        obj({'post_ids': {'type': 'array', 'items': INTEGER_ID}}),
      )
    },
    {
      'query': (
        query_parameter(
          'post_ids',
          {'type': 'string', 'pattern': WATCHED_IDS_PATTERN},
          required=True,
          description=POST_IDS_MESSAGE,
        ),
      ),
      'errors': (422,),
    },
  ),
)


PRICE_OR_NULL = nullable({'type': 'integer', 'minimum': 0, 'maximum': PRICE_MAX_CENTS})
SAVED_SEARCH_RESPONSE = wrapped('saved_search', 'SavedSearch')
SAVED_SEARCH_ID = (('saved_search_id', INTEGER_ID),)
SAVED_SEARCH_OPERATIONS = (
  (
    'POST /api/users/me/saved-searches',
    'createSavedSearch',
    'Save a search (words and filters, as on the search page) with its alert.',
    {201: ('The saved search.', SAVED_SEARCH_RESPONSE)},
    {
      'body': json_body(
        {
          'q': nullable({'type': 'string', 'maxLength': QUERY_MAX_LENGTH}),
          'category': nullable(ref('Category')),
          'campus': {
            **nullable({'type': 'string', 'maxLength': CAMPUS_MAX_LENGTH}),
            'description': "A campus's slug (422 when no campus has it); null or all: every "
            'campus.',
          },
          'min_price': PRICE_OR_NULL,
          'max_price': {**PRICE_OR_NULL, 'description': 'Not below min_price.'},
          'alert': {**ref('SavedSearchAlert'), 'default': 'instant'},
        }
      ),
      'errors': (409,),
      'description': (
        'Words or at least one filter. A new post, or an edit that makes a post match, alerts '
        'each matching saved search once: instantly, or in the daily digest. 409 beyond '
        f'{MAX_SAVED_SEARCHES_PER_USER} saved searches.'
      ),
    },
  ),
  (
    'GET /api/users/me/saved-searches',
    'listSavedSearches',
    'My saved searches, newest first.',
    {200: ('A page of saved searches.', ref('SavedSearchList'))},
    {'query': PAGE_QUERY},
  ),
  (
    'PATCH /api/saved-searches/{saved_search_id}',
    'updateSavedSearch',
    'Change the alert of one of my saved searches.',
    {200: ('The saved search.', SAVED_SEARCH_RESPONSE)},
    {
      'path': SAVED_SEARCH_ID,
      'body': json_body({'alert': ref('SavedSearchAlert')}, required=('alert',)),
    },
  ),
  (
    'DELETE /api/saved-searches/{saved_search_id}',
    'deleteSavedSearch',
    'Delete one of my saved searches.',
    {204: ('Deleted.',)},
    {'path': SAVED_SEARCH_ID},
  ),
)


def expiry_paths():
  """Renewing a post, my expired posts, the watchlist and saved searches."""
  return {
    **paths_from_table(TAG_POSTS, EXPIRY_OPERATIONS),
    **paths_from_table(TAG_POSTS, WATCH_OPERATIONS),
    **paths_from_table('search', SAVED_SEARCH_OPERATIONS),
  }
