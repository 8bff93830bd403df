"""The rules of reviews (docs/REVIEWS.md): a sale opens a 14-day window in which its buyer and
seller may each review the other once; reviews stay hidden until both wrote or the window
closed (double-blind), then count in the reviewee's rating.

Every change locks the window's row first and reads it afresh, so two reviews of one sale, a
review and the closing job, or two job runs queue up and each sees what the one before left.
Each operation commits once, at its end. The clock is `review_now` (tests patch
`app.reviews.ReviewHelpers.utc_now`).
"""

from datetime import timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import as_utc, get_or_404, utc_now
from app.extensions import db
from app.notifications.NotificationConstants import (
  KIND_REVIEW_INVITE,
  KIND_REVIEW_PUBLISHED,
  KIND_REVIEW_RECEIVED,
  KIND_REVIEW_REMINDER,
)
from app.notifications.NotificationHelpers import notify
from app.posts.PostHelpers import on_post_sold
from app.posts.PostModels import Post
from app.reviews.ReviewConstants import (
  REVIEW_REMINDER_DAYS,
  REVIEW_WINDOW_DAYS,
  ROLE_BUYER,
  ROLE_SELLER,
)
from app.reviews.ReviewModels import Review, ReviewWindow
from app.users.UserHelpers import get_user_by_username
from app.users.UserModels import User

DUPLICATE_REVIEW_MESSAGE = 'You already reviewed this sale: a review cannot be changed.'
NO_SALE_MESSAGE = 'You can only review the buyer or seller of a sale you took part in.'
NOT_YOURS = 'This post has no sale of yours to review.'


def review_now():
  """The time every rule of reviews reads."""
  return utc_now()


# --- Opening a window ------------------------------------------------------------------------


@on_post_sold
def open_review_window(post, buyer_id):
  """In the sale's transaction: open the window and invite both sides to review."""
  now = review_now()
  window = ReviewWindow(
    post_id=post.id,
    buyer_id=buyer_id,
    seller_id=post.seller_id,
    opened_at=now,
    closes_at=now + timedelta(days=REVIEW_WINDOW_DAYS),
  )
  db.session.add(window)
  db.session.flush()
  usernames = usernames_by_id((buyer_id, post.seller_id))
  for user_id, other_id in ((buyer_id, post.seller_id), (post.seller_id, buyer_id)):
    notify(user_id, KIND_REVIEW_INVITE, window_payload(window, post, usernames[other_id]))
  return window


def usernames_by_id(user_ids):
  """{user_id: username} in one query."""
  rows = db.session.execute(select(User.id, User.username).where(User.id.in_(set(user_ids))))
  return dict(rows.all())


def window_payload(window, post, actor_username):
  """What a notification about the window names (`actor`: the other side)."""
  return {
    'post_id': post.id,
    'post_title': post.title,
    'actor': actor_username,
    'window_id': window.id,
  }


# --- Reading ---------------------------------------------------------------------------------


def is_party(window, user_id):
  """Whether the user is the window's buyer or seller."""
  return user_id in (window.buyer_id, window.seller_id)


def other_side_id(window, user_id):
  """The id of the window's other party."""
  return window.seller_id if user_id == window.buyer_id else window.buyer_id


def is_closed(window, now):
  """Whether no review may be written any more: published, or the 14 days are over."""
  return window.published_at is not None or as_utc(window.closes_at) <= now


def get_my_window(post_id, user):
  """The review window of the post's sale, for its buyer or seller; 404 for anyone else and
  when the post was not sold."""
  get_or_404(Post, id=post_id)
  window = db.session.execute(
    select(ReviewWindow).where(ReviewWindow.post_id == post_id)
  ).scalar_one_or_none()
  if window is None or not is_party(window, user.id):
    raise ApiError(404, message=NOT_YOURS)
  return window


def window_reviews(window_id):
  """{reviewer_id: Review} of a window (at most two)."""
  reviews = db.session.execute(select(Review).where(Review.window_id == window_id)).scalars()
  return {review.reviewer_id: review for review in reviews}


def published_reviews_statement(user):
  """The published reviews of a user, newest first."""
  return (
    select(Review)
    .where(Review.reviewee_id == user.id, Review.published_at.is_not(None))
    .order_by(Review.published_at.desc(), Review.id.desc())
  )


def my_windows_statement(user):
  """My review windows as buyer or seller, newest first."""
  return (
    select(ReviewWindow)
    .where(or_(ReviewWindow.buyer_id == user.id, ReviewWindow.seller_id == user.id))
    .order_by(ReviewWindow.id.desc())
  )


# --- Writing a review ------------------------------------------------------------------------


def require_may_review(reviewer, reviewee):
  """403 for a suspended reviewer, 422 for oneself."""
  if reviewer.is_suspended():
    raise ApiError(403, message='A suspended account cannot write reviews.')
  if reviewer.id == reviewee.id:
    raise ApiError(422, message='You cannot review yourself.', fields={'username': ['Is you.']})


def lock_window_of_sale(post_id, reviewer, reviewee):
  """The window of the post's sale between these two (row locked, read afresh); 403 when
  there is no such sale."""
  window = db.session.execute(
    select(ReviewWindow)
    .where(ReviewWindow.post_id == post_id)
    .with_for_update()
    .execution_options(populate_existing=True)
  ).scalar_one_or_none()
  pair = {reviewer.id, reviewee.id}
  if window is None or pair != {window.buyer_id, window.seller_id}:
    raise ApiError(403, message=NO_SALE_MESSAGE)
  return window


