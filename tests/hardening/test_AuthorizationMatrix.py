"""The authorization matrix: every state-changing endpoint as anonymous, another user, the
owner of the resource and an admin, each with the status it must get. A row whose route is
gone fails: removing an endpoint means removing its rows.
"""

import base64
import itertools
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.campuses.CampusModels import PickupSpot
from app.common.CommonHelpers import utc_now
from app.extensions import db, limiter
from app.posts.PostHoldModels import Meetup
from app.posts.PostModels import Post
from app.users.UserModels import User
from tests import factories
from tests.base import empty_all_tables, get_test_app
from tests.hardening.HardeningHelpers import example_url

ANONYMOUS, STRANGER, OWNER, ADMIN = 'anonymous', 'stranger', 'owner', 'admin'
ACTORS = (ANONYMOUS, STRANGER, OWNER, ADMIN)
NEW_PASSWORD = 'another long password'
# A valid 1x1 PNG.
PNG_BYTES = base64.b64decode(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
)
_UNIQUE = itertools.count(1)


class World:
  """A seller with a post, a buyer, a stranger and an admin, each with a logged-in client."""

  def __init__(self, app):
    self.app = app
    with app.app_context():
      empty_all_tables()
      self.users = {
        'seller': factories.make_user('seller'),
        'buyer': factories.make_user('buyer'),
        STRANGER: factories.make_user('stranger'),
        ADMIN: factories.make_user('moderator', admin=True),
      }
      self.emails = {name: user.email for name, user in self.users.items()}
      self.post_id = factories.make_post(self.users['seller'], title='A desk lamp').id
    self.clients = {}

  def client(self, name):
    """A logged-in client for a named user (cached), or a fresh anonymous one."""
    if name == ANONYMOUS:
      return self.app.test_client()
    if name not in self.clients:
      client = self.app.test_client()
      response = self.send(
        client,
        'post',
        '/api/auth/login',
        json={'email': self.emails[name], 'password': factories.DEFAULT_PASSWORD},
      )
      assert response.status_code == 200, response.get_json()
      self.clients[name] = client
    return self.clients[name]

  def send(self, client, method, url, **kwargs):
    """A request with the client's CSRF token, as the SPA sends it."""
    token = client.get('/api/auth/csrf').get_json()['csrf_token']
    headers = {'X-CSRFToken': token, **kwargs.pop('headers', {})}
    return getattr(client, method)(url, headers=headers, **kwargs)

  def as_user(self, name, method, url, expected=None, **kwargs):
    """Send as a named user; with `expected`, check the status (setup steps)."""
    response = self.send(self.client(name), method, url, **kwargs)
    if expected is not None:
      assert response.status_code == expected, (method, url, response.get_json())
    return response

  def user_id(self, name):
    """The id of a named user."""
    with self.app.app_context():
      return db.session.execute(select(User.id).where(User.email == self.emails[name])).scalar_one()

  def dib_id(self):
    """A waiting dib of the buyer on the seller's post."""
    response = self.as_user('buyer', 'post', f'/api/posts/{self.post_id}/dibs', 201)
    return response.get_json()['dib']['id']

  def image_id(self):
    """A photo of the seller's post."""
    response = self.as_user(
      'seller', 'post', f'/api/posts/{self.post_id}/images', 201, data=image_upload()
    )
    return response.get_json()['image']['id']

  def session_id(self, name):
    """The row id of a fresh login session of a named user (on a client of its own)."""
    client = self.app.test_client()
    login = {'email': self.emails[name], 'password': factories.DEFAULT_PASSWORD}
    response = self.send(client, 'post', '/api/auth/login', json=login)
    assert response.status_code == 200, response.get_json()
    sessions = client.get('/api/auth/sessions').get_json()['items']
    return next(item['id'] for item in sessions if item['current'])

  def conversation_id(self):
    """The buyer's conversation with the seller about the post."""
    response = self.as_user('buyer', 'post', f'/api/posts/{self.post_id}/conversations')
    assert response.status_code in (200, 201), response.get_json()
    return response.get_json()['conversation']['id']

  def hold_id(self):
    """The hold of the buyer's accepted dib on the seller's post."""
    dib_id = self.dib_id()
    self.as_user('seller', 'post', f'/api/dibs/{dib_id}/accept', 200)
    response = self.as_user('seller', 'get', f'/api/posts/{self.post_id}/hold', 200)
    return response.get_json()['hold']['id']

  def meetup_id(self, hold_id, proposer='seller'):
    """A meet-up proposed in an hour on the hold."""
    body = {'meet_at': iso_in(3600), 'place': 'Library steps'}
    response = self.as_user(proposer, 'post', f'/api/holds/{hold_id}/meetups', 201, json=body)
    return response.get_json()['hold']['meetup']['id']

  def missed_meetup_hold_id(self):
    """A hold whose confirmed meet-up time has passed."""
    hold_id = self.hold_id()
    meetup_id = self.meetup_id(hold_id)
    self.as_user('buyer', 'post', f'/api/meetups/{meetup_id}/confirm', 200)
    with self.app.app_context():
      db.session.execute(
        db.update(Meetup)
        .where(Meetup.id == meetup_id)
        .values(meet_at=utc_now() - timedelta(minutes=1))
      )
      db.session.commit()
    return hold_id

  def renewable_post_id(self):
    """The seller's post, listed over a week ago (so it may be renewed)."""
    with self.app.app_context():
      db.session.execute(
        db.update(Post)
        .where(Post.id == self.post_id)
        .values(created_at=utc_now() - timedelta(days=8))
      )
      db.session.commit()
    return self.post_id

  def saved_search_id(self):
    """A saved search of the buyer."""
    response = self.as_user(
      'buyer', 'post', '/api/users/me/saved-searches', 201, json={'q': 'desk lamp'}
    )
    return response.get_json()['saved_search']['id']

  def notification_id(self):
    """The seller's notification of the buyer's dib."""
    self.dib_id()
    response = self.as_user('seller', 'get', '/api/notifications', 200)
    return response.get_json()['items'][0]['id']


