"""Body-size refusal, security headers on every response, the CSRF check outside the api
blueprint, and the refusal of NUL characters in URLs (PostgreSQL cannot compare or store them:
a 500 otherwise)."""

from io import BytesIO

from flask import current_app, request

from app.common.CommonErrors import ApiError
from app.extensions import csrf

CONTENT_SECURITY_POLICY = '; '.join(
  [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ]
)

SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
}

API_BLUEPRINT_NAME = 'api'


def refuse_oversized_body():
  """413 from the Content-Length, before a byte of the body is read; a chunked body (no
  Content-Length) is read up to one byte past the limit, never further."""
  limit = current_app.config['MAX_CONTENT_LENGTH']
  if request.content_length is not None:
    if request.content_length > limit:
      raise body_too_large(limit)
  elif request.environ.get('wsgi.input_terminated'):
    # Werkzeug would silently cut such a body at the limit; measure it instead, and hand the
    # app the bytes read with their length.
    body = request.environ['wsgi.input'].read(limit + 1)
    if len(body) > limit:
      raise body_too_large(limit)
    request.environ['wsgi.input'] = BytesIO(body)
    request.environ['CONTENT_LENGTH'] = str(len(body))


def body_too_large(limit):
  return ApiError(413, message=f'The request body is larger than {limit // 1024 // 1024} MB.')


def security_headers(config):
  """The headers every response carries; HSTS only where the config gives it a max-age."""
  headers = dict(SECURITY_HEADERS)
  if config.get('HSTS_MAX_AGE'):
    headers['Strict-Transport-Security'] = f'max-age={config["HSTS_MAX_AGE"]}; includeSubDomains'
  return headers


def register_security(app):
  """Add the security headers to every response, refuse NUL characters in URLs, and check
  CSRF outside the api blueprint (the api checks it itself, after its login check)."""
  headers = security_headers(app.config)

  @app.after_request
  def add_security_headers(response):
    for name, value in headers.items():
      response.headers.setdefault(name, value)
    return response

  @app.before_request
  def refuse_nul_characters():
    if '\x00' in request.path:
      raise ApiError(404)
    if any('\x00' in key + value for key, value in request.args.items(multi=True)):
      raise ApiError(400, message='The query string must not contain NUL characters.')

  @app.before_request
  def check_csrf_outside_api():
    if request.blueprint != API_BLUEPRINT_NAME:
      csrf.protect(apply_exemptions=True)
