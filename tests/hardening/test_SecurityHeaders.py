"""Security headers on every kind of response, and HSTS only in prod."""

from app.common.CommonSecurity import CONTENT_SECURITY_POLICY
from tests.base import ApiTestCase
from tests.hardening.HardeningHelpers import production_environment, separate_app

EXPECTED_CSP = (
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
  "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class SecurityHeadersTest(ApiTestCase):
  def assert_security_headers(self, response):
    self.assertEqual(response.headers['Content-Security-Policy'], EXPECTED_CSP)
    self.assertEqual(response.headers['X-Content-Type-Options'], 'nosniff')
    self.assertEqual(response.headers['Referrer-Policy'], 'same-origin')
    self.assertEqual(response.headers['X-Frame-Options'], 'DENY')

  def test_the_policy_constant_is_the_strict_one(self):
    self.assertEqual(CONTENT_SECURITY_POLICY, EXPECTED_CSP)

  def test_json_html_and_error_responses_carry_the_headers(self):
    for path in ('/api/health', '/', '/some/client/route', '/api/no-such-thing'):
      with self.subTest(path=path):
        self.assert_security_headers(self.client.get(path))

  def test_refused_requests_carry_the_headers_too(self):
    self.assert_security_headers(self.client.post('/api/auth/login', json={}))
    self.assert_security_headers(self.client.delete('/api/health'))

  def test_no_hsts_outside_prod(self):
    self.assertNotIn('Strict-Transport-Security', self.client.get('/api/health').headers)
    with separate_app('staging', **production_environment()) as app:
      response = app.test_client().get('/api/health')
    self.assertNotIn('Strict-Transport-Security', response.headers)
    self.assert_security_headers(response)

  def test_prod_sends_hsts_for_a_year(self):
    with separate_app('prod', **production_environment()) as app:
      response = app.test_client().get('/api/health')
    self.assertEqual(
      response.headers['Strict-Transport-Security'], 'max-age=31536000; includeSubDomains'
    )
    self.assert_security_headers(response)
