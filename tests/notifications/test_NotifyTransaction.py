"""notify() joins its caller's transaction: a withdrawal that rolls back sends no event, no
notification, no mail job and bumps no cache generation; one that commits sends each exactly
once, in one commit."""

from unittest.mock import patch

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.common.CommonCache import PRIVATE_TAG
from app.common.CommonCacheStores import read_tokens
from app.events.EventConstants import EVENT_NOTIFICATION, EVENT_POST
from app.extensions import db
from app.notifications.NotificationModels import Notification
from app.posts.PostCacheTags import post_tag
from app.posts.PostConstants import STATUS_AVAILABLE, STATUS_WITHDRAWN
from app.posts.PostHelpers import withdraw_post
from app.posts.PostModels import Post
from tests.common.test_CommonTransaction import CommitCounter
from tests.factories import make_dib, make_user
from tests.notifications.NotificationTestCase import NotificationTestCase


class NotifyJoinsTheTransactionTest(NotificationTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller()
    self.buyers = [make_user(), make_user()]
    for buyer in self.buyers:
      make_dib(self.post, buyer=buyer)
    self.published = []
    self.mail_jobs = []
    publisher = patch(
      'app.events.EventHelpers.publish_user_event',
      side_effect=lambda user_id, event_type, payload: self.published.append((user_id, event_type)),
    )
    jobs = patch(
      'app.notifications.NotificationHelpers.enqueue',
      side_effect=lambda function, *args: self.mail_jobs.append((function.__name__, *args)),
    )
    for patcher in (publisher, jobs):
      patcher.start()
      self.addCleanup(patcher.stop)

  def generations(self):
    """The tokens of the post's tag and of the private tag (each bumped by the commit)."""
    with db.engine.connect() as connection:
      return tuple(read_tokens(connection, [post_tag(self.post.id), PRIVATE_TAG]).split())

  def notification_count(self):
    return db.session.execute(select(func.count()).select_from(Notification)).scalar_one()

  def test_a_rolled_back_withdrawal_sends_nothing_and_bumps_nothing(self):
    before = self.generations()
    failure = OperationalError('COMMIT', {}, Exception('the disk is full'))
    with patch.object(db.session, 'commit', side_effect=failure):
      with self.assertRaises(OperationalError):
        withdraw_post(self.post.id, self.seller)
    db.session.rollback()
    self.assertEqual(self.published, [])
    self.assertEqual(self.mail_jobs, [])
    self.assertEqual(self.notification_count(), 0)
    self.assertEqual(db.session.get(Post, self.post.id).status, STATUS_AVAILABLE)
    self.assertEqual(self.generations(), before)

  def test_a_committed_withdrawal_sends_each_exactly_once_in_one_commit(self):
    before = self.generations()
    with CommitCounter() as commits:
      withdraw_post(self.post.id, self.seller)
    self.assertEqual(commits.count, 1)
    self.assertEqual(db.session.get(Post, self.post.id).status, STATUS_WITHDRAWN)
    buyer_ids = sorted(buyer.id for buyer in self.buyers)
    notified = [user_id for user_id, kind in self.published if kind == EVENT_NOTIFICATION]
    self.assertEqual(sorted(notified), buyer_ids)
    told = [user_id for user_id, kind in self.published if kind == EVENT_POST]
    self.assertEqual(sorted(told), sorted([self.seller.id, *buyer_ids]))
    self.assertEqual(self.notification_count(), 2)
    notification_ids = db.session.execute(select(Notification.id)).scalars().all()
    self.assertEqual(
      sorted(self.mail_jobs),
      sorted(('send_notification_mail', notification_id) for notification_id in notification_ids),
    )
    public, private = self.generations()
    self.assertNotEqual(public, before[0])
    self.assertNotEqual(private, before[1])

  def test_the_api_withdrawal_commits_once(self):
    with CommitCounter() as commits:
      response = self.api('delete', f'/api/posts/{self.post.id}')
    self.assertEqual(response.status_code, 204)
    self.assertEqual(commits.count, 1)
    self.assertEqual(len(self.mail_jobs), 2)
