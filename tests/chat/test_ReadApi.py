"""Read markers, unread counts, and two students chatting by polling."""

from sqlalchemy import select

from app.chat.ChatModels import Conversation
from app.extensions import db
from tests import factories
from tests.chat.ChatTestCase import ChatTestCase


class MarkReadTest(ChatTestCase):
  def setUp(self):
    super().setUp()
    self.conversation_id = self.open_conversation(self.buyer_client)['id']
    self.read_path = f'/api/conversations/{self.conversation_id}/read'

  def seller_marker(self):
    return db.session.execute(
      select(Conversation.seller_last_read_message_id).where(
        Conversation.id == self.conversation_id
      )
    ).scalar_one()

  def test_reading_everything_then_up_to_a_message(self):
    first = self.send(self.conversation_id, 'one', self.buyer_client)
    second = self.send(self.conversation_id, 'two', self.buyer_client)
    third = self.send(self.conversation_id, 'three', self.buyer_client)
    self.assertEqual(self.unread(self.seller_client), 3)
    self.mark_read(self.conversation_id, self.seller_client, up_to=first['id'])
    self.assertEqual(self.unread(self.seller_client), 2)
    self.assertEqual(self.seller_marker(), first['id'])
    self.mark_read(self.conversation_id, self.seller_client)
    self.assertEqual(self.unread(self.seller_client), 0)
    self.assertEqual(self.seller_marker(), third['id'])
    # Markers never move backwards.
    self.mark_read(self.conversation_id, self.seller_client, up_to=second['id'])
    self.assertEqual(self.seller_marker(), third['id'])
    self.assertEqual(self.unread(self.seller_client), 0)

  def test_a_body_is_optional_and_null_means_everything(self):
    self.send(self.conversation_id, 'one', self.buyer_client)
    response = self.api('post', self.read_path, client=self.seller_client)
    self.assertEqual(response.status_code, 204, response.get_data(as_text=True))
    self.assertEqual(self.unread(self.seller_client), 0)
    self.send(self.conversation_id, 'two', self.buyer_client)
    response = self.api('post', self.read_path, json={'up_to': None}, client=self.seller_client)
    self.assertEqual(response.status_code, 204, response.get_data(as_text=True))
    self.assertEqual(self.unread(self.seller_client), 0)

  def test_reading_an_empty_conversation_is_harmless(self):
    self.mark_read(self.conversation_id, self.buyer_client)
    self.assertIsNone(self.seller_marker())
    self.assertEqual(self.unread(self.buyer_client), 0)

  def test_up_to_must_be_a_message_of_this_conversation(self):
    other_post = factories.make_post(self.seller)
    other_id = self.open_conversation(self.buyer_client, post=other_post)['id']
    elsewhere = self.send(other_id, 'elsewhere', self.buyer_client)
    here = self.send(self.conversation_id, 'here', self.buyer_client)
    for up_to in (elsewhere['id'], here['id'] + 1000, 0, -3, 'abc', 1.5, True, 2**70):
      response = self.api('post', self.read_path, json={'up_to': up_to}, client=self.seller_client)
      self.assert_error(response, 422, 'validation_error', fields=['up_to'])
    self.assertIsNone(self.seller_marker())

  def test_refusals(self):
    self.send(self.conversation_id, 'one', self.buyer_client)
    self.assert_error(self.api('post', self.read_path), 401, 'unauthorized')
    no_csrf = self.api('post', self.read_path, json={}, client=self.seller_client, csrf=False)
    self.assert_error(no_csrf, 400, 'csrf')
    not_json = self.api(
      'post', self.read_path, client=self.seller_client, data='up_to=1', content_type='text/plain'
    )
    self.assert_error(not_json, 415, 'unsupported_media_type')
    outsider_client = self.logged_in_client(factories.make_user('olga_outsider'))
    admin_client = self.logged_in_client(factories.make_user('ada_admin', admin=True))
    for client in (outsider_client, admin_client):
      self.assert_error(self.api('post', self.read_path, client=client), 404, 'not_found')
    self.assertIsNone(self.seller_marker())
    self.assertEqual(self.unread(self.seller_client), 1)


