"""The whole journey, two students in two browsers: post, search, dibs, chat, accept, sell."""

import re

from tests.browser.base import (
  BrowserTestCase,
  expect,
  png_bytes,
)

# The chat thread polls every few seconds; a reply must show within a couple of polls.
POLL_TIMEOUT_MS = 12_000


class JourneyTest(BrowserTestCase):
  def test_sell_search_dibs_chat_accept_and_sell(self):
    seller = self.new_page()
    buyer = self.new_page()

    # The seller signs up and posts a calculator with a photo.
    self.sign_up_in_browser(seller, 'maya_sells', display_name='Maya')
    seller.get_by_role('link', name='Sell', exact=True).click()
    seller.get_by_label('Title').fill('Graphing calculator TI-84')
    seller.get_by_label('Description').fill('Works perfectly, batteries included.')
    seller.get_by_label('Price ($)').fill('45')
    seller.get_by_label('Category').select_option('electronics')
    seller.get_by_label('Condition').select_option('good')
    seller.get_by_label('Photos').set_input_files(
      {'name': 'calculator.png', 'mimeType': 'image/png', 'buffer': png_bytes()}
    )
    seller.get_by_role('button', name='Publish post').click()
    expect(seller).to_have_url(re.compile(r'/posts/\d+$'))
    post_id = int(seller.url.rsplit('/', 1)[1])
    expect(seller.get_by_role('heading', name='Graphing calculator TI-84')).to_be_visible()
    photo = seller.locator('img.gallery__main')
    expect(photo).to_be_visible()
    # The uploaded photo really loads (same origin, allowed by img-src 'self').
    seller.wait_for_function(
      "() => document.querySelector('img.gallery__main').naturalWidth > 0", timeout=10_000
    )

    # The buyer signs up, searches with a prefix and finds it, highlighted.
    self.sign_up_in_browser(buyer, 'leo_buys', display_name='Leo')
    buyer.get_by_role('link', name='Search').click()
    buyer.get_by_label('Search posts').press_sequentially('graphing calc', delay=20)
    result = buyer.get_by_test_id('search-results').locator(f'[data-post-id="{post_id}"]')
    expect(result).to_be_visible()
    expect(result.locator('mark').first).to_be_visible()
    result.get_by_role('link').click()
    expect(buyer).to_have_url(f'{self.base_url}/posts/{post_id}')

    # Dibs: first in the queue.
    buyer.get_by_test_id('call-dibs').click()
    expect(buyer.get_by_test_id('queue-position')).to_contain_text("You're #1 in the queue")

    # The buyer opens a chat with the seller.
    buyer.get_by_test_id('message-seller').click()
    expect(buyer).to_have_url(re.compile(r'/conversations/\d+$'))
    conversation_url = buyer.url
    buyer.get_by_label('Message').fill('Hi! Is it still available?')
    buyer.get_by_role('button', name='Send').click()
    expect(buyer.get_by_test_id('thread')).to_contain_text('Hi! Is it still available?')

    # The seller sees the unread conversation and answers.
    seller.goto('/conversations')
    row = seller.locator('.conversation').filter(has_text='Leo')
    expect(row.get_by_test_id('conversation-unread')).to_have_text('1')
    expect(seller.get_by_test_id('unread-badge')).to_have_text('1')
    row.get_by_role('link').click()
    expect(seller).to_have_url(conversation_url)
    expect(seller.get_by_test_id('thread')).to_contain_text('Hi! Is it still available?')
    seller.get_by_label('Message').fill('Yes! Pick it up tomorrow at the library?')
    seller.get_by_role('button', name='Send').click()
    # Reading the thread cleared the seller's unread badge.
    expect(seller.get_by_test_id('unread-badge')).to_be_hidden()

    # The buyer's open thread polls and shows the answer without a reload.
    expect(buyer.get_by_test_id('thread')).to_contain_text(
      'Pick it up tomorrow at the library?', timeout=POLL_TIMEOUT_MS
    )

    # The seller accepts the dib, then marks the post sold.
    seller.get_by_role('link', name='My posts').click()
    card = seller.locator(f'.my-post[data-post-id="{post_id}"]')
    expect(card.locator('.queue__item')).to_contain_text('Leo')
    card.get_by_test_id('accept-dib').click()
    expect(card.locator('.queue__item')).to_contain_text('Accepted')
    expect(card.locator('.my-post__head .badge')).to_have_text('Pending')
    # Selling is final: the seller confirms, told whom it goes to.
    dialogs = []
    seller.once('dialog', lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
    card.get_by_test_id('mark-sold').click()
    expect(card.locator('.my-post__head .badge')).to_have_text('Sold')
    self.assertIn('to Leo', dialogs[0])

    # The buyer sees the new status on the post and in my dibs.
    buyer.goto(f'/posts/{post_id}')
    expect(buyer.locator('.post-detail__heading .badge')).to_have_text('Sold')
    expect(buyer.get_by_test_id('queue-position')).to_have_text('You bought this. Enjoy it!')
    expect(buyer.get_by_test_id('call-dibs')).to_have_count(0)
    buyer.get_by_role('link', name='My dibs').click()
    dib = buyer.locator(f'.my-dib[data-post-id="{post_id}"]')
    expect(dib.locator('.badge')).to_have_text('Sold')
    expect(dib.get_by_test_id('dib-status')).to_have_text('You bought this. Enjoy it!')
    self.assert_page_clean()
