"""The current user's profile and password, and public profiles."""

from app.extensions import db
from app.users.UserModels import User
from tests.base import ApiTestCase
from tests.factories import DEFAULT_PASSWORD, make_campus, make_user


class MeTest(ApiTestCase):
  def test_me_requires_login(self):
    self.assert_error(self.client.get('/api/users/me'), 401, 'unauthorized')

  def test_me_is_the_private_view(self):
    self.signup('alice')
    user = self.client.get('/api/users/me').get_json()['user']
    self.assertEqual(
      sorted(user),
      sorted(
        [
          'id',
          'username',
          'display_name',
          'bio',
          'campus',
          'verified_campus',
          'created_at',
          'rating',
          'email',
          'email_verified',
          'role',
          'unread_notifications',
          'notification_settings',
        ]
      ),
    )
    self.assertTrue(user['created_at'].endswith('Z'))


class UpdateProfileTest(ApiTestCase):
  def test_update_profile(self):
    self.signup('alice')
    response = self.api(
      'patch',
      '/api/users/me',
      json={'display_name': '  Alice N.  ', 'bio': 'Selling books.'},
    )
    self.assertEqual(response.status_code, 200)
    user = response.get_json()['user']
    self.assertEqual(
      (user['display_name'], user['bio'], user['campus']), ('Alice N.', 'Selling books.', None)
    )
    stored = db.session.execute(db.select(User)).scalar_one()
    self.assertEqual(stored.bio, 'Selling books.')

  def test_partial_update_keeps_other_fields(self):
    self.signup('bob', display_name='Bobby')
    self.api('patch', '/api/users/me', json={'bio': 'Hi'})
    user = self.client.get('/api/users/me').get_json()['user']
    self.assertEqual((user['display_name'], user['bio']), ('Bobby', 'Hi'))

  def test_null_clears_bio_but_not_display_name_and_the_campus_is_not_mine_to_set(self):
    make_campus('north', domains=['north.example.edu'])
    self.signup('carol', email='carol@north.example.edu')
    self.api('patch', '/api/users/me', json={'bio': 'x', 'campus': 'south'})
    response = self.api('patch', '/api/users/me', json={'bio': None, 'campus': None})
    user = response.get_json()['user']
    # The campus follows the address (docs/CAMPUSES.md): a profile change leaves it alone.
    self.assertEqual((user['bio'], user['campus']), ('', {'slug': 'north', 'name': 'North Campus'}))
    response = self.api('patch', '/api/users/me', json={'display_name': None})
    self.assert_error(response, 422, 'validation_error', ['display_name'])

  def test_invalid_profile_changes_nothing(self):
    self.signup('dave', display_name='Dave')
    response = self.api('patch', '/api/users/me', json={'display_name': '', 'bio': 'y' * 501})
    self.assert_error(response, 422, 'validation_error', ['display_name', 'bio'])
    self.assertEqual(self.client.get('/api/users/me').get_json()['user']['display_name'], 'Dave')

  def test_email_and_role_cannot_be_changed_here(self):
    self.signup('erin')
    response = self.api(
      'patch', '/api/users/me', json={'email': 'x@example.edu', 'role': 'admin', 'bio': 'b'}
    )
    user = response.get_json()['user']
    self.assertEqual((user['email'], user['role']), ('erin@example.edu', 'user'))

  def test_update_requires_login_and_csrf(self):
    self.assert_error(self.api('patch', '/api/users/me', json={'bio': 'x'}), 401, 'unauthorized')
    self.signup('fay')
    self.assert_error(self.api('patch', '/api/users/me', json={}, csrf=False), 400, 'csrf')

  def test_update_needs_json(self):
    self.signup('gus')
    response = self.api('patch', '/api/users/me', data='bio=x', content_type='text/plain')
    self.assert_error(response, 415, 'unsupported_media_type')


class ChangePasswordTest(ApiTestCase):
  def change(self, current, new, client=None):
    return self.api(
      'put',
      '/api/users/me/password',
      json={'current_password': current, 'new_password': new},
      client=client,
    )

  def test_change_password(self):
    user = make_user('hana')
    self.login_as(user)
    self.assertEqual(self.change(DEFAULT_PASSWORD, 'a brand new password').status_code, 204)
    self.assertEqual(self.client.get('/api/users/me').status_code, 200)
    self.api('post', '/api/auth/logout')
    self.login_as(user, password='a brand new password')
    response = self.api(
      'post', '/api/auth/login', json={'email': user.email, 'password': DEFAULT_PASSWORD}
    )
    self.assert_error(response, 401, 'unauthorized')

  def test_change_ends_other_sessions(self):
    user = make_user('ian')
    other_device = self.new_client()
    self.login_as(user, client=other_device)
    self.login_as(user)
    self.assertEqual(self.change(DEFAULT_PASSWORD, 'a brand new password').status_code, 204)
    self.assert_error(other_device.get('/api/users/me'), 401, 'unauthorized')
    self.assertEqual(self.client.get('/api/users/me').status_code, 200)

  def test_wrong_current_password(self):
    self.login_as(make_user('jo'))
    response = self.change('not my password', 'a brand new password')
    self.assert_error(response, 422, 'validation_error', ['current_password'])

  def test_short_new_password(self):
    self.login_as(make_user('kim'))
    self.assert_error(
      self.change(DEFAULT_PASSWORD, 'short'), 422, 'validation_error', ['new_password']
    )

  def test_requires_login(self):
    self.assert_error(self.change('a', 'b'), 401, 'unauthorized')


class PublicProfileTest(ApiTestCase):
  def test_public_profile_hides_email_and_role(self):
    make_user('lena', bio='Hello')
    response = self.client.get('/api/users/lena')
    self.assertEqual(response.status_code, 200)
    user = response.get_json()['user']
    self.assertEqual(user['bio'], 'Hello')
    self.assertNotIn('email', user)
    self.assertNotIn('role', user)

  def test_unknown_username_is_404(self):
    self.assert_error(self.client.get('/api/users/nobody'), 404, 'not_found')
