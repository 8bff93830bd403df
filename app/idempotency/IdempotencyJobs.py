"""Housekeeping of the idempotency area: keys past their 24 hours go away."""

from flask import current_app

from app.common.CommonJobs import periodic_job
from app.idempotency.IdempotencyHelpers import purge_expired_keys


@periodic_job
def purge_expired_idempotency_keys():
  """Delete Idempotency-Key rows older than their lifetime (and their stored answers)."""
  removed = purge_expired_keys()
  current_app.logger.info('Purged %d expired idempotency keys.', removed)
  return removed
