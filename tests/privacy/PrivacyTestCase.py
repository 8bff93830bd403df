"""What the privacy tests share: a student seeded in every table through the API, with others
who hold something about them (a buyer, a reporter, a moderator)."""

import io

from sqlalchemy import select

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostModels import PostImage
from tests import factories
from tests.base import ApiTestCase
from tests.posts.PostTestCase import image_bytes, post_payload

PASSWORD = factories.DEFAULT_PASSWORD


class PrivacyTestCase(ApiTestCase):
  def setUp(self):
    super().setUp()
    verified = {'email_verified_at': utc_now()}
    self.zelda = factories.make_user(
      'zelda_gone',
      email='zelda.quasimodo@example.edu',
      display_name='Zelda Quasimodo',
      bio='Zelda Quasimodo sells books.',
      legacy_campus='North Campus',
      **verified,
    )
    self.bob = factories.make_user('bob_buyer', display_name='Bob B', **verified)
    self.carl = factories.make_user('carl_reporter', **verified)
    self.mona = factories.make_user('mona_mod', role='moderator', **verified)
    self.clients = {}

  def client_of(self, user):
    if user.id not in self.clients:
      self.clients[user.id] = self.logged_in_client(user)
    return self.clients[user.id]

  def ok(self, response, status=200):
    self.assertEqual(response.status_code, status, response.get_data(as_text=True))
    return response.get_json()

  def seed_everywhere(self):
    """Zelda sells a post with a photo, Bob calls dibs on it and they chat; Zelda calls dibs
    on Bob's post (accepted, with an Idempotency-Key), watches it, saves a search, blocks
    Carl, reports Bob's post; Carl reports Zelda; a moderator warns her."""
    zelda, bob, carl = (
      self.client_of(self.zelda),
      self.client_of(self.bob),
      self.client_of(self.carl),
    )
    self.zelda_post = self.ok(
      self.api('post', '/api/posts', json=post_payload(), client=zelda), 201
    )['post']
    upload = self.api(
      'post',
      f'/api/posts/{self.zelda_post["id"]}/images',
      client=zelda,
      data={'image': (io.BytesIO(image_bytes()), 'photo.jpg', 'image/jpeg')},
      content_type='multipart/form-data',
    )
    self.ok(upload, 201)
    self.bob_post = self.ok(
      self.api('post', '/api/posts', json=post_payload(title='Road bike'), client=bob), 201
    )['post']
    self.ok(self.api('post', f'/api/posts/{self.zelda_post["id"]}/dibs', client=bob), 201)
    conversation = self.ok(
      self.api('post', f'/api/posts/{self.zelda_post["id"]}/conversations', client=bob), 201
    )['conversation']
    self.conversation_id = conversation['id']
    path = f'/api/conversations/{self.conversation_id}/messages'
    self.ok(self.api('post', path, json={'body': 'Is it still for sale?'}, client=bob), 201)
    self.ok(self.api('post', path, json={'body': 'Yes, come by at noon.'}, client=zelda), 201)
    dib = self.ok(self.api('post', f'/api/posts/{self.bob_post["id"]}/dibs', client=zelda), 201)[
      'dib'
    ]
    accepted = self.api(
      'post',
      f'/api/dibs/{dib["id"]}/accept',
      client=bob,
      headers={'Idempotency-Key': 'bob-accept-1'},
    )
    self.ok(accepted)
    self.ok(self.api('put', f'/api/posts/{self.bob_post["id"]}/watch', client=zelda))
    self.ok(self.api('post', '/api/users/me/saved-searches', json={'q': 'lamp'}, client=zelda), 201)
    self.ok(self.api('put', '/api/users/carl_reporter/block', client=zelda), 201)
    report = {'target_type': 'post', 'target_id': self.bob_post['id'], 'reason': 'spam'}
    self.ok(self.api('post', '/api/reports', json=report, client=zelda), 201)
    report = {'target_type': 'user', 'target_id': self.zelda.id, 'reason': 'harassment'}
    self.ok(self.api('post', '/api/reports', json=report, client=carl), 201)
    warning = {'reason': 'Be kind in chats.'}
    path = f'/api/moderation/users/{self.zelda.id}/warning'
    self.ok(self.api('post', path, json=warning, client=self.client_of(self.mona)))
    self.image_keys = [
      key
      for image in db.session.execute(select(PostImage)).scalars()
      for key in (image.storage_key, image.thumb_key)
    ]

  def seed_reviews(self):
    """Bob sells Zelda a lamp and each reviews the other (both published at once)."""
    zelda, bob = self.client_of(self.zelda), self.client_of(self.bob)
    lamp = self.ok(
      self.api('post', '/api/posts', json=post_payload(title='Desk lamp'), client=bob), 201
    )['post']
    dib = self.ok(self.api('post', f'/api/posts/{lamp["id"]}/dibs', client=zelda), 201)['dib']
    self.ok(self.api('post', f'/api/dibs/{dib["id"]}/accept', client=bob))
    self.ok(self.api('post', f'/api/posts/{lamp["id"]}/sold', client=bob))
    review = {'post_id': lamp['id'], 'stars': 4, 'text': 'Quick and kind.'}
    self.ok(self.api('post', '/api/users/bob_buyer/reviews', json=review, client=zelda), 201)
    review = {'post_id': lamp['id'], 'stars': 5, 'text': 'Paid on time.'}
    self.ok(self.api('post', '/api/users/zelda_gone/reviews', json=review, client=bob), 201)
