"""The client's safe retries, in the browser: each POST carries a fresh Idempotency-Key, and a
write whose answer was lost (network error, 502/503/504) is sent once more with the same key, so
the server does it once."""

from sqlalchemy import func, select

from app.extensions import db
from app.posts.PostModels import Post
from tests.browser.base import BrowserTestCase
from tests.factories import make_user

CREATE_POST = """async () => {
  const {api} = await import('/static/js/api.js');
  const body = {title: 'Desk lamp', description: 'Bright, with a bulb.', price_cents: 1200,
                category: 'furniture', condition: 'good'};
  try {
    return {post: (await api('POST', '/api/posts', {json: body})).post};
  } catch (error) {
    return {status: error.status, code: error.code};
  }
}"""


class ClientRetriesTest(BrowserTestCase):
  def logged_in_page(self):
    page = self.new_page()
    self.log_in_in_browser(page, make_user())
    return page

  def intercept_post_creation(self, page, first_attempt):
    """Route POST /api/posts: the first through `first_attempt(route)`, the rest to the app.
    Returns the list of (Idempotency-Key, Idempotent-Replayed answer) of each attempt."""
    attempts = []

    def handle(route):
      if route.request.method != 'POST':
        route.continue_()
        return
      key = route.request.headers.get('idempotency-key')
      if not attempts:
        attempts.append((key, None))
        first_attempt(route)
        return
      response = route.fetch()
      attempts.append((key, response.headers.get('idempotent-replayed')))
      route.fulfill(response=response)

    page.route('**/api/posts', handle)
    return attempts

  def count_posts(self):
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(Post)).scalar()

  def test_a_lost_answer_is_asked_again_with_the_same_key_and_nothing_doubles(self):
    page = self.logged_in_page()

    def reach_the_app_then_lose_the_answer(route):
      route.fetch()
      route.abort('connectionreset')

    attempts = self.intercept_post_creation(page, reach_the_app_then_lose_the_answer)
    result = page.evaluate(CREATE_POST)
    self.assertEqual(result['post']['title'], 'Desk lamp', result)
    self.assertEqual(len(attempts), 2)
    (first_key, _), (second_key, replayed) = attempts
    self.assertRegex(first_key, r'^[0-9a-f]{32}$')
    self.assertEqual(second_key, first_key)
    self.assertEqual(replayed, 'true')
    self.assertEqual(self.count_posts(), 1)
    # The next action is a new key: a second post.
    page.unroute('**/api/posts')
    self.assertIn('post', page.evaluate(CREATE_POST))
    self.assertEqual(self.count_posts(), 2)

  def test_a_503_is_retried_once_and_other_errors_are_not(self):
    page = self.logged_in_page()
    attempts = self.intercept_post_creation(
      page, lambda route: route.fulfill(status=503, body='<h1>Service Unavailable</h1>')
    )
    result = page.evaluate(CREATE_POST)
    self.assertIn('post', result)
    self.assertEqual([replayed for _, replayed in attempts], [None, None])
    self.assertEqual(attempts[0][0], attempts[1][0])
    self.assertEqual(self.count_posts(), 1)
    # Twice unavailable: the client gives up after its one retry and says so.
    page.unroute('**/api/posts')
    calls = []

    def always_unavailable(route):
      calls.append(route.request.headers.get('idempotency-key'))
      route.fulfill(status=502, body='bad gateway')

    page.route('**/api/posts', always_unavailable)
    self.assertEqual(page.evaluate(CREATE_POST), {'status': 502, 'code': 'error'})
    self.assertEqual(len(calls), 2)
    self.assertEqual(calls[0], calls[1])
    # A refusal of the app itself (422) is an answer: not sent again.
    page.unroute('**/api/posts')
    refusals = []

    def refuse(route):
      refusals.append(1)
      route.fulfill(
        status=422,
        content_type='application/json',
        body='{"error": {"code": "validation_error", "message": "No."}}',
      )

    page.route('**/api/posts', refuse)
    self.assertEqual(page.evaluate(CREATE_POST), {'status': 422, 'code': 'validation_error'})
    self.assertEqual(len(refusals), 1)
    self.assertEqual(self.count_posts(), 1)
    self.assert_page_clean()
