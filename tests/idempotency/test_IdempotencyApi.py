"""Idempotency-Key on creating POSTs: replay, conflict, bad keys, expiry, scope, 5xx."""

import io
from datetime import timedelta
from unittest import mock

from sqlalchemy import update
from sqlalchemy.exc import OperationalError

from app.api import PostApi
from app.chat.ChatModels import Conversation, Message
from app.common.CommonHelpers import as_utc, utc_now
from app.extensions import db, limiter
from app.idempotency.IdempotencyModels import IdempotencyKey
from app.posts import PostHelpers
from app.posts.PostConstants import POST_CREATE_LIMIT
from app.posts.PostModels import Dib, Post, PostImage
from app.users.UserModels import User
from tests.factories import make_post, make_user
from tests.idempotency.IdempotencyTestCase import IdempotencyTestCase, new_key
from tests.posts.PostTestCase import image_bytes, post_payload

POST_CREATE_LIMIT_COUNT = int(POST_CREATE_LIMIT.split()[0])


class IdempotencyReplayTest(IdempotencyTestCase):
  def test_the_same_key_and_body_replays_the_first_post_and_creates_nothing_new(self):
    seller = make_user()
    self.login_as(seller)
    key = new_key()
    first = self.post_with_key('/api/posts', key, json=post_payload())
    self.assertEqual(first.status_code, 201, first.get_json())
    replay = self.post_with_key('/api/posts', key, json=post_payload())
    self.assert_replay_of(replay, first)
    self.assertEqual(self.count_rows(Post), 1)
    # A new key is a new action: a second post.
    other = self.post_with_key('/api/posts', new_key(), json=post_payload())
    self.assertEqual(other.status_code, 201)
    self.assertNotEqual(other.get_json()['post']['id'], first.get_json()['post']['id'])
    self.assertEqual(self.count_rows(Post), 2)

  def test_without_the_header_nothing_changes(self):
    self.login_as(make_user())
    for _ in range(2):
      self.assertEqual(self.api('post', '/api/posts', json=post_payload()).status_code, 201)
    self.assertEqual(self.count_rows(Post), 2)
    self.assertEqual(self.key_rows(), [])

  def test_dibs_conversations_and_messages_are_replayed(self):
    seller = make_user()
    post = make_post(seller=seller)
    buyer, buyer_client = self.make_buyer()
    for path, model in (
      (f'/api/posts/{post.id}/dibs', Dib),
      (f'/api/posts/{post.id}/conversations', Conversation),
    ):
      key = new_key()
      first = self.post_with_key(path, key, client=buyer_client)
      self.assertEqual(first.status_code, 201, first.get_json())
      self.assert_replay_of(self.post_with_key(path, key, client=buyer_client), first)
      self.assertEqual(self.count_rows(model), 1, path)
    conversation_id = (
      self.count_rows(Conversation) and db.session.execute(db.select(Conversation.id)).scalar_one()
    )
    path = f'/api/conversations/{conversation_id}/messages'
    key = new_key()
    first = self.post_with_key(path, key, client=buyer_client, json={'body': 'Still for sale?'})
    self.assertEqual(first.status_code, 201, first.get_json())
    replay = self.post_with_key(path, key, client=buyer_client, json={'body': 'Still for sale?'})
    self.assert_replay_of(replay, first)
    self.assertEqual(self.count_rows(Message), 1)

  def test_a_photo_sent_again_with_a_new_multipart_boundary_is_replayed(self):
    seller, post = self.make_post_with_seller()
    key = new_key()
    picture = image_bytes()
    first = self.post_with_key(
      f'/api/posts/{post.id}/images',
      key,
      data={'image': (io.BytesIO(picture), 'photo.jpg', 'image/jpeg')},
      content_type='multipart/form-data',
    )
    self.assertEqual(first.status_code, 201, first.get_json())
    replay = self.post_with_key(
      f'/api/posts/{post.id}/images',
      key,
      data={'image': (io.BytesIO(picture), 'photo.jpg', 'image/jpeg')},
      content_type='multipart/form-data',
    )
    self.assert_replay_of(replay, first)
    self.assertEqual(self.count_rows(PostImage), 1)
    # Another picture under the same key is another request.
    other = self.post_with_key(
      f'/api/posts/{post.id}/images',
      key,
      data={'image': (io.BytesIO(image_bytes(color=(1, 2, 3))), 'photo.jpg')},
      content_type='multipart/form-data',
    )
    self.assert_error(other, 422, 'idempotency_key_reused')
    self.assertEqual(self.count_rows(PostImage), 1)

  def test_multipart_parts_without_a_name_are_answered_not_a_500(self):
    # A bare `Content-Disposition: form-data` part has no name: Werkzeug gives it as None, and
    # the key's fingerprint once sorted None against the named parts (a TypeError, a 500).
    seller, post = self.make_post_with_seller()
    body = (
      b'--B\r\nContent-Disposition: form-data\r\n\r\nv1\r\n'
      b'--B\r\nContent-Disposition: form-data; name="a"\r\n\r\nv2\r\n'
      b'--B\r\nContent-Disposition: form-data; filename="f.jpg"\r\n\r\nzz\r\n'
      b'--B\r\nContent-Disposition: form-data; name="b"; filename="g.jpg"\r\n\r\nzz\r\n--B--\r\n'
    )
    answer = self.post_with_key(
      f'/api/posts/{post.id}/images',
      new_key(),
      data=body,
      content_type='multipart/form-data; boundary=B',
    )
    self.assertEqual(answer.status_code, 422, answer.get_json())
    self.assertEqual(self.count_rows(PostImage), 0)

  def test_an_error_answer_is_replayed_too(self):
    self.login_as(make_user())
    key = new_key()
    first = self.post_with_key('/api/posts', key, json=post_payload(price_cents=-1))
    self.assert_error(first, 422, 'validation_error', fields=['price_cents'])
    replay = self.post_with_key('/api/posts', key, json=post_payload(price_cents=-1))
    self.assertEqual(replay.status_code, 422)
    self.assertEqual(replay.headers['Idempotent-Replayed'], 'true')
    self.assertEqual(replay.get_json()['error']['fields'], first.get_json()['error']['fields'])
    self.assertEqual(self.count_rows(Post), 0)


