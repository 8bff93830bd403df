"""Sign-up, login, logout and CSRF through the HTTP API."""

from app.extensions import db
from app.users.UserModels import User
from tests.base import ApiTestCase
from tests.factories import DEFAULT_PASSWORD, make_user


class CsrfTokenTest(ApiTestCase):
  def test_csrf_token_is_issued(self):
    response = self.client.get('/api/auth/csrf')
    self.assertEqual(response.status_code, 200)
    self.assertTrue(response.get_json()['csrf_token'])

  def test_post_without_token_is_refused(self):
    response = self.api('post', '/api/auth/signup', json={}, csrf=False)
    self.assert_error(response, 400, 'csrf')

  def test_post_with_wrong_token_is_refused(self):
    self.csrf_token()
    response = self.client.post(
      '/api/auth/logout', headers={'X-CSRFToken': 'not-the-token'}, json={}
    )
    self.assert_error(response, 400, 'csrf')

  def test_token_of_another_session_is_refused(self):
    other_token = self.csrf_token(self.new_client())
    self.csrf_token()
    response = self.client.post('/api/auth/logout', headers={'X-CSRFToken': other_token})
    self.assert_error(response, 400, 'csrf')


class SignupTest(ApiTestCase):
  def test_signup_creates_account_and_logs_in(self):
    user = self.signup('alice', email='Alice@Example.EDU', display_name='Alice N')
    self.assertEqual(user['username'], 'alice')
    self.assertEqual(user['email'], 'alice@example.edu')
    self.assertEqual(user['display_name'], 'Alice N')
    self.assertEqual(user['role'], 'user')
    self.assertNotIn('password_hash', user)
    me = self.client.get('/api/users/me')
    self.assertEqual(me.status_code, 200)
    self.assertEqual(me.get_json()['user']['id'], user['id'])

  def test_display_name_defaults_to_username(self):
    self.assertEqual(self.signup('bob')['display_name'], 'bob')

  def test_password_is_stored_as_argon2id_hash(self):
    self.signup('carol', password='a long enough password')
    stored = db.session.execute(db.select(User)).scalar_one()
    self.assertTrue(stored.password_hash.startswith('$argon2id$'))
    self.assertNotIn('a long enough password', stored.password_hash)

  def test_duplicate_email_differing_in_case_is_a_conflict(self):
    self.signup('alice', email='alice@example.edu')
    response = self.api(
      'post',
      '/api/auth/signup',
      json={'username': 'alice2', 'email': 'ALICE@example.edu', 'password': DEFAULT_PASSWORD},
      client=self.new_client(),
    )
    error = self.assert_error(response, 409, 'conflict')
    self.assertIn('email', error['message'])
    self.assertEqual(db.session.execute(db.select(db.func.count(User.id))).scalar(), 1)

  def test_duplicate_username_is_a_conflict(self):
    self.signup('alice')
    response = self.api(
      'post',
      '/api/auth/signup',
      json={'username': 'alice', 'email': 'other@example.edu', 'password': DEFAULT_PASSWORD},
      client=self.new_client(),
    )
    error = self.assert_error(response, 409, 'conflict')
    self.assertIn('username', error['message'])

  def test_invalid_fields_are_listed(self):
    response = self.api(
      'post',
      '/api/auth/signup',
      json={'username': 'No Spaces!', 'email': 'not-an-email', 'password': 'short'},
    )
    error = self.assert_error(response, 422, 'validation_error', ['username', 'email', 'password'])
    self.assertIn('10', error['fields']['password'][0])

  def test_missing_fields_are_required(self):
    response = self.api('post', '/api/auth/signup', json={})
    self.assert_error(response, 422, 'validation_error', ['username', 'email', 'password'])

  def test_wrong_types_are_validation_errors(self):
    response = self.api(
      'post',
      '/api/auth/signup',
      json={'username': 12345, 'email': ['a@b.c'], 'password': True, 'display_name': {}},
    )
    error = self.assert_error(
      response, 422, 'validation_error', ['username', 'email', 'password', 'display_name']
    )
    self.assertEqual(error['fields']['username'], ['Must be a string.'])

  def test_username_limits(self):
    for username, valid in (('ab', False), ('a' * 31, False), ('abc', True), ('me', False)):
      response = self.api(
        'post',
        '/api/auth/signup',
        json={
          'username': username,
          'email': f'{username}@example.edu',
          'password': DEFAULT_PASSWORD,
        },
        client=self.new_client(),
      )
      self.assertEqual(response.status_code, 201 if valid else 422, (username, response.get_json()))

  def test_unknown_fields_are_ignored(self):
    user = self.signup('dave', role='admin', id=999)
    self.assertEqual(user['role'], 'user')
    self.assertNotEqual(user['id'], 999)

  def test_non_json_body_is_415(self):
    response = self.api('post', '/api/auth/signup', data='username=x', content_type='text/plain')
    self.assert_error(response, 415, 'unsupported_media_type')

  def test_malformed_json_is_400(self):
    response = self.api(
      'post', '/api/auth/signup', data='{"username": ', content_type='application/json'
    )
    self.assert_error(response, 400, 'bad_request')

  def test_json_that_is_not_an_object_is_400(self):
    response = self.api('post', '/api/auth/signup', json=['alice'])
    self.assert_error(response, 400, 'bad_request')


