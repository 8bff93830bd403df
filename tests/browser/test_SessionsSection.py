"""The profile page's "Where you're logged in": my sessions, ending one, ending all others."""

from tests.browser.base import BrowserTestCase, expect
from tests.factories import make_user


class SessionsSectionTest(BrowserTestCase):
  required_routes = (
    ('GET', '/api/auth/sessions'),
    ('DELETE', '/api/auth/sessions/<id>'),
    ('POST', '/api/auth/sessions/revoke-others'),
  )

  def test_lists_my_sessions_and_logs_the_others_out(self):
    user = make_user(username='sam')
    phone, tablet = self.logged_in_client(user), self.logged_in_client(user)
    page = self.new_page()
    self.log_in_in_browser(page, user)
    page.goto('/profile')
    section = page.get_by_test_id('sessions')
    expect(section.get_by_role('heading', name='Where you\u2019re logged in')).to_be_visible()
    sessions = section.get_by_test_id('session')
    expect(sessions).to_have_count(3)
    expect(section.get_by_text('This device')).to_have_count(1)
    expect(section.get_by_text('Chrome on Linux')).to_be_visible()
    self.screenshot(page, 'profile-sessions-desktop')

    # End one session from its row: that client is logged out, this one is not.
    section.get_by_role('button', name='End session on').first.click()
    expect(page.locator('.flash')).to_have_text('That session has ended.')
    expect(sessions).to_have_count(2)
    statuses = sorted(client.get('/api/users/me').status_code for client in (phone, tablet))
    self.assertEqual(statuses, [200, 401])

    section.get_by_role('button', name='End all other sessions').click()
    expect(page.locator('.flash')).to_have_text('1 other session ended.')
    expect(sessions).to_have_count(1)
    for client in (phone, tablet):
      self.assertEqual(client.get('/api/users/me').status_code, 401)
    page.reload()
    expect(page.get_by_role('button', name='Log out', exact=True)).to_be_visible()
    expect(section.get_by_text('This device')).to_be_visible()
    self.assert_page_clean()
