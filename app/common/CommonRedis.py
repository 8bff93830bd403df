"""The app's one Redis client: shared state for limits, jobs and events, and a soft dependency.

Every call has a short connect and read timeout, so a Redis that is down or hung costs a
request at most a fraction of a second; callers decide what to do without it.
"""

import redis
from flask import current_app
from redis.backoff import NoBackoff
from redis.retry import Retry

REDIS_TIMEOUT_SECONDS = 0.2
REDIS_EXTENSION_KEY = 'dibz_redis'


def redis_client_for(url):
  """A client for `url` whose connects and reads give up after REDIS_TIMEOUT_SECONDS, once:
  redis-py's default retries back off for seconds, which a request must never wait for."""
  return redis.Redis.from_url(
    url,
    socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    socket_timeout=REDIS_TIMEOUT_SECONDS,
    health_check_interval=30,
    retry=Retry(NoBackoff(), 0),
  )


def get_redis():
  """The current app's Redis client, or None when REDIS_URL is not set."""
  if REDIS_EXTENSION_KEY not in current_app.extensions:
    url = current_app.config.get('REDIS_URL')
    current_app.extensions[REDIS_EXTENSION_KEY] = redis_client_for(url) if url else None
  return current_app.extensions[REDIS_EXTENSION_KEY]
