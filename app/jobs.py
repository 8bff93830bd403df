"""One place that imports every area's jobs, so the periodic ones are registered (CommonJobs)
and a worker can import any job by name."""

from app.chat import ChatJobs
from app.idempotency import IdempotencyJobs
from app.notifications import NotificationJobs
from app.posts import PostExpiryJobs, PostHoldJobs, PostJobs
from app.reviews import ReviewJobs
from app.search import SavedSearchJobs
from app.users import UserJobs

JOB_MODULES = (
  ChatJobs,
  IdempotencyJobs,
  NotificationJobs,
  PostExpiryJobs,
  PostHoldJobs,
  PostJobs,
  ReviewJobs,
  SavedSearchJobs,
  UserJobs,
)


def import_all_jobs():
  """The Jobs modules of every area (importing this module registered their periodic jobs)."""
  return JOB_MODULES
