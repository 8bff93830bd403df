"""The one error envelope of API.md, and the handlers that turn every failure into it."""

import contextlib
import math
import time

from flask import current_app, jsonify
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from werkzeug.exceptions import HTTPException

from app.common.CommonConstants import DEFAULT_ERROR_MESSAGES, ERROR_CODES_BY_STATUS
from app.common.CommonLogging import current_request_id, log_unexpected_error
from app.extensions import db, limiter

DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable for a moment; try again.'
DATABASE_RETRY_AFTER_SECONDS = 5


class ConfigError(RuntimeError):
  """A setting is missing or malformed; the message names it (app/config.py raises it)."""


class ApiError(Exception):
  """An error the API answers with: status, machine code, human message and optional fields."""

  def __init__(self, status, code=None, message=None, fields=None, headers=None):
    super().__init__(message)
    self.status = status
    self.code = code or ERROR_CODES_BY_STATUS.get(status, 'error')
    self.message = message or DEFAULT_ERROR_MESSAGES.get(status, 'Error.')
    self.fields = fields
    self.headers = headers or {}


def error_response(status, code, message, fields=None, headers=None):
  """Build the envelope response; `fields` appears only when given."""
  body = {'code': code, 'message': message}
  if fields:
    body['fields'] = fields
  body['request_id'] = current_request_id()
  response = jsonify({'error': body})
  response.status_code = status
  for name, value in (headers or {}).items():
    response.headers[name] = value
  return response


def seconds_until_limit_resets():
  """How long the client must wait before the limit that was just hit lets it through."""
  current_limit = limiter.current_limit
  if current_limit is None:
    return 60
  return max(1, math.ceil(current_limit.reset_at - time.time()))


def handle_api_error(error):
  """Answer an ApiError raised by a controller or helper."""
  return error_response(error.status, error.code, error.message, error.fields, error.headers)


def handle_csrf_error(error):
  """A missing or wrong CSRF token is 400 with code `csrf`."""
  return error_response(400, 'csrf', f'CSRF check failed: {error.description}')


def handle_http_exception(error):
  """Werkzeug's HTTP errors (404, 405, 413, 429, ...) in the envelope, never as HTML."""
  status = error.code or 500
  code = ERROR_CODES_BY_STATUS.get(status, 'error')
  message = DEFAULT_ERROR_MESSAGES.get(status) or error.description
  headers = {}
  if status == 405 and error.valid_methods:
    headers['Allow'] = ', '.join(error.valid_methods)
  if status == 429:
    message = f'Too many requests: the limit is {error.description}. Try again later.'
    headers['Retry-After'] = str(seconds_until_limit_resets())
  return error_response(status, code, message, headers=headers)


def is_database_outage(error):
  """A database that cannot be reached or dropped the connection (stopped, restarting, its
  connections terminated, the pool exhausted) — not a bad query: a retry may succeed."""
  if isinstance(error, PoolTimeoutError | OperationalError | InterfaceError):
    return True
  return isinstance(error, DBAPIError) and error.connection_invalidated


def handle_database_outage(error):
  """503 with Retry-After (the client retries a write with its Idempotency-Key), logged as a
  warning with the driver's one-line reason instead of a 500 and a traceback."""
  # The connection may be gone already: the session is reset at teardown either way.
  with contextlib.suppress(Exception):
    db.session.rollback()
  lines = str(getattr(error, 'orig', None) or error).strip().splitlines()
  current_app.logger.warning(
    'Database unavailable: %s', lines[0] if lines else type(error).__name__
  )
  return error_response(
    503,
    ERROR_CODES_BY_STATUS[503],
    DATABASE_UNAVAILABLE_MESSAGE,
    headers={'Retry-After': str(DATABASE_RETRY_AFTER_SECONDS)},
  )


def close_session_quietly(exception=None):
  """End the request's database session; a connection lost after the answer was made (its
  server stopped, its backend terminated) is logged, not turned by gunicorn into a 500 that
  replaces an answer already made (found by the chaos run)."""
  try:
    db.session.remove()
  except DBAPIError as error:
    lines = str(error.orig or error).strip().splitlines()
    current_app.logger.warning(
      'Database connection lost after the answer: %s', lines[0] if lines else type(error).__name__
    )
    # The session's connection was invalidated by the failure; a second remove drops it.
    db.session.remove()


def handle_unexpected_error(error):
  """Log the traceback server-side; the client gets a plain 500 in the envelope (a 503 when
  the database is out of reach)."""
  if isinstance(error, HTTPException):
    return handle_http_exception(error)
  if is_database_outage(error):
    return handle_database_outage(error)
  log_unexpected_error(error)
  return error_response(500, 'internal_error', DEFAULT_ERROR_MESSAGES[500])


def register_error_handlers(app):
  """Bind the handlers for the whole app, so no path can answer HTML."""
  app.register_error_handler(ApiError, handle_api_error)
  app.register_error_handler(CSRFError, handle_csrf_error)
  app.register_error_handler(HTTPException, handle_http_exception)
  app.register_error_handler(Exception, handle_unexpected_error)
