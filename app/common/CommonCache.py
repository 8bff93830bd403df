"""Whole answers of public reads, cached and invalidated by one generation number.

A view marked with `cached_read` (post lists and pages, search pages, public profiles) is
answered from the cache when the entry was stored under the current generation; the answer is
the same for every visitor, so it is keyed by the path and the sorted query string only. Every
commit that wrote to a table public reads show (CACHED_TABLES) bumps the generation after the
commit, through one session hook, so no write path can forget it and no reader sees an answer
older than a write that has returned. A reader stores the generation it read BEFORE running its
queries, so an answer computed while a write commits is stored under the old number and never
served after the bump.

A view marked `cached_private_read` (my own profile) is cached per login session under that
generation and a private one, bumped by writes to what only the user's own reads show (their
sessions and notifications), so a login or a notification does not empty the public cache; its
answer also carries an end in time (`cache_answer_until`), because a session ends by time
without any write.

An answer that depends on who asks (a viewer with a block either way sees lists without the
other's posts) is never stored or served from here: the session carries PERSONAL_SESSION_KEY for
such a viewer (set when the login loads), so their public reads skip the cache, and a view that
filtered for its viewer calls `answer_is_personal` so the answer is not stored for others.

Where the generation lives decides who sees a bump: in Redis (REDIS_URL) every worker and host
shares it; without Redis it is one process's own, which is right only where one process serves
(local and testing); staging and prod without Redis cache nothing. Redis down or hung costs a
request at most one 200 ms timeout per process every few seconds (a breaker), then no cache.
"""

import hashlib

import orjson
from flask import Response, current_app, has_app_context, request, session
from sqlalchemy import event
from sqlalchemy import inspect as inspect_instance

from app.common.CommonCacheStores import (
  ALL_SCOPES,
  PRIVATE,
  PUBLIC,
  LocalStore,
  RedisStore,
  cache_redis_client,
)
from app.common.CommonTransaction import after_commit_once

# The tables whose rows public reads show; a commit writing to any of them bumps the generation.
# A block changes what its two users may be answered: the bump sends the other side's next public
# read to Flask, whose login loader marks their session personal (PERSONAL_SESSION_KEY).
CACHED_TABLES = frozenset(
  {
    'users',
    'posts',
    'post_images',
    'dibs',
    'user_blocks',
    'reviews',
    # Posts and profiles show their campus; GET /api/campuses shows domains and spots.
    'campuses',
    'campus_domains',
    'pickup_spots',
  }
)
# The tables only a user's own cached reads add (their profile: login sessions, unread
# notifications, email settings); a commit writing to them bumps the private generation.
PRIVATE_CACHED_TABLES = frozenset({'user_sessions', 'notifications', 'notification_preferences'})
TABLE_SCOPES = {
  **{table: PUBLIC for table in CACHED_TABLES},
  **{table: PRIVATE for table in PRIVATE_CACHED_TABLES},
}
CACHE_EXTENSION_KEY = 'dibz_response_cache'
# In the cookie session of a viewer whose public reads are their own (a block either way).
PERSONAL_SESSION_KEY = 'dibz_personal_lists'
PERSONAL_ENVIRON_KEY = 'dibz.personal_answer'
MISS_ENVIRON_KEY = 'dibz.cache_miss'
UNTIL_ENVIRON_KEY = 'dibz.cache_until'
# Browsers keep the body but ask again each time (If-None-Match), so they never show a stale one.
CACHE_CONTROL = 'no-cache'
PRIVATE_CACHE_CONTROL = 'private, no-cache'
SINGLE_PROCESS_ENVIRONMENTS = ('local', 'testing')


def cached_read(view):
  """Mark a public GET view whose whole answer may be cached (it must not depend on the user)."""
  view.is_cached_read = True
  return view


def cached_private_read(view):
  """Mark a GET view whose answer depends on the logged-in user's session alone and on no
  table but CACHED_TABLES and PRIVATE_CACHED_TABLES (the user's own profile): cached per
  session identity, under both generations. The view must call `cache_answer_until` (the
  session's next touch or end): without it the answer is not stored."""
  view.is_cached_private_read = True
  return view


def cache_answer_until(until):
  """Serve this request's cached answer no later than `until` (seconds since the epoch)."""
  request.environ[UNTIL_ENVIRON_KEY] = until


def answer_is_personal():
  """This request's answer depends on its viewer: never store it in the shared cache."""
  request.environ[PERSONAL_ENVIRON_KEY] = True


def is_personal_session(session_data):
  """Whether a cookie session belongs to a viewer whose public reads are their own."""
  return bool(session_data.get(PERSONAL_SESSION_KEY))


def make_etag(body):
  """A strong entity tag for these bytes (unquoted, as werkzeug compares them)."""
  return hashlib.blake2b(body, digest_size=12).hexdigest()


def build_store(app):
  """The store the config asks for, or None when caching would be wrong or is turned off."""
  config = app.config
  if not config.get('RESPONSE_CACHE_ENABLED', True):
    return None
  if config.get('REDIS_URL'):
    return RedisStore(cache_redis_client(config['REDIS_URL']), config['RESPONSE_CACHE_SECONDS'])
  if config['ENV_NAME'] in SINGLE_PROCESS_ENVIRONMENTS:
    return LocalStore()
  return None


def response_cache():
  """The current app's store, or None."""
  return current_app.extensions.get(CACHE_EXTENSION_KEY)


def bump_generation(scopes=ALL_SCOPES):
  """Invalidate every cached answer of the current app (a write the session hook cannot see)."""
  store = response_cache()
  if store is not None:
    store.bump(scopes)


