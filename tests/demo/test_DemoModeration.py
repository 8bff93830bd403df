"""The demo seed of trust and safety: open reports for the queue and one suspended account."""

import pytest
from sqlalchemy import func, select

from app.demo.DemoUsers import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from app.extensions import db
from app.moderation.ModerationModels import Report
from tests.base import ApiTestCase


# Slow: the demo seed draws its pictures (seconds).
@pytest.mark.slow
class ModerationSeedTest(ApiTestCase):
  def seed(self):
    result = self.app.test_cli_runner().invoke(args=['seed', '--posts', '20'])
    self.assertEqual(result.exit_code, 0, result.output)
    return result.output

  def test_reports_and_a_suspended_account_once(self):
    self.assertIn('moderation: 3 open reports, hiro suspended', self.seed())
    self.assertEqual(db.session.execute(select(func.count()).select_from(Report)).scalar(), 3)
    login = {'email': f'hiro@{DEMO_EMAIL_DOMAIN}', 'password': DEMO_PASSWORD}
    error = self.assert_error(self.api('post', '/api/auth/login', json=login), 403, 'forbidden')
    self.assertIn('suspended until', error['message'])
    admin = {'email': f'admin@{DEMO_EMAIL_DOMAIN}', 'password': DEMO_PASSWORD}
    client = self.new_client()
    self.assertEqual(
      self.api('post', '/api/auth/login', json=admin, client=client).status_code, 200
    )
    queue = client.get('/api/moderation/queue').get_json()
    self.assertEqual(queue['total'], 2)
    # The console's suspended accounts: hiro, with the reason.
    suspended = client.get('/api/moderation/suspensions').get_json()['items']
    self.assertEqual([account['username'] for account in suspended], ['hiro'])
    self.assertTrue(suspended[0]['suspension_reason'].startswith('Demo:'))
    self.assertIn('moderation: already seeded', self.seed())
    self.assertEqual(db.session.execute(select(func.count()).select_from(Report)).scalar(), 3)
