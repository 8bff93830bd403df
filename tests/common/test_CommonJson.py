"""The orjson provider writes and reads the same JSON as Flask's default provider."""

import json
import math
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

  def test_reads_what_the_standard_library_reads(self):
    text = '{"big": 1180591620717411303424, "nan": NaN, "word": "caf\\u00e9"}'
    parsed = self.app.json.loads(text)
    self.assertEqual(parsed['big'], 2**70)
    self.assertTrue(math.isnan(parsed['nan']))
    self.assertEqual(parsed['word'], 'caf\u00e9')
    with self.assertRaises(ValueError):
      self.app.json.loads('{"broken": ')

  def test_responses_are_compact_json_with_a_newline(self):
    response = self.client.get('/api/health')
    self.assertEqual(response.get_data(), b'{"status":"ok"}\n')
    self.assertEqual(response.content_type, 'application/json')

  def test_malformed_body_is_still_a_400_and_a_huge_number_reaches_validation(self):
    self.signup('alice')
    malformed = self.api(
      'patch', '/api/users/me', data='{"bio": ', headers={'Content-Type': 'application/json'}
    )
    self.assert_error(malformed, 400, 'bad_request')
    huge = self.api('post', '/api/posts', json={'title': 'Lamp', 'price_cents': 2**70})
    self.assertEqual(huge.status_code, 422, huge.get_data(as_text=True))
