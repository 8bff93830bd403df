"""Periodic jobs of reviews: publishing the windows whose 14 days are over, and the one
reminder on day 7.

Both are idempotent: a window is closed under its row lock and a reminder claimed by a
conditional UPDATE, each in the transaction that notifies, so a retried or doubled run (two
workers) acts once per window. `manage.py periodic` enqueues them.
"""

from app.common.CommonJobs import periodic_job
from app.extensions import db
from app.reviews.ReviewHelpers import (
  close_window,
  due_reminder_ids,
  due_window_ids,
  review_now,
  send_reminder,
)


def rolled_back_on_failure(step, *args):
  """Run one step; a failure rolls its transaction back before it is raised (and the job
  retried), so nothing it claimed stays claimed."""
  try:
    return step(*args)
  except Exception:
    db.session.rollback()
    raise


@periodic_job
def publish_closed_review_windows():
  """Publish the reviews of every window whose 14 days are over (one side or none wrote)."""
  now = review_now()
  return sum(
    1 for window_id in due_window_ids(now) if rolled_back_on_failure(close_window, window_id, now)
  )


@periodic_job
def remind_reviews():
  """Remind, once, on day 7, whoever has not reviewed their sale yet."""
  now = review_now()
  return sum(
    1
    for window_id in due_reminder_ids(now)
    if rolled_back_on_failure(send_reminder, window_id, now)
  )