def iso_in(seconds):
  return (utc_now() + timedelta(seconds=seconds)).strftime('%Y-%m-%dT%H:%M:%SZ')


def image_upload():
  from io import BytesIO

  return {'image': (BytesIO(PNG_BYTES), 'lamp.png', 'image/png')}


def unique_signup(world, actor):
  number = next(_UNIQUE)
  return {
    'json': {
      'email': f'new{number}@example.edu',
      'username': f'newcomer{number}',
      'password': factories.DEFAULT_PASSWORD,
    }
  }


def post_body():
  return {
    'title': 'A bike',
    'description': 'Blue, with lights.',
    'price_cents': 5000,
    'category': 'bikes',
    'condition': 'good',
  }


def verify_everyone(world):
  """Mark every user of the world verified (reports need a verified address)."""
  with world.app.app_context():
    db.session.execute(
      update(User)
      .where(User.email.in_(list(world.emails.values())))
      .values(email_verified_at=utc_now())
    )
    db.session.commit()


def suspended_buyer_id(world):
  """The buyer's id, suspended by the admin."""
  user_id = world.user_id('buyer')
  body = {'days': 3, 'reason': 'Spam.'}
  world.as_user(ADMIN, 'post', f'/api/moderation/users/{user_id}/suspension', 200, json=body)
  return user_id


def reported_post(world):
  """The seller's post, reported by the buyer (everyone verified)."""
  verify_everyone(world)
  body = {'target_type': 'post', 'target_id': world.post_id, 'reason': 'scam'}
  world.as_user('buyer', 'post', '/api/reports', 201, json=body)
  return world.post_id


def campus_slug(world):
  """A campus with one pickup spot; its slug."""
  with world.app.app_context():
    factories.make_campus('north', domains=['north.example.edu'], spots=['Library steps'])
  return 'north'


def pickup_spot_id(world):
  """The id of the pickup spot of campus_slug's campus."""
  campus_slug(world)
  with world.app.app_context():
    return db.session.execute(select(PickupSpot.id)).scalar_one()


