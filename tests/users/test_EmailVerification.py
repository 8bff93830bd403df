"""Campus email verification: sign-up mails a single-use, hashed, expiring link; profiles and
post sellers show the verified domain; the email domains of campuses gate posting and dibs."""

import re
from datetime import timedelta
from unittest.mock import patch

from app.campuses.CampusHelpers import delete_campus
from app.extensions import db
from app.users.UserModels import EmailVerificationToken, User
from tests.factories import make_campus, make_post, make_user
from tests.posts.PostTestCase import PostTestCase, post_payload

VERIFY_LINK = re.compile(r'/verify-email\?token=([A-Za-z0-9_\-]+)')


class EmailVerificationTestCase(PostTestCase):
  def setUp(self):
    super().setUp()
    self.sent_mails = []
    patcher = patch(
      'app.common.CommonMail.send_mail', side_effect=lambda *mail: self.sent_mails.append(mail)
    )
    patcher.start()
    self.addCleanup(patcher.stop)

  def verification_tokens(self, address):
    return [
      VERIFY_LINK.search(body).group(1)
      for recipient, subject, body in self.sent_mails
      if recipient == address and VERIFY_LINK.search(body)
    ]

  def verify(self, token, client=None):
    return self.api('post', '/api/auth/verify-email', json={'token': token}, client=client)

  def verified_user(self, username, email):
    """A user whose address is verified through the mailed link, opened logged in as them."""
    browser = self.new_client()
    self.signup(username, email=email, client=browser)
    response = self.verify(self.verification_tokens(email)[-1], client=browser)
    self.assertEqual(response.status_code, 200, response.get_json())
    return db.session.execute(db.select(User).where(User.username == username)).scalar_one()


class VerifyEmailTest(EmailVerificationTestCase):
  def test_signup_mails_a_link_that_verifies_the_address(self):
    user = self.signup('alice', email='alice@cs.berkeley.edu')
    self.assertEqual((user['email_verified'], user['verified_campus']), (False, None))
    [token] = self.verification_tokens('alice@cs.berkeley.edu')
    stored = db.session.execute(db.select(EmailVerificationToken)).scalar_one()
    self.assertNotEqual(stored.token_hash, token)
    # The link verifies only for the account's owner, logged in (sign-up logged alice in).
    response = self.verify(token)
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(response.get_json(), {'verified_campus': 'cs.berkeley.edu'})
    public = self.client.get('/api/users/alice').get_json()['user']
    self.assertEqual(public['verified_campus'], 'cs.berkeley.edu')
    self.assertNotIn('email', public)
    me = self.client.get('/api/users/me').get_json()['user']
    self.assertTrue(me['email_verified'])

  def test_the_mail_says_whose_link_it_is_and_what_to_do_when_it_was_not_you(self):
    self.signup('lena', email='lena@berkeley.edu')
    [(_, _, body)] = [mail for mail in self.sent_mails if mail[0] == 'lena@berkeley.edu']
    self.assertIn('logged in as lena', body)
    self.assertIn('If you did not sign up for Dibz', body)
    self.assertIn('nobody can verify this address', body)

  def test_someone_else_opening_the_link_verifies_nothing(self):
    # Mallory signs up with Vic's address; Vic, logged in as himself, clicks the mail.
    self.signup('mallory', email='vic@berkeley.edu', client=self.new_client())
    [token] = self.verification_tokens('vic@berkeley.edu')
    vic = self.new_client()
    self.signup('vic', email='vic.other@example.edu', client=vic)
    error = self.assert_error(self.verify(token, client=vic), 403, 'forbidden')
    self.assertIn('another account', error['message'])
    self.assertIn('ignore', error['message'])
    anonymous = self.new_client()
    self.assert_error(self.verify(token, client=anonymous), 401, 'unauthorized')
    mallory = db.session.execute(db.select(User).where(User.username == 'mallory')).scalar_one()
    self.assertIsNone(mallory.email_verified_at)
    self.assertIsNone(self.client.get('/api/users/mallory').get_json()['user']['verified_campus'])
    stored = db.session.execute(db.select(EmailVerificationToken)).scalars().all()
    self.assertEqual([row.used_at for row in stored], [None, None])

  def test_a_token_is_single_use_and_expires(self):
    self.signup('bob')
    [token] = self.verification_tokens('bob@example.edu')
    self.assertEqual(self.verify(token).status_code, 200)
    self.assert_error(self.verify(token), 422, 'validation_error', ['token'])
    cara = self.new_client()
    self.signup('cara', client=cara)
    [token] = self.verification_tokens('cara@example.edu')
    stored = db.session.execute(
      db.select(EmailVerificationToken).where(EmailVerificationToken.used_at.is_(None))
    ).scalar_one()
    stored.expires_at = stored.expires_at - timedelta(days=8)
    db.session.commit()
    self.assert_error(self.verify(token, client=cara), 422, 'validation_error', ['token'])

  def test_bad_tokens(self):
    self.signup('bea')
    for body in ({}, {'token': ''}, {'token': '  '}, {'token': 5}, {'token': 'x' * 201}):
      response = self.api('post', '/api/auth/verify-email', json=body)
      self.assert_error(response, 422, 'validation_error', ['token'])
    self.assert_error(self.verify('not-a-token'), 422, 'validation_error', ['token'])
    response = self.api('post', '/api/auth/verify-email', data='token=x')
    self.assert_error(response, 415, 'unsupported_media_type')

  def test_resend_mails_a_new_link_until_verified(self):
    self.signup('dana')
    response = self.api('post', '/api/auth/verify-email/resend')
    self.assertEqual(response.status_code, 202)
    first, second = self.verification_tokens('dana@example.edu')
    self.assertEqual(self.verify(second).status_code, 200)
    # Verifying spends the other links too.
    self.assert_error(self.verify(first), 422, 'validation_error', ['token'])
    response = self.api('post', '/api/auth/verify-email/resend')
    self.assert_error(response, 409, 'conflict')
    self.assert_error(
      self.api('post', '/api/auth/verify-email/resend', client=self.new_client()),
      401,
      'unauthorized',
    )

  def test_post_sellers_show_the_verified_domain(self):
    seller = self.verified_user('erin', 'erin@berkeley.edu')
    post = make_post(seller)
    other = make_post(make_user('frank'))
    listed = {item['id']: item for item in self.client.get('/api/posts').get_json()['items']}
    self.assertEqual(listed[post.id]['seller']['verified_campus'], 'berkeley.edu')
    self.assertIsNone(listed[other.id]['seller']['verified_campus'])
    detail = self.client.get(f'/api/posts/{post.id}').get_json()['post']
    self.assertEqual(detail['seller']['verified_campus'], 'berkeley.edu')
    self.assertNotIn('email', detail['seller'])


