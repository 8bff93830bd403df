"""A client that talks to nginx the way the SPA (app/static/js/api.js) does: a timeout on
every request, one key per write (`Idempotency-Key`), one retry of a failed or timed-out
request with the same key, and a short wait on `409 idempotency_request_in_progress`.

Every attempt is written to the run's `RequestLog` (when, what, status), from which the
report builds its table; every write acknowledged (2xx) is returned to the caller, who keeps it.
"""

import http.client
import json
import threading
import time
import uuid
from dataclasses import dataclass

REQUEST_TIMEOUT_SECONDS = 10
RETRY_PAUSE_SECONDS = 1.0
# The SPA asks again while the first request with the key still runs (409 in progress).
IN_PROGRESS_RETRIES = 5


@dataclass
class Attempt:
  """One HTTP attempt: started/ended (time.time()), what, status (0 = no answer)."""

  started: float
  ended: float
  method: str
  route: str
  status: int
  public: bool


class RequestLog:
  """Every attempt of every client, thread-safe."""

  def __init__(self):
    self.attempts = []
    self.lock = threading.Lock()

  def add(self, attempt):
    with self.lock:
      self.attempts.append(attempt)

  def snapshot(self):
    with self.lock:
      return list(self.attempts)


class Answer:
  """status (0 when nothing came back), JSON body (or None) and headers."""

  def __init__(self, status, body=None, headers=None):
    self.status = status
    self.body = body
    self.headers = headers or {}

  @property
  def ok(self):
    return 200 <= self.status < 300

  def error_code(self):
    if isinstance(self.body, dict) and isinstance(self.body.get('error'), dict):
      return self.body['error'].get('code')
    return None


def multipart_body(field, filename, content_type, data):
  """(body bytes, Content-Type header) of a one-file multipart form."""
  boundary = uuid.uuid4().hex
  head = (
    f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{filename}"\r\n'
    f'Content-Type: {content_type}\r\n\r\n'
  ).encode()
  return (
    head + data + f'\r\n--{boundary}--\r\n'.encode(),
    f'multipart/form-data; boundary={boundary}',
  )


class SpaClient:
  """Cookies, the CSRF token, and requests with the SPA's timeouts and retries."""

  def __init__(self, host, port, log):
    self.host = host
    self.port = port
    self.log = log
    self.cookies = {}
    self.csrf = None
    self.cookie_lock = threading.Lock()

  def cookie_header(self):
    with self.cookie_lock:
      return '; '.join(f'{name}={value}' for name, value in self.cookies.items())

  def keep_cookies(self, headers):
    with self.cookie_lock:
      for header, value in headers:
        if header.lower() == 'set-cookie':
          name, _, rest = value.partition('=')
          self.cookies[name.strip()] = rest.split(';', 1)[0]

  def send_once(self, method, path, payload, content_type, key, route, public):
    """One attempt; an Answer with status 0 when the connection failed or timed out."""
    headers = {'Accept': 'application/json'}
    cookies = self.cookie_header()
    if cookies:
      headers['Cookie'] = cookies
    if method != 'GET' and self.csrf:
      headers['X-CSRFToken'] = self.csrf
    if content_type:
      headers['Content-Type'] = content_type
    if key:
      headers['Idempotency-Key'] = key
    started = time.time()
    connection = http.client.HTTPConnection(self.host, self.port, timeout=REQUEST_TIMEOUT_SECONDS)
    try:
      connection.request(method, path, body=payload, headers=headers)
      response = connection.getresponse()
      data = response.read()
      self.keep_cookies(response.getheaders())
      status = response.status
      try:
        body = json.loads(data) if data else None
      except ValueError:
        body = None
      answer = Answer(status, body, dict(response.getheaders()))
    except (OSError, http.client.HTTPException):
      answer = Answer(0)
    finally:
      connection.close()
    self.log.add(Attempt(started, time.time(), method, route, answer.status, public))
    return answer

  def request(self, method, path, body=None, route=None, public=False, upload=None):
    """The SPA's request: JSON `body` or an `upload` (field, filename, type, bytes); a write
    gets a fresh Idempotency-Key and one retry with it after a failure or a 5xx."""
    route = route or path
    payload, content_type = None, None
    if upload is not None:
      payload, content_type = multipart_body(*upload)
    elif body is not None:
      payload, content_type = json.dumps(body).encode(), 'application/json'
    key = uuid.uuid4().hex if method == 'POST' else None
    answer = self.send_once(method, path, payload, content_type, key, route, public)
    if answer.status == 0 or answer.status >= 500:
      time.sleep(RETRY_PAUSE_SECONDS)
      answer = self.send_once(method, path, payload, content_type, key, route, public)
    waited = 0
    while answer.error_code() == 'idempotency_request_in_progress' and waited < IN_PROGRESS_RETRIES:
      time.sleep(RETRY_PAUSE_SECONDS)
      waited += 1
      answer = self.send_once(method, path, payload, content_type, key, route, public)
    return answer

  def refresh_csrf(self):
    """The CSRF token of this session (the SPA asks for it at start and after a login)."""
    answer = self.request('GET', '/api/auth/csrf', public=True)
    if answer.ok:
      self.csrf = answer.body['csrf_token']
    return answer.ok
