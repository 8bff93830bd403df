"""Jobs of the posts area: removing upload files whose image rows are gone."""

import time

from flask import current_app
from sqlalchemy import select, union_all

from app.common.CommonJobs import periodic_job
from app.extensions import db
from app.posts.PostModels import PostImage
from app.posts.PostStorage import get_storage

# A file younger than this may belong to an upload whose row is not committed yet.
ORPHAN_GRACE_SECONDS = 3600


def referenced_keys():
  """Every storage key an image row names (file and thumbnail)."""
  statement = union_all(select(PostImage.storage_key), select(PostImage.thumb_key))
  return set(db.session.execute(statement).scalars())


@periodic_job
def remove_orphan_uploads(grace_seconds=ORPHAN_GRACE_SECONDS):
  """Delete stored photos that no image row names (older than the grace period), from the
  configured storage (local folder or S3)."""
  storage = get_storage()
  keep = referenced_keys()
  cutoff = time.time() - grace_seconds
  removed = 0
  for key in storage.keys():
    if key in keep or storage.stored_at(key) > cutoff:
      continue
    storage.delete(key)
    removed += 1
  current_app.logger.info('Removed %d orphan upload files.', removed)
  return removed
