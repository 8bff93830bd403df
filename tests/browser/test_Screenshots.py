"""A screenshot of each main page at desktop and phone widths, under test-artifacts/screenshots/,
with a marketplace seeded through the API; each page must draw its content cleanly."""

import io
from datetime import timedelta

from app.common.CommonHelpers import utc_now
from app.posts.PostExpiryJobs import expire_posts
from tests.browser.base import (
  DESKTOP,
  PHONE,
  BrowserTestCase,
  expect,
  png_bytes,
)
from tests.factories import make_campus, make_post, make_user

LISTINGS = (
  ('Calculus: Early Transcendentals, 8th ed.', 'textbooks', 'good', 4500, True),
  ('IKEA desk lamp', 'furniture', 'like_new', 1200, True),
  ('Road bike, 54 cm', 'bikes', 'fair', 15000, False),
  ('Mini fridge, 1.7 cu ft', 'kitchen', 'good', 6000, True),
  ('Graphing calculator TI-84', 'electronics', 'good', 4000, False),
  ('Two concert tickets for Friday', 'tickets', 'new', 0, False),
)


class MarketplaceSeed:
  """A small marketplace seeded through the API, for tests that visit every main page."""

  def seed_marketplace(self):
    """Posts with photos, a queue with an accepted dib and a conversation, via the API."""
    self.seller = make_user(
      username='maya',
      display_name='Maya Chen',
      campus_id=make_campus('north').id,
      bio='Final-year chemistry student, clearing out my dorm before graduation.',
      # An established account: a new one's posts beyond the third wait for review.
      created_at=utc_now() - timedelta(days=30),
    )
    self.buyer = make_user(username='leo', display_name='Leo Park')
    other_buyer = make_user(username='sam', display_name='Sam Ortiz')
    seller_client = self.logged_in_client(self.seller)
    buyer_client = self.logged_in_client(self.buyer)
    other_client = self.logged_in_client(other_buyer)
    self.post_ids = []
    for title, category, condition, price_cents, with_photo in LISTINGS:
      body = {
        'title': title,
        'description': f'{title}. Pick up near the library, weekdays after 5 pm.',
        'price_cents': price_cents,
        'category': category,
        'condition': condition,
      }
      post_id = self.api_ok('post', '/api/posts', seller_client, 201, json=body)['post']['id']
      self.post_ids.append(post_id)
      if with_photo:
        self.api_ok(
          'post',
          f'/api/posts/{post_id}/images',
          seller_client,
          201,
          data={'image': (io.BytesIO(png_bytes()), 'photo.png')},
          content_type='multipart/form-data',
        )
    lamp_id, fridge_id = self.post_ids[1], self.post_ids[3]
    for client in (buyer_client, other_client):
      self.assertEqual(
        self.api('post', f'/api/posts/{lamp_id}/dibs', client=client).status_code, 201
      )
    dib = self.api('post', f'/api/posts/{fridge_id}/dibs', client=buyer_client).get_json()['dib']
    self.assertEqual(
      self.api('post', f'/api/dibs/{dib["id"]}/accept', client=seller_client).status_code, 200
    )
    conversation = self.api('post', f'/api/posts/{lamp_id}/conversations', client=buyer_client)
    self.conversation_id = conversation.get_json()['conversation']['id']
    for client, text in (
      (buyer_client, 'Hi Maya! Is the lamp still available?'),
      (seller_client, 'Hi Leo, yes it is. You are first in the queue.'),
      (buyer_client, 'Great, could I pick it up tomorrow around 6?'),
    ):
      path = f'/api/conversations/{self.conversation_id}/messages'
      self.api_ok('post', path, client, 201, json={'body': text})

  def seed_handover(self):
    """On top of the marketplace: the buyer watches two posts and saved a search, the fridge's
    accepted dib has a proposed meet-up and a chat, and the seller has an expired post."""
    buyer_client = self.logged_in_client(self.buyer)
    for post_id in (self.post_ids[0], self.post_ids[1]):
      self.api_ok('put', f'/api/posts/{post_id}/watch', buyer_client)
    self.api_ok(
      'post',
      '/api/users/me/saved-searches',
      buyer_client,
      201,
      json={'q': 'desk lamp', 'category': 'furniture', 'max_price': 3000, 'alert': 'daily'},
    )
    fridge_id = self.post_ids[3]
    hold = self.api_ok('get', f'/api/posts/{fridge_id}/hold', buyer_client)['hold']
    meet_at = (utc_now() + timedelta(hours=20)).strftime('%Y-%m-%dT%H:%M:%SZ')
    self.api_ok(
      'post',
      f'/api/holds/{hold["id"]}/meetups',
      buyer_client,
      201,
      json={'meet_at': meet_at, 'place': 'Library steps'},
    )
    conversation = self.api_ok('post', f'/api/posts/{fridge_id}/conversations', buyer_client, 201)
    self.hold_conversation_id = conversation['conversation']['id']
    make_post(
      seller=self.seller,
      title='Desk chair, last semester',
      expires_at=utc_now() - timedelta(minutes=1),
    )
    self.assertEqual(expire_posts(), 1)


