"""Found by the chaos run (docs/RELIABILITY.md): a worker SIGKILLed while it held RQ's scheduler
lock left every retry and delayed job waiting: its replacement tries to take the scheduler over
only at its maintenance, every 10 minutes by RQ's default. Ours runs it every 30 s."""

import unittest
from datetime import timedelta

import pytest
from rq import Queue
from rq.utils import now

from app.common.CommonJobs import WORKER_MAINTENANCE_SECONDS, make_worker
from tests.RedisServer import RedisServer

pytestmark = pytest.mark.redis


class WorkerMaintenanceTest(unittest.TestCase):
  def test_the_worker_takes_over_the_scheduler_within_a_minute(self):
    with RedisServer() as server:
      worker = make_worker(Queue('dibz', connection=server.client()))
      self.assertEqual(worker.maintenance_interval, WORKER_MAINTENANCE_SECONDS)
      self.assertLessEqual(WORKER_MAINTENANCE_SECONDS, 60)
      worker.last_cleaned_at = now() - timedelta(seconds=WORKER_MAINTENANCE_SECONDS - 5)
      self.assertFalse(worker.should_run_maintenance_tasks)
      worker.last_cleaned_at = now() - timedelta(seconds=WORKER_MAINTENANCE_SECONDS + 1)
      self.assertTrue(worker.should_run_maintenance_tasks)
