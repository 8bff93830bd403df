"""Periodic jobs of expiry: the seller's reminder before a post expires, and the expiry.

Both claim each post with a conditional UPDATE in the transaction that notifies, so a doubled
or retried run acts once per post (docs/HANDOVER.md).
"""

from app.common.CommonJobs import count_done, periodic_job
from app.posts.PostExpiryHelpers import (
  due_post_ids,
  expire_post,
  expiring_post_ids,
  expiry_now,
  remind_expiring_post,
)


@periodic_job
def expire_posts():
  """Take the posts whose time is up out of browse and search; tell their sellers."""
  now = expiry_now()
  return count_done(expire_post, due_post_ids(now), now)


@periodic_job
def remind_expiring_posts():
  """Remind sellers, once per listing, that a post expires within EXPIRY_REMINDER_DAYS."""
  now = expiry_now()
  return count_done(remind_expiring_post, expiring_post_ids(now), now)
