"""Abuse limits: login, signup, password resets and messages, per address and per account;
429 in the envelope with Retry-After; shared between app instances through Redis; off with
RATELIMIT_ENABLED=false."""

import os
import subprocess
import sys
from io import BytesIO

import pytest
import redis

from app.config import PROJECT_ROOT
from app.extensions import limiter
from tests import factories
from tests.base import ApiTestCase
from tests.hardening.HardeningHelpers import csrf_token, separate_app
from tests.RedisServer import RedisServer

WRONG_PASSWORD = 'not the right password'
SECOND_INSTANCE = """
import sys
from app import create_app
app = create_app('testing')
client = app.test_client()
token = client.get('/api/auth/csrf').get_json()['csrf_token']
response = client.post(
  '/api/auth/login',
  json={'email': sys.argv[1], 'password': 'not the right password'},
  headers={'X-CSRFToken': token},
)
print(response.status_code)
"""


class RateLimitTestCase(ApiTestCase):
  def post_from(self, path, json, address, client=None):
    """A POST with a fresh CSRF token, from the client address `address`."""
    client = client or self.new_client()
    return client.post(
      path,
      json=json,
      headers={'X-CSRFToken': csrf_token(client)},
      environ_overrides={'REMOTE_ADDR': address},
    )

  def login_from(self, email, address, client=None):
    return self.post_from(
      '/api/auth/login', {'email': email, 'password': WRONG_PASSWORD}, address, client
    )

  def assert_rate_limited(self, response):
    self.assert_error(response, 429, 'rate_limited')
    retry_after = response.headers['Retry-After']
    self.assertTrue(retry_after.isdigit(), retry_after)
    self.assertGreater(int(retry_after), 0)
    self.assertLessEqual(int(retry_after), 3600)