class ScreenshotsTest(MarketplaceSeed, BrowserTestCase):
  def capture(self, page, name, ready, reload=False):
    """Screenshot the page at both widths once `ready` (a locator) shows. CSS follows a resize;
    `reload` draws the phone shot afresh for pages whose script reads the width when drawing."""
    expect(ready.first).to_be_visible()
    self.screenshot(page, f'{name}-desktop')
    page.set_viewport_size(PHONE)
    if reload:
      page.reload()
    expect(ready.first).to_be_attached()
    self.screenshot(page, f'{name}-phone')
    page.set_viewport_size(DESKTOP)

  def test_main_pages_at_desktop_and_phone_widths(self):
    self.seed_marketplace()
    visitor = self.new_page()
    visitor.goto('/login')
    self.capture(visitor, 'login', visitor.get_by_role('button', name='Log in'))
    visitor.goto('/signup')
    self.capture(visitor, 'signup', visitor.get_by_role('button', name='Create account'))
    visitor.goto('/')
    self.capture(visitor, 'browse', visitor.locator('.post-card'), reload=True)
    visitor.goto('/search?q=calc')
    self.capture(visitor, 'search', visitor.locator('.post-card mark'))
    visitor.goto('/users/maya')
    self.capture(visitor, 'user-profile', visitor.locator('.post-card'))
    visitor.goto('/no-such-page')
    self.capture(visitor, 'not-found', visitor.get_by_test_id('not-found'))
    visitor.goto('/search?q=calculater')
    self.capture(visitor, 'search-corrected', visitor.get_by_test_id('corrected-query'))
    visitor.goto('/?category=bikes&max_price=100')
    self.capture(
      visitor, 'browse-empty', visitor.get_by_text('No posts match these filters.'), reload=True
    )

    buyer = self.new_page()
    self.log_in_in_browser(buyer, self.buyer)
    buyer.goto(f'/posts/{self.post_ids[1]}')
    self.capture(buyer, 'post-detail', buyer.get_by_test_id('queue-position'))
    buyer.goto('/my-dibs')
    self.capture(buyer, 'my-dibs', buyer.locator('.my-dib'))
    buyer.goto(f'/conversations/{self.conversation_id}')
    self.capture(buyer, 'chat', buyer.locator('.message'))

    seller = self.new_page()
    self.log_in_in_browser(seller, self.seller)
    seller.goto('/conversations')
    self.capture(seller, 'conversations', seller.get_by_test_id('conversation-unread'))
    seller.goto('/my-posts')
    self.capture(seller, 'my-posts', seller.locator('.queue__item'))
    seller.goto('/posts/new')
    self.capture(seller, 'post-new', seller.get_by_role('button', name='Publish post'))
    seller.goto(f'/posts/{self.post_ids[0]}/edit')
    self.capture(seller, 'post-edit', seller.locator('.image-list__item'))
    seller.goto('/profile')
    self.capture(seller, 'profile', seller.get_by_role('button', name='Save profile'))
    self.assert_page_clean()

  def test_handover_pages_at_desktop_and_phone_widths(self):
    self.seed_marketplace()
    self.seed_handover()
    buyer = self.new_page()
    self.log_in_in_browser(buyer, self.buyer)
    buyer.goto(f'/posts/{self.post_ids[3]}')
    self.capture(buyer, 'post-detail-hold', buyer.get_by_test_id('hold-countdown'))
    buyer.goto('/my-dibs')
    self.capture(buyer, 'my-dibs-hold', buyer.get_by_test_id('meetup'))
    buyer.goto('/watchlist')
    self.capture(buyer, 'watchlist', buyer.locator('.post-card .heart'))
    buyer.goto('/saved-searches')
    self.capture(buyer, 'saved-searches', buyer.get_by_test_id('saved-search'))
    buyer.goto('/search?q=lamp')
    self.capture(buyer, 'search-save', buyer.locator('.post-card .heart'))

    seller = self.new_page()
    self.log_in_in_browser(seller, self.seller)
    seller.goto('/my-posts')
    self.capture(seller, 'my-posts-handover', seller.get_by_test_id('confirm-meetup'))
    seller.goto(f'/conversations/{self.hold_conversation_id}')
    self.capture(seller, 'chat-hold', seller.get_by_test_id('hold-countdown'))
    self.assert_page_clean()
