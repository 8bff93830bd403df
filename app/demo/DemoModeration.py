"""Demo data of trust and safety: a few open reports and one suspended account, so a local
moderator (the demo admin) has a queue to work on. Idempotent."""

from datetime import timedelta

from sqlalchemy import func, select

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.moderation.ModerationConstants import (
  REASON_COUNTERFEIT,
  REASON_HARASSMENT,
  REASON_SCAM,
  TARGET_POST,
  TARGET_USER,
)
from app.moderation.ModerationHelpers import post_snapshot
from app.moderation.ModerationModels import Report
from app.posts.PostModels import Post

SUSPENDED_USERNAME = 'hiro'
SUSPENSION_REASON = 'Demo: asked buyers to pay before meeting.'


def seed_moderation(users):
  """Open reports by alice, bob and carmen, and hiro suspended for 7 days; a line for the CLI."""
  by_name = {user.username: user for user in users}
  if db.session.execute(select(func.count()).select_from(Report)).scalar_one():
    return 'moderation: already seeded'
  reporters = [by_name[name] for name in ('alice', 'bob', 'carmen') if name in by_name]
  target = by_name.get('dev')
  if not reporters or target is None:
    return 'moderation: nothing to do'
  post = db.session.execute(
    select(Post).where(Post.seller_id == target.id).order_by(Post.id).limit(1)
  ).scalar_one_or_none()
  reasons = (REASON_SCAM, REASON_COUNTERFEIT)
  # Two reporters: below the automatic hide, so the post stays listed and queued.
  for reporter, reason in zip(reporters[:2], reasons, strict=False):
    if post is not None:
      db.session.add(
        Report(
          reporter_id=reporter.id,
          target_type=TARGET_POST,
          target_id=post.id,
          target_user_id=target.id,
          reason=reason,
          note='Demo report: the price is too good to be true.',
          snapshot=post_snapshot(post),
        )
      )
  db.session.add(
    Report(
      reporter_id=reporters[-1].id,
      target_type=TARGET_USER,
      target_id=target.id,
      target_user_id=target.id,
      reason=REASON_HARASSMENT,
      note='Demo report: rude messages after I declined.',
      snapshot={'username': target.username, 'display_name': target.display_name, 'bio': ''},
    )
  )
  suspended = by_name.get(SUSPENDED_USERNAME)
  if suspended is not None:
    suspended.suspended_at = utc_now()
    suspended.suspended_until = utc_now() + timedelta(days=7)
    suspended.suspension_reason = SUSPENSION_REASON
  db.session.commit()
  return f'moderation: 3 open reports, {SUSPENDED_USERNAME} suspended for 7 days'
