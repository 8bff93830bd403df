"""Liveness and readiness probes for load balancers and deploys."""

from app.api import api_blueprint
from app.common.CommonFront import light_answer
from app.common.CommonHealth import (
  database_status,
  migration_status,
  redis_status,
  release_name,
)
from app.common.CommonResponses import json_response
from app.users.UserHelpers import public_endpoint

LIVENESS_ANSWER = {'status': 'ok'}


@api_blueprint.get('/health')
@public_endpoint
@light_answer(LIVENESS_ANSWER)
def health():
  """Liveness: the process answers; the database is not touched (the light front answers it
  without Flask; this view is the same answer for a HEAD or a query string)."""
  return json_response(LIVENESS_ANSWER)


@api_blueprint.get('/health/ready')
@public_endpoint
def health_ready():
  """Readiness: the database answers and its schema is at the newest migration. Redis is
  reported but never fails readiness: one Redis outage must not take every app server out of
  the load balancer."""
  database = database_status()
  migrations = migration_status() if database == 'ok' else 'unknown'
  ready = database == 'ok' and migrations == 'head'
  payload = {
    'status': 'ok' if ready else 'unavailable',
    'database': database,
    'migrations': migrations,
    'redis': redis_status(),
  }
  response = json_response(payload, 200 if ready else 503)
  # Tells a deploy (and an operator) which release answered, when several are around.
  if release_name():
    response.headers['X-Dibz-Release'] = release_name()
  return response
