"""Live updates in two browsers: what the buyer does reaches the seller's open page through the
one EventSource (app/static/js/events.js) within a second, with no navigation and no polling."""

from tests.browser.base import BrowserTestCase, expect
from tests.browser.test_ChatPolling import COUNT_MESSAGE_POLLS
from tests.factories import make_post, make_user

# The promise: within a second of the commit, on the other person's screen.
LIVE_TIMEOUT_MS = 1000


class LiveUpdatesTest(BrowserTestCase):
  def setUp(self):
    super().setUp()
    self.seller = make_user(username='vera', display_name='Vera')
    self.buyer = make_user(username='walt', display_name='Walt')
    self.post = make_post(seller=self.seller, title='Standing desk')
    self.buyer_client = self.logged_in_client(self.buyer)
    self.requests = []

  def seller_page(self, path):
    """The seller's browser, logged in, on `path`, once its live stream is open."""
    page = self.new_page()
    page.on('request', lambda request: self.requests.append(request.url))
    self.log_in_in_browser(page, self.seller)
    page.goto(path)
    expect(page.locator('body[data-events="live"]')).to_have_count(1)
    return page

  def open_conversation(self):
    response = self.api_ok(
      'post', f'/api/posts/{self.post.id}/conversations', self.buyer_client, 201
    )
    return response['conversation']['id']

  def send_message(self, conversation_id, body):
    path = f'/api/conversations/{conversation_id}/messages'
    self.api_ok('post', path, self.buyer_client, 201, json={'body': body})

  def requests_to(self, fragment, since):
    return [url for url in self.requests[since:] if fragment in url]

  def test_the_sellers_badge_shows_a_buyers_message_without_navigation(self):
    conversation_id = self.open_conversation()
    page = self.seller_page('/')
    badge = page.get_by_test_id('unread-badge')
    expect(badge).to_be_hidden()
    url, since = page.url, len(self.requests)

    self.send_message(conversation_id, 'Is the desk still available?')
    expect(badge).to_have_text('1', timeout=LIVE_TIMEOUT_MS)
    expect(badge).to_be_visible()
    self.assertEqual(page.url, url)
    # The stream brought the count: the badge never asked for it.
    self.assertEqual(self.requests_to('/api/users/me/unread', since), [])
    self.assert_page_clean()

  def test_a_count_read_before_the_pushed_one_does_not_replace_it(self):
    # CI once saw the badge stay at 0: the count the page asked for as its stream opened was
    # read before the message and answered after the stream had shown 1.
    conversation_id = self.open_conversation()
    page = self.new_page()
    self.log_in_in_browser(page, self.seller)
    held = []
    page.route('**/api/users/me/unread', lambda route: held.append((route, route.fetch())))
    page.goto('/')
    expect(page.locator('body[data-events="live"]')).to_have_count(1)
    page.wait_for_function('() => true')
    self.assertTrue(held, 'the page asked for no unread count while its stream opened')
    badge = page.get_by_test_id('unread-badge')

    self.send_message(conversation_id, 'Is the desk still available?')
    expect(badge).to_have_text('1', timeout=LIVE_TIMEOUT_MS)
    for route, response in held:
      self.assertEqual(response.json()['unread'], 0)
      route.fulfill(response=response)
    # The held answers reach the page's code: once fetched, their promises settle in a turn or two.
    page.evaluate('() => new Promise((resolve) => setTimeout(resolve, 300))')
    expect(badge).to_have_text('1')
    expect(badge).to_be_visible()
    self.assert_page_clean()

  def test_a_dib_appears_in_the_sellers_queue(self):
    page = self.seller_page('/my-posts')
    queue = page.get_by_test_id('queue')
    expect(queue).to_contain_text('No dibs yet.')

    self.api_ok('post', f'/api/posts/{self.post.id}/dibs', self.buyer_client, 201)
    expect(queue).to_contain_text('Walt', timeout=LIVE_TIMEOUT_MS)
    expect(page.get_by_test_id('accept-dib')).to_be_visible()
    self.assert_page_clean()

  def test_the_open_thread_shows_a_message_without_a_poll_request(self):
    conversation_id = self.open_conversation()
    page = self.new_page()
    page.add_init_script(COUNT_MESSAGE_POLLS)
    self.log_in_in_browser(page, self.seller)
    page.goto(f'/conversations/{conversation_id}')
    expect(page.get_by_text('No messages yet.')).to_be_visible()
    expect(page.locator('body[data-events="live"]')).to_have_count(1)
    expect(page.locator('.thread-box')).not_to_have_attribute('aria-busy', 'true')
    polls_before = page.evaluate('window.messagePolls')

    self.send_message(conversation_id, 'Can I pick it up tonight?')
    thread = page.get_by_test_id('thread')
    expect(thread).to_contain_text('Can I pick it up tonight?', timeout=LIVE_TIMEOUT_MS)
    self.assertEqual(page.evaluate('window.messagePolls'), polls_before)
    # Read on screen: the seller's unread count goes back to zero by itself.
    expect(page.get_by_test_id('unread-badge')).to_be_hidden()
    self.assert_page_clean()
