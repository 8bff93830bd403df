"""Bounded image work: the probe's near-cap PNG is refused, the worst accepted uploads stay
within the memory budget (measured in a fresh process each), JPEGs decode at reduced scale,
and no metadata survives re-encoding."""

import io
import struct
import tempfile

import pytest
from PIL import Image, ImageCms
from sqlalchemy import func, select

from app.extensions import db
from app.posts.PostConstants import (
  IMAGE_MAX_SIDE,
  MAX_LOSSLESS_PIXELS,
  MAX_PROGRESSIVE_JPEG_PIXELS,
  MAX_WEBP_PIXELS,
)
from app.posts.PostImageHelpers import decode_image
from app.posts.PostModels import PostImage
from app.posts.PostStorage import get_storage
from bench import BenchImages
from tests import factories
from tests.base import ApiTestCase

HTML_PAYLOAD = b'<html><body><script>alert(document.cookie)</script></body></html>'


def srgb_profile_bytes():
  return ImageCms.ImageCmsProfile(ImageCms.createProfile('sRGB')).tobytes()


def linear_rgb_profile_bytes():
  """The sRGB primaries with a linear tone curve (gamma 1.0): a valid profile whose colours
  differ from sRGB (mid grey 128 is sRGB 188)."""
  profile = bytearray(srgb_profile_bytes())
  curve = profile.index(b'para')
  profile[curve + 8 : curve + 10] = struct.pack('>H', 0)  # function type 0: Y = X ** gamma
  profile[curve + 12 : curve + 16] = struct.pack('>i', 1 << 16)  # gamma 1.0 (s15Fixed16)
  return bytes(profile)


def encoded(image, image_format, **options):
  output = io.BytesIO()
  image.save(output, format=image_format, **options)
  return output.getvalue()


