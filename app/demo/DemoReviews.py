"""Demo data of reviews: the first demo sales reviewed by both sides and published (so
profiles and post cards show ratings), and two recent sales still open for review. Each sale
is seeded once (a post with a window is skipped), so a second run changes nothing."""

from datetime import timedelta

from sqlalchemy import select, update

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostConstants import DIB_ACCEPTED, STATUS_SOLD
from app.posts.PostModels import Dib, Post
from app.reviews.ReviewConstants import (
  REVIEW_WINDOW_DAYS,
  ROLE_BUYER,
  ROLE_SELLER,
  TAG_AS_DESCRIBED,
  TAG_EASY_TO_DEAL_WITH,
  TAG_FRIENDLY,
  TAG_ON_TIME,
)
from app.reviews.ReviewModels import Review, ReviewWindow
from app.users.UserModels import User

PUBLISHED_SALES = 10
OPEN_SALES = 2
# (stars, text, tags) the demo reviews cycle through.
DEMO_REVIEWS = (
  (5, 'Exactly as described, and right on time.', [TAG_AS_DESCRIBED, TAG_ON_TIME]),
  (4, 'Friendly and quick to answer.', [TAG_FRIENDLY]),
  (5, '', [TAG_EASY_TO_DEAL_WITH]),
  (3, 'A little late, but it all worked out.', []),
  (4, 'Easy handover at the library.', [TAG_EASY_TO_DEAL_WITH, TAG_FRIENDLY]),
)


def demo_sales(limit):
  """(post, buyer_id) of sold demo posts without a review window, oldest first."""
  reviewed = select(ReviewWindow.post_id)
  rows = db.session.execute(
    select(Post, Dib.user_id)
    .join(Dib, Dib.post_id == Post.id)
    .where(
      Post.status == STATUS_SOLD,
      Dib.status == DIB_ACCEPTED,
      Post.id.not_in(reviewed),
    )
    .order_by(Post.id)
    .limit(limit)
  )
  return rows.all()


def add_review(window, reviewer_id, reviewee_id, role, number, published_at):
  """One demo review, counted in its reviewee's rating."""
  stars, text, tags = DEMO_REVIEWS[number % len(DEMO_REVIEWS)]
  db.session.add(
    Review(
      window_id=window.id,
      reviewer_id=reviewer_id,
      reviewee_id=reviewee_id,
      role=role,
      stars=stars,
      text=text,
      tags=tags,
      created_at=published_at,
      published_at=published_at,
    )
  )
  db.session.execute(
    update(User)
    .where(User.id == reviewee_id)
    .values(
      review_count=User.review_count + 1,
      review_stars_total=User.review_stars_total + stars,
    )
  )


def seed_reviews(users):
  """Reviewed and open demo sales; a line for the CLI."""
  if not users:
    return 'reviews: nothing to do'
  already = db.session.execute(select(ReviewWindow.id).limit(1)).first() is not None
  if already:
    return 'reviews: already seeded'
  now = utc_now()
  sales = demo_sales(PUBLISHED_SALES + OPEN_SALES)
  # The newest sales stay open for review, but the first one is always reviewed.
  published_count = max(1, len(sales) - OPEN_SALES)
  for number, (post, buyer_id) in enumerate(sales):
    published = number < published_count
    opened_at = now - timedelta(days=20 if published else 2)
    window = ReviewWindow(
      post_id=post.id,
      buyer_id=buyer_id,
      seller_id=post.seller_id,
      opened_at=opened_at,
      closes_at=opened_at + timedelta(days=REVIEW_WINDOW_DAYS),
      published_at=opened_at + timedelta(days=3) if published else None,
      reminded_at=None,
    )
    db.session.add(window)
    db.session.flush()
    if published:
      add_review(window, buyer_id, post.seller_id, ROLE_BUYER, number, window.published_at)
      add_review(window, post.seller_id, buyer_id, ROLE_SELLER, number + 2, window.published_at)
  db.session.commit()
  published_count = min(len(sales), published_count)
  return (
    f'reviews: {published_count} sales reviewed by both sides, '
    f'{len(sales) - published_count} open for review'
  )
