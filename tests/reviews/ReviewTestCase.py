"""What the tests of reviews share: a sale between a seller and a buyer (each with a logged-in
client), writing a review through the API, and a moved clock."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.reviews.ReviewModels import Review, ReviewWindow
from app.users.UserModels import User
from tests.posts.HoldTestCase import HoldTestCase


class ReviewTestCase(HoldTestCase):
  """HoldTestCase plus sales, reviews and the reviews' clock."""

  def make_sale(self, buyers=1):
    """A post sold to the first of `buyers`: self.seller, self.buyer (Sides), self.post."""
    self.make_queue(buyers=buyers)
    self.buyer = self.buyers[0]
    response = self.api('post', f'/api/posts/{self.post.id}/sold', client=self.seller.client)
    self.assertEqual(response.status_code, 200, response.get_json())
    return self.post

  def review(self, side, reviewee, post_id=None, status=201, **body):
    """`side` reviews `reviewee` (a Side or a username) for the sale of `post_id`."""
    username = reviewee if isinstance(reviewee, str) else reviewee.user.username
    payload = {'post_id': post_id or self.post.id, 'stars': 5, **body}
    response = self.api('post', f'/api/users/{username}/reviews', json=payload, client=side.client)
    self.assertEqual(response.status_code, status, response.get_json())
    return response.get_json()

  def window(self, side, post_id=None, status=200):
    response = side.client.get(f'/api/posts/{post_id or self.post.id}/review-window')
    self.assertEqual(response.status_code, status, response.get_json())
    return response.get_json().get('window')

  def public_reviews(self, username, **args):
    response = self.new_client().get(f'/api/users/{username}/reviews', query_string=args)
    self.assertEqual(response.status_code, 200, response.get_json())
    return response.get_json()

  @contextmanager
  def review_clock(self, **moved):
    """Every rule of reviews reads a clock moved by `moved` (timedelta arguments)."""
    moment = utc_now() + timedelta(**moved)
    with patch('app.reviews.ReviewHelpers.utc_now', return_value=moment):
      yield moment

  def window_row(self, post_id=None):
    db.session.expire_all()
    return db.session.execute(
      db.select(ReviewWindow).where(ReviewWindow.post_id == (post_id or self.post.id))
    ).scalar_one()

  def review_rows(self):
    db.session.expire_all()
    return db.session.execute(db.select(Review).order_by(Review.id)).scalars().all()

  def rating_columns(self, side):
    db.session.expire_all()
    user = db.session.get(User, side.id)
    return user.review_count, user.review_stars_total
