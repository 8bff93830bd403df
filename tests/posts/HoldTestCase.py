"""What the tests of holds and meet-ups share: a post with a queue and an accepted dib, a
moved clock, the events published and the mails sent."""

from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.notifications.NotificationModels import Notification
from app.posts.PostHoldModels import Hold
from tests.factories import make_post, make_user
from tests.notifications.NotificationTestCase import NotificationTestCase


def iso(moment):
  return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


class Side:
  """A user and a client logged in as them."""

  def __init__(self, user, client):
    self.user = user
    self.client = client
    self.id = user.id


class HoldTestCase(NotificationTestCase):
  """NotificationTestCase plus a seller (on self.client), buyers in a queue and a clock."""

  def setUp(self):
    super().setUp()
    self.events = []
    patcher = patch(
      'app.events.EventHelpers.publish_user_event',
      side_effect=lambda user_id, event_type, payload: self.events.append(
        (user_id, event_type, payload)
      ),
    )
    patcher.start()
    self.addCleanup(patcher.stop)

  def make_queue(self, buyers=3, accept=True):
    """A seller's post with `buyers` in its queue; the first one accepted (a hold)."""
    seller_user = make_user()
    self.login_as(seller_user)
    self.seller = Side(seller_user, self.client)
    self.post = make_post(seller=seller_user)
    self.buyers = []
    self.dibs = []
    for _ in range(buyers):
      user = make_user()
      buyer = Side(user, self.logged_in_client(user))
      self.buyers.append(buyer)
      self.dibs.append(self.call_dibs(self.post.id, buyer.client))
    if accept:
      response = self.api('post', f'/api/dibs/{self.dibs[0]["id"]}/accept')
      self.assertEqual(response.status_code, 200, response.get_json())
      return self.hold_json(self.seller)
    return None

  def hold_json(self, side, post_id=None):
    response = side.client.get(f'/api/posts/{post_id or self.post.id}/hold')
    self.assertEqual(response.status_code, 200, response.get_json())
    return response.get_json()['hold']

  def propose(self, side, hold_id, meet_at, place='Library steps', status=201):
    response = self.api(
      'post',
      f'/api/holds/{hold_id}/meetups',
      json={'meet_at': iso(meet_at), 'place': place},
      client=side.client,
    )
    self.assertEqual(response.status_code, status, response.get_json())
    return response.get_json()

  def confirm(self, side, meetup_id, status=200):
    response = self.api('post', f'/api/meetups/{meetup_id}/confirm', client=side.client)
    self.assertEqual(response.status_code, status, response.get_json())
    return response.get_json()

  @contextmanager
  def clock(self, **moved):
    """Every rule of holds reads a clock moved by `moved` (timedelta arguments)."""
    moment = utc_now() + timedelta(**moved)
    with patch('app.posts.PostHoldState.utc_now', return_value=moment):
      yield moment

  def kinds_of(self, user_id):
    """The kinds of a user's notifications, oldest first."""
    db.session.expire_all()
    return list(
      db.session.execute(
        db.select(Notification.kind)
        .where(Notification.user_id == user_id)
        .order_by(Notification.id)
      ).scalars()
    )

  def hold_row(self, hold_id):
    db.session.expire_all()
    return db.session.get(Hold, hold_id)

  def hold_events(self, user_id, action=None):
    return [
      payload
      for event_user, event_type, payload in self.events
      if event_user == user_id and event_type == 'hold' and action in (None, payload['action'])
    ]
