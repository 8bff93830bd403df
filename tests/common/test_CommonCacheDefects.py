"""The defects a review of the response cache found (issue 22), one test each, every one of
which failed on the cache before (per-process copies, one INCR generation in Redis, keys from
the raw query string), and the finer invalidation that replaced the one generation."""

import threading
import time
from unittest.mock import patch

import pytest
from sqlalchemy import text

from app import create_app
from app.common.CommonCache import CACHE_EXTENSION_KEY, build_store, clear_response_cache
from app.common.CommonCacheStores import (
  ENTRY_KEY_PREFIX,
  LayeredStore,
  LocalStore,
  token_reader,
)
from app.extensions import db
from app.posts.PostModels import Post
from tests.base import is_postgresql
from tests.common.test_CommonMetrics import sample
from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase, image_bytes
from tests.RedisServer import RedisServer


class CacheDefectsTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller(title='Desk lamp', category='furniture')
    self.path = f'/api/posts/{self.post.id}'

  def store(self):
    return self.app.extensions[CACHE_EXTENSION_KEY]

  def titles(self, response):
    return [item['title'] for item in response.get_json()['items']]

  def test_1_repeated_and_encoded_parameters_are_read_as_the_view_reads_them(self):
    for number in range(6):
      make_post(seller=self.seller, title=f'Lamp {number}')
    self.assertEqual(
      len(self.client.get('/api/posts?per_page=2&per_page=5').get_json()['items']), 2
    )
    self.assertEqual(
      len(self.client.get('/api/posts?per_page=5&per_page=2').get_json()['items']), 5
    )
    # A percent-encoded name is the same parameter: the same entry, served as a hit.
    first = self.client.get('/api/posts?per%5Fpage=3')
    self.assertEqual(len(first.get_json()['items']), 3)
    with self.count_queries() as queries:
      again = self.client.get('/api/posts?per_page=3')
    self.assertEqual(len(queries), 1)
    self.assertEqual(again.headers['ETag'], first.headers['ETag'])
    make_post(seller=self.seller, title='Oak desk')
    lamp = self.client.get('/api/search/posts?q=lamp&q=desk').get_json()['items']
    desk = self.client.get('/api/search/posts?q=desk&q=lamp').get_json()['items']
    self.assertNotEqual([item['title'] for item in lamp], [item['title'] for item in desk])
    self.assertIn('Oak desk', [item['title'] for item in desk])

  def test_2_a_script_name_never_reaches_anyone_elses_answer(self):
    self.assertEqual(self.upload(self.post.id, image_bytes()).status_code, 201)
    forged = self.client.get(self.path, environ_overrides={'SCRIPT_NAME': '//evil.example'})
    self.assertEqual(forged.status_code, 200)
    for client in (self.client, self.new_client()):
      body = client.get(self.path).get_data(as_text=True)
      self.assertIn('/api/images/', body)
      self.assertNotIn('evil.example', body)

  def test_3_a_writer_that_never_reads_is_seen_by_the_next_read(self):
    self.assertEqual(self.client.get(self.path).get_json()['post']['title'], 'Desk lamp')
    # A job worker or `manage.py` command: the ORM session, no request, no cache read.
    with create_app('testing').app_context():
      db.session.get(Post, self.post.id).title = 'Desk lamp, brass'
      db.session.commit()
    self.assertEqual(self.client.get(self.path).get_json()['post']['title'], 'Desk lamp, brass')

  def test_5_writes_outside_the_orm_are_seen_after_cache_clear_and_entries_end_in_time(self):
    self.client.get(self.path)
    with db.engine.begin() as connection:
      connection.execute(
        text("UPDATE posts SET title = 'Fixed by hand' WHERE id = :id"), {'id': self.post.id}
      )
    # The documented way: `manage.py cache clear` (fab deploy, migrate and restore run it).
    result = self.app.test_cli_runner().invoke(args=['cache', 'clear'])
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertEqual(self.client.get(self.path).get_json()['post']['title'], 'Fixed by hand')
    # And no entry outlives RESPONSE_CACHE_SECONDS, whatever happens.
    store = self.store()
    seconds = self.app.config['RESPONSE_CACHE_SECONDS']
    with self.count_queries() as queries:
      self.client.get(self.path)
    self.assertEqual(len(queries), 1)
    later = time.time() + seconds + 1
    with patch('app.common.CommonCacheStores.wall_clock', lambda: later):
      with self.count_queries() as queries:
        self.client.get(self.path)
    self.assertGreater(len(queries), 1)
    self.assertIsInstance(store, LocalStore)

  def test_6_two_processes_without_redis_never_serve_each_other_stale_answers(self):
    other_worker = create_app('testing')
    self.assertIsInstance(other_worker.extensions[CACHE_EXTENSION_KEY], LocalStore)
    reader = other_worker.test_client()
    self.assertEqual(reader.get(self.path).get_json()['post']['title'], 'Desk lamp')
    self.api('patch', self.path, json={'title': 'Desk lamp, green'})
    self.assertEqual(reader.get(self.path).get_json()['post']['title'], 'Desk lamp, green')
    # A login's own profile, cached by another worker, ends with its logout.
    cookie = self.client.get_cookie('session')
    reader.set_cookie('session', cookie.value)
    self.assertEqual(reader.get('/api/users/me').status_code, 200)
    self.assertEqual(reader.get('/api/users/me').status_code, 200)
    self.assertEqual(self.api('post', '/api/auth/logout').status_code, 204)
    self.assertEqual(reader.get('/api/users/me').status_code, 401)

  def test_7_unknown_parameters_add_no_entries(self):
    store = self.store()
    self.client.get('/api/posts?per_page=5')
    entries = len(store.entries)
    for number in range(200):
      with self.count_queries() as queries:
        answer = self.client.get(f'/api/posts?per_page=5&utm_source={number}')
      self.assertEqual(answer.status_code, 200)
      self.assertEqual(len(queries), 1)
    self.assertEqual(len(store.entries), entries)

  def test_8_a_304_on_a_miss_keeps_the_frame_headers_and_counts_as_304(self):
    etag = self.client.get(self.path).headers['ETag']
    clear_response_cache()
    labels = {'method': 'GET', 'endpoint': 'api.get_post', 'status': 304}
    before = sample(
      self.client.get('/metrics').get_data(as_text=True), 'dibz_http_requests_total', **labels
    )
    with self.count_queries() as queries:
      answer = self.client.get(self.path, headers={'If-None-Match': etag})
    self.assertGreater(len(queries), 1)
    self.assertEqual(answer.status_code, 304)
    self.assertEqual(answer.headers['X-Content-Type-Options'], 'nosniff')
    self.assertIn('Content-Security-Policy', answer.headers)
    after = sample(
      self.client.get('/metrics').get_data(as_text=True), 'dibz_http_requests_total', **labels
    )
    self.assertEqual(after - before, 1)

  def test_9_hits_and_misses_agree_on_conditional_head_and_vary(self):
    etag = self.client.get(self.path).headers['ETag']
    weak = f'W/{etag}'
    hit = self.client.get(self.path, headers={'If-None-Match': weak})
    clear_response_cache()
    miss = self.client.get(self.path, headers={'If-None-Match': weak})
    for answer in (hit, miss):
      self.assertEqual(answer.status_code, 304)
      self.assertNotIn('Content-Length', answer.headers)
      self.assertEqual(answer.headers['ETag'], etag)
      self.assertEqual(answer.headers['Vary'], 'Cookie')
    clear_response_cache()
    anonymous = self.new_client()
    head_miss = anonymous.head(self.path)
    head_hit = anonymous.head(self.path)
    get_hit = anonymous.get(self.path)
    for answer in (head_miss, head_hit, get_hit):
      self.assertEqual(answer.status_code, 200)
      self.assertEqual(answer.headers['ETag'], etag)
      self.assertEqual(answer.headers['Vary'], 'Cookie')
    self.assertEqual(head_hit.get_data(), b'')
    self.assertEqual(int(head_hit.headers['Content-Length']), len(get_hit.get_data()))

  def test_a_failed_token_read_leaves_the_answer_to_flask_and_the_connection_is_replaced(self):
    self.client.get(self.path)
    reader = token_reader(self.app)
    # Other threads read at the same time (their connections end with them: a database that
    # dropped every connection must not hand their dead ones to the next reads).
    together = threading.Barrier(3)

    def read_with_others():
      reader.read(['all'])
      together.wait(timeout=5)

    others = [threading.Thread(target=read_with_others) for _ in range(3)]
    for other in others:
      other.start()
    for other in others:
      other.join()
    if is_postgresql():
      # The front's connections die under it (a database restart, a failover).
      with db.engine.begin() as connection:
        connection.execute(
          text(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
            "WHERE datname = current_database() AND query LIKE 'EXECUTE dibz_cache_tokens%'"
          )
        )
    else:
      with db.engine.begin() as connection:
        connection.execute(text('ALTER TABLE cache_generations RENAME TO cache_generations_away'))
    self.assertIsNone(reader.read(['all']))
    if not is_postgresql():
      with db.engine.begin() as connection:
        connection.execute(text('ALTER TABLE cache_generations_away RENAME TO cache_generations'))
    answer = self.client.get(self.path)
    self.assertEqual(answer.status_code, 200)
    self.assertEqual(answer.get_json()['post']['title'], 'Desk lamp')
    # The next read is a hit again, on a working connection.
    with self.count_queries() as queries:
      self.assertEqual(self.client.get(self.path).status_code, 200)
    self.assertEqual(len(queries), 1, queries)

  def test_a_write_to_one_post_leaves_other_posts_and_categories_cached(self):
    other = make_post(seller=self.seller, title='Chemistry notes', category='textbooks')
    other_path = f'/api/posts/{other.id}'
    paths = [
      other_path,
      '/api/posts?category=textbooks',
      '/api/posts?category=furniture',
      '/api/posts',
    ]
    for path in paths:
      self.client.get(path)
    self.api('patch', self.path, json={'title': 'Desk lamp, red'})
    for path, hit in zip(paths, (True, True, False, False), strict=True):
      with self.count_queries() as queries:
        answer = self.client.get(path)
      self.assertEqual(answer.status_code, 200)
      self.assertEqual(len(queries) == 1, hit, (path, queries))
    furniture = self.client.get('/api/posts?category=furniture')
    self.assertEqual(self.titles(furniture), ['Desk lamp, red'])
    # A post moved to another category leaves the lists of both.
    self.api('patch', self.path, json={'category': 'textbooks'})
    self.assertEqual(self.titles(self.client.get('/api/posts?category=furniture')), [])
    self.assertIn('Desk lamp, red', self.titles(self.client.get('/api/posts?category=textbooks')))

  def test_a_dib_is_seen_on_its_post_and_a_sign_up_empties_nothing(self):
    _, buyer_client = self.make_buyer()
    before = self.client.get(self.path).get_json()['post']
    self.call_dibs(self.post.id, buyer_client)
    after = self.client.get(self.path).get_json()['post']
    self.assertNotEqual(before, after)
    make_user()
    with self.count_queries() as queries:
      self.client.get(self.path)
    self.assertEqual(len(queries), 1)


