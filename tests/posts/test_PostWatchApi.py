"""The watchlist through the API: watch and unwatch, my watchlist, the seller's count, and
what watchers are told (price drop, available again after a lapse or a decline, sold,
withdrawn), with mail per their settings."""

from app.posts.PostHoldJobs import lapse_overdue_holds
from tests.factories import make_post
from tests.posts.HoldTestCase import HoldTestCase


class WatchTestCase(HoldTestCase):
  def watch(self, post_id, client, status=200):
    response = self.api('put', f'/api/posts/{post_id}/watch', client=client)
    self.assertEqual(response.status_code, status, response.get_json())
    return response.get_json()

  def watchers(self, count):
    """`count` users watching self.post, each with a client."""
    watchers = []
    for _ in range(count):
      user, client = self.make_buyer()
      self.watch(self.post.id, client)
      watchers.append((user, client))
    return watchers


class WatchApiTest(WatchTestCase):
  def test_watch_unwatch_and_my_watchlist(self):
    seller, post = self.make_post_with_seller()
    older = make_post()
    user, client = self.make_buyer()
    self.assertEqual(client.get(f'/api/posts/{post.id}/watch').get_json()['watching'], False)
    self.assertEqual(self.watch(older.id, client), {'watching': True, 'watchers': None})
    self.assertEqual(self.watch(post.id, client), {'watching': True, 'watchers': None})
    self.assertEqual(self.watch(post.id, client), {'watching': True, 'watchers': None})
    listing = client.get('/api/users/me/watchlist').get_json()
    self.assertEqual([item['id'] for item in listing['items']], [post.id, older.id])
    self.assertEqual(listing['total'], 2)
    # The seller sees how many watch; nobody else does.
    state = self.client.get(f'/api/posts/{post.id}/watch').get_json()
    self.assertEqual(state, {'watching': False, 'watchers': 1})
    response = self.api('delete', f'/api/posts/{post.id}/watch', client=client)
    self.assertEqual(response.status_code, 204)
    self.assertEqual(
      self.api('delete', f'/api/posts/{post.id}/watch', client=client).status_code, 204
    )
    self.assertEqual(self.client.get(f'/api/posts/{post.id}/watch').get_json()['watchers'], 0)
    self.assertEqual(client.get('/api/users/me/watchlist').get_json()['total'], 1)

  def test_refusals(self):
    seller, post = self.make_post_with_seller()
    self.assert_error(self.api('put', f'/api/posts/{post.id}/watch'), 409, 'conflict')
    self.assert_error(self.api('put', '/api/posts/999999/watch'), 404, 'not_found')
    self.assert_error(self.api('delete', '/api/posts/999999/watch'), 404, 'not_found')
    self.assert_error(self.new_client().get(f'/api/posts/{post.id}/watch'), 401, 'unauthorized')
    self.assertEqual(self.api('delete', f'/api/posts/{post.id}').status_code, 204)
    self.assert_error(
      self.api('put', f'/api/posts/{post.id}/watch', client=self.make_buyer()[1]), 409, 'conflict'
    )
    self.assert_error(
      self.api('put', f'/api/posts/{post.id}/watch', data='[]', content_type='application/json'),
      400,
      'bad_request',
    )


