"""Warnings, suspensions and bans: every session ends at once, login is refused with the reason
and end date, the user's posts are hidden, they cannot write; lifting; the operator's CLI."""

from datetime import timedelta

from sqlalchemy import func, select

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.moderation.ModerationModels import ModerationAction
from app.users.UserModels import User, UserSession
from tests import factories
from tests.moderation.test_ReportApi import ReportTestCase


class SuspensionTest(ReportTestCase):
  def suspend(self, user, body, actor=None):
    client = self.logged_in_client(actor or self.moderator)
    return self.api('post', f'/api/moderation/users/{user.id}/suspension', json=body, client=client)

  def login(self, user):
    body = {'email': user.email, 'password': factories.DEFAULT_PASSWORD}
    return self.api('post', '/api/auth/login', json=body, client=self.new_client())

  def test_a_suspension_ends_sessions_refuses_login_and_hides_posts(self):
    seller_client = self.logged_in_client(self.seller)
    self.assertEqual(len(self.client.get('/api/posts').get_json()['items']), 1)
    response = self.suspend(self.seller, {'days': 7, 'reason': 'Selling stolen phones.'})
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertTrue(response.get_json()['user']['suspended'])
    self.assertEqual(
      db.session.execute(
        select(func.count()).select_from(UserSession).where(UserSession.user_id == self.seller.id)
      ).scalar(),
      0,
    )
    # The open session is gone: every write (and read) is a 401.
    self.assert_error(seller_client.get('/api/users/me/blocks'), 401, 'unauthorized')
    body = {
      'title': 'x',
      'description': 'y',
      'price_cents': 1,
      'category': 'other',
      'condition': 'good',
    }
    self.assert_error(
      self.api('post', '/api/posts', json=body, client=seller_client), 401, 'unauthorized'
    )
    error = self.assert_error(self.login(self.seller), 403, 'forbidden')
    self.assertIn('suspended until', error['message'])
    self.assertIn('Selling stolen phones.', error['message'])
    self.assertIn((utc_now() + timedelta(days=7)).strftime('%Y-%m-%d'), error['message'])
    # A wrong password still says only that it is wrong.
    body = {'email': self.seller.email, 'password': 'not the password at all'}
    self.assert_error(self.api('post', '/api/auth/login', json=body), 401, 'unauthorized')
    self.assertEqual(self.client.get('/api/posts').get_json()['items'], [])
    self.assertEqual(self.client.get('/api/users/sally_seller/posts').get_json()['items'], [])
    self.assert_error(self.client.get(f'/api/posts/{self.post.id}'), 404, 'not_found')
    moderator_view = self.logged_in_client(self.moderator).get(f'/api/posts/{self.post.id}')
    self.assertEqual(moderator_view.status_code, 200)
    # Lifted: they log in again and their posts are back.
    response = self.api(
      'delete',
      f'/api/moderation/users/{self.seller.id}/suspension',
      json={'reason': 'Appeal accepted.'},
      client=self.logged_in_client(self.moderator),
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(self.login(self.seller).status_code, 200)
    self.assertEqual(len(self.client.get('/api/posts').get_json()['items']), 1)
    actions = db.session.execute(
      select(ModerationAction.action).order_by(ModerationAction.id)
    ).scalars()
    self.assertEqual(list(actions), ['suspend', 'lift'])

  def test_a_ban_says_so_and_a_suspension_ends_by_time(self):
    self.assertEqual(self.suspend(self.seller, {'ban': True, 'reason': 'Fraud.'}).status_code, 200)
    error = self.assert_error(self.login(self.seller), 403, 'forbidden')
    self.assertEqual(error['message'], 'Your account is banned: Fraud.')
    other = self.reporters[0]
    self.assertEqual(self.suspend(other, {'days': 1, 'reason': 'Spam.'}).status_code, 200)
    user = db.session.get(User, other.id)
    user.suspended_until = utc_now() - timedelta(minutes=1)
    db.session.commit()
    self.assertEqual(self.login(other).status_code, 200)

  def test_moderators_list_the_accounts_suspended_now(self):
    path = '/api/moderation/suspensions'
    self.assert_error(self.logged_in_client(self.reporters[0]).get(path), 403, 'forbidden')
    self.assertEqual(self.logged_in_client(self.moderator).get(path).get_json()['items'], [])
    self.suspend(self.seller, {'ban': True, 'reason': 'Fraud.'})
    self.suspend(self.reporters[1], {'days': 2, 'reason': 'Spam.'})
    expired = self.reporters[2]
    self.suspend(expired, {'days': 1, 'reason': 'Rude.'})
    user = db.session.get(User, expired.id)
    user.suspended_until = utc_now() - timedelta(minutes=1)
    db.session.commit()
    body = self.logged_in_client(self.moderator).get(path).get_json()
    self.assertEqual(body['total'], 2)
    accounts = {account['username']: account for account in body['items']}
    self.assertEqual(set(accounts), {'sally_seller', 'reporter_1'})
    self.assertIsNone(accounts['sally_seller']['suspended_until'])
    self.assertEqual(accounts['sally_seller']['suspension_reason'], 'Fraud.')
    self.assertTrue(accounts['reporter_1']['suspended'])
    self.assertIsNotNone(accounts['reporter_1']['suspended_until'])
    # Lifted: off the list.
    lift = self.api(
      'delete',
      f'/api/moderation/users/{self.seller.id}/suspension',
      client=self.logged_in_client(self.moderator),
    )
    self.assertEqual(lift.status_code, 200)
    items = self.logged_in_client(self.admin).get(path).get_json()['items']
    self.assertEqual([account['username'] for account in items], ['reporter_1'])

  def test_refusals(self):
    student = self.reporters[0]
    self.assert_error(
      self.suspend(self.seller, {'days': 3, 'reason': 'x'}, actor=student), 403, 'forbidden'
    )
    self.assert_error(self.suspend(self.moderator, {'days': 3, 'reason': 'x'}), 403, 'forbidden')
    self.assert_error(self.suspend(self.admin, {'days': 3, 'reason': 'x'}), 403, 'forbidden')
    self.assert_error(self.suspend(self.seller, {'reason': 'x'}), 422, 'validation_error', ['days'])
    response = self.suspend(self.seller, {'days': 3, 'ban': True, 'reason': 'x'})
    self.assert_error(response, 422, 'validation_error', ['days'])
    self.assert_error(
      self.suspend(self.seller, {'days': 366, 'reason': 'x'}), 422, 'validation_error', ['days']
    )
    self.assert_error(self.suspend(self.seller, {'days': 3}), 422, 'validation_error', ['reason'])
    response = self.api(
      'delete',
      f'/api/moderation/users/{self.seller.id}/suspension',
      client=self.logged_in_client(self.moderator),
    )
    self.assert_error(response, 409, 'conflict')
    self.assertEqual(
      db.session.execute(select(func.count()).select_from(ModerationAction)).scalar(), 0
    )
    self.assertFalse(db.session.get(User, self.seller.id).is_suspended())

  def test_a_warning_is_a_notification_and_logged(self):
    client = self.logged_in_client(self.moderator)
    response = self.api(
      'post',
      f'/api/moderation/users/{self.seller.id}/warning',
      json={'reason': 'Be polite in chat.'},
      client=client,
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    [warning] = self.notifications_of(self.seller, 'moderation_warning')
    self.assertEqual(warning.payload['reason'], 'Be polite in chat.')
    response = self.api(
      'post',
      f'/api/moderation/users/{self.seller.id}/warning',
      json={'reason': 'x'},
      client=self.logged_in_client(self.reporters[0]),
    )
    self.assert_error(response, 403, 'forbidden')


class ModerationCommandsTest(ReportTestCase):
  def run_command(self, *args):
    return self.app.test_cli_runner().invoke(args=['moderation', *args])

  def test_queue_ban_unban_and_make_moderator(self):
    self.assertIn('No open reports.', self.run_command('queue').output)
    self.report(self.reporters[0])
    self.assertIn(f'post {self.post.id}: 1 open report(s)', self.run_command('queue').output)
    result = self.run_command('ban', 'sally_seller', '--reason', 'Fraud.')
    self.assertEqual(result.exit_code, 0, result.output)
    self.assert_error(
      self.api(
        'post',
        '/api/auth/login',
        json={'email': self.seller.email, 'password': factories.DEFAULT_PASSWORD},
      ),
      403,
      'forbidden',
    )
    self.assertEqual(self.run_command('unban', 'sally_seller').exit_code, 0)
    self.assertNotEqual(self.run_command('unban', 'sally_seller').exit_code, 0)
    self.assertNotEqual(self.run_command('ban', 'nobody_at_all', '--reason', 'x').exit_code, 0)
    result = self.run_command('make-moderator', 'reporter_0')
    self.assertEqual(result.exit_code, 0, result.output)
    db.session.expire_all()
    self.assertEqual(db.session.get(User, self.reporters[0].id).role, 'moderator')
    entry = (
      db.session.execute(select(ModerationAction).order_by(ModerationAction.id)).scalars().first()
    )
    self.assertEqual((entry.action, entry.moderator_id), ('ban', None))
