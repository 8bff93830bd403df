"""The client in the browser: it runs from the one bundle esbuild built, and its building blocks
(safe highlight rendering, the API client) behave, imported as the modules they are."""

import re

from tests.browser.base import BrowserTestCase


class ClientModulesTest(BrowserTestCase):
  def open_app(self):
    page = self.new_page()
    page.goto('/login')
    page.wait_for_selector('form[data-testid="login-form"]')
    return page

  def test_the_app_runs_from_the_one_bundle_without_loading_a_module(self):
    scripts = []
    page = self.new_page()
    page.on(
      'request',
      lambda request: scripts.append(request.url) if request.resource_type == 'script' else None,
    )
    page.goto('/login')
    page.wait_for_selector('form[data-testid="login-form"]')
    page.get_by_role('link', name='Browse').click()
    page.wait_for_selector('h1:has-text("Fresh on campus")')
    self.assertEqual(len(scripts), 1, scripts)
    self.assertRegex(scripts[0], r'/bundle/main\.js\?v=[0-9a-f]{12}$')
    self.assertFalse([url for url in scripts if re.search(r'/static/js/', url)])
    self.assert_page_clean()

  def test_highlight_keeps_only_mark_elements_and_runs_nothing(self):
    page = self.open_app()
    result = page.evaluate(
      """async () => {
        const {markedText} = await import('/static/js/dom.js');
        window.injected = false;
        const holder = document.createElement('p');
        holder.append(markedText(
          'A <mark>calc</mark>ulator &lt;b&gt;not bold&lt;/b&gt; it&#39;s &amp;c ' +
          '<img src="x" onerror="window.injected = true"><script>window.injected = true</script>' +
          '<b>bold <mark>calc</mark></b> <a href="javascript:alert(1)">link</a>'
        ));
        document.body.append(holder);
        await new Promise((resolve) => setTimeout(resolve, 50));
        return {
          tags: [...holder.querySelectorAll('*')].map((node) => node.tagName),
          marks: [...holder.querySelectorAll('mark')].map((node) => node.textContent),
          text: holder.textContent,
          injected: window.injected,
        };
      }"""
    )
    self.assertEqual(result['tags'], ['MARK', 'MARK'])
    self.assertEqual(result['marks'], ['calc', 'calc'])
    self.assertTrue(result['text'].startswith("A calculator <b>not bold</b> it's &c "))
    # Markup the server did not escape is shown as the text it is, never made into elements.
    self.assertIn('<img src="x" onerror=', result['text'])
    self.assertIn('<b>bold calc</b>', result['text'])
    self.assertFalse(result['injected'])
    self.assert_page_clean()

  def test_api_client_sends_the_csrf_token_and_exposes_the_envelope(self):
    page = self.open_app()
    result = page.evaluate(
      """async () => {
        const {api} = await import('/static/js/api.js');
        try {
          await api('POST', '/api/auth/signup', {json: {email: 'nope'}});
          return null;
        } catch (error) {
          return {name: error.name, status: error.status, code: error.code,
                  message: error.message, fields: Object.keys(error.fields).sort()};
        }
      }"""
    )
    # A validation error, not a CSRF refusal: the header went with the request.
    self.assertEqual(result['status'], 422)
    self.assertEqual(result['code'], 'validation_error')
    self.assertEqual(result['name'], 'ApiError')
    self.assertEqual(result['fields'], ['email', 'password', 'username'])
    self.assertTrue(result['message'])

    not_found = page.evaluate(
      """async () => {
        const {api} = await import('/static/js/api.js');
        return api('GET', '/api/no-such-thing').catch((error) => [error.status, error.code, error.message]);
      }"""
    )
    self.assertEqual(not_found[:2], [404, 'not_found'])
    self.assertEqual(not_found[2], 'There is nothing here.')
    self.assert_page_clean()
