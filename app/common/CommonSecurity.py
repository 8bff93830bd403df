"""Security headers on every response, the CSRF check outside the api blueprint, and the
refusal of NUL characters in URLs (PostgreSQL cannot compare or store them: a 500 otherwise)."""

from flask import request

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