def cache_key(environ, identity=''):
  """The raw path and the query's `name=value` parts in sorted order (and, for a private
  read, the session's user identity), hashed to a short key.

  Computed from the WSGI environ alone, so the light front (CommonFront) and the Flask hook
  find the same entries; `?a=1&b=2` and `?b=2&a=1` share one, spellings of one value do not.
  """
  query = '&'.join(sorted(environ.get('QUERY_STRING', '').split('&')))
  text = f'{identity}\n{environ.get("PATH_INFO", "")}?{query}'
  return hashlib.blake2b(text.encode('utf-8', 'surrogateescape'), digest_size=16).hexdigest()


def cached_answer(etag, body, cache_control=CACHE_CONTROL):
  """The 200 of a cached body, or a 304 when the client holds that version."""
  if request.if_none_match.contains(etag):
    response = Response(status=304)
  else:
    response = Response(body, 200, mimetype='application/json')
  response.headers['ETag'] = f'"{etag}"'
  response.headers['Cache-Control'] = cache_control
  return response


def session_identity(session_data):
  """The user identity a cookie session carries, when an answer may be cached for it: not
  while Flask-Login still has a remember cookie to set, nor for a sliding (permanent) session,
  whose cookie every answer renews."""
  if session_data.get('_remember') or session_data.get('_permanent'):
    return None
  return session_data.get('_user_id') or None


def serve_cached_read():
  """Answer a cached public read before any session, login or CSRF work; on a miss, remember
  the generation read now, for the answer to be stored under."""
  if request.method != 'GET' or MISS_ENVIRON_KEY in request.environ:
    return None
  view = current_app.view_functions.get(request.endpoint)
  store = response_cache()
  if store is None:
    return None
  if getattr(view, 'is_cached_private_read', False):
    # Stored here, served by the light front: a hit is only taken where no cookie work is due.
    identity = session_identity(session)
    if identity:
      key = cache_key(request.environ, identity)
      generation, _ = store.read(key, private=True)
      if generation is not None:
        request.environ[MISS_ENVIRON_KEY] = (key, generation, PRIVATE_CACHE_CONTROL)
    return None
  if not getattr(view, 'is_cached_read', False) or is_personal_session(session):
    return None
  key = cache_key(request.environ)
  generation, entry = store.read(key)
  if entry is not None:
    return cached_answer(*entry)
  if generation is not None:
    request.environ[MISS_ENVIRON_KEY] = (key, generation, CACHE_CONTROL)
  return None


def store_cached_read(response):
  """Store the 200 of a missed cached read under the generation read before its queries."""
  miss = request.environ.pop(MISS_ENVIRON_KEY, None)
  if miss is None or response.status_code != 200 or response.direct_passthrough:
    return response
  if request.environ.get(PERSONAL_ENVIRON_KEY):
    return response
  key, generation, cache_control = miss
  until = request.environ.get(UNTIL_ENVIRON_KEY)
  if cache_control == PRIVATE_CACHE_CONTROL and until is None:
    return response
  body = response.get_data()
  etag = make_etag(body)
  response_cache().write(key, generation, etag, body, until)
  response.headers['ETag'] = f'"{etag}"'
  response.headers['Cache-Control'] = cache_control
  if request.if_none_match.contains(etag):
    return cached_answer(etag, body, cache_control)
  return response


def cached_value(name, compute):
  """A small JSON-able value (a count) cached under the generation: `compute()` on a miss."""
  store = response_cache() if has_app_context() else None
  if store is None:
    return compute()
  key = hashlib.blake2b(f'value:{name}'.encode(), digest_size=16).hexdigest()
  generation, entry = store.read(key)
  if entry is not None:
    return orjson.loads(entry[1])
  value = compute()
  if generation is not None:
    store.write(key, generation, '', orjson.dumps(value))
  return value


# --- The write hook ----------------------------------------------------------------------------


def only_ignored_columns_changed(instance):
  """True for an updated row whose model names `cache_ignored_columns` (a session's last-seen
  time, which no cached answer shows) and that changed nothing else."""
  ignored = getattr(instance, 'cache_ignored_columns', None)
  if not ignored:
    return False
  state = inspect_instance(instance)
  changed = {attribute.key for attribute in state.attrs if attribute.history.has_changes()}
  return changed <= ignored


def note_scope(session, table_name):
  scope = TABLE_SCOPES.get(table_name)
  if scope is not None:
    # First: an event or mail sent after this commit must not lead to an answer from before it.
    after_commit_once(bump_generation, (scope,), first=True)


def note_cached_writes(session, flush_context):
  """After a flush: remember which generations it touched (the bumps wait for the commit)."""
  for instance in (*session.new, *session.deleted):
    note_scope(session, getattr(instance, '__tablename__', None))
  for instance in session.dirty:
    if not only_ignored_columns_changed(instance):
      note_scope(session, getattr(instance, '__tablename__', None))


def note_bulk_writes(orm_execute_state):
  """An UPDATE or DELETE statement run through the session counts like a flush."""
  if orm_execute_state.is_update or orm_execute_state.is_delete or orm_execute_state.is_insert:
    table = getattr(orm_execute_state.statement, 'table', None)
    note_scope(orm_execute_state.session, getattr(table, 'name', None))


def watch_writes(session):
  """Install the session hooks once per process (every app shares the scoped session)."""
  hooks = (
    ('after_flush', note_cached_writes),
    ('do_orm_execute', note_bulk_writes),
  )
  for name, hook in hooks:
    if not event.contains(session, name, hook):
      event.listen(session, name, hook)


def configure_response_cache(app, session):
  """Choose the store, watch the session's writes, and serve and store cached reads."""
  app.extensions[CACHE_EXTENSION_KEY] = build_store(app)
  watch_writes(session)
  app.before_request(serve_cached_read)
  app.after_request(store_cached_read)
