"""Reports and moderation: who may report what (once while open, never oneself, 20 a day), the
automatic hide at MODERATION_AUTO_HIDE_REPORTS reporters, the moderators' queue, decisions
(never on their own case), reporters told, and the append-only audit log admins read."""

import pytest
from sqlalchemy import func, select

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.moderation.ModerationModels import ModerationAction, Report
from app.notifications.NotificationModels import Notification
from tests import factories
from tests.base import ApiTestCase


def verified_user(username, **fields):
  return factories.make_user(username, email_verified_at=utc_now(), **fields)


class ReportTestCase(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.seller = verified_user('sally_seller')
    self.post = factories.make_post(self.seller, title='Suspicious phone')
    self.reporters = [verified_user(f'reporter_{number}') for number in range(3)]
    self.moderator = verified_user('mona_moderator', role='moderator')
    self.admin = verified_user('adam_admin', admin=True)
    self.clients = {}

  def logged_in_client(self, user):
    """One logged-in client per user (logins are rate-limited per account and address)."""
    if user.id not in self.clients:
      self.clients[user.id] = super().logged_in_client(user)
    return self.clients[user.id]

  def report(
    self, user, target_type='post', target_id=None, reason='scam', note=None, expected=201
  ):
    client = self.logged_in_client(user)
    body = {'target_type': target_type, 'target_id': target_id or self.post.id, 'reason': reason}
    if note is not None:
      body['note'] = note
    response = self.api('post', '/api/reports', json=body, client=client)
    if expected is not None:
      self.assertEqual(response.status_code, expected, response.get_data(as_text=True))
    return response

  def notifications_of(self, user, kind):
    return (
      db.session.execute(
        select(Notification).where(Notification.user_id == user.id, Notification.kind == kind)
      )
      .scalars()
      .all()
    )

  def count(self, model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


class ReportRulesTest(ReportTestCase):
  def test_a_report_is_filed_once_while_open(self):
    report = self.report(self.reporters[0], note='Asks for payment upfront.').get_json()['report']
    self.assertEqual(report['status'], 'open')
    self.assertEqual(report['reason'], 'scam')
    response = self.report(self.reporters[0], reason='spam', expected=None)
    self.assert_error(response, 409, 'conflict')
    self.assertEqual(self.count(Report), 1)
    mine = self.logged_in_client(self.reporters[0]).get('/api/users/me/reports').get_json()
    self.assertEqual([item['id'] for item in mine['items']], [report['id']])

  def test_refusals(self):
    # An unverified student, their own post, themselves, a missing target, bad fields.
    unverified = factories.make_user('ursula_unverified')
    self.assert_error(self.report(unverified, expected=None), 403, 'forbidden')
    self.assert_error(
      self.report(self.seller, expected=None), 422, 'validation_error', ['target_id']
    )
    response = self.report(self.seller, 'user', self.seller.id, expected=None)
    self.assert_error(response, 422, 'validation_error', ['target_id'])
    self.assert_error(self.report(self.seller, 'post', 999999, expected=None), 404, 'not_found')
    response = self.report(self.reporters[0], reason='boring', note='x' * 1001, expected=None)
    self.assert_error(response, 422, 'validation_error', ['reason', 'note'])
    response = self.report(self.reporters[0], target_type='dib', expected=None)
    self.assert_error(response, 422, 'validation_error', ['target_type'])
    self.assertEqual(self.count(Report), 0)

  def test_a_message_is_reported_by_a_participant_only(self):
    buyer = self.reporters[0]
    conversation = factories.make_conversation(self.post, buyer)
    message = factories.make_message(conversation, self.seller, 'Pay me in gift cards.')
    outsider = self.reporters[1]
    response = self.report(outsider, 'message', message.id, expected=None)
    self.assert_error(response, 404, 'not_found')
    response = self.report(self.seller, 'message', message.id, expected=None)
    self.assert_error(response, 422, 'validation_error', ['target_id'])
    self.report(buyer, 'message', message.id, reason='harassment')
    queue = self.logged_in_client(self.moderator).get('/api/moderation/queue').get_json()
    item = queue['items'][0]
    self.assertEqual(item['target_type'], 'message')
    self.assertEqual(item['snapshot']['body'], 'Pay me in gift cards.')
    self.assertEqual([entry['body'] for entry in item['context']], ['Pay me in gift cards.'])

  def test_message_context_is_five_before_and_five_after(self):
    buyer = self.reporters[0]
    conversation = factories.make_conversation(self.post, buyer)
    messages = [factories.make_message(conversation, self.seller, f'm{n}') for n in range(13)]
    self.report(buyer, 'message', messages[6].id, reason='harassment')
    queue = self.logged_in_client(self.moderator).get('/api/moderation/queue').get_json()
    bodies = [entry['body'] for entry in queue['items'][0]['context']]
    self.assertEqual(bodies, [f'm{n}' for n in range(1, 12)])

  @pytest.mark.filterwarnings('ignore')
  def test_twenty_reports_a_day(self):
    reporter = self.reporters[0]
    client = self.logged_in_client(reporter)
    posts = [factories.make_post(self.seller) for _ in range(21)]
    statuses = []
    for post in posts:
      body = {'target_type': 'post', 'target_id': post.id, 'reason': 'spam'}
      statuses.append(self.api('post', '/api/reports', json=body, client=client).status_code)
    self.assertEqual(statuses[:20], [201] * 20)
    self.assertEqual(statuses[20], 429)


class AutoHideTest(ReportTestCase):
  def test_three_distinct_reporters_hide_the_post_and_tell_the_seller(self):
    self.assertEqual(len(self.client.get('/api/posts').get_json()['items']), 1)
    for reporter in self.reporters[:2]:
      self.report(reporter)
    self.assertEqual(len(self.client.get('/api/posts').get_json()['items']), 1)
    self.assertEqual(self.notifications_of(self.seller, 'post_hidden'), [])
    self.report(self.reporters[2], reason='counterfeit')
    self.assertEqual(self.client.get('/api/posts').get_json()['items'], [])
    self.assertEqual(self.client.get('/api/search/posts?q=phone').get_json()['items'], [])
    self.assert_error(self.client.get(f'/api/posts/{self.post.id}'), 404, 'not_found')
    # The seller sees it, with why; so do moderators; nobody else.
    seller_view = self.logged_in_client(self.seller).get(f'/api/posts/{self.post.id}')
    self.assertEqual(seller_view.status_code, 200)
    self.assertNotIn('ETag', seller_view.headers)
    post = seller_view.get_json()['post']
    self.assertEqual(post['moderation_state'], 'hidden')
    self.assertIn('counterfeit', post['moderation_reason'])
    moderator_view = self.logged_in_client(self.moderator).get(f'/api/posts/{self.post.id}')
    self.assertEqual(moderator_view.status_code, 200)
    reporter_view = self.logged_in_client(self.reporters[0]).get(f'/api/posts/{self.post.id}')
    self.assertEqual(reporter_view.status_code, 404)
    [notification] = self.notifications_of(self.seller, 'post_hidden')
    self.assertIn('reported by 3 students', notification.payload['reason'])
    entry = db.session.execute(select(ModerationAction)).scalar_one()
    self.assertEqual((entry.action, entry.moderator_id), ('auto_hide', None))

  def test_reports_of_one_reporter_count_once(self):
    # The same reporter's second report is refused while open: two reporters hide nothing.
    for reporter in self.reporters[:2]:
      self.report(reporter)
    self.report(self.reporters[0], reason='spam', expected=409)
    self.assertEqual(len(self.client.get('/api/posts').get_json()['items']), 1)


class ModerationTest(ReportTestCase):
  def decide(self, user, action, target_type='post', target_id=None, reason=None):
    body = {'action': action}
    if reason is not None:
      body['reason'] = reason
    path = f'/api/moderation/targets/{target_type}/{target_id or self.post.id}/decision'
    return self.api('post', path, json=body, client=self.logged_in_client(user))

  def test_the_queue_groups_reports_by_target(self):
    self.report(self.reporters[0], reason='scam')
    self.report(self.reporters[1], reason='scam')
    self.report(self.reporters[0], 'user', self.seller.id, reason='harassment')
    queue = self.logged_in_client(self.moderator).get('/api/moderation/queue').get_json()
    self.assertEqual(queue['total'], 2)
    first, second = queue['items']
    self.assertEqual((first['target_type'], first['report_count']), ('post', 2))
    self.assertEqual(first['reasons'], {'scam': 2})
    self.assertEqual(first['snapshot']['title'], 'Suspicious phone')
    self.assertEqual(first['target_user']['username'], 'sally_seller')
    self.assertEqual(second['target_type'], 'user')
    admin_queue = self.logged_in_client(self.admin).get('/api/moderation/queue')
    self.assertEqual(admin_queue.status_code, 200)

  def test_the_snapshot_keeps_the_post_as_reported(self):
    self.report(self.reporters[0])
    seller_client = self.logged_in_client(self.seller)
    self.api(
      'patch', f'/api/posts/{self.post.id}', json={'title': 'A nice phone'}, client=seller_client
    )
    queue = self.logged_in_client(self.moderator).get('/api/moderation/queue').get_json()
    self.assertEqual(queue['items'][0]['snapshot']['title'], 'Suspicious phone')

  def test_hide_tells_reporters_and_seller_and_is_audited(self):
    self.report(self.reporters[0])
    self.report(self.reporters[1], reason='prohibited_item')
    response = self.decide(self.moderator, 'hide_post', reason='Stolen goods are not allowed.')
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(response.get_json()['decided'], 2)
    self.assertEqual(self.client.get('/api/posts').get_json()['items'], [])
    post = self.logged_in_client(self.seller).get(f'/api/posts/{self.post.id}').get_json()['post']
    self.assertEqual(post['moderation_reason'], 'Stolen goods are not allowed.')
    for reporter in self.reporters[:2]:
      [told] = self.notifications_of(reporter, 'report_decided')
      self.assertEqual(told.payload['reason'], 'the post was hidden')
      mine = self.logged_in_client(reporter).get('/api/users/me/reports').get_json()['items']
      self.assertEqual((mine[0]['status'], mine[0]['decision']), ('decided', 'hide_post'))
    self.assertEqual(len(self.notifications_of(self.seller, 'post_hidden')), 1)
    queue = self.logged_in_client(self.moderator).get('/api/moderation/queue').get_json()
    self.assertEqual(queue['items'], [])
    audit = self.logged_in_client(self.admin).get('/api/moderation/audit').get_json()['items']
    self.assertEqual(
      [(entry['action'], entry['moderator_id'], entry['target_id']) for entry in audit],
      [('hide_post', self.moderator.id, self.post.id)],
    )
    self.assertEqual(audit[0]['reason'], 'Stolen goods are not allowed.')
    # Decided reports are closed: the same student may report it again.
    self.report(self.reporters[0])

  def test_dismiss_leaves_the_post_listed(self):
    self.report(self.reporters[0])
    self.assertEqual(self.decide(self.moderator, 'dismiss').status_code, 200)
    self.assertEqual(len(self.client.get('/api/posts').get_json()['items']), 1)
    [told] = self.notifications_of(self.reporters[0], 'report_decided')
    self.assertEqual(told.payload['reason'], 'no action was needed')

  def test_remove_post(self):
    self.report(self.reporters[0])
    self.assertEqual(self.decide(self.moderator, 'remove_post').status_code, 200)
    post = self.logged_in_client(self.seller).get(f'/api/posts/{self.post.id}').get_json()['post']
    self.assertEqual(post['moderation_state'], 'removed')

  def test_refusals(self):
    self.report(self.reporters[0])
    # A student, the seller, a moderator on their own content, a non-post hide, nothing open.
    self.assert_error(self.decide(self.reporters[1], 'dismiss'), 403, 'forbidden')
    self.assert_error(self.decide(self.seller, 'dismiss'), 403, 'forbidden')
    own_post = factories.make_post(self.moderator, title='Moderator lamp')
    self.report(self.reporters[0], target_id=own_post.id)
    self.assert_error(
      self.decide(self.moderator, 'hide_post', target_id=own_post.id), 403, 'forbidden'
    )
    self.report(self.reporters[1], 'user', self.moderator.id, reason='harassment')
    response = self.decide(self.moderator, 'dismiss', 'user', self.moderator.id)
    self.assert_error(response, 403, 'forbidden')
    self.report(self.reporters[1], 'user', self.seller.id, reason='harassment')
    response = self.decide(self.moderator, 'hide_post', 'user', self.seller.id)
    self.assert_error(response, 422, 'validation_error', ['action'])
    self.assert_error(self.decide(self.moderator, 'dismiss', target_id=999999), 404, 'not_found')
    self.assert_error(self.decide(self.moderator, 'ban'), 422, 'validation_error', ['action'])
    response = self.api(
      'post',
      f'/api/moderation/targets/dib/{self.post.id}/decision',
      json={'action': 'dismiss'},
      client=self.logged_in_client(self.moderator),
    )
    self.assert_error(response, 404, 'not_found')
    self.assertEqual(self.count(ModerationAction), 0)
    self.assertEqual(self.count(Report), 4)
    self.assertEqual(
      db.session.execute(
        select(func.count()).select_from(Report).where(Report.status == 'open')
      ).scalar(),
      4,
    )

  def test_the_queue_and_the_audit_log_are_closed_to_others(self):
    student = self.logged_in_client(self.reporters[0])
    self.assert_error(student.get('/api/moderation/queue'), 403, 'forbidden')
    self.assert_error(student.get('/api/moderation/audit'), 403, 'forbidden')
    self.assert_error(
      self.logged_in_client(self.moderator).get('/api/moderation/audit'), 403, 'forbidden'
    )
    self.assert_error(self.client.get('/api/moderation/queue'), 401, 'unauthorized')

  def test_the_audit_log_filters_and_is_append_only(self):
    self.report(self.reporters[0])
    self.decide(self.moderator, 'dismiss')
    self.report(self.reporters[1], 'user', self.seller.id, reason='spam')
    self.decide(self.admin, 'dismiss', 'user', self.seller.id)
    admin = self.logged_in_client(self.admin)
    by_moderator = admin.get(f'/api/moderation/audit?moderator_id={self.moderator.id}').get_json()
    self.assertEqual([entry['target_type'] for entry in by_moderator['items']], ['post'])
    by_type = admin.get('/api/moderation/audit?target_type=user&action=dismiss').get_json()
    self.assertEqual([entry['moderator_id'] for entry in by_type['items']], [self.admin.id])
    self.assert_error(admin.get('/api/moderation/audit?action=nap'), 422, 'validation_error')
    entry = db.session.execute(select(ModerationAction)).scalars().first()
    entry.reason = 'rewritten'
    with self.assertRaises(RuntimeError):
      db.session.commit()
    db.session.rollback()
    db.session.delete(db.session.execute(select(ModerationAction)).scalars().first())
    with self.assertRaises(RuntimeError):
      db.session.commit()
    db.session.rollback()
