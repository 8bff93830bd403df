"""What the event tests share: reading a Server-Sent Events stream, and a throwaway Redis."""

import json
import time

from app.events.EventConstants import BROKER_EXTENSION_KEY
from tests.base import ApiTestCase

# Streams in these tests beat every 0.2 s, so a read that waits for an event which never
# comes returns (and fails) instead of hanging.
TEST_HEARTBEAT_SECONDS = 0.2
READ_DEADLINE_SECONDS = 10


def parse_sse_block(block):
  """{'id', 'event', 'data', 'comments'} of one blank-line-separated block."""
  parsed = {'id': None, 'event': None, 'data': None, 'comments': [], 'retry': None}
  for line in block.split('\n'):
    if line.startswith(':'):
      parsed['comments'].append(line[1:].strip())
    elif line:
      name, _, value = line.partition(':')
      parsed[name] = value[1:] if value.startswith(' ') else value
  if parsed['data'] is not None:
    parsed['data'] = json.loads(parsed['data'])
  return parsed


class SseReader:
  """Reads events from an iterable of text chunks (a streaming response's body)."""

  def __init__(self, chunks):
    self.chunks = iter(chunks)
    self.buffer = ''
    self.ended = False
    self.comments = []

  def next_block(self):
    """The next whole block, or None when the stream ended."""
    while '\n\n' not in self.buffer:
      try:
        chunk = next(self.chunks)
      except StopIteration:
        self.ended = True
        return None
      self.buffer += chunk.decode() if isinstance(chunk, bytes) else chunk
    block, self.buffer = self.buffer.split('\n\n', 1)
    parsed = parse_sse_block(block)
    self.comments += parsed['comments']
    return parsed

  def next_event(self, deadline_seconds=READ_DEADLINE_SECONDS):
    """The next event (skipping comments), or None when the stream ends or time is up."""
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
      block = self.next_block()
      if block is None:
        return None
      if block['event']:
        return block
    return None

  def events_until_quiet(self, quiet_blocks=2):
    """Every event up to `quiet_blocks` heartbeats in a row with nothing between them."""
    events, quiet = [], 0
    while quiet < quiet_blocks:
      block = self.next_block()
      if block is None:
        break
      if block['event']:
        events.append(block)
        quiet = 0
      elif 'heartbeat' in block['comments']:
        quiet += 1
    return events


class EventTestCase(ApiTestCase):
  """A fresh in-process broker per test, fast heartbeats, and stream helpers."""

  def setUp(self):
    super().setUp()
    self.app.extensions.pop(BROKER_EXTENSION_KEY, None)
    self.app.config['EVENTS_HEARTBEAT_SECONDS'] = TEST_HEARTBEAT_SECONDS
    self.open_responses = []

  def tearDown(self):
    for response in self.open_responses:
      response.close()
    self.app.config.pop('EVENTS_HEARTBEAT_SECONDS', None)
    self.app.extensions.pop(BROKER_EXTENSION_KEY, None)
    super().tearDown()

  def open_stream(self, client, last_event_id=None):
    """GET /api/events as `client`; returns (response, reader)."""
    headers = {'Last-Event-ID': last_event_id} if last_event_id else {}
    response = client.get('/api/events', headers=headers, buffered=False)
    self.open_responses.append(response)
    if response.status_code != 200:  # the body of a 200 never ends: read it only otherwise
      self.fail(response.get_data(as_text=True))
    return response, SseReader(response.response)

  def expect_event(self, reader, event_type):
    """The next event, which must be of `event_type`."""
    event = reader.next_event()
    self.assertIsNotNone(event, f'no {event_type} event arrived')
    self.assertEqual(event['event'], event_type, event)
    self.assertTrue(event['id'])
    return event