class WatcherNoticeTest(WatchTestCase):
  def test_a_price_drop_tells_watchers_by_notification_and_mail(self):
    seller, self.post = self.make_post_with_seller(price_cents=5000)
    ((watcher, _),) = self.watchers(1)
    self.assertEqual(
      self.api('patch', f'/api/posts/{self.post.id}', json={'price_cents': 6000}).status_code, 200
    )
    self.assertEqual(self.kinds_of(watcher.id), [])
    self.assertEqual(
      self.api('patch', f'/api/posts/{self.post.id}', json={'price_cents': 4250}).status_code, 200
    )
    self.assertEqual(self.kinds_of(watcher.id), ['watched_price_drop'])
    subject, body = self.mails_to(watcher.email)[-1]
    self.assertEqual(subject, 'A post you watch is cheaper')
    self.assertIn('$42.50', body)

  def test_available_again_after_a_lapse_and_after_a_decline(self):
    hold = self.make_queue(buyers=2)
    ((watcher, _),) = self.watchers(1)
    with self.clock(hours=49):
      self.assertEqual(lapse_overdue_holds(), 1)
    self.assertEqual(self.kinds_of(watcher.id), ['watched_available'])
    self.assertNotIn('watched_available', self.kinds_of(self.buyers[0].id))
    self.assertEqual(self.api('post', f'/api/dibs/{self.dibs[1]["id"]}/accept').status_code, 200)
    self.assertEqual(self.api('post', f'/api/dibs/{self.dibs[1]["id"]}/decline').status_code, 200)
    self.assertEqual(self.kinds_of(watcher.id), ['watched_available', 'watched_available'])
    self.assertIsNotNone(hold)

  def test_sold_and_withdrawn_tell_watchers_once(self):
    self.make_queue(buyers=2)
    ((watcher, _),) = self.watchers(1)
    # A buyer who also watches hears of the sale once, as a buyer.
    self.watch(self.post.id, self.buyers[1].client)
    self.assertEqual(self.api('post', f'/api/posts/{self.post.id}/sold').status_code, 200)
    self.assertEqual(self.kinds_of(watcher.id), ['watched_sold'])
    self.assertEqual(self.kinds_of(self.buyers[1].id).count('post_sold'), 1)
    self.assertNotIn('watched_sold', self.kinds_of(self.buyers[1].id))
    second = make_post(seller=self.seller.user)
    user, client = self.make_buyer()
    self.watch(second.id, client)
    self.assertEqual(self.api('delete', f'/api/posts/{second.id}').status_code, 204)
    self.assertEqual(self.kinds_of(user.id), ['watched_withdrawn'])

  def test_a_kind_turned_off_is_not_mailed(self):
    seller, self.post = self.make_post_with_seller(price_cents=5000)
    user, client = self.make_buyer()
    self.watch(self.post.id, client)
    self.api(
      'patch',
      '/api/users/me',
      json={'notification_settings': {'watched_price_drop': False}},
      client=client,
    )
    with self.no_new_mail():
      self.api('patch', f'/api/posts/{self.post.id}', json={'price_cents': 100})
    self.assertEqual(self.kinds_of(user.id), ['watched_price_drop'])


class WatchedPostIdsTest(WatchTestCase):
  """GET /api/users/me/watched-post-ids: the hearts of a list page in one request."""

  def test_only_my_watches_among_the_posts_asked_about(self):
    first, second, third = make_post(), make_post(), make_post()
    user, client = self.make_buyer()
    other_user, other_client = self.make_buyer()
    self.watch(third.id, client)
    self.watch(first.id, client)
    self.watch(second.id, other_client)
    response = client.get(
      f'/api/users/me/watched-post-ids?post_ids={third.id},{second.id},{first.id}'
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(response.get_json(), {'post_ids': sorted([first.id, third.id])})
    # A post nobody watches, or one that does not exist, is simply not among them.
    response = client.get(f'/api/users/me/watched-post-ids?post_ids={second.id},999999')
    self.assertEqual(response.get_json(), {'post_ids': []})
    self.assertEqual(
      self.api('delete', f'/api/posts/{first.id}/watch', client=client).status_code, 204
    )
    response = client.get(f'/api/users/me/watched-post-ids?post_ids={first.id},{third.id}')
    self.assertEqual(response.get_json(), {'post_ids': [third.id]})

  def test_refusals(self):
    user, client = self.make_buyer()
    self.assert_error(
      self.new_client().get('/api/users/me/watched-post-ids?post_ids=1'), 401, 'unauthorized'
    )
    too_many = ','.join(str(number) for number in range(1, 102))
    for query in (
      '',
      'post_ids=',
      'post_ids=a,b',
      'post_ids=1,,2',
      'post_ids=0',
      'post_ids=-3',
      'post_ids=%201',
      'post_ids=99999999999',
      f'post_ids={too_many}',
    ):
      response = client.get(f'/api/users/me/watched-post-ids?{query}')
      self.assert_error(response, 422, 'validation_error')
      self.assertIn('post_ids', response.get_json()['error']['fields'], query)
    hundred = ','.join(str(number) for number in range(1, 101))
    self.assertEqual(
      client.get(f'/api/users/me/watched-post-ids?post_ids={hundred}').status_code, 200
    )
