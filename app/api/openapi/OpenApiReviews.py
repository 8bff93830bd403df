"""The reviews operations of the OpenAPI document, as a table: a user's published reviews,
writing one after a sale, and my window of a sale (docs/REVIEWS.md)."""

from app.api.openapi.OpenApiComponents import (
  INTEGER_ID,
  STRING,
  TIMESTAMP,
  list_of,
  nullable,
  obj,
  ref,
  string_enum,
)
from app.api.openapi.OpenApiOperations import (
  PAGE_QUERY,
  json_body,
  paths_from_table,
  wrapped,
)
from app.api.openapi.OpenApiUsers import USERNAME_PATH
from app.reviews.ReviewConstants import (
  REVIEW_ROLES,
  REVIEW_TAGS,
  REVIEW_TEXT_MAX_LENGTH,
  STARS_MAX,
  STARS_MIN,
)

TAG_REVIEWS = 'reviews'
REVIEWS_TAG = {
  'name': TAG_REVIEWS,
  'description': 'Reviews after a sale: double-blind, within 14 days (docs/REVIEWS.md).',
}

STARS = {'type': 'integer', 'minimum': STARS_MIN, 'maximum': STARS_MAX}
POST_TITLE = obj({'id': INTEGER_ID, 'title': STRING})
REVIEW = obj(
  {
    'id': INTEGER_ID,
    'stars': STARS,
    'text': STRING,
    'tags': {'type': 'array', 'items': ref('ReviewTag')},
    'role': {**ref('ReviewRole'), 'description': "The reviewer's side of the sale."},
    'reviewer': ref('UserSummary'),
    'post': POST_TITLE,
    'created_at': TIMESTAMP,
    'published_at': {**nullable(TIMESTAMP), 'description': 'Null until published.'},
  }
)
REVIEW_LIST = {
  **list_of(ref('Review')),
  'description': 'A page of published reviews, with the rating they make.',
}
REVIEW_LIST['properties'] = {**REVIEW_LIST['properties'], 'rating': ref('Rating')}
REVIEW_LIST['required'] = [*REVIEW_LIST['required'], 'rating']
REVIEW_WINDOW = obj(
  {
    'id': INTEGER_ID,
    'post': POST_TITLE,
    'role': {**ref('ReviewRole'), 'description': 'My side of the sale.'},
    'other_user': ref('UserSummary'),
    'opened_at': TIMESTAMP,
    'closes_at': TIMESTAMP,
    'can_review': {'type': 'boolean', 'description': 'I have not reviewed and it is open.'},
    'published': {'type': 'boolean'},
    'my_review': nullable(ref('Review')),
    'other_has_reviewed': {'type': 'boolean'},
    'their_review': {
      **nullable(ref('Review')),
      'description': "The other side's review of me: null until published (double-blind).",
    },
  }
)
REVIEW_SCHEMAS = {
  'ReviewTag': string_enum(REVIEW_TAGS),
  'ReviewRole': string_enum(REVIEW_ROLES),
  'Review': REVIEW,
  'ReviewList': REVIEW_LIST,
  'ReviewWindow': REVIEW_WINDOW,
}
REVIEW_BODY = json_body(
  {
    'post_id': {**INTEGER_ID, 'description': 'The sold post whose sale is reviewed.'},
    'stars': STARS,
    'text': nullable({'type': 'string', 'maxLength': REVIEW_TEXT_MAX_LENGTH}),
    'tags': nullable({'type': 'array', 'uniqueItems': True, 'items': ref('ReviewTag')}),
  },
  required=('post_id', 'stars'),
)

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
REVIEW_OPERATIONS = (
  (
    'GET /api/users/{username}/reviews',
    'listUserReviews',
    "A user's published reviews, newest first, with their rating (average and count).",
    {200: ('A page of reviews.', ref('ReviewList'))},
    {'public': True, 'cached': True, 'path': USERNAME_PATH, 'query': PAGE_QUERY},
  ),
  (
    'POST /api/users/{username}/reviews',
    'createReview',
    'Review the buyer or seller of a sale I took part in: once, within 14 days.',
    {
      201: (
        'My review (published once both reviewed or the window closed).',
        wrapped('review', 'Review'),
      )
    },
    {
      'path': USERNAME_PATH,
      'body': REVIEW_BODY,
      'errors': (403, 409),
      'rate_limited': True,
      'description': (
        '403 without a sale of `post_id` between me and this user (or for a suspended '
        'account), 409 for a second review of the sale or once its 14 days are over, 422 '
        'for myself or a bad body. The review stays hidden until the other side reviewed too '
        '(then both are published at once) or the window closes.'
      ),
    },
  ),
  (
    'GET /api/posts/{post_id}/review-window',
    'getReviewWindow',
    'The review window of a sold post, for its buyer or seller (404 for anyone else).',
    {200: ('The window.', wrapped('window', 'ReviewWindow'))},
    {'path': (('post_id', INTEGER_ID),)},
  ),
)


def reviews_paths():
  """Reviews after a sale."""
  return paths_from_table(TAG_REVIEWS, REVIEW_OPERATIONS)
