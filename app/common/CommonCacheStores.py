"""Where cached answers and the generation live: one process's memory, or Redis.

Both stores answer `read(key)` with (the current generation, (etag, body) when an entry was
stored under it), `write` an entry under the generation its reader saw before its queries, and
`bump` the generation after a commit.

There are two generations. The public one covers what public reads show; the private one what
only a user's own reads add (their login sessions and notifications), so a notification or a
login does not empty the public cache. A private read (`read(key, private=True)`) depends on
both: its generation is the pair, as 'public.private'. An entry may also carry `until`, the
wall-clock second after which it is no longer served (a private answer must not outlive its
login session, which ends by time without any write).

With Redis, the generation is an integer key bumped by a script that also publishes the new
value; each process subscribes to those messages and, before every read, drains what its
subscription socket holds (a poll, no round trip). Redis writes the message to every
subscriber before it answers the bumping process, whose answer returns only after that, so
the next request anywhere finds the bump waiting on its socket. Entries are kept in Redis for
every worker and copied into each process that used them, so a hit usually costs no round trip.
"""

import math
import threading
import time
from collections import OrderedDict

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from app.common.CommonRedis import REDIS_TIMEOUT_SECONDS

PUBLIC = 'public'
PRIVATE = 'private'
ALL_SCOPES = (PUBLIC, PRIVATE)
GENERATION_KEY = 'dibz:cache:generation'
PRIVATE_GENERATION_KEY = 'dibz:cache:generation:private'
# v2: entries carry their `until`; a process of the previous release reads only its own prefix.
ENTRY_KEY_PREFIX = 'dibz:cache:v2:entry:'
BUMP_CHANNEL = 'dibz:cache:bumps'
PRIVATE_BUMP_CHANNEL = 'dibz:cache:bumps:private'
GENERATION_KEYS = {PUBLIC: GENERATION_KEY, PRIVATE: PRIVATE_GENERATION_KEY}
BUMP_CHANNELS = {PUBLIC: BUMP_CHANNEL, PRIVATE: PRIVATE_BUMP_CHANNEL}
# INCR and PUBLISH in one step: no subscriber can miss a bump another one saw.
BUMP_SCRIPT = (
  "local generation = redis.call('INCR', KEYS[1]) "
  "redis.call('PUBLISH', ARGV[1], generation) "
  'return generation'
)
LOCAL_MAX_ENTRIES = 512
# After a Redis error the process leaves Redis alone this long, so a hung Redis costs one
# timeout per worker now and then, not one per request.
REDIS_BREAKER_SECONDS = 5.0
SUBSCRIBE_TIMEOUT_SECONDS = 0.2


def cache_redis_client(url):
  """A client for the cache: 200 ms timeouts and no retries (redis-py's default retries three
  times with backoffs of seconds, which would hold a request far longer when Redis is down)."""
  return redis.Redis.from_url(
    url,
    socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    socket_timeout=REDIS_TIMEOUT_SECONDS,
    retry=Retry(NoBackoff(), 0),
  )


def wall_clock():
  """Seconds since the epoch: what an entry's `until` is compared with (tests move it)."""
  return time.time()


def read_generation(public, private, with_private):
  """The generation a read depends on: the public number, or both as 'public.private'."""
  return f'{public}.{private}' if with_private else public


def pack_entry(generation, etag, body, until=None):
  return f'{generation}\n{etag}\n{until or 0}\n'.encode() + body


def unpack_entry(packed):
  """(generation as text, etag, body, until or None) of a stored entry."""
  generation, etag, until, body = packed.split(b'\n', 3)
  return generation.decode(), etag.decode(), body, float(until) or None


def is_live(until):
  return until is None or wall_clock() < until


class LocalCopies:
  """A bounded LRU of entries: {key: (generation, etag, body, until)}."""

  def __init__(self, max_entries=LOCAL_MAX_ENTRIES):
    self.entries = OrderedDict()
    self.max_entries = max_entries
    self.lock = threading.Lock()

  def get(self, key, generation):
    """(etag, body) of the copy stored under `generation` and still live, else None."""
    with self.lock:
      entry = self.entries.get(key)
      if entry is None or entry[0] != generation or not is_live(entry[3]):
        return None
      self.entries.move_to_end(key)
      return entry[1:3]

  def put(self, key, generation, etag, body, until=None):
    with self.lock:
      self.entries[key] = (generation, etag, body, until)
      self.entries.move_to_end(key)
      while len(self.entries) > self.max_entries:
        self.entries.popitem(last=False)

  def clear(self):
    with self.lock:
      self.entries.clear()


