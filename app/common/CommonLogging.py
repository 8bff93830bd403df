"""Structured logs: one JSON line per request and per error, tagged with the request id.

The request id comes from the proxy's X-Request-ID header when it looks safe, else a fresh one;
it is echoed in the response header and in the error envelope, so a user's report can be matched
to the server's lines. Only chosen fields are written: bodies, query strings, cookies and
headers never reach the log, which keeps passwords, reset tokens and session ids out of it.
"""

import logging
import re
import sys
import time
import traceback
import uuid

import orjson
from flask import current_app, g, has_request_context, request
from sqlalchemy import inspect

REQUEST_ID_HEADER = 'X-Request-ID'
# Bounded and plain, so a client cannot forge log lines or blow up their size through it.
REQUEST_ID_PATTERN = re.compile(r'[A-Za-z0-9][A-Za-z0-9._:-]{0,127}')
REQUEST_LOGGER_NAME = 'app.request'
LIMITER_LOGGER_NAME = 'flask-limiter'
# Kept in the WSGI environ, which belongs to one request even when an app context is shared.
REQUEST_ID_KEY = 'dibz.request_id'
REQUEST_STARTED_KEY = 'dibz.request_started'
# Fields a log call may add through `extra=`; anything else on the record is ignored.
EXTRA_FIELD_NAMES = (
  'event',
  'method',
  'path',
  'status',
  'duration_ms',
  'user_id',
  'request_id',
  'remote_addr',
  'error_code',
)
# The development server's access line: `127.0.0.1 - - [30/Nov/2026 10:00:00] "GET / ..." 200 -`.
WERKZEUG_ACCESS_LINE_PATTERN = re.compile(r'^\S+ - - \[[^\]]*\] "')
# A last line of defence for free-text messages (an exception text, a library's warning).
SECRET_IN_TEXT_PATTERN = re.compile(
  r'(?i)\b([\w-]*(?:password|passwd|secret|token|api_key|session)[\w-]*)'
  r'(["\']?\s*[:=]\s*["\']?)([^\s"\'&,;)}\]]+)'
)


# PostgreSQL quotes the failing statement with its values inlined ("LINE 1: ... 'value'") and
# a conflicting key with its value ("Key (email)=(a@b.edu)"); SQLAlchemy's hide_parameters
# cannot reach text the database wrote itself.
DATABASE_ECHO_PATTERNS = (
  (re.compile(r'(?m)^(LINE \d+:).*$'), r'\1 [statement with values hidden]'),
  (
    re.compile(r'(Key \((?:[^()]|\([^()]*\))*\))=\((?:[^()]|\([^()]*\))*\)'),
    r'\1=([redacted])',
  ),
)


def redact_text(text):
  """Mask the value in `name=value` or `"name": "value"` pairs whose name sounds secret, and
  the values a database echoes in its error messages."""
  if '=' not in text and ':' not in text:
    # Every pattern needs one of them (a request line has neither): skip the three scans.
    return text
  text = SECRET_IN_TEXT_PATTERN.sub(lambda match: f'{match[1]}{match[2]}[redacted]', text)
  for pattern, replacement in DATABASE_ECHO_PATTERNS:
    text = pattern.sub(replacement, text)
  return text


class JsonLogFormatter(logging.Formatter):
  """Format a record as one JSON object on one line, masking secret-looking values."""

  converter = time.gmtime

  def __init__(self, redact=True):
    super().__init__()
    self.redact = redact
    # (second, its text): one strftime a second, not one a line.
    self.second_text = (None, '')

  def second_of(self, record):
    """The record's time to the second, as text (UTC)."""
    second, text = self.second_text
    if second != int(record.created):
      second = int(record.created)
      text = time.strftime('%Y-%m-%dT%H:%M:%S', self.converter(second))
      self.second_text = (second, text)
    return text

  def clean(self, text):
    return redact_text(text) if self.redact else text

  def format(self, record):
    entry = {
      'time': f'{self.second_of(record)}.{int(record.msecs):03d}Z',
      'level': record.levelname,
      'logger': record.name,
      'message': self.clean(record.getMessage()),
    }
    for name in EXTRA_FIELD_NAMES:
      if hasattr(record, name):
        entry[name] = getattr(record, name)
    if 'request_id' not in entry:
      request_id = current_request_id_or_none()
      if request_id:
        entry['request_id'] = request_id
    if record.exc_info:
      entry['traceback'] = self.clean(''.join(traceback.format_exception(*record.exc_info)))
    # orjson: the same JSON object, several times faster than json.dumps (one line a request).
    return orjson.dumps(entry, default=str).decode()


def current_request_id_or_none():
  """The id of the request being served, or None outside a request."""
  return request.environ.get(REQUEST_ID_KEY) if has_request_context() else None


def current_request_id():
  """The id of the request being served, made on first use when no hook has set it yet."""
  if REQUEST_ID_KEY not in request.environ:
    header_value = request.headers.get(REQUEST_ID_HEADER)
    request.environ[REQUEST_ID_KEY] = incoming_request_id(header_value)
  return request.environ[REQUEST_ID_KEY]


