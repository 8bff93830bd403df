"""The Redis broker: fan-out between processes, the capped replay buffer, and life without
Redis (down or hung): requests still succeed and publishing leaves Redis alone for a while."""

import queue
import socket

import pytest

from app.common.CommonRedis import redis_client_for
from app.events.EventBroker import REPLACED, RESYNC, RedisBroker
from app.events.EventConstants import BROKER_EXTENSION_KEY
from app.events.EventHelpers import publish_user_event
from tests import factories
from tests.base import ApiTestCase
from tests.RedisServer import RedisServer, free_port


def next_event(subscription):
  """The next event in a subscriber queue, skipping catch-up markers; fails after 5 s."""
  while True:
    item = subscription.get(timeout=5)
    if item is not RESYNC:
      return item


@pytest.mark.redis
class RedisBrokerTest(ApiTestCase):
  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.redis = RedisServer().start()

  @classmethod
  def tearDownClass(cls):
    cls.redis.stop()
    super().tearDownClass()

  def setUp(self):
    super().setUp()
    redis_client_for(self.redis.url).flushdb()
    self.brokers = []

  def tearDown(self):
    for broker in self.brokers:
      broker.stop_listener()
    super().tearDown()

  def new_broker(self, buffer_length=500):
    """A broker as one app process would have it."""
    broker = RedisBroker(redis_client_for(self.redis.url), self.redis.url, buffer_length)
    self.brokers.append(broker)
    return broker

  def test_an_event_published_by_one_process_reaches_the_streams_of_another(self):
    publisher, holder = self.new_broker(), self.new_broker()
    subscription = holder.subscribe(7)
    other_user = holder.subscribe(8)
    # The listener's subscription is confirmed with a catch-up marker.
    self.assertIs(subscription.get(timeout=5), RESYNC)
    event_id = publisher.publish(7, 'unread', '{"unread":1}')
    event = next_event(subscription)
    self.assertEqual(tuple(event), (event_id, 'unread', '{"unread":1}'))
    self.assertEqual([item for item in other_user.queue if item is not RESYNC], [])

  def test_replay_returns_what_came_after_an_id_from_any_process(self):
    first, second = self.new_broker(), self.new_broker()
    ids = [first.publish(7, 'message', f'{{"n":{number}}}') for number in range(5)]
    replayed = second.replay(7, ids[1])
    self.assertEqual([event.id for event in replayed], ids[2:])
    self.assertEqual(second.latest_id(7), ids[-1])
    self.assertEqual(second.replay(8, ids[1]), [])

  def test_each_user_buffer_is_capped(self):
    broker = self.new_broker(buffer_length=10)
    for number in range(1000):
      broker.publish(7, 'unread', f'{{"unread":{number}}}')
    kept = broker.replay(7, '0-0')
    # MAXLEN ~ trims whole nodes: a little over the cap, far below what was sent.
    self.assertLess(len(kept), 300)
    self.assertEqual(kept[-1].data, '{"unread":999}')

  def test_the_stream_cap_counts_the_streams_of_every_process_and_closes_the_oldest(self):
    first, second = self.new_broker(), self.new_broker()
    held_by_second = second.subscribe(7)
    held_by_first = first.subscribe(7)
    # Both listeners are subscribed (catch-up markers) before any stream is counted.
    self.assertIs(held_by_second.get(timeout=5), RESYNC)
    self.assertIs(held_by_first.get(timeout=5), RESYNC)
    oldest = second.register_stream(7, held_by_second, max_streams=2)
    first.register_stream(7, held_by_first, max_streams=2)
    other_user = first.subscribe(8)
    first.register_stream(8, other_user, max_streams=2)
    newest = first.subscribe(7)
    first.register_stream(7, newest, max_streams=2)
    # Three streams of user 7 in two processes: the oldest, held by the other process, closes.
    self.assertIs(next_event(held_by_second), REPLACED)
    for subscription in (held_by_first, newest, other_user):
      self.assertEqual([item for item in subscription.queue if item is not RESYNC], [])
    # A stream that ended leaves its place: two more of user 7 now replace no one else.
    second.unregister_stream(7, oldest)
    self.assertEqual(redis_client_for(self.redis.url).zcard('dibz:events:streams:7'), 2)

  def test_streams_opened_within_one_clock_tick_keep_their_order(self):
    broker = self.new_broker()
    counted = redis_client_for(self.redis.url)
    # Dozens of streams a millisecond apart or less: each new one closes the one before it,
    # never itself (equal scores used to fall back to the tokens' random order).
    for _ in range(60):
      newest = broker.register_stream(7, broker.subscribe(7), max_streams=1)
      self.assertEqual(counted.zrange('dibz:events:streams:7', 0, -1), [newest.encode()])

  def test_a_closed_stream_frees_its_place(self):
    broker = self.new_broker()
    subscriptions = [broker.subscribe(7) for _ in range(3)]
    tokens = [broker.register_stream(7, each, max_streams=3) for each in subscriptions]
    broker.unregister_stream(7, tokens[0])
    newest = broker.register_stream(7, broker.subscribe(7), max_streams=3)
    # Nobody was told to close: the three still open are exactly the ones counted.
    counted = redis_client_for(self.redis.url).zrange('dibz:events:streams:7', 0, -1)
    self.assertEqual(sorted(token.decode() for token in counted), sorted([*tokens[1:], newest]))


