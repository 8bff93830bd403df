"""Traffic through nginx for the rolling-deploy test: wrk reading, a client writing.

wrk runs in consecutive short rounds (it prints its figures only when a round ends), summed
by `ReadLoad`; `WriteLoad` signs up, then keeps creating posts and sending messages, recording
every write that got a 2xx (to look for in the database afterwards) and every failure.
Both loops are bounded in time and stop when told.
"""

import http.client
import json
import re
import subprocess
import threading
import time
from dataclasses import dataclass, field

WRK_ROUND_SECONDS = 2
MAX_LOAD_SECONDS = 300


@dataclass
class Figures:
  """What one kind of traffic saw."""

  requests: int = 0
  failures: int = 0
  details: list = field(default_factory=list)

  def add(self, other):
    self.requests += other.requests
    self.failures += other.failures
    self.details += other.details


def parse_wrk(output):
  """(requests, failures) of one wrk round: non-2xx/3xx answers plus socket errors."""
  requests = int(re.search(r'(\d+) requests in', output).group(1))
  failures = 0
  non_2xx = re.search(r'Non-2xx or 3xx responses: (\d+)', output)
  if non_2xx:
    failures += int(non_2xx.group(1))
  errors = re.search(
    r'Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)', output
  )
  if errors:
    failures += sum(int(number) for number in errors.groups())
  return requests, failures


class ReadLoad(threading.Thread):
  """wrk -c CONNECTIONS on `url` in rounds until `stop()`."""

  def __init__(self, url, connections=4):
    super().__init__(daemon=True)
    self.url = url
    self.connections = connections
    self.figures = Figures()
    self.stopping = threading.Event()
    self.lock = threading.Lock()

  def run(self):
    deadline = time.monotonic() + MAX_LOAD_SECONDS
    while not self.stopping.is_set() and time.monotonic() < deadline:
      completed = subprocess.run(
        [
          'wrk',
          '-t1',
          f'-c{self.connections}',
          f'-d{WRK_ROUND_SECONDS}s',
          '--timeout',
          '20s',
          self.url,
        ],
        capture_output=True,
        text=True,
      )
      requests, failures = parse_wrk(completed.stdout)
      with self.lock:
        self.figures.requests += requests
        self.figures.failures += failures
        if failures:
          self.figures.details.append(completed.stdout.strip().splitlines()[-4:])

  def snapshot(self):
    with self.lock:
      return Figures(self.figures.requests, self.figures.failures, list(self.figures.details))

  def stop(self):
    self.stopping.set()
    self.join(timeout=WRK_ROUND_SECONDS + 30)


class Browser:
  """A cookie jar and a CSRF token over http.client (the session cookie is Secure, which a
  standard cookie jar would not send over plain http to nginx)."""

  def __init__(self, host, port):
    self.host = host
    self.port = port
    self.cookies = {}
    self.csrf = None

  def request(self, method, path, body=None):
    """(status, JSON body or None); raises OSError when the connection fails."""
    connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
    headers = {'Accept': 'application/json'}
    if self.cookies:
      headers['Cookie'] = '; '.join(f'{name}={value}' for name, value in self.cookies.items())
    if method != 'GET' and self.csrf:
      headers['X-CSRFToken'] = self.csrf
    payload = None
    if body is not None:
      payload = json.dumps(body)
      headers['Content-Type'] = 'application/json'
    try:
      connection.request(method, path, body=payload, headers=headers)
      response = connection.getresponse()
      data = response.read()
      for header, value in response.getheaders():
        if header.lower() == 'set-cookie':
          name, _, rest = value.partition('=')
          self.cookies[name.strip()] = rest.split(';', 1)[0]
    finally:
      connection.close()
    try:
      return response.status, json.loads(data) if data else None
    except ValueError:
      return response.status, None

  def refresh_csrf(self):
    status, body = self.request('GET', '/api/auth/csrf')
    assert status == 200, (status, body)
    self.csrf = body['csrf_token']

  def signup(self, username):
    self.refresh_csrf()
    payload = {
      'username': username,
      'email': f'{username}@example.edu',
      'password': 'rolling-deploy-password',
    }
    status, body = self.request('POST', '/api/auth/signup', payload)
    assert status == 201, (status, body)
    self.refresh_csrf()
    return body['user']


class WriteLoad(threading.Thread):
  """A seller creating posts and buyers sending messages, one write every `pause` seconds."""

  def __init__(self, seller, buyers, conversations, pause=0.3):
    super().__init__(daemon=True)
    self.seller = seller
    self.buyers = buyers
    self.conversations = conversations
    self.pause = pause
    self.acknowledged = {'posts': [], 'messages': []}
    self.figures = Figures()
    self.stopping = threading.Event()
    self.lock = threading.Lock()

  def write_once(self, number):
    """One post (even numbers) or one message (odd), by turns among the buyers."""
    if number % 2 == 0:
      kind, browser, path = 'posts', self.seller, '/api/posts'
      body = {
        'title': f'Rolling deploy item {number}',
        'description': 'Written while the servers were being replaced.',
        'price_cents': 100 + number,
        'category': 'other',
        'condition': 'good',
      }
    else:
      index = (number // 2) % len(self.buyers)
      kind, browser = 'messages', self.buyers[index]
      path = f'/api/conversations/{self.conversations[index]}/messages'
      body = {'body': f'Message {number} during the deploy'}
    try:
      status, answer = browser.request('POST', path, body)
    except OSError as error:
      return kind, None, f'{path}: {error.__class__.__name__}'
    if 200 <= status < 300:
      return kind, answer[kind[:-1]]['id'], None
    return kind, None, f'{path}: {status} {answer}'

  def run(self):
    number = 0
    deadline = time.monotonic() + MAX_LOAD_SECONDS
    while not self.stopping.is_set() and time.monotonic() < deadline:
      kind, row_id, failure = self.write_once(number)
      with self.lock:
        self.figures.requests += 1
        if failure:
          self.figures.failures += 1
          self.figures.details.append(failure)
        else:
          self.acknowledged[kind].append(row_id)
      number += 1
      self.stopping.wait(self.pause)

  def snapshot(self):
    with self.lock:
      return Figures(self.figures.requests, self.figures.failures, list(self.figures.details))

  def stop(self):
    self.stopping.set()
    self.join(timeout=60)