def incoming_request_id(header_value):
  """The proxy's id when it is short and made of safe characters, else a new random one."""
  if header_value and REQUEST_ID_PATTERN.fullmatch(header_value):
    return header_value
  return uuid.uuid4().hex


def logged_in_user_id():
  """The id of the user Flask-Login already loaded for this request, without a new query."""
  user = g.get('_login_user')
  if user is None or not getattr(user, 'is_authenticated', False):
    return None
  # After a commit the user is expired and `user.id` would load the row again; the identity
  # key holds the id without a query.
  state = inspect(user, raiseerr=False)
  if state is not None and state.identity:
    return state.identity[0]
  return getattr(user, 'id', None)


def error_code_of(response):
  """The `error.code` of an error envelope, or None for any other body."""
  if not response.is_json or response.direct_passthrough:
    return None
  body = response.get_json(silent=True)
  if isinstance(body, dict) and isinstance(body.get('error'), dict):
    return body['error'].get('code')
  return None


def start_request_log():
  """Give the request its id and start its clock."""
  request.environ[REQUEST_STARTED_KEY] = time.perf_counter()
  current_request_id()


def finish_request_log(response):
  """Echo the request id and write the request's one line (at WARNING for a 4xx, ERROR for a
  5xx, with the envelope's `error_code`)."""
  request_id = current_request_id()
  response.headers[REQUEST_ID_HEADER] = request_id
  started = request.environ.get(REQUEST_STARTED_KEY, time.perf_counter())
  write_request_line(
    request.method,
    request.path,
    response.status_code,
    started,
    logged_in_user_id(),
    request_id,
    request.remote_addr,
    error_code=error_code_of(response) if response.status_code >= 400 else None,
  )
  return response


def write_request_line(
  method, path, status, started, user_id, request_id, remote_addr, error_code=None
):
  """Log the one line of an answered request (also for the light front, outside Flask);
  returns its fields. The path only: a query string may carry a reset token or an email."""
  fields = {
    'event': 'request',
    'method': method,
    'path': path,
    'status': status,
    'duration_ms': round((time.perf_counter() - started) * 1000, 1),
    'user_id': user_id,
    'request_id': request_id,
    'remote_addr': remote_addr,
  }
  level = logging.INFO
  if status >= 400:
    fields['error_code'] = error_code
    level = logging.ERROR if status >= 500 else logging.WARNING
  logging.getLogger(REQUEST_LOGGER_NAME).log(level, '%s %s %s', method, path, status, extra=fields)
  return fields


def install_json_handler(logger, redact=True):
  """Send `logger`'s records to stderr as JSON lines, replacing Flask's plain handler."""
  from flask.logging import default_handler

  logger.removeHandler(default_handler)
  handler = next((each for each in logger.handlers if getattr(each, 'is_dibz_json', False)), None)
  if handler is None:
    handler = logging.StreamHandler(sys.stderr)
    handler.is_dibz_json = True
    logger.addHandler(handler)
  handler.setFormatter(JsonLogFormatter(redact=redact))


class DropAccessLines(logging.Filter):
  """Drops the development server's access lines: the request's JSON line says it all. Its
  other records (the address it serves on, errors) pass."""

  def filter(self, record):
    return not (
      record.levelno == logging.INFO
      and WERKZEUG_ACCESS_LINE_PATTERN.match(str(record.getMessage()))
    )


def drop_development_server_access_lines():
  """Install DropAccessLines on werkzeug's logger, once per process."""
  logger = logging.getLogger('werkzeug')
  if not any(isinstance(each, DropAccessLines) for each in logger.filters):
    logger.addFilter(DropAccessLines())


def configure_request_logging(app):
  """Log the app's records as JSON and every request, once, with its id, status and duration."""
  # No line of this process names its source line or thread (gunicorn's name the process):
  # records skip collecting them (the Logging HOWTO's optimizations), a third of a line's cost.
  logging._srcfile = None
  logging.logThreads = logging.logMultiprocessing = False
  app.logger.setLevel(getattr(logging, app.config['LOG_LEVEL'].upper(), logging.INFO))
  drop_development_server_access_lines()
  # On a developer's machine the mail backend writes reset links to the log on purpose.
  install_json_handler(app.logger, redact=app.config['ENV_NAME'] != 'local')
  # Flask-Limiter says here when Redis fails (one warning per outage and process) and when it
  # is back (info); without a handler those lines would be lost.
  limiter_logger = logging.getLogger(LIMITER_LOGGER_NAME)
  limiter_logger.setLevel(logging.INFO)
  limiter_logger.propagate = False
  install_json_handler(limiter_logger)
  app.before_request(start_request_log)
  app.after_request(finish_request_log)


def log_unexpected_error(error):
  """Log an unhandled exception with its traceback; the client sees none of it."""
  current_app.logger.error(
    'Unhandled %s', error.__class__.__name__, exc_info=error, extra={'event': 'exception'}
  )
