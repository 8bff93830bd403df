"""Found by the chaos run (docs/RELIABILITY.md): a mail queued after a commit is lost when Redis
is away (enqueue gives up) or the process dies between the commit and the enqueue; the
notification or the account stayed, its mail never came. Two periodic jobs queue again what is
owed once it is OWED_MAIL_AFTER_SECONDS late, and send_mail_once keeps each mail to one."""

from datetime import timedelta

from sqlalchemy import func, select

from app.common.CommonConstants import OWED_MAIL_AFTER_SECONDS
from app.common.CommonHelpers import utc_now
from app.common.CommonMail import OWED_MAIL_WITHIN_SECONDS
from app.common.CommonModels import SentMail
from app.extensions import db
from app.notifications.NotificationConstants import KIND_WARNING
from app.notifications.NotificationModels import Notification, NotificationPreference
from app.users.UserJobs import send_verification_mail
from app.users.UserModels import EmailVerificationToken
from tests.base import ApiTestCase
from tests.factories import make_user


def seconds_ago(seconds):
  return utc_now() - timedelta(seconds=seconds)


class OwedMailsTest(ApiTestCase):
  def run_periodic(self, name):
    result = self.app.test_cli_runner().invoke(args=['periodic', '--only', name])
    self.assertEqual(result.exit_code, 0, result.output)

  def sent_keys(self):
    return set(db.session.execute(select(SentMail.mail_key)).scalars())

  def notification(self, user, created_at):
    row = Notification(user_id=user.id, kind=KIND_WARNING, payload={'reason': 'spam'})
    row.created_at = created_at
    db.session.add(row)
    db.session.flush()
    return row.id

  def test_a_notification_whose_mail_was_lost_is_mailed_once_when_late(self):
    alice, bob = make_user('alice'), make_user('bob')
    late = seconds_ago(OWED_MAIL_AFTER_SECONDS + 30)
    owed = self.notification(alice, late)
    recent = self.notification(alice, seconds_ago(10))
    ancient = self.notification(alice, seconds_ago(OWED_MAIL_WITHIN_SECONDS + 60))
    already = self.notification(alice, late)
    db.session.add(SentMail(mail_key=f'notification:{already}', sent_at=late))
    turned_off = self.notification(bob, late)
    db.session.add(NotificationPreference(user_id=bob.id, kind=KIND_WARNING, email=False))
    db.session.commit()

    self.run_periodic('resend_owed_notification_mails')
    keys = self.sent_keys()
    self.assertIn(f'notification:{owed}', keys)
    for not_owed in (recent, ancient, turned_off):
      self.assertNotIn(f'notification:{not_owed}', keys)
    count = db.session.execute(select(func.count(SentMail.id))).scalar_one()
    self.assertEqual(count, 2)

    # Run again: nothing is owed any more, nothing is sent twice.
    self.run_periodic('resend_owed_notification_mails')
    self.assertEqual(db.session.execute(select(func.count(SentMail.id))).scalar_one(), 2)

  def test_an_account_whose_verification_job_was_lost_gets_its_link_once(self):
    lost = make_user('lost')
    handled = make_user('handled')
    verified = make_user('verified')
    fresh = make_user('fresh')
    db.session.query(EmailVerificationToken).delete()
    late = seconds_ago(OWED_MAIL_AFTER_SECONDS + 30)
    for user in (lost, handled, verified):
      user.created_at = late
    verified.email_verified_at = late
    db.session.add(
      EmailVerificationToken(
        user_id=handled.id, token_hash='issued-before', expires_at=utc_now() + timedelta(days=1)
      )
    )
    db.session.commit()

    self.run_periodic('resend_owed_verification_mails')
    owners = db.session.execute(select(EmailVerificationToken.user_id)).scalars().all()
    self.assertEqual(sorted(owners), sorted([lost.id, handled.id]))
    self.assertNotIn(fresh.id, owners)
    self.assertEqual(len([key for key in self.sent_keys() if key.startswith('verify-first:')]), 1)

    self.run_periodic('resend_owed_verification_mails')
    self.assertEqual(len([key for key in self.sent_keys() if key.startswith('verify-first:')]), 1)

  def test_a_late_sign_up_job_after_the_owed_one_sends_nothing_more(self):
    user = make_user('late')
    db.session.query(EmailVerificationToken).delete()
    user.created_at = seconds_ago(OWED_MAIL_AFTER_SECONDS + 30)
    db.session.commit()
    self.run_periodic('resend_owed_verification_mails')
    # The sign-up's own job, retried past a fault, runs after the owed one.
    self.assertFalse(send_verification_mail(user.id, True))
    keys = [key for key in self.sent_keys() if key.startswith('verify')]
    self.assertEqual(keys, [f'verify-first:{user.id}'])
