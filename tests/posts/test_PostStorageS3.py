"""Photos in an S3-compatible store (a real HTTP server: moto's), and the commands that move
photos between the folder and the store."""

import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

from app.config import ConfigError, load_config
from tests.posts.PostS3Server import S3Server
from tests.posts.PostTestCase import PostTestCase, image_bytes


@pytest.mark.slow
class S3StorageTestCase(PostTestCase):
  """Runs each test with the app pointed at a fresh bucket on a server shared by the class."""

  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.server = S3Server().start()

  @classmethod
  def tearDownClass(cls):
    cls.server.stop()
    super().tearDownClass()

  def setUp(self):
    super().setUp()
    self.bucket = f'dibz-{uuid.uuid4().hex[:12]}'
    self.s3 = self.server.client()
    self.s3.create_bucket(Bucket=self.bucket)
    self.local_folder = Path(tempfile.mkdtemp(prefix='dibz-photos-'))
    self.addCleanup(shutil.rmtree, self.local_folder, True)
    saved = {name: self.app.config.get(name) for name in ('UPLOAD_FOLDER', 'STORAGE_BACKEND')}
    saved.update({name: self.app.config.get(name) for name in self.server.app_settings('x')})
    self.addCleanup(self.app.config.update, saved)
    self.app.config['UPLOAD_FOLDER'] = str(self.local_folder)
    self.seller, self.post = self.make_post_with_seller()

  def use_store(self, prefix='photos/'):
    self.app.config.update(self.server.app_settings(self.bucket, prefix))

  def use_folder(self):
    self.app.config['STORAGE_BACKEND'] = 'local'

  def objects(self):
    answer = self.s3.list_objects_v2(Bucket=self.bucket)
    return sorted(item['Key'] for item in answer.get('Contents', []))

  def upload_photo(self, color=(10, 200, 30)):
    response = self.upload(self.post.id, image_bytes('JPEG', color=color))
    self.assertEqual(response.status_code, 201, response.get_json())
    return response.get_json()['image']

  def invoke(self, *args):
    return self.app.test_cli_runner().invoke(args=list(args))


class S3StorageApiTest(S3StorageTestCase):
  def test_upload_lands_in_the_bucket_and_is_served_through_the_app(self):
    self.use_store()
    image = self.upload_photo()
    key = image['url'].rsplit('/', 1)[-1]
    self.assertEqual(
      self.objects(), sorted([f'photos/{key}', f'photos/{key.replace(".jpg", "_thumb.jpg")}'])
    )
    self.assertEqual(list(self.local_folder.iterdir()), [])
    stored = self.s3.get_object(Bucket=self.bucket, Key=f'photos/{key}')
    self.assertEqual(stored['ContentType'], 'image/jpeg')
    served = self.client.get(image['url'])
    self.assertEqual(served.status_code, 200)
    self.assertEqual(served.mimetype, 'image/jpeg')
    self.assertEqual(served.data, stored['Body'].read())
    self.assertIn('max-age=31536000', served.headers['Cache-Control'])
    again = self.client.get(image['url'], headers={'If-None-Match': served.headers['ETag']})
    self.assertEqual(again.status_code, 304)
    self.assertEqual(self.client.get(image['thumb_url']).mimetype, 'image/jpeg')

  def test_missing_and_malformed_keys_are_json_404s(self):
    self.use_store()
    self.assert_error(self.client.get(f'/api/images/{"a" * 32}.jpg'), 404, 'not_found')
    self.assert_error(self.client.get('/api/images/..%2Fsecret.jpg'), 404, 'not_found')

  def test_deleting_a_photo_deletes_its_objects(self):
    self.use_store()
    image = self.upload_photo()
    response = self.api('delete', f'/api/posts/{self.post.id}/images/{image["id"]}')
    self.assertEqual(response.status_code, 204)
    self.assertEqual(self.objects(), [])
    self.assert_error(self.client.get(image['url']), 404, 'not_found')


