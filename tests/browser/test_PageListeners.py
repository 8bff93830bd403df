"""Issue 21, item 5: a page's listeners live as long as the page. Each page that listens for the
live stream's events on `document` reacts to one while shown, and not at all once the visitor
has moved on inside the app (the router aborted the page's signal; no reload cleans up here).

The events are dispatched by the test, as events.js relays them, so nothing waits for a stream.
What is counted is the page's calls to fetch, not the requests on the wire: a left page's
handler that fetched with the page's aborted signal would send nothing, yet still run.
tests/frontend/test_ClientListeners.py pins the idiom in the source.
"""

from tests.browser.base import BrowserTestCase, expect
from tests.factories import make_conversation, make_dib, make_post, make_user

DISPATCH = """([type, detail]) => document.dispatchEvent(new CustomEvent(type, {detail}))"""
# Every call to fetch, as "METHOD url", before the page's scripts run.
RECORD_FETCH_CALLS = """
  window.fetchCalls = [];
  const realFetch = window.fetch;
  window.fetch = (resource, options) => {
    window.fetchCalls.push(`${(options && options.method) || 'GET'} ${resource}`);
    return realFetch(resource, options);
  };
"""
# Handlers call fetch at once, in the event's own task; this only leaves room for a slow one.
QUIET_MS = 500


class PageListenersTest(BrowserTestCase):
  def setUp(self):
    super().setUp()
    self.seller = make_user(username='vera', display_name='Vera')
    self.buyer = make_user(username='walt', display_name='Walt')
    self.post = make_post(seller=self.seller, title='Standing desk')
    make_dib(self.post, buyer=self.buyer)
    self.conversation = make_conversation(self.post, buyer=self.buyer)
    self.page = self.new_page()
    self.page.context.add_init_script(RECORD_FETCH_CALLS)
    self.log_in_in_browser(self.page, self.seller)

  def fetch_calls(self, method, fragment):
    """The page's fetch calls of `method` to a URL containing `fragment`, so far."""
    calls = self.page.evaluate('() => window.fetchCalls')
    return [call for call in calls if call.startswith(f'{method} ') and fragment in call]

  def browse_away(self):
    """Leave the page the way a visitor does: the header's Browse link, no reload."""
    self.page.get_by_role('navigation', name='Main').get_by_role('link', name='Browse').click()
    expect(self.page.get_by_role('heading', name='Fresh on campus')).to_be_visible()

  def assert_listens_only_while_shown(self, event_type, detail, method, fragment):
    """`event_type` makes the shown page fetch `method` `fragment`; after leaving it, nothing."""
    before = len(self.fetch_calls(method, fragment))
    self.page.evaluate(DISPATCH, [event_type, detail])
    self.page.wait_for_function(
      '([method, fragment, before]) => window.fetchCalls.filter((call) =>'
      ' call.startsWith(`${method} `) && call.includes(fragment)).length > before',
      arg=[method, fragment, before],
    )
    self.browse_away()
    shown = len(self.fetch_calls(method, fragment))
    self.page.evaluate(DISPATCH, [event_type, detail])
    self.page.wait_for_timeout(QUIET_MS)
    self.assertEqual(self.fetch_calls(method, fragment)[shown:], [])
    self.assert_page_clean()

  def open_from_navigation(self, link_name):
    self.page.get_by_role('navigation', name='Main').get_by_role('link', name=link_name).click()

  def test_the_queue_of_my_posts_stops_listening_when_left(self):
    self.open_from_navigation('My posts')
    expect(self.page.get_by_test_id('queue').locator('.queue__item')).to_have_count(1)
    detail = {'post_id': self.post.id}
    self.assert_listens_only_while_shown(
      'dibz:dib', detail, 'GET', f'/api/posts/{self.post.id}/dibs'
    )

  def test_my_dibs_stops_listening_when_left(self):
    self.open_from_navigation('My dibs')
    expect(self.page.get_by_text('You have not called dibs on anything yet.')).to_be_visible()
    detail = {'post_id': self.post.id}
    self.assert_listens_only_while_shown('dibz:post', detail, 'GET', '/api/users/me/dibs')

  def test_the_conversation_list_stops_listening_when_left(self):
    self.open_from_navigation('Messages')
    expect(self.page.locator('.conversation')).to_have_count(1)
    detail = {'conversation_id': self.conversation.id}
    self.assert_listens_only_while_shown('dibz:message', detail, 'GET', '/api/conversations?')

  def test_a_conversation_stops_listening_when_left(self):
    self.open_from_navigation('Messages')
    self.page.locator('.conversation__link').click()
    expect(self.page.get_by_text('No messages yet.')).to_be_visible()
    message = {
      'id': 1_000_000,
      'body': 'Still available?',
      'sender_id': self.buyer.id,
      'created_at': '2026-12-03T12:00:00Z',
    }
    detail = {'conversation_id': self.conversation.id, 'message': message}
    # A message for the shown thread is drawn and marked read at once.
    read_path = f'/api/conversations/{self.conversation.id}/read'
    self.assert_listens_only_while_shown('dibz:message', detail, 'POST', read_path)
