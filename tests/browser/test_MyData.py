"""Issue 23, items 5 and 6 in the browser: a student downloads their data (the JSON file) and
deletes their account (then the login is refused); a held post shows "Waiting for review" to
its seller and a moderator approves it from the held-posts page. axe at both widths and
screenshots of the new pages."""

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.users.UserModels import User
from tests import factories
from tests.browser import test_Accessibility, test_Screenshots
from tests.browser.base import BrowserTestCase, expect
from tests.posts.PostTestCase import post_payload

OLD_ENOUGH = {'created_at': utc_now() - timedelta(days=3), 'email_verified_at': utc_now()}


class MyDataBrowserTest(BrowserTestCase):
  # Borrowed, not inherited: inheriting would run those modules' tests again here.
  check_page = test_Accessibility.AccessibilityTest.check_page
  capture = test_Screenshots.ScreenshotsTest.capture

  def setUp(self):
    super().setUp()
    self.axe = test_Accessibility.axe_source()

  def test_download_my_data_then_delete_my_account(self):
    zelda = factories.make_user('zelda_gone', display_name='Zelda Q', **OLD_ENOUGH)
    client = self.logged_in_client(zelda)
    self.api_ok('post', '/api/posts', client, 201, json=post_payload(title='Desk lamp'))
    page = self.new_page()
    self.log_in_in_browser(page, zelda)
    page.goto('/profile')
    section = page.get_by_test_id('my-data')
    self.check_page(page, 'profile with my data', section)
    self.capture(page, 'profile-my-data', section)
    with page.expect_download() as download_info:
      page.get_by_test_id('download-my-data').click()
    download = download_info.value
    self.assertEqual(download.suggested_filename, 'dibz-my-data-zelda_gone.json')
    data = json.loads(Path(download.path()).read_text())
    self.assertEqual(data['profile']['username'], 'zelda_gone')
    self.assertEqual([post['title'] for post in data['posts']], ['Desk lamp'])
    form = page.get_by_test_id('delete-account-form')
    form.get_by_label('Your password').fill(factories.DEFAULT_PASSWORD)
    form.get_by_role('button', name='Delete my account').click()
    # Without the confirmation box ticked nothing happens but a message.
    expect(form.get_by_role('alert')).to_contain_text('Tick the box')
    page.get_by_test_id('delete-confirm').check()
    form.get_by_role('button', name='Delete my account').click()
    expect(page.get_by_text('Your account is deleted.')).to_be_visible()
    expect(page.get_by_role('link', name='Log in')).to_be_visible()
    db.session.expire_all()
    self.assertIsNotNone(db.session.get(User, zelda.id).deleted_at)
    page.goto('/login')
    page.get_by_label('Email').fill(zelda.email)
    page.get_by_label('Password').fill(factories.DEFAULT_PASSWORD)
    page.get_by_role('button', name='Log in').click()
    expect(page.get_by_text('The email or password is not correct.')).to_be_visible()
    self.assert_page_clean()

  def test_a_held_post_waits_for_review_and_a_moderator_approves_it(self):
    seller = factories.make_user('sam_seller', **OLD_ENOUGH)
    moderator = factories.make_user('mona_mod', role='moderator', **OLD_ENOUGH)
    client = self.logged_in_client(seller)
    body = post_payload(title='Camping stove with alcohol burner')
    post = self.api_ok('post', '/api/posts', client, 201, json=body)['post']
    self.assertEqual(post['moderation_state'], 'in_review')
    seller_page = self.new_page()
    self.log_in_in_browser(seller_page, seller)
    seller_page.goto('/my-posts')
    held = seller_page.get_by_test_id('my-held-posts')
    expect(held.get_by_test_id('moderation-badge')).to_have_text('Waiting for review')
    self.check_page(seller_page, 'my posts with a held post', held)
    self.capture(seller_page, 'my-posts-held', held)
    held.get_by_role('link', name=post['title']).click()
    expect(seller_page.get_by_test_id('moderation-badge')).to_have_text('Waiting for review')
    expect(seller_page.get_by_test_id('moderation-notice')).to_contain_text('it mentions alcohol')
    self.capture(
      seller_page, 'post-waiting-for-review', seller_page.get_by_test_id('moderation-notice')
    )
    # Nobody else finds it.
    visitor = self.new_page()
    visitor.goto('/')
    expect(visitor.get_by_role('heading', name='Desk')).to_have_count(0)
    self.assertNotIn(post['title'], visitor.content())
    moderator_page = self.new_page()
    self.log_in_in_browser(moderator_page, moderator)
    moderator_page.get_by_role('link', name='Held posts').first.click()
    item = moderator_page.get_by_test_id('held-post')
    expect(item).to_contain_text(post['title'])
    expect(item).to_contain_text('Held because it mentions alcohol.')
    self.check_page(moderator_page, 'held posts', item)
    self.capture(moderator_page, 'held-posts', item)
    item.get_by_role('button', name='Approve').click()
    expect(moderator_page.get_by_text(f'Approved: {post["title"]}')).to_be_visible()
    visitor.goto('/')
    expect(visitor.get_by_role('heading', name=post['title'])).to_be_visible()
    seller_page.reload()
    expect(seller_page.get_by_test_id('moderation-badge')).to_have_count(0)
    state = db.session.execute(select(User.role).where(User.id == moderator.id)).scalar_one()
    self.assertEqual(state, 'moderator')
    self.assert_page_clean()
