"""One place that imports every area's jobs, so the periodic ones are registered (CommonJobs)
and a worker can import any job by name."""


def import_all_jobs():
  """Import the Jobs modules of every area."""
  from app.notifications import NotificationJobs  # noqa: F401
  from app.posts import PostExpiryJobs, PostHoldJobs, PostJobs  # noqa: F401
  from app.search import SavedSearchJobs  # noqa: F401
  from app.users import UserJobs  # noqa: F401
