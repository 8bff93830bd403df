"""GET /api/auth/session: who is logged in, a 200 either way (issue 15, item 15)."""

from tests.base import ApiTestCase
from tests.factories import make_user


class SessionTest(ApiTestCase):
  def test_a_visitor_gets_null_with_a_200(self):
    response = self.client.get('/api/auth/session')
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.get_json(), {'user': None})

  def test_a_logged_in_user_gets_their_private_profile(self):
    user = make_user(username='maya')
    self.login_as(user)
    body = self.client.get('/api/auth/session').get_json()
    self.assertEqual(body['user']['username'], 'maya')
    self.assertEqual(body['user']['email'], user.email)
    self.assertEqual(body, self.client.get('/api/users/me').get_json())
    self.assertEqual(self.api('post', '/api/auth/logout').status_code, 204)
    self.assertEqual(self.client.get('/api/auth/session').get_json(), {'user': None})

  def test_the_shell_carries_the_same_answer_as_boot_data(self):
    page = self.client.get('/login').get_data(as_text=True)
    self.assertIn('<script type="application/json" id="dibz-boot">{"user": null}</script>', page)
    user = make_user(username='leo', display_name='<script>alert(1)</script>')
    self.login_as(user)
    page = self.client.get('/login').get_data(as_text=True)
    self.assertIn('"username": "leo"', page)
    # JSON in HTML: < and > are escaped, so a display name cannot close the data block.
    self.assertNotIn('<script>alert(1)', page)
    self.assertIn('\\u003cscript\\u003ealert(1)', page)
