"""Keyset pages (`?after=`) beside `page`, and the list's total counted once per generation."""

from datetime import UTC, datetime

from app.common.CommonCache import clear_response_cache
from app.extensions import db
from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase

SAME_MOMENT = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class KeysetPagesTest(PostTestCase):
  def setUp(self):
    super().setUp()
    seller = make_user()
    prices = [500, 300, 500, 100, 300, 500, 700]
    self.posts = [make_post(seller=seller, price_cents=price) for price in prices]
    # Ties on every sort key: three posts share a moment, prices repeat.
    for post in self.posts[2:5]:
      post.created_at = SAME_MOMENT
    db.session.commit()

  def walk(self, query):
    """Every id of the list, following next_after three at a time."""
    ids, after = [], None
    for _ in range(10):
      cursor = f'&after={after}' if after else ''
      response = self.client.get(f'/api/posts?per_page=3{query}{cursor}')
      self.assertEqual(response.status_code, 200, response.get_json())
      body = response.get_json()
      self.assertEqual(body['total'], len(self.posts))
      ids += [item['id'] for item in body['items']]
      after = body['next_after']
      if after is None:
        return ids
    self.fail('next_after never ended')

  def paged(self, query):
    response = self.client.get(f'/api/posts?per_page=50{query}')
    return [item['id'] for item in response.get_json()['items']]

  def test_the_cursor_walks_each_sort_like_the_pages_with_ties(self):
    for query in ('', '&sort=newest', '&sort=price_asc', '&sort=price_desc'):
      with self.subTest(query=query):
        walked = self.walk(query)
        self.assertEqual(walked, self.paged(query))
        self.assertEqual(sorted(walked), sorted(post.id for post in self.posts))

  def test_the_last_page_has_no_next_cursor(self):
    body = self.client.get('/api/posts?per_page=50').get_json()
    self.assertIsNone(body['next_after'])
    body = self.client.get('/api/posts?per_page=2').get_json()
    self.assertEqual(body['next_after'], body['items'][-1]['id'])

  def test_bad_cursors_are_422(self):
    self.assert_error(self.client.get('/api/posts?after=abc'), 422, 'validation_error', ['after'])
    self.assert_error(self.client.get('/api/posts?after=0'), 422, 'validation_error', ['after'])
    missing = self.client.get('/api/posts?after=999999')
    self.assert_error(missing, 422, 'validation_error', ['after'])
    both = self.client.get(f'/api/posts?after={self.posts[3].id}&page=2')
    self.assert_error(both, 422, 'validation_error', ['page'])

  def test_a_users_posts_take_the_cursor_too(self):
    seller = self.posts[0].seller_id
    username = db.session.get(type(self.posts[0]).seller.property.mapper.class_, seller).username
    first = self.client.get(f'/api/users/{username}/posts?per_page=4').get_json()
    rest = self.client.get(
      f'/api/users/{username}/posts?per_page=4&after={first["next_after"]}'
    ).get_json()
    ids = [item['id'] for item in first['items'] + rest['items']]
    self.assertEqual(ids, self.paged(''))

  def test_the_total_is_counted_once_per_generation(self):
    clear_response_cache()
    with self.count_queries() as first:
      self.client.get('/api/posts?per_page=2')
    with self.count_queries() as second:
      self.client.get(f'/api/posts?per_page=2&after={self.posts[-1].id}')
    self.assertEqual(sum('count(*)' in statement.lower() for statement in first), 1)
    self.assertEqual(sum('count(*)' in statement.lower() for statement in second), 0, second)
    make_post(seller=make_user())
    body = self.client.get(f'/api/posts?per_page=2&after={self.posts[-1].id}').get_json()
    self.assertEqual(body['total'], len(self.posts) + 1)
