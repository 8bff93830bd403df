"""Sending messages and polling them with the `after` cursor."""

import pytest
from sqlalchemy import func, select, text

from app.chat import ChatHelpers
from app.chat.ChatConstants import MESSAGE_BODY_MAX_LENGTH
from app.chat.ChatModels import Conversation, Message
from app.extensions import db
from app.posts.PostConstants import STATUS_WITHDRAWN
from tests import factories
from tests.base import is_postgresql
from tests.chat.ChatTestCase import ChatTestCase


def message_count():
  return db.session.execute(select(func.count()).select_from(Message)).scalar_one()


class SendMessageTest(ChatTestCase):
  def setUp(self):
    super().setUp()
    self.conversation_id = self.open_conversation(self.buyer_client)['id']
    self.path = f'/api/conversations/{self.conversation_id}/messages'

  def test_participants_send_and_the_body_is_trimmed(self):
    response = self.api(
      'post', self.path, json={'body': '  Is it still available?\n'}, client=self.buyer_client
    )
    self.assertEqual(response.status_code, 201, response.get_json())
    message = response.get_json()['message']
    self.assertEqual(message['body'], 'Is it still available?')
    self.assertEqual(message['sender_id'], self.buyer.id)
    self.assertEqual(message['conversation_id'], self.conversation_id)
    self.assertTrue(message['created_at'].endswith('Z'))
    reply = self.send(self.conversation_id, 'Yes, come by at five.', self.seller_client)
    self.assertGreater(reply['id'], message['id'])
    self.assertEqual(reply['sender_id'], self.seller.id)
    stored = db.session.execute(select(Message.body).order_by(Message.id)).scalars().all()
    self.assertEqual(stored, ['Is it still available?', 'Yes, come by at five.'])

  def test_sending_never_reads_the_new_message_back(self):
    token = self.csrf_token(self.buyer_client)
    with self.count_queries() as sending:
      response = self.buyer_client.post(
        self.path, json={'body': 'Still there?'}, headers={'X-CSRFToken': token}
      )
    self.assertEqual(response.status_code, 201, response.get_json())
    message = response.get_json()['message']
    self.assertEqual(message['body'], 'Still there?')
    self.assertTrue(message['id'])
    self.assertTrue(message['created_at'].endswith('Z'))
    self.assertEqual(db.session.get(Message, message['id']).body, 'Still there?')
    # The session's user, the conversation, the post's status, the insert, the update, and
    # the recipient's unread count for their live `unread` event (app/events).
    message_reads = [query for query in sending if 'FROM messages' in query]
    self.assertEqual(len(message_reads), 1, sending)
    self.assertIn('count(', message_reads[0].lower())
    self.assertEqual(len(sending), 6, sending)

  def test_sending_moves_the_conversation_activity_time(self):
    before = db.session.execute(select(Conversation.last_activity_at)).scalar_one()
    self.send(self.conversation_id, 'hello', self.buyer_client)
    after = db.session.execute(select(Conversation.last_activity_at)).scalar_one()
    self.assertGreater(after, before)

  def test_body_of_exactly_the_maximum_length_is_accepted(self):
    body = 'x' * MESSAGE_BODY_MAX_LENGTH
    self.assertEqual(self.send(self.conversation_id, body, self.buyer_client)['body'], body)

  def test_bad_bodies_are_422_and_store_nothing(self):
    for payload in (
      {},
      {'body': ''},
      {'body': '   \n\t '},
      {'body': None},
      {'body': 42},
      {'body': ['hi']},
      {'body': 'x' * (MESSAGE_BODY_MAX_LENGTH + 1)},
    ):
      response = self.api('post', self.path, json=payload, client=self.buyer_client)
      self.assert_error(response, 422, 'validation_error', fields=['body'])
    self.assertEqual(message_count(), 0)

  def test_a_body_that_is_not_json_is_415_and_malformed_json_is_400(self):
    not_json = self.api(
      'post', self.path, client=self.buyer_client, data='body=hi', content_type='text/plain'
    )
    self.assert_error(not_json, 415, 'unsupported_media_type')
    malformed = self.api(
      'post', self.path, client=self.buyer_client, data='{"body": ', content_type='application/json'
    )
    self.assert_error(malformed, 400, 'bad_request')
    self.assertEqual(message_count(), 0)

  def test_missing_csrf_token_is_400(self):
    response = self.api(
      'post', self.path, json={'body': 'hi'}, client=self.buyer_client, csrf=False
    )
    self.assert_error(response, 400, 'csrf')
    self.assertEqual(message_count(), 0)

  def test_anonymous_is_401(self):
    self.assert_error(self.api('post', self.path, json={'body': 'hi'}), 401, 'unauthorized')
    self.assert_error(self.client.get(self.path), 401, 'unauthorized')

  def test_outsiders_and_admins_cannot_send_or_read(self):
    self.send(self.conversation_id, 'private', self.buyer_client)
    outsider_client = self.logged_in_client(factories.make_user('olga_outsider'))
    admin_client = self.logged_in_client(factories.make_user('ada_admin', admin=True))
    for client in (outsider_client, admin_client):
      response = self.api('post', self.path, json={'body': 'hi'}, client=client)
      self.assert_error(response, 404, 'not_found')
      self.assert_error(client.get(self.path), 404, 'not_found')
      self.assert_error(client.get(self.path + '?after=0'), 404, 'not_found')
    self.assertEqual(message_count(), 1)

  def test_missing_conversation_is_404(self):
    response = self.api(
      'post', '/api/conversations/999999/messages', json={'body': 'hi'}, client=self.buyer_client
    )
    self.assert_error(response, 404, 'not_found')

  def test_withdrawn_post_keeps_the_conversation_readable_but_closed(self):
    sent = self.send(self.conversation_id, 'Still for sale?', self.buyer_client)
    self.post.status = STATUS_WITHDRAWN
    db.session.commit()
    for client in (self.buyer_client, self.seller_client):
      response = self.api('post', self.path, json={'body': 'hello?'}, client=client)
      self.assert_error(response, 409, 'conflict')
      self.assertEqual(
        [item['id'] for item in self.messages(self.conversation_id, client)], [sent['id']]
      )
    self.mark_read(self.conversation_id, self.seller_client)
    self.assertEqual(self.unread(self.seller_client), 0)
    self.assertEqual(message_count(), 1)

  @pytest.mark.slow
  def test_sending_is_rate_limited_per_user_with_retry_after(self):
    for number in range(30):
      self.send(self.conversation_id, f'message {number}', self.buyer_client)
    response = self.api('post', self.path, json={'body': 'one too many'}, client=self.buyer_client)
    self.assert_error(response, 429, 'rate_limited')
    self.assertGreaterEqual(int(response.headers['Retry-After']), 1)
    self.assertEqual(message_count(), 30)
    # The limit is the buyer's own: the seller, on the same address, can still answer.
    self.send(self.conversation_id, 'slow down', self.seller_client)
    # And it follows the user, not the browser: a second session of the buyer is limited too.
    second_browser = self.logged_in_client(self.buyer)
    response = self.api('post', self.path, json={'body': 'from my phone'}, client=second_browser)
    self.assert_error(response, 429, 'rate_limited')


