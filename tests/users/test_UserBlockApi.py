"""Blocks: block, unblock and my list; both ways at once, no conversation, message or dib
between the two, neither sees the other's posts (lists, search, profiles, post pages, the
cache included), conversations say so, and the blocked user is not told."""

from sqlalchemy import func, select

from app.extensions import db
from app.notifications.NotificationModels import Notification
from app.users.UserModels import UserBlock
from tests import factories
from tests.base import ApiTestCase


class BlockTestCase(ApiTestCase):
  """`blocker` and `blocked`, each with a post and a logged-in client; `other` is a third user."""

  def setUp(self):
    super().setUp()
    self.blocker = factories.make_user('bella_blocker')
    self.blocked = factories.make_user('bruno_blocked')
    self.other = factories.make_user('olga_other')
    self.blocker_post = factories.make_post(self.blocker, title='Blue bike from bella')
    self.blocked_post = factories.make_post(self.blocked, title='Red bike from bruno')
    self.blocker_client = self.logged_in_client(self.blocker)
    self.blocked_client = self.logged_in_client(self.blocked)
    self.other_client = self.logged_in_client(self.other)

  def block(self, username='bruno_blocked', client=None, expected=201):
    response = self.api('put', f'/api/users/{username}/block', client=client or self.blocker_client)
    self.assertEqual(response.status_code, expected, response.get_data(as_text=True))
    return response.get_json()

  def titles(self, client, path):
    response = client.get(path)
    self.assertEqual(response.status_code, 200, response.get_json())
    return {item['title'] for item in response.get_json()['items']}


class BlockListTest(BlockTestCase):
  def test_block_is_listed_idempotent_and_lifted(self):
    created = self.block()
    self.assertEqual(created['block']['user']['username'], 'bruno_blocked')
    self.assertEqual(self.block(expected=200)['block']['user']['username'], 'bruno_blocked')
    listed = self.blocker_client.get('/api/users/me/blocks').get_json()
    self.assertEqual([item['user']['username'] for item in listed['items']], ['bruno_blocked'])
    self.assertEqual(listed['total'], 1)
    # The blocked user's own list is empty: a block is the blocker's.
    self.assertEqual(self.blocked_client.get('/api/users/me/blocks').get_json()['items'], [])
    response = self.api('delete', '/api/users/bruno_blocked/block', client=self.blocker_client)
    self.assertEqual(response.status_code, 204)
    self.assertEqual(self.blocker_client.get('/api/users/me/blocks').get_json()['items'], [])
    again = self.api('delete', '/api/users/bruno_blocked/block', client=self.blocker_client)
    self.assertEqual(again.status_code, 204)
    self.assertEqual(db.session.execute(select(func.count()).select_from(UserBlock)).scalar(), 0)

  def test_refusals(self):
    response = self.api('put', '/api/users/bella_blocker/block', client=self.blocker_client)
    self.assert_error(response, 422, 'validation_error', fields=['username'])
    response = self.api('put', '/api/users/nobody_here/block', client=self.blocker_client)
    self.assert_error(response, 404, 'not_found')
    response = self.api('put', '/api/users/bruno_blocked/block')
    self.assert_error(response, 401, 'unauthorized')
    response = self.api(
      'put',
      '/api/users/bruno_blocked/block',
      client=self.blocker_client,
      data='[1]',
      headers={'Content-Type': 'application/json'},
    )
    self.assertEqual(response.status_code, 400)
    self.assertEqual(db.session.execute(select(func.count()).select_from(UserBlock)).scalar(), 0)

  def test_the_blocked_user_is_not_told(self):
    before = db.session.execute(select(func.count()).select_from(Notification)).scalar()
    self.block()
    after = db.session.execute(select(func.count()).select_from(Notification)).scalar()
    self.assertEqual(before, after)


