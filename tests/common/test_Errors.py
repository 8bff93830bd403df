"""Every failure under /api answers the one JSON envelope, never HTML or a traceback."""

from app.api import api_blueprint
from app.users.UserHelpers import public_endpoint
from tests.base import ApiTestCase


class ErrorEnvelopeTest(ApiTestCase):
  def test_unknown_api_path_is_json_404(self):
    for path in ('/api/nope', '/api', '/api/users/me/nothing/here'):
      self.assert_error(self.client.get(path), 404, 'not_found')
    self.assert_error(self.api('post', '/api/nope', json={}), 404, 'not_found')

  def test_wrong_method_is_json_405_with_allow(self):
    response = self.api('put', '/api/users/me')
    self.assert_error(response, 405, 'method_not_allowed')
    self.assertIn('PATCH', response.headers['Allow'])

  def test_oversized_body_is_413_before_reading(self):
    limit = self.app.config['MAX_CONTENT_LENGTH']
    response = self.api(
      'post', '/api/auth/signup', data=b'x' * (limit + 1), content_type='application/json'
    )
    self.assert_error(response, 413, 'payload_too_large')

  def test_missing_static_file_is_json_404(self):
    self.assert_error(self.client.get('/static/missing.js'), 404, 'not_found')

  def test_spa_shell_serves_client_routes(self):
    for path in ('/', '/posts/12', '/login'):
      response = self.client.get(path)
      self.assertEqual(response.status_code, 200, path)
      self.assertIn('text/html', response.content_type)


class UnexpectedErrorTest(ApiTestCase):
  def test_unexpected_exception_is_500_without_traceback(self):
    @public_endpoint
    def explode():
      raise RuntimeError('secret internal detail')

    self.app.view_functions['api.health'] = explode
    try:
      with self.assertLogs(self.app.logger, level='ERROR') as logs:
        response = self.client.get('/api/health')
    finally:
      self.app.view_functions['api.health'] = api_blueprint_view('health')
    error = self.assert_error(response, 500, 'internal_error')
    self.assertNotIn('secret internal detail', response.get_data(as_text=True))
    self.assertNotIn('Traceback', response.get_data(as_text=True))
    self.assertNotIn('secret', error['message'])
    self.assertIn('secret internal detail', '\n'.join(logs.output))


def api_blueprint_view(name):
  """The original view function of the api blueprint named `name`."""
  from app.api import HealthApi

  assert api_blueprint.name == 'api'
  return getattr(HealthApi, name)


class HealthTest(ApiTestCase):
  def test_liveness(self):
    response = self.client.get('/api/health')
    self.assertEqual(response.get_json(), {'status': 'ok'})

  def test_readiness_when_migrated(self):
    response = self.client.get('/api/health/ready')
    self.assertEqual(response.status_code, 200)
    self.assertEqual(
      response.get_json(),
      {'status': 'ok', 'database': 'ok', 'migrations': 'head', 'redis': 'not_configured'},
    )


class RateLimitTest(ApiTestCase):
  def test_login_is_limited_per_account(self):
    for _ in range(5):
      response = self.api(
        'post', '/api/auth/login', json={'email': 'target@example.edu', 'password': 'guess12345'}
      )
      self.assertEqual(response.status_code, 401)
    response = self.api(
      'post', '/api/auth/login', json={'email': 'TARGET@example.edu', 'password': 'guess12345'}
    )
    self.assert_error(response, 429, 'rate_limited')
    self.assertGreater(int(response.headers['Retry-After']), 0)
    other_account = self.api(
      'post', '/api/auth/login', json={'email': 'other@example.edu', 'password': 'guess12345'}
    )
    self.assertEqual(other_account.status_code, 401)
