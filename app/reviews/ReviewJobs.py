"""Periodic jobs of reviews: publishing the windows whose 14 days are over, and the one
reminder on day 7.

Both are idempotent: a window is closed under its row lock and a reminder claimed by a
conditional UPDATE, each in the transaction that notifies, so a retried or doubled run (two
workers) acts once per window. `manage.py periodic` enqueues them.
"""

from app.common.CommonJobs import count_done, periodic_job
from app.reviews.ReviewHelpers import (
  close_window,
  due_reminder_ids,
  due_window_ids,
  review_now,
  send_reminder,
)


@periodic_job
def publish_closed_review_windows():
  """Publish the reviews of every window whose 14 days are over (one side or none wrote)."""
  now = review_now()
  return count_done(close_window, due_window_ids(now), now)


@periodic_job
def remind_reviews():
  """Remind, once, on day 7, whoever has not reviewed their sale yet."""
  now = review_now()
  return count_done(send_reminder, due_reminder_ids(now), now)
