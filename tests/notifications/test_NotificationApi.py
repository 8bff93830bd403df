"""Notifications of dibs: made by the dibs helpers, listed newest first with the unread count,
marked read up to an id, mailed unless the user turned the kind off."""

from tests.factories import make_user
from tests.notifications.NotificationTestCase import NotificationTestCase


class DibNotificationTest(NotificationTestCase):
  def test_a_dib_notifies_the_seller_with_a_mail_linking_to_the_post(self):
    seller, post = self.make_post_with_seller(title='Desk lamp')
    buyer, buyer_client = self.make_buyer()
    dib = self.call_dibs(post.id, buyer_client)
    page = self.notifications()
    self.assertEqual((page['unread'], page['total']), (1, 1))
    [item] = page['items']
    self.assertEqual(item['kind'], 'dib_received')
    self.assertEqual(item['payload']['dib_id'], dib['id'])
    self.assertEqual(item['text'], f'{buyer.username} called dibs on “Desk lamp”.')
    self.assertEqual((item['link'], item['read']), (f'/posts/{post.id}', False))
    me = self.client.get('/api/users/me').get_json()['user']
    self.assertEqual(me['unread_notifications'], 1)
    [(subject, body)] = self.mails_to(seller.email)
    self.assertEqual(subject, 'Someone called dibs on your post')
    self.assertIn(f'http://127.0.0.1:5000/posts/{post.id}', body)
    self.assertEqual(self.notifications(client=buyer_client)['total'], 0)

  def test_accept_and_decline_notify_the_buyer(self):
    seller, post = self.make_post_with_seller(title='Bike')
    buyer, buyer_client = self.make_buyer()
    other, other_client = self.make_buyer()
    first = self.call_dibs(post.id, buyer_client)
    second = self.call_dibs(post.id, other_client)
    self.assertEqual(self.api('post', f'/api/dibs/{first["id"]}/accept').status_code, 200)
    self.assertEqual(self.api('post', f'/api/dibs/{second["id"]}/decline').status_code, 200)
    [accepted] = self.notifications(client=buyer_client)['items']
    self.assertEqual((accepted['kind'], accepted['link']), ('dib_accepted', '/my-dibs'))
    self.assertIn(seller.username, accepted['text'])
    [declined] = self.notifications(client=other_client)['items']
    self.assertEqual(declined['kind'], 'dib_declined')
    self.assertEqual(self.mails_to(buyer.email)[0][0], 'Your dib was accepted')
    self.assertEqual(self.mails_to(other.email)[0][0], 'Your dib was declined')

  def test_selling_notifies_the_waiting_buyers_but_not_the_one_who_bought(self):
    seller, post = self.make_post_with_seller(title='Sofa')
    winner, winner_client = self.make_buyer()
    waiting, waiting_client = self.make_buyer()
    accepted = self.call_dibs(post.id, winner_client)
    self.call_dibs(post.id, waiting_client)
    self.api('post', f'/api/dibs/{accepted["id"]}/accept')
    self.assertEqual(self.api('post', f'/api/posts/{post.id}/sold').status_code, 200)
    kinds = [item['kind'] for item in self.notifications(client=waiting_client)['items']]
    self.assertEqual(kinds, ['post_sold'])
    # The buyer is asked to review the sale (docs/REVIEWS.md), not told it was sold.
    kinds = [item['kind'] for item in self.notifications(client=winner_client)['items']]
    self.assertEqual(kinds, ['review_invite', 'dib_accepted'])

  def test_withdrawing_notifies_every_buyer_in_the_queue(self):
    seller, post = self.make_post_with_seller(title='Desk')
    clients = [self.make_buyer()[1] for _ in range(2)]
    for client in clients:
      self.call_dibs(post.id, client)
    self.assertEqual(self.api('delete', f'/api/posts/{post.id}').status_code, 204)
    for client in clients:
      [item] = self.notifications(client=client)['items']
      self.assertEqual((item['kind'], item['link']), ('post_withdrawn', f'/posts/{post.id}'))

  def test_list_is_newest_first_and_paginated(self):
    seller, post = self.make_post_with_seller()
    for _ in range(3):
      self.call_dibs(post.id, self.make_buyer()[1])
    page = self.notifications(per_page=2)
    self.assertEqual((page['total'], page['unread'], len(page['items'])), (3, 3, 2))
    ids = [item['id'] for item in page['items']]
    self.assertEqual(ids, sorted(ids, reverse=True))
    self.assertEqual(len(self.notifications(per_page=2, page=2)['items']), 1)
    self.assert_error(
      self.client.get('/api/notifications?per_page=0'), 422, 'validation_error', ['per_page']
    )
    self.assert_error(self.new_client().get('/api/notifications'), 401, 'unauthorized')


