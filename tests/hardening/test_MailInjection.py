"""Display names and post titles are one line: control characters (newline, CR, other C0 and
C1) and Unicode line/paragraph separators are a 422 naming the field, so nothing a user types
can add lines to a mail; rows stored before the rule still load, edit and mail on one line."""

from unittest.mock import patch

from app.extensions import db
from app.notifications.NotificationConstants import KIND_DIB_RECEIVED
from app.notifications.NotificationTexts import notification_mail
from app.posts.PostModels import Post
from app.users.UserModels import User
from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase, post_payload

# Each would break a mail's line, or hide a line break from a reader.
LINE_BREAKERS = (
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\x0b',
  '\x0c',
  '\x1b',
  '\x7f',
  '\x85',
  '\x9b',
  '\u2028',
  '\u2029',
)
INJECTED_NAME = 'Sam!\n\nSECURITY ALERT: log in at evil.example/x'


class OneLineNamesAndTitlesTest(PostTestCase):
  def test_signup_refuses_a_display_name_with_a_line_break(self):
    response = self.api(
      'post',
      '/api/auth/signup',
      json={
        'username': 'sam',
        'email': 'sam@example.edu',
        'password': 'a long enough password',
        'display_name': INJECTED_NAME,
      },
    )
    error = self.assert_error(response, 422, 'validation_error', ['display_name'])
    self.assertIn('line', error['fields']['display_name'][0])
    self.assertEqual(db.session.execute(db.select(db.func.count(User.id))).scalar(), 0)

  def test_profile_edits_refuse_every_control_character(self):
    user = make_user('tess', display_name='Tess')
    self.login_as(user)
    for breaker in LINE_BREAKERS:
      with self.subTest(character=repr(breaker)):
        response = self.api(
          'patch', '/api/users/me', json={'display_name': f'Tess{breaker}Admin', 'bio': 'new'}
        )
        self.assert_error(response, 422, 'validation_error', ['display_name'])
    db.session.expire_all()
    self.assertEqual((user.display_name, user.bio), ('Tess', ''))
    # Spaces and letters of every script are still names.
    for name in ('Tess O’Neil', 'Zoë Ångström', '王小明', 'Tess 🚲'):
      response = self.api('patch', '/api/users/me', json={'display_name': name})
      self.assertEqual(response.status_code, 200, response.get_json())

  def test_posts_refuse_a_title_with_a_control_character(self):
    seller, post = self.make_post_with_seller(title='Desk lamp')
    for breaker in LINE_BREAKERS:
      with self.subTest(character=repr(breaker)):
        created = self.api('post', '/api/posts', json=post_payload(title=f'Lamp{breaker}FREE'))
        self.assert_error(created, 422, 'validation_error', ['title'])
        edited = self.api('patch', f'/api/posts/{post.id}', json={'title': f'Lamp{breaker}FREE'})
        self.assert_error(edited, 422, 'validation_error', ['title'])
    self.assertEqual(db.session.execute(db.select(db.func.count(Post.id))).scalar(), 1)
    db.session.expire_all()
    self.assertEqual(post.title, 'Desk lamp')
    # Descriptions are prose: their line breaks stay allowed.
    response = self.api('post', '/api/posts', json=post_payload(description='Line one\nLine two'))
    self.assertEqual(response.status_code, 201, response.get_json())


class RowsStoredBeforeTheRuleTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.user = make_user('legacy')
    self.user.display_name = INJECTED_NAME
    self.post = make_post(self.user, title='Old\nbike')
    db.session.commit()
    self.login_as(self.user)

  def test_they_still_load_and_edit_their_other_fields(self):
    me = self.client.get('/api/users/me').get_json()['user']
    self.assertEqual(me['display_name'], INJECTED_NAME)
    response = self.api('patch', '/api/users/me', json={'bio': 'Still here'})
    self.assertEqual(response.status_code, 200, response.get_json())
    response = self.api('patch', f'/api/posts/{self.post.id}', json={'price_cents': 900})
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(response.get_json()['post']['title'], 'Old\nbike')

  def test_mails_show_them_on_one_line(self):
    mails = []
    with patch('app.common.CommonMail.send_mail', side_effect=lambda *mail: mails.append(mail)):
      response = self.api('post', '/api/auth/verify-email/resend')
    self.assertEqual(response.status_code, 202, response.get_json())
    [(_, _, body)] = mails
    first_line = body.splitlines()[0]
    self.assertIn('Sam! SECURITY ALERT: log in at evil.example/x', first_line)
    self.assertNotIn('\nSECURITY ALERT', body)
    _, body = notification_mail(
      KIND_DIB_RECEIVED,
      {'actor': 'a\u2028b', 'post_title': self.post.title, 'post_id': self.post.id},
      'https://dibz.example',
    )
    self.assertEqual(body.splitlines()[0], 'a b called dibs on “Old bike”.')
