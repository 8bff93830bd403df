"""Holds and meet-ups through the API: a hold starts when a dib is accepted, the two sides
agree a meet-up, and the hold ends once: sold, released, a no-show, declined or withdrawn."""

from datetime import timedelta

from app.common.CommonHelpers import as_utc, utc_now
from app.posts.PostHoldConstants import PLACE_MAX_LENGTH
from tests.factories import make_post, make_user
from tests.posts.HoldTestCase import HoldTestCase, iso


class HoldStartTest(HoldTestCase):
  def test_accepting_a_dib_starts_a_hold_both_sides_see_and_nobody_else(self):
    hold = self.make_queue()
    self.assertEqual(hold['status'], 'active')
    self.assertEqual(hold['buyer']['id'], self.buyers[0].id)
    self.assertEqual(hold['seller']['id'], self.seller.id)
    self.assertEqual(hold['dib_id'], self.dibs[0]['id'])
    self.assertEqual(
      hold['post'], {'id': self.post.id, 'title': self.post.title, 'status': 'pending'}
    )
    self.assertIsNone(hold['meetup'])
    self.assertAlmostEqual(hold['seconds_left'], 48 * 3600, delta=60)
    buyer_view = self.hold_json(self.buyers[0])
    self.assertAlmostEqual(buyer_view.pop('seconds_left'), hold.pop('seconds_left'), delta=2)
    self.assertEqual(buyer_view, hold)
    for outsider in (self.buyers[1].client, self.logged_in_client(make_user(admin=True))):
      self.assert_error(outsider.get(f'/api/posts/{self.post.id}/hold'), 404, 'not_found')
    self.assert_error(self.new_client().get(f'/api/posts/{self.post.id}/hold'), 401, 'unauthorized')
    other_post = make_post(seller=self.seller.user)
    self.assert_error(self.client.get(f'/api/posts/{other_post.id}/hold'), 404, 'not_found')
    for side in (self.seller, self.buyers[0]):
      started = self.hold_events(side.id, 'started')
      self.assertEqual(len(started), 1)
      self.assertEqual(started[0]['hold_id'], hold['id'])
    self.assertEqual(self.hold_events(self.buyers[1].id), [])

  def test_hold_hours_comes_from_the_config(self):
    self.app.config['HOLD_HOURS'] = 2
    self.addCleanup(self.app.config.__setitem__, 'HOLD_HOURS', 48)
    hold = self.make_queue(buyers=1)
    self.assertAlmostEqual(hold['seconds_left'], 2 * 3600, delta=60)

  def test_my_holds_lists_both_roles_active_first(self):
    first = self.make_queue(buyers=2)
    buyer = self.buyers[0]
    self.api('post', f'/api/holds/{first["id"]}/release', client=buyer.client)
    second_post = make_post()
    self.call_dibs(second_post.id, buyer.client)
    seller_client = self.logged_in_client(self.user_of(second_post.seller_id))
    dib = seller_client.get(f'/api/posts/{second_post.id}/dibs').get_json()['items'][0]
    self.api('post', f'/api/dibs/{dib["id"]}/accept', client=seller_client)
    listing = buyer.client.get('/api/users/me/holds').get_json()
    self.assertEqual(listing['total'], 2)
    self.assertEqual([item['status'] for item in listing['items']], ['active', 'released'])
    self.assertEqual(listing['items'][0]['post_id'], second_post.id)
    mine = self.client.get('/api/users/me/holds').get_json()
    self.assertEqual([item['id'] for item in mine['items']], [first['id']])
    self.assertEqual(self.buyers[1].client.get('/api/users/me/holds').get_json()['total'], 0)

  def user_of(self, user_id):
    from app.extensions import db
    from app.users.UserModels import User

    return db.session.get(User, user_id)


