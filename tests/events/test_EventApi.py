"""GET /api/events: who may open it, what it carries, replay after Last-Event-ID, its end."""

from app.events.EventHelpers import get_broker, publish_user_event, queue_user_event
from app.extensions import db
from tests import factories
from tests.events.event_base import EventTestCase


class EventStreamTestCase(EventTestCase):
  """A seller with a post, a buyer with a conversation about it; both logged in."""

  def setUp(self):
    super().setUp()
    self.seller = factories.make_user('sid_seller')
    self.buyer = factories.make_user('bo_buyer')
    self.post = factories.make_post(self.seller, title='Bike lock')
    self.seller_client = self.new_client()
    self.login_as(self.seller, client=self.seller_client)
    self.buyer_client = self.new_client()
    self.login_as(self.buyer, client=self.buyer_client)
    response = self.api(
      'post', f'/api/posts/{self.post.id}/conversations', client=self.buyer_client
    )
    self.conversation_id = response.get_json()['conversation']['id']

  def send(self, body, client=None):
    response = self.api(
      'post',
      f'/api/conversations/{self.conversation_id}/messages',
      json={'body': body},
      client=client or self.buyer_client,
    )
    self.assertEqual(response.status_code, 201, response.get_json())
    return response.get_json()['message']


class StreamAccessTest(EventStreamTestCase):
  def test_anonymous_gets_the_401_envelope(self):
    self.assert_error(self.client.get('/api/events'), 401, 'unauthorized')

  def test_a_malformed_last_event_id_is_422(self):
    for bad in ('abc', '12', '1-2-3', '-1', '9' * 40 + '-0'):
      response = self.seller_client.get('/api/events', headers={'Last-Event-ID': bad})
      self.assert_error(response, 422, 'validation_error', fields=['Last-Event-ID'])
    response = self.seller_client.get('/api/events?last_event_id=x-y')
    self.assert_error(response, 422, 'validation_error', fields=['last_event_id'])

  def test_without_redis_a_deployment_tells_clients_to_poll(self):
    # staging and prod: the streams run in their own process, which only Redis can reach.
    self.app.config['EVENTS_IN_PROCESS_BROKER'] = False
    try:
      self.assert_error(self.seller_client.get('/api/events'), 503, 'service_unavailable')
      self.send('Still sent, only not live')
    finally:
      self.app.config['EVENTS_IN_PROCESS_BROKER'] = True

  def test_the_stream_is_event_stream_uncached_and_unbuffered(self):
    response, reader = self.open_stream(self.seller_client)
    self.assertEqual(response.mimetype, 'text/event-stream')
    self.assertEqual(response.headers['Cache-Control'], 'no-cache')
    self.assertEqual(response.headers['X-Accel-Buffering'], 'no')
    first = reader.next_block()
    self.assertEqual(first['comments'], ['connected'])
    self.assertTrue(int(first['retry']) > 0)


class MessageEventsTest(EventStreamTestCase):
  def test_a_message_reaches_the_recipient_with_the_new_unread_count(self):
    _, seller_stream = self.open_stream(self.seller_client)
    _, buyer_stream = self.open_stream(self.buyer_client)
    message = self.send('Is the lock still there?')

    event = self.expect_event(seller_stream, 'message')
    self.assertEqual(event['data'], {'conversation_id': self.conversation_id, 'message': message})
    self.assertEqual(self.expect_event(seller_stream, 'unread')['data'], {'unread': 1})
    # The sender's other tabs hear of it too, with no unread change.
    self.assertEqual(self.expect_event(buyer_stream, 'message')['data']['message'], message)
    self.assertEqual(buyer_stream.events_until_quiet(), [])

  def test_reading_sends_the_reader_their_new_count(self):
    self.send('one')
    self.send('two')
    _, seller_stream = self.open_stream(self.seller_client)
    response = self.api(
      'post', f'/api/conversations/{self.conversation_id}/read', json={}, client=self.seller_client
    )
    self.assertEqual(response.status_code, 204)
    self.assertEqual(self.expect_event(seller_stream, 'unread')['data'], {'unread': 0})

  def test_a_reconnect_with_last_event_id_replays_what_was_missed_in_order(self):
    response, seller_stream = self.open_stream(self.seller_client)
    self.send('first')
    seen = self.expect_event(seller_stream, 'message')
    response.close()
    self.send('second')
    self.send('third')

    _, resumed = self.open_stream(self.seller_client, last_event_id=seen['id'])
    events = resumed.events_until_quiet()
    kinds = [(event['event'], event['data'].get('message', {}).get('body')) for event in events]
    self.assertEqual(
      kinds,
      [('unread', None), ('message', 'second'), ('unread', None), ('message', 'third')]
      + [('unread', None)],
    )
    self.assertEqual(
      [event['data']['unread'] for event in events if 'unread' in event['data']][-1], 3
    )
    ids = [event['id'] for event in events]
    self.assertEqual(len(set(ids)), len(ids))

  def test_a_first_connection_starts_from_now(self):
    self.send('before the stream')
    _, seller_stream = self.open_stream(self.seller_client)
    self.assertEqual(seller_stream.events_until_quiet(), [])

  def test_a_refused_message_publishes_nothing(self):
    _, seller_stream = self.open_stream(self.seller_client)
    response = self.api(
      'post',
      f'/api/conversations/{self.conversation_id}/messages',
      json={'body': '   '},
      client=self.buyer_client,
    )
    self.assertEqual(response.status_code, 422)
    self.assertEqual(seller_stream.events_until_quiet(), [])

  def test_events_of_a_rolled_back_transaction_are_never_published(self):
    _, seller_stream = self.open_stream(self.seller_client)
    queue_user_event(self.seller.id, 'notification', {'text': 'rolled back'})
    db.session.rollback()
    queue_user_event(self.seller.id, 'notification', {'text': 'committed'})
    db.session.commit()
    events = seller_stream.events_until_quiet()
    self.assertEqual([event['data'] for event in events], [{'text': 'committed'}])

  def test_an_unknown_event_type_is_refused(self):
    with self.assertRaises(ValueError):
      publish_user_event(self.seller.id, 'gossip', {})


