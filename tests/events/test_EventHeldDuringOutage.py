"""Found by the chaos run (docs/RELIABILITY.md): an event published while Redis was down or
hung was dropped, so a stream missed it for good (its message or notification never came
live, even through a reconnect with Last-Event-ID). The broker now holds such events in order
and publishes them once Redis answers: by its flusher thread, or before the next event."""

import pytest

from app.common.CommonRedis import redis_client_for
from app.events.EventBroker import NO_EVENT_YET, RedisBroker
from tests.base import ApiTestCase
from tests.RedisServer import RedisServer


@pytest.mark.redis
class EventsHeldDuringRedisOutageTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.redis = RedisServer().start()
    self.addCleanup(self.redis.stop)
    self.brokers = []
    self.addCleanup(lambda: [broker.stop_listener() for broker in self.brokers])

  def new_broker(self):
    broker = RedisBroker(redis_client_for(self.redis.url), self.redis.url)
    self.brokers.append(broker)
    return broker

  def types_replayed(self, broker, user_id):
    return [event.type for event in broker.replay(user_id, NO_EVENT_YET)]

  def test_events_refused_while_redis_is_down_are_published_in_order_once_it_is_back(self):
    publisher = self.new_broker()
    self.assertIsNotNone(publisher.publish(5, 'unread', '{"unread":1}'))
    self.redis.kill()
    self.assertIsNone(publisher.publish(5, 'message', '{"n":2}'))
    self.assertIsNone(publisher.publish(5, 'notification', '{"n":3}'))
    self.assertEqual(len(publisher.held), 2)

    self.redis.start()
    # The pause after a failure is over (as if REDIS_RETRY_AFTER_SECONDS had passed).
    publisher.skip_redis_until = 0.0
    holder = self.new_broker()
    self.assertIsNotNone(publisher.publish(5, 'dib', '{"n":4}'))
    self.assertEqual(len(publisher.held), 0)
    # Redis kept the first event (append-only file or not, the test's server restarts empty:
    # what matters is that the held ones come before the new one, with newer ids).
    replayed = self.types_replayed(holder, 5)
    self.assertEqual(replayed[-3:], ['message', 'notification', 'dib'])

  def test_the_flusher_publishes_held_events_without_a_new_one(self):
    publisher = self.new_broker()
    self.redis.hang()
    self.assertIsNone(publisher.publish(9, 'unread', '{"unread":3}'))
    self.redis.resume()
    publisher.skip_redis_until = 0.0
    self.assertTrue(publisher.publish_held())
    self.assertEqual(self.types_replayed(self.new_broker(), 9), ['unread'])