class MeetupTest(HoldTestCase):
  def test_propose_confirm_and_counter_propose(self):
    hold = self.make_queue()
    buyer = self.buyers[0]
    meet_at = utc_now() + timedelta(hours=5)
    proposed = self.propose(buyer, hold['id'], meet_at, 'Library steps')['hold']['meetup']
    self.assertEqual(proposed['status'], 'proposed')
    self.assertEqual(proposed['place'], 'Library steps')
    self.assertEqual(proposed['proposer_id'], buyer.id)
    self.assertEqual(proposed['meet_at'][:19], iso(meet_at)[:19])
    self.assertAlmostEqual(proposed['seconds_until'], 5 * 3600, delta=60)
    self.assertEqual(self.kinds_of(self.seller.id)[-1], 'meetup_proposed')
    self.assertEqual(len(self.hold_events(self.seller.id, 'meetup_proposed')), 1)
    # Nobody confirms their own proposal.
    self.assert_error(
      self.api('post', f'/api/meetups/{proposed["id"]}/confirm', client=buyer.client),
      409,
      'conflict',
    )
    # The seller counter-proposes: the buyer's proposal is superseded.
    later = meet_at + timedelta(hours=1)
    counter = self.propose(self.seller, hold['id'], later, 'Student union')['hold']['meetup']
    self.assertEqual(counter['status'], 'proposed')
    self.assertNotEqual(counter['id'], proposed['id'])
    self.assert_error(
      self.api('post', f'/api/meetups/{proposed["id"]}/confirm', client=self.client),
      409,
      'conflict',
    )
    confirmed = self.confirm(buyer, counter['id'])['hold']
    self.assertEqual(confirmed['meetup']['status'], 'confirmed')
    self.assertEqual(confirmed['meetup']['place'], 'Student union')
    self.assertEqual(self.kinds_of(self.seller.id)[-1], 'meetup_confirmed')
    self.assertEqual(len(self.hold_events(self.seller.id, 'meetup_confirmed')), 1)
    seen_by_seller = self.hold_json(self.seller)['meetup']
    seen_by_buyer = self.hold_json(buyer)['meetup']
    # Both see one meet-up; the countdowns, read a moment apart, may differ by a second.
    self.assertAlmostEqual(
      seen_by_seller.pop('seconds_until'), seen_by_buyer.pop('seconds_until'), delta=2
    )
    self.assertEqual(seen_by_seller, seen_by_buyer)
    self.assert_error(
      self.api('post', f'/api/meetups/{counter["id"]}/confirm', client=buyer.client),
      409,
      'conflict',
    )
    subject, body = self.mails_to(self.seller.user.email)[-1]
    self.assertEqual(subject, 'Your meet-up is confirmed')
    self.assertIn('Student union', body)

  def test_confirming_near_the_deadline_keeps_the_hold_until_after_the_meetup(self):
    self.app.config['HOLD_HOURS'] = 2
    self.addCleanup(self.app.config.__setitem__, 'HOLD_HOURS', 48)
    hold = self.make_queue(buyers=1)
    meet_at = utc_now() + timedelta(hours=1, minutes=50)
    meetup = self.propose(self.seller, hold['id'], meet_at)['hold']['meetup']
    confirmed = self.confirm(self.buyers[0], meetup['id'])['hold']
    deadline = as_utc(self.hold_row(hold['id']).deadline_at)
    self.assertAlmostEqual(
      (deadline - meet_at).total_seconds(), 2 * 3600, delta=2, msg=confirmed['deadline_at']
    )

  def test_bad_proposals(self):
    hold = self.make_queue()
    path = f'/api/holds/{hold["id"]}/meetups'
    soon = iso(utc_now() + timedelta(hours=3))
    cases = [
      ({}, ['meet_at', 'place']),
      ({'meet_at': soon, 'place': '   '}, ['place']),
      ({'meet_at': soon, 'place': 'x' * (PLACE_MAX_LENGTH + 1)}, ['place']),
      ({'meet_at': soon, 'place': 7}, ['place']),
      ({'meet_at': 'tomorrow', 'place': 'Gym'}, ['meet_at']),
      ({'meet_at': 1767225600, 'place': 'Gym'}, ['meet_at']),
      ({'meet_at': '2030-01-01T10:00:00', 'place': 'Gym'}, ['meet_at']),
      ({'meet_at': iso(utc_now() - timedelta(minutes=5)), 'place': 'Gym'}, ['meet_at']),
      ({'meet_at': iso(utc_now() + timedelta(hours=49)), 'place': 'Gym'}, ['meet_at']),
    ]
    for body, fields in cases:
      with self.subTest(body=body):
        self.assert_error(self.api('post', path, json=body), 422, 'validation_error', fields)
    self.assert_error(
      self.api('post', path, data='[1]', content_type='application/json'), 400, 'bad_request'
    )
    self.assert_error(
      self.api('post', path, data='x', content_type='text/plain'), 415, 'unsupported_media_type'
    )
    self.assert_error(self.api('post', '/api/holds/999999/meetups', json={}), 404, 'not_found')
    self.assertIsNone(self.hold_json(self.seller)['meetup'])

  def test_no_meetup_on_an_ended_hold(self):
    hold = self.make_queue()
    meetup = self.propose(self.buyers[0], hold['id'], utc_now() + timedelta(hours=3))['hold']
    self.assertEqual(self.api('post', f'/api/posts/{self.post.id}/sold').status_code, 200)
    self.propose(self.buyers[0], hold['id'], utc_now() + timedelta(hours=4), status=409)
    self.confirm(self.seller, meetup['meetup']['id'], status=409)

  def test_a_proposal_whose_time_passed_cannot_be_confirmed(self):
    hold = self.make_queue()
    meetup = self.propose(self.buyers[0], hold['id'], utc_now() + timedelta(hours=3))['hold']
    with self.clock(hours=4):
      self.confirm(self.seller, meetup['meetup']['id'], status=409)


