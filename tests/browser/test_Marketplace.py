"""Issue 15, items 9, 11 and 13: photos first, forgiving search in every header, and the
trust-and-flow details of selling (campuses: test_Campuses.py)."""

import io

from tests.browser.base import (
  BrowserTestCase,
  expect,
  png_bytes,
)
from tests.factories import make_post, make_user


class MarketplaceTest(BrowserTestCase):
  def upload_photos(self, client, post_id, count):
    """Upload `count` small PNGs of different sizes; their ids, in upload order."""
    ids = []
    for number in range(count):
      body = self.api_ok(
        'post',
        f'/api/posts/{post_id}/images',
        client,
        201,
        data={'image': (io.BytesIO(png_bytes(120 + number * 10, 90)), f'photo{number}.png')},
        content_type='multipart/form-data',
      )
      ids.append(body['image'])
    return ids

  def test_photos_come_first_reorder_pick_a_cover_and_the_form_asks_for_one(self):
    """Item 9."""
    seller = make_user(username='maya')
    post = make_post(seller=seller, title='Standing desk')
    images = self.upload_photos(self.logged_in_client(seller), post.id, 3)

    page = self.new_page()
    self.log_in_in_browser(page, seller)
    page.goto('/posts/new')
    nudge = page.get_by_test_id('photo-nudge')
    expect(nudge).to_be_visible()
    expect(page.get_by_text('8 per post')).to_be_visible()
    page.get_by_label('Photos').set_input_files(
      files=[{'name': 'desk.png', 'mimeType': 'image/png', 'buffer': png_bytes()}]
    )
    expect(nudge).to_be_hidden()

    page.goto(f'/posts/{post.id}/edit')
    items = page.get_by_test_id('image-list').locator('.image-list__item')
    expect(items).to_have_count(3)
    expect(items.first.locator('.badge--cover')).to_have_text('Cover')
    expect(page.get_by_test_id('photo-nudge')).to_be_hidden()
    items.nth(2).get_by_role('button', name='Make cover').click()
    expected_order = [str(images[2]['id']), str(images[0]['id']), str(images[1]['id'])]
    expect(items.first).to_have_attribute('data-image-id', expected_order[0])
    items.nth(1).get_by_role('button', name='Move photo 2 later').click()
    expect(items.nth(2)).to_have_attribute('data-image-id', str(images[0]['id']))
    page.reload()
    expect(items.first).to_have_attribute('data-image-id', expected_order[0])
    expect(items.nth(1)).to_have_attribute('data-image-id', str(images[1]['id']))

    # The card shows the chosen cover.
    page.goto('/')
    card = page.locator(f'.post-card[data-post-id="{post.id}"]')
    expect(card.locator('img.thumb')).to_have_attribute('src', images[2]['thumb_url'])
    self.assert_page_clean()

  def test_search_from_any_header_forgives_typos_and_ranks_the_head_noun(self):
    """Item 11."""
    make_post(title='Graphing calculator TI-84', category='electronics', price_cents=4000)
    make_post(title='Desk plant', category='other', price_cents=500)
    make_post(title='IKEA Malm desk', category='furniture', price_cents=5000)
    page = self.new_page()
    page.goto('/login')
    page.get_by_label('Search Dibz').fill('calculater')
    page.get_by_label('Search Dibz').press('Enter')
    expect(page).to_have_url(f'{self.base_url}/search?q=calculater')
    expect(page.get_by_test_id('corrected-query')).to_have_text('Showing results for calculator.')
    expect(page.locator('.post-card__title')).to_have_text(['Graphing calculator TI-84'])

    page.goto('/signup')
    page.get_by_label('Search Dibz').fill('desk')
    page.get_by_role('button', name='Search', exact=True).click()
    titles = page.locator('.post-card__title')
    expect(titles).to_have_text(['IKEA Malm desk', 'Desk plant'])
    expect(page.get_by_test_id('corrected-query')).to_have_count(0)
    # Filters and sort on the search page.
    page.get_by_label('Sort by').select_option('price_asc')
    expect(titles).to_have_text(['Desk plant', 'IKEA Malm desk'])
    page.get_by_label('Category').select_option('furniture')
    expect(titles).to_have_text(['IKEA Malm desk'])
    expect(page).to_have_url(f'{self.base_url}/search?q=desk&category=furniture&sort=price_asc')
    self.assert_page_clean()

  def test_selling_confirms_the_buyer_and_the_queue_is_one_click_away(self):
    """Item 13: mark-sold names the buyer, the seller writes to anyone in the queue from the
    queue, Manage queue opens that post's queue, visitors see the queue length, and the
    description counts its characters."""
    seller = make_user(username='omar', display_name='Omar')
    first = make_user(username='pia', display_name='Pia')
    second = make_user(username='quinn', display_name='Quinn')
    post = make_post(seller=seller, title='Road bike')
    make_post(seller=seller, title='Other thing')
    dibs = [
      self.api_ok('post', f'/api/posts/{post.id}/dibs', self.logged_in_client(buyer), 201)['dib']
      for buyer in (first, second)
    ]

    visitor = self.new_page()
    visitor.goto(f'/posts/{post.id}')
    expect(visitor.get_by_test_id('queue-position')).to_have_text('2 people are in the queue.')

    page = self.new_page()
    self.log_in_in_browser(page, seller)
    page.goto(f'/posts/{post.id}')
    page.get_by_role('link', name='Manage queue').click()
    expect(page).to_have_url(f'{self.base_url}/my-posts?post={post.id}')
    expect(page.locator('.my-post')).to_have_count(1)
    queue = page.get_by_test_id('queue')
    expect(queue.locator('.queue__item')).to_have_count(2)

    queue.get_by_role('button', name='Message Quinn').click()
    expect(page.get_by_role('heading', name='Quinn', level=1)).to_be_visible()
    page.get_by_label('Message').fill('Still keen on the bike?')
    page.get_by_role('button', name='Send').click()
    expect(page.get_by_test_id('thread')).to_contain_text('Still keen on the bike?')

    page.goto(f'/my-posts?post={post.id}')
    self.api_ok('post', f'/api/dibs/{dibs[0]["id"]}/accept', self.logged_in_client(seller))
    page.reload()
    dialogs = []

    def answer(dialog):
      dialogs.append(dialog.message)
      if len(dialogs) == 1:
        dialog.dismiss()
      else:
        dialog.accept()

    page.on('dialog', answer)
    page.get_by_test_id('mark-sold').click()
    expect(page.get_by_test_id('mark-sold')).to_be_enabled()
    self.assertIn('as sold to Pia', dialogs[0])
    expect(page.locator('.my-post__head .badge')).to_have_text('Pending')  # dismissed: unchanged
    page.get_by_test_id('mark-sold').click()
    expect(page.get_by_test_id('sold-to')).to_have_text('Sold to Pia. Nice one!')

    page.goto('/posts/new')
    description = page.get_by_label('Description')
    counter = page.get_by_test_id('description-counter')
    expect(counter).to_have_text('0 / 5000 characters')
    description.fill('Fits a 54 cm frame.')
    expect(counter).to_have_text('19 / 5000 characters')
    self.assert_page_clean()
