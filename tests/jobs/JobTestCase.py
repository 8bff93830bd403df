"""The base of the tests that run real jobs: a redis-server, an SMTP server that captures
mail and a hung socket for the class, and the app pointed at that Redis for each test."""

import pytest

from app.common.CommonRedis import REDIS_EXTENSION_KEY
from tests.base import ApiTestCase
from tests.jobs.JobServers import (
  CapturingSmtpServer,
  HungSocketServer,
  WorkerProcess,
  wait_until,
  worker_environment,
)
from tests.RedisServer import RedisServer

SWITCHED_SETTINGS = ('REDIS_URL', 'JOB_RETRY_INTERVALS')


@pytest.mark.redis
@pytest.mark.slow
class JobTestCase(ApiTestCase):
  """ApiTestCase whose app queues jobs on a real Redis; `start_worker` runs a real worker."""

  @classmethod
  def setUpClass(cls):
    super().setUpClass()
    cls.redis_server = RedisServer().start()
    cls.smtp_server = CapturingSmtpServer().start()
    cls.hung_server = HungSocketServer().start()

  @classmethod
  def tearDownClass(cls):
    cls.redis_server.stop()
    cls.smtp_server.stop()
    cls.hung_server.stop()
    super().tearDownClass()

  def setUp(self):
    super().setUp()
    self.redis_server.client().flushdb()
    self.smtp_server.clear()
    self.workers = []
    self.saved_config = {name: self.app.config.get(name) for name in SWITCHED_SETTINGS}
    # Jobs take their retry schedule from the app that queues them: one retry, a second later.
    self.app.config['JOB_RETRY_INTERVALS'] = [1]
    self.use_redis(self.redis_server.url)

  def tearDown(self):
    for worker in self.workers:
      worker.stop()
    self.app.config.update(self.saved_config)
    self.app.extensions.pop(REDIS_EXTENSION_KEY, None)
    super().tearDown()

  def use_redis(self, url):
    """Point the app (its queue) at `url`; None runs jobs in-process again."""
    self.app.config['REDIS_URL'] = url
    self.app.extensions.pop(REDIS_EXTENSION_KEY, None)

  def start_worker(self, smtp_port=None):
    """A `manage.py worker` subprocess mailing through `smtp_port` (default: the capturing
    server)."""
    port = smtp_port or self.smtp_server.port
    worker = WorkerProcess(worker_environment(self.redis_server.url, port)).start()
    self.workers.append(worker)
    return worker

  def stop_worker(self, worker):
    worker.stop()
    self.workers.remove(worker)

  def wait_for_mails(self, address, count=1):
    """The mails captured for `address` once there are `count`; fails after the bound."""
    mails = wait_until(lambda: len(self.smtp_server.mails_to(address)) >= count or None)
    self.assertTrue(mails, f'No mail for {address}; worker output:\n' + self.worker_output())
    return self.smtp_server.mails_to(address)

  def worker_output(self):
    return '\n'.join(worker.output() for worker in self.workers)
