"""Holds under concurrent requests and workers, raced from threads behind a barrier, with a
moved clock (never a sleep): a lapse and a sale at the same moment, two lapse workers at
once, and the seller's two tabs answering the queue after a lapse.

PostgreSQL only, like tests/posts/test_DibConcurrency.py: SQLite serializes writers.
"""

from app.extensions import db
from app.notifications.NotificationModels import Notification
from app.posts.PostHoldJobs import lapse_overdue_holds
from tests.base import is_postgresql
from tests.posts.HoldTestCase import HoldTestCase
from tests.RaceHelpers import race_in_threads

SKIP_REASON = (
  'Concurrency of holds is proven on PostgreSQL only: SQLite serializes writers, so threads '
  'cannot race there. Run with TEST_DATABASE_URL=postgresql://... to include it.'
)
ROUNDS = 4


class HoldConcurrencyTest(HoldTestCase):
  def setUp(self):
    super().setUp()
    if not is_postgresql():
      print(f'\nSKIPPED {self.id()}: {SKIP_REASON}')
      self.skipTest(SKIP_REASON)

  race = staticmethod(race_in_threads)

  def in_worker(self, job):
    """A job as a worker runs it: its own app context and database session."""

    def run():
      with self.app.app_context():
        try:
          return job()
        finally:
          db.session.remove()

    return run

  def post_request(self, client, path):
    token = self.csrf_token(client)
    return lambda: client.post(path, headers={'X-CSRFToken': token})

  def count_kind(self, kind):
    db.session.expire_all()
    return db.session.execute(
      db.select(db.func.count()).select_from(Notification).where(Notification.kind == kind)
    ).scalar_one()

  def test_a_lapse_and_a_sale_at_the_same_moment_one_wins_cleanly(self):
    outcomes = set()
    for _ in range(ROUNDS):
      hold = self.make_queue(buyers=2)
      lapses_before = self.count_kind('hold_lapsed')
      with self.clock(hours=48, seconds=1):
        sold, lapsed = self.race(
          [
            self.post_request(self.client, f'/api/posts/{self.post.id}/sold'),
            self.in_worker(lapse_overdue_holds),
          ]
        )
      post = self.reload_post(self.post.id)
      row = self.hold_row(hold['id'])
      statuses = self.dib_statuses(self.post.id)
      if sold.status_code == 200:
        outcomes.add('sold')
        self.assertEqual(lapsed, 0)
        self.assertEqual((post.status, row.status), ('sold', 'sold'))
        self.assertEqual(statuses[hold['dib_id']], 'accepted')
        self.assertEqual(statuses[self.dibs[1]['id']], 'declined')
        self.assertEqual(self.count_kind('hold_lapsed'), lapses_before)
      else:
        outcomes.add('lapsed')
        self.assert_error(sold, 409, 'conflict')
        self.assertEqual(lapsed, 1)
        self.assertEqual((post.status, row.status), ('available', 'lapsed'))
        self.assertEqual(statuses[hold['dib_id']], 'declined')
        self.assertEqual(statuses[self.dibs[1]['id']], 'waiting')
        self.assertEqual(self.count_kind('hold_lapsed'), lapses_before + 1)
    print(f'\nlapse vs sale over {ROUNDS} rounds: winners {sorted(outcomes)}')

  def test_two_workers_lapsing_at_once_lapse_once_and_tell_once(self):
    for _ in range(ROUNDS):
      hold = self.make_queue(buyers=2)
      turns_before = self.count_kind('your_turn')
      with self.clock(hours=49):
        results = self.race([self.in_worker(lapse_overdue_holds) for _ in range(3)])
      self.assertEqual(sorted(results), [0, 0, 1])
      self.assertEqual(self.hold_row(hold['id']).status, 'lapsed')
      self.assertEqual(self.count_kind('your_turn'), turns_before + 1)

  def test_after_a_lapse_the_sellers_two_tabs_accepting_two_buyers_give_one_hold(self):
    for _ in range(ROUNDS):
      hold = self.make_queue(buyers=3)
      with self.clock(hours=49):
        # The holds of earlier rounds lapse too.
        self.assertGreaterEqual(lapse_overdue_holds(), 1)
      self.assertEqual(self.hold_row(hold['id']).status, 'lapsed')
      second_tab = self.logged_in_client(self.seller.user)
      responses = self.race(
        [
          self.post_request(self.client, f'/api/dibs/{self.dibs[1]["id"]}/accept'),
          self.post_request(second_tab, f'/api/dibs/{self.dibs[2]["id"]}/accept'),
        ]
      )
      self.assertEqual(sorted(response.status_code for response in responses), [200, 409])
      holds = self.client.get('/api/users/me/holds').get_json()['items']
      active = [item for item in holds if item['status'] == 'active']
      self.assertEqual(len(active), 1)
      self.assertEqual(self.reload_post(self.post.id).status, 'pending')
