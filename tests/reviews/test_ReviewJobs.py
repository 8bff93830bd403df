"""The periodic jobs of reviews with a moved clock: a window's reviews are published when its
14 days are over (once, also across a failed and retried run), and the day-7 reminder goes
exactly once to whoever has not reviewed."""

from unittest.mock import patch

from app.common.CommonJobs import PERIODIC_JOBS
from app.reviews.ReviewJobs import publish_closed_review_windows, remind_reviews
from tests.posts.test_HoldJobs import FailOnce
from tests.reviews.ReviewTestCase import ReviewTestCase


class PublicationJobTest(ReviewTestCase):
  def test_both_jobs_are_periodic(self):
    self.assertIs(PERIODIC_JOBS['publish_closed_review_windows'], publish_closed_review_windows)
    self.assertIs(PERIODIC_JOBS['remind_reviews'], remind_reviews)

  def test_a_one_sided_review_is_published_when_the_window_closes_once(self):
    self.make_sale()
    self.review(self.buyer, self.seller, stars=2, text='Late.')
    with self.review_clock(days=13, hours=23, minutes=59):
      self.assertEqual(publish_closed_review_windows(), 0)
    self.assertEqual(self.public_reviews(self.seller.user.username)['total'], 0)
    with self.review_clock(days=14, minutes=1):
      self.assertEqual(publish_closed_review_windows(), 1)
      self.assertEqual(publish_closed_review_windows(), 0)
    listed = self.public_reviews(self.seller.user.username)
    self.assertEqual(listed['total'], 1)
    self.assertEqual(listed['rating'], {'average': 2.0, 'count': 1})
    self.assertEqual(self.rating_columns(self.seller), (1, 2))
    self.assertEqual(self.kinds_of(self.seller.id).count('review_published'), 1)
    self.assertIsNotNone(self.window_row().published_at)
    with self.review_clock(days=15):
      self.assertEqual(publish_closed_review_windows(), 0)
    self.assertEqual(self.rating_columns(self.seller), (1, 2))

  def test_a_window_nobody_used_closes_quietly(self):
    self.make_sale()
    before = self.kinds_of(self.seller.id)
    with self.review_clock(days=15):
      self.assertEqual(publish_closed_review_windows(), 1)
    self.assertIsNotNone(self.window_row().published_at)
    self.assertEqual(self.kinds_of(self.seller.id), before)
    self.assertEqual(self.rating_columns(self.seller), (0, 0))

  def test_a_window_both_reviewed_is_not_published_again(self):
    self.make_sale()
    self.review(self.buyer, self.seller, stars=5)
    self.review(self.seller, self.buyer, stars=4)
    with self.review_clock(days=15):
      self.assertEqual(publish_closed_review_windows(), 0)
    self.assertEqual(self.rating_columns(self.seller), (1, 5))
    self.assertEqual(self.rating_columns(self.buyer), (1, 4))

  def test_a_failed_run_changes_nothing_and_its_retry_publishes_once(self):
    self.make_sale()
    self.review(self.buyer, self.seller, stars=3)
    with self.review_clock(days=15), patch('app.reviews.ReviewHelpers.notify', FailOnce()):
      with self.assertRaises(RuntimeError):
        publish_closed_review_windows()
      self.assertIsNone(self.window_row().published_at)
      self.assertEqual(self.rating_columns(self.seller), (0, 0))
      self.assertEqual(publish_closed_review_windows(), 1)
      self.assertEqual(publish_closed_review_windows(), 0)
    self.assertEqual(self.rating_columns(self.seller), (1, 3))


class ReminderJobTest(ReviewTestCase):
  def test_one_reminder_on_day_seven_to_whoever_has_not_reviewed(self):
    self.make_sale()
    self.review(self.buyer, self.seller, stars=5)
    with self.review_clock(days=6, hours=23):
      self.assertEqual(remind_reviews(), 0)
    with self.review_clock(days=7, minutes=1):
      self.assertEqual(remind_reviews(), 1)
      self.assertEqual(remind_reviews(), 0)
    with self.review_clock(days=8):
      self.assertEqual(remind_reviews(), 0)
    with self.review_clock(days=13):
      self.assertEqual(remind_reviews(), 0)
    self.assertEqual(self.kinds_of(self.seller.id).count('review_reminder'), 1)
    self.assertEqual(self.kinds_of(self.buyer.id).count('review_reminder'), 0)
    subjects = [subject for subject, _ in self.mails_to(self.seller.user.email)]
    self.assertEqual(subjects.count('A week left to review your sale'), 1)
    reminder = self.notifications(self.seller.client)['items'][0]
    self.assertEqual(reminder['link'], f'/posts/{self.post.id}/review')

  def test_both_are_reminded_when_neither_reviewed(self):
    self.make_sale()
    with self.review_clock(days=7, hours=1):
      self.assertEqual(remind_reviews(), 1)
    self.assertEqual(self.kinds_of(self.seller.id).count('review_reminder'), 1)
    self.assertEqual(self.kinds_of(self.buyer.id).count('review_reminder'), 1)

  def test_no_reminder_once_published_or_closed(self):
    self.make_sale()
    self.review(self.buyer, self.seller, stars=5)
    self.review(self.seller, self.buyer, stars=5)
    with self.review_clock(days=7, hours=1):
      self.assertEqual(remind_reviews(), 0)
    self.assertEqual(self.kinds_of(self.seller.id).count('review_reminder'), 0)

  def test_a_failed_reminder_run_is_retried_once(self):
    self.make_sale()
    with self.review_clock(days=7, hours=1), patch('app.reviews.ReviewHelpers.notify', FailOnce()):
      with self.assertRaises(RuntimeError):
        remind_reviews()
      self.assertIsNone(self.window_row().reminded_at)
      self.assertEqual(remind_reviews(), 1)
      self.assertEqual(remind_reviews(), 0)
    self.assertEqual(self.kinds_of(self.buyer.id).count('review_reminder'), 1)
