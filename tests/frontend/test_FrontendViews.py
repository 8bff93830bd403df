"""The SPA shell, its versioned static assets and their cache headers."""

import gzip
import hashlib
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from app.chat import ChatConstants
from app.frontend.FrontendAssets import LONG_CACHE_CONTROL, static_version
from app.frontend.FrontendBundle import BUNDLE_PATH
from app.frontend.FrontendRoutes import CLIENT_ROUTES
from app.moderation import ModerationConstants
from app.posts import PostConstants, PostHoldConstants
from app.reviews import ReviewConstants
from app.search import SearchConstants
from app.users import UserConstants
from tests.base import ApiTestCase

STATIC_FOLDER = Path(__file__).resolve().parents[2] / 'app' / 'static'


class ShellInspector(HTMLParser):
  """Collects what a strict Content-Security-Policy would refuse, and the asset URLs."""

  def __init__(self):
    super().__init__()
    self.inline_scripts = 0
    self.style_elements = 0
    self.style_attributes = 0
    self.event_attributes = 0
    self.asset_urls = []
    self.module_preloads = []

  def handle_starttag(self, tag, attrs):
    attributes = dict(attrs)
    if tag == 'script':
      if attributes.get('src'):
        self.asset_urls.append(attributes['src'])
      elif attributes.get('type') != 'application/json':  # a data block never runs
        self.inline_scripts += 1
    if tag == 'style':
      self.style_elements += 1
    if tag == 'link' and attributes.get('rel') == 'modulepreload':
      self.module_preloads.append(attributes['href'])
    elif tag == 'link' and attributes.get('href', '').startswith('/static/'):
      self.asset_urls.append(attributes['href'])
    self.style_attributes += 'style' in attributes
    self.event_attributes += any(name.startswith('on') for name in attributes)


