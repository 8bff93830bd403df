"""Password reset: always 202, single-use hashed tokens that expire after an hour."""

import re
from datetime import timedelta

from app.extensions import db
from app.users.UserModels import PasswordResetToken
from tests.base import ApiTestCase
from tests.factories import DEFAULT_PASSWORD, make_user

TOKEN_PATTERN = re.compile(r'reset-password\?token=([A-Za-z0-9_\-]+)')


class PasswordResetTest(ApiTestCase):
  def request_reset(self, email):
    with self.assertLogs(self.app.logger, level='INFO') as logs:
      self.app.logger.info('reset requested')
      response = self.api('post', '/api/auth/password-reset', json={'email': email})
    self.assertEqual(response.status_code, 202)
    tokens = TOKEN_PATTERN.findall('\n'.join(logs.output))
    return tokens[0] if tokens else None

  def confirm(self, token, new_password='a new password 123'):
    return self.api(
      'post',
      '/api/auth/password-reset/confirm',
      json={'token': token, 'new_password': new_password},
    )

  def test_reset_flow(self):
    user = make_user('alice')
    token = self.request_reset('ALICE@example.edu')
    self.assertIsNotNone(token)
    stored = db.session.execute(db.select(PasswordResetToken)).scalar_one()
    self.assertNotEqual(stored.token_hash, token)
    self.assertEqual(self.confirm(token).status_code, 204)
    self.login_as(user, password='a new password 123')

  def test_unknown_email_gets_the_same_answer_and_no_mail(self):
    self.assertIsNone(self.request_reset('nobody@example.edu'))
    self.assertEqual(
      db.session.execute(db.select(db.func.count(PasswordResetToken.id))).scalar(), 0
    )

  def test_token_is_single_use(self):
    make_user('bob')
    token = self.request_reset('bob@example.edu')
    self.assertEqual(self.confirm(token).status_code, 204)
    self.assert_error(self.confirm(token, 'another password 1'), 422, 'validation_error', ['token'])

  def test_reset_spends_older_tokens(self):
    make_user('cara')
    first = self.request_reset('cara@example.edu')
    second = self.request_reset('cara@example.edu')
    self.assertEqual(self.confirm(second).status_code, 204)
    self.assert_error(self.confirm(first), 422, 'validation_error', ['token'])

  def test_password_change_spends_outstanding_reset_tokens(self):
    user = make_user('finn')
    token = self.request_reset('finn@example.edu')
    self.login_as(user)
    changed = self.api(
      'put',
      '/api/users/me/password',
      json={'current_password': DEFAULT_PASSWORD, 'new_password': 'changed password 456'},
    )
    self.assertEqual(changed.status_code, 204)
    self.assert_error(
      self.confirm(token, 'attacker password 1'), 422, 'validation_error', ['token']
    )
    db.session.expire_all()
    stored = db.session.execute(db.select(PasswordResetToken)).scalar_one()
    self.assertIsNotNone(stored.used_at)
    self.login_as(user, password='changed password 456')

  def test_a_refused_password_change_leaves_reset_tokens_alive(self):
    user = make_user('gail')
    token = self.request_reset('gail@example.edu')
    self.login_as(user)
    refused = self.api(
      'put',
      '/api/users/me/password',
      json={'current_password': 'not the password', 'new_password': 'changed password 456'},
    )
    self.assert_error(refused, 422, 'validation_error', ['current_password'])
    self.assertEqual(self.confirm(token).status_code, 204)

  def test_expired_token_is_refused(self):
    make_user('dan')
    token = self.request_reset('dan@example.edu')
    stored = db.session.execute(db.select(PasswordResetToken)).scalar_one()
    stored.expires_at = stored.expires_at - timedelta(hours=2)
    db.session.commit()
    self.assert_error(self.confirm(token), 422, 'validation_error', ['token'])

  def test_reset_logs_out_existing_sessions(self):
    user = make_user('eve')
    self.login_as(user)
    token = self.request_reset('eve@example.edu')
    self.assertEqual(self.confirm(token).status_code, 204)
    self.assert_error(self.client.get('/api/users/me'), 401, 'unauthorized')

  def test_bad_input(self):
    self.assert_error(self.confirm('nonsense'), 422, 'validation_error', ['token'])
    self.assert_error(self.confirm('', 'short'), 422, 'validation_error', ['token', 'new_password'])
    response = self.api('post', '/api/auth/password-reset', json={'email': 'not an email'})
    self.assert_error(response, 422, 'validation_error', ['email'])
