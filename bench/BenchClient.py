"""Plain HTTP to a running server: log in like the SPA and capture responses.

Production sets Secure cookies, which a browser only sends over HTTPS; the cookie is just a
header to a load generator, so it is read from Set-Cookie here and passed to wrk by hand.
"""

import http.client
import json
from dataclasses import dataclass

SESSION_COOKIE_NAME = 'session'


@dataclass
class HttpAnswer:
  status: int
  content_type: str
  body: bytes
  set_cookies: list

  def json(self):
    return json.loads(self.body)


@dataclass
class BenchSession:
  """A logged-in session: the headers every request of the load sends."""

  cookie: str
  csrf_token: str

  def headers(self, with_csrf=False):
    headers = {'Cookie': f'{SESSION_COOKIE_NAME}={self.cookie}'}
    if with_csrf:
      headers['X-CSRFToken'] = self.csrf_token
    return headers


def http_request(port, method, path, headers=None, body=None):
  """One request to 127.0.0.1:`port`; a dict body is sent as JSON."""
  headers = dict(headers or {})
  if isinstance(body, dict):
    body = json.dumps(body).encode()
    headers['Content-Type'] = 'application/json'
  connection = http.client.HTTPConnection('127.0.0.1', port, timeout=30)
  try:
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    return HttpAnswer(
      status=response.status,
      content_type=response.getheader('Content-Type', ''),
      body=response.read(),
      set_cookies=response.headers.get_all('Set-Cookie') or [],
    )
  finally:
    connection.close()


def session_cookie(answer, current=None):
  """The session cookie value an answer sets, or `current` when it sets none."""
  for header in answer.set_cookies:
    name, _, rest = header.partition('=')
    if name.strip() == SESSION_COOKIE_NAME:
      return rest.split(';', 1)[0]
  return current


def login(port, email, password):
  """Log in through the API as the SPA does; returns the session with a fresh CSRF token."""
  answer = http_request(port, 'GET', '/api/auth/csrf')
  cookie = session_cookie(answer)
  token = answer.json()['csrf_token']
  answer = http_request(
    port,
    'POST',
    '/api/auth/login',
    headers={'Cookie': f'{SESSION_COOKIE_NAME}={cookie}', 'X-CSRFToken': token},
    body={'email': email, 'password': password},
  )
  if answer.status != 200:
    raise RuntimeError(f'Bench login failed with {answer.status}: {answer.body[:200]!r}')
  cookie = session_cookie(answer, cookie)
  # Logging in starts a fresh session, so the token is asked for again within it.
  answer = http_request(
    port, 'GET', '/api/auth/csrf', headers={'Cookie': f'{SESSION_COOKIE_NAME}={cookie}'}
  )
  return BenchSession(cookie=session_cookie(answer, cookie), csrf_token=answer.json()['csrf_token'])
