"""Jobs of saved searches: matching one new or edited post (queued after its commit), and the
periodic daily digest. Both are idempotent: a match is a row unique per saved search and post,
a digest a row unique per user and local day, each written in the transaction that notifies."""

from app.campuses.CampusHelpers import timezones_by_campus
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
  """Once a day, from DIGEST_HOUR in the time zone of each user's campus (UTC without one):
  each user's new daily matches."""
  now = saved_search_now()
  zones = timezones_by_campus()
  sent = 0
  for user_id, campus_id in users_with_pending_daily_matches():
    local_date = digest_due(now, zones.get(campus_id))
    if local_date is None:
      continue
    try:
      sent += send_digest(user_id, local_date, now)
    except Exception:
      db.session.rollback()
      raise
  return sent