@pytest.mark.redis
class RedisCacheDefectsTest(PostTestCase):
  """3 and 4 on a real Redis, with the store production builds (each process's copies in
  front of Redis): a bump cannot be lost to a stalled Redis, nor undone by an evicted or
  restarted one (the generations live in the database)."""

  def setUp(self):
    super().setUp()
    self.redis = RedisServer().start()
    self.addCleanup(self.redis.stop)
    saved = self.app.extensions[CACHE_EXTENSION_KEY]
    self.addCleanup(self.app.extensions.__setitem__, CACHE_EXTENSION_KEY, saved)
    self.app.extensions[CACHE_EXTENSION_KEY] = self.production_store()
    self.seller, self.post = self.make_post_with_seller(title='Desk lamp')
    self.path = f'/api/posts/{self.post.id}'

  def production_store(self):
    config = {
      'RESPONSE_CACHE_ENABLED': True,
      'RESPONSE_CACHE_SECONDS': 60,
      'REDIS_URL': self.redis.url,
      'ENV_NAME': 'prod',
      'RESPONSE_CACHE_PROCESS_ENTRIES': 32768,
      'RESPONSE_CACHE_PROCESS_MB': 48,
    }
    store = build_store(type('App', (), {'config': config})())
    self.assertIsInstance(store, LayeredStore)
    return store

  def redis_gets(self):
    return self.redis.client().info('commandstats').get('cmdstat_get', {}).get('calls', 0)

  def other_worker(self):
    """Another process of another host: its own app, its own copies, the same Redis and
    database."""
    worker = create_app('testing')
    worker.extensions[CACHE_EXTENSION_KEY] = self.production_store()
    return worker.test_client()

  def title(self):
    return self.client.get(self.path).get_json()['post']['title']

  def test_entries_are_shared_and_expire(self):
    self.title()
    with self.count_queries() as queries:
      self.title()
    self.assertEqual(len(queries), 1)
    keys = self.redis.client().keys(ENTRY_KEY_PREFIX + '*')
    self.assertEqual(len(keys), 1)
    self.assertTrue(0 < self.redis.client().ttl(keys[0]) <= 60)

  def test_3_a_write_while_redis_stalls_is_seen_once_it_answers(self):
    self.title()
    self.redis.hang()
    try:
      self.api('patch', self.path, json={'title': 'Desk lamp, brass'})
      self.assertEqual(self.title(), 'Desk lamp, brass')
    finally:
      self.redis.resume()
    self.app.extensions[CACHE_EXTENSION_KEY].layers[-1].unavailable_until = 0.0
    for _ in range(3):
      self.assertEqual(self.title(), 'Desk lamp, brass')

  def test_4_an_evicted_or_restarted_redis_never_brings_an_old_answer_back(self):
    self.title()
    old_entries = {key: self.redis.client().get(key) for key in self.redis.client().keys('*')}
    self.redis.client().flushall()
    self.api('patch', self.path, json={'title': 'Desk lamp, green'})
    self.assertEqual(self.title(), 'Desk lamp, green')
    # A Redis restarted from an old snapshot holds the old entry again: it is never served.
    for key, value in old_entries.items():
      self.redis.client().set(key, value)
    for _ in range(3):
      self.assertEqual(self.title(), 'Desk lamp, green')

  def test_a_copy_in_another_process_is_never_served_after_a_write(self):
    reader = self.other_worker()
    self.assertEqual(reader.get(self.path).get_json()['post']['title'], 'Desk lamp')
    gets = self.redis_gets()
    self.assertEqual(reader.get(self.path).get_json()['post']['title'], 'Desk lamp')
    # The second read came from the reader's own copy: it asked Redis nothing.
    self.assertEqual(self.redis_gets(), gets)
    self.api('patch', self.path, json={'title': 'Desk lamp, green'})
    self.assertEqual(reader.get(self.path).get_json()['post']['title'], 'Desk lamp, green')
    # And while Redis hangs, the copies still answer only what the database's tokens allow.
    self.redis.hang()
    try:
      self.api('patch', self.path, json={'title': 'Desk lamp, blue'})
      self.assertEqual(reader.get(self.path).get_json()['post']['title'], 'Desk lamp, blue')
    finally:
      self.redis.resume()

  def test_a_copy_ends_when_the_entry_it_was_copied_from_ends(self):
    started = time.time()
    self.title()
    # This process forgets its copy (as a process that never read it would not have one)...
    self.app.extensions[CACHE_EXTENSION_KEY].layers[0].clear()
    # ...and 50 s later copies the entry from Redis; 11 s after that, the entry's 60 s are
    # over, and the copy ends with it instead of living 60 s of its own.
    with patch('app.common.CommonCacheStores.wall_clock', lambda: started + 50):
      with self.count_queries() as queries:
        self.title()
      self.assertEqual(len(queries), 1)
    with patch('app.common.CommonCacheStores.wall_clock', lambda: started + 61):
      with self.count_queries() as queries:
        self.title()
    self.assertGreater(len(queries), 1, queries)


class LocalStoreTest(PostTestCase):
  def test_copies_are_bounded_in_entries_and_bytes_oldest_out_first(self):
    store = LocalStore(60, max_entries=3, max_bytes=250)
    for key in 'abc':
      store.put(key, b'x' * 100)
    self.assertEqual([store.get(key) is not None for key in 'abc'], [False, True, True])
    self.assertEqual(store.size, 200)
    # A read makes an entry the most recent: `c`, not `b`, goes when a fourth entry comes.
    store.get('b')
    for key in 'de':
      store.put(key, b'y' * 10)
    self.assertEqual(list(store.entries), ['b', 'd', 'e'])
    self.assertEqual(store.size, 120)
    # Replacing an entry counts its new size only.
    store.put('b', b'z')
    self.assertEqual(store.size, 21)
    self.assertEqual(store.get('b'), b'z')