@pytest.mark.slow
class RedisUnavailableTest(ApiTestCase):
  """The app's broker pointed at a Redis that is down, or hung."""

  def setUp(self):
    super().setUp()
    self.seller = factories.make_user('ruth_seller')
    self.buyer = factories.make_user('rob_buyer')
    self.post = factories.make_post(self.seller)
    self.listener = None

  def tearDown(self):
    broker = self.app.extensions.pop(BROKER_EXTENSION_KEY, None)
    if broker is not None:
      broker.stop_listener()
    if self.listener is not None:
      self.listener.close()
    super().tearDown()

  def use_redis_at(self, url):
    broker = RedisBroker(redis_client_for(url), url)
    self.app.extensions[BROKER_EXTENSION_KEY] = broker
    return broker

  def send_a_message(self):
    client = self.new_client()
    self.login_as(self.buyer, client=client)
    response = self.api('post', f'/api/posts/{self.post.id}/conversations', client=client)
    path = f'/api/conversations/{response.get_json()["conversation"]["id"]}/messages'
    for body in ('first', 'second'):
      response = self.api('post', path, json={'body': body}, client=client)
      self.assertEqual(response.status_code, 201, response.get_json())

  def test_with_redis_down_requests_succeed_and_redis_is_left_alone_for_a_while(self):
    broker = self.use_redis_at(f'redis://127.0.0.1:{free_port()}/0')
    self.send_a_message()
    self.assertTrue(broker.redis_is_resting())
    self.assertIsNone(publish_user_event(self.seller.id, 'unread', {'unread': 2}))
    # No stream that could miss events unnoticed: the client is told to poll.
    client = self.new_client()
    self.login_as(self.seller, client=client)
    self.assert_error(client.get('/api/events'), 503, 'service_unavailable')
    self.assert_error(
      client.get('/api/events', headers={'Last-Event-ID': '1-0'}), 503, 'service_unavailable'
    )

  def test_with_redis_hung_requests_succeed_and_redis_is_left_alone_for_a_while(self):
    # Accepts connections and never answers: every read would wait for its timeout.
    self.listener = socket.socket()
    self.listener.bind(('127.0.0.1', 0))
    self.listener.listen(16)
    broker = self.use_redis_at(f'redis://127.0.0.1:{self.listener.getsockname()[1]}/0')
    self.send_a_message()
    self.assertTrue(broker.redis_is_resting())
    with self.assertRaises(queue.Empty):
      broker.subscribe(self.seller.id).get(timeout=0.3)
