"""Demo data of issue 24 (docs/HANDOVER.md): holds on the seeded accepted dibs of pending
posts, a proposed meet-up on the first, and the expiry of the seeded posts. Idempotent."""

from datetime import timedelta

from sqlalchemy import select

from app.common.CommonHelpers import as_utc, utc_now
from app.extensions import db
from app.posts.PostConstants import DIB_ACCEPTED, STATUS_PENDING
from app.posts.PostHoldConstants import MEETUP_PROPOSED
from app.posts.PostHoldModels import Hold, Meetup
from app.posts.PostHoldState import start_hold
from app.posts.PostModels import Dib, Post

# The demo keeps every seeded post listed, but for this many per seller: the oldest ones, to
# show "Expired" in My posts.
EXPIRED_PER_SELLER = 1
SEEDED_LISTING_DAYS = 60


def seed_handover(users):
  """Holds for the accepted dibs of pending demo posts without one (the first with a meet-up
  proposed for tomorrow), and expired posts for the demo; return a line for the CLI."""
  now = utc_now()
  seller_ids = [user.id for user in users]
  accepted = db.session.execute(
    select(Dib, Post)
    .join(Post, Post.id == Dib.post_id)
    .outerjoin(Hold, Hold.dib_id == Dib.id)
    .where(
      Post.seller_id.in_(seller_ids),
      Post.status == STATUS_PENDING,
      Dib.status == DIB_ACCEPTED,
      Hold.id.is_(None),
    )
    .order_by(Post.id)
  ).all()
  for index, (dib, post) in enumerate(accepted):
    hold = start_hold(post, dib)
    if index == 0:
      db.session.flush()
      meet_at = (now + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
      db.session.add(
        Meetup(
          hold_id=hold.id,
          proposer_id=dib.user_id,
          meet_at=meet_at,
          place='Main library steps',
          status=MEETUP_PROPOSED,
          created_at=now,
        )
      )
  expired = seed_expiry(seller_ids, now)
  db.session.commit()
  return f'handover: {len(accepted)} holds added, {expired} posts expired'


def seed_expiry(seller_ids, now):
  """Seeded posts are listed for a while (their ages reach back two months); the oldest
  post of each seller is expired instead. Returns how many were expired now."""
  expired = 0
  for seller_id in seller_ids:
    posts = (
      db.session.execute(
        select(Post).where(Post.seller_id == seller_id).order_by(Post.created_at, Post.id)
      )
      .scalars()
      .all()
    )
    for index, post in enumerate(posts):
      if index < EXPIRED_PER_SELLER and len(posts) > 1:
        if post.expired_at is None:
          post.expired_at = now
          expired += 1
      elif as_utc(post.expires_at) < now + timedelta(days=1):
        post.expires_at = now + timedelta(days=SEEDED_LISTING_DAYS)
  return expired
