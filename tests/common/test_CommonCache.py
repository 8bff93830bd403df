"""The cache of public reads: a hit costs one query (its tags' tokens), one body for everyone,
ETag and 304, errors never stored, Redis shared between processes, and Redis down or absent
costs only the cache. The defects of issue 22 have their own tests (test_CommonCacheDefects)."""

from contextlib import ExitStack
from datetime import timedelta
from types import SimpleNamespace
from unittest.mock import patch

from sqlalchemy import select, text, update

from app.common.CommonCache import build_store, cached_value
from app.common.CommonCacheStores import LocalStore
from app.common.CommonHelpers import as_utc, utc_now
from app.common.CommonModels import SentMail
from app.extensions import db
from app.posts.PostModels import Post
from app.users.UserModels import UserSession
from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase


class CachedReadsTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller()

  def test_a_repeated_read_runs_one_query_its_tokens(self):
    first = self.client.get('/api/posts?per_page=5')
    with self.count_queries() as queries:
      second = self.client.get('/api/posts?per_page=5')
    self.assertEqual(len(queries), 1, queries)
    self.assertIn('cache_generations', queries[0])
    self.assertEqual(first.get_data(), second.get_data())

  def test_logged_in_and_anonymous_readers_get_one_body_and_etag(self):
    logged_in = self.client.get(f'/api/posts/{self.post.id}')
    anonymous = self.new_client().get(f'/api/posts/{self.post.id}')
    self.assertEqual(logged_in.get_data(), anonymous.get_data())
    self.assertTrue(logged_in.headers['ETag'])
    self.assertEqual(logged_in.headers['ETag'], anonymous.headers['ETag'])
    self.assertEqual(anonymous.headers['Cache-Control'], 'no-cache')

  def test_if_none_match_answers_304_until_the_post_changes(self):
    path = f'/api/posts/{self.post.id}'
    etag = self.client.get(path).headers['ETag']
    unchanged = self.client.get(path, headers={'If-None-Match': etag})
    self.assertEqual(unchanged.status_code, 304)
    self.assertEqual(unchanged.get_data(), b'')
    self.assertEqual(unchanged.headers['ETag'], etag)
    self.api('patch', path, json={'title': 'A new title'})
    changed = self.client.get(path, headers={'If-None-Match': etag})
    self.assertEqual(changed.status_code, 200)
    self.assertEqual(changed.get_json()['post']['title'], 'A new title')
    self.assertNotEqual(changed.headers['ETag'], etag)

  def test_the_query_order_does_not_split_the_cache(self):
    first = self.client.get('/api/posts?per_page=5&sort=newest')
    with self.count_queries() as queries:
      second = self.client.get('/api/posts?sort=newest&per_page=5')
    self.assertEqual(len(queries), 1)
    self.assertEqual(first.headers['ETag'], second.headers['ETag'])

  def test_errors_are_not_cached(self):
    self.assert_error(self.client.get('/api/posts?per_page=0'), 422, 'validation_error')
    with self.count_queries():
      again = self.client.get('/api/posts?per_page=0')
    self.assertNotIn('ETag', again.headers)
    self.assert_error(again, 422, 'validation_error')
    self.assertEqual(self.client.get('/api/posts/999999').status_code, 404)
    make_post(seller=self.seller)
    self.assertEqual(self.client.get('/api/posts/999999').status_code, 404)

  def test_the_front_answers_with_the_frame_headers(self):
    self.client.get(f'/api/posts/{self.post.id}')
    with self.assertLogs('app.request', level='INFO') as logs:
      hit = self.client.get(f'/api/posts/{self.post.id}', headers={'X-Request-ID': 'abc-123'})
    self.assertEqual(hit.headers['X-Request-ID'], 'abc-123')
    self.assertEqual(hit.headers['X-Content-Type-Options'], 'nosniff')
    self.assertIn("frame-ancestors 'none'", hit.headers['Content-Security-Policy'])
    self.assertEqual(logs.records[0].request_id, 'abc-123')
    self.assertEqual(logs.records[0].status, 200)
    health = self.client.get('/api/health')
    self.assertEqual(health.get_json(), {'status': 'ok'})
    self.assertEqual(len(health.headers['X-Request-ID']), 32)

  def test_answers_of_the_front_are_counted_in_metrics(self):
    from tests.common.test_CommonMetrics import sample

    labels = {'method': 'GET', 'endpoint': 'api.get_post', 'status': 200}
    before = self.client.get('/metrics').get_data(as_text=True)
    for _ in range(3):
      self.assertEqual(self.client.get(f'/api/posts/{self.post.id}').status_code, 200)
    after = self.client.get('/metrics').get_data(as_text=True)
    name = 'dibz_http_requests_total'
    self.assertEqual(sample(after, name, **labels) - sample(before, name, **labels), 3)