class PollMessagesTest(ChatTestCase):
  def setUp(self):
    super().setUp()
    self.conversation_id = self.open_conversation(self.buyer_client)['id']
    self.path = f'/api/conversations/{self.conversation_id}/messages'

  def test_after_returns_only_newer_messages_oldest_first_with_interleaved_senders(self):
    sent = []
    for number in range(3):
      sent.append(self.send(self.conversation_id, f'buyer {number}', self.buyer_client))
      sent.append(self.send(self.conversation_id, f'seller {number}', self.seller_client))
    everything = self.messages(self.conversation_id, self.buyer_client, '?after=0')
    self.assertEqual([item['id'] for item in everything], [item['id'] for item in sent])
    self.assertEqual(
      [item['sender_id'] for item in everything], [self.buyer.id, self.seller.id] * 3
    )
    newer = self.messages(self.conversation_id, self.seller_client, f'?after={sent[2]["id"]}')
    self.assertEqual([item['body'] for item in newer], ['seller 1', 'buyer 2', 'seller 2'])
    latest = self.messages(self.conversation_id, self.buyer_client, f'?after={sent[-1]["id"]}')
    self.assertEqual(latest, [])

  def test_after_ignores_other_conversations(self):
    other_post = factories.make_post(self.seller)
    other_id = self.open_conversation(self.buyer_client, post=other_post)['id']
    mine = self.send(self.conversation_id, 'about the lamp', self.buyer_client)
    self.send(other_id, 'about something else', self.buyer_client)
    items = self.messages(self.conversation_id, self.seller_client, '?after=0')
    self.assertEqual([item['id'] for item in items], [mine['id']])

  def test_limit_pages_forward_from_the_cursor(self):
    sent = [self.send(self.conversation_id, f'm{number}', self.buyer_client) for number in range(5)]
    first = self.messages(self.conversation_id, self.seller_client, '?after=0&limit=2')
    self.assertEqual([item['body'] for item in first], ['m0', 'm1'])
    second = self.messages(
      self.conversation_id, self.seller_client, f'?after={first[-1]["id"]}&limit=2'
    )
    self.assertEqual([item['body'] for item in second], ['m2', 'm3'])
    self.assertEqual(second[-1]['id'], sent[3]['id'])

  def test_without_a_cursor_the_newest_messages_come_oldest_first(self):
    for number in range(5):
      self.send(self.conversation_id, f'm{number}', self.buyer_client)
    tail = self.messages(self.conversation_id, self.seller_client, '?limit=3')
    self.assertEqual([item['body'] for item in tail], ['m2', 'm3', 'm4'])
    older = self.messages(
      self.conversation_id, self.seller_client, f'?before={tail[0]["id"]}&limit=3'
    )
    self.assertEqual([item['body'] for item in older], ['m0', 'm1'])
    self.assertEqual(len(self.messages(self.conversation_id, self.seller_client)), 5)

  def test_bad_cursor_or_limit_is_422(self):
    for query, field in (
      ('?after=abc', 'after'),
      ('?after=-1', 'after'),
      ('?after=1.5', 'after'),
      (f'?after={2**70}', 'after'),
      ('?limit=0', 'limit'),
      ('?limit=101', 'limit'),
      ('?limit=ten', 'limit'),
      ('?before=0', 'before'),
      ('?after=1&before=5', 'before'),
    ):
      response = self.buyer_client.get(self.path + query)
      self.assert_error(response, 422, 'validation_error', fields=[field])

  def test_a_poll_costs_one_query_on_the_index_besides_the_session_and_access_check(self):
    for number in range(3):
      self.send(self.conversation_id, f'm{number}', self.buyer_client)
    with self.count_queries() as poll:
      self.messages(self.conversation_id, self.seller_client, '?after=1')
    message_queries = [statement for statement in poll if 'FROM messages' in statement]
    self.assertEqual(len(message_queries), 1, poll)
    # The session's user, the access check on the conversation, the messages.
    self.assertEqual(len(poll), 3, poll)

  def test_the_poll_query_reads_the_conversation_id_index(self):
    statement = ChatHelpers.messages_statement(self.conversation_id, after=5, limit=50)
    sql = str(statement.compile(db.engine, compile_kwargs={'literal_binds': True}))
    with db.engine.begin() as connection:
      if is_postgresql():
        # The test tables are tiny; forbidding the other plans asks whether the index serves
        # the filter and the order by itself (no sort step).
        connection.execute(text('SET LOCAL enable_seqscan = off'))
        connection.execute(text('SET LOCAL enable_bitmapscan = off'))
        plan = connection.execute(text(f'EXPLAIN {sql}')).scalars().all()
      else:
        plan = [row[-1] for row in connection.execute(text(f'EXPLAIN QUERY PLAN {sql}'))]
    plan_text = '\n'.join(plan)
    self.assertIn('ix_messages_conversation_id_id', plan_text)
    self.assertNotIn('TEMP B-TREE', plan_text)
    self.assertNotIn('Sort', plan_text)
