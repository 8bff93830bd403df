"""Where cached answers live (each process's copies, and Redis), and the generations that say
whether one is current: a random token per tag in the `cache_generations` table, replaced in
the transaction of every write the tag covers (docs/CACHE.md, rules 6 to 12)."""

import secrets
import threading
import time
from collections import OrderedDict

import orjson
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import Column, String, bindparam, create_engine, event, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import NullPool

from app.common.CommonRedis import REDIS_TIMEOUT_SECONDS
from app.extensions import db

ENTRY_KEY_PREFIX = 'dibz:cache:v3:entry:'
LOCAL_MAX_ENTRIES = 512
LOCAL_MAX_BYTES = 16 * 1024 * 1024
# After a Redis error the process leaves Redis alone this long: a hung Redis costs one
# timeout per worker now and then, not one per request.
REDIS_BREAKER_SECONDS = 5.0
GENERATION_READER_KEY = 'dibz_cache_generation_reader'
# The token of a tag never bumped yet.
NEVER_BUMPED = '-'

cache_generations = db.Table(
  'cache_generations',
  Column('tag', String(120), primary_key=True),
  Column('token', String(32), nullable=False),
)
TOKENS_STATEMENT = select(cache_generations.c.tag, cache_generations.c.token).where(
  cache_generations.c.tag.in_(bindparam('tags', expanding=True))
)
# The front's read, one fixed statement per engine: the tags are one parameter (a JSON array on
# SQLite, an array prepared once per connection on PostgreSQL).
SQLITE_TOKENS_SELECT = (
  'SELECT tag, token FROM cache_generations WHERE tag IN (SELECT value FROM json_each(?))'
)
POSTGRESQL_TOKENS_SELECT = 'SELECT tag, token FROM cache_generations WHERE tag = ANY($1)'


def token_reader(app):
  """The front's TokenReader, made once per app and process."""
  reader = app.extensions.get(GENERATION_READER_KEY)
  if reader is None:
    with app.app_context():
      url = db.engine.url
    # Autocommit and no ping: a read is one round trip (a connection that died fails one
    # read, which Flask then answers, and is replaced). No pool: each thread keeps its own
    # connection, closed with the thread, so a database that dropped them all hands no dead
    # one to the next reads.
    engine = create_engine(
      url, isolation_level='AUTOCOMMIT', poolclass=NullPool, hide_parameters=True
    )
    reader = app.extensions[GENERATION_READER_KEY] = TokenReader(engine)
  return reader


class TokenReader:
  """Reads tags' tokens on the DBAPI connection itself, one kept per thread (SQLAlchemy's
  statement machinery, even its pool's checkout and return, would cost more than the read).
  `listeners` are called with each statement (tests count them)."""

  def __init__(self, engine):
    self.engine = engine
    self.failures = engine.dialect.loaded_dbapi.Error
    self.listeners = []
    self.local = threading.local()
    if engine.dialect.name == 'postgresql':
      event.listen(engine, 'connect', prepare_tokens_statement)
      self.statement, self.shown_statement = (
        'EXECUTE dibz_cache_tokens (%s)',
        POSTGRESQL_TOKENS_SELECT,
      )
      self.parameter = list
    else:
      self.statement = self.shown_statement = SQLITE_TOKENS_SELECT
      self.parameter = lambda tags: orjson.dumps(tags).decode()

  def read(self, tags):
    """The current tokens of `tags`, as `read_tokens` gives them; None when the database
    could not answer."""
    tags = list(tags)
    for listener in self.listeners:
      listener(self.shown_statement)
    connection = getattr(self.local, 'connection', None)
    try:
      if connection is None:
        connection = self.local.connection = self.engine.raw_connection()
      cursor = connection.dbapi_connection.cursor()
      cursor.execute(self.statement, (self.parameter(tags),))
      rows = dict(cursor.fetchall())
      cursor.close()
    except self.failures:
      # A connection that failed is replaced at the next read; Flask answers this one.
      self.local.connection = None
      if connection is not None:
        connection.invalidate()
      return None
    return ' '.join(rows.get(tag, NEVER_BUMPED) for tag in tags)


def prepare_tokens_statement(dbapi_connection, connection_record):
  """On a new PostgreSQL connection of the front: prepare the read, by the primary key only
  (the planner would scan the small, often-updated table whole: 0.2 ms for 22 tags, not 0.02)."""
  cursor = dbapi_connection.cursor()
  cursor.execute('SET enable_seqscan = off')
  cursor.execute(f'PREPARE dibz_cache_tokens (text[]) AS {POSTGRESQL_TOKENS_SELECT}')
  cursor.close()


def read_tokens(connection, tags):
  """The current tokens of `tags`, in their order, as one string."""
  rows = dict(connection.execute(TOKENS_STATEMENT, {'tags': list(tags)}).all())
  return ' '.join(rows.get(tag, NEVER_BUMPED) for tag in tags)


