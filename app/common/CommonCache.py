"""Whole answers of reads, cached under tags whose tokens live in the database: the views' marks,
the keys, storing a miss and the write hooks that bump tags. The rules: docs/CACHE.md."""

import hashlib
from collections import namedtuple

import orjson
from flask import current_app, has_app_context, has_request_context, request
from sqlalchemy import event, func
from sqlalchemy import inspect as inspect_instance

from app.common.CommonCacheStores import (
  NEVER_BUMPED,
  LayeredStore,
  LocalStore,
  RedisStore,
  bump_tags,
  cache_generations,
  cache_redis_client,
  entry_end,
  pack_entry,
  read_entry,
  read_tokens,
)
from app.extensions import db

ALL_TAG = 'all'
PRIVATE_TAG = 'private'
# The tables whose rows only a user's own cached reads show (a bulk write bumps PRIVATE_TAG).
PRIVATE_TABLES = frozenset({'user_sessions', 'notifications', 'notification_preferences'})
CACHE_EXTENSION_KEY = 'dibz_response_cache'
TAGS_INFO_KEY = 'dibz_cache_tags'
# In the cookie session of a viewer whose public reads are their own (a block either way).
PERSONAL_SESSION_KEY = 'dibz_personal_lists'
PERSONAL_ENVIRON_KEY = 'dibz.personal_answer'
# A public answer the cache must not keep (answer_is_not_stored).
UNSTORED_ENVIRON_KEY = 'dibz.unstored_answer'
MISS_ENVIRON_KEY = 'dibz.cache_miss'
SHOWN_ENVIRON_KEY = 'dibz.cache_shown'
UNTIL_ENVIRON_KEY = 'dibz.cache_until'
# Browsers keep the body but ask again each time (If-None-Match), so they never show a stale one.
CACHE_CONTROL = 'no-cache'
PRIVATE_CACHE_CONTROL = 'private, no-cache'
# Headers an answer is stored with (the front adds the frame's and the request's own).
STORED_HEADERS = ('Content-Type', 'ETag', 'Cache-Control', 'Vary')
SINGLE_PROCESS_ENVIRONMENTS = ('local', 'testing')


class ShownInEveryRead:
  """A model whose rows any public read may show (users, reviews, campuses): a write to one
  bumps ALL_TAG."""

  def cache_tags(self, connection):
    return (ALL_TAG,)


class ShownInPrivateReads:
  """A model whose rows only a user's own cached reads show: a write bumps PRIVATE_TAG."""

  def cache_tags(self, connection):
    return (PRIVATE_TAG,)


# How a cached view's key and tags come from its request (cached_read).
CacheRule = namedtuple('CacheRule', 'query tags private')


def cached_read(query=lambda args: None, tags=lambda view_args, query: ()):
  """Mark a public GET view whose whole answer may be cached (it must not depend on the user):
  `query(args)` gives the parsed query the answer depends on (raising on a bad one) and
  `tags(view_args, query)` the tags besides ALL_TAG."""

  def decorator(view):
    view.cache_rule = CacheRule(query, tags, private=False)
    return view

  return decorator


def cached_private_read(view):
  """Mark a GET view whose answer depends on the logged-in session alone (the user's own
  profile): cached per session under PRIVATE_TAG. The view must call `cache_answer_until`."""
  view.cache_rule = CacheRule(lambda args: None, lambda view_args, query: (PRIVATE_TAG,), True)
  return view


def cache_answer_until(until):
  """Serve this request's cached answer no later than `until` (seconds since the epoch)."""
  request.environ[UNTIL_ENVIRON_KEY] = until


def answer_is_personal():
  """This request's answer depends on its viewer: never store it in the shared cache."""
  request.environ[PERSONAL_ENVIRON_KEY] = True


def answer_shows(tokens_by_tag):
  """This request's answer shows rows whose tags' tokens (`{tag: token}`) were read with the
  rows (`with_tag_token`): it is stored under them too (a no-op outside a request)."""
  if has_request_context():
    request.environ.setdefault(SHOWN_ENVIRON_KEY, {}).update(tokens_by_tag)


