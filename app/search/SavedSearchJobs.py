"""Jobs of saved searches: matching one new or edited post (queued after its commit), and the
periodic daily digest. Both are idempotent: a match is a row unique per saved search and post,
a digest a row unique per user and local day, each written in the transaction that notifies."""

from app.common.CommonJobs import enqueue, periodic_job
from app.extensions import db
from app.search.SavedSearchHelpers import (
  digest_due,
  match_post,
  saved_search_now,
  send_digest,
  users_with_pending_daily_matches,
)


def queue_saved_search_matching(post):
  """After a post is made or edited (and committed): alert the saved searches it matches."""
  enqueue(match_saved_searches, post.id)


def match_saved_searches(post_id):
  """Alert the saved searches a post now matches (each once)."""
  try:
    return match_post(post_id)
  except Exception:
    db.session.rollback()
    raise


@periodic_job
def send_saved_search_digests():
  """Once a day, from DIGEST_HOUR in the campus's time zone: each user's new daily matches."""
  now = saved_search_now()
  local_date = digest_due(now)
  if local_date is None:
    return 0
  sent = 0
  for user_id in users_with_pending_daily_matches():
    try:
      sent += send_digest(user_id, local_date, now)
    except Exception:
      db.session.rollback()
      raise
  return sent