def commit_or_conflict():
  """Commit; the unique index refusing a second review (a racing request won) is a 409."""
  try:
    db.session.commit()
  except IntegrityError:
    db.session.rollback()
    raise ApiError(409, message=DUPLICATE_REVIEW_MESSAGE) from None


def submit_review(reviewer, reviewee_username, post_id, stars, text, tags):
  """`reviewer` reviews `reviewee_username` for the sale of `post_id`: once, within the
  window. When the other side has reviewed too, both reviews are published at once; else the
  reviewee is told they were reviewed (not what was said)."""
  reviewee = get_user_by_username(reviewee_username)
  require_may_review(reviewer, reviewee)
  window = lock_window_of_sale(post_id, reviewer, reviewee)
  reviews = window_reviews(window.id)
  if reviewer.id in reviews:
    raise ApiError(409, message=DUPLICATE_REVIEW_MESSAGE)
  now = review_now()
  if is_closed(window, now):
    closed_on = as_utc(window.closes_at).strftime('%Y-%m-%d')
    raise ApiError(409, message=f'The 14 days to review this sale ended on {closed_on}.')
  review = Review(
    window_id=window.id,
    reviewer_id=reviewer.id,
    reviewee_id=reviewee.id,
    role=ROLE_BUYER if reviewer.id == window.buyer_id else ROLE_SELLER,
    stars=stars,
    text=text or '',
    tags=tags or [],
    created_at=now,
  )
  db.session.add(review)
  try:
    db.session.flush()
  except IntegrityError:
    db.session.rollback()
    raise ApiError(409, message=DUPLICATE_REVIEW_MESSAGE) from None
  post = db.session.get(Post, window.post_id)
  if reviewee.id in reviews:
    publish_window(window, now)
  else:
    notify(reviewee.id, KIND_REVIEW_RECEIVED, window_payload(window, post, reviewer.username))
  commit_or_conflict()
  return review


# --- Publishing ------------------------------------------------------------------------------


def publish_window(window, now):
  """Publish the window's reviews (in the caller's transaction, under its lock): each counts
  in its reviewee's rating, and each reviewee is told."""
  window.published_at = now
  reviews = [review for review in window_reviews(window.id).values() if review.published_at is None]
  if not reviews:
    return 0
  post = db.session.get(Post, window.post_id)
  usernames = usernames_by_id((window.buyer_id, window.seller_id))
  for review in reviews:
    review.published_at = now
    # One UPDATE adding to the totals: no read-modify-write a concurrent one could undo.
    db.session.execute(
      update(User)
      .where(User.id == review.reviewee_id)
      .values(
        review_count=User.review_count + 1,
        review_stars_total=User.review_stars_total + review.stars,
      )
      .execution_options(synchronize_session=False)
    )
    notify(
      review.reviewee_id,
      KIND_REVIEW_PUBLISHED,
      {**window_payload(window, post, usernames[review.reviewer_id]), 'review_id': review.id},
    )
  return len(reviews)


def due_window_ids(now):
  """Ids of unpublished windows whose 14 days are over, oldest first."""
  return (
    db.session.execute(
      select(ReviewWindow.id)
      .where(ReviewWindow.published_at.is_(None), ReviewWindow.closes_at <= now)
      .order_by(ReviewWindow.closes_at, ReviewWindow.id)
    )
    .scalars()
    .all()
  )


def close_window(window_id, now):
  """Publish a closed window's reviews, if it is still unpublished under its lock; returns
  whether this call closed it (False: a review or another run got there first)."""
  window = db.session.execute(
    select(ReviewWindow)
    .where(ReviewWindow.id == window_id)
    .with_for_update()
    .execution_options(populate_existing=True)
  ).scalar_one()
  if window.published_at is not None or as_utc(window.closes_at) > now:
    db.session.rollback()
    return False
  publish_window(window, now)
  db.session.commit()
  return True


# --- The day-7 reminder ----------------------------------------------------------------------


def due_reminder_ids(now):
  """Ids of open windows a week old or more whose reminder is not claimed yet."""
  return (
    db.session.execute(
      select(ReviewWindow.id)
      .where(
        ReviewWindow.reminded_at.is_(None),
        ReviewWindow.published_at.is_(None),
        ReviewWindow.opened_at <= now - timedelta(days=REVIEW_REMINDER_DAYS),
        ReviewWindow.closes_at > now,
      )
      .order_by(ReviewWindow.opened_at, ReviewWindow.id)
    )
    .scalars()
    .all()
  )


def send_reminder(window_id, now):
  """Claim the window's one reminder (a conditional UPDATE: one worker, one retry, wins it) and
  remind whoever has not reviewed yet, in the claim's transaction; returns whether this call
  claimed it."""
  claimed = db.session.execute(
    update(ReviewWindow)
    .where(ReviewWindow.id == window_id, ReviewWindow.reminded_at.is_(None))
    .values(reminded_at=now)
    .execution_options(synchronize_session=False)
  )
  if claimed.rowcount != 1:
    db.session.rollback()
    return False
  window = db.session.get(ReviewWindow, window_id)
  post = db.session.get(Post, window.post_id)
  reviewed = window_reviews(window.id)
  usernames = usernames_by_id((window.buyer_id, window.seller_id))
  for user_id in (window.buyer_id, window.seller_id):
    if user_id not in reviewed:
      other = usernames[other_side_id(window, user_id)]
      notify(user_id, KIND_REVIEW_REMINDER, window_payload(window, post, other))
  db.session.commit()
  return True
