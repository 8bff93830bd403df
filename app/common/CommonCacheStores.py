"""Where cached answers live (Redis, and each process's copies), and the generations that say
whether one is current: a random token per tag in the `cache_generations` table, replaced in
the transaction of every write the tag covers (docs/CACHE.md, rules 6 to 12)."""

import secrets
import threading
import time
from collections import OrderedDict
from functools import lru_cache

import orjson
import redis
from redis.backoff import NoBackoff
from redis.retry import Retry
from sqlalchemy import Column, String, bindparam, create_engine, event, select
from sqlalchemy.dialects import postgresql, sqlite

from app.common.CommonRedis import REDIS_TIMEOUT_SECONDS
from app.extensions import db

ENTRY_KEY_PREFIX = 'dibz:cache:v3:entry:'
LOCAL_MAX_ENTRIES = 512
# A process's copies in front of Redis take at most this much memory.
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


# Built once: cached_value runs it in the session's transaction.
TOKENS_STATEMENT = select(cache_generations.c.tag, cache_generations.c.token).where(
  cache_generations.c.tag.in_(bindparam('tags', expanding=True))
)


def token_reader(app):
  """The front's TokenReader, made once per app and process."""
  reader = app.extensions.get(GENERATION_READER_KEY)
  if reader is None:
    with app.app_context():
      url = db.engine.url
    # Autocommit, no ping and no rollback on return: a read is one round trip (a connection
    # that died fails one read, which Flask then answers, and is replaced).
    engine = create_engine(
      url, isolation_level='AUTOCOMMIT', pool_reset_on_return=None, hide_parameters=True
    )
    reader = app.extensions[GENERATION_READER_KEY] = TokenReader(engine)
  return reader


class TokenReader:
  """Reads tags' tokens for the front on the DBAPI connection itself (each cached request
  does: SQLAlchemy's statement machinery would cost more than the read), with a statement
  prepared once per connection on PostgreSQL."""

  def __init__(self, engine):
    self.engine = engine
    self.postgresql = engine.dialect.name == 'postgresql'
    self.failures = engine.dialect.loaded_dbapi.Error
    # Called with each statement before it runs (tests count the queries a request makes).
    self.listeners = []
    if self.postgresql:
      event.listen(engine, 'connect', prepare_tokens_statement)

  def read(self, tags):
    """The current tokens of `tags`, as `read_tokens` gives them; None when the database
    could not answer."""
    tags = list(tags)
    if self.postgresql:
      statement, parameters = POSTGRESQL_TOKENS_EXECUTE, (tags,)
    else:
      statement, parameters = sqlite_tokens_statement(len(tags)), tags
    for listener in self.listeners:
      listener(POSTGRESQL_TOKENS_SELECT if self.postgresql else statement)
    connection = self.engine.raw_connection()
    try:
      cursor = connection.cursor()
      cursor.execute(statement, parameters)
      rows = dict(cursor.fetchall())
      cursor.close()
    except self.failures:
      connection.invalidate()
      return None
    finally:
      connection.close()
    return ' '.join(rows.get(tag, NEVER_BUMPED) for tag in tags)


POSTGRESQL_TOKENS_SELECT = 'SELECT tag, token FROM cache_generations WHERE tag = ANY($1)'
POSTGRESQL_TOKENS_EXECUTE = 'EXECUTE dibz_cache_tokens (%s)'


def prepare_tokens_statement(dbapi_connection, connection_record):
  """Prepare the token read on a new PostgreSQL connection of the front's engine. Its only
  statement is this primary-key lookup: the planner would scan the small, often-updated table
  whole and compare each row with every tag (0.2 ms for a page's 22 tags, 0.02 by the index)."""
  cursor = dbapi_connection.cursor()
  cursor.execute('SET enable_seqscan = off')
  cursor.execute(f'PREPARE dibz_cache_tokens (text[]) AS {POSTGRESQL_TOKENS_SELECT}')
  cursor.close()


@lru_cache(maxsize=16)
def sqlite_tokens_statement(count):
  """TOKENS_STATEMENT's SQL for `count` tags, placeholders in place of each."""
  statement = TOKENS_STATEMENT.params(tags=[NEVER_BUMPED] * count)
  return str(
    statement.compile(dialect=sqlite.dialect(), compile_kwargs={'render_postcompile': True})
  )


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