class ReadNotificationsTest(NotificationTestCase):
  def test_read_up_to_an_id_marks_it_and_older_ones(self):
    seller, post = self.make_post_with_seller()
    for _ in range(3):
      self.call_dibs(post.id, self.make_buyer()[1])
    ids = [item['id'] for item in self.notifications()['items']]
    response = self.api('post', '/api/notifications/read', json={'up_to': ids[1]})
    self.assertEqual(response.get_json(), {'unread': 1})
    reads = [item['read'] for item in self.notifications()['items']]
    self.assertEqual(reads, [False, True, True])
    response = self.api('post', '/api/notifications/read', json={'up_to': ids[0]})
    self.assertEqual(response.get_json(), {'unread': 0})
    self.assertEqual(self.client.get('/api/users/me').get_json()['user']['unread_notifications'], 0)

  def test_bad_read_bodies(self):
    seller, post = self.make_post_with_seller()
    buyer, buyer_client = self.make_buyer()
    self.call_dibs(post.id, buyer_client)
    theirs = self.notifications()['items'][0]['id']
    response = self.api(
      'post', '/api/notifications/read', json={'up_to': theirs}, client=buyer_client
    )
    self.assert_error(response, 422, 'validation_error', ['up_to'])
    for body in (
      {},
      {'up_to': 'x'},
      {'up_to': 0},
      {'up_to': True},
      {'up_to': 2**31},
      {'up_to': None},
    ):
      response = self.api('post', '/api/notifications/read', json=body)
      self.assert_error(response, 422, 'validation_error', ['up_to'])
    response = self.api('post', '/api/notifications/read', data='up_to=1')
    self.assert_error(response, 415, 'unsupported_media_type')
    self.assertEqual(self.notifications()['unread'], 1)


class EmailSettingsTest(NotificationTestCase):
  def test_a_kind_turned_off_is_still_notified_but_not_mailed(self):
    seller, post = self.make_post_with_seller()
    response = self.api(
      'patch', '/api/users/me', json={'notification_settings': {'dib_received': False}}
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    settings = response.get_json()['user']['notification_settings']
    self.assertEqual(settings['dib_received'], False)
    self.assertEqual(settings['dib_accepted'], True)
    with self.no_new_mail():
      self.call_dibs(post.id, self.make_buyer()[1])
    self.assertEqual(self.notifications()['unread'], 1)
    self.api('patch', '/api/users/me', json={'notification_settings': {'dib_received': True}})
    self.call_dibs(post.id, self.make_buyer()[1])
    self.assertEqual(len(self.mails_to(seller.email)), 1)

  def test_bad_settings_are_refused_whole(self):
    make_user('alice')
    self.login_as(make_user('bob'))
    for settings in ({'nonsense': True}, {'dib_received': 'no'}, ['dib_received'], 'off', None):
      response = self.api(
        'patch', '/api/users/me', json={'bio': 'Changed', 'notification_settings': settings}
      )
      self.assert_error(response, 422, 'validation_error', ['notification_settings'])
    me = self.client.get('/api/users/me').get_json()['user']
    self.assertEqual(me['bio'], '')
    self.assertTrue(all(me['notification_settings'].values()))

  def test_settings_are_per_user(self):
    self.login_as(make_user('carol'))
    self.api('patch', '/api/users/me', json={'notification_settings': {'dib_received': False}})
    other = self.logged_in_client(make_user('dave'))
    settings = other.get('/api/users/me').get_json()['user']['notification_settings']
    self.assertTrue(settings['dib_received'])
