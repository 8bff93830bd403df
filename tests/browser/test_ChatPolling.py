"""The chat thread polls for new messages while it is shown, and stops when hidden or left.

The page runs on Playwright's fake clock, so the test decides when poll timers fire: nothing
here waits for real time to pass."""

from datetime import datetime, timedelta

from tests.browser.base import BrowserTestCase, expect
from tests.factories import make_post, make_user

# As in app/static/js/pages/conversations.js.
POLL_INTERVAL_MS = 3000

COUNT_MESSAGE_POLLS = """
  window.messagePolls = 0;
  const realFetch = window.fetch;
  window.fetch = (resource, options) => {
    if (String(resource).match(/\\/api\\/conversations\\/\\d+\\/messages/) &&
        (!options || !options.method || options.method === 'GET')) {
      window.messagePolls += 1;
    }
    return realFetch(resource, options);
  };
"""

SET_VISIBILITY = """(state) => {
  Object.defineProperty(document, 'visibilityState', {configurable: true, get: () => state});
  document.dispatchEvent(new Event('visibilitychange'));
}"""


class ChatPollingTest(BrowserTestCase):
  def test_thread_polls_while_shown_and_stops_when_hidden_or_left(self):
    seller = make_user(username='tess', display_name='Tess')
    buyer = make_user(username='uma', display_name='Uma')
    post = make_post(seller=seller, title='Rice cooker')
    seller_client = self.logged_in_client(seller)
    buyer_client = self.logged_in_client(buyer)
    conversation = self.api_ok('post', f'/api/posts/{post.id}/conversations', buyer_client, 201)
    messages_path = f'/api/conversations/{conversation["conversation"]["id"]}/messages'

    page = self.new_page()
    page.add_init_script(COUNT_MESSAGE_POLLS)
    page.clock.install()
    self.log_in_in_browser(page, buyer)
    page.goto(f'/conversations/{conversation["conversation"]["id"]}')
    expect(page.get_by_text('No messages yet.')).to_be_visible()
    # From here on, timers fire only when the test moves the clock.
    page.clock.pause_at(datetime.now() + timedelta(minutes=1))
    polls = lambda: page.evaluate('window.messagePolls')  # noqa: E731
    thread_box = page.locator('.thread-box')

    self.api_ok('post', messages_path, seller_client, 201, json={'body': 'Still interested?'})
    expect(thread_box).not_to_have_attribute('aria-busy', 'true')
    before = polls()
    page.clock.run_for(POLL_INTERVAL_MS)
    self.assertEqual(polls(), before + 1)
    expect(page.get_by_test_id('thread')).to_contain_text('Still interested?')

    expect(thread_box).not_to_have_attribute('aria-busy', 'true')
    # Hidden: no polling however long it stays hidden; shown again: it polls at once.
    page.evaluate(SET_VISIBILITY, 'hidden')
    hidden_from = polls()
    page.clock.run_for(POLL_INTERVAL_MS * 10)
    self.assertEqual(polls(), hidden_from)
    page.evaluate(SET_VISIBILITY, 'visible')
    self.assertEqual(polls(), hidden_from + 1)
    # One poll at a time: the next timer finds the thread idle once this answer is in.
    expect(thread_box).not_to_have_attribute('aria-busy', 'true')
    page.clock.run_for(POLL_INTERVAL_MS)
    self.assertEqual(polls(), hidden_from + 2)

    # Left for another page: polling stops for good.
    page.get_by_role('link', name='Browse').click()
    expect(page.get_by_role('heading', name='Fresh on campus')).to_be_visible()
    left_at = polls()
    page.clock.run_for(POLL_INTERVAL_MS * 10)
    self.assertEqual(polls(), left_at)
    self.assert_page_clean()
