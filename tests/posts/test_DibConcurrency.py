"""The dibs queue under concurrent requests, raced from threads behind a barrier.

PostgreSQL only: the rules rest on its row locks and partial unique indexes under real
concurrent transactions. SQLite allows one writer per file, so it would serialize the race
(or answer "database is locked") and prove nothing.
"""

from app.extensions import db
from app.posts.PostConstants import LIVE_DIB_STATUSES
from app.posts.PostModels import Dib
from tests.base import is_postgresql
from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase
from tests.RaceHelpers import race_in_threads

SKIP_REASON = (
  'Concurrency of the dibs queue is proven on PostgreSQL only: SQLite serializes writers, '
  'so threads cannot race there. Run with TEST_DATABASE_URL=postgresql://... to include it.'
)


class DibConcurrencyTest(PostTestCase):
  def setUp(self):
    super().setUp()
    if not is_postgresql():
      print(f'\nSKIPPED {self.id()}: {SKIP_REASON}')
      self.skipTest(SKIP_REASON)

  def prepared_post_request(self, client, path):
    """A request ready to fire from a thread: the CSRF token is fetched beforehand."""
    token = self.csrf_token(client)
    return lambda: client.post(path, headers={'X-CSRFToken': token})

  race = staticmethod(race_in_threads)

  def dibs_of(self, post_id):
    db.session.expire_all()
    return db.session.execute(select_dibs(post_id)).scalars().all()

  def test_buyers_racing_get_distinct_positions(self):
    post = make_post()
    clients = [self.logged_in_client(make_user()) for _ in range(6)]
    responses = self.race(
      [self.prepared_post_request(client, f'/api/posts/{post.id}/dibs') for client in clients]
    )
    self.assertEqual([response.status_code for response in responses], [201] * 6)
    positions = sorted(response.get_json()['dib']['position'] for response in responses)
    self.assertEqual(positions, [1, 2, 3, 4, 5, 6])
    queue = self.logged_in_client_for_seller(post).get(f'/api/posts/{post.id}/dibs').get_json()
    self.assertEqual([dib['position'] for dib in queue['items']], [1, 2, 3, 4, 5, 6])

  def test_one_buyer_calling_twice_at_once_gets_one_dib(self):
    buyer = make_user()
    clients = [self.logged_in_client(buyer) for _ in range(4)]
    for _ in range(3):
      post = make_post()
      responses = self.race(
        [self.prepared_post_request(client, f'/api/posts/{post.id}/dibs') for client in clients]
      )
      statuses = sorted(response.status_code for response in responses)
      self.assertEqual(statuses, [201, 409, 409, 409])
      for response in responses:
        if response.status_code == 409:
          self.assert_error(response, 409, 'conflict')
      live = [dib for dib in self.dibs_of(post.id) if dib.status in LIVE_DIB_STATUSES]
      self.assertEqual(len(live), 1)

  def test_seller_accepting_at_once_ends_with_one_accepted_dib(self):
    seller = make_user()
    seller_clients = [self.logged_in_client(seller) for _ in range(3)]
    buyer_clients = [self.logged_in_client(make_user()) for _ in range(3)]
    for _ in range(3):
      post = make_post(seller=seller)
      dibs = [self.call_dibs(post.id, client) for client in buyer_clients]
      responses = self.race(
        [
          self.prepared_post_request(client, f'/api/dibs/{dib["id"]}/accept')
          for client, dib in zip(seller_clients, dibs, strict=True)
        ]
      )
      self.assertEqual(sorted(response.status_code for response in responses), [200, 409, 409])
      statuses = sorted(dib.status for dib in self.dibs_of(post.id))
      self.assertEqual(statuses, ['accepted', 'waiting', 'waiting'])
      self.assertEqual(self.reload_post(post.id).status, 'pending')

  def logged_in_client_for_seller(self, post):
    from app.users.UserModels import User

    return self.logged_in_client(db.session.get(User, post.seller_id))


def select_dibs(post_id):
  return db.select(Dib).where(Dib.post_id == post_id).order_by(Dib.id)
