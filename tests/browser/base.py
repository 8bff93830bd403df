"""Browser tests: the app served by a real HTTP server on 127.0.0.1, driven by Debian's Chromium
through Playwright. Skipped, with the reason, only when Chromium (or Playwright) is missing."""

import atexit
import os
import re
import shutil
import struct
import threading
import unittest
import zlib
from pathlib import Path

from werkzeug.serving import make_server

from app.config import PROJECT_ROOT
from tests.base import ApiTestCase, get_test_app
from tests.factories import DEFAULT_PASSWORD

try:
  from playwright.sync_api import expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
  sync_playwright = None
  expect = None

CHROMIUM_PATH = '/usr/bin/chromium'
CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
# The widths issue 15 names: a common laptop and a common phone.
DESKTOP = {'width': 1366, 'height': 900}
PHONE = {'width': 390, 'height': 844}
SCREENSHOT_FOLDER = PROJECT_ROOT / 'test-artifacts' / 'screenshots'
# Generous for a 2-core machine shared with other work; a passing step takes far less.
STEP_TIMEOUT_MS = 10_000


def browser_unavailable_reason():
  """Why the browser tests cannot run here, or None when they can."""
  if sync_playwright is None:
    return 'Playwright is not installed (pip install -r requirements-dev.txt).'
  if not Path(CHROMIUM_PATH).exists() and not shutil.which('chromium'):
    return f'Chromium is not installed at {CHROMIUM_PATH} (apt-get install -y chromium).'
  return None


def policy_directives(policy):
  """{'script-src': "'self'", ...} from a Content-Security-Policy header value."""
  directives = {}
  for part in policy.split(';'):
    words = part.split()
    if words:
      directives[words[0].lower()] = ' '.join(words[1:])
  return directives


class LiveServer:
  """The test app behind werkzeug's threaded server on a free port, in a daemon thread. It
  counts the requests in flight, so a test can wait for them before emptying the database
  (on PostgreSQL a TRUNCATE racing a request's reads deadlocks)."""

  def __init__(self, app):
    self.active_requests = 0
    self.idle = threading.Condition()
    self.server = make_server('127.0.0.1', 0, self.counted(app), threaded=True)
    self.url = f'http://127.0.0.1:{self.server.server_port}'
    self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
    self.thread.start()

  def counted(self, app):
    """`app` as a WSGI callable that keeps `active_requests` up to date."""

    def counting_app(environ, start_response):
      with self.idle:
        self.active_requests += 1
      try:
        # Flask ends the request (and its database session) before returning the body.
        return app(environ, start_response)
      finally:
        with self.idle:
          self.active_requests -= 1
          self.idle.notify_all()

    return counting_app

  def wait_idle(self, timeout=10):
    """Block until no request is being handled (or `timeout` seconds passed)."""
    with self.idle:
      self.idle.wait_for(lambda: self.active_requests == 0, timeout=timeout)

  def stop(self):
    self.server.shutdown()
    self.thread.join(timeout=5)


def png_bytes(width=320, height=240):
  """A small valid PNG (a colour gradient), made here so the tests need no image files."""
  rows = bytearray()
  for y in range(height):
    rows.append(0)  # filter type: none
    for x in range(width):
      rows += bytes((80 + x * 150 // width, 70 + y * 120 // height, 229 - x * 100 // width))

  def chunk(kind, data):
    body = kind + data
    return struct.pack('>I', len(data)) + body + struct.pack('>I', zlib.crc32(body) & 0xFFFFFFFF)

  header = struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0)
  return (
    b'\x89PNG\r\n\x1a\n'
    + chunk(b'IHDR', header)
    + chunk(b'IDAT', zlib.compress(bytes(rows)))
    + chunk(b'IEND', b'')
  )


_BROWSER = {}


def shared_browser():
  """One Chromium for the whole test process (launching it is the slow part), closed at exit."""
  if 'browser' not in _BROWSER:
    playwright = sync_playwright().start()
    executable = CHROMIUM_PATH if Path(CHROMIUM_PATH).exists() else shutil.which('chromium')
    _BROWSER['browser'] = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)

    def close():
      _BROWSER.pop('browser').close()
      playwright.stop()

    atexit.register(close)
  return _BROWSER['browser']