def with_tag_token(statement, tag, label):
  """`statement` with the token of `tag` (a SQL expression of its rows) as the column `label`
  (answer_shows): a join, as PostgreSQL plans a subquery per row as a scan of the table."""
  tokens = cache_generations.alias(label)
  token = func.coalesce(tokens.c.token, NEVER_BUMPED).label(label)
  return statement.outerjoin(tokens, tokens.c.tag == tag).add_columns(token)


def answer_is_not_stored():
  """This request's answer depends on more than its tags cover (a search's typo correction
  reads every title): answer it with an ETag, never store it (a no-op outside a request)."""
  if has_request_context():
    request.environ[UNSTORED_ENVIRON_KEY] = True


def is_personal_session(session_data):
  """Whether a cookie session belongs to a viewer whose public reads are their own."""
  return bool(session_data.get(PERSONAL_SESSION_KEY))


def session_identity(session_data):
  """The user identity of a cookie session an answer may be cached for: not while Flask-Login
  has a remember cookie to set, nor a sliding (permanent) one, renewed by every answer."""
  if session_data.get('_remember') or session_data.get('_permanent'):
    return None
  return session_data.get('_user_id') or None


def make_etag(body):
  """A strong entity tag for these bytes (unquoted)."""
  return hashlib.blake2b(body, digest_size=12).hexdigest()


