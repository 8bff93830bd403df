"""Expiry and renewal with a moved clock: posts expire POST_EXPIRY_DAYS after they were listed
(the job, once), leave browse, search and the cache of public reads, stay in my expired posts,
and come back on top when renewed; what happens to a hold and a queue on an expiring post."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from app.common.CommonHelpers import as_utc, utc_now
from app.posts.PostExpiryJobs import expire_posts, remind_expiring_posts
from app.posts.PostHoldJobs import lapse_overdue_holds
from tests.factories import make_post
from tests.posts.HoldTestCase import HoldTestCase
from tests.posts.test_HoldJobs import FailOnce


class ExpiryTestCase(HoldTestCase):
  @contextmanager
  def expiry_clock(self, **moved):
    moment = utc_now() + timedelta(**moved)
    with patch('app.posts.PostExpiryHelpers.utc_now', return_value=moment):
      yield moment

  def listed_ids(self, path='/api/posts'):
    response = self.new_client().get(path)
    self.assertEqual(response.status_code, 200, response.get_json())
    return [item['id'] for item in response.get_json()['items']]

  def renew(self, post_id, client=None, status=200):
    response = self.api('post', f'/api/posts/{post_id}/renew', client=client)
    self.assertEqual(response.status_code, status, response.get_json())
    return response.get_json()


class PostExpiryTest(ExpiryTestCase):
  def test_a_new_post_expires_after_post_expiry_days(self):
    response = self.api(
      'post',
      '/api/posts',
      json={
        'title': 'Desk lamp',
        'description': 'Bright.',
        'price_cents': 900,
        'category': 'furniture',
        'condition': 'good',
      },
      client=self.logged_in_client(self.make_buyer()[0]),
    )
    post = response.get_json()['post']
    self.assertFalse(post['expired'])
    expires_at = as_utc(self.reload_post(post['id']).expires_at)
    self.assertAlmostEqual((expires_at - utc_now()).total_seconds(), 30 * 86400, delta=60)
    self.app.config['POST_EXPIRY_DAYS'] = 10
    self.addCleanup(self.app.config.__setitem__, 'POST_EXPIRY_DAYS', 30)
    shorter = make_post()
    expires_at = as_utc(self.reload_post(shorter.id).expires_at)
    self.assertAlmostEqual((expires_at - utc_now()).total_seconds(), 10 * 86400, delta=60)

  def test_an_expired_post_leaves_browse_search_and_the_cache_but_not_my_posts(self):
    seller, post = self.make_post_with_seller(title='Walnut bookshelf')
    other = make_post(title='Walnut desk')
    search = '/api/search/posts?q=walnut'
    public_lists = ('/api/posts', f'/api/users/{seller.username}/posts', search)
    for path in public_lists:
      self.assertIn(post.id, self.listed_ids(path))  # now cached
    with self.expiry_clock(days=29, hours=23):
      self.assertEqual(expire_posts(), 0)
    with self.expiry_clock(days=30, minutes=1):
      self.assertEqual(expire_posts(), 2)
      self.assertEqual(expire_posts(), 0)
    for path in public_lists:
      self.assertNotIn(post.id, self.listed_ids(path), path)
      self.assertNotIn(other.id, self.listed_ids(path), path)
    page = self.new_client().get(f'/api/posts/{post.id}')
    self.assertEqual(page.status_code, 200)
    self.assertTrue(page.get_json()['post']['expired'])
    mine = self.client.get('/api/users/me/expired-posts').get_json()
    self.assertEqual([item['id'] for item in mine['items']], [post.id])
    self.assertTrue(mine['items'][0]['expired'])
    self.assertEqual(self.kinds_of(seller.id), ['post_expired'])
    subject, body = self.mails_to(seller.email)[-1]
    self.assertEqual(subject, 'Your post expired')
    self.assertIn('Walnut bookshelf', body)

  def test_the_seller_is_reminded_three_days_before_once(self):
    seller, post = self.make_post_with_seller()
    with self.expiry_clock(days=26, hours=23):
      self.assertEqual(remind_expiring_posts(), 0)
    with self.expiry_clock(days=27, hours=1):
      self.assertEqual(remind_expiring_posts(), 1)
      self.assertEqual(remind_expiring_posts(), 0)
    with self.expiry_clock(days=29):
      self.assertEqual(remind_expiring_posts(), 0)
    self.assertEqual(self.kinds_of(seller.id), ['post_expiring'])
    # A renewal starts a new listing, reminded again before its own end.
    with self.expiry_clock(days=29):
      self.renew(post.id)
    with self.expiry_clock(days=29 + 27, hours=1):
      self.assertEqual(remind_expiring_posts(), 1)
    self.assertEqual(self.kinds_of(seller.id), ['post_expiring', 'post_expiring'])

  def test_a_failed_run_is_retried_and_expires_once(self):
    seller, post = self.make_post_with_seller()
    with self.expiry_clock(days=31), patch('app.posts.PostExpiryHelpers.notify', FailOnce()):
      with self.assertRaises(RuntimeError):
        expire_posts()
      self.assertIsNone(self.reload_post(post.id).expired_at)
      self.assertEqual(expire_posts(), 1)
      self.assertEqual(expire_posts(), 0)
    self.assertEqual(self.kinds_of(seller.id), ['post_expired'])

  def test_sold_posts_expire_silently_and_withdrawn_ones_are_left_alone(self):
    self.make_queue(buyers=1)
    self.assertEqual(self.api('post', f'/api/posts/{self.post.id}/sold').status_code, 200)
    withdrawn = make_post(seller=self.seller.user)
    self.assertEqual(self.api('delete', f'/api/posts/{withdrawn.id}').status_code, 204)
    kinds_before = self.kinds_of(self.seller.id)
    with self.expiry_clock(days=31):
      self.assertEqual(expire_posts(), 1)
    self.assertIsNotNone(self.reload_post(self.post.id).expired_at)
    self.assertIsNone(self.reload_post(withdrawn.id).expired_at)
    self.assertEqual(self.kinds_of(self.seller.id), kinds_before)
    self.assertNotIn(self.post.id, self.listed_ids('/api/posts?status=sold'))


class RenewTest(ExpiryTestCase):
  def test_renewing_an_expired_post_brings_it_back_on_top(self):
    seller, post = self.make_post_with_seller()
    newer = make_post()
    with self.expiry_clock(days=31):
      expire_posts()
    self.assertEqual(self.listed_ids(), [])
    with self.expiry_clock(days=32) as now:
      renewed = self.renew(post.id)['post']
    self.assertFalse(renewed['expired'])
    self.assertEqual(self.listed_ids()[0], post.id)
    self.assertNotIn(newer.id, self.listed_ids())
    row = self.reload_post(post.id)
    self.assertAlmostEqual((as_utc(row.expires_at) - now).total_seconds(), 30 * 86400, delta=2)
    self.assertEqual(as_utc(row.renewed_at), now)
    self.assertEqual(self.client.get('/api/users/me/expired-posts').get_json()['total'], 0)
    # Once a week: again the next day is refused, a week later allowed.
    with self.expiry_clock(days=33):
      self.assert_error(self.api('post', f'/api/posts/{post.id}/renew'), 409, 'conflict')
    with self.expiry_clock(days=39, minutes=1):
      self.renew(post.id)

  def test_who_and_what_may_be_renewed(self):
    seller, post = self.make_post_with_seller()
    path = f'/api/posts/{post.id}/renew'
    self.assert_error(self.api('post', path), 409, 'conflict')  # listed less than a week ago
    buyer, buyer_client = self.make_buyer()
    with self.expiry_clock(days=8):
      self.assert_error(self.api('post', path, client=buyer_client), 403, 'forbidden')
      self.assert_error(self.api('post', '/api/posts/999999/renew'), 404, 'not_found')
      self.assert_error(
        self.api('post', path, data='[]', content_type='application/json'), 400, 'bad_request'
      )
    self.assertEqual(self.api('delete', f'/api/posts/{post.id}').status_code, 204)
    with self.expiry_clock(days=8):
      self.assert_error(self.api('post', path), 409, 'conflict')


class ExpiringHoldAndQueueTest(ExpiryTestCase):
  def test_an_expiring_post_keeps_its_hold_and_queue_but_takes_no_new_dibs(self):
    hold = self.make_queue(buyers=2)
    with self.expiry_clock(days=31):
      self.assertEqual(expire_posts(), 1)
    self.assertEqual(self.hold_json(self.buyers[0])['status'], 'active')
    self.assertEqual(self.hold_row(hold['id']).status, 'active')
    newcomer = self.make_buyer()[1]
    response = self.api('post', f'/api/posts/{self.post.id}/dibs', client=newcomer)
    self.assert_error(response, 409, 'conflict')
    # The hold still lapses on its deadline and the next buyer's turn still comes.
    with self.clock(hours=49):
      self.assertEqual(lapse_overdue_holds(), 1)
    self.assertEqual(self.kinds_of(self.buyers[1].id)[-1], 'your_turn')
    self.assertEqual(self.api('post', f'/api/dibs/{self.dibs[1]["id"]}/accept').status_code, 200)
    # Renewed, it is listed and takes dibs again.
    with self.expiry_clock(days=32):
      self.renew(self.post.id)
    self.assertIn(self.post.id, self.listed_ids())
    self.call_dibs(self.post.id, newcomer)
