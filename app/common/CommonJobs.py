"""The job queue: RQ on the app's Redis, or jobs run right away in-process without Redis.

With REDIS_URL set, `enqueue` puts a job on the `dibz` queue and a worker (`manage.py
worker`) runs it, retrying failures after JOB_RETRY_INTERVALS; jobs that used up their
retries wait in the failed-job registry (`manage.py jobs`, `manage.py jobs --retry`).
Without REDIS_URL (a fresh `make run`, the test suite) the job runs in the request, after
its commit. When Redis is down or hung, enqueueing gives up after CommonRedis's 200 ms
timeout, logs the lost job and lets the request answer: the database rows the job would
have read (notifications, tokens) are already committed, only the mail is lost.
"""

import uuid

from flask import current_app
from redis.exceptions import RedisError
from rq import Queue, Retry, SimpleWorker
from rq.job import Job
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from app.common.CommonRedis import get_redis
from app.extensions import db

QUEUE_NAME = 'dibz'
# Seconds a job may run before the worker stops it (a hung SMTP server times out sooner).
JOB_TIMEOUT_SECONDS = 120
# Failed jobs stay listed for a week, finished ones a day (their ids make mail idempotent).
FAILED_JOB_TTL_SECONDS = 7 * 24 * 3600
FINISHED_JOB_TTL_SECONDS = 24 * 3600
# How often a worker runs RQ's maintenance, which is also when it takes over the scheduler
# (retries and delayed jobs) from a worker that died holding its lock: RQ's default, 10
# minutes, left every retry waiting that long after a worker was killed (the chaos run).
WORKER_MAINTENANCE_SECONDS = 30

# Periodic jobs by name, registered by the areas' Jobs modules (see `periodic_job`).
PERIODIC_JOBS = {}


def periodic_job(function):
  """Register `function` as a periodic job: `manage.py periodic` enqueues every one."""
  PERIODIC_JOBS[function.__name__] = function
  return function


def rolled_back_on_failure(step, *args):
  """Run one step of a periodic job in its own transaction; a failure rolls it back before it
  is raised (and the job retried), so nothing the step claimed stays claimed."""
  try:
    return step(*args)
  except Exception:
    db.session.rollback()
    raise


def count_done(step, row_ids, *args):
  """`step(row_id, *args)` for each row, each in its own transaction (rolled_back_on_failure);
  how many did something (a step returns whether it did)."""
  return sum(1 for row_id in row_ids if rolled_back_on_failure(step, row_id, *args))


def get_queue():
  """The app's queue, or None when REDIS_URL is not set (jobs then run in-process)."""
  redis = get_redis()
  if redis is None:
    return None
  return Queue(QUEUE_NAME, connection=redis, default_timeout=JOB_TIMEOUT_SECONDS)


def enqueue(function, *args):
  """Run `function(*args)` on a worker; in-process when there is no Redis. Never raises."""
  queue = get_queue()
  if queue is None:
    return run_now(function, args)
  intervals = current_app.config['JOB_RETRY_INTERVALS']
  try:
    return queue.enqueue(
      function,
      *args,
      retry=Retry(max=len(intervals), interval=intervals) if intervals else None,
      failure_ttl=FAILED_JOB_TTL_SECONDS,
      result_ttl=FINISHED_JOB_TTL_SECONDS,
    )
  except RedisError as error:
    current_app.logger.error(
      'Job %s was not queued (Redis unavailable: %s); it is dropped.',
      function.__name__,
      type(error).__name__,
    )
    return None


def run_now(function, args):
  """Run a job in this process (no queue): a failure is logged, never raised to the caller."""
  try:
    function(*args)
  except Exception:
    db.session.rollback()
    current_app.logger.exception('Job %s failed (run in-process).', function.__name__)
  return None


def current_job_key():
  """A key naming the running job, stable across its retries: the RQ job id on a worker, a
  fresh id in-process (where a job runs exactly once)."""
  from rq import get_current_job

  job = get_current_job()
  return job.id if job is not None else f'inline-{uuid.uuid4().hex}'


class AppWorker(SimpleWorker):
  """An RQ worker that runs jobs in its own process, inside the app context it was started
  in, and hands each job a clean database session."""

  def perform_job(self, job, queue):
    try:
      return super().perform_job(job, queue)
    finally:
      db.session.remove()


def run_worker(burst=False, with_scheduler=True):
  """Work the queue until stopped (or, with `burst`, until it is empty)."""
  queue = get_queue()
  if queue is None:
    raise RuntimeError('REDIS_URL is not set: jobs run in-process and no worker is needed.')
  return make_worker(queue).work(burst=burst, with_scheduler=with_scheduler)


def make_worker(queue):
  """A worker of `queue` that runs its maintenance (and claims a dead worker's scheduler)
  every WORKER_MAINTENANCE_SECONDS."""
  return AppWorker(
    [queue], connection=queue.connection, maintenance_interval=WORKER_MAINTENANCE_SECONDS
  )


def queue_summary():
  """Counts of queued, running, scheduled (waiting to retry) and failed jobs."""
  queue = get_queue()
  return {
    'queued': queue.count,
    'started': StartedJobRegistry(queue=queue).count,
    'scheduled': ScheduledJobRegistry(queue=queue).count,
    'failed': FailedJobRegistry(queue=queue).count,
  }


def list_jobs(kind, limit=50):
  """The first `limit` jobs queued (`kind='queued'`) or failed (`kind='failed'`)."""
  queue = get_queue()
  if kind == 'queued':
    job_ids = queue.get_job_ids(0, limit)
  else:
    job_ids = FailedJobRegistry(queue=queue).get_job_ids(0, limit - 1)
  jobs = Job.fetch_many(job_ids, connection=queue.connection)
  return [job for job in jobs if job is not None]


def retry_failed_jobs(job_ids=None):
  """Put failed jobs (these ids, or all) back on the queue; returns the ids requeued."""
  queue = get_queue()
  registry = FailedJobRegistry(queue=queue)
  requeued = []
  for job_id in job_ids or registry.get_job_ids():
    registry.requeue(job_id)
    requeued.append(job_id)
  return requeued
