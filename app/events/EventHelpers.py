"""Publishing events: areas queue them during a transaction; they leave after its commit.

`publish_user_event` is the one function that publishes. Areas call `queue_user_event`
while they change rows; it hands the publishing to `CommonTransaction.after_commit`, so the
event leaves after the commit and a rollback drops it: no stream ever hears of a change that
did not happen.

Notifications: `NotificationHelpers.notify` queues the new notification's JSON as a
`notification` event beside its insert.
"""

import logging

import orjson
from flask import current_app

from app.common.CommonRedis import get_redis
from app.common.CommonTransaction import after_commit
from app.events.EventBroker import LocalBroker, RedisBroker
from app.events.EventConstants import BROKER_EXTENSION_KEY, EVENT_TYPES

logger = logging.getLogger(__name__)


def get_broker():
  """This app's broker: through Redis when REDIS_URL is set, else within this process where
  the config allows it (local and testing: one process serves the streams and the requests);
  None otherwise: without Redis, a separate stream process would hear nothing."""
  extensions = current_app.extensions
  if BROKER_EXTENSION_KEY not in extensions:
    client = get_redis()
    if client is None:
      in_process = current_app.config.get('EVENTS_IN_PROCESS_BROKER', False)
      extensions[BROKER_EXTENSION_KEY] = LocalBroker() if in_process else None
    else:
      extensions[BROKER_EXTENSION_KEY] = RedisBroker(
        client,
        current_app.config['REDIS_URL'],
        exit_flush_seconds=current_app.config['EVENTS_EXIT_FLUSH_SECONDS'],
      )
  return extensions[BROKER_EXTENSION_KEY]


def publish_user_event(user_id, event_type, payload):
  """Send one event to every stream of the user now; returns its id (None if it was lost)."""
  if event_type not in EVENT_TYPES:
    raise ValueError(f'Unknown event type {event_type!r}.')
  data = orjson.dumps(payload).decode()
  try:
    broker = get_broker()
    return None if broker is None else broker.publish(int(user_id), event_type, data)
  except Exception:
    # The change is committed whatever happens here; a lost event must not fail the request.
    logger.exception('Events: publishing a %s event failed.', event_type)
    return None


def queue_user_event(user_id, event_type, payload):
  """Publish this event after the current transaction commits (never if it rolls back)."""
  if event_type not in EVENT_TYPES:
    raise ValueError(f'Unknown event type {event_type!r}.')
  after_commit(publish_user_event, user_id, event_type, payload)
