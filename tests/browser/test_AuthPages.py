"""Sign up, log in, log out, password reset and the profile, in a real browser."""

import re

from app.common.CommonSecurity import CONTENT_SECURITY_POLICY
from tests.browser.base import (
  DESKTOP,
  PHONE,
  BrowserTestCase,
  expect,
  policy_directives,
)
from tests.factories import make_user


class AuthPagesTest(BrowserTestCase):
  def test_signup_errors_are_shown_next_to_their_fields(self):
    page = self.new_page()
    page.goto('/signup')
    page.get_by_label('Email').fill('not-an-email')
    page.get_by_label('Username').fill('No Spaces!')
    page.get_by_label('Password').fill('short')
    page.get_by_role('button', name='Create account').click()

    form = page.get_by_test_id('signup-form')
    expect(form.locator('[data-field="email"] .field__error')).to_have_text(
      'Must be a valid email address.'
    )
    expect(form.locator('[data-field="username"] .field__error')).to_contain_text(
      'lower-case letters'
    )
    expect(form.locator('[data-field="password"] .field__error')).to_contain_text('between 10')
    expect(form.locator('[data-field="display_name"] .field__error')).to_be_hidden()
    expect(form.locator('.form__message')).to_have_text('Please fix the highlighted fields.')
    expect(page.get_by_label('Password')).to_have_attribute('aria-invalid', 'true')
    self.assertNotIn('[object Object]', page.inner_text('body'))
    self.screenshot(page, 'signup-errors-desktop')
    self.assert_page_clean()

  def test_taken_username_and_wrong_password_show_the_api_message(self):
    user = make_user(username='taken_name')
    page = self.new_page()
    page.goto('/signup')
    page.get_by_label('Email').fill('someone@example.edu')
    page.get_by_label('Username').fill('taken_name')
    page.get_by_label('Password').fill('correct horse battery')
    page.get_by_role('button', name='Create account').click()
    message = page.locator('.form__message, [data-field="username"] .field__error')
    expect(message.first).to_be_visible()

    page.goto('/login')
    page.get_by_label('Email').fill(user.email)
    page.get_by_label('Password').fill('wrong password!')
    page.get_by_role('button', name='Log in').click()
    expect(page.locator('.form__message')).to_have_text('The email or password is not correct.')
    self.assert_page_clean()

  def test_profile_deep_link_login_redirect_edit_and_logout(self):
    user = make_user(username='robin', display_name='Robin')
    page = self.new_page()
    page.goto('/profile')
    expect(page).to_have_url(f'{self.base_url}/login?next=%2Fprofile')
    page.get_by_label('Email').fill(user.email)
    page.get_by_label('Password').fill('correct horse battery')
    page.get_by_role('button', name='Log in').click()
    expect(page).to_have_url(f'{self.base_url}/profile')

    page.get_by_label('Display name').fill('Robin Hood')
    page.get_by_role('button', name='Save profile').click()
    expect(page.locator('.flash')).to_have_text('Profile saved.')
    page.reload()
    expect(page.get_by_label('Display name')).to_have_value('Robin Hood')
    self.screenshot(page, 'profile-desktop')
    page.set_viewport_size(PHONE)
    self.screenshot(page, 'profile-phone')

    # On a phone the navigation folds behind the Menu button.
    expect(page.get_by_role('button', name='Log out')).to_be_hidden()
    page.get_by_role('button', name='Menu').click()
    self.screenshot(page, 'menu-open-phone')
    page.get_by_role('button', name='Log out').click()
    page.set_viewport_size(DESKTOP)
    expect(page.get_by_role('link', name='Log in')).to_be_visible()
    page.goto('/profile')
    expect(page).to_have_url(f'{self.base_url}/login?next=%2Fprofile')
    self.assert_page_clean()

  def test_signup_then_logout_then_login_again(self):
    page = self.new_page()
    self.sign_up_in_browser(page, 'casey', display_name='Casey')
    expect(page.locator('.flash')).to_contain_text('Welcome to Dibz, Casey!')
    page.get_by_role('button', name='Log out').click()
    expect(page.get_by_role('link', name='Sign up')).to_be_visible()
    # The session was rotated twice: the client must fetch fresh CSRF tokens to log in again.
    page.goto('/login')
    page.get_by_label('Email').fill('casey@example.edu')
    page.get_by_label('Password').fill('correct horse battery')
    page.get_by_role('button', name='Log in').click()
    expect(page.get_by_role('button', name='Log out')).to_be_visible()
    self.assert_page_clean()

  def test_shell_runs_under_the_content_security_policy(self):
    page = self.new_page()
    response = page.goto('/login')
    policy = response.headers.get('content-security-policy')
    self.assertEqual(policy_directives(policy), policy_directives(CONTENT_SECURITY_POLICY))
    self.assertEqual(response.headers.get('cache-control'), 'private, no-cache')
    expect(page.get_by_role('button', name='Log in')).to_be_visible()
    # Nothing in the page carries inline script or style the policy would have to allow.
    inline = page.evaluate(
      """() => ({
        // A JSON data block (the boot data) is never executed; any other inline script would be.
        inlineScripts: [...document.scripts].filter((script) => !script.src && script.type !== 'application/json').length,
        styleAttributes: document.querySelectorAll('[style]').length,
        styleElements: document.querySelectorAll('style').length,
      })"""
    )
    self.assertEqual(inline, {'inlineScripts': 0, 'styleAttributes': 0, 'styleElements': 0})
    self.assert_page_clean()

  def test_unknown_client_route_shows_a_not_found_page(self):
    page = self.new_page()
    page.goto('/no/such/page')
    expect(page.get_by_text('There is nothing at this address.')).to_be_visible()
    self.assert_page_clean()

  def test_password_reset_from_the_mailed_link(self):
    user = make_user(username='vera')
    page = self.new_page()
    page.goto('/login')
    page.get_by_role('link', name='Forgot your password?').click()
    page.get_by_label('Email').fill(user.email)
    with self.assertLogs(self.app.logger, 'INFO') as logs:
      page.get_by_role('button', name='Send me a reset link').click()
      expect(page.get_by_role('status').filter(has_text='reset link is on its way')).to_be_visible()
    link = re.search(r'(/reset-password\?token=[\w-]+)', '\n'.join(logs.output)).group(1)

    page.goto(link.replace('token=', 'token=wrong'))
    page.get_by_label('New password').fill('a brand new password')
    page.get_by_role('button', name='Set new password').click()
    expect(page.locator('[data-field="token"] .field__error')).to_have_text(
      'This reset link is invalid or has expired.'
    )

    page.goto(link)
    page.get_by_label('New password').fill('short')
    page.get_by_role('button', name='Set new password').click()
    expect(page.locator('[data-field="new_password"] .field__error')).to_contain_text('between 10')
    page.get_by_label('New password').fill('a brand new password')
    page.get_by_role('button', name='Set new password').click()
    expect(page).to_have_url(f'{self.base_url}/login')
    page.get_by_label('Email').fill(user.email)
    page.get_by_label('Password').fill('a brand new password')
    page.get_by_role('button', name='Log in').click()
    expect(page.get_by_role('button', name='Log out')).to_be_visible()
    self.assert_page_clean()
