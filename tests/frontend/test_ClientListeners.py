"""One listener idiom in the client (issue 21, item 5): a page attaches every listener with
`addEventListener(…, {signal})`, the signal its router context hands it, aborted when the page
is left (app/static/js/router.js). Nothing is ever removed by hand, so the other two idioms (a
leave callback calling removeEventListener, a handler removing itself once its element is
gone) cannot come back. Also: each module imported once per file, and one badge helper.

tests/browser/test_PageListeners.py shows the behaviour: a left page's listeners never fire.
"""

import re
import unittest
from pathlib import Path

CLIENT_FOLDER = Path(__file__).resolve().parents[2] / 'app' / 'static' / 'js'
PAGES_FOLDER = CLIENT_FOLDER / 'pages'
# Modules that live as long as the app (the shell's header, the router, the live stream): their
# listeners on document and window are never left.
APP_LIFETIME_MODULES = {'main.js', 'router.js', 'events.js'}
LISTENER_CALL = re.compile(r'([\w$.]+)\.addEventListener\(')
SIGNAL_OPTION = re.compile(r'\{\s*(?:[\w$]+:\s*[^,{}]+,\s*)*signal(?:\s*[,}])')
IMPORT_LINE = re.compile(r"^import\s*(?:\{[^}]*\}\s*from\s*)?'([^']+)';?$", re.MULTILINE)
CLOSING = {'(': ')', '[': ']', '{': '}'}


def client_modules():
  """Every module of the client, by its path under app/static/js."""
  return {
    path.relative_to(CLIENT_FOLDER).as_posix(): path.read_text()
    for path in sorted(CLIENT_FOLDER.rglob('*.js'))
  }


def skip_quoted(source, index):
  """The index just past the string or template literal opening at `index`."""
  quote = source[index]
  index += 1
  while source[index] != quote:
    index += 2 if source[index] == '\\' else 1
  return index + 1


def call_arguments(source, open_index):
  """The text between the parenthesis at `open_index` and its match, strings skipped."""
  stack = []
  index = open_index
  while True:
    character = source[index]
    if character in '\'"`':
      index = skip_quoted(source, index)
      continue
    if character in CLOSING:
      stack.append(CLOSING[character])
    elif stack and character == stack[-1]:
      stack.pop()
      if not stack:
        return source[open_index + 1 : index]
    index += 1


def listener_calls(source):
  """(line number, target, arguments) of every addEventListener call in `source`."""
  for match in LISTENER_CALL.finditer(source):
    line = source.count('\n', 0, match.start()) + 1
    yield line, match.group(1), call_arguments(source, match.end() - 1)


class ListenerParsingTest(unittest.TestCase):
  """The checks below read calls spread over lines, with strings holding parentheses."""

  def test_arguments_span_lines_and_skip_strings(self):
    source = "a.addEventListener('x', () => {\n  f(')', `(${b})`);\n}, {signal});\nb.addEventListener('y', g);"
    calls = list(listener_calls(source))
    self.assertEqual([(line, target) for line, target, _ in calls], [(1, 'a'), (4, 'b')])
    self.assertRegex(calls[0][2], SIGNAL_OPTION)
    self.assertNotRegex(calls[1][2], SIGNAL_OPTION)
    self.assertRegex('(x, f, {once: true, signal})', SIGNAL_OPTION)
    self.assertNotRegex('(x, f, {signalled: 1})', SIGNAL_OPTION)


class ClientListenersTest(unittest.TestCase):
  def test_no_listener_is_removed_by_hand(self):
    """The page's signal is the one way a listener ends: no removeEventListener, no leave
    callbacks (`onLeave`), no handler that removes itself once `!element.isConnected`."""
    forbidden = re.compile(r'removeEventListener\(|\bonLeave\b|\bleaveCallbacks\b')
    for name, source in client_modules().items():
      found = forbidden.search(source)
      self.assertIsNone(found, f'{name} uses {found and found.group(0)}')

  def test_every_listener_of_a_page_takes_the_pages_signal(self):
    checked = 0
    for path in sorted(PAGES_FOLDER.glob('*.js')):
      for line, target, arguments in listener_calls(path.read_text()):
        checked += 1
        if target == 'signal':
          # Listening on the signal itself is how a page's timers stop when it is left.
          self.assertRegex(arguments, r"^'abort'", f'pages/{path.name}:{line}')
          continue
        self.assertRegex(
          arguments, SIGNAL_OPTION, f'pages/{path.name}:{line}: {target} without {{signal}}'
        )
    self.assertGreater(checked, 10)

  def test_shared_modules_listen_only_on_elements_they_create(self):
    """Components, forms and the DOM helpers attach to their own elements (gone with them);
    only app-lifetime modules listen on document or window."""
    for name, source in client_modules().items():
      if name.startswith('pages/') or name in APP_LIFETIME_MODULES:
        continue
      for line, target, _ in listener_calls(source):
        self.assertNotIn(target, ('document', 'window'), f'{name}:{line}')

  def test_no_listener_is_attached_as_a_prop(self):
    """`h(tag, {onClick: …})` was a third way to listen; h() now refuses it."""
    for name, source in client_modules().items():
      self.assertIsNone(re.search(r'\bon[A-Z]\w*:\s', source), name)
    self.assertIn('Attach listeners with addEventListener', client_modules()['dom.js'])

  def test_each_module_is_imported_once_per_file(self):
    for name, source in client_modules().items():
      imported = IMPORT_LINE.findall(source)
      self.assertEqual(len(imported), len(set(imported)), f'{name} imports {imported}')
    self.assertIn('./components.js', IMPORT_LINE.findall(client_modules()['main.js']))

  def test_one_helper_draws_the_navigation_badges(self):
    main = client_modules()['main.js']
    self.assertEqual(main.count("'99+'"), 1)
    self.assertIn('showCount(unreadBadge,', main)
    self.assertIn('showCount(notificationBadge,', main)
