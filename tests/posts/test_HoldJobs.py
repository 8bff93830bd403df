"""The periodic jobs of holds with a moved clock: the lapse (exactly once, also across a
failed and retried run) and the meet-up reminders a day and an hour before."""

from datetime import timedelta
from unittest.mock import patch

from app.common.CommonHelpers import utc_now
from app.notifications.NotificationHelpers import notify
from app.posts.PostHoldJobs import lapse_overdue_holds, remind_meetups
from tests.posts.HoldTestCase import HoldTestCase


class FailOnce:
  """Stands in for notify(): the first call raises (a worker dying mid-job), the rest pass."""

  def __init__(self):
    self.failed = False

  def __call__(self, *args, **kwargs):
    if not self.failed:
      self.failed = True
      raise RuntimeError('The worker died.')
    return notify(*args, **kwargs)


class LapseJobTest(HoldTestCase):
  def test_a_hold_lapses_once_after_its_deadline(self):
    hold = self.make_queue()
    buyer, next_buyer = self.buyers[0], self.buyers[1]
    with self.clock(hours=47, minutes=59):
      self.assertEqual(lapse_overdue_holds(), 0)
    self.assertEqual(self.hold_row(hold['id']).status, 'active')
    with self.clock(hours=48, minutes=1):
      self.assertEqual(lapse_overdue_holds(), 1)
      self.assertEqual(lapse_overdue_holds(), 0)
    self.assertEqual(self.hold_row(hold['id']).status, 'lapsed')
    self.assertEqual(self.reload_post(self.post.id).status, 'available')
    self.assertEqual(self.dib_statuses(self.post.id)[hold['dib_id']], 'declined')
    self.assertEqual(self.kinds_of(buyer.id).count('hold_lapsed'), 1)
    self.assertEqual(self.kinds_of(next_buyer.id).count('your_turn'), 1)
    self.assertNotIn('your_turn', self.kinds_of(self.buyers[2].id))
    self.assertEqual(self.kinds_of(self.seller.id).count('hold_ended'), 1)
    seller_note = self.notifications()['items'][0]
    self.assertEqual(seller_note['kind'], 'hold_ended')
    self.assertEqual(seller_note['payload']['next_dib_id'], self.dibs[1]['id'])
    self.assertEqual(seller_note['payload']['next_buyer'], next_buyer.user.username)
    self.assertEqual(len(self.hold_events(buyer.id, 'lapsed')), 1)
    self.assertEqual(len(self.hold_events(next_buyer.id, 'your_turn')), 1)
    self.assertEqual(len(self.mails_to(buyer.user.email)), 2)  # accepted, then lapsed
    self.assertEqual(self.mails_to(next_buyer.user.email)[-1][0].split(':')[0], 'Your turn')
    # The seller accepts the next buyer: their own hold starts from now.
    self.assertEqual(self.api('post', f'/api/dibs/{self.dibs[1]["id"]}/accept').status_code, 200)
    self.assertEqual(self.hold_json(next_buyer)['status'], 'active')

  def test_a_lapse_with_nobody_waiting_tells_the_seller_only(self):
    hold = self.make_queue(buyers=1)
    with self.clock(hours=49):
      self.assertEqual(lapse_overdue_holds(), 1)
    self.assertEqual(self.hold_row(hold['id']).status, 'lapsed')
    payload = self.notifications()['items'][0]['payload']
    self.assertIsNone(payload['next_dib_id'])
    self.assertEqual(self.reload_post(self.post.id).status, 'available')

  def test_a_sold_or_released_hold_never_lapses(self):
    self.make_queue()
    self.assertEqual(self.api('post', f'/api/posts/{self.post.id}/sold').status_code, 200)
    with self.clock(days=3):
      self.assertEqual(lapse_overdue_holds(), 0)
    self.assertEqual(self.reload_post(self.post.id).status, 'sold')

  def test_a_failed_run_changes_nothing_and_its_retry_lapses_once(self):
    hold = self.make_queue()
    with self.clock(hours=49), patch('app.posts.PostHoldHelpers.notify', FailOnce()):
      with self.assertRaises(RuntimeError):
        lapse_overdue_holds()
      self.assertEqual(self.hold_row(hold['id']).status, 'active')
      self.assertEqual(self.reload_post(self.post.id).status, 'pending')
      self.assertEqual(lapse_overdue_holds(), 1)
      self.assertEqual(lapse_overdue_holds(), 0)
    self.assertEqual(self.kinds_of(self.buyers[0].id).count('hold_lapsed'), 1)
    self.assertEqual(self.kinds_of(self.buyers[1].id).count('your_turn'), 1)

  def test_a_mail_turned_off_is_not_sent_but_the_notification_is(self):
    self.make_queue()
    buyer = self.buyers[0]
    response = self.api(
      'patch',
      '/api/users/me',
      json={'notification_settings': {'hold_lapsed': False}},
      client=buyer.client,
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    mails_before = len(self.mails_to(buyer.user.email))
    with self.clock(hours=49):
      lapse_overdue_holds()
    self.assertEqual(len(self.mails_to(buyer.user.email)), mails_before)
    self.assertIn('hold_lapsed', self.kinds_of(buyer.id))

  def test_the_periodic_command_lists_the_hold_jobs(self):
    from app.common.CommonJobs import PERIODIC_JOBS

    self.assertIn('lapse_overdue_holds', PERIODIC_JOBS)
    self.assertIn('remind_meetups', PERIODIC_JOBS)


class ReminderJobTest(HoldTestCase):
  def confirmed_meetup(self, hours_ahead):
    hold = self.make_queue(buyers=1)
    meet_at = utc_now() + timedelta(hours=hours_ahead)
    meetup = self.propose(self.buyers[0], hold['id'], meet_at)['hold']['meetup']
    self.confirm(self.seller, meetup['id'])
    return hold

  def reminders(self, side):
    return self.kinds_of(side.id).count('meetup_reminder')

  def test_a_day_before_and_an_hour_before_each_once(self):
    self.confirmed_meetup(30)
    self.assertEqual(remind_meetups(), 0)
    with self.clock(hours=5):
      self.assertEqual(remind_meetups(), 0)
    with self.clock(hours=7):
      self.assertEqual(remind_meetups(), 1)
      self.assertEqual(remind_meetups(), 0)
    self.assertEqual((self.reminders(self.seller), self.reminders(self.buyers[0])), (1, 1))
    with self.clock(hours=29, minutes=30):
      self.assertEqual(remind_meetups(), 1)
      self.assertEqual(remind_meetups(), 0)
    with self.clock(hours=31):
      self.assertEqual(remind_meetups(), 0)
    self.assertEqual((self.reminders(self.seller), self.reminders(self.buyers[0])), (2, 2))
    subject, body = self.mails_to(self.buyers[0].user.email)[-1]
    self.assertEqual(subject, 'Your meet-up is coming up')
    self.assertIn('Library steps', body)

  def test_a_meetup_confirmed_within_a_day_gets_the_hour_reminder_only(self):
    self.confirmed_meetup(5)
    with self.clock(hours=2):
      self.assertEqual(remind_meetups(), 0)
    with self.clock(hours=4, minutes=30):
      self.assertEqual(remind_meetups(), 1)
    self.assertEqual(self.reminders(self.buyers[0]), 1)

  def test_an_unconfirmed_or_ended_meetup_is_not_reminded(self):
    hold = self.make_queue(buyers=1)
    self.propose(self.buyers[0], hold['id'], utc_now() + timedelta(hours=30))
    with self.clock(hours=7):
      self.assertEqual(remind_meetups(), 0)
    second = self.confirmed_meetup(30)
    self.api('post', f'/api/holds/{second["id"]}/release', client=self.buyers[0].client)
    with self.clock(hours=29, minutes=30):
      self.assertEqual(remind_meetups(), 0)

  def test_a_failed_run_is_retried_and_reminds_once(self):
    self.confirmed_meetup(30)
    with self.clock(hours=7), patch('app.posts.PostHoldHelpers.notify', FailOnce()):
      with self.assertRaises(RuntimeError):
        remind_meetups()
      self.assertEqual(remind_meetups(), 1)
      self.assertEqual(remind_meetups(), 0)
    self.assertEqual((self.reminders(self.seller), self.reminders(self.buyers[0])), (1, 1))
