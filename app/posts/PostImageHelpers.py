"""Photos of posts: checked by their content, re-encoded without metadata, with a thumbnail."""

import io

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404
from app.extensions import db
from app.posts.PostConstants import (
  ACCEPTED_IMAGE_FORMATS,
  IMAGE_MAX_SIDE,
  JPEG_QUALITY,
  MAX_IMAGE_BYTES,
  MAX_IMAGE_PIXELS,
  MAX_IMAGES_PER_POST,
  THUMB_MAX_SIDE,
)
from app.posts.PostHelpers import require_editable, require_seller
from app.posts.PostModels import Post, PostImage
from app.posts.PostStorage import get_storage, new_storage_keys

UNSUPPORTED_IMAGE_MESSAGE = 'The image must be a JPEG, PNG or WebP picture.'
TOO_MANY_PIXELS_MESSAGE = f'The image has more than {MAX_IMAGE_PIXELS:,} pixels.'


def read_upload(file_storage):
  """The bytes of an uploaded file, refusing more than MAX_IMAGE_BYTES with a 413."""
  data = file_storage.stream.read(MAX_IMAGE_BYTES + 1)
  if len(data) > MAX_IMAGE_BYTES:
    raise ApiError(413, message=f'The image is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB.')
  if not data:
    raise ApiError(422, fields={'image': ['The file is empty.']})
  return data


def decode_image(data):
  """Decode `data` as a JPEG, PNG or WebP picture whatever its name or declared type claims,
  upright and in RGB or RGBA; 415 when it is not one, 413 when its canvas is too big to
  decode safely (a decompression bomb)."""
  try:
    image = Image.open(io.BytesIO(data), formats=ACCEPTED_IMAGE_FORMATS)
    # The header gives the size: refuse a bomb before a single pixel is decoded.
    if image.width * image.height > MAX_IMAGE_PIXELS:
      raise ApiError(413, message=TOO_MANY_PIXELS_MESSAGE)
    image.load()
    return normalize_image(image)
  except Image.DecompressionBombError:
    raise ApiError(413, message=TOO_MANY_PIXELS_MESSAGE) from None
  except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
    raise ApiError(415, message=UNSUPPORTED_IMAGE_MESSAGE) from None


def normalize_image(image):
  """Upright (the camera's orientation applied) and in a mode JPEG or PNG can store."""
  image = ImageOps.exif_transpose(image)
  has_alpha = image.mode in ('RGBA', 'LA', 'PA') or (
    image.mode == 'P' and 'transparency' in image.info
  )
  return image.convert('RGBA' if has_alpha else 'RGB')


def encode_image(image, max_side):
  """Shrunk to fit `max_side` and encoded afresh: no EXIF, GPS or comments survive."""
  copy = image.copy()
  copy.thumbnail((max_side, max_side))
  output = io.BytesIO()
  if copy.mode == 'RGBA':
    copy.save(output, format='PNG', optimize=True)
  else:
    copy.save(output, format='JPEG', quality=JPEG_QUALITY, optimize=True)
  return output.getvalue()


def render_image_files(image):
  """The (extension, content type, main bytes, thumbnail bytes, width, height) to store,
  from an image in RGB or RGBA."""
  main_bytes = encode_image(image, IMAGE_MAX_SIDE)
  thumb_bytes = encode_image(image, THUMB_MAX_SIDE)
  width, height = Image.open(io.BytesIO(main_bytes)).size
  if image.mode == 'RGBA':
    return 'png', 'image/png', main_bytes, thumb_bytes, width, height
  return 'jpg', 'image/jpeg', main_bytes, thumb_bytes, width, height


def store_image(post, image, commit=True):
  """Write the files of a decoded image and add its row to `post`; files of a failed insert
  are removed again."""
  extension, content_type, main_bytes, thumb_bytes, width, height = render_image_files(image)
  storage = get_storage()
  storage_key, thumb_key = new_storage_keys(extension)
  storage.save(storage_key, main_bytes)
  storage.save(thumb_key, thumb_bytes)
  row = PostImage(
    post_id=post.id,
    storage_key=storage_key,
    thumb_key=thumb_key,
    content_type=content_type,
    width=width,
    height=height,
    byte_size=len(main_bytes),
  )
  db.session.add(row)
  try:
    if commit:
      db.session.commit()
    else:
      db.session.flush()
  except Exception:
    db.session.rollback()
    storage.delete(storage_key)
    storage.delete(thumb_key)
    raise
  return row


def add_post_image(post_id, user, read_file):
  """Add an uploaded photo to a post (seller only, at most MAX_IMAGES_PER_POST); `read_file`
  returns the upload, called once access is settled."""
  post = get_or_404(Post, id=post_id, for_update=True)
  require_seller(post, user, 'Only the seller can add photos.')
  require_editable(post)
  count = db.session.execute(
    select(func.count(PostImage.id)).where(PostImage.post_id == post.id)
  ).scalar_one()
  if count >= MAX_IMAGES_PER_POST:
    raise ApiError(409, message=f'A post has at most {MAX_IMAGES_PER_POST} photos.')
  image = decode_image(read_upload(read_file()))
  return store_image(post, image)


def delete_post_image(post_id, image_id, user):
  """Remove a photo of a post (seller only) and its files."""
  post = get_or_404(Post, id=post_id)
  require_seller(post, user, 'Only the seller can remove photos.')
  image = get_or_404(PostImage, id=image_id, post_id=post.id)
  keys = (image.storage_key, image.thumb_key)
  db.session.delete(image)
  db.session.commit()
  storage = get_storage()
  for key in keys:
    storage.delete(key)
