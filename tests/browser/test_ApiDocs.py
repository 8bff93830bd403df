"""The interactive API reference at /api/docs, in a real browser under the app's policy."""

from app.api.openapi.OpenApiDocument import build_openapi_document
from app.common.CommonSecurity import CONTENT_SECURITY_POLICY
from tests.browser.base import BrowserTestCase, expect, policy_directives

HTTP_METHODS = {'get', 'post', 'put', 'patch', 'delete'}


class ApiDocsPageTest(BrowserTestCase):
  def test_the_page_draws_every_operation_of_the_document_without_a_policy_violation(self):
    page = self.new_page()
    other_origins = []
    page.on(
      'request',
      lambda request: (
        other_origins.append(request.url)
        if not request.url.startswith((self.base_url, 'data:', 'blob:'))
        else None
      ),
    )
    response = page.goto('/api/docs')
    policy = response.headers.get('content-security-policy')
    self.assertEqual(policy_directives(policy), policy_directives(CONTENT_SECURITY_POLICY))
    expect(page.get_by_role('heading', name='Dibz API')).to_be_visible()

    document = build_openapi_document()
    operations = page.locator('.opblock')
    expected_count = sum(
      method in HTTP_METHODS for item in document['paths'].values() for method in item
    )
    expect(operations).to_have_count(expected_count)
    drawn = page.locator('.opblock-summary-path').all_inner_texts()
    self.assertEqual(
      {text.replace('\u200b', '') for text in drawn}, set(document['paths']), 'paths drawn'
    )
    self.assertEqual(other_origins, [])
    self.assert_page_clean()

  def test_try_it_out_sends_the_csrf_token_on_unsafe_methods(self):
    page = self.new_page()
    page.goto('/api/docs#/auth/login')
    operation = page.locator('#operations-auth-login')
    expect(operation).to_be_visible()
    operation.get_by_role('button', name='Try it out').click()
    operation.locator('textarea.body-param__text').fill(
      '{"email": "nobody@example.edu", "password": "not the password"}'
    )
    operation.get_by_role('button', name='Execute').click()
    # With the token the API checks the credentials (401); without it, it would answer 400 csrf.
    status = operation.locator('.live-responses-table tbody .response-col_status')
    expect(status).to_have_text('401')
    expect(operation.locator('.live-responses-table')).to_contain_text('unauthorized')
    self.assert_page_clean()
