"""Redis is a soft dependency: killed or hung, login, sign-up and chat keep working with the
limits counted in each process's memory (one warning per outage), readiness reports Redis
without failing, and the limits go back to Redis once it answers again.

Each test starts a redis-server of its own (tests/RedisServer.py) and kills or
hangs it; the shared Redis is never touched."""

import logging
import time

import pytest
import redis

from app.common.CommonLogging import LIMITER_LOGGER_NAME
from app.common.CommonRedis import REDIS_TIMEOUT_SECONDS
from tests import factories
from tests.base import ApiTestCase
from tests.hardening.HardeningHelpers import csrf_token, separate_app
from tests.RedisServer import RedisServer

pytestmark = pytest.mark.redis

WRONG_PASSWORD = 'not the right password'
# A generous guard against a hang, per request (before the fix, each limited request waited
# 5 s on a hung Redis); speed itself is measured by the gunicorn replay, not asserted here.
HANG_GUARD_SECONDS = 2.0


class RecordingHandler(logging.Handler):
  """Keeps the records of the limiter's logger, to count its warnings."""

  def __init__(self):
    super().__init__(logging.DEBUG)
    self.records = []

  def emit(self, record):
    self.records.append(record)

  def messages(self, level):
    return [record.getMessage() for record in self.records if record.levelno == level]


class RedisOutageTestCase(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.handler = RecordingHandler()
    logging.getLogger(LIMITER_LOGGER_NAME).addHandler(self.handler)
    self.addCleanup(logging.getLogger(LIMITER_LOGGER_NAME).removeHandler, self.handler)

  def post(self, app, path, json, address='10.9.0.1', client=None):
    client = client or app.test_client()
    return client.post(
      path,
      json=json,
      headers={'X-CSRFToken': csrf_token(client)},
      environ_overrides={'REMOTE_ADDR': address},
    )

  def login(self, app, email, password, address='10.9.0.1', client=None):
    return self.post(
      app, '/api/auth/login', {'email': email, 'password': password}, address, client
    )

  def chat(self, app, seller, buyer):
    """Open a conversation as `buyer` on a post of `seller` and send a message; the status
    codes of both."""
    client = app.test_client()
    self.assertEqual(
      self.login(app, buyer.email, factories.DEFAULT_PASSWORD, client=client).status_code, 200
    )
    post = factories.make_post(seller)
    opened = self.post(app, f'/api/posts/{post.id}/conversations', {}, client=client)
    conversation_id = opened.get_json()['conversation']['id']
    sent = self.post(
      app, f'/api/conversations/{conversation_id}/messages', {'body': 'Still there?'}, client=client
    )
    return opened.status_code, sent.status_code

  def assert_everything_still_works(self, app):
    seller, buyer = factories.make_user(), factories.make_user()
    self.assertEqual(self.login(app, seller.email, factories.DEFAULT_PASSWORD).status_code, 200)
    signup = self.post(
      app,
      '/api/auth/signup',
      {'email': 'late@example.edu', 'username': 'latecomer', 'password': 'a long password'},
    )
    self.assertEqual(signup.status_code, 201, signup.get_json())
    self.assertEqual(self.chat(app, seller, buyer), (201, 201))
    self.assertEqual(app.test_client().get('/api/posts').status_code, 200)
    # The limits still hold, counted in this process's memory.
    for _ in range(5):
      self.assertEqual(self.login(app, buyer.email, WRONG_PASSWORD, '10.9.9.9').status_code, 401)
    self.assert_error(self.login(app, buyer.email, WRONG_PASSWORD, '10.9.9.9'), 429, 'rate_limited')


class RedisKilledTest(RedisOutageTestCase):
  def test_with_redis_killed_the_api_keeps_working_and_warns_once(self):
    with RedisServer() as server, separate_app('testing', REDIS_URL=server.url) as app:
      self.assertEqual(self.login(app, 'x@example.edu', WRONG_PASSWORD).status_code, 401)
      self.assertTrue(redis.Redis.from_url(server.url).keys('*'), 'limits should be in Redis')
      server.kill()
      self.assert_everything_still_works(app)
    warnings = self.handler.messages(logging.WARNING)
    self.assertEqual(len(warnings), 1, warnings)
    self.assertIn('falling back to in-memory storage', warnings[0])

  def test_readiness_reports_redis_without_failing(self):
    with RedisServer() as server, separate_app('testing', REDIS_URL=server.url) as app:
      ready = app.test_client().get('/api/health/ready')
      self.assertEqual((ready.status_code, ready.get_json()['redis']), (200, 'ok'))
      server.kill()
      ready = app.test_client().get('/api/health/ready')
      self.assertEqual(ready.status_code, 200, ready.get_json())
      self.assertEqual(ready.get_json()['status'], 'ok')
      self.assertEqual(ready.get_json()['redis'], 'unavailable')
      with app.app_context():
        result = app.test_cli_runner().invoke(args=['check'])
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertIn('redis: unavailable', result.output)

  def test_limits_go_back_to_redis_when_it_returns(self):
    with RedisServer() as server, separate_app('testing', REDIS_URL=server.url) as app:
      server.kill()
      self.assertEqual(self.login(app, 'a@example.edu', WRONG_PASSWORD).status_code, 401)
      server.start()
      store = redis.Redis.from_url(server.url)
      self.assertEqual(store.keys('*'), [])
      # Flask-Limiter tries the storage again after 1, 2, 4, ... seconds (at most 32).
      time.sleep(2.2)
      self.assertEqual(self.login(app, 'b@example.edu', WRONG_PASSWORD).status_code, 401)
      self.assertEqual(self.login(app, 'c@example.edu', WRONG_PASSWORD).status_code, 401)
      self.assertTrue(store.keys('*'), 'the limits should be counted in Redis again')
    self.assertIn('Rate limit storage recovered', self.handler.messages(logging.INFO))


class RedisHungTest(RedisOutageTestCase):
  def test_every_redis_call_gives_up_within_200_ms(self):
    with RedisServer() as server, separate_app('testing', REDIS_URL=server.url) as app:
      options = app.config['RATELIMIT_STORAGE_OPTIONS']
      self.assertLessEqual(options['socket_timeout'], 0.2)
      self.assertLessEqual(options['socket_connect_timeout'], 0.2)
      self.assertEqual(REDIS_TIMEOUT_SECONDS, 0.2)
      server.hang()
      with app.app_context():
        from app.common.CommonRedis import get_redis

        with self.assertRaises(redis.exceptions.TimeoutError):
          get_redis().ping()

  def test_with_redis_hung_the_api_keeps_working(self):
    with RedisServer() as server, separate_app('testing', REDIS_URL=server.url) as app:
      self.assertEqual(self.login(app, 'x@example.edu', WRONG_PASSWORD).status_code, 401)
      server.hang()
      durations = []
      for number in range(5):
        started = time.monotonic()
        self.assertEqual(app.test_client().get('/api/posts').status_code, 200)
        self.assertEqual(self.login(app, f'{number}@example.edu', WRONG_PASSWORD).status_code, 401)
        durations.append(time.monotonic() - started)
      self.assertLess(max(durations), HANG_GUARD_SECONDS, 'a request waited on the hung Redis')
      self.assert_everything_still_works(app)
      ready = app.test_client().get('/api/health/ready')
      self.assertEqual((ready.status_code, ready.get_json()['redis']), (200, 'unavailable'))
    self.assertEqual(len(self.handler.messages(logging.WARNING)), 1)