# Decodes images at each format's pixel cap: seconds of CPU.
@pytest.mark.slow
class ImageBoundsTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.user = factories.make_user()
    self.login_as(self.user)
    self.post = factories.make_post(self.user)

  def upload(self, data, filename='photo.png', content_type='image/png'):
    return self.api(
      'post',
      f'/api/posts/{self.post.id}/images',
      data={'image': (io.BytesIO(data), filename, content_type)},
    )

  def image_count(self):
    return db.session.execute(select(func.count(PostImage.id))).scalar_one()

  def test_the_probes_near_cap_png_is_refused_before_decoding(self):
    # 6300 x 6300 RGBA, 154 KB: under the old 40 MP cap, 592 MB and 2 s of CPU to decode.
    probe = encoded(Image.new('RGBA', (6300, 6300), (10, 20, 30, 40)), 'PNG')
    self.assertLess(len(probe), 1024 * 1024)
    error = self.assert_error(self.upload(probe), 413, 'payload_too_large')
    self.assertIn(f'{MAX_LOSSLESS_PIXELS:,}', error['message'])
    self.assertEqual(self.image_count(), 0)

  def test_each_format_is_refused_just_past_its_cap_and_accepted_at_it(self):
    cases = [
      ('PNG', 'RGBA', MAX_LOSSLESS_PIXELS, {}),
      ('WEBP', 'RGB', MAX_WEBP_PIXELS, {'lossless': True}),
      ('JPEG', 'RGB', MAX_PROGRESSIVE_JPEG_PIXELS, {'progressive': True}),
    ]
    for image_format, mode, limit, options in cases:
      with self.subTest(image_format=image_format):
        width = 1000
        over = encoded(Image.new(mode, (width, limit // width + 1)), image_format, **options)
        self.assert_error(self.upload(over), 413, 'payload_too_large')
        at_cap = encoded(Image.new(mode, (width, limit // width)), image_format, **options)
        response = self.upload(at_cap)
        self.assertEqual(response.status_code, 201, response.get_json())
        row = db.session.get(PostImage, response.get_json()['image']['id'])
        self.assertLessEqual(max(row.width, row.height), IMAGE_MAX_SIDE)

  def test_a_large_jpeg_is_decoded_at_reduced_scale(self):
    photo = encoded(Image.new('RGB', (8000, 5000), (90, 120, 150)), 'JPEG', quality=80)
    image = decode_image(photo)
    # libjpeg decoded it at 1/4 scale: 16 times fewer pixels in memory than the canvas.
    self.assertEqual(image.size, (2000, 1250))

  def test_no_metadata_survives_re_encoding(self):
    exif = Image.Exif()
    exif[0x010F] = 'SecretCam'  # Make
    exif[0x8298] = 'SecretOwner'  # Copyright
    source = Image.new('RGB', (2400, 1800), (10, 200, 30))
    photo = encoded(
      source,
      'JPEG',
      exif=exif.tobytes(),
      comment=b'secret-comment-from-the-camera',
      xmp=b'<x:xmpmeta>secret-xmp</x:xmpmeta>',
    )
    small = encoded(Image.new('RGB', (300, 200)), 'JPEG', comment=b'secret-comment-from-the-camera')
    for data in (photo, small):
      response = self.upload(data, filename='photo.jpg', content_type='image/jpeg')
      self.assertEqual(response.status_code, 201, response.get_json())
    storage = get_storage()
    for row in db.session.execute(select(PostImage)).scalars():
      for key in (row.storage_key, row.thumb_key):
        stored = storage.read(key)
        for secret in (
          b'secret-comment',
          b'SecretCam',
          b'SecretOwner',
          b'secret-xmp',
          b'Exif\x00\x00',
        ):
          self.assertNotIn(secret, stored, key)
        self.assertNotIn('comment', Image.open(io.BytesIO(stored)).info)

  def stored_files(self):
    storage = get_storage()
    for row in db.session.execute(select(PostImage)).scalars():
      for key in (row.storage_key, row.thumb_key):
        yield key, storage.read(key)

  def test_no_uploaded_icc_profile_survives_byte_for_byte(self):
    cases = (
      ('JPEG', 'RGB', HTML_PAYLOAD * 4, 'photo.jpg', 'image/jpeg'),
      ('PNG', 'RGBA', HTML_PAYLOAD * 4, 'photo.png', 'image/png'),
      # A profile LittleCMS parses (it reads the size its header gives) with a payload after it.
      ('JPEG', 'RGB', srgb_profile_bytes() + HTML_PAYLOAD, 'photo.jpg', 'image/jpeg'),
      ('PNG', 'RGB', srgb_profile_bytes() + HTML_PAYLOAD, 'photo.png', 'image/png'),
    )
    for image_format, mode, profile, filename, content_type in cases:
      data = encoded(Image.new(mode, (600, 400), (200, 40, 40)), image_format, icc_profile=profile)
      self.assertIn(HTML_PAYLOAD, Image.open(io.BytesIO(data)).info['icc_profile'])
      response = self.upload(data, filename=filename, content_type=content_type)
      self.assertEqual(response.status_code, 201, response.get_json())
    for key, stored in self.stored_files():
      self.assertNotIn(b'<script', stored, key)
      picture = Image.open(io.BytesIO(stored))
      self.assertNotIn('icc_profile', picture.info, key)
      self.assertEqual(picture.convert('RGB').getpixel((10, 10))[:1], (200,), key)

  def test_a_valid_profile_is_applied_then_dropped(self):
    linear_grey = encoded(
      Image.new('RGB', (300, 200), (128, 128, 128)), 'PNG', icc_profile=linear_rgb_profile_bytes()
    )
    response = self.upload(linear_grey)
    self.assertEqual(response.status_code, 201, response.get_json())
    for key, stored in self.stored_files():
      picture = Image.open(io.BytesIO(stored))
      self.assertNotIn('icc_profile', picture.info, key)
      # The colours as the profile meant them, now in sRGB (what browsers assume untagged).
      red, green, blue = picture.getpixel((10, 10))
      self.assertTrue(all(abs(channel - 188) <= 3 for channel in (red, green, blue)), key)


@pytest.mark.slow
class WorstUploadMemoryTest(ApiTestCase):
  """The worst accepted uploads raise a fresh process's peak RSS by at most the budget
  (memory, not speed: the CPU figures are printed by `python -m bench.BenchImages`)."""

  def test_the_worst_accepted_uploads_fit_the_memory_budget(self):
    with tempfile.TemporaryDirectory(prefix='dibz-image-bounds-') as folder:
      for name in ('png_rgba', 'webp_rgba_lossless', 'jpeg_progressive_444'):
        with self.subTest(name=name):
          figures = BenchImages.measure(name, folder)
          print(name, figures)
          self.assertLessEqual(figures['upload_kb'], 5 * 1024, figures)
          self.assertLessEqual(figures['rss_growth_mb'], BenchImages.RSS_BUDGET_MB, figures)
