"""CSRF on every state-changing route of the app, and the flags of the session cookies."""

from http.cookies import SimpleCookie

from tests import factories
from tests.base import ApiTestCase
from tests.hardening.HardeningHelpers import (
  UNSAFE_METHODS,
  csrf_token,
  fill_rule,
  production_environment,
  separate_app,
)


def cookie_attributes(response, name):
  """The attributes of the Set-Cookie header for `name`, lower-cased, with their values."""
  for header in response.headers.getlist('Set-Cookie'):
    cookie = SimpleCookie()
    cookie.load(header)
    if name in cookie:
      morsel = cookie[name]
      flags = {key: morsel[key] for key in morsel if morsel[key]}
      return {key.lower(): value for key, value in flags.items()}
  raise AssertionError(f'No Set-Cookie for {name}: {response.headers.getlist("Set-Cookie")}')


class CsrfWalkTest(ApiTestCase):
  """Every POST/PUT/PATCH/DELETE route of app.url_map, so new routes are covered as they land."""

  def unsafe_routes(self):
    for rule in self.app.url_map.iter_rules():
      for method in sorted(rule.methods & UNSAFE_METHODS):
        yield method, rule

  def test_there_are_unsafe_routes_to_walk(self):
    self.assertGreaterEqual(len(list(self.unsafe_routes())), 7)

  def test_every_unsafe_route_refuses_a_missing_token_with_400_csrf(self):
    self.login_as(factories.make_user())
    for method, rule in self.unsafe_routes():
      with self.subTest(method=method, rule=rule.rule):
        response = self.client.open(fill_rule(rule), method=method, json={})
        self.assert_error(response, 400, 'csrf')

  def test_every_unsafe_route_refuses_a_wrong_token_with_400_csrf(self):
    self.login_as(factories.make_user())
    for method, rule in self.unsafe_routes():
      with self.subTest(method=method, rule=rule.rule):
        response = self.client.open(
          fill_rule(rule), method=method, json={}, headers={'X-CSRFToken': 'forged.token.value'}
        )
        self.assert_error(response, 400, 'csrf')

  def test_a_token_from_another_session_is_refused(self):
    self.login_as(factories.make_user())
    other_token = csrf_token(self.new_client())
    response = self.client.patch(
      '/api/users/me', json={'bio': 'x'}, headers={'X-CSRFToken': other_token}
    )
    self.assert_error(response, 400, 'csrf')

  def test_anonymous_calls_to_private_routes_are_told_to_log_in_before_csrf(self):
    response = self.client.patch('/api/users/me', json={'bio': 'x'})
    self.assert_error(response, 401, 'unauthorized')

  def test_the_token_lets_the_same_request_through(self):
    self.login_as(factories.make_user())
    response = self.api('patch', '/api/users/me', json={'bio': 'x'})
    self.assertEqual(response.status_code, 200, response.get_json())


class SessionCookieTest(ApiTestCase):
  def test_the_session_cookie_is_httponly_and_samesite_lax(self):
    response = self.client.get('/api/auth/csrf')
    attributes = cookie_attributes(response, 'session')
    self.assertIn('httponly', attributes)
    self.assertEqual(attributes['samesite'], 'Lax')
    # Local and test apps serve plain http, where a Secure cookie would never come back.
    self.assertNotIn('secure', attributes)

  def test_the_remember_cookie_is_httponly_and_samesite_lax(self):
    user = factories.make_user()
    response = self.api(
      'post',
      '/api/auth/login',
      json={'email': user.email, 'password': factories.DEFAULT_PASSWORD, 'remember': True},
    )
    self.assertEqual(response.status_code, 200)
    attributes = cookie_attributes(response, 'remember_token')
    self.assertIn('httponly', attributes)
    self.assertEqual(attributes['samesite'], 'Lax')

  def test_staging_and_prod_cookies_are_secure_httponly_and_samesite_lax(self):
    for config_name in ('staging', 'prod'):
      with self.subTest(config_name=config_name):
        with separate_app(config_name, **production_environment()) as app:
          response = app.test_client().get('/api/auth/csrf')
        attributes = cookie_attributes(response, 'session')
        self.assertIn('secure', attributes)
        self.assertIn('httponly', attributes)
        self.assertEqual(attributes['samesite'], 'Lax')
        self.assertTrue(app.config['REMEMBER_COOKIE_SECURE'])
        self.assertTrue(app.config['REMEMBER_COOKIE_HTTPONLY'])
        self.assertEqual(app.config['REMEMBER_COOKIE_SAMESITE'], 'Lax')
