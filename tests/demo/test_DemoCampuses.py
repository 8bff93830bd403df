"""The demo campuses: two, with pickup spots, the demo users spread over both; a second run
adds nothing."""

from app.campuses.CampusModels import Campus, PickupSpot
from app.demo.DemoCampuses import DEMO_CAMPUSES, campus_seed_line, seed_campuses
from app.demo.DemoUsers import DEMO_USERS, seed_users
from app.extensions import db
from tests.base import ApiTestCase


class DemoCampusesTest(ApiTestCase):
  def seed(self):
    campuses = seed_campuses()
    users = seed_users({slug: campus.id for slug, campus in campuses.items()})
    return campuses, users

  def test_two_campuses_with_spots_and_the_users_on_both_once(self):
    campuses, users = self.seed()
    spot_count = sum(len(spots) for *_, spots in DEMO_CAMPUSES)
    self.assertEqual(
      campus_seed_line(campuses), f'campuses: north, south with {spot_count} pickup spots'
    )
    self.seed()
    self.assertEqual(db.session.query(Campus).count(), 2)
    self.assertEqual(db.session.query(PickupSpot).count(), spot_count)
    on_campus = {user.username: user.campus_id for user in users}
    for username, _name, slug, _role in DEMO_USERS:
      self.assertEqual(on_campus[username], campuses[slug].id, username)
    self.assertEqual({slug for *_, slug, _ in DEMO_USERS}, {'north', 'south'})
    # Every demo user may post: their verified address is in a campus's domains.
    alice = next(user for user in users if user.username == 'alice')
    self.login_as(alice, password='dibz-demo-password')
    body = {
      'title': 'Lamp',
      'description': 'A lamp.',
      'price_cents': 100,
      'category': 'other',
      'condition': 'good',
    }
    response = self.api('post', '/api/posts', json=body)
    self.assertEqual(response.status_code, 201, response.get_json())
    self.assertEqual(response.get_json()['post']['campus']['slug'], 'north')
