"""The demo seed of issue 24: holds on the accepted dibs of pending posts, one meet-up, one
expired post per seller; a second run adds nothing."""

import pytest

from app.extensions import db
from app.posts.PostConstants import DIB_ACCEPTED, STATUS_PENDING
from app.posts.PostHoldModels import Hold, Meetup
from app.posts.PostModels import Dib, Post
from tests.base import ApiTestCase


# Slow: the demo seed draws its pictures (seconds).
@pytest.mark.slow
class HoldSeedTest(ApiTestCase):
  def test_seed_adds_holds_and_expired_posts_once(self):
    runner = self.app.test_cli_runner()
    first = runner.invoke(args=['seed', '--posts', '40'])
    self.assertEqual(first.exit_code, 0, first.output)
    pending_accepted = db.session.execute(
      db.select(db.func.count())
      .select_from(Dib)
      .join(Post, Post.id == Dib.post_id)
      .where(Post.status == STATUS_PENDING, Dib.status == DIB_ACCEPTED)
    ).scalar_one()
    holds = db.session.execute(db.select(db.func.count()).select_from(Hold)).scalar_one()
    self.assertGreater(pending_accepted, 0)
    self.assertEqual(holds, pending_accepted)
    self.assertEqual(
      db.session.execute(db.select(db.func.count()).select_from(Meetup)).scalar_one(), 1
    )
    expired = db.session.execute(
      db.select(db.func.count()).select_from(Post).where(Post.expired_at.is_not(None))
    ).scalar_one()
    self.assertGreater(expired, 0)
    self.assertIn(f'handover: {holds} holds added, {expired} posts expired', first.output)
    second = runner.invoke(args=['seed', '--posts', '40'])
    self.assertEqual(second.exit_code, 0, second.output)
    self.assertIn('handover: 0 holds added, 0 posts expired', second.output)