class LocalStore:
  """Entries and the generation in this process's memory: right only where one process serves."""

  def __init__(self, max_entries=LOCAL_MAX_ENTRIES):
    self.generation = 0
    self.private_generation = 0
    self.copies = LocalCopies(max_entries)

  def current(self, private=False):
    return read_generation(self.generation, self.private_generation, private)

  def read(self, key, private=False):
    generation = self.current(private)
    return generation, self.copies.get(key, generation)

  def write(self, key, generation, etag, body, until=None):
    if generation in (self.current(), self.current(private=True)):
      self.copies.put(key, generation, etag, body, until)

  def bump(self, scopes=ALL_SCOPES):
    if PRIVATE in scopes:
      self.private_generation += 1
    if PUBLIC in scopes:
      # Every entry depends on the public number: none can be served again.
      self.generation += 1
      self.copies.clear()


class RedisStore:
  """Entries and the generation in Redis, shared by every worker and host (see the module)."""

  def __init__(self, client, entry_seconds, max_copies=LOCAL_MAX_ENTRIES):
    self.client = client
    self.entry_seconds = entry_seconds
    self.copies = LocalCopies(max_copies)
    self.lock = threading.RLock()
    self.subscription = None
    self.generation = 0
    self.private_generation = 0
    self.unavailable_until = 0.0
    # A bump that failed is owed: paid before this process reads the cache again.
    self.bump_owed = False

  def failed(self):
    """Leave Redis alone for a while; writes may go by meanwhile, so bump on its return."""
    self.unavailable_until = time.monotonic() + REDIS_BREAKER_SECONDS
    self.bump_owed = True
    self.drop_subscription()

  def drop_subscription(self):
    subscription, self.subscription = self.subscription, None
    if subscription is not None:
      try:
        subscription.close()
      except redis.RedisError:
        pass

  def subscribe(self):
    """Subscribe to the bumps, then read the generations: no bump falls between the two (one
    SUBSCRIBE names both channels, so its first confirmation covers both)."""
    subscription = self.client.pubsub()
    subscription.subscribe(BUMP_CHANNEL, PRIVATE_BUMP_CHANNEL)
    deadline = time.monotonic() + SUBSCRIBE_TIMEOUT_SECONDS
    while True:
      message = subscription.get_message(timeout=SUBSCRIBE_TIMEOUT_SECONDS)
      if message is not None and message['type'] == 'subscribe':
        break
      if time.monotonic() > deadline:
        subscription.close()
        raise redis.TimeoutError('No subscribe confirmation from Redis.')
    self.subscription = subscription
    public, private = self.client.mget(GENERATION_KEY, PRIVATE_GENERATION_KEY)
    self.generation = int(public or 0)
    self.private_generation = int(private or 0)
    # A Redis that restarted counts again from its saved (or no) generation: copies made
    # before could carry the same numbers, so none survives a new subscription.
    self.copies.clear()

  def current_generation(self, private=False):
    """The shared generation: the last one heard of, after the bumps waiting on the socket."""
    if self.subscription is None:
      self.subscribe()
    while True:
      message = self.subscription.get_message(timeout=0)
      if message is None:
        return read_generation(self.generation, self.private_generation, private)
      if message['type'] != 'message':
        continue
      if message['channel'] == PRIVATE_BUMP_CHANNEL.encode():
        self.private_generation = max(self.private_generation, int(message['data']))
      else:
        self.generation = max(self.generation, int(message['data']))

  def usable(self):
    """False while the breaker is open; pays an owed bump once Redis answers again."""
    if time.monotonic() < self.unavailable_until:
      return False
    if self.bump_owed:
      self.bump_owed = False
      self.bump()
    return time.monotonic() >= self.unavailable_until

  def read(self, key, private=False):
    """(current generation or None when Redis fails, (etag, body) or None)."""
    with self.lock:
      if not self.usable():
        return None, None
      try:
        generation = self.current_generation(private)
        copy = self.copies.get(key, generation)
        if copy is not None:
          return generation, copy
        packed = self.client.get(ENTRY_KEY_PREFIX + key)
      except redis.RedisError:
        self.failed()
        return None, None
    if packed is None:
      return generation, None
    stored_generation, etag, body, until = unpack_entry(packed)
    if stored_generation != str(generation) or not is_live(until):
      return generation, None
    self.copies.put(key, generation, etag, body, until)
    return generation, (etag, body)

  def write(self, key, generation, etag, body, until=None):
    self.copies.put(key, generation, etag, body, until)
    seconds = self.entry_seconds
    if until is not None:
      seconds = max(1, min(seconds, math.ceil(until - wall_clock())))
    try:
      self.client.set(ENTRY_KEY_PREFIX + key, pack_entry(generation, etag, body, until), ex=seconds)
    except redis.RedisError:
      with self.lock:
        self.failed()

  def bump(self, scopes=ALL_SCOPES):
    with self.lock:
      try:
        bumped = {
          scope: int(self.client.eval(BUMP_SCRIPT, 1, GENERATION_KEYS[scope], BUMP_CHANNELS[scope]))
          for scope in scopes
        }
      except redis.RedisError:
        self.failed()
        return
      # This process sees its own bump at once, without waiting for its message.
      self.generation = max(self.generation, bumped.get(PUBLIC, 0))
      self.private_generation = max(self.private_generation, bumped.get(PRIVATE, 0))
