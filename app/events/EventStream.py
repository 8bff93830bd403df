"""One user's Server-Sent Events stream: replay after Last-Event-ID, live events, heartbeats.

The generator runs after the request has ended: it holds no database connection while it
waits, and opens a short app context only at each heartbeat, to check that the login that
opened the stream is still valid.

A user holds at most EVENTS_MAX_STREAMS_PER_USER streams, across every process where Redis
counts them: one more closes the oldest, which first sends a `replaced` event (no id, so
Last-Event-ID is unchanged) telling its client not to reconnect on its own.
"""

import queue
import random
import time

import orjson
from flask import Response
from sqlalchemy.exc import SQLAlchemyError

from app.common.CommonErrors import ApiError
from app.events.EventBroker import DISCONNECTED, REPLACED, RESYNC, is_newer
from app.events.EventConstants import (
  HEARTBEAT_SECONDS,
  MAX_STREAM_SECONDS,
  RECONNECT_MILLISECONDS,
  STREAM_REPLACED_EVENT,
  STREAM_REPLACED_REASON,
)
from app.events.EventHelpers import get_broker
from app.users.UserSessionHelpers import load_session_user

UNAVAILABLE_MESSAGE = 'Live updates are unavailable right now; poll instead.'
# {session id: until when (time.monotonic()) it is known to be valid}: a user's tabs share
# one check per heartbeat, and so do streams of the same login.
_VALID_SESSIONS = {}
VALID_SESSIONS_LIMIT = 10_000


def format_event(event):
  """One event in the text/event-stream format (the data is one line of JSON)."""
  return f'id: {event.id}\nevent: {event.type}\ndata: {event.data}\n\n'


def format_replaced(max_streams):
  """The last block of a stream closed as its user's oldest: an event without an id."""
  data = orjson.dumps({'reason': STREAM_REPLACED_REASON, 'max_streams': max_streams}).decode()
  return f'event: {STREAM_REPLACED_EVENT}\ndata: {data}\n\n'


def stream_response(app, user, last_event_id):
  """The streaming response for `user`, resuming after `last_event_id` when given."""
  broker = get_broker()
  if broker is None:
    raise ApiError(503, message=UNAVAILABLE_MESSAGE)
  user_id = user.id
  subscription = broker.subscribe(user_id)
  # Subscribed first, then read the buffer: an event published in between arrives twice at
  # worst, and the cursor drops the copy.
  if last_event_id is None:
    backlog, cursor = [], broker.latest_id(user_id)
  else:
    backlog, cursor = broker.replay(user_id, last_event_id), last_event_id
  if backlog is None or cursor is None:
    # Redis cannot be read: a stream now could miss events unnoticed, so the client polls.
    broker.unsubscribe(user_id, subscription)
    raise ApiError(503, message=UNAVAILABLE_MESSAGE)
  stream = UserStream(app, broker, user_id, user.get_id(), subscription, cursor)
  stream.token = broker.register_stream(user_id, subscription, stream.max_streams)
  response = Response(stream.events(backlog), mimetype='text/event-stream')
  # The generator's own cleanup runs only once it has started; a client gone before that
  # still leaves the broker.
  response.call_on_close(stream.leave)
  response.headers['Cache-Control'] = 'no-cache'
  # nginx passes each event on at once instead of filling its buffer first.
  response.headers['X-Accel-Buffering'] = 'no'
  return response


class UserStream:
  """The state of one open stream: its subscription, the last id sent, when it started."""

  def __init__(self, app, broker, user_id, session_id, subscription, cursor):
    self.app = app
    self.broker = broker
    self.user_id = user_id
    self.session_id = session_id
    self.subscription = subscription
    self.cursor = cursor
    self.heartbeat_seconds = app.config.get('EVENTS_HEARTBEAT_SECONDS', HEARTBEAT_SECONDS)
    self.max_seconds = app.config.get('EVENTS_MAX_STREAM_SECONDS', MAX_STREAM_SECONDS)
    self.max_streams = app.config['EVENTS_MAX_STREAMS_PER_USER']
    self.token = None

  def leave(self):
    """Stop receiving and stop counting against the user's cap (idempotent)."""
    self.broker.unsubscribe(self.user_id, self.subscription)
    if self.token is not None:
      self.broker.unregister_stream(self.user_id, self.token)

  def events(self, backlog):
    """The chunks of the response until the login ends, the time is up or the client leaves."""
    try:
      # The cursor as the first id: a stream that drops before its first event is resumed
      # from here (the browser sends it back as Last-Event-ID), not from whatever is newest
      # when it reconnects, which would skip the events published in between.
      yield f'retry: {RECONNECT_MILLISECONDS}\nid: {self.cursor}\n: connected\n\n'
      yield from self.send(backlog)
      started = time.monotonic()
      # The first heartbeat comes at a random point of the interval: streams opened together
      # (after a deploy, in a load test) do not check their logins all at the same moment.
      jitter = random.uniform(0.5, 1.0)  # nosec B311 # spreads load; nothing secret
      next_heartbeat = started + self.heartbeat_seconds * jitter
      while True:
        now = time.monotonic()
        if now - started >= self.max_seconds:
          return
        if now >= next_heartbeat:
          if not self.login_is_valid():
            return
          # A comment line: keeps proxies from closing an idle stream and finds clients gone.
          yield ': heartbeat\n\n'
          next_heartbeat = now + self.heartbeat_seconds
          continue
        try:
          item = self.subscription.get(timeout=next_heartbeat - now)
        except queue.Empty:
          continue
        if item is DISCONNECTED:
          return
        if item is REPLACED:
          yield format_replaced(self.max_streams)
          return
        yield from self.send(self.catch_up() if item is RESYNC else [item])
    finally:
      self.leave()

  def send(self, events):
    """The events not sent yet, in order, moving the cursor past each."""
    for event in events:
      if is_newer(event.id, self.cursor):
        self.cursor = event.id
        yield format_event(event)

  def catch_up(self):
    """What the buffer holds after the cursor (the fan-out may have missed it)."""
    return self.broker.replay(self.user_id, self.cursor) or []

  def login_is_valid(self):
    """Whether the session that opened the stream still logs this user in (asked of the
    database at most once per heartbeat interval for each session in this process)."""
    now = time.monotonic()
    if _VALID_SESSIONS.get(self.session_id, 0) > now:
      return True
    with self.app.app_context():
      try:
        valid = load_session_user(self.session_id) is not None
      except SQLAlchemyError:
        # A database hiccup is not a logout; the next heartbeat asks again.
        return True
    if len(_VALID_SESSIONS) > VALID_SESSIONS_LIMIT:
      _VALID_SESSIONS.clear()
    if valid:
      _VALID_SESSIONS[self.session_id] = now + self.heartbeat_seconds / 2
    return valid