# Each test spends a whole budget of logins or sign-ups: seconds each.
@pytest.mark.slow
class AuthRateLimitTest(RateLimitTestCase):
  def test_login_is_limited_tightly_per_account_and_address(self):
    for _ in range(5):
      self.assertEqual(self.login_from('victim@example.edu', '10.0.0.1').status_code, 401)
    self.assert_rate_limited(self.login_from('victim@example.edu', '10.0.0.1'))
    # The email is compared as accounts are: without case.
    self.assert_rate_limited(self.login_from('VICTIM@example.edu', '10.0.0.1'))
    self.assertEqual(self.login_from('someone.else@example.edu', '10.0.0.1').status_code, 401)
    self.assertEqual(self.login_from('victim@example.edu', '10.0.0.2').status_code, 401)

  def test_a_strangers_failed_guesses_do_not_lock_the_owner_out(self):
    user = factories.make_user()
    for _ in range(5):
      self.login_from(user.email, '203.0.113.7')
    self.assert_rate_limited(self.login_from(user.email, '203.0.113.7'))
    client = self.new_client()
    response = client.post(
      '/api/auth/login',
      json={'email': user.email, 'password': factories.DEFAULT_PASSWORD},
      headers={'X-CSRFToken': csrf_token(client)},
      environ_overrides={'REMOTE_ADDR': '198.51.100.20'},
    )
    self.assertEqual(response.status_code, 200, response.get_json())

  def test_failures_per_account_are_limited_loosely_from_any_address(self):
    user = factories.make_user()
    for number in range(50):
      self.assertEqual(
        self.login_from(user.email, f'10.1.{number // 200}.{number}').status_code, 401
      )
    self.assert_rate_limited(self.login_from(user.email, '10.2.0.1'))
    self.assertEqual(self.login_from('someone.else@example.edu', '10.2.0.1').status_code, 401)

  def test_successful_logins_do_not_count_against_the_account(self):
    user = factories.make_user()
    login = {'email': user.email, 'password': factories.DEFAULT_PASSWORD}
    for number in range(51):
      response = self.post_from('/api/auth/login', login, f'10.3.0.{number}')
      self.assertEqual(response.status_code, 200, response.get_json())

  def test_login_is_limited_per_address_across_accounts(self):
    for number in range(20):
      response = self.login_from(f'guess{number}@example.edu', '10.0.2.1')
      self.assertEqual(response.status_code, 401)
    self.assert_rate_limited(self.login_from('guess99@example.edu', '10.0.2.1'))
    self.assertEqual(self.login_from('guess99@example.edu', '10.0.2.2').status_code, 401)

  def test_signup_is_limited_per_address(self):
    def signup_from(number, address):
      payload = {
        'email': f'new{number}@example.edu',
        'username': f'newcomer{number}',
        'password': factories.DEFAULT_PASSWORD,
      }
      return self.post_from('/api/auth/signup', payload, address)

    for number in range(10):
      self.assertEqual(signup_from(number, '10.0.3.1').status_code, 201)
    self.assert_rate_limited(signup_from(10, '10.0.3.1'))
    self.assertEqual(signup_from(11, '10.0.3.2').status_code, 201)

  def test_password_reset_is_limited_per_account(self):
    for number in range(3):
      response = self.post_from(
        '/api/auth/password-reset', {'email': 'victim@example.edu'}, f'10.0.4.{number}'
      )
      self.assertEqual(response.status_code, 202)
    response = self.post_from(
      '/api/auth/password-reset', {'email': 'victim@example.edu'}, '10.0.4.9'
    )
    self.assert_rate_limited(response)

  def test_password_reset_is_limited_per_address(self):
    for number in range(10):
      response = self.post_from(
        '/api/auth/password-reset', {'email': f'person{number}@example.edu'}, '10.0.5.1'
      )
      self.assertEqual(response.status_code, 202)
    response = self.post_from('/api/auth/password-reset', {'email': 'last@example.edu'}, '10.0.5.1')
    self.assert_rate_limited(response)

  def test_password_reset_confirm_is_limited_per_address(self):
    payload = {'token': 'guessed-token', 'new_password': 'a new long password'}
    for _ in range(10):
      response = self.post_from('/api/auth/password-reset/confirm', payload, '10.0.6.1')
      self.assertEqual(response.status_code, 422)
    self.assert_rate_limited(
      self.post_from('/api/auth/password-reset/confirm', payload, '10.0.6.1')
    )

  def test_message_sending_is_limited_per_account(self):
    path = '/api/conversations/{conversation_id}/messages'
    seller, buyer = factories.make_user(), factories.make_user()
    post = factories.make_post(seller)
    self.login_as(buyer)
    response = self.api('post', f'/api/posts/{post.id}/conversations')
    url = path.format(conversation_id=response.get_json()['conversation']['id'])
    for number in range(30):
      response = self.post_from(url, {'body': f'Hello {number}'}, f'10.0.7.{number}', self.client)
      self.assertEqual(response.status_code, 201, response.get_json())
    self.assert_rate_limited(self.post_from(url, {'body': 'Again'}, '10.0.7.200', self.client))


class RateLimitSwitchTest(RateLimitTestCase):
  def test_ratelimit_enabled_false_turns_every_limit_off(self):
    with separate_app('testing', RATELIMIT_ENABLED='false') as app:
      self.assertFalse(limiter.enabled)
      for number in range(25):
        client = app.test_client()
        response = self.login_from('victim@example.edu', '10.0.8.1', client)
        self.assertEqual(response.status_code, 401, number)
      for number in range(12):
        response = self.post_from(
          '/api/auth/password-reset', {'email': 'victim@example.edu'}, '10.0.8.1', app.test_client()
        )
        self.assertEqual(response.status_code, 202, number)
    # The shared test app is bound again, with its limits on.
    self.assertTrue(limiter.enabled)
    for _ in range(5):
      self.login_from('victim2@example.edu', '10.0.8.10')
    self.assert_rate_limited(self.login_from('victim2@example.edu', '10.0.8.10'))


