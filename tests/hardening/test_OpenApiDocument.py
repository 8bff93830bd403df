"""The OpenAPI document: valid 3.1, served publicly, and covering every registered route."""

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from tests.base import ApiTestCase
from tests.factories import make_user
from tests.hardening.HardeningHelpers import (
  UNSAFE_METHODS,
  openapi_path,
  registered_api_operations,
)

HTTP_METHODS = {'get', 'post', 'put', 'patch', 'delete'}


def documented_operations(document):
  """Every (METHOD, path) of the document."""
  return {
    (method.upper(), path)
    for path, item in document['paths'].items()
    for method in item
    if method in HTTP_METHODS
  }


class OpenApiDocumentTest(ApiTestCase):
  def document(self):
    response = self.client.get('/api/openapi.json')
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.mimetype, 'application/json')
    return response.get_json()

  def test_the_document_is_public_and_a_valid_openapi_3_1_document(self):
    document = self.document()
    self.assertEqual(document['openapi'], '3.1.0')
    validate(document)

  def test_the_validator_refuses_a_broken_document(self):
    document = self.document()
    document['paths']['/api/health']['get']['responses'] = 'not a mapping'
    with self.assertRaises(OpenAPIValidationError):
      validate(document)

  def test_every_registered_api_route_is_documented(self):
    missing = registered_api_operations(self.app) - documented_operations(self.document())
    self.assertEqual(missing, set(), 'Routes the OpenAPI document does not describe')

  def test_every_section_of_the_api_contract_is_documented(self):
    documented = documented_operations(self.document())
    for operation in [
      ('POST', '/api/auth/signup'),
      ('GET', '/api/users/{username}/posts'),
      ('PATCH', '/api/posts/{post_id}'),
      ('POST', '/api/posts/{post_id}/images'),
      ('POST', '/api/dibs/{dib_id}/accept'),
      ('GET', '/api/users/me/dibs'),
      ('GET', '/api/search/posts'),
      ('POST', '/api/conversations/{conversation_id}/messages'),
      ('GET', '/api/users/me/unread'),
      ('GET', '/api/health/ready'),
      ('GET', '/api/openapi.json'),
    ]:
      self.assertIn(operation, documented)

  def test_unsafe_operations_take_the_csrf_header_and_document_its_400(self):
    document = self.document()
    for path, item in document['paths'].items():
      for method, operation in item.items():
        if method.upper() not in UNSAFE_METHODS:
          continue
        references = [parameter.get('$ref') for parameter in operation.get('parameters', [])]
        self.assertIn('#/components/parameters/CsrfToken', references, (method, path))
        self.assertIn('400', operation['responses'], (method, path))

  def test_private_operations_require_the_session_cookie_and_document_401(self):
    document = self.document()
    self.assertEqual(document['security'], [{'sessionCookie': []}])
    scheme = document['components']['securitySchemes']['sessionCookie']
    self.assertEqual(
      (scheme['type'], scheme['in'], scheme['name']), ('apiKey', 'cookie', 'session')
    )
    for path, item in document['paths'].items():
      for method, operation in item.items():
        if operation.get('security') != []:
          self.assertIn('401', operation['responses'], (method, path))

  def test_rate_limited_responses_document_retry_after(self):
    document = self.document()
    rate_limited = document['components']['responses']['RateLimited']
    self.assertTrue(rate_limited['headers']['Retry-After']['required'])
    login = document['paths']['/api/auth/login']['post']
    self.assertEqual(login['responses']['429'], {'$ref': '#/components/responses/RateLimited'})

  def test_error_envelope_lists_every_code_of_the_contract(self):
    schemas = self.document()['components']['schemas']
    code_schema = schemas['Error']['properties']['error']['properties']['code']
    self.assertEqual(code_schema, {'$ref': '#/components/schemas/ErrorCode'})
    for name in [
      'bad_request',
      'csrf',
      'unauthorized',
      'forbidden',
      'not_found',
      'method_not_allowed',
      'conflict',
      'payload_too_large',
      'unsupported_media_type',
      'validation_error',
      'rate_limited',
      'internal_error',
    ]:
      self.assertIn(name, schemas['ErrorCode']['enum'])

  def test_the_cached_reads_are_the_documented_ones_and_answer_as_documented(self):
    document = self.document()
    marked = set()
    for rule in self.app.url_map.iter_rules():
      view = self.app.view_functions[rule.endpoint]
      if getattr(view, 'cache_rule', None) is not None:
        marked.add(('GET', openapi_path(rule.rule)))
    documented = {
      (method.upper(), path)
      for path, item in document['paths'].items()
      for method, operation in item.items()
      if method in HTTP_METHODS and '304' in operation['responses']
    }
    self.assertEqual(marked, documented)
    profile = document['paths']['/api/users/me']['get']
    self.assertIn({'$ref': '#/components/parameters/IfNoneMatch'}, profile['parameters'])
    self.assertIn('ETag', profile['responses']['200']['headers'])
    # What the document promises, the API does: an ETag, then a 304 for it.
    answer = self.client.get('/api/users/badger')
    self.assertEqual(answer.status_code, 404)
    make_user(username='badger')
    answer = self.client.get('/api/users/badger')
    self.assertEqual(answer.status_code, 200)
    again = self.client.get('/api/users/badger', headers={'If-None-Match': answer.headers['ETag']})
    self.assertEqual((again.status_code, again.get_data()), (304, b''))
