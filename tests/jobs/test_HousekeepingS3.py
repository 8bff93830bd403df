"""The orphan-photo sweep on the S3-compatible store (moto's real HTTP server): objects no
image row names go once past the grace period; the photos of rows stay."""

from app.posts.PostJobs import remove_orphan_uploads
from tests.posts.test_PostStorageS3 import S3StorageTestCase


class S3OrphanSweepTest(S3StorageTestCase):
  def test_orphan_objects_go_and_photos_of_rows_stay(self):
    self.use_store()
    image = self.upload_photo()
    photos = self.objects()
    orphans = [f'photos/{"c" * 32}.jpg', f'photos/{"c" * 32}_thumb.jpg']
    for name in orphans:
      self.s3.put_object(Bucket=self.bucket, Key=name, Body=b'x')
    # Fresh objects may belong to an upload whose row is not committed yet: kept.
    self.assertEqual(remove_orphan_uploads(), 0)
    self.assertEqual(self.objects(), sorted(photos + orphans))
    self.assertEqual(remove_orphan_uploads(grace_seconds=-60), 2)
    self.assertEqual(self.objects(), photos)
    self.assertEqual(self.client.get(image['url']).status_code, 200)
