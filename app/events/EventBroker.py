"""Where events go after the commit: a per-user replay buffer and the streams held open.

`LocalBroker` keeps both in this process (`make run` without Redis). `RedisBroker` keeps each
user's buffer in a capped Redis stream and fans every event out to every app process through
one pub/sub channel; a listener thread per process hands them to that process's streams.
Event ids are Redis stream ids (`<milliseconds>-<sequence>`) in both, so they compare the same.

Each open stream is also counted per user (`register_stream`): one more than the cap closes
the user's oldest, wherever it is held. `LocalBroker` counts within its process; `RedisBroker`
counts in a sorted set shared by every process and tells the holder of the oldest through a
control channel (falling back to this process's count when Redis fails).
"""

import atexit
import logging
import queue
import secrets
import threading
import time
from collections import defaultdict, deque, namedtuple

import redis
from redis.exceptions import RedisError

from app.common.CommonRedis import REDIS_TIMEOUT_SECONDS
from app.events.EventConstants import (
  EXIT_FLUSH_POLL_SECONDS,
  LISTENER_POLL_SECONDS,
  LISTENER_SOCKET_TIMEOUT_SECONDS,
  MAX_STREAM_SECONDS,
  REDIS_CHANNEL,
  REDIS_CONTROL_CHANNEL,
  REDIS_RETRY_AFTER_SECONDS,
  REDIS_STREAM_KEY_PREFIX,
  REDIS_STREAMS_KEY_PREFIX,
  SUBSCRIBER_QUEUE_LENGTH,
  USER_BUFFER_LENGTH,
  USER_BUFFER_TTL_SECONDS,
)

logger = logging.getLogger(__name__)

Event = namedtuple('Event', 'id type data')
# Put in a subscriber's queue when events may have been missed (the fan-out reconnected):
# the stream then reads what it lacks from the buffer.
RESYNC = object()
# Put in every queue when the fan-out lost Redis: the streams end, the browsers reconnect, and
# are told to poll (503) for as long as Redis stays away.
DISCONNECTED = object()
# Put in a stream's queue when the user opened more streams than the cap and this one is the
# oldest: it tells its client (a `replaced` event) and ends.
REPLACED = object()
NO_EVENT_YET = '0-0'
# A stream counted in Redis is forgotten this long after it opened even if its process died
# without removing it (streams end after MAX_STREAM_SECONDS anyway).
STREAM_ENTRY_TTL_SECONDS = MAX_STREAM_SECONDS + 60
# Events a process holds at most while Redis is away (a minute of a busy app server's).
HELD_EVENTS_LIMIT = 10_000

# Append to the user's capped stream and announce it, in one atomic round trip, so the
# announcements leave in the order of the ids.
PUBLISH_SCRIPT = """
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'type', ARGV[2], 'data', ARGV[3])
redis.call('EXPIRE', KEYS[1], ARGV[5])
redis.call('PUBLISH', KEYS[2], ARGV[4] .. '\\n' .. id .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3])
return id
"""

# Count a new stream of a user (scored in microseconds by Redis's own clock, so processes agree
# on the order, and always above the user's newest, so two streams opened within one tick keep
# their order), forget the ones older than any stream lives, and name the oldest beyond the cap
# on the control channel: the process holding each closes it. Returns the tokens told to close.
REGISTER_STREAM_SCRIPT = """
if redis.replicate_commands then redis.replicate_commands() end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]) * 1000000)
local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if newest[2] and tonumber(newest[2]) >= now then
  now = tonumber(newest[2]) + 1
end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[3])
local extra = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[2])
if extra <= 0 then
  return {}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, extra - 1)
for _, token in ipairs(oldest) do
  redis.call('ZREM', KEYS[1], token)
  redis.call('PUBLISH', KEYS[2], token)
end
return oldest
"""


def event_id_key(event_id):
  """(milliseconds, sequence) of an event id, for comparing; None when it is not one."""
  milliseconds, separator, sequence = str(event_id or '').partition('-')
  if not separator or not milliseconds.isdigit() or not sequence.isdigit():
    return None
  if len(milliseconds) > 15 or len(sequence) > 15:
    return None
  return int(milliseconds), int(sequence)


def is_newer(event_id, cursor):
  """Whether `event_id` comes after `cursor` (every event does when there is no cursor)."""
  return cursor is None or event_id_key(event_id) > event_id_key(cursor)