class BlockVisibilityTest(BlockTestCase):
  def test_neither_sees_the_other_s_posts_in_lists_search_and_profiles(self):
    both = {'Blue bike from bella', 'Red bike from bruno'}
    # Read first by everyone, so the cache holds the shared answers.
    for client in (self.client, self.blocker_client, self.blocked_client):
      self.assertEqual(self.titles(client, '/api/posts'), both)
      self.assertEqual(self.titles(client, '/api/search/posts?q=bike'), both)
    self.block()
    for client, own, hidden_seller, hidden_post in (
      (self.blocker_client, 'Blue bike from bella', 'bruno_blocked', self.blocked_post),
      (self.blocked_client, 'Red bike from bruno', 'bella_blocker', self.blocker_post),
    ):
      self.assertEqual(self.titles(client, '/api/posts'), {own})
      self.assertEqual(self.titles(client, '/api/search/posts?q=bike'), {own})
      self.assertEqual(client.get('/api/posts').get_json()['total'], 1)
      self.assertEqual(self.titles(client, f'/api/users/{hidden_seller}/posts'), set())
      # The post page is a 404, as for a post that does not exist.
      self.assert_error(client.get(f'/api/posts/{hidden_post.id}'), 404, 'not_found')
    # Everyone else still sees both, from answers the blocked pair never stored.
    for client in (self.client, self.other_client):
      self.assertEqual(self.titles(client, '/api/posts'), both)
      self.assertEqual(self.titles(client, '/api/search/posts?q=bike'), both)
      self.assertEqual(client.get(f'/api/posts/{self.blocked_post.id}').status_code, 200)

  def test_a_personal_answer_never_enters_the_shared_cache(self):
    self.block()
    # The block emptied the cache: the blocked user's next read reaches the app, whose login
    # loader marks their session (they logged in before the block).
    self.assertEqual(self.titles(self.blocked_client, '/api/posts'), {'Red bike from bruno'})
    self.assertEqual(self.titles(self.blocker_client, '/api/posts'), {'Blue bike from bella'})
    response = self.blocker_client.get('/api/posts')
    self.assertNotIn('ETag', response.headers)
    both = {'Blue bike from bella', 'Red bike from bruno'}
    self.assertEqual(self.titles(self.client, '/api/posts'), both)
    self.assertTrue(self.client.get('/api/posts').headers.get('ETag'))
    # A shared answer stored now is not served to either of the pair.
    self.assertEqual(self.titles(self.blocker_client, '/api/posts'), {'Blue bike from bella'})
    self.assertEqual(self.titles(self.blocked_client, '/api/posts'), {'Red bike from bruno'})

  def test_a_session_started_after_the_block_is_marked_at_login(self):
    self.block()
    both = {'Blue bike from bella', 'Red bike from bruno'}
    self.assertEqual(self.titles(self.client, '/api/posts'), both)
    fresh = self.logged_in_client(self.blocked)
    self.assertEqual(self.titles(fresh, '/api/posts'), {'Red bike from bruno'})

  def test_unblocking_shows_the_posts_again(self):
    self.block()
    self.api('delete', '/api/users/bruno_blocked/block', client=self.blocker_client)
    both = {'Blue bike from bella', 'Red bike from bruno'}
    self.assertEqual(self.titles(self.blocker_client, '/api/posts'), both)
    self.assertEqual(self.titles(self.blocked_client, '/api/posts'), both)
    self.assertTrue(self.blocker_client.get('/api/posts').headers.get('ETag'))


class BlockActionsTest(BlockTestCase):
  def open_conversation(self, client, post):
    return self.api('post', f'/api/posts/{post.id}/conversations', client=client)

  def test_no_new_conversation_either_way(self):
    self.block()
    response = self.open_conversation(self.blocked_client, self.blocker_post)
    error = self.assert_error(response, 409, 'conflict')
    self.assertNotIn('block', error['message'].lower())
    response = self.open_conversation(self.blocker_client, self.blocked_post)
    error = self.assert_error(response, 409, 'conflict')
    self.assertIn('blocked', error['message'])

  def test_an_open_conversation_says_so_and_takes_no_message(self):
    conversation = self.open_conversation(self.blocked_client, self.blocker_post).get_json()
    conversation_id = conversation['conversation']['id']
    self.assertTrue(conversation['conversation']['can_send'])
    self.block()
    seen_by_blocker = self.blocker_client.get(f'/api/conversations/{conversation_id}').get_json()
    self.assertFalse(seen_by_blocker['conversation']['can_send'])
    self.assertTrue(seen_by_blocker['conversation']['blocked_by_me'])
    inbox = self.blocked_client.get('/api/conversations').get_json()['items']
    self.assertFalse(inbox[0]['can_send'])
    self.assertFalse(inbox[0]['blocked_by_me'])
    for client in (self.blocked_client, self.blocker_client):
      response = self.api(
        'post', f'/api/conversations/{conversation_id}/messages', json={'body': 'Hi'}, client=client
      )
      self.assert_error(response, 409, 'conflict')
    messages = self.blocker_client.get(f'/api/conversations/{conversation_id}/messages')
    self.assertEqual(messages.get_json()['items'], [])
    # The conversation reopens with the unblock.
    self.api('delete', '/api/users/bruno_blocked/block', client=self.blocker_client)
    response = self.api(
      'post',
      f'/api/conversations/{conversation_id}/messages',
      json={'body': 'Hi'},
      client=self.blocked_client,
    )
    self.assertEqual(response.status_code, 201)

  def test_no_dib_on_the_other_s_posts_either_way(self):
    self.block()
    response = self.api(
      'post', f'/api/posts/{self.blocker_post.id}/dibs', client=self.blocked_client
    )
    error = self.assert_error(response, 409, 'conflict')
    self.assertNotIn('block', error['message'].lower())
    response = self.api(
      'post', f'/api/posts/{self.blocked_post.id}/dibs', client=self.blocker_client
    )
    self.assert_error(response, 409, 'conflict')
    response = self.api('post', f'/api/posts/{self.blocker_post.id}/dibs', client=self.other_client)
    self.assertEqual(response.status_code, 201)
