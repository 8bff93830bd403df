"""Every POST of the API takes Idempotency-Key, including the ones added after this test: a
route is left out only when its view is marked `idempotency_exempt` with a reason listed here,
and the OpenAPI document says the same of every operation."""

import re

from app.idempotency.IdempotencyHelpers import takes_idempotency_key
from tests.base import ApiTestCase
from tests.factories import make_user

# Views that do not take the key, and why; a new exemption must be argued here too.
EXEMPT_ENDPOINTS = {
  'api.login': 'a login creates only its session, whose cookie a replay cannot carry',
  'api.logout': 'creates nothing',
}
KEY_PARAMETER = {'$ref': '#/components/parameters/IdempotencyKey'}


def openapi_path(rule):
  """/api/posts/<row_id:post_id> → /api/posts/{post_id}."""
  return re.sub(r'<(?:[^:<>]+:)?([^<>]+)>', r'{\1}', rule)


def concrete_path(rule):
  """A path that reaches the rule's view: every variable is 1 (or a username)."""
  return re.sub(r'<[^<>]+>', '1', rule)


class IdempotencyCoverageTest(ApiTestCase):
  def api_post_rules(self):
    rules = [
      rule
      for rule in self.app.url_map.iter_rules()
      if 'POST' in rule.methods and rule.rule.startswith('/api/')
    ]
    self.assertGreater(len(rules), 10)
    return rules

  def test_every_post_takes_the_key_unless_exempt_with_a_listed_reason(self):
    exempt = set()
    for rule in self.api_post_rules():
      view = self.app.view_functions[rule.endpoint]
      if not takes_idempotency_key(view):
        self.assertTrue(view.idempotency_exempt.strip(), rule.endpoint)
        exempt.add(rule.endpoint)
    self.assertEqual(exempt, set(EXEMPT_ENDPOINTS))

  def test_every_post_that_takes_the_key_checks_it(self):
    # Behaviour, not a mark: the hook runs on each such route (logged in, with the CSRF token).
    self.login_as(make_user())
    for rule in self.api_post_rules():
      if rule.endpoint in EXEMPT_ENDPOINTS:
        continue
      response = self.api(
        'post', concrete_path(rule.rule), headers={'Idempotency-Key': 'not a valid key'}, json={}
      )
      self.assert_error(response, 422, 'idempotency_key_invalid')

  def test_the_document_gives_the_key_to_exactly_these_operations(self):
    document = self.client.get('/api/openapi.json').get_json()
    for rule in self.api_post_rules():
      operation = document['paths'][openapi_path(rule.rule)]['post']
      takes_key = KEY_PARAMETER in operation.get('parameters', [])
      self.assertEqual(takes_key, rule.endpoint not in EXEMPT_ENDPOINTS, rule.rule)
      if takes_key:
        self.assertIn('409', operation['responses'], rule.rule)
        self.assertIn('422', operation['responses'], rule.rule)
    for path, item in document['paths'].items():
      for method, operation in item.items():
        if method != 'post':
          self.assertNotIn(KEY_PARAMETER, operation.get('parameters', []), (method, path))
    for code in (
      'idempotency_key_invalid',
      'idempotency_key_reused',
      'idempotency_request_in_progress',
      'idempotency_answer_lost',
    ):
      self.assertIn(code, document['components']['schemas']['ErrorCode']['enum'])
