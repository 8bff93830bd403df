"""Photos of posts: upload checked by content, re-encoding, thumbnails, serving, removal."""

import io
from pathlib import Path

import pytest
from PIL import Image

from app.extensions import db
from app.posts.PostConstants import MAX_IMAGE_BYTES
from app.posts.PostModels import PostImage
from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase, image_bytes


def jpeg_with_exif(size=(1200, 900)):
  """A JPEG carrying a camera model and GPS-like metadata that must not survive."""
  exif = Image.Exif()
  exif[0x0110] = 'SecretCam 3000'
  exif[0x8825] = {2: (48.0, 51.0, 29.0)}
  return image_bytes('JPEG', size=size, exif=exif.tobytes())


class UploadImageTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller()

  def upload_folder(self):
    return Path(self.app.config['UPLOAD_FOLDER'])

  def test_stores_a_reencoded_jpeg_and_a_thumbnail_without_metadata(self):
    original = jpeg_with_exif(size=(3000, 1500))
    self.assertIn(b'SecretCam', original)
    response = self.upload(self.post.id, original)
    self.assertEqual(response.status_code, 201, response.get_json())
    image = response.get_json()['image']
    self.assertEqual(set(image), {'id', 'url', 'thumb_url'})
    full = self.client.get(image['url'])
    self.assertEqual(full.status_code, 200)
    self.assertEqual(full.mimetype, 'image/jpeg')
    self.assertIn('max-age=31536000', full.headers['Cache-Control'])
    self.assertIn('public', full.headers['Cache-Control'])
    stored = Image.open(io.BytesIO(full.data))
    self.assertEqual(stored.size, (2000, 1000))
    self.assertEqual(len(stored.getexif()), 0)
    self.assertNotIn(b'SecretCam', full.data)
    thumb = Image.open(io.BytesIO(self.client.get(image['thumb_url']).data))
    self.assertEqual(thumb.size, (400, 200))
    post = self.client.get(f'/api/posts/{self.post.id}').get_json()['post']
    self.assertEqual(post['images'], [image])
    row = db.session.get(PostImage, image['id'])
    self.assertEqual((row.width, row.height, row.content_type), (2000, 1000, 'image/jpeg'))

  def test_accepts_png_and_webp_and_keeps_transparency(self):
    png = image_bytes('PNG', size=(50, 40), mode='RGBA', color=(0, 0, 0, 0))
    response = self.upload(self.post.id, png, filename='a.png', content_type='image/png')
    self.assertEqual(response.status_code, 201)
    served = self.client.get(response.get_json()['image']['url'])
    self.assertEqual(served.mimetype, 'image/png')
    self.assertEqual(Image.open(io.BytesIO(served.data)).mode, 'RGBA')
    webp = image_bytes('WEBP', size=(60, 60))
    response = self.upload(self.post.id, webp, filename='b.webp', content_type='image/webp')
    self.assertEqual(response.status_code, 201)
    served = self.client.get(response.get_json()['image']['url'])
    self.assertEqual(served.mimetype, 'image/jpeg')

  def test_unusual_modes_are_converted(self):
    cases = (
      ('JPEG', 'CMYK', (0, 50, 100, 0), 'image/jpeg'),
      ('PNG', 'I;16', 3000, 'image/jpeg'),
      ('PNG', 'LA', (100, 0), 'image/png'),
      ('PNG', 'L', 128, 'image/jpeg'),
    )
    for image_format, mode, color, served_type in cases:
      with self.subTest(mode=mode):
        data = image_bytes(image_format, size=(30, 20), mode=mode, color=color)
        response = self.upload(self.post.id, data, filename=f'a.{image_format.lower()}')
        self.assertEqual(response.status_code, 201, response.get_json())
        served = self.client.get(response.get_json()['image']['url'])
        self.assertEqual(served.mimetype, served_type)
        self.assertEqual(Image.open(io.BytesIO(served.data)).size, (30, 20))
        self.api('delete', f'/api/posts/{self.post.id}/images/{response.get_json()["image"]["id"]}')

  def test_applies_the_camera_orientation_before_dropping_it(self):
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise: the stored landscape pixels show portrait
    data = image_bytes('JPEG', size=(80, 40), exif=exif.tobytes())
    image = self.upload(self.post.id, data).get_json()['image']
    stored = Image.open(io.BytesIO(self.client.get(image['url']).data))
    self.assertEqual(stored.size, (40, 80))
    self.assertNotIn(0x0112, stored.getexif())

  def test_judges_the_content_not_the_name(self):
    text = b'This is not a picture, whatever its name says.\n' * 20
    response = self.upload(self.post.id, text, filename='holiday.jpg')
    self.assert_error(response, 415, 'unsupported_media_type')
    gif = image_bytes('GIF', size=(10, 10), mode='P', color=1)
    response = self.upload(self.post.id, gif, filename='anim.png', content_type='image/png')
    self.assert_error(response, 415, 'unsupported_media_type')
    truncated = image_bytes('PNG', size=(300, 300), mode='RGB', color=(1, 2, 3))[:200]
    response = self.upload(self.post.id, truncated, filename='cut.png')
    self.assert_error(response, 415, 'unsupported_media_type')
    self.assertEqual(db.session.query(PostImage).count(), 0)

  def test_refuses_files_over_5_mb_in_the_envelope(self):
    response = self.upload(self.post.id, b'\xff' * (MAX_IMAGE_BYTES + 1))
    self.assert_error(response, 413, 'payload_too_large')
    response = self.upload(self.post.id, b'\xff' * (7 * 1024 * 1024))
    self.assert_error(response, 413, 'payload_too_large')
    self.assertEqual(db.session.query(PostImage).count(), 0)

  @pytest.mark.slow
  def test_refuses_a_decompression_bomb_before_decoding_it(self):
    # Past our own limit, and past twice Pillow's, where Image.open itself refuses.
    for side in (7_000, 20_000):
      bomb = image_bytes('PNG', size=(side, side), mode='1', color=0)
      self.assertLess(len(bomb), MAX_IMAGE_BYTES)
      response = self.upload(self.post.id, bomb, filename='bomb.png', content_type='image/png')
      self.assert_error(response, 413, 'payload_too_large')
    self.assertEqual(db.session.query(PostImage).count(), 0)

  def test_at_most_eight_photos(self):
    for _ in range(8):
      self.assertEqual(self.upload(self.post.id, image_bytes(size=(20, 20))).status_code, 201)
    response = self.upload(self.post.id, image_bytes(size=(20, 20)))
    self.assert_error(response, 409, 'conflict')
    self.assertEqual(db.session.query(PostImage).count(), 8)

  def test_needs_the_image_field_in_a_multipart_body(self):
    response = self.api(
      'post',
      f'/api/posts/{self.post.id}/images',
      data={'photo': (io.BytesIO(image_bytes()), 'a.jpg')},
      content_type='multipart/form-data',
    )
    self.assert_error(response, 422, 'validation_error', fields=['image'])
    response = self.api('post', f'/api/posts/{self.post.id}/images', json={'image': 'abc'})
    self.assert_error(response, 415, 'unsupported_media_type')

  def test_only_the_seller_adds_photos_and_only_while_it_is_for_sale(self):
    other_client = self.logged_in_client(make_user())
    response = self.upload(self.post.id, image_bytes(), client=other_client)
    self.assert_error(response, 403, 'forbidden')
    sold = make_post(seller=self.seller, status='sold')
    self.assert_error(self.upload(sold.id, image_bytes()), 409, 'conflict')
    self.assert_error(self.upload(999, image_bytes()), 404, 'not_found')

  def test_refuses_anonymous_users_and_a_missing_csrf_token(self):
    response = self.upload(self.post.id, image_bytes(), client=self.new_client())
    self.assert_error(response, 401, 'unauthorized')
    response = self.client.post(
      f'/api/posts/{self.post.id}/images',
      data={'image': (io.BytesIO(image_bytes()), 'a.jpg')},
      content_type='multipart/form-data',
    )
    self.assert_error(response, 400, 'csrf')
    self.assertEqual(db.session.query(PostImage).count(), 0)


class DeleteImageTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller()
    self.image = self.upload(self.post.id, image_bytes()).get_json()['image']
    row = db.session.get(PostImage, self.image['id'])
    folder = Path(self.app.config['UPLOAD_FOLDER'])
    self.files = [folder / row.storage_key, folder / row.thumb_key]

  def test_seller_removes_a_photo_and_its_files(self):
    self.assertTrue(all(path.is_file() for path in self.files))
    response = self.api('delete', f'/api/posts/{self.post.id}/images/{self.image["id"]}')
    self.assertEqual(response.status_code, 204)
    self.assertFalse(any(path.exists() for path in self.files))
    self.assert_error(self.client.get(self.image['url']), 404, 'not_found')
    post = self.client.get(f'/api/posts/{self.post.id}').get_json()['post']
    self.assertEqual(post['images'], [])

  def test_refusals(self):
    path = f'/api/posts/{self.post.id}/images/{self.image["id"]}'
    self.assert_error(self.api('delete', path, client=self.new_client()), 401, 'unauthorized')
    other_client = self.logged_in_client(make_user(admin=True))
    self.assert_error(self.api('delete', path, client=other_client), 403, 'forbidden')
    self.assert_error(self.api('delete', path, csrf=False), 400, 'csrf')
    other_post = make_post(seller=self.seller)
    wrong_post = f'/api/posts/{other_post.id}/images/{self.image["id"]}'
    self.assert_error(self.api('delete', wrong_post), 404, 'not_found')
    self.assert_error(self.api('delete', f'/api/posts/{self.post.id}/images/999'), 404, 'not_found')
    huge = f'/api/posts/{self.post.id}/images/99999999999999999999'
    self.assert_error(self.api('delete', huge), 404, 'not_found')
    self.assertTrue(all(path.is_file() for path in self.files))


class ServeImageTest(PostTestCase):
  def test_unknown_or_malformed_keys_are_404(self):
    for key in ('0' * 32 + '.jpg', '..%2Fconfig.py', 'test.sqlite3', 'abc'):
      with self.subTest(key=key):
        self.assert_error(self.client.get(f'/api/images/{key}'), 404, 'not_found')
