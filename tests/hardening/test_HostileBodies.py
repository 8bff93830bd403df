"""Bodies built to crash the JSON layer or the database: deep nesting, huge numbers, lone
surrogates, invalid UTF-8. Each gets its envelope (400 or 422), never a 500 or a row."""

import json

from sqlalchemy import func, select

from app.extensions import db
from app.users.UserModels import User
from tests import factories
from tests.base import ApiTestCase

SIGNUP = {'email': 'new@example.edu', 'username': 'newcomer', 'password': 'a long password'}


class HostileJsonTest(ApiTestCase):
  def send_text(self, path, text, method='post', client=None):
    """`text` as the raw body with a JSON content type, as an attacker's script sends it."""
    return self.api(
      method,
      path,
      client=client,
      data=text.encode('utf-8', 'surrogatepass') if isinstance(text, str) else text,
      headers={'Content-Type': 'application/json'},
    )

  def user_count(self):
    return db.session.execute(select(func.count(User.id))).scalar_one()

  def test_a_body_nested_10000_levels_is_400_on_any_endpoint(self):
    deep = '[' * 10_000 + ']' * 10_000
    deep_object = '{"a":' * 10_000 + '1' + '}' * 10_000
    for path in ('/api/auth/signup', '/api/auth/login', '/api/auth/password-reset'):
      for body in (deep, deep_object):
        with self.subTest(path=path, body=body[:5]):
          error = self.assert_error(self.send_text(path, body), 400, 'bad_request')
          self.assertIn('nested', error['message'])

  def test_an_integer_with_400_digits_is_400(self):
    text = '{"title": "Lamp", "price_cents": ' + '9' * 400 + '}'
    self.login_as(factories.make_user())
    error = self.assert_error(self.send_text('/api/posts', text), 400, 'bad_request')
    self.assertIn('64 bits', error['message'])
    negative = '{"email": "a@example.edu", "password": -' + '9' * 400 + '}'
    self.assert_error(self.send_text('/api/auth/login', negative), 400, 'bad_request')

  def test_nan_and_infinity_are_not_json(self):
    for text in ('{"price_cents": NaN}', '{"price_cents": Infinity}', '{"price_cents": 1e999}'):
      with self.subTest(text=text):
        self.assert_error(self.send_text('/api/auth/signup', text), 400, 'bad_request')

  def test_a_lone_surrogate_is_422_on_its_field_and_writes_no_row(self):
    for field in ('email', 'username', 'password', 'display_name'):
      with self.subTest(field=field):
        body = dict(SIGNUP, **{field: 'Jos\ud800e'})
        # json.dumps writes the lone surrogate as the escape \ud800, as a hostile client may.
        response = self.send_text('/api/auth/signup', json.dumps(body))
        error = self.assert_error(response, 422, 'validation_error', fields=[field])
        self.assertIn('lone surrogate', error['fields'][field][0])
    self.assertEqual(self.user_count(), 0)

  def test_a_lone_surrogate_at_login_is_422_not_500(self):
    response = self.send_text(
      '/api/auth/login', '{"email": "\\udfff@example.edu", "password": "whatever it is"}'
    )
    self.assert_error(response, 422, 'validation_error', fields=['email'])

  def test_every_string_field_refuses_surrogates_and_nul(self):
    user = factories.make_user()
    self.login_as(user)
    post = factories.make_post(user)
    cases = [
      ('patch', '/api/users/me', 'bio'),
      ('patch', f'/api/posts/{post.id}', 'campus'),
      ('patch', f'/api/posts/{post.id}', 'title'),
      ('patch', f'/api/posts/{post.id}', 'description'),
    ]
    for method, path, field in cases:
      for value in ('a\ud800b', 'a\x00b'):
        with self.subTest(path=path, field=field, value=repr(value)):
          response = self.send_text(path, json.dumps({field: value}), method=method)
          self.assert_error(response, 422, 'validation_error', fields=[field])

  def test_invalid_utf8_is_400(self):
    for raw in (b'{"email": "\xff\xfe"}', b'\xc3'):
      with self.subTest(raw=raw):
        self.assert_error(self.send_text('/api/auth/signup', raw), 400, 'bad_request')
    # A surrogate encoded as UTF-8 bytes (CESU) reads as the lone surrogate it spells.
    response = self.send_text('/api/auth/signup', b'{"email": "\xed\xa0\x80"}')
    self.assert_error(response, 422, 'validation_error', fields=['email', 'username', 'password'])
