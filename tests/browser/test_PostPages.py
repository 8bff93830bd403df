"""Browsing, the post form's errors, editing and deep links, in a real browser."""

import re

from tests.browser.base import (
  BrowserTestCase,
  expect,
  png_bytes,
)
from tests.factories import make_post, make_user


class PostPagesTest(BrowserTestCase):
  def test_post_form_shows_each_error_next_to_its_field(self):
    page = self.new_page()
    self.log_in_in_browser(page, make_user(username='nora'))
    page.goto('/posts/new')
    page.get_by_label('Price ($)').fill('-5')
    page.get_by_role('button', name='Publish post').click()

    form = page.get_by_test_id('post-form')
    for name in ('title', 'price_cents', 'category', 'condition'):
      expect(form.locator(f'[data-field="{name}"] .field__error')).to_be_visible()
    expect(form.locator('[data-field="price_cents"] .field__error')).to_contain_text('0')
    expect(form.locator('[data-field="campus"] .field__error')).to_be_hidden()
    self.assertNotIn('[object Object]', page.inner_text('body'))
    self.assertEqual(page.url, f'{self.base_url}/posts/new')
    self.screenshot(page, 'post-form-errors-desktop')

    # Fixing the fields publishes the post: the errors were the API's, not the browser's.
    page.get_by_label('Title').fill('Desk lamp')
    page.get_by_label('Description').fill('Warm light, adjustable arm.')
    page.get_by_label('Price ($)').fill('12.50')
    page.get_by_label('Category').select_option('furniture')
    page.get_by_label('Condition').select_option('like_new')
    page.get_by_role('button', name='Publish post').click()
    expect(page).to_have_url(re.compile(r'/posts/\d+$'))
    expect(page.locator('.post-detail__price')).to_have_text('$12.50')
    self.assert_page_clean()

  def test_deep_linked_post_loads_on_reload_and_edit_keeps_the_photo_rules(self):
    seller = make_user(username='omar', display_name='Omar')
    post = make_post(seller=seller, title='Road bike, 54 cm', price_cents=15000, category='bikes')
    page = self.new_page()
    page.goto(f'/posts/{post.id}')
    expect(page.get_by_role('heading', name='Road bike, 54 cm')).to_be_visible()
    expect(page.get_by_role('link', name='Log in to call dibs')).to_be_visible()
    page.reload()
    expect(page.get_by_role('heading', name='Road bike, 54 cm')).to_be_visible()
    expect(page.locator('.post-detail__price')).to_have_text('$150.00')
    page.get_by_role('link', name='Omar').click()
    expect(page).to_have_url(f'{self.base_url}/users/omar')
    expect(page.locator('.post-card')).to_have_count(1)
    page.go_back()
    expect(page.get_by_role('heading', name='Road bike, 54 cm')).to_be_visible()

    # The seller edits it from a deep link, adds a photo and sees a refused file explained.
    page.get_by_role('link', name='Log in to call dibs').click()
    page.get_by_label('Email').fill(seller.email)
    page.get_by_label('Password').fill('correct horse battery')
    page.get_by_role('button', name='Log in').click()
    expect(page).to_have_url(f'{self.base_url}/posts/{post.id}')
    page.goto(f'/posts/{post.id}/edit')
    page.get_by_label('Add photos').set_input_files(
      {'name': 'notes.txt', 'mimeType': 'text/plain', 'buffer': b'not an image'}
    )
    page.get_by_role('button', name='Save changes').click()
    expect(page.locator('[data-field="image"] .field__error')).to_contain_text('notes.txt')
    page.get_by_label('Title').fill('Road bike, 54 cm, new tyres')
    page.get_by_label('Add photos').set_input_files(
      {'name': 'bike.png', 'mimeType': 'image/png', 'buffer': png_bytes()}
    )
    page.get_by_role('button', name='Save changes').click()
    expect(page).to_have_url(f'{self.base_url}/posts/{post.id}')
    expect(page.get_by_role('heading', name='Road bike, 54 cm, new tyres')).to_be_visible()
    expect(page.locator('img.gallery__main')).to_be_visible()
    self.assert_page_clean()

  def test_browse_filters_and_sort_are_kept_in_the_address(self):
    seller = make_user()
    make_post(seller=seller, title='Chemistry textbook', price_cents=3000, category='textbooks')
    make_post(seller=seller, title='Physics textbook', price_cents=1500, category='textbooks')
    make_post(seller=seller, title='Office chair', price_cents=2500, category='furniture')
    page = self.new_page()
    page.goto('/')
    expect(page.locator('.post-card')).to_have_count(3)
    page.get_by_label('Category').select_option('textbooks')
    expect(page.locator('.post-card')).to_have_count(2)
    page.get_by_label('Sort by').select_option('price_asc')
    expect(page.locator('.post-card__title').first).to_have_text('Physics textbook')
    page.get_by_label('Max price ($)').fill('20')
    page.get_by_label('Max price ($)').dispatch_event('change')
    expect(page.locator('.post-card')).to_have_count(1)
    self.assertIn('category=textbooks', page.url)
    self.assertIn('max_price=2000', page.url)

    page.reload()
    expect(page.get_by_label('Category')).to_have_value('textbooks')
    expect(page.locator('.post-card')).to_have_count(1)
    page.get_by_label('Category').select_option('bikes')
    expect(page.get_by_text('No posts match these filters.')).to_be_visible()
    self.assert_page_clean()

  def test_seller_declines_then_accepts_from_the_queue_and_buyers_see_it(self):
    seller = make_user(username='pia', display_name='Pia')
    first = make_user(username='quinn', display_name='Quinn')
    second = make_user(username='ravi', display_name='Ravi')
    post = make_post(seller=seller, title='Standing desk', price_cents=8000)
    for buyer in (first, second):
      self.api_ok('post', f'/api/posts/{post.id}/dibs', self.logged_in_client(buyer), 201)

    page = self.new_page()
    self.log_in_in_browser(page, seller)
    page.goto('/my-posts')
    card = page.locator(f'.my-post[data-post-id="{post.id}"]')
    expect(card.locator('.queue__item')).to_have_count(2)
    card.locator('.queue__item').filter(has_text='Quinn').get_by_test_id('decline-dib').click()
    expect(card.locator('.queue__item')).to_have_count(1)
    expect(card.locator('.queue__item')).to_contain_text('#1')
    expect(card.locator('.queue__item')).to_contain_text('Ravi')
    card.get_by_test_id('accept-dib').click()
    expect(card.locator('.my-post__head .badge')).to_have_text('Pending')

    declined = self.new_page()
    self.log_in_in_browser(declined, first)
    declined.goto('/my-dibs')
    expect(declined.get_by_test_id('dib-status')).to_have_text('The seller declined this dib.')
    accepted = self.new_page()
    self.log_in_in_browser(accepted, second)
    accepted.goto('/my-dibs')
    expect(accepted.get_by_test_id('dib-status')).to_contain_text('accepted your dib')
    self.assert_page_clean()
