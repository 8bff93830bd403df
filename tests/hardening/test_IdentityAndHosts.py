"""Identity hygiene (one account per email however it is spelled; display names that cannot
hide, reorder or pose as staff) and hosts (no Host-reflecting redirect, prod answers only its
configured host names)."""

import unicodedata

from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from app.extensions import db
from app.users.UserHelpers import normalize_email
from app.users.UserModels import User
from tests import factories
from tests.base import ApiTestCase
from tests.hardening.HardeningHelpers import production_environment, separate_app

NFC_EMAIL = unicodedata.normalize('NFC', 'jos\u00e9@example.edu')
NFD_EMAIL = unicodedata.normalize('NFD', 'jos\u00e9@example.edu')


class EmailNormalizationTest(ApiTestCase):
  def test_nfc_and_nfd_spellings_are_one_account(self):
    self.assertNotEqual(NFC_EMAIL, NFD_EMAIL)
    self.signup('jose', email=NFC_EMAIL)
    response = self.api(
      'post',
      '/api/auth/signup',
      json={'email': NFD_EMAIL, 'username': 'jose2', 'password': factories.DEFAULT_PASSWORD},
      client=self.new_client(),
    )
    self.assert_error(response, 409, 'conflict')
    # Either spelling logs in to the one account.
    response = self.api(
      'post',
      '/api/auth/login',
      json={'email': NFD_EMAIL.upper(), 'password': factories.DEFAULT_PASSWORD},
      client=self.new_client(),
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(response.get_json()['user']['email'], NFC_EMAIL)

  def test_an_international_domain_is_stored_in_its_ascii_form(self):
    user = self.signup('buecher', email='Leser@B\u00fccher.example')
    self.assertEqual(user['email'], 'leser@xn--bcher-kva.example')
    response = self.api(
      'post',
      '/api/auth/signup',
      json={
        'email': 'leser@xn--bcher-kva.example',
        'username': 'buecher2',
        'password': factories.DEFAULT_PASSWORD,
      },
      client=self.new_client(),
    )
    self.assert_error(response, 409, 'conflict')

  def test_the_migration_normalizes_existing_rows(self):
    first, second, third = (factories.make_user(name).id for name in ('one', 'two', 'three'))
    db.session.remove()
    downgrade(revision='0005_post_list_index')
    try:
      with db.engine.begin() as connection:
        for user_id, email in (
          (first, NFD_EMAIL),
          (second, 'Someone@B\u00fccher.Example'),
          # Already taken in normalized form by `first`: left as it was, not a crash.
          (third, NFC_EMAIL.upper()),
        ):
          connection.execute(
            text('UPDATE users SET email = :email WHERE id = :id'), {'email': email, 'id': user_id}
          )
    finally:
      upgrade()
    emails = dict(db.session.execute(select(User.id, User.email)).all())
    self.assertEqual(emails[first], NFC_EMAIL)
    self.assertEqual(emails[second], 'someone@xn--bcher-kva.example')
    self.assertEqual(emails[third], NFC_EMAIL.upper())

  def test_normalize_email_never_raises(self):
    for typed in ('', '@', 'no-at-sign', 'a@\ud800.example', 'a@b@c', ' x@Y.EDU '):
      with self.subTest(typed=repr(typed)):
        self.assertIsInstance(normalize_email(typed), str)
    self.assertEqual(normalize_email(' x@Y.EDU '), 'x@y.edu')


class DisplayNameTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.login_as(factories.make_user())

  def rename(self, display_name):
    return self.api('patch', '/api/users/me', json={'display_name': display_name})

  def test_bidi_controls_and_invisible_characters_are_refused(self):
    for name in (
      'Ann\u202eevil',  # right-to-left override
      '\u2067Bob\u2069',  # isolates
      'Al\u200bice',  # zero-width space
      'Zoe\u200d',  # zero-width joiner
      '\ufeffMia',  # byte-order mark
    ):
      with self.subTest(name=repr(name)):
        self.assert_error(self.rename(name), 422, 'validation_error', fields=['display_name'])

  def test_a_name_needs_a_visible_character(self):
    for name in ('\u200b\u200b', '\u3164', '\u0301\u0301'):
      with self.subTest(name=repr(name)):
        self.assert_error(self.rename(name), 422, 'validation_error', fields=['display_name'])

  def test_a_name_may_not_pose_as_staff_or_verified(self):
    for name in ('Dibz Support \u2714', 'DIBZ', 'Sam \u2705', 'Sam \u2713'):
      with self.subTest(name=repr(name)):
        self.assert_error(self.rename(name), 422, 'validation_error', fields=['display_name'])

  def test_names_are_stored_nfc_and_real_names_pass(self):
    response = self.rename(unicodedata.normalize('NFD', 'Jos\u00e9 \u00c5ngstr\u00f6m'))
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(response.get_json()['user']['display_name'], 'Jos\u00e9 \u00c5ngstr\u00f6m')
    for name in (
      '\u674e\u534e',
      '\u0645\u062d\u0645\u062f',
      '\u0905\u0928\u093f\u0932',
      'Zo\u00eb \u2764\ufe0f',
    ):
      with self.subTest(name=name):
        self.assertEqual(self.rename(name).status_code, 200)

  def test_signup_applies_the_same_rules(self):
    response = self.api(
      'post',
      '/api/auth/signup',
      json={
        'email': 'rtl@example.edu',
        'username': 'rtl_user',
        'password': factories.DEFAULT_PASSWORD,
        'display_name': 'x\u202e',
      },
      client=self.new_client(),
    )
    self.assert_error(response, 422, 'validation_error', fields=['display_name'])


class HostTest(ApiTestCase):
  def test_a_doubled_slash_under_api_is_a_404_envelope_not_a_redirect(self):
    for path in ('/api//posts', '//api/posts', '/api/posts//1'):
      with self.subTest(path=path):
        response = self.client.get(path, headers={'Host': 'evil.example'})
        self.assertNotIn(response.status_code, (301, 302, 307, 308), response.headers)
        self.assertNotIn('evil.example', response.headers.get('Location', ''))
        if path.startswith('/api/'):
          self.assert_error(response, 404, 'not_found')

  def test_prod_answers_only_its_trusted_hosts(self):
    with separate_app('prod', **production_environment()) as app:
      client = app.test_client()
      response = client.get('/api//posts', headers={'Host': 'evil.example'})
      self.assert_error(response, 400, 'bad_request')
      self.assertNotIn('Location', response.headers)
      self.assert_error(
        client.get('/api/health', headers={'Host': 'evil.example'}), 400, 'bad_request'
      )
      ok = client.get('/api/health', headers={'Host': 'dibz.example.edu'})
      self.assertEqual(ok.status_code, 200)
      # The deploy's readiness check on the server itself.
      self.assertEqual(
        client.get('/api/health', headers={'Host': '127.0.0.1:8000'}).status_code, 200
      )