@pytest.mark.redis
@pytest.mark.slow
class SharedLimitTest(RateLimitTestCase):
  """Several gunicorn servers must share one budget: the counts live in Redis."""

  def second_instance_login_status(self, email, storage_uri):
    """The status a separately started app, in another process, gets for one login."""
    environment = {**os.environ, 'RATELIMIT_STORAGE_URI': storage_uri}
    # A fixed command: this interpreter and the literal script above.
    result = subprocess.run(
      [sys.executable, '-c', SECOND_INSTANCE, email],
      cwd=PROJECT_ROOT,
      env=environment,
      capture_output=True,
      text=True,
      timeout=120,
      check=True,
    )
    return int(result.stdout.strip().splitlines()[-1])

  def exhaust_account_limit(self, email, storage_uri):
    with separate_app('testing', RATELIMIT_STORAGE_URI=storage_uri) as app:
      for _ in range(5):
        response = self.login_from(email, '127.0.0.1', app.test_client())
        self.assertEqual(response.status_code, 401)
      self.assert_rate_limited(self.login_from(email, '127.0.0.1', app.test_client()))

  def test_two_app_instances_share_the_limit_through_redis(self):
    # A redis-server of this test's own: the shared one belongs to everybody.
    with RedisServer() as server:
      self.exhaust_account_limit('shared@example.edu', server.url)
      self.assertTrue(redis.Redis.from_url(server.url).keys('*'), 'the counts belong in Redis')
      self.assertEqual(self.second_instance_login_status('shared@example.edu', server.url), 429)
      self.assertEqual(self.second_instance_login_status('other@example.edu', server.url), 401)

  def test_in_memory_limits_are_not_shared_between_processes(self):
    """The control: the same steps without Redis leave the second process unlimited."""
    self.exhaust_account_limit('alone@example.edu', 'memory://')
    self.assertEqual(self.second_instance_login_status('alone@example.edu', 'memory://'), 401)


@pytest.mark.slow
class PerUserLimitTest(RateLimitTestCase):
  """Creating posts, uploading photos, calling dibs and opening conversations are limited per
  logged-in user, wherever the requests come from; another user keeps a budget of their own."""

  def setUp(self):
    super().setUp()
    self.user = factories.make_user()
    self.login_as(self.user)

  def assert_limited_after(self, count, send):
    """`count` calls of send(number) succeed from changing addresses, the next one is a 429."""
    for number in range(count):
      response = send(number)
      self.assertIn(response.status_code, (200, 201), (number, response.get_json()))
    self.assert_rate_limited(send(count))

  def send(self, method, path, address, **kwargs):
    return self.api(method, path, environ_overrides={'REMOTE_ADDR': address}, **kwargs)

  def test_post_creation(self):
    body = {
      'title': 'A lamp',
      'description': 'Bright.',
      'price_cents': 500,
      'category': 'other',
      'condition': 'good',
    }
    self.assert_limited_after(
      20, lambda number: self.send('post', '/api/posts', f'10.4.0.{number}', json=body)
    )
    other = factories.make_user()
    self.login_as(other)
    self.assertEqual(self.api('post', '/api/posts', json=body).status_code, 201)

  def test_image_upload(self):
    from tests.hardening.test_AuthorizationMatrix import PNG_BYTES

    posts = [factories.make_post(self.user) for _ in range(11)]

    def upload(number):
      return self.send(
        'post',
        f'/api/posts/{posts[number // 6].id}/images',
        f'10.4.1.{number}',
        data={'image': (BytesIO(PNG_BYTES), 'lamp.png', 'image/png')},
      )

    self.assert_limited_after(60, upload)

  def test_calling_dibs(self):
    posts = [factories.make_post() for _ in range(61)]
    self.assert_limited_after(
      60,
      lambda number: self.send('post', f'/api/posts/{posts[number].id}/dibs', f'10.4.2.{number}'),
    )

  def test_opening_conversations(self):
    posts = [factories.make_post() for _ in range(31)]
    self.assert_limited_after(
      30,
      lambda number: self.send(
        'post', f'/api/posts/{posts[number].id}/conversations', f'10.4.3.{number}'
      ),
    )
