"""Fan-out across app servers: two gunicorn instances on one database and one Redis; a message
sent through one reaches a stream held open by the other, and either replays what was missed."""

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from http.cookiejar import CookieJar

import pytest

from app.config import PROJECT_ROOT
from app.extensions import db
from tests import factories
from tests.base import ApiTestCase
from tests.events.event_base import SseReader
from tests.RedisServer import RedisServer, free_port

pytestmark = [pytest.mark.redis, pytest.mark.slow]

START_DEADLINE_SECONDS = 30
READ_TIMEOUT_SECONDS = 20


class AppInstance:
  """`gunicorn wsgi:app` (gthread workers) under APP_ENV=testing on a free port."""

  def __init__(self, database_url, redis_url):
    self.port = free_port()
    self.url = f'http://127.0.0.1:{self.port}'
    environment = dict(
      os.environ,
      APP_ENV='testing',
      TEST_DATABASE_URL=database_url,
      REDIS_URL=redis_url,
      RATELIMIT_ENABLED='false',
      LOG_LEVEL='WARNING',
    )
    self.process = subprocess.Popen(
      [sys.executable, '-m', 'gunicorn', '--bind', f'127.0.0.1:{self.port}']
      + ['--worker-class', 'gthread', '--threads', '4', '--workers', '1']
      + ['--graceful-timeout', '1', 'wsgi:app'],
      cwd=PROJECT_ROOT,
      env=environment,
      stdout=subprocess.DEVNULL,
      stderr=subprocess.DEVNULL,
    )

  def wait_until_up(self):
    deadline = time.monotonic() + START_DEADLINE_SECONDS
    while time.monotonic() < deadline:
      try:
        with urllib.request.urlopen(f'{self.url}/api/health', timeout=2) as response:  # nosec B310
          if response.status == 200:
            return
      except OSError:
        time.sleep(0.2)
    raise AssertionError(f'gunicorn on port {self.port} did not start')

  def stop(self):
    # SIGINT: gunicorn's quick shutdown; open streams would hold up a graceful one.
    self.process.send_signal(signal.SIGINT)
    self.process.wait(timeout=30)


class Browser:
  """One person's cookies, talking JSON to any of the instances."""

  def __init__(self):
    self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

  def call(self, method, url, body=None, headers=None):
    request = urllib.request.Request(url, method=method, headers=dict(headers or {}))
    if body is not None:
      request.data = json.dumps(body).encode()
      request.add_header('Content-Type', 'application/json')
    return self.opener.open(request, timeout=READ_TIMEOUT_SECONDS)

  def json(self, method, instance, path, body=None):
    """Call like the SPA (with a CSRF token on unsafe methods); the JSON answer."""
    headers = {}
    if method != 'GET':
      with self.call('GET', f'{instance.url}/api/auth/csrf') as response:
        headers['X-CSRFToken'] = json.load(response)['csrf_token']
    with self.call(method, f'{instance.url}{path}', body, headers) as response:
      return json.load(response)

  def stream(self, instance, last_event_id=None):
    """(response, SseReader) of GET /api/events on `instance`."""
    headers = {'Last-Event-ID': last_event_id} if last_event_id else {}
    response = self.call('GET', f'{instance.url}/api/events', headers=headers)
    return response, SseReader(iter(lambda: response.read1(65536), b''))


class TwoInstanceFanOutTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.redis = RedisServer().start()
    database_url = db.engine.url.render_as_string(hide_password=False)
    self.instances = [AppInstance(database_url, self.redis.url) for _ in range(2)]

  def tearDown(self):
    for instance in self.instances:
      instance.stop()
    self.redis.stop()
    super().tearDown()

  def test_a_message_sent_through_one_server_reaches_a_stream_held_by_the_other(self):
    seller = factories.make_user('fan_seller')
    buyer = factories.make_user('fan_buyer')
    post = factories.make_post(seller, title='Desk chair')
    first, second = self.instances
    for instance in self.instances:
      instance.wait_until_up()
    seller_browser, buyer_browser = Browser(), Browser()
    credentials = {'password': factories.DEFAULT_PASSWORD}
    seller_browser.json('POST', second, '/api/auth/login', {'email': seller.email, **credentials})
    buyer_browser.json('POST', first, '/api/auth/login', {'email': buyer.email, **credentials})
    conversation = buyer_browser.json('POST', first, f'/api/posts/{post.id}/conversations')
    messages_path = f'/api/conversations/{conversation["conversation"]["id"]}/messages'

    stream, seller_stream = seller_browser.stream(second)
    self.assertEqual(seller_stream.next_block()['comments'], ['connected'])
    sent = buyer_browser.json('POST', first, messages_path, {'body': 'Through the first'})

    event = seller_stream.next_event(READ_TIMEOUT_SECONDS)
    self.assertEqual((event['event'], event['data']['message']), ('message', sent['message']))
    self.assertEqual(seller_stream.next_event(READ_TIMEOUT_SECONDS)['data'], {'unread': 1})
    stream.close()

    # Missed while away; the other server replays it from the shared buffer.
    buyer_browser.json('POST', second, messages_path, {'body': 'While you were away'})
    stream, resumed = seller_browser.stream(first, last_event_id=event['id'])
    replayed = [resumed.next_event(READ_TIMEOUT_SECONDS) for _ in range(3)]
    stream.close()
    self.assertEqual(
      [(item['event'], item['data'].get('message', {}).get('body')) for item in replayed],
      [('unread', None), ('message', 'While you were away'), ('unread', None)],
    )
    self.assertEqual(replayed[-1]['data'], {'unread': 2})