class UnreadCountTest(ChatTestCase):
  def test_unread_counts_follow_reads_from_both_sides(self):
    conversation_id = self.open_conversation(self.buyer_client)['id']
    path = f'/api/conversations/{conversation_id}'
    self.send(conversation_id, 'hi', self.buyer_client)
    self.send(conversation_id, 'is it available?', self.buyer_client)
    self.assertEqual((self.unread(self.buyer_client), self.unread(self.seller_client)), (0, 2))
    self.assertEqual(self.seller_client.get(path).get_json()['conversation']['unread_count'], 2)

    self.mark_read(conversation_id, self.seller_client)
    reply = self.send(conversation_id, 'yes it is', self.seller_client)
    self.assertEqual((self.unread(self.buyer_client), self.unread(self.seller_client)), (1, 0))
    buyer_view = self.buyer_client.get(path).get_json()['conversation']
    self.assertEqual(buyer_view['unread_count'], 1)
    self.assertIsNone(buyer_view['last_read_message_id'])

    self.send(conversation_id, 'great, tomorrow?', self.buyer_client)
    self.mark_read(conversation_id, self.buyer_client, up_to=reply['id'])
    self.assertEqual((self.unread(self.buyer_client), self.unread(self.seller_client)), (0, 1))
    buyer_view = self.buyer_client.get(path).get_json()['conversation']
    self.assertEqual(buyer_view['last_read_message_id'], reply['id'])

  def test_total_adds_up_every_conversation(self):
    lamp_id = self.open_conversation(self.buyer_client)['id']
    chair = factories.make_post(self.seller, title='Chair')
    chair_id = self.open_conversation(self.buyer_client, post=chair)['id']
    other_buyer_client = self.logged_in_client(factories.make_user('otto_buyer'))
    other_id = self.open_conversation(other_buyer_client)['id']
    self.send(lamp_id, 'lamp?', self.buyer_client)
    self.send(chair_id, 'chair?', self.buyer_client)
    self.send(chair_id, 'chair!!', self.buyer_client)
    self.send(other_id, 'me too', other_buyer_client)
    self.assertEqual(self.unread(self.seller_client), 4)
    self.mark_read(chair_id, self.seller_client)
    self.assertEqual(self.unread(self.seller_client), 2)
    self.assertEqual(self.unread(self.buyer_client), 0)
    self.assertEqual(self.unread(other_buyer_client), 0)

  def test_unread_is_one_query(self):
    conversation_id = self.open_conversation(self.buyer_client)['id']
    self.send(conversation_id, 'hi', self.buyer_client)
    with self.count_queries() as baseline:
      self.seller_client.get('/api/users/me')
    with self.count_queries() as unread:
      self.assertEqual(self.unread(self.seller_client), 1)
    self.assertEqual(len(unread), len(baseline) + 1, unread)

  def test_anonymous_is_401(self):
    self.assert_error(self.client.get('/api/users/me/unread'), 401, 'unauthorized')


class TwoStudentsChatTest(ChatTestCase):
  """The issue's "done when": two browsers hold a conversation by polling with `after`."""

  def poll(self, conversation_id, client, cursor):
    """What a polling client does: fetch what is newer than its cursor, advance the cursor."""
    items = self.messages(conversation_id, client, f'?after={cursor}')
    return items, (items[-1]['id'] if items else cursor)

  def test_buyer_and_seller_see_each_others_messages_through_after_polling(self):
    conversation = self.open_conversation(self.buyer_client)
    conversation_id = conversation['id']
    buyer_cursor = seller_cursor = 0

    self.send(conversation_id, 'Hi! Is the lamp still available?', self.buyer_client)
    seller_inbox = self.seller_client.get('/api/conversations').get_json()['items']
    self.assertEqual([item['id'] for item in seller_inbox], [conversation_id])
    self.assertEqual(seller_inbox[0]['unread_count'], 1)
    self.assertEqual(seller_inbox[0]['other_user']['username'], 'bea_buyer')

    items, seller_cursor = self.poll(conversation_id, self.seller_client, seller_cursor)
    self.assertEqual([item['body'] for item in items], ['Hi! Is the lamp still available?'])
    self.mark_read(conversation_id, self.seller_client, up_to=seller_cursor)
    self.assertEqual(self.unread(self.seller_client), 0)

    self.send(conversation_id, 'Yes! Want to see it today?', self.seller_client)
    self.send(conversation_id, 'I am at the library until 6.', self.seller_client)
    self.assertEqual(self.unread(self.buyer_client), 2)
    items, buyer_cursor = self.poll(conversation_id, self.buyer_client, buyer_cursor)
    self.assertEqual(
      [item['body'] for item in items],
      [
        'Hi! Is the lamp still available?',
        'Yes! Want to see it today?',
        'I am at the library until 6.',
      ],
    )
    self.assertEqual(
      [item['sender_id'] for item in items], [self.buyer.id, self.seller.id, self.seller.id]
    )
    self.mark_read(conversation_id, self.buyer_client, up_to=buyer_cursor)
    self.assertEqual(self.unread(self.buyer_client), 0)

    # Nothing new: a poll returns nothing and the cursors stay where they are.
    self.assertEqual(self.poll(conversation_id, self.buyer_client, buyer_cursor)[0], [])

    self.send(conversation_id, 'Perfect, see you at 5.', self.buyer_client)
    items, seller_cursor = self.poll(conversation_id, self.seller_client, seller_cursor)
    self.assertEqual(
      [item['body'] for item in items],
      ['Yes! Want to see it today?', 'I am at the library until 6.', 'Perfect, see you at 5.'],
    )
    self.assertEqual(self.unread(self.seller_client), 1)
    self.mark_read(conversation_id, self.seller_client, up_to=seller_cursor)
    self.assertEqual((self.unread(self.buyer_client), self.unread(self.seller_client)), (0, 0))

    buyer_inbox = self.buyer_client.get('/api/conversations').get_json()['items']
    self.assertEqual(buyer_inbox[0]['last_message']['body'], 'Perfect, see you at 5.')
    self.assertEqual(buyer_inbox[0]['unread_count'], 0)
    self.assertEqual(buyer_inbox[0]['other_user']['username'], 'sam_seller')
