"""The after-commit primitive: callbacks run once after the outer commit, never after a
rollback, savepoints drop only their own, and a failing callback stops no other."""

import logging

from sqlalchemy import event, func, select

from app.common.CommonTransaction import after_commit
from app.extensions import db
from app.notifications.NotificationModels import Notification
from app.users.UserModels import User
from tests.base import ApiTestCase
from tests.factories import make_user


class AfterCommitTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.user = make_user()
    self.calls = []

  def record(self, *args):
    self.calls.append(args)

  def rename(self, name):
    self.user.bio = name

  def test_a_callback_runs_once_after_the_commit_never_before(self):
    after_commit(self.record, 'a', 1)
    db.session.flush()
    self.assertEqual(self.calls, [])
    db.session.commit()
    self.assertEqual(self.calls, [('a', 1)])
    db.session.commit()
    self.assertEqual(self.calls, [('a', 1)])

  def test_callbacks_run_in_the_order_they_were_queued(self):
    for number in range(5):
      after_commit(self.record, number)
    db.session.commit()
    self.assertEqual(self.calls, [(number,) for number in range(5)])

  def test_a_rollback_drops_the_callbacks(self):
    self.rename('rolled back')
    after_commit(self.record, 'rolled back')
    db.session.rollback()
    db.session.commit()
    self.assertEqual(self.calls, [])

  def test_a_session_closed_without_commit_drops_them(self):
    after_commit(self.record, 'closed')
    db.session.get(User, self.user.id)
    db.session.remove()
    db.session.get(User, self.user.id)
    db.session.commit()
    self.assertEqual(self.calls, [])

  def test_a_rolled_back_savepoint_drops_only_its_own(self):
    after_commit(self.record, 'outer')
    savepoint = db.session.begin_nested()
    after_commit(self.record, 'inner')
    savepoint.rollback()
    self.assertEqual(self.calls, [])
    db.session.commit()
    self.assertEqual(self.calls, [('outer',)])

  def test_a_released_savepoint_waits_for_the_outer_commit(self):
    with db.session.begin_nested():
      after_commit(self.record, 'inner')
    self.assertEqual(self.calls, [])
    db.session.commit()
    self.assertEqual(self.calls, [('inner',)])

  def test_a_released_savepoint_inside_a_rolled_back_one_is_dropped(self):
    outer = db.session.begin_nested()
    with db.session.begin_nested():
      after_commit(self.record, 'inner')
    outer.rollback()
    db.session.commit()
    self.assertEqual(self.calls, [])

  def test_a_rolled_back_outer_transaction_drops_a_released_savepoints_callbacks(self):
    with db.session.begin_nested():
      after_commit(self.record, 'inner')
    db.session.rollback()
    db.session.commit()
    self.assertEqual(self.calls, [])

  def test_a_failing_callback_is_logged_and_the_others_still_run(self):
    def fail():
      raise RuntimeError('mail server on fire')

    after_commit(self.record, 'before')
    after_commit(fail)
    after_commit(self.record, 'after')
    with self.assertLogs('app.common.CommonTransaction', logging.ERROR) as logs:
      db.session.commit()
    self.assertEqual(self.calls, [('before',), ('after',)])
    self.assertIn('fail failed', logs.output[0])
    self.assertIn('mail server on fire', logs.output[0])

  def test_a_callback_that_breaks_its_own_transaction_does_not_break_the_next(self):
    def write_twice():
      db.session.add(
        User(username=self.user.username, email='other@example.edu', password_hash='x')
      )
      db.session.flush()

    after_commit(write_twice)
    after_commit(self.count_users)
    with self.assertLogs('app.common.CommonTransaction', logging.ERROR):
      db.session.commit()
    self.assertEqual(self.calls, [(1,)])

  def count_users(self):
    self.calls.append((db.session.execute(select(func.count()).select_from(User)).scalar_one(),))

  def test_a_callback_may_read_and_commit_and_its_own_callbacks_run_after(self):
    def write_and_queue():
      db.session.add(Notification(user_id=self.user.id, kind='post_sold', payload={}))
      after_commit(self.record, 'nested')
      db.session.commit()

    after_commit(write_and_queue)
    after_commit(self.record, 'outer')
    db.session.commit()
    self.assertEqual(self.calls, [('nested',), ('outer',)])
    count = db.session.execute(select(func.count()).select_from(Notification)).scalar_one()
    self.assertEqual(count, 1)


class CommitCounter:
  """Counts the outer commits of the app session while active."""

  def __init__(self):
    self.count = 0

  def note(self, session):
    if not session.in_nested_transaction():
      self.count += 1

  def __enter__(self):
    event.listen(db.session, 'after_commit', self.note)
    return self

  def __exit__(self, *exc_info):
    event.remove(db.session, 'after_commit', self.note)