def held_post(world):
  """The seller's post, held for review."""
  with world.app.app_context():
    db.session.execute(
      update(Post).where(Post.id == world.post_id).values(moderation_state='in_review')
    )
    db.session.commit()
  return world.post_id


def accepted_dib(world):
  dib_id = world.dib_id()
  world.as_user('seller', 'post', f'/api/dibs/{dib_id}/accept', 200)


def sold_post_id(world):
  """The seller's post, sold to the buyer (a review window between the two)."""
  accepted_dib(world)
  world.as_user('seller', 'post', f'/api/posts/{world.post_id}/sold', 200)
  return world.post_id


# (method, path, who owns the resource, {actor: status}, setup(world) -> (path values, kwargs))
MATRIX = [
  (
    'post',
    '/api/auth/signup',
    None,
    dict.fromkeys(ACTORS, 201),
    lambda w, a: ({}, unique_signup(w, a)),
  ),
  (
    'post',
    '/api/auth/login',
    None,
    dict.fromkeys(ACTORS, 200),
    lambda w, a: (
      {},
      {'json': {'email': w.emails['buyer'], 'password': factories.DEFAULT_PASSWORD}},
    ),
  ),
  ('post', '/api/auth/logout', None, dict.fromkeys(ACTORS, 204), lambda w, a: ({}, {})),
  (
    'delete',
    '/api/auth/sessions/{session_id}',
    'seller',
    # Nobody, an admin included, may end another user's session, or learn that it exists.
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 204, ADMIN: 404},
    lambda w, a: ({'session_id': w.session_id('seller')}, {}),
  ),
  (
    'post',
    '/api/auth/sessions/revoke-others',
    None,
    {ANONYMOUS: 401, STRANGER: 200, OWNER: 200, ADMIN: 200},
    lambda w, a: ({}, {}),
  ),
  (
    'post',
    '/api/auth/password-reset',
    None,
    dict.fromkeys(ACTORS, 202),
    lambda w, a: ({}, {'json': {'email': w.emails['seller']}}),
  ),
  (
    'post',
    '/api/auth/password-reset/confirm',
    None,
    dict.fromkeys(ACTORS, 422),
    lambda w, a: ({}, {'json': {'token': 'not-a-token', 'new_password': NEW_PASSWORD}}),
  ),
  (
    'post',
    '/api/auth/verify-email',
    None,
    {ANONYMOUS: 401, STRANGER: 422, OWNER: 422, ADMIN: 422},
    lambda w, a: ({}, {'json': {'token': 'not-a-token'}}),
  ),
  (
    'post',
    '/api/auth/verify-email/resend',
    'seller',
    {ANONYMOUS: 401, STRANGER: 202, OWNER: 202, ADMIN: 202},
    lambda w, a: ({}, {}),
  ),
  (
    'post',
    '/api/notifications/read',
    'seller',
    {ANONYMOUS: 401, STRANGER: 422, OWNER: 200, ADMIN: 422},
    lambda w, a: ({}, {'json': {'up_to': w.notification_id()}}),
  ),
  (
    'patch',
    '/api/users/me',
    'seller',
    {ANONYMOUS: 401, STRANGER: 200, OWNER: 200, ADMIN: 200},
    lambda w, a: ({}, {'json': {'bio': 'Hello.'}}),
  ),
  (
    'put',
    '/api/users/me/password',
    'seller',
    {ANONYMOUS: 401, STRANGER: 204, OWNER: 204, ADMIN: 204},
    lambda w, a: (
      {},
      {'json': {'current_password': factories.DEFAULT_PASSWORD, 'new_password': NEW_PASSWORD}},
    ),
  ),
  (
    'post',
    '/api/posts',
    'seller',
    {ANONYMOUS: 401, STRANGER: 201, OWNER: 201, ADMIN: 201},
    lambda w, a: ({}, {'json': post_body()}),
  ),
  (
    'patch',
    '/api/posts/{post_id}',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 200, ADMIN: 403},
    lambda w, a: ({'post_id': w.post_id}, {'json': {'title': 'A brighter lamp'}}),
  ),
  (
    'delete',
    '/api/posts/{post_id}',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 204, ADMIN: 204},
    lambda w, a: ({'post_id': w.post_id}, {}),
  ),
  (
    'post',
    '/api/posts/{post_id}/images',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 201, ADMIN: 403},
    lambda w, a: ({'post_id': w.post_id}, {'data': image_upload()}),
  ),
  (
    'put',
    '/api/posts/{post_id}/images/order',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 200, ADMIN: 403},
    lambda w, a: ({'post_id': w.post_id}, {'json': {'image_ids': [w.image_id()]}}),
  ),
  (
    'delete',
    '/api/posts/{post_id}/images/{image_id}',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 204, ADMIN: 403},
    lambda w, a: ({'post_id': w.post_id, 'image_id': w.image_id()}, {}),
  ),
  (
    'post',
    '/api/posts/{post_id}/dibs',
    'seller',
    {ANONYMOUS: 401, STRANGER: 201, OWNER: 409, ADMIN: 201},
    lambda w, a: ({'post_id': w.post_id}, {}),
  ),
  (
    'delete',
    '/api/posts/{post_id}/dibs',
    'buyer',
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 204, ADMIN: 404},
    lambda w, a: ({'post_id': w.post_id, '_': w.dib_id()}, {}),
  ),
  (
    'post',
    '/api/dibs/{dib_id}/accept',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 200, ADMIN: 403},
    lambda w, a: ({'dib_id': w.dib_id()}, {}),
  ),
  (
    'post',
    '/api/dibs/{dib_id}/decline',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 200, ADMIN: 403},
    lambda w, a: ({'dib_id': w.dib_id()}, {}),
  ),
  (
    'post',
    '/api/posts/{post_id}/sold',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 200, ADMIN: 403},
    lambda w, a: ({'post_id': w.post_id, '_': accepted_dib(w)}, {}),
  ),
  (
    'put',
    '/api/posts/{post_id}/watch',
    'seller',
    # Anyone may watch a post but its seller.
    {ANONYMOUS: 401, STRANGER: 200, OWNER: 409, ADMIN: 200},
    lambda w, a: ({'post_id': w.post_id}, {}),
  ),
  (
    'delete',
    '/api/posts/{post_id}/watch',
    'buyer',
    # Unwatching is about my own watch only: anyone signed in gets 204.
    {ANONYMOUS: 401, STRANGER: 204, OWNER: 204, ADMIN: 204},
    lambda w, a: (
      {'post_id': w.post_id, '_': w.as_user('buyer', 'put', f'/api/posts/{w.post_id}/watch', 200)},
      {},
    ),
  ),
  (
    'post',
    '/api/users/me/saved-searches',
    'buyer',
    {ANONYMOUS: 401, STRANGER: 201, OWNER: 201, ADMIN: 201},
    lambda w, a: ({}, {'json': {'q': 'bike', 'alert': 'daily'}}),
  ),
  (
    'patch',
    '/api/saved-searches/{saved_search_id}',
    'buyer',
    # Saved searches are private: another user, an admin included, learns nothing of them.
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 200, ADMIN: 404},
    lambda w, a: ({'saved_search_id': w.saved_search_id()}, {'json': {'alert': 'off'}}),
  ),
  (
    'delete',
    '/api/saved-searches/{saved_search_id}',
    'buyer',
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 204, ADMIN: 404},
    lambda w, a: ({'saved_search_id': w.saved_search_id()}, {}),
  ),
  (
    'post',
    '/api/posts/{post_id}/renew',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 200, ADMIN: 403},
    lambda w, a: ({'post_id': w.renewable_post_id()}, {}),
  ),
  (
    'post',
    '/api/holds/{hold_id}/meetups',
    'buyer',
    # A hold is private to its two sides: anyone else learns nothing of it.
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 201, ADMIN: 404},
    lambda w, a: (
      {'hold_id': w.hold_id()},
      {'json': {'meet_at': iso_in(7200), 'place': 'Student union'}},
    ),
  ),
  (
    'post',
    '/api/meetups/{meetup_id}/confirm',
    'buyer',
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 200, ADMIN: 404},
    lambda w, a: ({'meetup_id': w.meetup_id(w.hold_id())}, {}),
  ),
  (
    'post',
    '/api/holds/{hold_id}/release',
    'buyer',
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 200, ADMIN: 404},
    lambda w, a: ({'hold_id': w.hold_id()}, {}),
  ),
  (
    'post',
    '/api/holds/{hold_id}/no-show',
    'seller',
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 200, ADMIN: 404},
    lambda w, a: ({'hold_id': w.missed_meetup_hold_id()}, {}),
  ),
  (
    'post',
    '/api/posts/{post_id}/conversations',
    'seller',
    {ANONYMOUS: 401, STRANGER: 201, OWNER: 409, ADMIN: 201},
    lambda w, a: ({'post_id': w.post_id}, {}),
  ),
  (
    'post',
    '/api/conversations/{conversation_id}/messages',
    'buyer',
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 201, ADMIN: 404},
    lambda w, a: ({'conversation_id': w.conversation_id()}, {'json': {'body': 'Still there?'}}),
  ),
  (
    'post',
    '/api/conversations/{conversation_id}/read',
    'buyer',
    {ANONYMOUS: 401, STRANGER: 404, OWNER: 204, ADMIN: 404},
    lambda w, a: ({'conversation_id': w.conversation_id()}, {}),
  ),
  (
    'put',
    '/api/users/{username}/block',
    None,
    {ANONYMOUS: 401, STRANGER: 201, OWNER: 201, ADMIN: 201},
    lambda w, a: ({'username': 'buyer'}, {}),
  ),
  (
    'delete',
    '/api/users/{username}/block',
    None,
    {ANONYMOUS: 401, STRANGER: 204, OWNER: 204, ADMIN: 204},
    lambda w, a: ({'username': 'buyer'}, {}),
  ),
  (
    'post',
    '/api/reports',
    'seller',
    # Nobody reports their own post.
    {ANONYMOUS: 401, STRANGER: 201, OWNER: 422, ADMIN: 201},
    lambda w, a: (
      {'_': verify_everyone(w)},
      {'json': {'target_type': 'post', 'target_id': w.post_id, 'reason': 'spam'}},
    ),
  ),
  (
    'post',
    '/api/moderation/targets/{target_type}/{target_id}/decision',
    'seller',
    # Students get 403, the seller of the reported post too; an admin is a moderator.
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 200},
    lambda w, a: (
      {'target_type': 'post', 'target_id': reported_post(w)},
      {'json': {'action': 'dismiss'}},
    ),
  ),
  (
    'post',
    '/api/moderation/users/{user_id}/warning',
    'seller',
    # The owner acts on their own account: 403 too.
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 200},
    lambda w, a: ({'user_id': w.user_id('seller')}, {'json': {'reason': 'Be kind.'}}),
  ),
  (
    'post',
    '/api/moderation/users/{user_id}/suspension',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 200},
    lambda w, a: ({'user_id': w.user_id('buyer')}, {'json': {'days': 3, 'reason': 'Spam.'}}),
  ),
  (
    'post',
    '/api/users/{username}/reviews',
    'buyer',
    # Only the buyer of the sale reviews its seller; nobody else had a sale with them.
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 201, ADMIN: 403},
    lambda w, a: ({'username': 'seller'}, {'json': {'post_id': sold_post_id(w), 'stars': 4}}),
  ),
  (
    'delete',
    '/api/moderation/users/{user_id}/suspension',
    'seller',
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 200},
    lambda w, a: ({'user_id': suspended_buyer_id(w)}, {}),
  ),
  # Campuses are the operators': every student, the owner of anything included, gets 403.
  (
    'post',
    '/api/admin/campuses',
    None,
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 201},
    lambda w, a: ({}, {'json': {'slug': 'east', 'name': 'East Campus'}}),
  ),
  (
    'patch',
    '/api/admin/campuses/{slug}',
    None,
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 200},
    lambda w, a: ({'slug': campus_slug(w)}, {'json': {'name': 'North Side'}}),
  ),
  (
    'delete',
    '/api/admin/campuses/{slug}',
    None,
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 204},
    lambda w, a: ({'slug': campus_slug(w)}, {}),
  ),
  (
    'post',
    '/api/admin/campuses/{slug}/spots',
    None,
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 201},
    lambda w, a: ({'slug': campus_slug(w)}, {'json': {'name': 'Union lobby'}}),
  ),
  (
    'delete',
    '/api/admin/campuses/{slug}/spots/{spot_id}',
    None,
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 204},
    lambda w, a: ({'slug': 'north', 'spot_id': pickup_spot_id(w)}, {}),
  ),
  (
    'get',
    '/api/moderation/suspensions',
    'seller',
    # A read, listed here because only moderators may make it.
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 200},
    lambda w, a: ({}, {}),
  ),
  (
    'post',
    '/api/moderation/held-posts/{post_id}/decision',
    'seller',
    # Students get 403, the seller of the held post too; an admin is a moderator.
    {ANONYMOUS: 401, STRANGER: 403, OWNER: 403, ADMIN: 200},
    lambda w, a: ({'post_id': held_post(w)}, {'json': {'action': 'approve'}}),
  ),
  (
    'delete',
    '/api/users/me',
    None,
    # Each deletes their own account (with their password); nobody another's.
    {ANONYMOUS: 401, STRANGER: 204, OWNER: 204, ADMIN: 204},
    lambda w, a: ({}, {'json': {'password': factories.DEFAULT_PASSWORD}}),
  ),
]