class CachedPrivateReadTest(PostTestCase):
  """My profile, cached per login session: every change to me, my sessions or my
  notifications is seen by the next read, and no answer outlives its session's time."""

  def setUp(self):
    super().setUp()
    self.user = make_user(username='carol')
    self.login_as(self.user)

  def me(self, client=None):
    return (client or self.client).get('/api/users/me')

  def session_row(self):
    """Carol's UserSession row (she has one login unless a test adds another)."""
    statement = select(UserSession).where(UserSession.user_id == self.user.id)
    return db.session.execute(statement.order_by(UserSession.id)).scalars().first()

  def later(self, seconds):
    """Move the clock of the sessions and of the cache `seconds` ahead, for a `with`."""
    now = utc_now() + timedelta(seconds=seconds)
    stack = ExitStack()
    stack.enter_context(patch('app.users.UserSessionHelpers.utc_now', lambda: now))
    stack.enter_context(patch('app.common.CommonCacheStores.wall_clock', now.timestamp))
    return stack

  def test_my_profile_is_cached_per_session_with_one_query(self):
    first = self.me()
    with self.count_queries() as queries:
      second = self.me()
    self.assertEqual(len(queries), 1, queries)
    self.assertEqual(first.get_data(), second.get_data())
    self.assertEqual(second.headers['Cache-Control'], 'private, no-cache')
    self.assertEqual(second.headers['Vary'], 'Cookie')
    self.assertEqual(second.get_json()['user']['email'], 'carol@example.edu')
    unchanged = self.client.get('/api/users/me', headers={'If-None-Match': second.headers['ETag']})
    self.assertEqual(unchanged.status_code, 304)
    self.assertEqual(self.me(self.new_client()).status_code, 401)
    other = self.new_client()
    self.login_as(make_user(username='dave'), client=other)
    self.assertEqual(self.me(other).get_json()['user']['username'], 'dave')
    self.assertEqual(self.me().get_json()['user']['username'], 'carol')

  def test_a_profile_edit_is_seen_by_the_next_read(self):
    self.assertEqual(self.me().get_json()['user']['bio'], '')
    self.api('patch', '/api/users/me', json={'bio': 'Selling books.'})
    self.assertEqual(self.me().get_json()['user']['bio'], 'Selling books.')

  def test_email_settings_are_seen_by_the_next_read(self):
    self.assertTrue(self.me().get_json()['user']['notification_settings']['new_message'])
    settings = {'notification_settings': {'new_message': False}}
    self.assertEqual(self.api('patch', '/api/users/me', json=settings).status_code, 200)
    self.assertFalse(self.me().get_json()['user']['notification_settings']['new_message'])

  def test_a_new_notification_and_reading_it_are_seen_by_the_next_read(self):
    post = make_post(seller=self.user)
    self.assertEqual(self.me().get_json()['user']['unread_notifications'], 0)
    _, buyer_client = self.make_buyer()
    self.call_dibs(post.id, buyer_client)
    self.assertEqual(self.me().get_json()['user']['unread_notifications'], 1)
    newest = self.client.get('/api/notifications').get_json()['items'][0]['id']
    self.assertEqual(
      self.api('post', '/api/notifications/read', json={'up_to': newest}).status_code, 200
    )
    self.assertEqual(self.me().get_json()['user']['unread_notifications'], 0)

  def test_a_password_change_ends_the_other_sessions_at_once(self):
    other = self.new_client()
    self.login_as(self.user, client=other)
    self.assertEqual(self.me(other).status_code, 200)
    self.assertEqual(self.me(other).status_code, 200)
    change = {'current_password': 'correct horse battery', 'new_password': 'a new long passphrase'}
    self.assertEqual(self.api('put', '/api/users/me/password', json=change).status_code, 204)
    self.assertEqual(self.me(other).status_code, 401)
    self.assertEqual(self.me().status_code, 200)

  def test_a_revoked_session_gets_401_at_once(self):
    other = self.new_client()
    self.login_as(self.user, client=other)
    self.assertEqual(self.me(other).status_code, 200)
    self.assertEqual(self.me(other).status_code, 200)
    sessions = self.client.get('/api/auth/sessions').get_json()['items']
    other_id = next(each['id'] for each in sessions if not each['current'])
    self.assertEqual(self.api('delete', f'/api/auth/sessions/{other_id}').status_code, 204)
    self.assert_error(self.me(other), 401, 'unauthorized')
    self.assertEqual(self.me().status_code, 200)

  def test_a_forged_or_logged_out_cookie_gets_no_cached_answer(self):
    self.me()
    forged = self.new_client()
    forged.set_cookie('session', 'eyJfdXNlcl9pZCI6IjEifQ.forged.signature')
    self.assertEqual(self.me(forged).status_code, 401)
    self.api('post', '/api/auth/logout')
    self.assertEqual(self.me().status_code, 401)

  def test_the_answer_ends_when_the_session_is_due_a_touch(self):
    self.me()
    touch = self.app.config['SESSION_TOUCH_INTERVAL_SECONDS']
    with self.later(touch - 5), self.count_queries() as queries:
      self.assertEqual(self.me().status_code, 200)
    self.assertEqual(len(queries), 1)
    before = as_utc(self.session_row().last_seen_at)
    with self.later(touch + 5):
      with self.count_queries() as queries:
        self.assertEqual(self.me().status_code, 200)
      self.assertGreater(len(queries), 1)
      db.session.expire_all()
      self.assertGreater(as_utc(self.session_row().last_seen_at), before)
      # Touched again: cached again, until the next touch is due.
      with self.count_queries() as queries:
        self.assertEqual(self.me().status_code, 200)
      self.assertEqual(len(queries), 1)

  def test_an_idle_session_ends_on_time_though_its_answer_was_cached(self):
    self.assertEqual(self.me().status_code, 200)
    idle = self.app.config['SESSION_IDLE_TIMEOUT_SECONDS']
    with self.later(idle + 60):
      self.assert_error(self.me(), 401, 'unauthorized')

  def test_a_session_ends_at_its_absolute_age_though_it_was_just_touched(self):
    row = self.session_row()
    max_age = self.app.config['SESSION_MAX_AGE_SECONDS']
    row.created_at = utc_now() - timedelta(seconds=max_age - 10)
    db.session.commit()
    self.assertEqual(self.me().status_code, 200)
    with self.later(5), self.count_queries() as queries:
      self.assertEqual(self.me().status_code, 200)
    self.assertEqual(len(queries), 1)
    with self.later(20):
      self.assert_error(self.me(), 401, 'unauthorized')

  def test_a_touch_empties_no_cache(self):
    post_path = f'/api/posts/{make_post(seller=self.user).id}'
    reader = self.new_client()
    self.login_as(make_user(username='erin'), client=reader)
    self.me(reader)
    reader.get(post_path)
    # Carol's session is due a touch: her next request writes its last-seen time.
    stale = utc_now() - timedelta(seconds=self.app.config['SESSION_TOUCH_INTERVAL_SECONDS'] + 60)
    db.session.execute(
      text('UPDATE user_sessions SET last_seen_at = :stale WHERE user_id = :user_id'),
      {'stale': stale, 'user_id': self.user.id},
    )
    db.session.commit()
    self.assertEqual(self.client.get('/api/auth/sessions').status_code, 200)
    db.session.expire_all()
    self.assertGreater(as_utc(self.session_row().last_seen_at), stale)
    with self.count_queries() as queries:
      self.assertEqual(self.me(reader).get_json()['user']['username'], 'erin')
      self.assertEqual(reader.get(post_path).status_code, 200)
    # Two hits: each reads its tokens, nothing else.
    self.assertEqual(len(queries), 2, queries)


