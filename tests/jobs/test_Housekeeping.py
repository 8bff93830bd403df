"""Housekeeping on a schedule: upload files whose rows are gone, and spent tokens, go away
when `manage.py periodic` runs (the systemd timer runs it every minute)."""

import os
import time
from datetime import timedelta
from pathlib import Path

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.users.UserModels import EmailVerificationToken, PasswordResetToken
from tests.factories import make_user
from tests.posts.PostTestCase import PostTestCase, image_bytes


class HousekeepingTest(PostTestCase):
  def run_periodic(self, name):
    result = self.app.test_cli_runner().invoke(args=['periodic', '--only', name])
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertIn(f'{name}: ran in-process', result.output)

  def make_old(self, path):
    two_hours_ago = time.time() - 7200
    os.utime(path, (two_hours_ago, two_hours_ago))

  def test_orphan_upload_files_are_removed_and_referenced_ones_kept(self):
    seller, post = self.make_post_with_seller()
    response = self.upload(post.id, image_bytes())
    self.assertEqual(response.status_code, 201, response.get_json())
    folder = Path(self.app.config['UPLOAD_FOLDER'])
    image = response.get_json()['image']
    kept = [folder / url.rsplit('/', 1)[1] for url in (image['url'], image['thumb_url'])]
    self.assertTrue(all(path.is_file() for path in kept))
    # Files of earlier tests whose rows were emptied away are orphans too: start clean.
    self.run_periodic_with_grace_over(folder, kept)
    orphan = folder / ('a' * 32 + '.jpg')
    orphan_thumb = folder / ('a' * 32 + '_thumb.jpg')
    young_orphan = folder / ('b' * 32 + '.png')
    not_ours = folder / 'README.txt'
    for path in (orphan, orphan_thumb, young_orphan, not_ours):
      path.write_bytes(b'x')
    for path in (orphan, orphan_thumb, not_ours, *kept):
      self.make_old(path)
    self.run_periodic('remove_orphan_uploads')
    remaining = {path.name for path in folder.iterdir()}
    self.assertEqual(remaining, {*(path.name for path in kept), young_orphan.name, not_ours.name})
    self.assertEqual(self.client.get(image['url']).status_code, 200)
    for path in (young_orphan, not_ours):
      path.unlink()

  def run_periodic_with_grace_over(self, folder, kept):
    """Age every other file and sweep once, so the folder holds only this test's files."""
    for path in folder.iterdir():
      if path not in kept:
        self.make_old(path)
    self.run_periodic('remove_orphan_uploads')
    self.assertEqual(sorted(folder.iterdir()), sorted(kept))

  def test_used_and_expired_tokens_are_purged_and_live_ones_kept(self):
    user = make_user('tom')
    now = utc_now()
    for model in (PasswordResetToken, EmailVerificationToken):
      db.session.add_all(
        [
          model(
            user_id=user.id,
            token_hash=f'{model.__name__}-live',
            expires_at=now + timedelta(hours=1),
          ),
          model(
            user_id=user.id,
            token_hash=f'{model.__name__}-used',
            expires_at=now + timedelta(hours=1),
            used_at=now,
          ),
          model(
            user_id=user.id,
            token_hash=f'{model.__name__}-old',
            expires_at=now - timedelta(seconds=1),
          ),
        ]
      )
    db.session.commit()
    self.run_periodic('purge_spent_tokens_job')
    db.session.expire_all()
    for model in (PasswordResetToken, EmailVerificationToken):
      hashes = db.session.execute(db.select(model.token_hash)).scalars().all()
      self.assertEqual(hashes, [f'{model.__name__}-live'])