class StreamCapTest(EventStreamTestCase):
  def test_one_stream_more_than_the_cap_closes_the_oldest_of_that_user(self):
    broker = get_broker()
    self.assertEqual(self.app.config['EVENTS_MAX_STREAMS_PER_USER'], 5)
    seller_streams = [self.open_stream(self.seller_client)[1] for _ in range(5)]
    _, buyer_stream = self.open_stream(self.buyer_client)
    for reader in [*seller_streams, buyer_stream]:
      self.assertEqual(reader.next_block()['comments'], ['connected'])
    _, newest = self.open_stream(self.seller_client)
    replaced = seller_streams[0].next_event()
    self.assertEqual(replaced['event'], 'replaced', replaced)
    self.assertEqual(replaced['data'], {'reason': 'too_many_streams', 'max_streams': 5})
    self.assertIsNone(replaced['id'])
    self.assertIsNone(seller_streams[0].next_event())
    self.assertTrue(seller_streams[0].ended)
    self.assertEqual(broker.subscriber_count(), 6)
    self.send('Still live everywhere else')
    for reader in [*seller_streams[1:], newest]:
      self.expect_event(reader, 'message')
    self.assertFalse(buyer_stream.ended)

  def test_a_closed_stream_frees_its_place(self):
    self.app.config['EVENTS_MAX_STREAMS_PER_USER'] = 2
    try:
      first, first_reader = self.open_stream(self.seller_client)
      _, second_reader = self.open_stream(self.seller_client)
      first.close()
      _, third_reader = self.open_stream(self.seller_client)
      self.send('Both remaining streams hear this')
      for reader in (second_reader, third_reader):
        self.expect_event(reader, 'message')
    finally:
      self.app.config['EVENTS_MAX_STREAMS_PER_USER'] = 5


class StreamEndTest(EventStreamTestCase):
  def test_heartbeats_keep_an_idle_stream_alive(self):
    _, seller_stream = self.open_stream(self.seller_client)
    self.assertEqual(seller_stream.events_until_quiet(quiet_blocks=3), [])
    self.assertGreaterEqual(seller_stream.comments.count('heartbeat'), 3)
    self.assertFalse(seller_stream.ended)

  def test_the_stream_ends_when_its_login_is_revoked(self):
    _, seller_stream = self.open_stream(self.seller_client)
    other_browser = self.new_client()
    self.login_as(self.seller, client=other_browser)
    response = self.api(
      'put',
      '/api/users/me/password',
      json={'current_password': factories.DEFAULT_PASSWORD, 'new_password': 'a new long password'},
      client=other_browser,
    )
    self.assertEqual(response.status_code, 204, response.get_data(as_text=True))
    self.assertIsNone(seller_stream.next_event())
    self.assertTrue(seller_stream.ended)
    self.assert_error(self.seller_client.get('/api/events'), 401, 'unauthorized')

  def test_the_stream_ends_at_logout(self):
    _, seller_stream = self.open_stream(self.seller_client)
    response = self.api('post', '/api/auth/logout', client=self.seller_client)
    self.assertLess(response.status_code, 300, response.get_data(as_text=True))
    self.assertIsNone(seller_stream.next_event())
    self.assertTrue(seller_stream.ended)

  def test_a_closed_stream_leaves_the_broker_even_if_it_never_started(self):
    broker = get_broker()
    response, reader = self.open_stream(self.seller_client)
    self.assertEqual(broker.subscriber_count(), 1)
    response.close()
    self.assertEqual(broker.subscriber_count(), 0)
    response, reader = self.open_stream(self.seller_client)
    reader.next_block()
    response.close()
    self.assertEqual(broker.subscriber_count(), 0)

  def test_the_stream_ends_after_its_longest_life(self):
    self.app.config['EVENTS_MAX_STREAM_SECONDS'] = 0.5
    try:
      _, seller_stream = self.open_stream(self.seller_client)
      self.assertIsNone(seller_stream.next_event())
      self.assertTrue(seller_stream.ended)
    finally:
      self.app.config.pop('EVENTS_MAX_STREAM_SECONDS')
