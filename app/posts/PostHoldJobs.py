"""Periodic jobs of holds: the lapse of overdue holds and the meet-up reminders.

Both are idempotent: what they do is claimed under a lock or by a conditional UPDATE in the
transaction that notifies, so a retried or doubled run (two workers) acts once per hold and
per reminder. `manage.py periodic` enqueues them; run it every minute or so (cron).
"""

from datetime import timedelta

from app.common.CommonJobs import count_done, periodic_job, rolled_back_on_failure
from app.posts.PostHoldConstants import REMINDER_DAY_SECONDS, REMINDER_HOUR_SECONDS
from app.posts.PostHoldHelpers import due_reminders, lapse_hold, overdue_hold_ids, send_reminder
from app.posts.PostHoldModels import Meetup
from app.posts.PostHoldState import hold_now


@periodic_job
def lapse_overdue_holds():
  """Lapse every active hold past its deadline: the buyer is told, the next buyer in the
  queue is told it is their turn, the seller is asked to accept them."""
  now = hold_now()
  return count_done(lapse_hold, overdue_hold_ids(now), now)


@periodic_job
def remind_meetups():
  """Remind both sides of a confirmed meet-up a day before and an hour before; each reminder
  once (a reminder already due when the meet-up was confirmed is not sent)."""
  now = hold_now()
  hour = timedelta(seconds=REMINDER_HOUR_SECONDS)
  day = timedelta(seconds=REMINDER_DAY_SECONDS)
  sent = 0
  # A run late past the hour mark skips the day reminder: the hour one says it all.
  for meetup_id in due_reminders(Meetup.reminded_day_at, now + hour, now + day):
    sent += rolled_back_on_failure(send_reminder, meetup_id, 'reminded_day_at', now)
  for meetup_id in due_reminders(Meetup.reminded_hour_at, now, now + hour):
    sent += rolled_back_on_failure(send_reminder, meetup_id, 'reminded_hour_at', now)
  return sent
