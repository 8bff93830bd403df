"""The bell and the notifications page, the verified-student badge, the banner asking to
verify, and the /verify-email link, in a real browser."""

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.users.UserModels import EmailVerificationToken
from app.users.UserTokens import issue_token
from tests.browser.base import PHONE, BrowserTestCase, expect
from tests.factories import make_post, make_user


class NotificationPagesTest(BrowserTestCase):
  def test_the_bell_counts_unread_notifications_and_the_page_lists_and_reads_them(self):
    seller = make_user('sally', display_name='Sally', email_verified_at=utc_now())
    post = make_post(seller, title='Desk lamp')
    page = self.new_page()
    self.log_in_in_browser(page, seller)
    bell = page.get_by_test_id('notification-bell')
    expect(bell).to_be_visible()
    expect(page.get_by_test_id('notification-badge')).to_be_hidden()

    for username in ('ben', 'bo'):
      client = self.logged_in_client(make_user(username))
      self.api_ok('post', f'/api/posts/{post.id}/dibs', client, status=201)
    page.goto('/')
    expect(page.get_by_test_id('notification-badge')).to_have_text('2')
    bell.click()
    expect(page).to_have_url(f'{self.base_url}/notifications')
    items = page.get_by_test_id('notification')
    expect(items).to_have_count(2)
    expect(items.first.locator('a')).to_have_text('bo called dibs on “Desk lamp”.')
    expect(page.locator('.notification--unread')).to_have_count(2)
    self.screenshot(page, 'notifications-desktop')

    page.get_by_test_id('mark-all-read').click()
    expect(page.locator('.notification--unread')).to_have_count(0)
    expect(page.get_by_test_id('notification-badge')).to_be_hidden()
    items.first.locator('a').click()
    expect(page).to_have_url(f'{self.base_url}/posts/{post.id}')
    page.set_viewport_size(PHONE)
    page.goto('/notifications')
    expect(items).to_have_count(2)
    self.screenshot(page, 'notifications-phone')
    self.assert_page_clean()


class VerificationPagesTest(BrowserTestCase):
  def test_verified_sellers_show_a_badge_on_their_profile_and_posts(self):
    verified = make_user(
      'vera', display_name='Vera', email='vera@berkeley.edu', email_verified_at=utc_now()
    )
    unverified = make_user('uma', display_name='Uma')
    verified_post = make_post(verified, title='Verified lamp')
    other_post = make_post(unverified, title='Other lamp')
    page = self.new_page()
    page.goto('/users/vera')
    expect(page.get_by_test_id('verified-badge')).to_have_text('Verified student · berkeley.edu')
    page.goto(f'/posts/{verified_post.id}')
    expect(page.get_by_test_id('verified-badge')).to_have_text('Verified student · berkeley.edu')
    self.screenshot(page, 'post-verified-seller-desktop')
    page.goto(f'/posts/{other_post.id}')
    expect(page.get_by_role('heading', name='Other lamp')).to_be_visible()
    expect(page.get_by_test_id('verified-badge')).to_have_count(0)
    page.goto('/users/uma')
    expect(page.get_by_role('heading', name='Uma', exact=True)).to_be_visible()
    expect(page.get_by_test_id('verified-badge')).to_have_count(0)
    self.assert_page_clean()

  def test_unverified_users_see_a_banner_until_the_link_verifies_them(self):
    page = self.new_page()
    self.sign_up_in_browser(page, 'newbie')
    banner = page.get_by_test_id('verify-banner')
    expect(banner).to_be_visible()
    expect(banner).to_contain_text('newbie@example.edu')
    page.get_by_test_id('resend-verification').click()
    expect(page.locator('.flash')).to_have_text(
      'A new verification link is on its way to newbie@example.edu.'
    )
    self.screenshot(page, 'verify-banner-desktop')

    user_id = self.client.get('/api/users/newbie').get_json()['user']['id']
    token = issue_token(EmailVerificationToken, user_id, 3600)
    db.session.commit()
    page.goto(f'/verify-email?token={token}')
    expect(page.get_by_test_id('verify-email')).to_contain_text(
      'Other students now see you as a verified student of example.edu.'
    )
    expect(banner).to_be_hidden()
    page.goto('/users/newbie')
    expect(page.get_by_test_id('verified-badge')).to_have_text('Verified student · example.edu')
    # The same link a second time is spent: the page says so instead of failing.
    page.goto(f'/verify-email?token={token}')
    expect(page.get_by_test_id('verify-email')).to_contain_text(
      'This verification link is invalid or has expired.'
    )
    self.assert_page_clean()


class EmailSettingsPageTest(BrowserTestCase):
  def test_turning_a_kind_off_on_the_profile_page_is_saved(self):
    user = make_user('sam', email_verified_at=utc_now())
    page = self.new_page()
    self.log_in_in_browser(page, user)
    page.goto('/profile')
    box = page.get_by_label('Someone calls dibs on my post')
    expect(box).to_be_checked()
    box.uncheck()
    page.get_by_role('button', name='Save email settings').click()
    expect(page.locator('.flash')).to_have_text('Email settings saved.')
    page.reload()
    expect(page.get_by_label('Someone calls dibs on my post')).not_to_be_checked()
    expect(page.get_by_label('My dib is accepted')).to_be_checked()
    client = self.logged_in_client(user)
    settings = self.api_ok('get', '/api/users/me', client)['user']['notification_settings']
    self.assertFalse(settings['dib_received'])
    self.assert_page_clean()