CASES = [
  pytest.param(
    method, path, owner, actor, expected[actor], setup, id=f'{method.upper()} {path} as {actor}'
  )
  for method, path, owner, expected, setup in MATRIX
  for actor in ACTORS
]


def test_the_matrix_covers_every_state_changing_route_of_the_app():
  from tests.hardening.HardeningHelpers import UNSAFE_METHODS, registered_api_operations

  walked = {(method.upper(), path) for method, path, *_ in MATRIX}
  unsafe = {
    operation
    for operation in registered_api_operations(get_test_app())
    if operation[0] in UNSAFE_METHODS
  }
  assert unsafe - walked == set()


@pytest.mark.parametrize(('method', 'path', 'owner', 'actor', 'status', 'setup'), CASES)
def test_each_actor_gets_the_status_it_must(method, path, owner, actor, status, setup):
  app = get_test_app()
  limiter.reset()
  world = World(app)
  values, kwargs = setup(world, actor)
  url = example_url(path, values)
  user = owner if actor == OWNER else actor
  client = world.client(user or 'seller') if actor != ANONYMOUS else world.client(ANONYMOUS)
  response = world.send(client, method, url, **kwargs)
  assert response.status_code == status, response.get_data(as_text=True)
  assert response.status_code < 400 or response.is_json


def test_a_suspended_user_gets_401_on_every_write():
  """A suspension ends the user's sessions at once: every private unsafe route answers 401."""
  app = get_test_app()
  limiter.reset()
  world = World(app)
  client = world.client('seller')
  world.as_user(
    ADMIN,
    'post',
    f'/api/moderation/users/{world.user_id("seller")}/suspension',
    200,
    json={'days': 3, 'reason': 'Spam.'},
  )
  private_routes = {
    (method, path) for method, path, _, expected, _ in MATRIX if expected[ANONYMOUS] == 401
  }
  for method, path in sorted(private_routes):
    # Every id placeholder of any route (holds, meet-ups, saved searches…) is 1.
    values = {name: 1 for name in re.findall(r'{([^}]+)}', path)}
    values.update({'username': 'buyer', 'target_type': 'post'})
    response = world.send(client, method, example_url(path, values), json={})
    assert response.status_code == 401, (method, path, response.get_data(as_text=True))
