"""The orjson provider writes and reads the same JSON as Flask's default provider."""

import json
from datetime import UTC, datetime
from decimal import Decimal

from flask.json.provider import DefaultJSONProvider

from app.common.CommonJson import OrjsonProvider
from tests.base import ApiTestCase


class OrjsonProviderTest(ApiTestCase):
  def default_provider(self):
    provider = DefaultJSONProvider(self.app)
    provider.sort_keys = False
    return provider

  def test_the_app_uses_it(self):
    self.assertIsInstance(self.app.json, OrjsonProvider)

  def test_documents_equal_the_default_providers(self):
    payload = {
      'items': [{'id': 1, 'title': 'Caf\u00e9 lamp \u2603', 'price_cents': 1250, 'campus': None}],
      'ratio': 0.5,
      'ok': True,
      'when': datetime(2026, 11, 29, 5, 0, tzinfo=UTC),
      'amount': Decimal('12.50'),
      'huge': 2**70,
      3: 'non-string key',
    }
    ours = self.app.json.dumps(payload)
    theirs = self.default_provider().dumps(payload)
    self.assertEqual(json.loads(ours), json.loads(theirs))
    # Key order is the serializer's, not sorted.
    self.assertEqual(
      list(json.loads(ours)), ['items', 'ratio', 'ok', 'when', 'amount', 'huge', '3']
    )
    self.assertEqual(json.loads(ours)['when'], 'Sun, 29 Nov 2026 05:00:00 GMT')

  def test_reads_what_the_standard_library_reads_within_bounds(self):
    parsed = self.app.json.loads('{"big": 9223372036854775807, "word": "caf\\u00e9"}')
    self.assertEqual(parsed['big'], 2**63 - 1)
    self.assertEqual(parsed['word'], 'caf\u00e9')
    # orjson refuses lone surrogates; the fallback reads them for the string fields to refuse.
    self.assertEqual(self.app.json.loads('"\\ud800"'), '\ud800')
    for refused in (
      '{"broken": ',
      # The surrogate sends this one to the standard library, which refuses the integer.
      '{"big": 1180591620717411303424, "why": "\\ud800"}',
      '-' + '9' * 400,
      '{"nan": NaN}',
      '[1e400]',
      '[' * 10000 + ']' * 10000,
    ):
      with self.assertRaises(ValueError, msg=refused[:40]):
        self.app.json.loads(refused)

  def test_responses_are_compact_json_with_a_newline(self):
    response = self.client.get('/api/health')
    self.assertEqual(response.get_data(), b'{"status":"ok"}\n')
    self.assertEqual(response.content_type, 'application/json')

  def test_malformed_body_and_a_400_digit_number_are_400(self):
    self.signup('alice')
    malformed = self.api(
      'patch', '/api/users/me', data='{"bio": ', headers={'Content-Type': 'application/json'}
    )
    self.assert_error(malformed, 400, 'bad_request')
    # orjson reads a number past 64 bits as a float, which the integer field refuses.
    huge = self.api('post', '/api/posts', json={'title': 'Lamp', 'price_cents': 2**70})
    self.assert_error(huge, 422, 'validation_error')
    enormous = self.api(
      'post',
      '/api/posts',
      data='{"title": "Lamp", "price_cents": 1' + '0' * 400 + '}',
      headers={'Content-Type': 'application/json'},
    )
    error = self.assert_error(enormous, 400, 'bad_request')
    self.assertIn('64 bits', error['message'])
