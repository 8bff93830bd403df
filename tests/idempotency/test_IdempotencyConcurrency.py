"""Two requests with the same Idempotency-Key at once: one runs, the others are told it is
running (409) or get its answer; never two rows.

PostgreSQL only: the claim rests on its unique index under real concurrent transactions.
SQLite allows one writer per file, so it would serialize the race and prove nothing.
"""

import time
from unittest import mock

from app.posts import PostHelpers
from app.posts.PostModels import Dib, Post
from tests.base import is_postgresql
from tests.factories import make_post, make_user
from tests.idempotency.IdempotencyTestCase import IdempotencyTestCase, new_key
from tests.posts.PostTestCase import post_payload
from tests.RaceHelpers import race_in_threads

SKIP_REASON = (
  'Concurrent duplicates are raced on PostgreSQL only: SQLite serializes writers, so threads '
  'cannot race there. Run with TEST_DATABASE_URL=postgresql://... to include it.'
)
RACERS = 5


class IdempotencyConcurrencyTest(IdempotencyTestCase):
  def setUp(self):
    super().setUp()
    if not is_postgresql():
      print(f'\nSKIPPED {self.id()}: {SKIP_REASON}')
      self.skipTest(SKIP_REASON)

  race = staticmethod(race_in_threads)

  def prepared_post(self, client, path, key, **kwargs):
    """A POST ready to fire from a thread: the CSRF token is fetched beforehand."""
    headers = {'X-CSRFToken': self.csrf_token(client), 'Idempotency-Key': key}
    return lambda: client.post(path, headers=headers, **kwargs)

  def assert_one_ran(self, responses, created_status=201):
    """One answer is the first; every other is that answer replayed, or a 409 in progress."""
    firsts = [
      response
      for response in responses
      if response.status_code == created_status
      and response.headers.get('Idempotent-Replayed') is None
    ]
    self.assertEqual(len(firsts), 1, [response.get_data(as_text=True) for response in responses])
    for response in responses:
      if response.status_code == 409:
        self.assert_error(response, 409, 'idempotency_request_in_progress')
      else:
        self.assertEqual(response.status_code, created_status, response.get_data(as_text=True))
        self.assertEqual(response.get_json(), firsts[0].get_json())
    return firsts[0]

  def test_the_same_post_sent_at_once_is_created_once(self):
    seller = make_user()
    clients = [self.logged_in_client(seller) for _ in range(RACERS)]
    key = new_key()
    real_create_post = PostHelpers.create_post

    def slow_create_post(*args, **kwargs):
      # Hold the first request in its view, so the others find its key claimed.
      time.sleep(1.0)
      return real_create_post(*args, **kwargs)

    with mock.patch.object(PostHelpers, 'create_post', side_effect=slow_create_post):
      responses = self.race(
        [self.prepared_post(client, '/api/posts', key, json=post_payload()) for client in clients]
      )
    first = self.assert_one_ran(responses)
    self.assertIn(409, [response.status_code for response in responses])
    self.assertEqual(self.count_rows(Post), 1)
    # Once it answered, the retry of a client that got 409 gets the answer.
    retry = self.post_with_key('/api/posts', key, client=clients[0], json=post_payload())
    self.assert_replay_of(retry, first)

  def test_the_same_dib_sent_at_once_is_called_once(self):
    buyer = make_user()
    clients = [self.logged_in_client(buyer) for _ in range(RACERS)]
    for _ in range(3):
      post = make_post()
      key = new_key()
      responses = self.race(
        [self.prepared_post(client, f'/api/posts/{post.id}/dibs', key) for client in clients]
      )
      self.assert_one_ran(responses)
      self.assertEqual(self.count_rows(Dib, Dib.post_id == post.id), 1)