class IdempotencyConflictTest(IdempotencyTestCase):
  def test_the_same_key_with_another_body_or_path_is_a_422(self):
    self.login_as(make_user())
    key = new_key()
    first = self.post_with_key('/api/posts', key, json=post_payload())
    self.assertEqual(first.status_code, 201)
    error = self.assert_error(
      self.post_with_key('/api/posts', key, json=post_payload(price_cents=100)),
      422,
      'idempotency_key_reused',
    )
    self.assertIn('Idempotency-Key', error['message'])
    post_id = first.get_json()['post']['id']
    self.assert_error(
      self.post_with_key(f'/api/posts/{post_id}/sold', key), 422, 'idempotency_key_reused'
    )
    self.assertEqual(self.count_rows(Post), 1)
    # The first answer is still there for the right request.
    self.assert_replay_of(self.post_with_key('/api/posts', key, json=post_payload()), first)

  def test_a_malformed_key_is_a_422_and_nothing_is_created(self):
    self.login_as(make_user())
    for key in ('', 'k' * 256, 'has space', 'caf\xe9', 'tab\there'):
      response = self.post_with_key('/api/posts', key, json=post_payload())
      self.assert_error(response, 422, 'idempotency_key_invalid')
    self.assertEqual(self.count_rows(Post), 0)
    self.assertEqual(self.key_rows(), [])
    longest = self.post_with_key('/api/posts', 'k' * 255, json=post_payload())
    self.assertEqual(longest.status_code, 201, longest.get_json())

  def test_a_key_whose_request_is_running_is_a_409_and_an_abandoned_one_runs_again(self):
    user = make_user()
    self.login_as(user)
    key = new_key()
    first = self.post_with_key('/api/posts', key, json=post_payload())
    self.assertEqual(first.status_code, 201)
    # Make the row look like a request that has not answered yet.
    db.session.execute(
      update(IdempotencyKey).values(
        response_status=None, response_body=None, completed_at=None, work_committed_at=None
      )
    )
    db.session.commit()
    running = self.post_with_key('/api/posts', key, json=post_payload())
    self.assert_error(running, 409, 'idempotency_request_in_progress')
    self.assertEqual(running.headers['Retry-After'], '1')
    # Its worker died long ago: the next request with the key runs.
    self.move_keys_back(timedelta(minutes=3))
    again = self.post_with_key('/api/posts', key, json=post_payload())
    self.assertEqual(again.status_code, 201)
    self.assertIsNone(again.headers.get('Idempotent-Replayed'))
    self.assertEqual(self.count_rows(Post), 2)

  def move_keys_back(self, delta):
    db.session.execute(update(IdempotencyKey).values(created_at=utc_now() - delta))
    db.session.commit()

  def test_work_committed_whose_answer_was_lost_is_never_done_again(self):
    self.login_as(make_user())
    key = new_key()
    # The worker dies between the view's commit and storing the answer.
    with mock.patch(
      'app.idempotency.IdempotencyHelpers.store_answer', side_effect=OperationalError('', {}, None)
    ):
      first = self.post_with_key('/api/posts', key, json=post_payload())
    self.assertEqual(first.status_code, 201)
    [claim] = self.key_rows()
    self.assertIsNone(claim.response_status)
    self.assertIsNotNone(claim.work_committed_at)
    running = self.post_with_key('/api/posts', key, json=post_payload())
    self.assert_error(running, 409, 'idempotency_request_in_progress')
    self.move_keys_back(timedelta(minutes=3))
    lost = self.post_with_key('/api/posts', key, json=post_payload())
    self.assert_error(lost, 409, 'idempotency_answer_lost')
    self.assertEqual(self.count_rows(Post), 1)
    # A request that commits nothing (a refusal) leaves no mark.
    other_key = new_key()
    with mock.patch(
      'app.idempotency.IdempotencyHelpers.store_answer', side_effect=OperationalError('', {}, None)
    ):
      refused = self.post_with_key('/api/posts', other_key, json=post_payload(price_cents=-1))
    self.assertEqual(refused.status_code, 422)
    self.assertIsNone(self.key_rows()[-1].work_committed_at)


