"""What each kind of bad input gets: always the JSON envelope with its status and code.

docs/BAD_INPUT.md is the table of these cases."""

from io import BytesIO

from app.common.CommonConstants import MAX_REQUEST_BYTES
from tests import factories
from tests.base import ApiTestCase
from tests.hardening.HardeningHelpers import csrf_token


class UnreadableStream:
  """A request body that fails the test if the app reads a byte of it."""

  def read(self, *args):
    raise AssertionError('The body was read although its Content-Length is over the limit.')

  readline = read


class OversizedBodyTest(ApiTestCase):
  def test_a_declared_oversized_body_is_refused_before_it_is_read(self):
    token = csrf_token(self.client)
    response = self.client.post(
      '/api/auth/login',
      headers={'X-CSRFToken': token, 'Content-Type': 'application/json'},
      environ_overrides={
        'wsgi.input': UnreadableStream(),
        'CONTENT_LENGTH': str(MAX_REQUEST_BYTES + 1),
      },
    )
    self.assert_error(response, 413, 'payload_too_large')

  def chunked(self, path, body, method='post'):
    """Send `body` chunked: no Content-Length, as a proxy streaming a request would."""
    token = csrf_token(self.client)
    return self.client.open(
      path,
      method=method,
      input_stream=BytesIO(body),
      headers={
        'X-CSRFToken': token,
        'Content-Type': 'application/json',
        'Transfer-Encoding': 'chunked',
      },
      environ_overrides={'wsgi.input_terminated': True},
    )

  def test_a_chunked_body_past_the_limit_is_cut_off_with_413(self):
    self.login_as(factories.make_user())
    body = b'{"bio": "' + b'a' * (MAX_REQUEST_BYTES + 10) + b'"}'
    response = self.chunked('/api/users/me', body, method='patch')
    self.assert_error(response, 413, 'payload_too_large')

  def test_a_small_chunked_body_is_accepted(self):
    self.login_as(factories.make_user())
    response = self.chunked('/api/users/me', b'{"bio": "chunked"}', method='patch')
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(response.get_json()['user']['bio'], 'chunked')


class MalformedRequestTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.user = factories.make_user()
    self.login_as(self.user)

  def test_a_body_that_is_not_json_is_415(self):
    response = self.api('patch', '/api/users/me', data='bio=x', content_type='text/plain')
    self.assert_error(response, 415, 'unsupported_media_type')

  def test_malformed_json_is_400(self):
    response = self.api('patch', '/api/users/me', data='{"bio": ', content_type='application/json')
    self.assert_error(response, 400, 'bad_request')

  def test_json_that_is_not_an_object_is_400(self):
    response = self.api('patch', '/api/users/me', json=['bio'])
    self.assert_error(response, 400, 'bad_request')

  def test_wrong_types_and_values_are_422_with_fields(self):
    response = self.api('patch', '/api/users/me', json={'display_name': 5, 'bio': 'x' * 501})
    self.assert_error(response, 422, 'validation_error', fields=['display_name', 'bio'])

  def test_unknown_fields_are_ignored(self):
    response = self.api('patch', '/api/users/me', json={'bio': 'hi', 'role': 'admin'})
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.get_json()['user']['role'], 'user')

  def test_a_nul_character_in_a_json_string_is_422_on_its_field(self):
    response = self.api('patch', '/api/users/me', json={'bio': 'a\x00b'})
    error = self.assert_error(response, 422, 'validation_error', fields=['bio'])
    self.assertEqual(error['fields']['bio'], ['Must not contain NUL characters.'])

  def test_a_nul_character_in_the_path_is_404(self):
    self.assert_error(self.client.get('/api/users/a%00b'), 404, 'not_found')

  def test_a_nul_character_in_the_query_string_is_400(self):
    self.assert_error(self.client.get('/api/users/me?x=%00'), 400, 'bad_request')

  def test_an_unknown_api_path_is_a_json_404(self):
    self.assert_error(self.client.get('/api/no/such/thing'), 404, 'not_found')

  def test_a_wrong_method_is_405_with_allow(self):
    response = self.client.delete('/api/health')
    self.assert_error(response, 405, 'method_not_allowed')
    self.assertIn('GET', response.headers['Allow'])

  def test_an_id_past_any_row_is_404_for_every_method(self):
    for method, path in [
      ('get', '/api/conversations/{id}/messages'),
      ('post', '/api/conversations/{id}/messages'),
      ('get', '/api/posts/{id}'),
    ]:
      with self.subTest(method=method, path=path):
        response = self.api(method, path.format(id=2**31), json={'body': 'hi'})
        self.assert_error(response, 404, 'not_found')

  def test_a_multipart_part_with_an_undecodable_name_is_not_a_500(self):
    boundary = 'boundary123'
    body = (
      f'--{boundary}\r\nContent-Disposition: form-data; name="'.encode()
      + b'\xff\xfe'
      + f'"\r\n\r\nx\r\n--{boundary}--\r\n'.encode()
    )
    response = self.client.patch(
      '/api/users/me',
      data=body,
      headers={
        'X-CSRFToken': csrf_token(self.client),
        'Content-Type': f'multipart/form-data; boundary={boundary}',
      },
    )
    self.assert_error(response, 415, 'unsupported_media_type')
