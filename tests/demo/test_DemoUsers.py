"""The demo accounts: addresses the sign-up validator accepts, verified, and able to reset."""

from unittest.mock import patch

from app.common.CommonForms import validate_form
from app.demo.DemoUsers import DEMO_PASSWORD, DEMO_USERS, seed_users
from app.extensions import db
from app.users.UserForms import PasswordResetRequestForm, SignupForm
from app.users.UserModels import User
from tests.base import ApiTestCase


class DemoAccountsTest(ApiTestCase):
  def test_demo_accounts_pass_the_sign_up_validator_and_are_verified(self):
    users = seed_users()
    self.assertEqual(len(users), len(DEMO_USERS))
    for user in users:
      # The email field of sign-up and reset ('admin' is a reserved username for new accounts).
      validate_form(
        SignupForm,
        {'email': user.email, 'username': 'x' + user.username, 'password': DEMO_PASSWORD},
      )
      validate_form(PasswordResetRequestForm, {'email': user.email})
      self.assertIsNotNone(user.email_verified_at)
      public = self.client.get(f'/api/users/{user.username}').get_json()['user']
      self.assertEqual(public['verified_campus'], 'dibz.example.edu')

  def test_a_demo_account_can_log_in_and_reset_its_password(self):
    alice = next(user for user in seed_users() if user.username == 'alice')
    self.login_as(alice, password=DEMO_PASSWORD)
    sent = []
    with patch('app.common.CommonMail.send_mail', side_effect=lambda *mail: sent.append(mail)):
      response = self.api('post', '/api/auth/password-reset', json={'email': alice.email})
    self.assertEqual(response.status_code, 202)
    self.assertEqual([mail[0] for mail in sent], [alice.email])

  def test_seeding_again_moves_old_demo_addresses_and_adds_nothing(self):
    first = seed_users()
    old = db.session.get(User, first[1].id)
    old.email = f'{old.username}@dibz.test'
    old.email_verified_at = None
    db.session.commit()
    again = seed_users()
    self.assertEqual([user.id for user in again], [user.id for user in first])
    db.session.expire_all()
    moved = db.session.get(User, first[1].id)
    self.assertEqual(moved.email, f'{moved.username}@dibz.example.edu')
    self.assertIsNotNone(moved.email_verified_at)
