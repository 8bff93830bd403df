"""Issue 15, items 1–8: the screens a student sees are right after a sale, on a missing page,
on a wrong price, while browsing, with a message showing, and on the way back from a result."""

import io

from tests.browser.base import (
  BrowserTestCase,
  expect,
  png_bytes,
)
from tests.factories import make_post, make_user


class StudentStatesTest(BrowserTestCase):
  def sell(self, seller, post, winner, others=()):
    """`others` and then `winner` call dibs; the seller accepts the winner and marks it sold."""
    seller_client = self.logged_in_client(seller)
    dib_ids = {}
    for buyer in (*others, winner):
      body = self.api_ok('post', f'/api/posts/{post.id}/dibs', self.logged_in_client(buyer), 201)
      dib_ids[buyer.username] = body['dib']['id']
    self.api_ok('post', f'/api/dibs/{dib_ids[winner.username]}/accept', seller_client)
    self.api_ok('post', f'/api/posts/{post.id}/sold', seller_client)

  def test_after_a_sale_each_role_sees_what_is_true_for_them(self):
    """Items 1 and 5: no Decline on a sold post's queue, no stale copy for anyone."""
    seller = make_user(username='maya', display_name='Maya')
    winner = make_user(username='leo', display_name='Leo')
    loser = make_user(username='sam', display_name='Sam')
    post = make_post(seller=seller, title='Mini fridge', price_cents=6000)
    self.sell(seller, post, winner, others=(loser,))

    seller_page = self.new_page()
    self.log_in_in_browser(seller_page, seller)
    seller_page.goto('/my-posts')
    card = seller_page.locator(f'.my-post[data-post-id="{post.id}"]')
    expect(card.get_by_test_id('sold-to')).to_have_text('Sold to Leo. Nice one!')
    expect(card.locator('.queue__item')).to_have_count(1)
    expect(card.get_by_test_id('decline-dib')).to_have_count(0)
    expect(card.get_by_test_id('mark-sold')).to_have_count(0)
    seller_page.goto(f'/posts/{post.id}')
    expect(seller_page.get_by_test_id('queue-position')).to_have_text('You sold this to Leo.')
    expect(seller_page.get_by_text('in the queue')).to_have_count(0)
    expect(seller_page.get_by_role('link', name='Manage queue')).to_have_count(0)
    seller_page.goto(f'/posts/{post.id}/edit')
    expect(seller_page.get_by_text('This post is sold and can no longer change.')).to_be_visible()
    expect(seller_page.get_by_role('button', name='Withdraw post')).to_have_count(0)

    winner_page = self.new_page()
    self.log_in_in_browser(winner_page, winner)
    winner_page.goto(f'/posts/{post.id}')
    expect(winner_page.get_by_test_id('queue-position')).to_have_text('You bought this. Enjoy it!')
    winner_page.goto('/my-dibs')
    expect(winner_page.get_by_test_id('dib-status')).to_have_text('You bought this. Enjoy it!')
    expect(winner_page.get_by_text('arrange the hand-over')).to_have_count(0)

    loser_page = self.new_page()
    self.log_in_in_browser(loser_page, loser)
    loser_page.goto('/my-dibs')
    expect(loser_page.get_by_test_id('dib-status')).to_have_text('Sold to someone else.')
    loser_page.goto(f'/posts/{post.id}')
    expect(loser_page.get_by_test_id('queue-position')).to_have_text('This item is sold.')
    self.assert_page_clean()

  def test_messages_and_chat_headers_show_the_post_cover(self):
    """Item 2: the conversation summary carries the cover thumbnail, and the client shows it."""
    seller = make_user(username='nia', display_name='Nia')
    buyer = make_user(username='otto', display_name='Otto')
    post = make_post(seller=seller, title='Desk lamp')
    seller_client = self.logged_in_client(seller)
    image = self.api_ok(
      'post',
      f'/api/posts/{post.id}/images',
      seller_client,
      201,
      data={'image': (io.BytesIO(png_bytes()), 'lamp.png')},
      content_type='multipart/form-data',
    )['image']
    buyer_client = self.logged_in_client(buyer)
    conversation = self.api_ok('post', f'/api/posts/{post.id}/conversations', buyer_client, 201)
    conversation_id = conversation['conversation']['id']

    page = self.new_page()
    self.log_in_in_browser(page, buyer)
    page.goto('/conversations')
    thumb = page.locator(f'[data-conversation-id="{conversation_id}"] img.thumb')
    expect(thumb).to_have_attribute('src', image['thumb_url'])
    page.goto(f'/conversations/{conversation_id}')
    expect(page.locator('.chat-header img.thumb')).to_have_attribute('src', image['thumb_url'])
    page.wait_for_function(
      "() => document.querySelector('.chat-header img.thumb').naturalWidth > 0"
    )
    self.assert_page_clean()

  def test_unknown_addresses_and_missing_posts_get_a_real_not_found_page(self):
    """Item 3: HTTP 404 for an address no page answers, and a not-found page with ways on."""
    page = self.new_page()
    response = page.goto('/no-such-page')
    self.assertEqual(response.status, 404)
    expect(page.get_by_role('heading', name='Page not found', level=1)).to_be_visible()
    for name in ('Browse posts', 'Search', 'Sell something'):
      expect(page.get_by_test_id('not-found').get_by_role('link', name=name)).to_be_visible()
    page.get_by_test_id('not-found').get_by_role('link', name='Browse posts').click()
    expect(page).to_have_url(f'{self.base_url}/')
    expect(page.get_by_role('heading', name='Fresh on campus')).to_be_visible()

    response = page.goto('/posts/987654')
    self.assertEqual(response.status, 200)  # a post page; the post is what is missing
    expect(page.get_by_role('heading', name='Page not found', level=1)).to_be_visible()
    expect(page.get_by_text('No post with that id.')).to_be_visible()
    expect(page.get_by_role('button', name='Try again')).to_have_count(0)
    self.assert_page_clean()

  def test_price_errors_speak_dollars_and_refuse_more_than_two_decimals(self):
    """Item 4."""
    page = self.new_page()
    self.log_in_in_browser(page, make_user(username='pia'))
    page.goto('/posts/new')
    page.get_by_label('Title').fill('Desk chair')
    page.get_by_label('Description').fill('Comfy.')
    page.get_by_label('Category').select_option('furniture')
    page.get_by_label('Condition').select_option('good')
    price_error = page.locator('[data-field="price_cents"] .field__error')
    for typed, expected in (
      ('-5', 'The price cannot be negative. Use 0 to give it away.'),
      ('12.345', 'Use at most two decimals (cents), like 12.50.'),
      ('twelve bucks', 'Enter the price in dollars, like 12 or 12.50.'),
      ('2000000', 'Must be between $0 and $1,000,000.'),
    ):
      page.get_by_label('Price ($)').fill(typed)
      page.get_by_role('button', name='Publish post').click()
      expect(price_error).to_have_text(expected)
      self.assertEqual(page.url, f'{self.base_url}/posts/new')
    page.get_by_label('Price ($)').fill('$12.50')
    page.get_by_role('button', name='Publish post').click()
    expect(page.locator('.post-detail__price')).to_have_text('$12.50')
    self.assert_page_clean()

  def test_browse_opens_on_available_posts_and_a_filter_shows_the_others(self):
    """Item 6."""
    seller = make_user(username='quinn')
    make_post(seller=seller, title='Available kettle')
    make_post(seller=seller, title='Pending toaster', status='pending')
    make_post(seller=seller, title='Sold blender', status='sold')
    page = self.new_page()
    page.goto('/')
    cards = page.locator('.post-card__title')
    expect(cards).to_have_text(['Available kettle'])
    page.get_by_label('Status').select_option('sold')
    expect(cards).to_have_text(['Sold blender'])
    expect(page).to_have_url(f'{self.base_url}/?status=sold')
    page.get_by_label('Status').select_option('all')
    expect(cards).to_have_count(3)
    self.assert_page_clean()

  def test_a_message_never_covers_the_header_or_the_page(self):
    """Item 7: the flash sits in the flow, between the header and the page."""
    seller = make_user(username='ravi')
    post = make_post(seller=seller, title='Road bike')
    page = self.new_page()
    self.log_in_in_browser(page, make_user(username='sara'))
    page.goto(f'/posts/{post.id}')
    page.get_by_test_id('call-dibs').click()
    flash = page.locator('#flash .flash')
    expect(flash).to_contain_text("Dibs! You're #1 in the queue.")
    flash_box = flash.bounding_box()
    header_box = page.locator('.site-header').bounding_box()
    self.assertGreaterEqual(flash_box['y'], header_box['y'] + header_box['height'])
    for selector in ('h1', '.dibs-card', '.breadcrumb'):
      box = page.locator(selector).first.bounding_box()
      overlaps = not (
        box['y'] >= flash_box['y'] + flash_box['height']
        or box['y'] + box['height'] <= flash_box['y']
      )
      self.assertFalse(overlaps, f'the message covers {selector}')
    self.assert_page_clean()

  def test_back_from_a_search_result_returns_to_the_results(self):
    """Item 8."""
    post = make_post(title='Graphing calculator TI-84', status='available')
    page = self.new_page()
    page.goto('/search?q=calculator')
    page.get_by_test_id('search-results').locator(f'[data-post-id="{post.id}"] a').click()
    back = page.get_by_role('link', name='← Back to results')
    expect(back).to_have_attribute('href', '/search?q=calculator')
    back.click()
    expect(page).to_have_url(f'{self.base_url}/search?q=calculator')
    expect(page.locator(f'[data-post-id="{post.id}"]')).to_be_visible()
    # Opened any other way, the post leads home.
    page.goto(f'/posts/{post.id}')
    expect(page.get_by_role('link', name='← All posts')).to_have_attribute('href', '/')
    self.assert_page_clean()
