"""Sessions that end: server-side rows, ended by logout (both cookies), by the owner from the
list of sessions, by a password change or reset, and by idle and absolute expiry."""

from datetime import timedelta
from unittest import mock

from flask import current_app
from sqlalchemy import func, select, update

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.users import UserSessionHelpers
from app.users.UserModels import PasswordResetToken, UserSession
from tests import factories
from tests.base import ApiTestCase

REMEMBER_COOKIE = 'remember_token'
SESSION_COOKIE = 'session'


class SessionTestCase(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.user = factories.make_user()

  def log_in(self, client=None, remember=False, user_agent='Firefox on a laptop', address=None):
    client = client or self.new_client()
    response = self.api(
      'post',
      '/api/auth/login',
      json={'email': self.user.email, 'password': factories.DEFAULT_PASSWORD, 'remember': remember},
      client=client,
      headers={'User-Agent': user_agent},
      environ_overrides={'REMOTE_ADDR': address or '192.0.2.44'},
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    return client

  def cookie_value(self, client, name):
    cookie = client.get_cookie(name)
    return cookie.value if cookie else None

  def client_with(self, **cookies):
    """A fresh browser holding only the given cookies (a stolen or replayed set)."""
    client = self.new_client()
    for name, value in cookies.items():
      client.set_cookie(name, value)
    return client

  def session_count(self):
    return db.session.execute(select(func.count(UserSession.id))).scalar_one()


class LogoutTest(SessionTestCase):
  def test_replaying_both_cookies_after_logout_is_401(self):
    client = self.log_in(remember=True)
    session_cookie = self.cookie_value(client, SESSION_COOKIE)
    remember_cookie = self.cookie_value(client, REMEMBER_COOKIE)
    self.assertTrue(session_cookie and remember_cookie)
    old_token = self.csrf_token(client)
    self.assertEqual(self.api('post', '/api/auth/logout', client=client).status_code, 204)
    self.assertEqual(self.session_count(), 0)
    # The whole cookie jar as it was before logout, then each cookie alone.
    replay = self.client_with(session=session_cookie, remember_token=remember_cookie)
    self.assert_error(replay.get('/api/users/me'), 401, 'unauthorized')
    replay = self.client_with(session=session_cookie)
    self.assert_error(replay.get('/api/users/me'), 401, 'unauthorized')
    patch = replay.patch(
      '/api/users/me', json={'bio': 'hijacked'}, headers={'X-CSRFToken': old_token}
    )
    self.assert_error(patch, 401, 'unauthorized')
    replay = self.client_with(remember_token=remember_cookie)
    self.assert_error(replay.get('/api/users/me'), 401, 'unauthorized')

  def test_logout_clears_the_remember_cookie(self):
    client = self.log_in(remember=True)
    response = self.api('post', '/api/auth/logout', client=client)
    set_cookies = ' '.join(response.headers.getlist('Set-Cookie'))
    self.assertIn(f'{REMEMBER_COOKIE}=;', set_cookies)
    self.assertIsNone(self.cookie_value(client, REMEMBER_COOKIE))

  def test_the_remember_cookie_alone_logs_in_while_its_session_lives(self):
    client = self.log_in(remember=True)
    remembered = self.client_with(remember_token=self.cookie_value(client, REMEMBER_COOKIE))
    response = remembered.get('/api/users/me')
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.get_json()['user']['id'], self.user.id)
    # It is the same session row, not a new one.
    self.assertEqual(self.session_count(), 1)

  def test_the_cookies_carry_only_a_random_id_and_the_table_only_its_digest(self):
    client = self.log_in(remember=True)
    row = db.session.execute(select(UserSession)).scalar_one()
    remember_cookie = self.cookie_value(client, REMEMBER_COOKIE)
    raw_session_id = remember_cookie.split('|')[0]
    self.assertEqual(len(raw_session_id), 64)
    self.assertNotIn(str(self.user.id) + ':', remember_cookie)
    self.assertEqual(row.id_hash, UserSessionHelpers.hash_session_id(raw_session_id))
    self.assertNotEqual(row.id_hash, raw_session_id)


class SessionListTest(SessionTestCase):
  def test_lists_my_sessions_with_the_current_one_marked(self):
    laptop = self.log_in(user_agent='Firefox on a laptop', address='192.0.2.44')
    self.log_in(user_agent='Safari on a phone', address='2001:db8:1234:5678::9')
    factories.make_user()  # someone else's sessions never show
    items = laptop.get('/api/auth/sessions').get_json()['items']
    self.assertEqual(len(items), 2)
    by_agent = {item['user_agent']: item for item in items}
    self.assertTrue(by_agent['Firefox on a laptop']['current'])
    self.assertFalse(by_agent['Safari on a phone']['current'])
    self.assertEqual(by_agent['Firefox on a laptop']['address'], '192.0.2.0/24')
    self.assertEqual(by_agent['Safari on a phone']['address'], '2001:db8:1234::/48')
    for item in items:
      self.assertTrue(item['created_at'] and item['last_seen_at'])
      self.assertNotIn('id_hash', item)

  def test_ending_another_session_logs_that_browser_out(self):
    laptop, phone = self.log_in(), self.log_in(user_agent='Phone')
    phone_id = next(
      item['id'] for item in phone.get('/api/auth/sessions').get_json()['items'] if item['current']
    )
    self.assertEqual(
      self.api('delete', f'/api/auth/sessions/{phone_id}', client=laptop).status_code, 204
    )
    self.assert_error(phone.get('/api/users/me'), 401, 'unauthorized')
    self.assertEqual(laptop.get('/api/users/me').status_code, 200)
    self.assert_error(
      self.api('delete', f'/api/auth/sessions/{phone_id}', client=laptop), 404, 'not_found'
    )

  def test_ending_the_current_session_logs_me_out(self):
    laptop = self.log_in()
    current_id = laptop.get('/api/auth/sessions').get_json()['items'][0]['id']
    self.assertEqual(
      self.api('delete', f'/api/auth/sessions/{current_id}', client=laptop).status_code, 204
    )
    self.assert_error(laptop.get('/api/users/me'), 401, 'unauthorized')

  def test_someone_elses_session_is_a_404(self):
    mine = self.log_in()
    stranger_client = self.new_client()
    self.login_as(factories.make_user(), client=stranger_client)
    theirs = stranger_client.get('/api/auth/sessions').get_json()['items'][0]['id']
    self.assert_error(
      self.api('delete', f'/api/auth/sessions/{theirs}', client=mine), 404, 'not_found'
    )
    self.assertEqual(stranger_client.get('/api/users/me').status_code, 200)

  def test_revoke_others_keeps_only_this_session(self):
    laptop, phone, tablet = self.log_in(), self.log_in(), self.log_in(remember=True)
    response = self.api('post', '/api/auth/sessions/revoke-others', client=laptop)
    self.assertEqual(response.get_json(), {'ended': 2})
    self.assertEqual(laptop.get('/api/users/me').status_code, 200)
    for client in (phone, tablet):
      self.assert_error(client.get('/api/users/me'), 401, 'unauthorized')
    remembered = self.client_with(remember_token=self.cookie_value(tablet, REMEMBER_COOKIE) or 'x')
    self.assert_error(remembered.get('/api/users/me'), 401, 'unauthorized')


class PasswordEndsSessionsTest(SessionTestCase):
  def test_a_password_change_ends_every_other_session(self):
    laptop, phone = self.log_in(), self.log_in(remember=True)
    response = self.api(
      'put',
      '/api/users/me/password',
      json={'current_password': factories.DEFAULT_PASSWORD, 'new_password': 'a brand new password'},
      client=laptop,
    )
    self.assertEqual(response.status_code, 204, response.get_json())
    self.assertEqual(laptop.get('/api/users/me').status_code, 200)
    self.assert_error(phone.get('/api/users/me'), 401, 'unauthorized')
    self.assertEqual(self.session_count(), 1)

  def test_a_password_reset_ends_every_session(self):
    laptop = self.log_in()
    with mock.patch('app.users.UserHelpers.secrets.token_urlsafe', return_value='known-token'):
      self.api('post', '/api/auth/password-reset', json={'email': self.user.email})
    self.assertEqual(db.session.execute(select(func.count(PasswordResetToken.id))).scalar_one(), 1)
    response = self.api(
      'post',
      '/api/auth/password-reset/confirm',
      json={'token': 'known-token', 'new_password': 'a brand new password'},
      client=self.new_client(),
    )
    self.assertEqual(response.status_code, 204, response.get_json())
    self.assert_error(laptop.get('/api/users/me'), 401, 'unauthorized')
    self.assertEqual(self.session_count(), 0)


class ExpiryTest(SessionTestCase):
  def age_sessions(self, **columns):
    db.session.execute(update(UserSession).values(**columns))
    db.session.commit()

  def test_an_idle_session_expires(self):
    client = self.log_in(remember=True)
    idle = current_app.config['SESSION_IDLE_TIMEOUT_SECONDS']
    self.age_sessions(last_seen_at=utc_now() - timedelta(seconds=idle + 60))
    self.assert_error(client.get('/api/users/me'), 401, 'unauthorized')
    # The expired row is deleted when it is seen.
    self.assertEqual(self.session_count(), 0)

  def test_a_session_older_than_the_maximum_expires_even_when_used(self):
    client = self.log_in(remember=True)
    max_age = current_app.config['SESSION_MAX_AGE_SECONDS']
    self.age_sessions(created_at=utc_now() - timedelta(seconds=max_age + 60))
    self.assert_error(client.get('/api/users/me'), 401, 'unauthorized')

  def test_expired_sessions_are_not_listed_and_housekeeping_deletes_them(self):
    client = self.log_in()
    self.log_in()
    idle = current_app.config['SESSION_IDLE_TIMEOUT_SECONDS']
    db.session.execute(
      update(UserSession)
      .where(UserSession.id == db.session.execute(select(func.max(UserSession.id))).scalar_one())
      .values(last_seen_at=utc_now() - timedelta(seconds=idle + 60))
    )
    db.session.commit()
    self.assertEqual(len(client.get('/api/auth/sessions').get_json()['items']), 1)
    self.assertEqual(UserSessionHelpers.delete_expired_sessions(), 1)
    self.assertEqual(self.session_count(), 1)

  def test_last_seen_is_written_at_most_once_per_interval(self):
    client = self.log_in()
    first_seen = db.session.execute(select(UserSession.last_seen_at)).scalar_one()
    with self.count_queries() as queries:
      for _ in range(3):
        self.assertEqual(client.get('/api/users/me').status_code, 200)
    self.assertFalse([query for query in queries if query.lstrip().upper().startswith('UPDATE')])
    interval = current_app.config['SESSION_TOUCH_INTERVAL_SECONDS']
    self.age_sessions(last_seen_at=first_seen - timedelta(seconds=interval + 1))
    with self.count_queries() as queries:
      client.get('/api/users/me')
    self.assertEqual(
      len([query for query in queries if query.lstrip().upper().startswith('UPDATE')]), 1
    )

  def test_a_request_without_a_cookie_does_no_session_work(self):
    self.log_in()
    with self.count_queries() as queries:
      self.assertEqual(self.new_client().get('/api/health').status_code, 200)
      self.assertEqual(self.new_client().get('/api/posts').status_code, 200)
    self.assertFalse([query for query in queries if 'user_sessions' in query], queries)
