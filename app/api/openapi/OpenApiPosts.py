"""The posts, images, dibs and search operations of the OpenAPI document, as tables."""

from app.api.openapi.OpenApiComponents import INTEGER_ID, obj, or_blank, ref
from app.api.openapi.OpenApiOperations import (
  AFTER_QUERY,
  PAGE_QUERY,
  json_body,
  multipart_body,
  paths_from_table,
  query_parameter,
  wrapped,
)
from app.api.openapi.OpenApiUsers import NOT_BLANK, ONE_LINE
from app.campuses.CampusConstants import SLUG_PATTERN
from app.posts.PostConstants import (
  CAMPUS_MAX_LENGTH,
  DESCRIPTION_MAX_LENGTH,
  MAX_IMAGE_BYTES,
  MAX_IMAGES_PER_POST,
  PRICE_MAX_CENTS,
  TITLE_MAX_LENGTH,
)
from app.search.SearchConstants import QUERY_MAX_LENGTH
from app.users.UserConstants import USERNAME_PATTERN

TAG_POSTS = 'posts'
TAG_DIBS = 'dibs'
TAG_SEARCH = 'search'

PRICE = {'type': 'integer', 'minimum': 0, 'maximum': PRICE_MAX_CENTS}
POST_FIELDS = {
  'title': {
    'type': 'string',
    'pattern': NOT_BLANK,
    'maxLength': TITLE_MAX_LENGTH,
    'description': ONE_LINE,
  },
  'description': {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': DESCRIPTION_MAX_LENGTH},
  'price_cents': PRICE,
  'category': ref('Category'),
  'condition': ref('Condition'),
  'campus': {
    'type': ['string', 'null'],
    'maxLength': CAMPUS_MAX_LENGTH,
    'description': "A campus's slug (422 when no campus has it); null or absent: the seller's.",
  },
}
REQUIRED_POST_FIELDS = ('title', 'description', 'price_cents', 'category', 'condition')
POST_ID = (('post_id', INTEGER_ID),)
DIB_ID = (('dib_id', INTEGER_ID),)
POST_RESPONSE = wrapped('post', 'Post')
DIB_RESPONSE = wrapped('dib', 'Dib')
# The filters shared by the post list and search (`?category=` etc.).
FILTER_QUERY = (
  query_parameter('category', or_blank(ref('Category'))),
  query_parameter('min_price', or_blank(PRICE)),
  query_parameter('max_price', or_blank(PRICE), description='Not below min_price.'),
  query_parameter('status', or_blank(ref('PostStatus'))),
  query_parameter(
    'campus',
    or_blank({'type': 'string', 'pattern': SLUG_PATTERN, 'maxLength': CAMPUS_MAX_LENGTH}),
    description='Posts of the campus with this slug (none for an unknown slug); `all` or '
    "absent: every campus. The SPA sends the viewer's own campus by default.",
  ),
)
SELLER_QUERY = query_parameter(
  'seller', or_blank({'type': 'string', 'pattern': USERNAME_PATTERN}), description='A username.'
)
SORT_QUERY = query_parameter('sort', or_blank(ref('PostSort')))
SEARCH_SORT_QUERY = query_parameter(
  'sort', or_blank(ref('SearchSort')), description='Best match first unless asked otherwise.'
)
SEARCH_TEXT_QUERY = query_parameter(
  'q', {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': QUERY_MAX_LENGTH}, required=True
)
IMAGE_FILE_CONTENT = {
  media_type: {'schema': {'type': 'string', 'contentMediaType': media_type}}
  for media_type in ('image/jpeg', 'image/png', 'image/webp')
}
MAX_IMAGE_MEGABYTES = MAX_IMAGE_BYTES // 1024 // 1024
CHANGES_OF_A_SELLER = {'path': POST_ID, 'errors': (403, 409)}

CAMPUS_GATE = (
  'Once campuses list email domains, only users with a verified email address in them '
  'may do this (403 otherwise).'
)

# (METHOD /path, operationId, summary, {status: (description, schema)}, other arguments)
POSTS_OPERATIONS = (
  (
    'GET /api/posts',
    'listPosts',
    'Posts, filtered and sorted.',
    {200: ('A page of posts.', ref('PostList'))},
    {
      'public': True,
      'cached': True,
      'query': [*FILTER_QUERY, SELLER_QUERY, SORT_QUERY, *PAGE_QUERY, AFTER_QUERY],
    },
  ),
  (
    'POST /api/posts',
    'createPost',
    'Offer something for sale.',
    {201: ('The new post.', POST_RESPONSE)},
    {
      'body': json_body(POST_FIELDS, required=REQUIRED_POST_FIELDS),
      'rate_limited': True,
      'errors': (403,),
      'description': CAMPUS_GATE,
    },
  ),
  (
    'GET /api/posts/{post_id}',
    'getPost',
    'One post.',
    {200: ('The post.', POST_RESPONSE)},
    {'public': True, 'cached': True, 'path': POST_ID},
  ),
  (
    'PATCH /api/posts/{post_id}',
    'updatePost',
    'Edit a post (its seller only).',
    {200: ('The updated post.', POST_RESPONSE)},
    {**CHANGES_OF_A_SELLER, 'body': json_body(POST_FIELDS)},
  ),
  (
    'DELETE /api/posts/{post_id}',
    'withdrawPost',
    'Withdraw a post (its seller or an admin); it stays, as `withdrawn`.',
    {204: ('The post is withdrawn.',)},
    CHANGES_OF_A_SELLER,
  ),
  (
    'POST /api/posts/{post_id}/sold',
    'markPostSold',
    'Mark a post sold (its seller; needs an accepted dib).',
    {200: ('The sold post.', POST_RESPONSE)},
    CHANGES_OF_A_SELLER,
  ),
  (
    'POST /api/posts/{post_id}/images',
    'uploadPostImage',
    f'Add a photo (JPEG, PNG or WebP, at most {MAX_IMAGE_MEGABYTES} MB, '
    f'{MAX_IMAGES_PER_POST} per post); it goes after the others. 503 with Retry-After when '
    'the photo store refuses writes for a moment (send the same upload again).',
    {201: ('The stored image.', wrapped('image', 'Image'))},
    {
      **CHANGES_OF_A_SELLER,
      'errors': (403, 409, 503),
      'body': multipart_body('image', 'The photo in the multipart field `image`.'),
      'rate_limited': True,
    },
  ),
  (
    'PUT /api/posts/{post_id}/images/order',
    'reorderPostImages',
    "Set the order of a post's photos (its seller); the first is the cover.",
    {
      200: (
        'The photos in their new order.',
        obj({'images': {'type': 'array', 'items': ref('Image')}}),
      )
    },
    {
      **CHANGES_OF_A_SELLER,
      'body': json_body(
        {
          'image_ids': {
            'type': 'array',
            'items': INTEGER_ID,
            'description': 'Every photo id of the post, each once, in the new order.',
          }
        },
        required=('image_ids',),
      ),
    },
  ),
  (
    'DELETE /api/posts/{post_id}/images/{image_id}',
    'deletePostImage',
    "Remove a photo (the post's seller).",
    {204: ('The image is removed.',)},
    {'path': (*POST_ID, ('image_id', INTEGER_ID)), 'errors': (403,)},
  ),
  (
    'GET /api/images/{key}',
    'getImageFile',
    'A stored photo or thumbnail file, under the key in an image URL.',
    {200: {'description': 'The image bytes; cacheable for a year.', 'content': IMAGE_FILE_CONTENT}},
    {'public': True, 'path': (('key', {'type': 'string'}),)},
  ),
)

DIBS_OPERATIONS = (
  (
    'POST /api/posts/{post_id}/dibs',
    'callDibs',
    'Join the queue of a post (not your own; it must be available or pending).',
    {201: ('My dib, with its position.', DIB_RESPONSE)},
    {'path': POST_ID, 'errors': (403, 409), 'rate_limited': True, 'description': CAMPUS_GATE},
  ),
  (
    'DELETE /api/posts/{post_id}/dibs',
    'cancelDibs',
    'Leave the queue of a post.',
    {204: ('My dib is cancelled.',)},
    {'path': POST_ID, 'errors': (409,)},
  ),
  (
    'GET /api/posts/{post_id}/dibs',
    'getPostDibs',
    'The queue (seller) or its length and my place (anyone else).',
    {200: ('The queue view.', ref('DibQueue'))},
    {'path': POST_ID},
  ),
  (
    'POST /api/dibs/{dib_id}/accept',
    'acceptDib',
    'Accept a dib (the seller); the post becomes pending.',
    {200: ('The accepted dib.', DIB_RESPONSE)},
    {'path': DIB_ID, 'errors': (403, 409)},
  ),
  (
    'POST /api/dibs/{dib_id}/decline',
    'declineDib',
    'Decline a dib (the seller); an accepted one puts the post back to available.',
    {200: ('The declined dib.', DIB_RESPONSE)},
    {'path': DIB_ID, 'errors': (403, 409)},
  ),
  (
    'GET /api/users/me/dibs',
    'listMyDibs',
    'My dibs, each with its post.',
    {200: ('A page of my dibs.', ref('DibList'))},
    {'query': PAGE_QUERY},
  ),
)

SEARCH_OPERATIONS = (
  (
    'GET /api/search/posts',
    'searchPosts',
    'Posts matching the words of `q`, best match first (the last word as a prefix).',
    {200: ('A page of results.', ref('SearchResultList'))},
    {
      'public': True,
      'cached': True,
      'query': [SEARCH_TEXT_QUERY, *FILTER_QUERY, SEARCH_SORT_QUERY, *PAGE_QUERY],
      'description': (
        'When the words find fewer than a few posts, each is compared by trigram similarity '
        'with the words of titles; if the corrected words find as many or more, those results '
        'are returned and `corrected_query` names the words used ("Showing results for …"). '
        'Titles whose last word (their head noun) is a searched word rank first.'
      ),
    },
  ),
)


def posts_paths():
  """/api/posts/... and /api/images/...: listing, creating, editing, photos, withdrawing."""
  return paths_from_table(TAG_POSTS, POSTS_OPERATIONS)


def dibs_paths():
  """The dibs queue of a post, the seller's answers and my dibs."""
  return paths_from_table(TAG_DIBS, DIBS_OPERATIONS)


def search_paths():
  """Full-text search of posts."""
  return paths_from_table(TAG_SEARCH, SEARCH_OPERATIONS)
