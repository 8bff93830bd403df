"""The posts, images, dibs and search operations of the OpenAPI document."""

from app.api.openapi.OpenApiComponents import INTEGER_ID, or_blank, ref
from app.api.openapi.OpenApiOperations import (
  PAGE_QUERY,
  json_body,
  multipart_body,
  operation,
  query_parameter,
  success_response,
  wrapped,
)
from app.api.openapi.OpenApiUsers import NOT_BLANK
from app.posts.PostConstants import (
  CAMPUS_MAX_LENGTH,
  CATEGORIES,
  CONDITIONS,
  DESCRIPTION_MAX_LENGTH,
  MAX_IMAGES_PER_POST,
  POST_STATUSES,
  PRICE_MAX_CENTS,
  TITLE_MAX_LENGTH,
)
from app.search.SearchConstants import SEARCH_SORTS
from app.users.UserConstants import USERNAME_PATTERN

TAG_POSTS = 'posts'
TAG_DIBS = 'dibs'
TAG_SEARCH = 'search'
POST_SORTS = ('newest', 'price_asc', 'price_desc')
SEARCH_QUERY_MAX_LENGTH = 200

PRICE = {'type': 'integer', 'minimum': 0, 'maximum': PRICE_MAX_CENTS}
POST_FIELDS = {
  'title': {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': TITLE_MAX_LENGTH},
  'description': {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': DESCRIPTION_MAX_LENGTH},
  'price_cents': PRICE,
  'category': {'type': 'string', 'enum': list(CATEGORIES)},
  'condition': {'type': 'string', 'enum': list(CONDITIONS)},
  'campus': {'type': ['string', 'null'], 'maxLength': CAMPUS_MAX_LENGTH},
}
POST_ID = (('post_id', INTEGER_ID),)
POST_RESPONSE = wrapped('post', 'Post')
DIB_RESPONSE = wrapped('dib', 'Dib')


def filter_query(include_seller=True):
  """The filters shared by the post list and search (`?category=` etc.)."""
  parameters = [
    query_parameter('category', or_blank({'type': 'string', 'enum': list(CATEGORIES)})),
    query_parameter('min_price', or_blank(PRICE)),
    query_parameter('max_price', or_blank(PRICE), description='Not below min_price.'),
    query_parameter('status', or_blank({'type': 'string', 'enum': list(POST_STATUSES)})),
    query_parameter(
      'campus',
      {'type': 'string', 'maxLength': CAMPUS_MAX_LENGTH},
      description='Posts of this campus (any letter case).',
    ),
  ]
  if include_seller:
    parameters.append(
      query_parameter(
        'seller',
        or_blank({'type': 'string', 'pattern': USERNAME_PATTERN}),
        description='A username.',
      )
    )
  return parameters


def posts_paths():
  """/api/posts and /api/posts/{post_id}: listing, creating, editing and withdrawing posts."""
  return {
    '/api/posts': {
      'get': operation(
        'get',
        'listPosts',
        'Posts, filtered and sorted.',
        TAG_POSTS,
        {200: success_response('A page of posts.', ref('PostList'))},
        public=True,
        query=[
          *filter_query(),
          query_parameter('sort', or_blank({'type': 'string', 'enum': list(POST_SORTS)})),
          *PAGE_QUERY,
        ],
      ),
      'post': operation(
        'post',
        'createPost',
        'Offer something for sale.',
        TAG_POSTS,
        {201: success_response('The new post.', POST_RESPONSE)},
        body=json_body(
          POST_FIELDS, required=('title', 'description', 'price_cents', 'category', 'condition')
        ),
      ),
    },
    '/api/posts/{post_id}': {
      'get': operation(
        'get',
        'getPost',
        'One post.',
        TAG_POSTS,
        {200: success_response('The post.', POST_RESPONSE)},
        public=True,
        path=POST_ID,
      ),
      'patch': operation(
        'patch',
        'updatePost',
        'Edit a post (its seller only).',
        TAG_POSTS,
        {200: success_response('The updated post.', POST_RESPONSE)},
        path=POST_ID,
        body=json_body(POST_FIELDS),
        errors=(403, 409),
      ),
      'delete': operation(
        'delete',
        'withdrawPost',
        'Withdraw a post (its seller or an admin); it stays, as `withdrawn`.',
        TAG_POSTS,
        {204: success_response('The post is withdrawn.')},
        path=POST_ID,
        errors=(403, 409),
      ),
    },
    '/api/posts/{post_id}/sold': {
      'post': operation(
        'post',
        'markPostSold',
        'Mark a post sold (its seller; needs an accepted dib).',
        TAG_POSTS,
        {200: success_response('The sold post.', POST_RESPONSE)},
        path=POST_ID,
        errors=(403, 409),
      )
    },
    '/api/posts/{post_id}/images': {
      'post': operation(
        'post',
        'uploadPostImage',
        f'Add a photo (JPEG, PNG or WebP, at most 5 MB, {MAX_IMAGES_PER_POST} per post); it '
        'goes after the others.',
        TAG_POSTS,
        {201: success_response('The stored image.', wrapped('image', 'Image'))},
        path=POST_ID,
        body=multipart_body('image', 'The photo in the multipart field `image`.'),
        errors=(403, 409),
      )
    },
    '/api/posts/{post_id}/images/order': {
      'put': operation(
        'put',
        'reorderPostImages',
        "Set the order of a post's photos (its seller); the first is the cover.",
        TAG_POSTS,
        {
          200: success_response(
            'The photos in their new order.',
            {
              'type': 'object',
              'properties': {'images': {'type': 'array', 'items': ref('Image')}},
              'required': ['images'],
            },
          )
        },
        path=POST_ID,
        body=json_body(
          {
            'image_ids': {
              'type': 'array',
              'items': INTEGER_ID,
              'description': 'Every photo id of the post, each once, in the new order.',
            }
          },
          required=('image_ids',),
        ),
        errors=(403, 409),
      )
    },
    '/api/posts/{post_id}/images/{image_id}': {
      'delete': operation(
        'delete',
        'deletePostImage',
        "Remove a photo (the post's seller).",
        TAG_POSTS,
        {204: success_response('The image is removed.')},
        path=(*POST_ID, ('image_id', INTEGER_ID)),
        errors=(403,),
      )
    },
    '/api/images/{key}': {
      'get': operation(
        'get',
        'getImageFile',
        'A stored photo or thumbnail file, under the key in an image URL.',
        TAG_POSTS,
        {
          200: {
            'description': 'The image bytes; cacheable for a year.',
            'content': {
              media_type: {'schema': {'type': 'string', 'contentMediaType': media_type}}
              for media_type in ('image/jpeg', 'image/png', 'image/webp')
            },
          }
        },
        public=True,
        path=(('key', {'type': 'string'}),),
      )
    },
  }


def dibs_paths():
  """The dibs queue of a post, the seller's answers and my dibs."""
  dib_id = (('dib_id', INTEGER_ID),)
  return {
    '/api/posts/{post_id}/dibs': {
      'post': operation(
        'post',
        'callDibs',
        'Join the queue of a post (not your own; it must be available or pending).',
        TAG_DIBS,
        {201: success_response('My dib, with its position.', DIB_RESPONSE)},
        path=POST_ID,
        errors=(409,),
      ),
      'delete': operation(
        'delete',
        'cancelDibs',
        'Leave the queue of a post.',
        TAG_DIBS,
        {204: success_response('My dib is cancelled.')},
        path=POST_ID,
        errors=(409,),
      ),
      'get': operation(
        'get',
        'getPostDibs',
        'The queue (seller) or its length and my place (anyone else).',
        TAG_DIBS,
        {200: success_response('The queue view.', ref('DibQueue'))},
        path=POST_ID,
      ),
    },
    '/api/dibs/{dib_id}/accept': {
      'post': operation(
        'post',
        'acceptDib',
        'Accept a dib (the seller); the post becomes pending.',
        TAG_DIBS,
        {200: success_response('The accepted dib.', DIB_RESPONSE)},
        path=dib_id,
        errors=(403, 409),
      )
    },
    '/api/dibs/{dib_id}/decline': {
      'post': operation(
        'post',
        'declineDib',
        'Decline a dib (the seller); an accepted one puts the post back to available.',
        TAG_DIBS,
        {200: success_response('The declined dib.', DIB_RESPONSE)},
        path=dib_id,
        errors=(403, 409),
      )
    },
    '/api/users/me/dibs': {
      'get': operation(
        'get',
        'listMyDibs',
        'My dibs, each with its post.',
        TAG_DIBS,
        {200: success_response('A page of my dibs.', ref('DibList'))},
        query=PAGE_QUERY,
      )
    },
  }


def search_paths():
  """Full-text search of posts."""
  return {
    '/api/search/posts': {
      'get': operation(
        'get',
        'searchPosts',
        'Posts matching the words of `q`, best match first (the last word as a prefix).',
        TAG_SEARCH,
        {200: success_response('A page of results.', ref('SearchResultList'))},
        public=True,
        query=[
          query_parameter(
            'q',
            {'type': 'string', 'pattern': NOT_BLANK, 'maxLength': SEARCH_QUERY_MAX_LENGTH},
            required=True,
          ),
          *filter_query(include_seller=False),
          query_parameter(
            'sort',
            or_blank({'type': 'string', 'enum': list(SEARCH_SORTS)}),
            description='Best match first unless asked otherwise.',
          ),
          *PAGE_QUERY,
        ],
        description=(
          'When the words find fewer than a few posts, each is compared by trigram similarity '
          'with the words of titles; if the corrected words find as many or more, those results are '
          'returned and `corrected_query` names the words used ("Showing results for …"). '
          'Titles whose last word (their head noun) is a searched word rank first.'
        ),
      )
    }
  }
