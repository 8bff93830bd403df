"""Reviews under concurrent requests, raced from threads behind a barrier: the same user's two
tabs reviewing at once (one wins, the other is a 409), and buyer and seller reviewing at the
same moment (both published, neither lost), and two closing jobs at once.

PostgreSQL only, like tests/posts/test_HoldConcurrency.py: SQLite serializes writers.
"""

from app.extensions import db
from app.reviews.ReviewJobs import publish_closed_review_windows
from tests.base import is_postgresql
from tests.RaceHelpers import race_in_threads
from tests.reviews.ReviewTestCase import ReviewTestCase

SKIP_REASON = (
  'Concurrency of reviews is proven on PostgreSQL only: SQLite serializes writers, so threads '
  'cannot race there. Run with TEST_DATABASE_URL=postgresql://... to include it.'
)
ROUNDS = 3


class ReviewConcurrencyTest(ReviewTestCase):
  def setUp(self):
    super().setUp()
    if not is_postgresql():
      print(f'\nSKIPPED {self.id()}: {SKIP_REASON}')
      self.skipTest(SKIP_REASON)

  def sender(self, side, reviewee, stars):
    """A review request ready to fire (its CSRF token fetched beforehand)."""
    token = self.csrf_token(side.client)
    path = f'/api/users/{reviewee.user.username}/reviews'
    body = {'post_id': self.post.id, 'stars': stars}
    return lambda: side.client.post(path, json=body, headers={'X-CSRFToken': token})

  def test_two_simultaneous_reviews_of_one_user_one_wins(self):
    for _ in range(ROUNDS):
      self.make_sale()
      first, second = race_in_threads(
        [self.sender(self.buyer, self.seller, 5), self.sender(self.buyer, self.seller, 1)]
      )
      self.assertEqual(sorted([first.status_code, second.status_code]), [201, 409])
      loser = first if first.status_code == 409 else second
      self.assertEqual(loser.get_json()['error']['code'], 'conflict')
      rows = [row for row in self.review_rows() if row.reviewer_id == self.buyer.id]
      self.assertEqual(len(rows), 1)

  def test_buyer_and_seller_at_once_are_both_published(self):
    for _ in range(ROUNDS):
      self.make_sale()
      answers = race_in_threads(
        [self.sender(self.buyer, self.seller, 4), self.sender(self.seller, self.buyer, 5)]
      )
      self.assertEqual([answer.status_code for answer in answers], [201, 201])
      self.assertIsNotNone(self.window_row().published_at)
      self.assertEqual(self.rating_columns(self.buyer)[0], 1)

  def test_two_closing_jobs_at_once_publish_once(self):
    self.make_sale()
    self.review(self.buyer, self.seller, stars=3)

    def job():
      with self.app.app_context():
        try:
          return publish_closed_review_windows()
        finally:
          db.session.remove()

    # One patch around both threads: patching inside each could restore them out of order.
    with self.review_clock(days=15):
      self.assertEqual(sorted(race_in_threads([job, job])), [0, 1])
    self.assertEqual(self.rating_columns(self.seller), (1, 3))
