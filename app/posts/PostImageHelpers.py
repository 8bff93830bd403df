"""Photos of posts: checked by their content, re-encoded without metadata, with a thumbnail.

The work per upload is bounded (docs/BAD_INPUT.md, `python -m bench.BenchImages`): a JPEG is
decoded at the reduced scale it will be stored at (libjpeg's DCT scaling, Pillow's `draft`);
PNG and WebP, which cannot be, are refused above a pixel count whose decoded canvas fits the
memory budget; and each buffer is released as soon as the next one exists.
"""

import functools
import io

from flask import current_app
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404
from app.extensions import db
from app.posts.PostConstants import (
  ACCEPTED_IMAGE_FORMATS,
  IMAGE_MAX_SIDE,
  JPEG_QUALITY,
  MAX_IMAGE_BYTES,
  MAX_IMAGES_PER_POST,
  MAX_PIXELS_BY_FORMAT,
  MAX_PROGRESSIVE_JPEG_PIXELS,
  THUMB_MAX_SIDE,
)
from app.posts.PostHelpers import require_editable, require_seller
from app.posts.PostModels import Post, PostImage
from app.posts.PostStorage import get_storage
from app.posts.PostStorageBase import new_storage_keys

UNSUPPORTED_IMAGE_MESSAGE = 'The image must be a JPEG, PNG or WebP picture.'
PHOTO_STORE_UNAVAILABLE_MESSAGE = 'Photos cannot be stored right now; try again in a moment.'
PHOTO_STORE_RETRY_AFTER_SECONDS = 5


def read_upload(file_storage):
  """The bytes of an uploaded file, refusing more than MAX_IMAGE_BYTES with a 413."""
  data = file_storage.stream.read(MAX_IMAGE_BYTES + 1)
  if len(data) > MAX_IMAGE_BYTES:
    raise ApiError(413, message=f'The image is larger than {MAX_IMAGE_BYTES // 1024 // 1024} MB.')
  if not data:
    raise ApiError(422, fields={'image': ['The file is empty.']})
  return data


def too_many_pixels(limit):
  return ApiError(413, message=f'The image has more than {limit:,} pixels for its format.')


def pixel_limit(image):
  """The largest canvas accepted for this picture's format (and JPEG encoding)."""
  if image.format == 'JPEG' and image.info.get('progressive'):
    # A progressive JPEG keeps every DCT coefficient of the full canvas while it decodes.
    return MAX_PROGRESSIVE_JPEG_PIXELS
  return MAX_PIXELS_BY_FORMAT[image.format]


def decode_image(data):
  """Decode `data` as a JPEG, PNG or WebP picture whatever its name or declared type claims,
  upright and in RGB or RGBA, a JPEG already scaled down towards IMAGE_MAX_SIDE; 415 when it
  is not one, 413 when its canvas is too big to decode within the budget."""
  try:
    image = Image.open(io.BytesIO(data), formats=ACCEPTED_IMAGE_FORMATS)
    # The header gives the size: refuse a bomb before a single pixel is decoded.
    limit = pixel_limit(image)
    if image.width * image.height > limit:
      raise too_many_pixels(limit)
    if image.format == 'JPEG':
      image.draft(None, scaled_size(image.size, IMAGE_MAX_SIDE))
    image.load()
    return normalize_image(image)
  except Image.DecompressionBombError:
    raise too_many_pixels(Image.MAX_IMAGE_PIXELS) from None
  except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
    raise ApiError(415, message=UNSUPPORTED_IMAGE_MESSAGE) from None


def scaled_size(size, max_side):
  """`size` shrunk to fit a `max_side` square, aspect kept (never enlarged, never zero)."""
  width, height = size
  factor = min(1.0, max_side / max(width, height))
  return max(1, round(width * factor)), max(1, round(height * factor))


def normalize_image(image):
  """Upright (the camera's orientation applied), its colours in sRGB (to_srgb) and in a mode
  JPEG or PNG can store; the decoded original is released as soon as a converted copy replaces it."""
  ImageOps.exif_transpose(image, in_place=True)
  has_alpha = image.mode in ('RGBA', 'LA', 'PA') or (
    image.mode == 'P' and 'transparency' in image.info
  )
  target_mode = 'RGBA' if has_alpha else 'RGB'
  converted = to_srgb(image, target_mode)
  if converted is None:
    if image.mode == target_mode:
      return image
    converted = image.convert(target_mode)
  if converted is not image:
    image.close()
  return converted


@functools.cache
def srgb_profile():
  """The sRGB profile every stored picture is in (built by LittleCMS, once per process)."""
  return ImageCms.createProfile('sRGB')