class IdempotencyLifetimeTest(IdempotencyTestCase):
  def move_keys_back(self, delta):
    """Move the clock forward by `delta` for every key kept so far."""
    for row in self.key_rows():
      row.created_at = as_utc(row.created_at) - delta
    db.session.commit()

  def test_after_24_hours_the_key_is_new_again(self):
    self.login_as(make_user())
    key = new_key()
    first = self.post_with_key('/api/posts', key, json=post_payload())
    self.move_keys_back(timedelta(hours=23, minutes=59))
    self.assert_replay_of(self.post_with_key('/api/posts', key, json=post_payload()), first)
    self.move_keys_back(timedelta(minutes=2))
    later = self.post_with_key('/api/posts', key, json=post_payload(price_cents=100))
    self.assertEqual(later.status_code, 201, later.get_json())
    self.assertIsNone(later.headers.get('Idempotent-Replayed'))
    self.assertEqual(self.count_rows(Post), 2)
    self.assertEqual(len(self.key_rows()), 1)

  def test_housekeeping_deletes_the_keys_older_than_24_hours(self):
    self.login_as(make_user())
    old_key, young_key = new_key(), new_key()
    self.post_with_key('/api/posts', old_key, json=post_payload())
    self.move_keys_back(timedelta(hours=24, seconds=1))
    self.post_with_key('/api/posts', young_key, json=post_payload())
    result = self.app.test_cli_runner().invoke(
      args=['periodic', '--only', 'purge_expired_idempotency_keys']
    )
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertIn('purge_expired_idempotency_keys: ran in-process', result.output)
    self.assertEqual([row.idempotency_key for row in self.key_rows()], [young_key])