class LoginTest(ApiTestCase):
  def test_login_with_right_password(self):
    user = make_user('erin')
    body = self.login_as(user)
    self.assertEqual(body['username'], 'erin')
    self.assertEqual(self.client.get('/api/users/me').status_code, 200)

  def test_login_email_is_case_insensitive(self):
    make_user('frank', email='frank@example.edu')
    response = self.api(
      'post', '/api/auth/login', json={'email': 'FRANK@Example.edu', 'password': DEFAULT_PASSWORD}
    )
    self.assertEqual(response.status_code, 200)

  def test_unknown_email_and_wrong_password_get_the_same_answer(self):
    make_user('gina')
    wrong_password = self.api(
      'post', '/api/auth/login', json={'email': 'gina@example.edu', 'password': 'wrong password!'}
    )
    unknown_email = self.api(
      'post', '/api/auth/login', json={'email': 'nobody@example.edu', 'password': 'whatever12'}
    )
    first = self.assert_error(wrong_password, 401, 'unauthorized')
    second = self.assert_error(unknown_email, 401, 'unauthorized')
    self.assertEqual(first, second)
    self.assertEqual(self.client.get('/api/users/me').status_code, 401)

  def test_login_validation(self):
    response = self.api('post', '/api/auth/login', json={'email': '', 'remember': 'yes'})
    self.assert_error(response, 422, 'validation_error', ['email', 'password', 'remember'])

  def test_session_is_rotated_at_login(self):
    user = make_user('hank')
    token_before = self.csrf_token()
    self.login_as(user)
    response = self.client.post('/api/auth/logout', headers={'X-CSRFToken': token_before})
    self.assert_error(response, 400, 'csrf')

  def test_remember_sets_a_remember_cookie(self):
    user = make_user('ivy')
    self.api(
      'post',
      '/api/auth/login',
      json={'email': user.email, 'password': DEFAULT_PASSWORD, 'remember': True},
    )
    self.assertIsNotNone(self.client.get_cookie('remember_token'))

  def test_password_rehashed_when_cost_changes(self):
    user = make_user('jack')
    old_hash = user.password_hash
    self.app.config['PASSWORD_HASH_TIME_COST'] = 2
    try:
      self.login_as(user)
    finally:
      self.app.config['PASSWORD_HASH_TIME_COST'] = 1
    db.session.expire_all()
    new_hash = db.session.get(User, user.id).password_hash
    self.assertNotEqual(old_hash, new_hash)
    self.assertIn('t=2', new_hash)


class LogoutTest(ApiTestCase):
  def test_logout_ends_the_session(self):
    self.signup('kate')
    response = self.api('post', '/api/auth/logout')
    self.assertEqual(response.status_code, 204)
    self.assert_error(self.client.get('/api/users/me'), 401, 'unauthorized')

  def test_logout_when_logged_out_is_harmless(self):
    self.assertEqual(self.api('post', '/api/auth/logout').status_code, 204)

  def test_logout_needs_csrf(self):
    self.signup('liam')
    self.assert_error(self.api('post', '/api/auth/logout', csrf=False), 400, 'csrf')
    self.assertEqual(self.client.get('/api/users/me').status_code, 200)


class OptionalBodyTest(ApiTestCase):
  def test_logout_accepts_an_empty_json_request(self):
    self.signup('mia')
    response = self.api('post', '/api/auth/logout', data='', content_type='application/json')
    self.assertEqual(response.status_code, 204)

  def test_logout_refuses_a_malformed_body(self):
    response = self.api('post', '/api/auth/logout', data='{', content_type='application/json')
    self.assert_error(response, 400, 'bad_request')