def bump_tags(connection, tags):
  """Give each tag a new token, in the caller's transaction, in one sorted statement (two
  writers lock the rows they share in the same order)."""
  module = postgresql if connection.dialect.name == 'postgresql' else sqlite
  statement = module.insert(cache_generations)
  statement = statement.on_conflict_do_update(
    index_elements=['tag'], set_={'token': statement.excluded.token}
  )
  connection.execute(
    statement, [{'tag': tag, 'token': secrets.token_hex(8)} for tag in sorted(tags)]
  )


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


def pack_entry(tokens, etag, headers, body, until, shown_tags=()):
  return orjson.dumps([tokens, etag, headers, until, list(shown_tags)]) + b'\n' + body


def read_entry(store, key, tags, read):
  """(entry, tokens): the entry at `key` as (etag, headers, body) from the nearest layer of
  `store` holding it live under the current tokens of `tags` and of the rows it shows (copied
  into the nearer layers), else None; and the current tokens of `tags`, None when `read`
  failed. One token read either way: an entry's shown tags are read with `tags`."""
  tags = tuple(tags)
  reads = {}
  layers = getattr(store, 'layers', (store,))

  def tokens_of_tags(tokens):
    # Every read starts with `tags`: their tokens are the first of any.
    return tokens and ' '.join(tokens.split(' ')[: len(tags)])

  for depth, layer in enumerate(layers):
    packed = layer.get(key)
    if packed is None:
      continue
    head, body = packed.split(b'\n', 1)
    stored_tokens, etag, headers, until, shown_tags = orjson.loads(head)
    if until <= wall_clock():
      continue
    all_tags = (*tags, *shown_tags)
    tokens = reads[all_tags] = reads[all_tags] if all_tags in reads else read(all_tags)
    if tokens is None:
      return None, None
    if stored_tokens == tokens:
      for nearer in layers[:depth]:
        nearer.put(key, packed, until)
      return (etag, headers, body), tokens_of_tags(tokens)
  if not reads:
    return None, read(tags)
  return None, tokens_of_tags(next(iter(reads.values())))


def entry_end(seconds, until=None):
  """When an entry stored now ends (seconds since the epoch): the store's time to live, or
  sooner when its answer gives an end. Every copy of the entry ends then."""
  end = wall_clock() + seconds
  return end if until is None else min(until, end)


class LocalStore:
  """Entries in this process's memory: an LRU bounded in entries and bytes (an entry ends at
  its `until`, which read_entry checks in every layer)."""

  def __init__(self, seconds, max_entries=LOCAL_MAX_ENTRIES, max_bytes=LOCAL_MAX_BYTES):
    self.seconds, self.max_entries, self.max_bytes = seconds, max_entries, max_bytes
    self.size = 0
    self.entries = OrderedDict()
    self.lock = threading.Lock()

  def get(self, key):
    with self.lock:
      packed = self.entries.get(key)
      if packed is not None:
        self.entries.move_to_end(key)
      return packed

  def put(self, key, packed, until=None):
    with self.lock:
      self.size += len(packed) - len(self.entries.pop(key, b''))
      self.entries[key] = packed
      while len(self.entries) > self.max_entries or self.size > self.max_bytes:
        self.size -= len(self.entries.popitem(last=False)[1])

  def clear(self):
    with self.lock:
      self.entries.clear()
      self.size = 0
    return True


class LayeredStore:
  """The process's own LocalStore in front of Redis: a hit on a popular answer skips the Redis
  round trip. Every layer is read against the database's tokens and the entry's `until`."""

  def __init__(self, *layers):
    self.layers = layers
    self.seconds = layers[-1].seconds

  def put(self, key, packed, until):
    for layer in self.layers:
      layer.put(key, packed, until)

  def clear(self):
    return all([layer.clear() for layer in self.layers])


class RedisStore:
  """Entries in Redis, shared by every worker and host; Redis down or hung means no cache."""

  def __init__(self, client, seconds):
    self.client = client
    self.seconds = seconds
    self.unavailable_until = 0.0

  def call(self, action, *args, **kwargs):
    """One Redis command, or None when Redis failed (now or a moment ago)."""
    if time.monotonic() < self.unavailable_until:
      return None
    try:
      return getattr(self.client, action)(*args, **kwargs)
    except redis.RedisError:
      self.unavailable_until = time.monotonic() + REDIS_BREAKER_SECONDS
      return None

  def get(self, key):
    return self.call('get', ENTRY_KEY_PREFIX + key)

  def put(self, key, packed, until):
    seconds = max(1, min(self.seconds, int(until - wall_clock()) + 1))
    self.call('set', ENTRY_KEY_PREFIX + key, packed, ex=seconds)

  def clear(self):
    """Delete every entry (stale anyway after `cache clear` bumps: this frees the memory);
    False when Redis could not be reached."""
    try:
      keys = list(self.client.scan_iter(match=ENTRY_KEY_PREFIX + '*', count=1000))
      for start in range(0, len(keys), 1000):
        self.client.unlink(*keys[start : start + 1000])
    except redis.RedisError:
      return False
    return True
