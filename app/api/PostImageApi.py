"""Photos of posts: upload (multipart), removal, and the public files at stable URLs."""

from flask import request
from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_json_body
from app.common.CommonRateLimits import is_anonymous_request, user_rate_limit_key
from app.common.CommonResponses import json_response, no_content
from app.extensions import limiter
from app.posts import PostImageHelpers
from app.posts.PostConstants import IMAGE_CACHE_SECONDS, IMAGE_UPLOAD_LIMIT
from app.posts.PostSerializers import image_to_json
from app.posts.PostStorage import get_storage
from app.posts.PostStorageBase import is_storage_key
from app.users.UserHelpers import public_endpoint


def uploaded_image():
  """The `image` file of a multipart request: 415 for another body type, 422 when missing."""
  if request.mimetype != 'multipart/form-data':
    raise ApiError(415, message='Send the photo as multipart/form-data in the field "image".')
  file_storage = request.files.get('image')
  if file_storage is None:
    raise ApiError(422, fields={'image': ['This field is required.']})
  return file_storage


@api_blueprint.post('/posts/<row_id:post_id>/images')
@limiter.limit(IMAGE_UPLOAD_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request)
def upload_post_image(post_id):
  """Add a photo (multipart field `image`) to my post."""
  image = PostImageHelpers.add_post_image(post_id, current_user, uploaded_image)
  return json_response({'image': image_to_json(image)}, 201)


@api_blueprint.delete('/posts/<row_id:post_id>/images/<row_id:image_id>')
def delete_post_image(post_id, image_id):
  """Remove a photo of my post and its files."""
  PostImageHelpers.delete_post_image(post_id, image_id, current_user)
  return no_content()


@api_blueprint.put('/posts/<row_id:post_id>/images/order')
def reorder_post_images(post_id):
  """Set the order of my post's photos; the first is the cover."""
  body = get_json_body()
  images = PostImageHelpers.reorder_post_images(post_id, current_user, body.get('image_ids'))
  storage = get_storage()
  return json_response({'images': [image_to_json(image, storage) for image in images]})


@api_blueprint.get('/images/<key>')
@public_endpoint
def get_image_file(key):
  """A stored photo or thumbnail. Keys are random and their files never change, so clients
  may cache them for a year."""
  response = get_storage().send(key, IMAGE_CACHE_SECONDS) if is_storage_key(key) else None
  if response is None:
    raise ApiError(404, message='No image under that key.')
  response.cache_control.public = True
  response.cache_control.immutable = True
  response.headers['X-Content-Type-Options'] = 'nosniff'
  return response