def counter():
  """A compute function that answers how many times it has been called."""
  calls = []

  def compute():
    calls.append(1)
    return len(calls)

  return compute


class CachedValueTest(PostTestCase):
  def test_a_value_is_computed_once_per_generation_of_its_tags(self):
    compute = counter()
    with self.app.test_request_context():
      self.assertEqual(cached_value('answer', ('lists',), compute), 1)
      self.assertEqual(cached_value('answer', ('lists',), compute), 1)
      db.session.commit()
      make_post()
      self.assertEqual(cached_value('answer', ('lists',), compute), 2)
      # A sign-up shows nowhere yet; a change to a user may show everywhere (ALL_TAG).
      user = make_user()
      self.assertEqual(cached_value('answer', ('lists',), compute), 2)
      user.display_name = 'Renamed'
      db.session.commit()
      self.assertEqual(cached_value('answer', ('lists',), compute), 3)

  def test_a_bulk_write_bumps_all_on_a_watched_table_only(self):
    compute = counter()
    with self.app.test_request_context():
      self.assertEqual(cached_value('answer', ('lists',), compute), 1)
      # A sent mail's claim: no cached answer reads that table.
      db.session.add(SentMail(mail_key='bulk-test'))
      db.session.commit()
      db.session.execute(update(SentMail).values(sent_at=utc_now()))
      db.session.commit()
      self.assertEqual(cached_value('answer', ('lists',), compute), 1)
      # Posts are read by lists: a bulk UPDATE of them bumps every tag.
      db.session.execute(update(Post).values(condition='good'))
      db.session.commit()
      self.assertEqual(cached_value('answer', ('lists',), compute), 2)


class StoreChoiceTest(PostTestCase):
  def app_like(self, env_name, redis_url=None, enabled=True):
    config = {
      'ENV_NAME': env_name,
      'REDIS_URL': redis_url,
      'RESPONSE_CACHE_ENABLED': enabled,
      'RESPONSE_CACHE_SECONDS': 60,
      'RESPONSE_CACHE_PROCESS_ENTRIES': 32768,
      'RESPONSE_CACHE_PROCESS_MB': 48,
    }
    return SimpleNamespace(config=config)

  def test_entries_in_the_process_only_in_local_and_testing(self):
    self.assertIsInstance(build_store(self.app_like('local')), LocalStore)
    self.assertIsInstance(build_store(self.app_like('testing')), LocalStore)
    # Several gunicorn workers would each keep their own copies: no cache without Redis.
    self.assertIsNone(build_store(self.app_like('prod')))
    self.assertIsNone(build_store(self.app_like('staging')))
    self.assertIsNone(build_store(self.app_like('local', enabled=False)))
