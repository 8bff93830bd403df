"""The light frame: a WSGI front that answers, before Flask builds a request context, the views
marked `light_answer` (a fixed body) and cached reads whose entry is current: the one place that
serves hits (docs/CACHE.md). Otherwise it tells Flask, through the environ, under which key and
tokens to store the answer it is about to compute."""

import time
from functools import lru_cache

import orjson
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.http import parse_cookie
from werkzeug.wrappers import Request
from werkzeug.wsgi import get_host

from app.common.CommonCache import (
  ALL_TAG,
  CACHE_EXTENSION_KEY,
  MISS_ENVIRON_KEY,
  cache_key,
  holds_etag,
  is_personal_session,
  session_identity,
)
from app.common.CommonCacheStores import read_entry, token_reader
from app.common.CommonLogging import REQUEST_ID_KEY, incoming_request_id, write_request_line
from app.common.CommonMetrics import observe_answer, observe_cache
from app.common.CommonSecurity import security_headers

REQUEST_ID_ENVIRON_HEADER = 'HTTP_X_REQUEST_ID'
# Verified session cookies remembered per process: how many, and for how long.
VERIFIED_COOKIE_LIMIT = 4096
VERIFIED_COOKIE_SECONDS = 60.0
JSON_HEADERS = [['Content-Type', 'application/json']]
# Parsed query strings each process remembers (CacheRule.query is costly: WTForms).
PARSED_QUERIES_LIMIT = 4096
# Host headers whose trust each process remembers, and the environ items that decide it.
TRUSTED_HOSTS_LIMIT = 64
HOST_ENVIRON_KEYS = ('wsgi.url_scheme', 'HTTP_HOST', 'SERVER_NAME', 'SERVER_PORT')
REFUSED = object()
# A 304 carries what the 200 would, but its body's own headers.
BODY_HEADERS = ('Content-Type', 'Content-Length')


def light_answer(payload):
  """Mark a GET view whose answer is always `payload`: the front serves it without Flask."""

  def decorator(view):
    view.light_answer_body = orjson.dumps(payload) + b'\n'
    return view

  return decorator


