"""Jobs on a real queue: a real worker process, a real Redis and a real SMTP server.

Mail goes out only from the worker; a mail job retried after a failure sends once, a job run
again after success sends nothing; a hung SMTP server fills the failed-job list, which
`manage.py jobs` shows and retries; Redis down or hung costs a request nothing but the mail.
"""

import re
import socket

from rq import Queue
from rq.job import Job

from app.common.CommonJobs import QUEUE_NAME
from app.common.CommonModels import SentMail
from app.extensions import db
from tests.factories import make_post, make_user
from tests.jobs.JobServers import HungSocketServer, free_port, wait_until
from tests.jobs.JobTestCase import JobTestCase

RESET_LINK = re.compile(r'/reset-password\?token=([A-Za-z0-9_\-]+)')


class WorkerMailTest(JobTestCase):
  def invoke(self, *args):
    return self.app.test_cli_runner().invoke(args=list(args))

  def test_reset_mail_is_sent_by_the_worker_and_unknown_emails_get_none(self):
    user = make_user('alice')
    self.start_worker()
    unknown = self.api('post', '/api/auth/password-reset', json={'email': 'nobody@example.edu'})
    known = self.api('post', '/api/auth/password-reset', json={'email': 'ALICE@example.edu'})
    self.assertEqual((unknown.status_code, known.status_code), (202, 202))
    self.assertEqual(unknown.get_json(), known.get_json())
    [(subject, body)] = self.wait_for_mails(user.email)
    self.assertEqual(subject, 'Reset your Dibz password')
    token = RESET_LINK.search(body).group(1)
    confirm = {'token': token, 'new_password': 'a brand new password'}
    response = self.api('post', '/api/auth/password-reset/confirm', json=confirm)
    self.assertEqual(response.status_code, 204)
    # One worker takes jobs in order, so the unknown address's job ran first: no other mail.
    self.assertEqual([message['To'] for message in self.smtp_server.messages], [user.email])

  def test_a_dib_notifies_the_seller_in_the_app_and_by_mail(self):
    seller = make_user('seller')
    buyer = make_user('buyer')
    post = make_post(seller, title='Desk lamp')
    self.start_worker()
    self.login_as(buyer)
    response = self.api('post', f'/api/posts/{post.id}/dibs')
    self.assertEqual(response.status_code, 201)
    [(subject, body)] = self.wait_for_mails(seller.email)
    self.assertEqual(subject, 'Someone called dibs on your post')
    self.assertIn('buyer called dibs on “Desk lamp”', body)
    self.assertIn(f'/posts/{post.id}', body)
    self.login_as(seller)
    notifications = self.client.get('/api/notifications').get_json()
    self.assertEqual(notifications['unread'], 1)
    self.assertEqual(notifications['items'][0]['kind'], 'dib_received')

  def test_hung_smtp_fails_the_job_which_jobs_lists_and_retries_once_sent(self):
    user = make_user('hana')
    hung_worker = self.start_worker(smtp_port=self.hung_server.port)
    response = self.api('post', '/api/auth/password-reset', json={'email': user.email})
    self.assertEqual(response.status_code, 202)
    queue = Queue(QUEUE_NAME, connection=self.redis_server.client())
    # The first try and its one retry each time out; then the job waits in the failed list.
    failed = wait_until(lambda: queue.failed_job_registry.get_job_ids())
    self.assertTrue(failed, hung_worker.output())
    self.stop_worker(hung_worker)
    listing = self.invoke('jobs')
    self.assertEqual(listing.exit_code, 0, listing.output)
    self.assertIn('failed: 1', listing.output)
    self.assertIn(f'{failed[0]}  app.users.UserJobs.send_password_reset_mail', listing.output)
    self.assertIn('timed out', listing.output)
    self.assertEqual(db.session.execute(db.select(SentMail)).scalars().all(), [])

    self.start_worker()
    retried = self.invoke('jobs', '--retry', failed[0])
    self.assertEqual(retried.exit_code, 0, retried.output)
    self.assertIn('Requeued 1 failed job(s).', retried.output)
    self.assertEqual(len(self.wait_for_mails(user.email)), 1)

    # Run the very same job again (same id): the mail is recorded as sent, so none goes out.
    job = Job.fetch(failed[0], connection=queue.connection)
    self.assertTrue(wait_until(lambda: job.get_status(refresh=True) == 'finished'))
    queue.enqueue_job(job)
    self.assertTrue(wait_until(lambda: job.get_status(refresh=True) == 'finished' or None))
    self.assertTrue(wait_until(lambda: queue.count == 0))
    self.assertEqual(len(self.smtp_server.mails_to(user.email)), 1)
    db.session.expire_all()
    [sent] = db.session.execute(db.select(SentMail)).scalars().all()
    self.assertEqual(sent.mail_key, f'reset:{failed[0]}')
    self.assertIsNotNone(sent.sent_at)


class RedisUnavailableTest(JobTestCase):
  def test_reset_answers_202_when_redis_is_down_or_hung(self):
    make_user('ivan')
    hung_redis = HungSocketServer().start()
    try:
      for url in (f'redis://127.0.0.1:{free_port()}/0', f'redis://127.0.0.1:{hung_redis.port}/0'):
        self.use_redis(url)
        with self.assertLogs(self.app.logger, level='ERROR') as logs:
          response = self.api(
            'post', '/api/auth/password-reset', json={'email': 'ivan@example.edu'}
          )
        self.assertEqual(response.status_code, 202, url)
        self.assertIn('send_password_reset_mail was not queued', '\n'.join(logs.output))
    finally:
      hung_redis.stop()

  def test_a_dib_is_recorded_and_notified_when_redis_is_down(self):
    seller = make_user('sam')
    post = make_post(seller)
    buyer = make_user('bea')
    self.use_redis(f'redis://127.0.0.1:{free_port()}/0')
    self.login_as(buyer)
    with self.assertLogs(self.app.logger, level='ERROR'):
      response = self.api('post', f'/api/posts/{post.id}/dibs')
    self.assertEqual(response.status_code, 201)
    self.login_as(seller)
    self.assertEqual(self.client.get('/api/notifications').get_json()['unread'], 1)

  def test_jobs_and_worker_commands_need_redis(self):
    self.use_redis(None)
    result = self.app.test_cli_runner().invoke(args=['jobs'])
    self.assertNotEqual(result.exit_code, 0)
    self.assertIn('REDIS_URL is not set', result.output)


def closed_port_is_closed(port):
  with socket.socket() as probe:
    return probe.connect_ex(('127.0.0.1', port)) != 0
