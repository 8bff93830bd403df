"""Helpers for the notification tests: mails captured as they leave the (in-process) jobs."""

from contextlib import contextmanager
from unittest.mock import patch

from tests.posts.PostTestCase import PostTestCase


class NotificationTestCase(PostTestCase):
  """PostTestCase plus a record of the mails that jobs send (jobs run in-process here)."""

  def setUp(self):
    super().setUp()
    self.sent_mails = []
    # The mail backend itself, so the idempotency record and the jobs run for real.
    patcher = patch('app.common.CommonMail.send_mail', side_effect=self.record_mail)
    patcher.start()
    self.addCleanup(patcher.stop)

  def record_mail(self, recipient, subject, body):
    self.sent_mails.append((recipient, subject, body))

  def mails_to(self, address):
    return [(subject, body) for recipient, subject, body in self.sent_mails if recipient == address]

  def notifications(self, client=None, **args):
    response = (
      self.client.get('/api/notifications', query_string=args)
      if client is None
      else (client.get('/api/notifications', query_string=args))
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    return response.get_json()

  @contextmanager
  def no_new_mail(self):
    before = len(self.sent_mails)
    yield
    self.assertEqual(self.sent_mails[before:], [])