class LightFront:
  """WSGI middleware answering light views and current cache entries; the rest goes to Flask."""

  def __init__(self, wsgi_app, flask_app):
    self.wsgi_app = wsgi_app
    self.flask_app = flask_app
    # Rules here match on the path alone (no host or subdomain rules), so one binding serves.
    self.url_adapter = flask_app.url_map.bind('localhost')
    # Views are read at each request: a view replaced after start-up keeps its own marks.
    self.views = flask_app.view_functions
    self.headers = list(security_headers(flask_app.config).items())
    self.session_serializer = cookie_session_serializer(flask_app)
    self.session_cookie_name = flask_app.config['SESSION_COOKIE_NAME']
    self.session_max_age = int(flask_app.permanent_session_lifetime.total_seconds())
    self.verified_cookies = {}
    # /metrics counts the front's answers too (CommonMetrics), when it is on.
    self.metrics_enabled = flask_app.config.get('METRICS_ENABLED', False)
    self.trusted_hosts = flask_app.config.get('TRUSTED_HOSTS')
    # Answers are cached for the app's own mount point only: image URLs carry SCRIPT_NAME.
    self.script_name = (flask_app.config.get('APPLICATION_ROOT') or '/').rstrip('/')
    self.host_is_trusted = lru_cache(maxsize=TRUSTED_HOSTS_LIMIT)(self.check_host)

  def check_host(self, host_facts):
    """Whether werkzeug's get_host trusts the Host (or server name) of these environ items."""
    try:
      get_host(dict(host_facts), self.trusted_hosts)
    except (SecurityError, KeyError):
      return False
    return True

  def __call__(self, environ, start_response):
    method = environ.get('REQUEST_METHOD')
    if method not in ('GET', 'HEAD'):
      return self.wsgi_app(environ, start_response)
    started = time.perf_counter()
    answer = self.answer(environ)
    if answer is None:
      return self.wsgi_app(environ, start_response)
    status, headers, body, endpoint = answer
    request_id = incoming_request_id(environ.get(REQUEST_ID_ENVIRON_HEADER))
    environ[REQUEST_ID_KEY] = request_id
    headers = [*map(tuple, headers), *self.headers, ('X-Request-ID', request_id)]
    if status == 200:
      headers.append(('Content-Length', str(len(body))))
    start_response('200 OK' if status == 200 else '304 NOT MODIFIED', headers)
    path = environ.get('PATH_INFO', '')
    write_request_line(method, path, status, started, None, request_id, environ.get('REMOTE_ADDR'))
    if self.metrics_enabled:
      observe_answer(method, endpoint, status, started)
    return [body if status == 200 and method == 'GET' else b'']

  def answer(self, environ):
    """(status, headers, body, endpoint) when the front can answer, else None (Flask will)."""
    path = environ.get('PATH_INFO', '')
    # Only plain paths: anything werkzeug would decode or redirect is Flask's to answer.
    if not path.startswith('/api/') or not path.isascii():
      return None
    if self.trusted_hosts and not self.host_is_trusted(
      tuple((name, environ[name]) for name in HOST_ENVIRON_KEYS if name in environ)
    ):
      # Flask answers an untrusted Host header with its 400.
      return None
    try:
      endpoint, view_args = self.url_adapter.match(path, 'GET')
    except HTTPException:
      return None
    view = self.views.get(endpoint)
    body = getattr(view, 'light_answer_body', None)
    if body is not None:
      if environ.get('QUERY_STRING'):
        return None
      return 200, JSON_HEADERS, body, endpoint
    rule = getattr(view, 'cache_rule', None)
    if rule is None or environ.get('SCRIPT_NAME', '') != self.script_name:
      return None
    identity, personal = self.session_facts(environ)
    if personal or (rule.private and not identity):
      # A viewer with a block either way has lists of their own: Flask answers them.
      return None
    answer = self.cached(environ, endpoint, view_args, rule, identity if rule.private else '')
    return None if answer is None else (*answer, endpoint)

  def cached(self, environ, endpoint, view_args, rule, identity):
    """The current entry of a cached read (304 when the client holds it), or None after
    telling Flask where to store its answer."""
    store = self.flask_app.extensions.get(CACHE_EXTENSION_KEY)
    if store is None:
      return None
    query = parsed_query(rule, environ.get('QUERY_STRING', ''))
    if query is REFUSED:
      return None
    tags = (ALL_TAG, *rule.tags(view_args, query))
    key = cache_key(endpoint, view_args, query, identity)
    entry, tokens = read_entry(store, key, tags, token_reader(self.flask_app).read)
    if tokens is None:
      return None
    if self.metrics_enabled:
      observe_cache('miss' if entry is None else 'hit')
    if entry is None:
      environ[MISS_ENVIRON_KEY] = (key, tokens, rule.private)
      return None
    etag, headers, body = entry
    if holds_etag(environ.get('HTTP_IF_NONE_MATCH'), etag):
      return 304, [header for header in headers if header[0] not in BODY_HEADERS], b''
    return 200, headers, body

  def session_facts(self, environ):
    """(identity, personal) of the request's cookie session: the user identity, or None (no
    cookie, a bad signature, or a session whose cookie Flask must still write), and whether
    the viewer's public reads are their own (CommonCache.PERSONAL_SESSION_KEY)."""
    if self.session_serializer is None or 'HTTP_COOKIE' not in environ:
      return None, False
    cookie = parse_cookie(environ['HTTP_COOKIE']).get(self.session_cookie_name)
    if not cookie:
      return None, False
    now = time.monotonic()
    known = self.verified_cookies.get(cookie)
    # A cookie checked a moment ago has the same signature and payload: skip the HMAC.
    if known is not None and now - known[1] < VERIFIED_COOKIE_SECONDS:
      return known[0]
    try:
      data = self.session_serializer.loads(cookie, max_age=self.session_max_age)
    except BadSignature:
      return None, False
    facts = (None, False)
    if isinstance(data, dict):
      facts = (session_identity(data), is_personal_session(data))
    if len(self.verified_cookies) >= VERIFIED_COOKIE_LIMIT:
      self.verified_cookies.clear()
    self.verified_cookies[cookie] = (facts, now)
    return facts


@lru_cache(maxsize=PARSED_QUERIES_LIMIT)
def parsed_query(rule, query_string):
  """`rule.query` of a query string (a pure function of the two, so each process keeps the
  newest answers), or REFUSED when the view would answer an error."""
  try:
    return rule.query(Request({'QUERY_STRING': query_string}).args)
  except Exception:  # noqa: BLE001 # a query the view refuses: Flask answers its error
    return REFUSED


def cookie_session_serializer(flask_app):
  """Flask's signing serializer when sessions are Flask's signed cookies; with any other
  session interface the front leaves private reads to Flask."""
  if type(flask_app.session_interface) is not SecureCookieSessionInterface:
    return None
  return flask_app.session_interface.get_signing_serializer(flask_app)


def install_light_front(app):
  """Put the front before the app (inside ProxyFix, so the log sees the client's address)."""
  outer = app.wsgi_app
  if hasattr(outer, 'x_for'):
    outer.app = LightFront(outer.app, app)
  else:
    app.wsgi_app = LightFront(outer, app)