class LocalBroker:
  """Events within one process: a bounded buffer per user and a queue per open stream."""

  def __init__(self, buffer_length=USER_BUFFER_LENGTH):
    self.lock = threading.Lock()
    self.subscribers = defaultdict(set)
    self.buffers = defaultdict(lambda: deque(maxlen=buffer_length))
    self.last_id_key = (0, 0)
    # {token: subscription} of the streams this process holds, and {user id: [token, ...]},
    # oldest first, of those it counts itself.
    self.stream_subscriptions = {}
    self.user_streams = defaultdict(list)

  def next_id(self):
    """A new id after every earlier one, even when the clock stands still or steps back."""
    milliseconds = int(time.time() * 1000)
    last_milliseconds, last_sequence = self.last_id_key
    if milliseconds <= last_milliseconds:
      self.last_id_key = (last_milliseconds, last_sequence + 1)
    else:
      self.last_id_key = (milliseconds, 0)
    return f'{self.last_id_key[0]}-{self.last_id_key[1]}'

  def publish(self, user_id, event_type, data):
    """Buffer the event and hand it to the user's streams here; returns its id."""
    with self.lock:
      event = Event(self.next_id(), event_type, data)
      self.buffers[user_id].append(event)
    self.deliver(user_id, event)
    return event.id

  def subscribe(self, user_id):
    """A queue that receives the user's events from now on."""
    subscription = queue.Queue(maxsize=SUBSCRIBER_QUEUE_LENGTH)
    with self.lock:
      self.subscribers[user_id].add(subscription)
    return subscription

  def unsubscribe(self, user_id, subscription):
    """Stop handing events to this queue."""
    with self.lock:
      self.subscribers[user_id].discard(subscription)
      if not self.subscribers[user_id]:
        del self.subscribers[user_id]

  def register_stream(self, user_id, subscription, max_streams):
    """Count a new stream of the user, held through `subscription`; the oldest beyond
    `max_streams` are told to close (REPLACED). Returns the stream's token."""
    token = secrets.token_hex(8)
    with self.lock:
      self.stream_subscriptions[token] = subscription
    self.count_stream_here(user_id, token, max_streams)
    return token

  def count_stream_here(self, user_id, token, max_streams):
    """Count the stream in this process, closing the user's oldest beyond `max_streams`."""
    with self.lock:
      tokens = self.user_streams[user_id]
      tokens.append(token)
      oldest = tokens[: max(len(tokens) - max_streams, 0)]
      del tokens[: len(oldest)]
    for each in oldest:
      self.close_stream(each)

  def close_stream(self, token):
    """Tell the stream `token`, when this process holds it, to close."""
    with self.lock:
      subscription = self.stream_subscriptions.get(token)
    if subscription is not None:
      offer(subscription, REPLACED)

  def unregister_stream(self, user_id, token):
    """The stream ended: it no longer counts (harmless when it was closed as the oldest)."""
    with self.lock:
      self.stream_subscriptions.pop(token, None)
      tokens = self.user_streams.get(user_id)
      if tokens is not None:
        if token in tokens:
          tokens.remove(token)
        if not tokens:
          del self.user_streams[user_id]

  def subscriber_count(self):
    """How many streams this process holds."""
    with self.lock:
      return sum(len(subscriptions) for subscriptions in self.subscribers.values())

  def deliver(self, user_id, item):
    """Hand an event (or RESYNC) to each of the user's queues in this process."""
    with self.lock:
      subscriptions = list(self.subscribers.get(user_id, ()))
    for subscription in subscriptions:
      offer(subscription, item)

  def tell_all(self, marker):
    """Put RESYNC or DISCONNECTED in every queue of this process."""
    with self.lock:
      subscriptions = [item for group in self.subscribers.values() for item in group]
    for subscription in subscriptions:
      offer(subscription, marker)

  def replay(self, user_id, after_id):
    """The buffered events of the user after `after_id`, oldest first."""
    with self.lock:
      events = list(self.buffers.get(user_id, ()))
    return [event for event in events if is_newer(event.id, after_id)]

  def latest_id(self, user_id):
    """The id of the user's newest buffered event (NO_EVENT_YET when there is none)."""
    with self.lock:
      events = self.buffers.get(user_id)
      return events[-1].id if events else NO_EVENT_YET