class FrontendViewsTest(ApiTestCase):
  def inspect_shell(self, path='/'):
    response = self.client.get(path)
    self.assertEqual(response.status_code, 200)
    inspector = ShellInspector()
    inspector.feed(response.get_data(as_text=True))
    return response, inspector

  def test_shell_is_served_for_client_routes_and_never_cached_without_revalidation(self):
    for path in ('/', '/posts/12', '/posts/12/edit', '/conversations/3', '/search?q=lamp'):
      response = self.client.get(path)
      self.assertEqual(response.status_code, 200, path)
      self.assertIn('id="app"', response.get_data(as_text=True))
      self.assertEqual(response.headers['Cache-Control'], 'private, no-cache')

  def test_api_and_static_paths_are_not_the_shell(self):
    self.assert_error(self.client.get('/api/no-such-endpoint'), 404, 'not_found')
    self.assert_error(self.client.get('/static/js/no-such-file.js'), 404, 'not_found')

  def test_shell_has_no_inline_script_style_or_handlers(self):
    _, inspector = self.inspect_shell()
    self.assertEqual(inspector.inline_scripts, 0)
    self.assertEqual(inspector.style_elements, 0)
    self.assertEqual(inspector.style_attributes, 0)
    self.assertEqual(inspector.event_attributes, 0)

  def test_asset_urls_carry_the_content_hash_and_get_a_year_of_cache(self):
    _, inspector = self.inspect_shell()
    self.assertTrue(any('/static/css/app.css?v=' in url for url in inspector.asset_urls))
    for url in inspector.asset_urls:
      if url.startswith('/bundle/'):
        continue  # built, not a static file: test_shell_loads_the_committed_bundle_as_its_one_script
      filename, version = re.match(r'/static/(.+)\?v=([0-9a-f]+)$', url).groups()
      self.assertEqual(version, static_version(filename))
      response = self.client.get(url)
      self.assertEqual(response.status_code, 200, url)
      self.assertEqual(response.headers['Cache-Control'], LONG_CACHE_CONTROL)

  def test_shell_loads_the_committed_bundle_as_its_one_script(self):
    _, inspector = self.inspect_shell()
    scripts = [url for url in inspector.asset_urls if url.startswith('/bundle/')]
    self.assertEqual(len(scripts), 1)
    self.assertEqual(inspector.module_preloads, [])
    committed = BUNDLE_PATH.read_bytes()
    version = hashlib.sha256(committed).hexdigest()[:12]
    self.assertEqual(scripts[0], f'/bundle/main.js?v={version}')
    response = self.client.get(scripts[0])
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.mimetype, 'text/javascript')
    self.assertEqual(response.headers['Cache-Control'], LONG_CACHE_CONTROL)
    # Byte for byte the file esbuild built (tests/frontend/test_ClientBundle.py: from what).
    self.assertEqual(response.get_data(), committed)
    self.assertNotRegex(response.get_data(as_text=True), r'\beval\(|new Function\(')
    # An old version revalidates; the current one answers 304 to its ETag.
    self.assertEqual(self.client.get('/bundle/main.js?v=0').headers['Cache-Control'], 'no-cache')
    etag = response.headers['ETag']
    self.assertEqual(etag, f'"{version}"')
    self.assertEqual(self.client.get(scripts[0], headers={'If-None-Match': etag}).status_code, 304)

  def test_debug_mode_loads_the_entry_module_itself(self):
    """FLASK_DEBUG=true make run: the modules as they are, so an edit shows without a build."""
    self.app.debug = True
    try:
      _, inspector = self.inspect_shell()
    finally:
      self.app.debug = False
    scripts = [url for url in inspector.asset_urls if url.endswith('.js') or '.js?' in url]
    self.assertEqual(scripts, [f'/static/js/main.js?v={static_version("js/main.js")}'])

  def test_scripts_styles_and_the_shell_are_gzipped_for_clients_that_accept_it(self):
    for url in ('/bundle/main.js', '/static/css/app.css', '/'):
      plain = self.client.get(url)
      packed = self.client.get(url, headers={'Accept-Encoding': 'gzip, deflate'})
      self.assertEqual(packed.headers.get('Content-Encoding'), 'gzip', url)
      self.assertIn('Accept-Encoding', packed.headers.get('Vary', ''), url)
      self.assertEqual(gzip.decompress(packed.get_data()), plain.get_data(), url)
      self.assertLess(len(packed.get_data()), len(plain.get_data()) / 2, url)
      self.assertIsNone(plain.headers.get('Content-Encoding'), url)

  def test_unknown_client_paths_answer_404_with_the_shell(self):
    for path in ('/nope', '/posts/12/nope', '/my-posts/3', '/users/', '/posts'):
      response = self.client.get(path)
      self.assertEqual(response.status_code, 404, path)
      self.assertIn('id="app"', response.get_data(as_text=True))
    for path in ('/users/maya/', '/posts/new', '/reset-password?token=x'):
      self.assertEqual(self.client.get(path).status_code, 200, path)

  def test_server_knows_the_same_routes_as_the_client(self):
    main_source = (STATIC_FOLDER / 'js' / 'main.js').read_text()
    client_patterns = re.findall(r"^route\('([^']+)'", main_source, re.MULTILINE)
    self.assertGreater(len(client_patterns), 10)
    self.assertEqual(sorted(client_patterns), sorted(CLIENT_ROUTES))

  def test_unversioned_or_stale_version_requests_revalidate(self):
    for url in ('/static/js/api.js', '/static/js/main.js?v=0123456789ab'):
      response = self.client.get(url)
      self.assertEqual(response.status_code, 200, url)
      self.assertEqual(response.headers['Cache-Control'], 'no-cache')
      self.assertTrue(response.headers.get('ETag'))

  def test_version_changes_with_the_content(self):
    with self.app.test_request_context():
      self.assertRegex(static_version('js/main.js'), r'^[0-9a-f]{12}$')
      self.assertNotEqual(static_version('js/main.js'), static_version('js/api.js'))
      self.assertIsNone(static_version('js/missing.js'))
      self.assertIsNone(static_version('../templates/app.html'))

  def test_client_code_uses_no_eval_inline_styles_or_html_injection(self):
    """What the CSP would block (eval, style attributes) or what could inject markup."""
    forbidden = re.compile(
      r'\beval\(|new Function\(|innerHTML|outerHTML|insertAdjacentHTML|document\.write'
      r"|\.style\.|\.cssText|setAttribute\('style'"
    )
    scripts = sorted((STATIC_FOLDER / 'js').rglob('*.js'))
    self.assertGreater(len(scripts), 10)
    for script in scripts:
      for number, line in enumerate(script.read_text().splitlines(), start=1):
        self.assertIsNone(forbidden.search(line), f'{script.name}:{number}: {line.strip()}')

  def test_the_shell_hands_the_client_every_limit_it_uses_with_the_server_value(self):
    """Each `LIMITS.name` in the client is the constant NAME of an area, as the server has it."""
    response = self.client.get('/')
    meta = re.search(r"<meta name=\"dibz-limits\" content='([^']*)'>", response.get_data(True))
    limits = json.loads(html.unescape(meta.group(1)))
    constants = {}
    for module in (
      UserConstants,
      PostConstants,
      PostHoldConstants,
      ChatConstants,
      SearchConstants,
      ReviewConstants,
      ModerationConstants,
    ):
      constants.update({name.lower(): value for name, value in vars(module).items()})
    used = set()
    for script in (STATIC_FOLDER / 'js').rglob('*.js'):
      used.update(re.findall(r'\bLIMITS\.(\w+)', script.read_text()))
    self.assertIn('display_name_max_length', used)
    for name in sorted(used):
      self.assertIn(name, limits, f'LIMITS.{name} is not in the shell')
      self.assertEqual(limits[name], constants[name], name)
    self.assertEqual(limits['display_name_max_length'], UserConstants.DISPLAY_NAME_MAX_LENGTH)

  def test_forms_carry_no_hard_coded_bounds(self):
    """maxlength, min and max come from LIMITS, never from a number written in the client (a
    price's `min: 0` is no limit of the server's: nothing costs less than nothing)."""
    hard_coded = re.compile(r"\b(maxlength|minlength|min|max):\s*'?[1-9]")
    for script in (STATIC_FOLDER / 'js').rglob('*.js'):
      for number, line in enumerate(script.read_text().splitlines(), start=1):
        self.assertIsNone(hard_coded.search(line), f'{script.name}:{number}: {line.strip()}')