class HoldEndTest(HoldTestCase):
  def test_selling_ends_the_hold_as_sold(self):
    hold = self.make_queue()
    response = self.api('post', f'/api/posts/{self.post.id}/sold')
    self.assertEqual(response.status_code, 200, response.get_json())
    ended = self.hold_json(self.buyers[0])
    self.assertEqual(ended['status'], 'sold')
    self.assertEqual(ended['seconds_left'], 0)
    self.assertIsNotNone(ended['ended_at'])
    self.assertEqual(len(self.hold_events(self.buyers[0].id, 'sold')), 1)
    self.assertEqual(self.dib_statuses(self.post.id)[hold['dib_id']], 'accepted')

  def test_the_buyer_releases_and_the_next_buyer_is_told_it_is_their_turn(self):
    hold = self.make_queue()
    buyer, next_buyer = self.buyers[0], self.buyers[1]
    path = f'/api/holds/{hold["id"]}/release'
    self.assert_error(self.api('post', path), 403, 'forbidden')
    self.assert_error(self.api('post', path, client=next_buyer.client), 404, 'not_found')
    response = self.api('post', path, client=buyer.client)
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(response.get_json()['hold']['status'], 'released')
    self.assertEqual(self.reload_post(self.post.id).status, 'available')
    self.assertEqual(self.dib_statuses(self.post.id)[hold['dib_id']], 'cancelled')
    self.assertEqual(self.kinds_of(next_buyer.id)[-1], 'your_turn')
    self.assertEqual(len(self.hold_events(next_buyer.id, 'your_turn')), 1)
    self.assertEqual(self.hold_events(self.buyers[2].id, 'your_turn'), [])
    self.assertEqual(self.kinds_of(self.seller.id)[-1], 'hold_ended')
    self.assert_error(self.api('post', path, client=buyer.client), 409, 'conflict')
    # The seller accepts the next buyer: a new hold.
    self.assertEqual(self.api('post', f'/api/dibs/{self.dibs[1]["id"]}/accept').status_code, 200)
    self.assertEqual(self.hold_json(next_buyer)['status'], 'active')

  def test_cancelling_the_accepted_dib_releases_the_hold(self):
    hold = self.make_queue()
    response = self.api('delete', f'/api/posts/{self.post.id}/dibs', client=self.buyers[0].client)
    self.assertEqual(response.status_code, 204)
    self.assertEqual(self.hold_row(hold['id']).status, 'released')
    self.assertEqual(self.kinds_of(self.buyers[1].id)[-1], 'your_turn')

  def test_declining_the_buyer_or_withdrawing_the_post_ends_the_hold(self):
    hold = self.make_queue()
    self.assertEqual(self.api('post', f'/api/dibs/{hold["dib_id"]}/decline').status_code, 200)
    self.assertEqual(self.hold_row(hold['id']).status, 'ended')
    self.assertEqual(self.api('post', f'/api/dibs/{self.dibs[1]["id"]}/accept').status_code, 200)
    second = self.hold_json(self.seller)
    self.assertEqual(self.api('delete', f'/api/posts/{self.post.id}').status_code, 204)
    self.assertEqual(self.hold_row(second['id']).status, 'ended')

  def test_no_show_after_a_confirmed_meetup_that_has_passed(self):
    hold = self.make_queue()
    buyer = self.buyers[0]
    path = f'/api/holds/{hold["id"]}/no-show'
    self.assert_error(self.api('post', path), 409, 'conflict')
    meetup = self.propose(buyer, hold['id'], utc_now() + timedelta(hours=3))['hold']['meetup']
    self.assert_error(self.api('post', path), 409, 'conflict')
    self.confirm(self.seller, meetup['id'])
    self.assert_error(self.api('post', path), 409, 'conflict')
    self.assert_error(self.api('post', path, client=buyer.client), 403, 'forbidden')
    with self.clock(hours=3, minutes=30):
      response = self.api('post', path)
    self.assertEqual(response.status_code, 200, response.get_json())
    ended = response.get_json()['hold']
    self.assertEqual(ended['status'], 'no_show')
    self.assertEqual(ended['buyer_no_shows'], 1)
    self.assertEqual(self.kinds_of(buyer.id)[-1], 'no_show')
    self.assertEqual(self.kinds_of(self.buyers[1].id)[-1], 'your_turn')
    self.assertEqual(self.dib_statuses(self.post.id)[hold['dib_id']], 'declined')
    self.assertEqual(self.reload_post(self.post.id).status, 'available')
    self.assertEqual(len(self.hold_events(buyer.id, 'no_show')), 1)
    # The seller of the buyer's next hold sees the no-show on record.
    self.assertEqual(self.api('post', f'/api/dibs/{self.dibs[1]["id"]}/accept').status_code, 200)
    other_post = make_post(seller=self.seller.user)
    self.call_dibs(other_post.id, buyer.client)
    dib = self.client.get(f'/api/posts/{other_post.id}/dibs').get_json()['items'][0]
    self.assertEqual(self.api('post', f'/api/dibs/{dib["id"]}/accept').status_code, 200)
    self.assertEqual(self.hold_json(self.seller, other_post.id)['buyer_no_shows'], 1)