def offer(subscription, item):
  """Queue without waiting: a stream too slow to keep up catches up from the buffer."""
  try:
    subscription.put_nowait(item)
  except queue.Full:
    logger.warning('An event stream fell behind; it will catch up from the buffer.')


class RedisBroker(LocalBroker):
  """Events through Redis: capped per-user streams for replay, one channel for the fan-out."""

  def __init__(self, client, url, buffer_length=USER_BUFFER_LENGTH, exit_flush_seconds=0):
    super().__init__(buffer_length)
    self.client = client
    self.url = url
    self.buffer_length = buffer_length
    self.publish_script = client.register_script(PUBLISH_SCRIPT)
    self.register_stream_script = client.register_script(REGISTER_STREAM_SCRIPT)
    self.skip_redis_until = 0.0
    self.listener = None
    self.stopping = threading.Event()
    # Events Redis refused (down or hung), oldest first, published when it answers again.
    self.held = deque(maxlen=HELD_EVENTS_LIMIT)
    self.held_lock = threading.Lock()
    self.flusher = None
    # How long a process that exits with events still held waits for Redis to take them
    # (0: it does not wait, and they are lost with it).
    self.exit_flush_seconds = exit_flush_seconds
    self.flush_at_exit_registered = False

  def redis_is_resting(self):
    """Whether Redis failed a moment ago (publishing then skips it for a few seconds)."""
    return time.monotonic() < self.skip_redis_until

  def redis_failed(self, action, error):
    """Note a failure: log it and leave Redis alone for a few seconds."""
    self.skip_redis_until = time.monotonic() + REDIS_RETRY_AFTER_SECONDS
    logger.warning('Events: Redis failed to %s (%s); retrying in a few seconds.', action, error)

  def publish(self, user_id, event_type, data):
    """Append to the user's stream and fan out; its id, or None when Redis is unavailable:
    the event is then held in this process and published once Redis answers again."""
    if self.redis_is_resting() or not self.publish_held():
      self.hold(user_id, event_type, data)
      return None
    try:
      return self.publish_now(user_id, event_type, data)
    except RedisError as error:
      self.redis_failed('publish an event', error)
      self.hold(user_id, event_type, data)
      return None

  def publish_now(self, user_id, event_type, data):
    """One event to Redis (raises RedisError)."""
    event_id = self.publish_script(
      keys=[f'{REDIS_STREAM_KEY_PREFIX}{user_id}', REDIS_CHANNEL],
      args=[self.buffer_length, event_type, data, user_id, USER_BUFFER_TTL_SECONDS],
    )
    return event_id.decode() if isinstance(event_id, bytes) else event_id

  def hold(self, user_id, event_type, data):
    """Keep an event Redis refused, in order, for the flusher thread (and the next publish)."""
    with self.held_lock:
      if len(self.held) == self.held.maxlen:
        logger.error(
          'Events: %d events held while Redis is away; dropping the oldest.', len(self.held)
        )
      self.held.append((user_id, event_type, data))
      if self.exit_flush_seconds > 0 and not self.flush_at_exit_registered:
        atexit.register(self.flush_before_exit)
        self.flush_at_exit_registered = True
      if self.flusher is None or not self.flusher.is_alive():
        self.flusher = threading.Thread(target=self.flush_until_empty, daemon=True)
        self.flusher.start()

  def publish_held(self):
    """Publish the held events, oldest first; False when Redis failed again (kept)."""
    with self.held_lock:
      while self.held:
        try:
          self.publish_now(*self.held[0])
        except RedisError as error:
          self.redis_failed('publish held events', error)
          return False
        self.held.popleft()
    return True

  def flush_until_empty(self):
    """The flusher thread: retry the held events every few seconds until none is left."""
    while not self.stopping.wait(REDIS_RETRY_AFTER_SECONDS):
      if not self.redis_is_resting() and self.publish_held():
        logger.warning('Events: the events held while Redis was away are published.')
        return

  def flush_before_exit(self):
    """At the exit of a process holding events (a gunicorn worker recycled after
    max_requests or stopped by a deploy, a job worker, a `manage.py` command): wait up to
    exit_flush_seconds for Redis to take them, instead of losing them with the process."""
    if not self.held:
      return
    deadline = time.monotonic() + self.exit_flush_seconds
    while not self.publish_held():
      remaining = deadline - time.monotonic()
      if remaining <= 0:
        logger.error(
          'Events: %d held events are lost: Redis did not answer within %s s of this process '
          'exiting.',
          len(self.held),
          self.exit_flush_seconds,
        )
        return
      time.sleep(min(EXIT_FLUSH_POLL_SECONDS, remaining))
    logger.warning('Events: the events held while Redis was away are published before exit.')

  def subscribe(self, user_id):
    """A queue for the user's events, fed by this process's listener (started on first use)."""
    self.start_listener()
    return super().subscribe(user_id)

  def count_stream_here(self, user_id, token, max_streams):
    """Count the stream in Redis with every process's; when Redis fails, in this process."""
    try:
      self.register_stream_script(
        keys=[f'{REDIS_STREAMS_KEY_PREFIX}{user_id}', REDIS_CONTROL_CHANNEL],
        args=[token, max_streams, STREAM_ENTRY_TTL_SECONDS],
      )
    except RedisError as error:
      self.redis_failed('count the streams of a user', error)
      super().count_stream_here(user_id, token, max_streams)

  def unregister_stream(self, user_id, token):
    """The stream ended: remove it from Redis's count too."""
    super().unregister_stream(user_id, token)
    try:
      self.client.zrem(f'{REDIS_STREAMS_KEY_PREFIX}{user_id}', token)
    except RedisError as error:
      # Forgotten anyway STREAM_ENTRY_TTL_SECONDS after it opened, or closed as the oldest.
      self.redis_failed('uncount a stream', error)

  def replay(self, user_id, after_id):
    """The user's events after `after_id` from the Redis stream; None when Redis fails."""
    try:
      # The whole rest of the capped stream: it holds about buffer_length entries at most.
      entries = self.client.xrange(f'{REDIS_STREAM_KEY_PREFIX}{user_id}', min=f'({after_id}')
    except RedisError as error:
      self.redis_failed('replay events', error)
      return None
    return [event_from_entry(entry_id, fields) for entry_id, fields in entries]

  def latest_id(self, user_id):
    """The id of the user's newest event in Redis; None when Redis cannot say."""
    try:
      entries = self.client.xrevrange(f'{REDIS_STREAM_KEY_PREFIX}{user_id}', count=1)
    except RedisError as error:
      self.redis_failed('read the newest event id', error)
      return None
    return entries[0][0].decode() if entries else NO_EVENT_YET

  def start_listener(self):
    """Start the fan-out listener of this process once."""
    with self.lock:
      if self.listener is not None and self.listener.is_alive():
        return
      self.listener = threading.Thread(target=self.listen, name='dibz-events', daemon=True)
      self.listener.start()

  def stop_listener(self):
    """Stop the listener (tests)."""
    self.stopping.set()
    if self.listener is not None:
      self.listener.join(timeout=LISTENER_POLL_SECONDS * 3)

  def listen(self):
    """Receive every event of the channel and hand it to this process's streams, for ever:
    after a failure it reconnects, and the streams catch up from the buffers."""
    client = redis.Redis.from_url(
      self.url,
      socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
      socket_timeout=LISTENER_SOCKET_TIMEOUT_SECONDS,
    )
    while not self.stopping.is_set():
      pubsub = client.pubsub()
      try:
        pubsub.subscribe(REDIS_CHANNEL, REDIS_CONTROL_CHANNEL)
        while not self.stopping.is_set():
          message = pubsub.get_message(timeout=LISTENER_POLL_SECONDS)
          if message is not None:
            self.receive(message)
      except RedisError as error:
        logger.warning('Events: the Redis listener lost its connection (%s).', error)
        self.tell_all(DISCONNECTED)
        self.stopping.wait(REDIS_RETRY_AFTER_SECONDS)
      finally:
        pubsub.close()

  def receive(self, message):
    """One pub/sub message: a subscription confirmed (catch up), a stream to close, or an
    event to deliver."""
    if message['type'] == 'subscribe':
      self.tell_all(RESYNC)
      return
    if message['type'] != 'message':
      return
    if message['channel'].decode() == REDIS_CONTROL_CHANNEL:
      self.close_stream(message['data'].decode())
      return
    user_id, event_id, event_type, data = message['data'].decode().split('\n', 3)
    self.deliver(int(user_id), Event(event_id, event_type, data))


def event_from_entry(entry_id, fields):
  """An Event from one Redis stream entry."""
  return Event(entry_id.decode(), fields[b'type'].decode(), fields[b'data'].decode())
