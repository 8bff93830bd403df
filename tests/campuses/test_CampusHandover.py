"""What campuses give holds and saved searches: meet-ups at the post's campus's pickup spots,
the campus filter of a saved search, and the digest in each campus's time zone."""

from datetime import datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostModels import Post
from app.search.SavedSearchJobs import send_saved_search_digests
from app.users.UserModels import User
from tests.factories import make_campus
from tests.posts.HoldTestCase import HoldTestCase, iso
from tests.search.test_SavedSearchApi import SavedSearchTestCase


class MeetupAtPickupSpotTest(HoldTestCase):
  def setUp(self):
    super().setUp()
    self.north = make_campus('north', spots=['Library steps', 'Union lobby'])
    self.south = make_campus('south', spots=['Gym'])
    self.hold = self.make_queue(buyers=1)
    self.path = f'/api/holds/{self.hold["id"]}/meetups'
    self.soon = iso(utc_now() + timedelta(hours=3))

  def spot_id(self, campus, name):
    return next(spot.id for spot in campus.spots if spot.name == name)

  def test_the_hold_offers_the_spots_of_the_posts_campus(self):
    db.session.get(Post, self.post.id).campus_id = self.north.id
    db.session.commit()
    spots = self.hold_json(self.seller)['pickup_spots']
    self.assertEqual(
      spots,
      [
        {'id': self.spot_id(self.north, 'Library steps'), 'name': 'Library steps'},
        {'id': self.spot_id(self.north, 'Union lobby'), 'name': 'Union lobby'},
      ],
    )

  def test_a_spot_of_the_posts_campus_becomes_the_place(self):
    db.session.get(Post, self.post.id).campus_id = self.north.id
    db.session.commit()
    body = {'meet_at': self.soon, 'pickup_spot_id': self.spot_id(self.north, 'Union lobby')}
    response = self.api('post', self.path, json=body)
    self.assertEqual(response.status_code, 201, response.get_json())
    self.assertEqual(response.get_json()['hold']['meetup']['place'], 'Union lobby')
    # Free text still works.
    response = self.api('post', self.path, json={'meet_at': self.soon, 'place': 'Cafe'})
    self.assertEqual(response.get_json()['hold']['meetup']['place'], 'Cafe')

  def test_another_campuss_spot_or_none_at_all_is_refused(self):
    db.session.get(Post, self.post.id).campus_id = self.north.id
    db.session.commit()
    for body, field in (
      ({'meet_at': self.soon, 'pickup_spot_id': self.spot_id(self.south, 'Gym')}, 'pickup_spot_id'),
      ({'meet_at': self.soon, 'pickup_spot_id': 'one'}, 'pickup_spot_id'),
      ({'meet_at': self.soon, 'pickup_spot_id': None, 'place': ''}, 'place'),
      ({'meet_at': self.soon}, 'place'),
    ):
      with self.subTest(body=body):
        self.assert_error(self.api('post', self.path, json=body), 422, 'validation_error', [field])
    self.assertIsNone(self.hold_json(self.seller)['meetup'])

  def test_a_post_without_a_campus_has_no_spots(self):
    self.assertEqual(self.hold_json(self.seller)['pickup_spots'], [])
    body = {'meet_at': self.soon, 'pickup_spot_id': self.spot_id(self.north, 'Library steps')}
    response = self.api('post', self.path, json=body)
    self.assert_error(response, 422, 'validation_error', ['pickup_spot_id'])


class SavedSearchCampusTest(SavedSearchTestCase):
  def test_a_campus_filter_alerts_only_for_posts_of_that_campus(self):
    north, south = make_campus('north'), make_campus('south')
    saved = self.save(q='desk', campus='north')['saved_search']
    self.assertEqual(saved['campus'], 'north')
    self.assertIsNone(self.save(q='desk', campus='all')['saved_search']['campus'])
    self.save(status=422, q='desk', campus='atlantis')
    self.publish(campus='south')
    self.assertEqual(self.alerts(), 1)  # the search of every campus
    self.publish(campus='north')
    self.assertEqual(self.alerts(), 3)
    self.assertEqual((north.slug, south.slug), ('north', 'south'))

  def test_each_user_gets_the_digest_from_eight_in_their_campuss_time_zone(self):
    tokyo = make_campus('tokyo', timezone='Asia/Tokyo')
    db.session.get(User, self.searcher.id).campus_id = tokyo.id
    db.session.commit()
    self.save(q='desk', alert='daily')
    self.save(client=self.poster_client, q='lamp', alert='daily')
    self.publish(title='Oak desk and lamp')
    zone = ZoneInfo('Asia/Tokyo')
    tomorrow = (utc_now().astimezone(zone) + timedelta(days=1)).date()
    # 09:00 in Tokyo is 00:00 UTC: the Tokyo student's digest goes, the other waits for 08:00 UTC.
    tokyo_nine = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 9, tzinfo=zone)
    with patch('app.search.SavedSearchHelpers.utc_now', return_value=tokyo_nine):
      self.assertEqual(send_saved_search_digests(), 1)
    with patch(
      'app.search.SavedSearchHelpers.utc_now', return_value=tokyo_nine + timedelta(hours=8)
    ):
      self.assertEqual(send_saved_search_digests(), 0)  # the poster's own post: no match
    self.assertEqual(self.kinds_of(self.searcher.id).count('saved_search_digest'), 1)