def cache_key(*parts):
  """A short key for JSON-able parts (the endpoint, path arguments, parsed query, identity)."""
  text = orjson.dumps(parts, default=str, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
  return hashlib.blake2b(text, digest_size=16).hexdigest()


def holds_etag(if_none_match, etag):
  """Whether If-None-Match names `etag` (weak comparison, as RFC 9110 asks) or is `*`."""
  for candidate in (if_none_match or '').split(','):
    candidate = candidate.strip().removeprefix('W/').strip('"')
    if candidate in ('*', etag):
      return True
  return False


def build_store(app):
  """The store the config asks for, or None when the cache is off (or would gain nothing)."""
  config = app.config
  if not config.get('RESPONSE_CACHE_ENABLED', True):
    return None
  seconds = config['RESPONSE_CACHE_SECONDS']
  if config.get('REDIS_URL'):
    shared = RedisStore(cache_redis_client(config['REDIS_URL']), seconds)
    entries, megabytes = (
      config['RESPONSE_CACHE_PROCESS_ENTRIES'],
      config['RESPONSE_CACHE_PROCESS_MB'],
    )
    return LayeredStore(LocalStore(seconds, entries, megabytes * 1024 * 1024), shared)
  if config['ENV_NAME'] in SINGLE_PROCESS_ENVIRONMENTS:
    return LocalStore(seconds)
  return None


def response_cache():
  """The current app's store, or None."""
  return current_app.extensions.get(CACHE_EXTENSION_KEY)


def clear_response_cache():
  """Invalidate every cached answer (`manage.py cache clear`) and free the store; False when
  Redis could not be emptied (its entries are stale all the same)."""
  with db.engine.begin() as connection:
    bump_tags(connection, [ALL_TAG])
  store = response_cache()
  return store is None or store.clear()


def store_cached_read(response):
  """Store the 200 of a read the front missed under the tokens it read before the view ran;
  answer 304 in place (the later hooks add their headers) when the client holds it."""
  miss = request.environ.pop(MISS_ENVIRON_KEY, None)
  if miss is None or response.status_code != 200 or response.direct_passthrough:
    return response
  if request.environ.get(PERSONAL_ENVIRON_KEY):
    # Its viewer's own answer (a held post to its seller): neither stored nor tagged.
    return response
  key, tokens, private = miss
  store = response_cache()
  answer_end = request.environ.get(UNTIL_ENVIRON_KEY)
  ends_itself = answer_end is not None
  until = entry_end(store.seconds, answer_end)
  body = response.get_data()
  etag = make_etag(body)
  response.headers['ETag'] = f'"{etag}"'
  response.headers['Cache-Control'] = PRIVATE_CACHE_CONTROL if private else CACHE_CONTROL
  response.vary.add('Cookie')
  stored = not request.environ.get(UNSTORED_ENVIRON_KEY)
  if stored and 'Set-Cookie' not in response.headers and (ends_itself or not private):
    headers = [
      [name, response.headers[name]] for name in STORED_HEADERS if name in response.headers
    ]
    shown = request.environ.get(SHOWN_ENVIRON_KEY, {})
    shown_tags = sorted(shown)
    tokens = ' '.join([tokens, *(shown[tag] for tag in shown_tags)])
    store.put(key, pack_entry(tokens, etag, headers, body, until, shown_tags), until)
  if holds_etag(request.headers.get('If-None-Match'), etag):
    response.status_code = 304
    response.set_data(b'')
    for name in ('Content-Type', 'Content-Length'):
      response.headers.pop(name, None)
  return response


def cached_value(name, tags, compute):
  """A small JSON-able value (a count) cached under `tags` (and ALL_TAG): `compute()` on a miss."""
  store = response_cache() if has_app_context() else None
  if store is None:
    return compute()
  tags = (ALL_TAG, *tags)
  key = cache_key('value', name)
  entry, tokens = read_entry(
    store, key, tags, lambda tags: read_tokens(db.session.connection(), tags)
  )
  if entry is not None:
    return orjson.loads(entry[2])
  value = compute()
  until = entry_end(store.seconds)
  store.put(key, pack_entry(tokens, '', [], orjson.dumps(value), until), until)
  return value


# --- The write hook ----------------------------------------------------------------------------


def only_ignored_columns_changed(instance):
  """An updated row that changed only its model's `cache_ignored_columns` (a last-seen time)."""
  ignored = getattr(instance, 'cache_ignored_columns', None)
  if not ignored:
    return False
  state = inspect_instance(instance)
  changed = {attribute.key for attribute in state.attrs if attribute.history.has_changes()}
  return changed <= ignored


def note_cached_writes(session, flush_context):
  """After a flush: collect the tags its rows' writes invalidate (bumped before the commit)."""
  tags = session.info.setdefault(TAGS_INFO_KEY, set())
  connection = session.connection()
  for instance in session.new:
    # A model may say its new rows show nowhere yet (an account before its first post).
    tags_of = getattr(instance, 'cache_tags_when_created', None) or getattr(
      instance, 'cache_tags', None
    )
    if tags_of is not None:
      tags.update(tags_of(connection))
  for instance in session.dirty:
    if hasattr(instance, 'cache_tags') and not only_ignored_columns_changed(instance):
      tags.update(instance.cache_tags(connection))
  for instance in session.deleted:
    if hasattr(instance, 'cache_tags'):
      tags.update(instance.cache_tags(connection))


def watched_tables():
  """The tables whose models have `cache_tags`: the only ones cached views may read."""
  return {
    mapper.local_table.name
    for mapper in db.Model.registry.mappers
    if hasattr(mapper.class_, 'cache_tags')
  }


def note_bulk_writes(orm_execute_state):
  """A bulk UPDATE, DELETE or INSERT on a watched table bumps ALL_TAG (PRIVATE_TAG for a
  private one); on any other table (a sent mail's claim) nothing."""
  state = orm_execute_state
  if state.is_update or state.is_delete or state.is_insert:
    table = getattr(getattr(state.statement, 'table', None), 'name', None)
    if table is not None and table in watched_tables():
      tags = state.session.info.setdefault(TAGS_INFO_KEY, set())
      tags.add(PRIVATE_TAG if table in PRIVATE_TABLES else ALL_TAG)


def bump_before_commit(session):
  """Flush what is left, then bump the collected tags in the transaction being committed."""
  session.flush()
  tags = session.info.pop(TAGS_INFO_KEY, None)
  if tags:
    bump_tags(session.connection(), tags)


def forget_tags(session, transaction):
  """The outer transaction ended: its tags were bumped, or are moot after a rollback (a
  rolled-back savepoint's are kept: at worst one bump too many)."""
  if transaction.parent is None:
    session.info.pop(TAGS_INFO_KEY, None)


def watch_writes(session):
  """Install the session hooks once per process (every app shares the scoped session)."""
  hooks = (
    ('after_flush', note_cached_writes),
    ('do_orm_execute', note_bulk_writes),
    ('before_commit', bump_before_commit),
    ('after_transaction_end', forget_tags),
  )
  for name, hook in hooks:
    if not event.contains(session, name, hook):
      event.listen(session, name, hook)


def configure_response_cache(app, session):
  """Choose the store and watch the writes; the store hook, registered last, runs first among
  the after-request hooks (the security headers and metrics see its 304)."""
  app.extensions[CACHE_EXTENSION_KEY] = build_store(app)
  watch_writes(session)
  app.after_request(store_cached_read)
