"""Expiry and renewal of posts (docs/HANDOVER.md): renewing, the seller's expired posts, and
the steps of the expiry and reminder jobs.

A post expires POST_EXPIRY_DAYS after it was listed; the expiry job then writes expired_at,
and that write is what takes it out of browse and search (`PostHelpers.listed_only`) and
bumps the cache of public reads. Renewing (at most once every RENEW_INTERVAL_DAYS) lists it
anew: `created_at`, the listing time every list sorts by, becomes now, so it comes back on top.
The clock is `expiry_now` (tests patch `app.posts.PostExpiryHelpers.utc_now`).
"""

from datetime import timedelta

from flask import current_app
from sqlalchemy import select, update

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import as_utc, get_or_404, utc_now
from app.extensions import db
from app.notifications.NotificationConstants import KIND_POST_EXPIRED, KIND_POST_EXPIRING
from app.notifications.NotificationHelpers import notify
from app.posts.PostConstants import (
  EXPIRING_STATUSES,
  EXPIRY_REMINDER_DAYS,
  RENEW_INTERVAL_DAYS,
  RENEWABLE_STATUSES,
)
from app.posts.PostHelpers import require_seller
from app.posts.PostModels import Post


def expiry_now():
  """The time every rule of expiry reads."""
  return utc_now()


def expiry_from(moment):
  """When a post listed at `moment` expires."""
  return moment + timedelta(days=current_app.config['POST_EXPIRY_DAYS'])


def my_expired_posts_statement(user):
  """My expired posts, the most recently expired first."""
  return (
    select(Post)
    .where(Post.seller_id == user.id, Post.expired_at.is_not(None))
    .order_by(Post.expired_at.desc(), Post.id.desc())
  )


def renew_post(post_id, user):
  """List the post anew (the seller; available or pending, expired or not): it comes back on
  top of the lists and expires POST_EXPIRY_DAYS from now. Once per RENEW_INTERVAL_DAYS."""
  post = get_or_404(Post, id=post_id, for_update=True)
  require_seller(post, user, 'Only the seller can renew this post.')
  if post.status not in RENEWABLE_STATUSES:
    raise ApiError(409, message=f'This post is {post.status}: it cannot be renewed.')
  now = expiry_now()
  renewable_from = as_utc(post.created_at) + timedelta(days=RENEW_INTERVAL_DAYS)
  if now < renewable_from:
    raise ApiError(
      409,
      message=(
        f'A post can be renewed once every {RENEW_INTERVAL_DAYS} days: this one from '
        f'{renewable_from.strftime("%Y-%m-%d %H:%M UTC")}.'
      ),
    )
  post.created_at = now
  post.renewed_at = now
  post.expires_at = expiry_from(now)
  post.expired_at = None
  post.expiry_reminded_at = None
  db.session.commit()
  return post


# --- Job steps -------------------------------------------------------------------------------


def due_post_ids(now):
  """Ids of the posts whose time is up and that the job has not expired yet."""
  return (
    db.session.execute(
      select(Post.id)
      .where(
        Post.expired_at.is_(None),
        Post.status.in_(EXPIRING_STATUSES),
        Post.expires_at <= now,
      )
      .order_by(Post.expires_at, Post.id)
    )
    .scalars()
    .all()
  )


def claim_post(post_id, conditions, values):
  """Write `values` on the post if it still meets `conditions` (a conditional UPDATE: one
  worker wins a claim); the post read afresh, or None (rolled back) when another claimed it."""
  claimed = db.session.execute(
    update(Post)
    .where(Post.id == post_id, *conditions)
    .values(**values)
    # The row is read again below; Python cannot compare SQLite's naive times with `now`.
    .execution_options(synchronize_session=False)
  )
  if claimed.rowcount != 1:
    db.session.rollback()
    return None
  return db.session.execute(
    select(Post).where(Post.id == post_id).execution_options(populate_existing=True)
  ).scalar_one()


def expire_post(post_id, now):
  """Expire one post with a conditional UPDATE (a renewal or another worker that got there
  first makes it match nothing) and tell its seller in the same transaction, unless it was
  sold; returns whether this call expired it."""
  post = claim_post(
    post_id,
    (Post.expired_at.is_(None), Post.status.in_(EXPIRING_STATUSES), Post.expires_at <= now),
    {'expired_at': now},
  )
  if post is None:
    return False
  if post.status in RENEWABLE_STATUSES:
    notify(post.seller_id, KIND_POST_EXPIRED, {'post_id': post.id, 'post_title': post.title})
  db.session.commit()
  return True


def expiring_post_ids(now):
  """Ids of renewable posts that expire within EXPIRY_REMINDER_DAYS and whose seller was not
  reminded in this listing."""
  return (
    db.session.execute(
      select(Post.id)
      .where(
        Post.expired_at.is_(None),
        Post.expiry_reminded_at.is_(None),
        Post.status.in_(RENEWABLE_STATUSES),
        Post.expires_at > now,
        Post.expires_at <= now + timedelta(days=EXPIRY_REMINDER_DAYS),
      )
      .order_by(Post.expires_at, Post.id)
    )
    .scalars()
    .all()
  )


def remind_expiring_post(post_id, now):
  """Claim the post's expiry reminder (a conditional UPDATE) and notify its seller in the
  claim's transaction; returns whether this call sent it."""
  post = claim_post(
    post_id,
    (Post.expiry_reminded_at.is_(None), Post.expired_at.is_(None)),
    {'expiry_reminded_at': now},
  )
  if post is None:
    return False
  notify(post.seller_id, KIND_POST_EXPIRING, {'post_id': post.id, 'post_title': post.title})
  db.session.commit()
  return True
