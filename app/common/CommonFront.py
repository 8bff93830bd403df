"""The light frame: a WSGI front that answers what needs no session, user or database itself.

Three kinds of GET are answered here, before Flask builds a request context: views marked
`light_answer` (the liveness probe, a fixed body), cached public reads (CommonCache) whose
entry is current, and cached private reads (the user's own profile) for the login session
named in a validly signed session cookie: the entry exists only if Flask-Login accepted that
session under the current generations, it lives no longer than the session's next last-seen
touch or its end, and ending a session (logout, revocation, a password change) bumps the
private generation. Either costs one route match, at most one cache read, headers computed at
start-up and the request's log line, nothing else. Everything else, and every cache miss, goes
on to Flask unchanged, where the same hooks serve and store the cache.
"""

import time

import orjson
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import BadSignature
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.http import parse_cookie
from werkzeug.wsgi import get_host

from app.common.CommonCache import (
  CACHE_CONTROL,
  CACHE_EXTENSION_KEY,
  MISS_ENVIRON_KEY,
  PRIVATE_CACHE_CONTROL,
  cache_key,
  is_personal_session,
  session_identity,
)
from app.common.CommonLogging import REQUEST_ID_KEY, incoming_request_id, write_request_line
from app.common.CommonMetrics import observe_answer
from app.common.CommonSecurity import security_headers

REQUEST_ID_ENVIRON_HEADER = 'HTTP_X_REQUEST_ID'
# Verified session cookies remembered per process: how many, and for how long.
VERIFIED_COOKIE_LIMIT = 4096
VERIFIED_COOKIE_SECONDS = 60.0
# A private answer: kept by the browser only, for this cookie only.
PRIVATE_HEADERS = [('Cache-Control', PRIVATE_CACHE_CONTROL), ('Vary', 'Cookie')]
JSON_CONTENT_TYPE = 'application/json'


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

  def __call__(self, environ, start_response):
    if environ.get('REQUEST_METHOD') != 'GET':
      return self.wsgi_app(environ, start_response)
    started = time.perf_counter()
    answer = self.answer(environ)
    if answer is None:
      return self.wsgi_app(environ, start_response)
    status, extra_headers, body, endpoint = answer
    request_id = incoming_request_id(environ.get(REQUEST_ID_ENVIRON_HEADER))
    environ[REQUEST_ID_KEY] = request_id
    headers = [
      *extra_headers,
      ('Content-Length', str(len(body))),
      *self.headers,
      ('X-Request-ID', request_id),
    ]
    start_response('200 OK' if status == 200 else '304 NOT MODIFIED', headers)
    path = environ.get('PATH_INFO', '')
    write_request_line('GET', path, status, started, None, request_id, environ.get('REMOTE_ADDR'))
    if self.metrics_enabled:
      observe_answer('GET', endpoint, status, started)
    return [body]

  def answer(self, environ):
    """(status, headers, body, endpoint) when the front can answer, else None (Flask will)."""
    path = environ.get('PATH_INFO', '')
    # Only plain paths: anything werkzeug would decode or redirect is Flask's to answer.
    if not path.startswith('/api/') or not path.isascii():
      return None
    if self.trusted_hosts:
      try:
        get_host(environ, self.trusted_hosts)
      except SecurityError:
        # Flask answers an untrusted Host header with its 400.
        return None
    try:
      endpoint, _ = self.url_adapter.match(path, 'GET')
    except HTTPException:
      return None
    view = self.views.get(endpoint)
    body = getattr(view, 'light_answer_body', None)
    if body is not None:
      if environ.get('QUERY_STRING'):
        return None
      return 200, [('Content-Type', JSON_CONTENT_TYPE)], body, endpoint
    answer = None
    if getattr(view, 'is_cached_read', False):
      # A viewer with a block either way has lists of their own: Flask answers them.
      if not self.session_facts(environ)[1]:
        answer = self.cached(environ, '', [('Cache-Control', CACHE_CONTROL)])
    elif getattr(view, 'is_cached_private_read', False):
      identity = self.session_facts(environ)[0]
      if identity:
        answer = self.cached(environ, identity, PRIVATE_HEADERS, private=True)
    return None if answer is None else (*answer, endpoint)

  def session_facts(self, environ):
    """(identity, personal) of the request's cookie session: the user identity, or None (no
    cookie, a bad signature, or a session whose cookie Flask must still write), and whether
    the viewer's public reads are their own (CommonCache.PERSONAL_SESSION_KEY)."""
    if self.session_serializer is None:
      return None, False
    cookie = parse_cookie(environ.get('HTTP_COOKIE', '')).get(self.session_cookie_name)
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

  def cached(self, environ, identity, headers, private=False):
    """The current entry of a cached read as an answer (304 when the client holds it)."""
    store = self.flask_app.extensions.get(CACHE_EXTENSION_KEY)
    if store is None:
      return None
    key = cache_key(environ, identity)
    generation, entry = store.read(key, private=private)
    if entry is None:
      if generation is not None:
        # Flask's hook stores the answer under this generation without reading it again.
        environ[MISS_ENVIRON_KEY] = (key, generation, dict(headers)['Cache-Control'])
      return None
    etag, body = entry
    headers = [('ETag', f'"{etag}"'), *headers]
    if holds_etag(environ.get('HTTP_IF_NONE_MATCH'), etag):
      return 304, headers, b''
    return 200, [('Content-Type', JSON_CONTENT_TYPE), *headers], body


def cookie_session_serializer(flask_app):
  """Flask's signing serializer when sessions are Flask's signed cookies; with any other
  session interface the front leaves private reads to Flask."""
  if type(flask_app.session_interface) is not SecureCookieSessionInterface:
    return None
  return flask_app.session_interface.get_signing_serializer(flask_app)


def holds_etag(if_none_match, etag):
  """Whether an If-None-Match header names `etag` (or is `*`)."""
  if not if_none_match:
    return False
  for candidate in if_none_match.split(','):
    candidate = candidate.strip()
    if candidate.startswith('W/'):
      candidate = candidate[2:]
    if candidate == '*' or candidate.strip('"') == etag:
      return True
  return False


def install_light_front(app):
  """Put the front before the app (inside ProxyFix, so the log sees the client's address)."""
  outer = app.wsgi_app
  if hasattr(outer, 'x_for'):
    outer.app = LightFront(outer.app, app)
  else:
    app.wsgi_app = LightFront(outer, app)