def to_srgb(image, target_mode):
  """`image` converted from its embedded ICC profile to sRGB in `target_mode` (in place when
  the mode stays), or None when it has no profile LittleCMS can use. The uploaded profile is
  removed from `image.info` either way: its bytes are the uploader's and are never stored,
  so a payload posing as a profile cannot survive re-encoding (browsers take untagged
  pictures as sRGB)."""
  profile_bytes = image.info.pop('icc_profile', None)
  if not profile_bytes:
    return None
  in_place = image.mode == target_mode
  try:
    source = ImageCms.ImageCmsProfile(io.BytesIO(profile_bytes))
    converted = ImageCms.profileToProfile(
      image, source, srgb_profile(), outputMode=target_mode, inPlace=in_place
    )
  except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
    # Not a profile, or one for another colour space than the pixels': they are taken as sRGB.
    image.info.pop('icc_profile', None)
    return None
  converted = image if in_place else converted
  converted.info.pop('icc_profile', None)
  return converted


def fit_within(image, max_side, consume=False):
  """`image` itself when it fits a `max_side` square, else a resized copy; with `consume`,
  the original is closed as soon as it is no longer needed."""
  size = scaled_size(image.size, max_side)
  if size == image.size:
    return image
  if image.mode != 'RGBA':
    resized = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
  else:
    # Pillow resizes RGBA through a premultiplied copy (RGBa) while still holding the
    # original; making that copy here lets the original go before the filter runs.
    premultiplied = image.convert('RGBa')
    if consume:
      image.close()
    resized = premultiplied.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    premultiplied.close()
    resized = resized.convert('RGBA')
  if consume:
    image.close()
  return resized


def encode_image(image):
  """`image` encoded afresh, nothing of the upload's metadata carried over: no EXIF, GPS,
  XMP, comment, text chunk or ICC profile (normalize_image already converted the colours to
  sRGB, which is what an untagged picture is taken to be)."""
  # Pillow's JPEG writer copies a decoded JPEG's comment (COM segment) from `info` unless told
  # otherwise.
  options = {'comment': b'', 'exif': b''}
  image.info = {}
  output = io.BytesIO()
  if image.mode == 'RGBA':
    image.save(output, format='PNG', **options)
  else:
    image.save(output, format='JPEG', quality=JPEG_QUALITY, optimize=True, **options)
  return output.getvalue()


def render_image_files(image):
  """The (extension, content type, main bytes, thumbnail bytes, width, height) to store,
  from an image in RGB or RGBA, which this consumes (it is closed once the main copy exists)."""
  has_alpha = image.mode == 'RGBA'
  main = fit_within(image, IMAGE_MAX_SIDE, consume=True)
  main_bytes = encode_image(main)
  width, height = main.size
  thumb = fit_within(main, THUMB_MAX_SIDE, consume=True)
  thumb_bytes = encode_image(thumb)
  thumb.close()
  if has_alpha:
    return 'png', 'image/png', main_bytes, thumb_bytes, width, height
  return 'jpg', 'image/jpeg', main_bytes, thumb_bytes, width, height


def next_image_position(post_id):
  """The position after the post's last photo: a new photo goes to the end."""
  last = db.session.execute(
    select(func.max(PostImage.position)).where(PostImage.post_id == post_id)
  ).scalar_one()
  return 0 if last is None else last + 1


def save_files(storage, files):
  """Write (key, bytes) pairs to the store; a store that refuses (a full or read-only disk, an
  unreachable bucket) is 503 with Retry-After, and the files written so far are removed."""
  written = []
  try:
    for key, data in files:
      storage.save(key, data)
      written.append(key)
  except Exception as error:
    current_app.logger.warning('Photo store refused a write: %s: %s', type(error).__name__, error)
    for key in written:
      try:
        storage.delete(key)
      except Exception:  # noqa: BLE001 # the store is failing; an orphan is swept later
        current_app.logger.warning('Photo store: could not remove %s again.', key)
    raise ApiError(
      503,
      message=PHOTO_STORE_UNAVAILABLE_MESSAGE,
      headers={'Retry-After': str(PHOTO_STORE_RETRY_AFTER_SECONDS)},
    ) from error


def store_image(post, image, commit=True):
  """Write the files of a decoded image and add its row to `post`, after its other photos;
  files of a failed insert are removed again."""
  position = next_image_position(post.id)
  extension, content_type, main_bytes, thumb_bytes, width, height = render_image_files(image)
  storage = get_storage()
  storage_key, thumb_key = new_storage_keys(extension)
  save_files(storage, ((storage_key, main_bytes), (thumb_key, thumb_bytes)))
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