class BrowserTestCase(ApiTestCase):
  """A shared Chromium and live server, a fresh database per test, pages that record CSP violations
  and script errors; `assert_page_clean` fails on any of them."""

  live_server = None

  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    reason = browser_unavailable_reason()
    if reason and os.environ.get('CI'):
      raise RuntimeError(f'CI must run the browser tests: {reason}')
    if reason:
      raise unittest.SkipTest(reason)
    app = get_test_app()
    if BrowserTestCase.live_server is None:
      BrowserTestCase.live_server = LiveServer(app)
    cls.browser = shared_browser()

  def setUp(self):
    super().setUp()
    self.base_url = self.live_server.url
    self.contexts = []
    self.problems = []

  def tearDown(self):
    for context in self.contexts:
      context.close()
    # Requests the closed pages left in flight finish before the database is emptied.
    self.live_server.wait_idle()
    super().tearDown()

  def new_page(self, viewport=DESKTOP):
    """A page in a new browser context (its own cookies: another person)."""
    context = self.browser.new_context(base_url=self.base_url, viewport=viewport)
    context.set_default_timeout(STEP_TIMEOUT_MS)
    self.contexts.append(context)
    # Runs before the page's own scripts, from DevTools: CSP does not apply to it.
    context.add_init_script(
      "document.addEventListener('securitypolicyviolation', (event) => {"
      '  console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`);'
      '});'
    )
    page = context.new_page()
    page.on('console', lambda message: self.record_console(message))
    page.on('pageerror', lambda error: self.problems.append(f'script error: {error}'))
    return page

  def record_console(self, message):
    if message.type != 'error':
      return
    text = message.text
    # Expected refusals (a 401 probe, a 422 the test provoked) are logged by Chromium as
    # "Failed to load resource"; they are the API answering, not the client failing.
    if text.startswith('Failed to load resource'):
      return
    self.problems.append(f'console error: {text}')

  def assert_page_clean(self):
    """No CSP violation and no uncaught script error happened in any page of this test."""
    self.assertEqual(self.problems, [], 'The browser reported problems')

  def screenshot(self, page, name):
    """Save a full-page screenshot under test-artifacts/screenshots/."""
    SCREENSHOT_FOLDER.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_FOLDER / f'{name}.png'), full_page=True)

  def api_ok(self, method, path, client, status=200, **kwargs):
    """Call the API and return its JSON, failing unless it answers `status`."""
    response = self.api(method, path, client=client, **kwargs)
    self.assertEqual(response.status_code, status, response.get_data(as_text=True))
    return response.get_json()

  def log_in_in_browser(self, page, user):
    """Log in through the form as a user made by the factories."""
    page.goto('/login')
    page.get_by_label('Email').fill(user.email)
    page.get_by_label('Password').fill(DEFAULT_PASSWORD)
    page.get_by_role('button', name='Log in').click()
    expect(page.get_by_role('button', name='Log out')).to_be_visible()

  def sign_up_in_browser(self, page, username, display_name=None):
    """Sign up through the form; returns once the logged-in navigation shows."""
    page.goto('/signup')
    page.get_by_label('Email').fill(f'{username}@example.edu')
    page.get_by_label('Username').fill(username)
    if display_name:
      page.get_by_label('Display name (optional)').fill(display_name)
    page.get_by_label('Password').fill(DEFAULT_PASSWORD)
    page.get_by_role('button', name='Create account').click()
    expect(page.get_by_role('button', name='Log out')).to_be_visible()
    # The sign-up's own navigation away from /signup has happened too, so a click that follows
    # is not overtaken by it (CI once saw the post form never open after "Sell").
    expect(page).not_to_have_url(re.compile(r'/signup(\?|$)'))
