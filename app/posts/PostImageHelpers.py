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


def next_image_position(post_id):
  """The position after the post's last photo: a new photo goes to the end."""
  last = db.session.execute(
    select(func.max(PostImage.position)).where(PostImage.post_id == post_id)
  ).scalar_one()
  return 0 if last is None else last + 1


def store_image(post, image, commit=True):
  """Write the files of a decoded image and add its row to `post`, after its other photos;
  files of a failed insert are removed again."""
  position = next_image_position(post.id)
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
    position=position,
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


def reorder_post_images(post_id, user, image_ids):
  """Put the post's photos in the order of `image_ids` (seller only; every photo exactly once;
  the first becomes the cover); returns the photos in their new order."""
  post = get_or_404(Post, id=post_id, for_update=True)
  require_seller(post, user, 'Only the seller can reorder photos.')
  require_editable(post)
  images = db.session.execute(select(PostImage).where(PostImage.post_id == post.id)).scalars()
  by_id = {image.id: image for image in images}
  if not is_id_list(image_ids) or sorted(image_ids) != sorted(by_id):
    raise ApiError(
      422,
      fields={'image_ids': ['Must list the id of every photo of this post, each once.']},
    )
  for position, image_id in enumerate(image_ids):
    by_id[image_id].position = position
  db.session.commit()
  return [by_id[image_id] for image_id in image_ids]


def is_id_list(value):
  """True for a JSON list of integers (booleans are not ids)."""
  return isinstance(value, list) and all(
    isinstance(item, int) and not isinstance(item, bool) for item in value
  )
