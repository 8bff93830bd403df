"""Found by the chaos run (docs/RELIABILITY.md): a stream that dropped before its first event
(the events process killed, Redis gone) was reopened without Last-Event-ID, since the browser
had none, and started from whatever was newest then: the events published while it was away
never came. The first block now carries the stream's cursor as its id."""

from tests.events.test_EventApi import EventStreamTestCase


class StreamCursorTest(EventStreamTestCase):
  def test_a_stream_dropped_before_any_event_resumes_from_its_first_id(self):
    response, reader = self.open_stream(self.seller_client)
    first = reader.next_block()
    self.assertEqual(first['comments'], ['connected'])
    self.assertIsNotNone(first['id'])
    self.assertIsNone(first['event'])
    response.close()

    # While the stream is away, the buyer writes; the browser reconnects with the first id.
    message = self.send('Sent while your stream was down')
    _, reader = self.open_stream(self.seller_client, last_event_id=first['id'])
    event = self.expect_event(reader, 'message')
    self.assertEqual(event['data']['message'], message)

  def test_the_first_id_of_a_user_with_events_is_the_newest_one(self):
    self.send('Before the stream opened')
    _, reader = self.open_stream(self.seller_client)
    first = reader.next_block()
    _, replay = self.open_stream(self.seller_client, last_event_id=first['id'])
    self.assertEqual(replay.next_block()['id'], first['id'])
    self.assertEqual(replay.events_until_quiet(), [])
