"""Found by the chaos run (docs/RELIABILITY.md): a photo store that refuses writes (a full or
read-only disk, an unreachable bucket) answered 500; it is a 503 with Retry-After, nothing is
half-stored, and the same upload succeeds once the store is back."""

import shutil
from pathlib import Path

from sqlalchemy import func, select

from app.extensions import db
from app.posts.PostModels import PostImage
from tests.posts.PostTestCase import PostTestCase, image_bytes


class PhotoStoreOutageTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller()
    self.folder = Path(self.app.config['UPLOAD_FOLDER'])
    shutil.rmtree(self.folder, ignore_errors=True)
    # The folder's path holds a file: every write under it fails, as a dead disk's would.
    self.folder.parent.mkdir(parents=True, exist_ok=True)
    self.folder.write_text('not a folder')
    self.addCleanup(self.restore_folder)

  def restore_folder(self):
    if self.folder.is_file():
      self.folder.unlink()

  def photo_count(self):
    return db.session.execute(select(func.count(PostImage.id))).scalar_one()

  def test_a_refused_write_is_503_with_retry_after_then_the_retry_stores_it(self):
    photo = image_bytes('JPEG')
    with self.assertLogs(self.app.logger, level='WARNING') as logs:
      response = self.upload(self.post.id, photo)
    self.assert_error(response, 503, 'service_unavailable')
    # Retry-After is there (the route's rate limit headers may set its figure).
    self.assertIn('Retry-After', response.headers)
    self.assertIn('Photo store refused a write', '\n'.join(logs.output))
    self.assertEqual(self.photo_count(), 0)

    self.restore_folder()
    response = self.upload(self.post.id, photo)
    self.assertEqual(response.status_code, 201, response.get_json())
    self.assertEqual(self.photo_count(), 1)
    self.assertEqual(len(list(self.folder.iterdir())), 2)