def pack_entry(tokens, etag, headers, body, until=None, shown_tags=()):
  return orjson.dumps([tokens, etag, headers, until, list(shown_tags)]) + b'\n' + body


def unpack_entry(packed):
  """(tokens, etag, headers, until, shown_tags, body) of a stored entry."""
  head, body = packed.split(b'\n', 1)
  tokens, etag, headers, until, shown_tags = orjson.loads(head)
  return tokens, etag, headers, until, shown_tags, body


def read_entry(store, key, tags, read):
  """(entry, tokens): the entry at `key` as (etag, headers, body) when live and stored under
  the current tokens of `tags` and of the rows it shows (its shown tags), from the nearest
  layer of `store` that holds it (copied into the nearer layers on the way back), else None;
  and the current tokens of `tags`, None when `read` (TokenReader.read) could not read them.
  One token read either way: an entry's shown tags are read with `tags`."""
  tags = tuple(tags)
  reads = {}

  def current(all_tags):
    if all_tags not in reads:
      reads[all_tags] = read(all_tags)
    return reads[all_tags]

  found = None
  layers = getattr(store, 'layers', (store,))
  for depth, layer in enumerate(layers):
    packed = layer.get(key)
    if packed is None:
      continue
    stored_tokens, etag, headers, until, shown_tags, body = unpack_entry(packed)
    if until is not None and until <= wall_clock():
      continue
    tokens = current((*tags, *shown_tags))
    if tokens is None:
      return None, None
    if stored_tokens == tokens:
      for nearer in layers[:depth]:
        nearer.put(key, packed, until)
      found = (etag, headers, body)
      break
  if not reads:
    return None, current(tags)
  # Every read starts with `tags`: their tokens are the first of any.
  tokens = next(iter(reads.values()))
  return found, tokens and ' '.join(tokens.split(' ')[: len(tags)])


def entry_end(seconds, until=None):
  """When an entry stored now ends (seconds since the epoch): the store's time to live, or
  sooner when its answer gives an end. Every copy of the entry ends then."""
  end = wall_clock() + seconds
  return end if until is None else min(until, end)


def entry_seconds(seconds, until):
  """The time to live of an entry: the store's, or less when the answer ends sooner."""
  if until is None:
    return seconds
  return max(1, min(seconds, int(until - wall_clock()) + 1))


class LocalStore:
  """Entries in this process's memory (an LRU bounded in entries and bytes, each with its
  expiry)."""

  def __init__(self, seconds, max_entries=LOCAL_MAX_ENTRIES, max_bytes=LOCAL_MAX_BYTES):
    self.seconds = seconds
    self.max_entries = max_entries
    self.max_bytes = max_bytes
    self.size = 0
    self.entries = OrderedDict()
    self.lock = threading.Lock()

  def get(self, key):
    with self.lock:
      entry = self.entries.get(key)
      if entry is None or entry[0] <= time.monotonic():
        return None
      self.entries.move_to_end(key)
      return entry[1]

  def put(self, key, packed, until=None):
    expires = time.monotonic() + entry_seconds(self.seconds, until)
    with self.lock:
      old = self.entries.pop(key, None)
      self.size += len(packed) - (0 if old is None else len(old[1]))
      self.entries[key] = (expires, packed)
      while len(self.entries) > self.max_entries or self.size > self.max_bytes:
        self.size -= len(self.entries.popitem(last=False)[1][1])

  def clear(self):
    with self.lock:
      self.entries.clear()
      self.size = 0
    return True


class LayeredStore:
  """The process's own LocalStore in front of Redis: a hit on a popular answer skips the Redis
  round trip. Both layers are read against the database's tokens, so the nearer copy is never
  more current, nor lives longer, than the one it was copied from."""

  def __init__(self, *layers):
    self.layers = layers
    self.seconds = layers[-1].seconds

  def put(self, key, packed, until=None):
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

  def put(self, key, packed, until=None):
    self.call('set', ENTRY_KEY_PREFIX + key, packed, ex=entry_seconds(self.seconds, until))

  def clear(self):
    """Delete every entry (they are already stale after `cache clear` bumps: this frees the
    memory); False when Redis could not be reached."""
    try:
      keys = list(self.client.scan_iter(match=ENTRY_KEY_PREFIX + '*', count=1000))
      for start in range(0, len(keys), 1000):
        self.client.unlink(*keys[start : start + 1000])
    except redis.RedisError:
      return False
    return True