class IdempotencyScopeTest(IdempotencyTestCase):
  def test_keys_are_per_user(self):
    alice, bob = make_user('alice'), make_user('bob')
    alice_client, bob_client = self.logged_in_client(alice), self.logged_in_client(bob)
    key = new_key()
    alice_first = self.post_with_key('/api/posts', key, client=alice_client, json=post_payload())
    bob_first = self.post_with_key('/api/posts', key, client=bob_client, json=post_payload())
    self.assertEqual((alice_first.status_code, bob_first.status_code), (201, 201))
    self.assertIsNone(bob_first.headers.get('Idempotent-Replayed'))
    self.assertEqual(self.count_rows(Post, Post.seller_id == alice.id), 1)
    self.assertEqual(self.count_rows(Post, Post.seller_id == bob.id), 1)
    # Each one's retry gets their own answer; another session of the same user shares them.
    self.assert_replay_of(
      self.post_with_key('/api/posts', key, client=alice_client, json=post_payload()), alice_first
    )
    self.assert_replay_of(
      self.post_with_key('/api/posts', key, client=self.logged_in_client(bob), json=post_payload()),
      bob_first,
    )

  def test_a_sign_up_whose_answer_was_lost_is_replayed_and_logs_the_browser_in(self):
    self.csrf_token()
    token = self.csrf_token()
    anonymous_cookie = self.client.get_cookie('session').value
    key = new_key()
    body = {'username': 'sam', 'email': 'sam@example.edu', 'password': 'a long passphrase 1'}
    headers = {'X-CSRFToken': token, 'Idempotency-Key': key}
    first = self.client.post('/api/auth/signup', json=body, headers=headers)
    self.assertEqual(first.status_code, 201, first.get_json())
    # The answer (and its cookie) never reached the browser: it retries as it was before.
    self.client.set_cookie('session', anonymous_cookie)
    self.assertIsNone(self.client.get('/api/auth/session').get_json()['user'])
    replay = self.client.post('/api/auth/signup', json=body, headers=headers)
    self.assert_replay_of(replay, first)
    self.assertEqual(self.client.get('/api/auth/session').get_json()['user']['username'], 'sam')
    self.assertEqual(self.count_rows(User), 1)
    # Another browser with the same key signs up on its own (anonymous keys are per browser).
    stranger = self.new_client()
    other_body = {'username': 'kim', 'email': 'kim@example.edu', 'password': 'a long passphrase 2'}
    other = self.post_with_key('/api/auth/signup', key, client=stranger, json=other_body)
    self.assertEqual(other.status_code, 201, other.get_json())
    self.assertIsNone(other.headers.get('Idempotent-Replayed'))
    self.assertEqual(self.count_rows(User), 2)

  def test_a_stolen_anonymous_key_and_body_replay_nothing_elsewhere(self):
    key = new_key()
    body = {'username': 'sam', 'email': 'sam@example.edu', 'password': 'a long passphrase 1'}
    first = self.post_with_key('/api/auth/signup', key, json=body)
    self.assertEqual(first.status_code, 201)
    stranger = self.new_client()
    response = self.post_with_key('/api/auth/signup', key, client=stranger, json=body)
    self.assert_error(response, 409, 'conflict')
    self.assertIsNone(stranger.get('/api/auth/session').get_json()['user'])


class IdempotencyFailureTest(IdempotencyTestCase):
  def test_a_5xx_answer_is_not_stored_and_the_retry_runs_again(self):
    self.login_as(make_user())
    key = new_key()
    with mock.patch.object(PostHelpers, 'create_post', side_effect=RuntimeError('disk on fire')):
      failed = self.post_with_key('/api/posts', key, json=post_payload())
    self.assert_error(failed, 500, 'internal_error')
    self.assertEqual(self.key_rows(), [])
    retry = self.post_with_key('/api/posts', key, json=post_payload())
    self.assertEqual(retry.status_code, 201, retry.get_json())
    self.assertIsNone(retry.headers.get('Idempotent-Replayed'))
    self.assertEqual(self.count_rows(Post), 1)
    self.assert_replay_of(self.post_with_key('/api/posts', key, json=post_payload()), retry)

  def test_a_5xx_after_the_work_was_committed_is_kept_so_nothing_doubles(self):
    self.login_as(make_user())
    key = new_key()
    with mock.patch.object(PostApi, 'post_to_json', side_effect=RuntimeError('serializer bug')):
      failed = self.post_with_key('/api/posts', key, json=post_payload())
    self.assert_error(failed, 500, 'internal_error')
    self.assertEqual(self.count_rows(Post), 1)
    replay = self.post_with_key('/api/posts', key, json=post_payload())
    self.assertEqual(replay.status_code, 500)
    self.assertEqual(replay.headers['Idempotent-Replayed'], 'true')
    self.assertEqual(self.count_rows(Post), 1)

  def test_a_rate_limited_answer_is_not_stored(self):
    self.login_as(make_user())
    for _ in range(POST_CREATE_LIMIT_COUNT):
      self.assertEqual(self.api('post', '/api/posts', json=post_payload()).status_code, 201)
    key = new_key()
    limited = self.post_with_key('/api/posts', key, json=post_payload())
    self.assert_error(limited, 429, 'rate_limited')
    self.assertEqual(self.key_rows(), [])
    limiter.reset()
    later = self.post_with_key('/api/posts', key, json=post_payload())
    self.assertEqual(later.status_code, 201, later.get_json())
    self.assertEqual(self.count_rows(Post), POST_CREATE_LIMIT_COUNT + 1)
