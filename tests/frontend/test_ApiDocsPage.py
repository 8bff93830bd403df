"""The API reference page at /api/docs: public HTML under the strict policy, drawing the
document with the vendored, pinned Swagger UI."""

import hashlib
import re

from app.common.CommonSecurity import CONTENT_SECURITY_POLICY
from app.frontend.FrontendAssets import LONG_CACHE_CONTROL
from tests.base import ApiTestCase
from tests.factories import make_user
from tests.frontend.test_FrontendViews import STATIC_FOLDER, ShellInspector

VENDOR_FOLDER = STATIC_FOLDER / 'vendor' / 'swagger-ui'


class ApiDocsPageTest(ApiTestCase):
  def get_page(self, client=None):
    response = (client or self.client).get('/api/docs')
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.mimetype, 'text/html')
    return response

  def test_the_page_is_public_and_sent_under_the_strict_policy(self):
    response = self.get_page()
    self.assertEqual(response.headers['Content-Security-Policy'], CONTENT_SECURITY_POLICY)
    self.assertEqual(response.headers['Cache-Control'], 'no-cache')
    inspector = ShellInspector()
    inspector.feed(response.get_data(as_text=True))
    self.assertEqual(
      (inspector.inline_scripts, inspector.style_elements, inspector.style_attributes), (0, 0, 0)
    )
    self.assertEqual(inspector.event_attributes, 0)
    self.assertIn('data-document-url="/api/openapi.json"', response.get_data(as_text=True))

  def test_logged_in_readers_get_the_same_page(self):
    client = self.new_client()
    self.login_as(make_user(), client=client)
    self.assertEqual(self.get_page(client).get_data(), self.get_page().get_data())

  def test_every_asset_is_local_versioned_and_served(self):
    inspector = ShellInspector()
    inspector.feed(self.get_page().get_data(as_text=True))
    urls = inspector.asset_urls
    for name in ('vendor/swagger-ui/swagger-ui-bundle.js', 'vendor/swagger-ui/swagger-ui.css'):
      self.assertTrue(any(url.startswith(f'/static/{name}?v=') for url in urls), name)
    self.assertTrue(any(url.startswith('/static/js/api-docs.js?v=') for url in urls))
    for url in urls:
      self.assertRegex(url, r'^/static/[^?]+\?v=[0-9a-f]{12}$')
      response = self.client.get(url)
      self.assertEqual(response.status_code, 200, url)
      self.assertEqual(response.headers['Cache-Control'], LONG_CACHE_CONTROL)

  def test_the_vendored_files_are_the_pinned_release(self):
    sums = (VENDOR_FOLDER / 'SHA256SUMS').read_text().split('\n')
    checked = 0
    for line in filter(None, sums):
      digest, name = re.match(r'^([0-9a-f]{64})  (\S+)$', line).groups()
      self.assertEqual(hashlib.sha256((VENDOR_FOLDER / name).read_bytes()).hexdigest(), digest)
      checked += 1
    self.assertEqual(checked, 2)
    self.assertIn('5.35.0', (VENDOR_FOLDER / 'README.md').read_text())

  def test_other_methods_get_the_json_envelope(self):
    response = self.client.post('/api/docs')
    self.assert_error(response, 405, 'method_not_allowed')
