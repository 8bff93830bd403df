"""The OpenAPI document describes the stream as text/event-stream, and each event's payload."""

from app.events.EventConstants import EVENT_TYPES, STREAM_REPLACED_EVENT
from tests.base import ApiTestCase


class EventOpenApiTest(ApiTestCase):
  def test_the_stream_and_every_event_payload_are_documented(self):
    document = self.client.get('/api/openapi.json').get_json()
    stream = document['paths']['/api/events']['get']
    content = stream['responses']['200']['content']
    self.assertEqual(list(content), ['text/event-stream'])
    payloads = content['text/event-stream']['x-event-payloads']
    self.assertEqual(sorted(payloads), sorted([*EVENT_TYPES, STREAM_REPLACED_EVENT]))
    schemas = document['components']['schemas']
    for reference in payloads.values():
      self.assertIn(reference['$ref'].rsplit('/', 1)[-1], schemas)
    self.assertEqual(
      schemas['MessageEvent']['properties']['message'], {'$ref': '#/components/schemas/Message'}
    )
    for status in ('401', '422', '503'):
      self.assertIn(status, stream['responses'])
    names = {parameter.get('name') for parameter in stream['parameters']}
    self.assertEqual(names, {'Last-Event-ID', 'last_event_id'})
