"""The demo seed of reviews: published reviews on both sides of the first sales, a couple of
sales still open for review, once."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.reviews.ReviewModels import Review, ReviewWindow
from app.users.UserModels import User
from tests.base import ApiTestCase


# Slow: the demo seed draws its pictures (seconds).
@pytest.mark.slow
class ReviewSeedTest(ApiTestCase):
  def seed(self):
    result = self.app.test_cli_runner().invoke(args=['seed', '--posts', '80'])
    self.assertEqual(result.exit_code, 0, result.output)
    return result.output

  def count(self, model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()

  def test_published_reviews_and_open_windows_once(self):
    output = self.seed()
    self.assertIn('sales reviewed by both sides', output)
    reviews = self.count(Review)
    self.assertGreater(reviews, 0)
    self.assertEqual(reviews % 2, 0)
    opened = db.session.execute(
      select(func.count()).select_from(ReviewWindow).where(ReviewWindow.published_at.is_(None))
    ).scalar_one()
    self.assertGreater(opened, 0)
    reviewee_id = db.session.execute(select(Review.reviewee_id).limit(1)).scalar_one()
    user = db.session.get(User, reviewee_id)
    listed = self.client.get(f'/api/users/{user.username}/reviews').get_json()
    self.assertEqual(listed['rating']['count'], listed['total'])
    self.assertGreater(listed['total'], 0)
    self.assertIn('reviews: already seeded', self.seed())
    self.assertEqual(self.count(Review), reviews)