class CampusGateTest(EmailVerificationTestCase):
  def setUp(self):
    super().setUp()
    self.campus = make_campus('berkeley', domains=['berkeley.edu'])

  def test_unverified_users_may_not_post_or_call_dibs(self):
    post = make_post(make_user('seller'))
    self.signup('gus', email='gus@berkeley.edu')
    error = self.assert_error(self.api('post', '/api/posts', json=post_payload()), 403, 'forbidden')
    self.assertIn('berkeley.edu', error['message'])
    self.assertIn('verif', error['message'])
    response = self.api('post', f'/api/posts/{post.id}/dibs')
    self.assert_error(response, 403, 'forbidden')
    self.assertEqual(self.dib_statuses(post.id), {})

  def test_verified_students_of_the_domains_may_post_and_call_dibs(self):
    post = make_post(make_user('seller'))
    self.verified_user('hal', 'hal@eecs.berkeley.edu')
    self.login_as(db.session.execute(db.select(User).where(User.username == 'hal')).scalar_one())
    self.assertEqual(self.api('post', '/api/posts', json=post_payload()).status_code, 201)
    self.assertEqual(self.api('post', f'/api/posts/{post.id}/dibs').status_code, 201)

  def test_a_verified_address_elsewhere_is_refused(self):
    user = self.verified_user('ivy', 'ivy@stanford.edu')
    self.login_as(user)
    self.assert_error(self.api('post', '/api/posts', json=post_payload()), 403, 'forbidden')
    user = self.verified_user('jon', 'jon@notberkeley.edu')
    self.login_as(user)
    self.assert_error(self.api('post', '/api/posts', json=post_payload()), 403, 'forbidden')

  def test_without_campus_domains_anyone_may_post(self):
    delete_campus('berkeley')
    self.signup('kim')
    self.assertEqual(self.api('post', '/api/posts', json=post_payload()).status_code, 201)