class PhotoCommandsTest(S3StorageTestCase):
  def test_move_photos_to_store_is_idempotent_and_reports_counts(self):
    self.use_folder()
    images = [self.upload_photo(), self.upload_photo(color=(1, 2, 3))]
    local_bytes = {path.name: path.read_bytes() for path in self.local_folder.iterdir()}
    self.assertEqual(len(local_bytes), 4)
    self.use_store()
    self.assertEqual(self.client.get(images[0]['url']).status_code, 404)

    first = self.invoke('move-photos-to-store')
    self.assertEqual(first.exit_code, 0, first.output)
    self.assertIn('copied 4, already there 0, removed from the source 0', first.output)
    self.assertIn('missing from the s3 storage: 0', first.output)
    for key, data in local_bytes.items():
      self.assertEqual(
        self.s3.get_object(Bucket=self.bucket, Key=f'photos/{key}')['Body'].read(), data
      )
    for image in images:
      self.assertEqual(self.client.get(image['url']).status_code, 200)

    second = self.invoke('move-photos-to-store', '--delete-local')
    self.assertEqual(second.exit_code, 0, second.output)
    self.assertIn('copied 0, already there 4, removed from the source 4', second.output)
    self.assertEqual(list(self.local_folder.iterdir()), [])
    self.assertEqual(len(self.objects()), 4)

  def test_move_refuses_without_a_store_and_names_missing_photos(self):
    self.use_folder()
    refused = self.invoke('move-photos-to-store')
    self.assertNotEqual(refused.exit_code, 0)
    self.assertIn('STORAGE_BACKEND is local', refused.output)
    image = self.upload_photo()
    (self.local_folder / image['thumb_url'].rsplit('/', 1)[-1]).unlink()
    self.use_store()
    result = self.invoke('move-photos-to-store')
    self.assertIn('copied 1,', result.output)
    self.assertIn('missing from the s3 storage: 1', result.output)

  def test_export_then_import_round_trips_every_photo(self):
    self.use_store()
    self.upload_photo()
    self.upload_photo(color=(9, 9, 9))
    before = {
      key: self.s3.get_object(Bucket=self.bucket, Key=key)['Body'].read() for key in self.objects()
    }
    backup = self.local_folder / 'backup'
    exported = self.invoke('export-photos', str(backup))
    self.assertEqual(exported.exit_code, 0, exported.output)
    self.assertIn('copied 4', exported.output)
    for key in self.objects():
      self.s3.delete_object(Bucket=self.bucket, Key=key)
    imported = self.invoke('import-photos', str(backup))
    self.assertEqual(imported.exit_code, 0, imported.output)
    self.assertIn('copied 4, already there 0', imported.output)
    after = {
      key: self.s3.get_object(Bucket=self.bucket, Key=key)['Body'].read() for key in self.objects()
    }
    self.assertEqual(after, before)


class S3ConfigTest(PostTestCase):
  def test_s3_needs_a_bucket_and_unknown_backends_are_refused(self):
    import os
    from unittest import mock

    with mock.patch.dict(os.environ, {'STORAGE_BACKEND': 's3'}):
      os.environ.pop('S3_BUCKET', None)
      with self.assertRaisesRegex(ConfigError, 'S3_BUCKET'):
        load_config('testing')
    with mock.patch.dict(os.environ, {'STORAGE_BACKEND': 'ftp'}):
      with self.assertRaisesRegex(ConfigError, 'STORAGE_BACKEND'):
        load_config('testing')


class ExportWithoutPhotosTest(PostTestCase):
  def test_an_export_of_no_photo_still_makes_a_folder_an_import_accepts(self):
    folder = Path(tempfile.mkdtemp(prefix='dibz-empty-')) / 'photos'
    self.addCleanup(shutil.rmtree, folder.parent, True)
    # The suite's UPLOAD_FOLDER keeps other tests' files: this test starts from none.
    self.addCleanup(self.app.config.update, {'UPLOAD_FOLDER': self.app.config['UPLOAD_FOLDER']})
    self.app.config['UPLOAD_FOLDER'] = str(folder.parent / 'uploads')
    runner = self.app.test_cli_runner()
    exported = runner.invoke(args=['export-photos', str(folder)])
    self.assertEqual(exported.exit_code, 0, exported.output)
    self.assertIn('copied 0, already there 0', exported.output)
    self.assertTrue(folder.is_dir())
    imported = runner.invoke(args=['import-photos', str(folder)])
    self.assertEqual(imported.exit_code, 0, imported.output)
    self.assertIn('copied 0, already there 0', imported.output)
