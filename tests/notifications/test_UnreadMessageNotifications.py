"""A message left unread for 5 minutes notifies its reader (at most once per conversation per
hour); the periodic job is run as the timer runs it, through `manage.py periodic`."""

from datetime import timedelta
from unittest.mock import patch

from app.chat.ChatModels import Message
from app.extensions import db
from app.notifications.NotificationModels import Notification
from tests.chat.ChatTestCase import ChatTestCase


class UnreadMessageNotificationTest(ChatTestCase):
  def setUp(self):
    super().setUp()
    self.sent_mails = []
    patcher = patch(
      'app.common.CommonMail.send_mail', side_effect=lambda *mail: self.sent_mails.append(mail)
    )
    patcher.start()
    self.addCleanup(patcher.stop)
    self.conversation = self.open_conversation()

  def age(self, model, row_id, minutes):
    """Move a row's created_at `minutes` into the past."""
    row = db.session.get(model, row_id)
    row.created_at = row.created_at - timedelta(minutes=minutes)
    db.session.commit()

  def run_periodic(self):
    result = self.app.test_cli_runner().invoke(
      args=['periodic', '--only', 'notify_unread_messages']
    )
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertIn('notify_unread_messages: ran in-process', result.output)

  def seller_notifications(self):
    return self.seller_client.get('/api/notifications').get_json()['items']

  def test_a_message_unread_for_five_minutes_notifies_once(self):
    message = self.send(self.conversation['id'], 'Is it still there?', self.buyer_client)
    self.run_periodic()
    self.assertEqual(self.seller_notifications(), [])
    self.age(Message, message['id'], 6)
    self.run_periodic()
    [item] = self.seller_notifications()
    self.assertEqual(item['kind'], 'new_message')
    self.assertEqual(item['link'], f'/conversations/{self.conversation["id"]}')
    self.assertEqual(item['text'], 'bea_buyer wrote to you about “Desk lamp”.')
    [(recipient, subject, body)] = self.sent_mails
    self.assertEqual((recipient, subject), (self.seller.email, 'You have an unread message'))
    self.run_periodic()
    self.assertEqual(len(self.seller_notifications()), 1)
    # The buyer has read everything they were sent (nothing): no notification for them.
    self.assertEqual(self.buyer_client.get('/api/notifications').get_json()['total'], 0)

  def test_a_read_message_notifies_nobody(self):
    message = self.send(self.conversation['id'], 'Hello', self.buyer_client)
    self.mark_read(self.conversation['id'], self.seller_client)
    self.age(Message, message['id'], 6)
    self.run_periodic()
    self.assertEqual(self.seller_notifications(), [])

  def test_at_most_one_notification_per_conversation_per_hour(self):
    first = self.send(self.conversation['id'], 'Hello', self.buyer_client)
    self.age(Message, first['id'], 6)
    self.run_periodic()
    second = self.send(self.conversation['id'], 'Hello again', self.buyer_client)
    self.age(Message, second['id'], 6)
    self.run_periodic()
    self.assertEqual(len(self.seller_notifications()), 1)
    # An hour after the first notification, the newer unread message is notified.
    notification_id = self.seller_notifications()[0]['id']
    self.age(Notification, notification_id, 61)
    self.run_periodic()
    items = self.seller_notifications()
    self.assertEqual(len(items), 2)
    self.assertEqual(items[0]['payload']['message_id'], second['id'])

  def test_the_seller_writing_notifies_the_buyer(self):
    message = self.send(self.conversation['id'], 'Still available', self.seller_client)
    self.age(Message, message['id'], 10)
    self.run_periodic()
    [item] = self.buyer_client.get('/api/notifications').get_json()['items']
    self.assertEqual(item['payload']['actor'], 'sam_seller')
