"""Every cached view, against seeded data: a hit answers with exactly the headers of the miss
that stored it (200, 304, HEAD), and every table its SQL reads is watched by the write hook
(its model names the tags its writes bump: CommonCache)."""

import re

from app.common.CommonCache import clear_response_cache, watched_tables
from app.extensions import db
from tests.factories import make_campus, make_dib, make_post, make_user
from tests.posts.PostTestCase import PostTestCase, image_bytes

# Headers that differ between any two answers, cached or not.
PER_REQUEST_HEADERS = {'X-Request-ID', 'Date'}
# Tables the cache itself reads (its generations).
CACHE_TABLES = {'cache_generations'}


def tables_read(statements):
  names = [table for table in db.metadata.tables if table not in CACHE_TABLES]
  return {
    name
    for name in names
    for statement in statements
    if re.search(rf'\b{re.escape(name)}\b', statement)
  }


class CachedViewsTest(PostTestCase):
  def setUp(self):
    super().setUp()
    make_campus('north', domains=['north.example.edu'], spots=['Library steps'])
    self.seller, self.post = self.make_post_with_seller(title='Desk lamp', category='furniture')
    self.assertEqual(self.upload(self.post.id, image_bytes()).status_code, 201)
    make_dib(self.post, buyer=make_user())
    make_post(seller=self.seller, title='Lamp shade', category='furniture')
    # Three results for "lamp": a search with fewer tries a typo correction, which is never
    # stored (docs/CACHE.md).
    make_post(seller=self.seller, title='Floor lamp', category='furniture')
    self.urls = {
      'api.list_campuses': '/api/campuses',
      'api.get_campus': '/api/campuses/north',
      'api.list_posts': '/api/posts?category=furniture&per_page=5',
      'api.get_post': f'/api/posts/{self.post.id}',
      'api.list_user_posts': f'/api/users/{self.seller.username}/posts',
      'api.list_user_reviews': f'/api/users/{self.seller.username}/reviews',
      'api.search_posts': '/api/search/posts?q=lamp',
      'api.get_me': '/api/users/me',
      'api.get_user': f'/api/users/{self.seller.username}',
    }

  def cached_endpoints(self):
    return {
      endpoint
      for endpoint, view in self.app.view_functions.items()
      if getattr(view, 'cache_rule', None) is not None
    }

  def headers(self, answer):
    return {
      name: value for name, value in answer.headers.items() if name not in PER_REQUEST_HEADERS
    }

  def test_every_cached_view_is_covered_here(self):
    self.assertEqual(set(self.urls), self.cached_endpoints())

  def test_a_hit_has_the_headers_of_the_miss(self):
    for endpoint, url in self.urls.items():
      with self.subTest(endpoint):
        clear_response_cache()
        with self.count_queries() as queries:
          miss = self.client.get(url)
        self.assertGreater(len(queries), 1)
        with self.count_queries() as queries:
          hit = self.client.get(url)
        self.assertEqual(len(queries), 1)
        self.assertEqual(miss.status_code, 200)
        self.assertEqual(hit.get_data(), miss.get_data())
        self.assertEqual(self.headers(hit), self.headers(miss))
        condition = {'If-None-Match': miss.headers['ETag']}
        hit_304 = self.client.get(url, headers=condition)
        clear_response_cache()
        miss_304 = self.client.get(url, headers=condition)
        self.assertEqual((hit_304.status_code, miss_304.status_code), (304, 304))
        self.assertEqual(self.headers(hit_304), self.headers(miss_304))
        clear_response_cache()
        head_miss = self.client.head(url)
        head_hit = self.client.head(url)
        self.assertEqual(self.headers(head_hit), self.headers(head_miss))
        self.assertEqual(self.headers(head_hit), self.headers(miss))

  def test_every_table_a_cached_view_reads_is_watched(self):
    watched = watched_tables()
    for endpoint, url in self.urls.items():
      with self.subTest(endpoint):
        clear_response_cache()
        with self.count_queries() as queries:
          self.assertEqual(self.client.get(url).status_code, 200)
        read = tables_read(queries)
        self.assertTrue(read, queries)
        self.assertEqual(read - watched, set(), f'{endpoint} reads tables no write bumps')
