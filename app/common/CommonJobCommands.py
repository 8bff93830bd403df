"""Commands of `manage.py` for the job queue: the worker, the job lists, periodic jobs."""

import click
from flask.cli import with_appcontext

from app.common import CommonJobs


def require_queue():
  """The queue, or a one-sentence error when REDIS_URL is not set."""
  queue = CommonJobs.get_queue()
  if queue is None:
    raise click.ClickException('REDIS_URL is not set: jobs run in-process, there is no queue.')
  return queue


@click.command('worker')
@click.option('--burst', is_flag=True, help='Stop when the queue is empty.')
@with_appcontext
def worker_command(burst):
  """Run a worker: take jobs off the queue (retries and failed-job list on Redis)."""
  require_queue()
  CommonJobs.run_worker(burst=burst)


def describe_job(job):
  """One line about a job: id, function, arguments, and why it failed."""
  line = f'{job.id}  {job.func_name}{tuple(job.args)!r}  {job.get_status()}'
  if job.retries_left is not None:
    line += f'  retries left: {job.retries_left}'
  result = job.latest_result()
  if result is not None and result.exc_string:
    line += f'\n    {result.exc_string.strip().splitlines()[-1]}'
  return line


@click.command('jobs')
@click.option('--retry', 'retry_ids', multiple=True, help='Requeue this failed job (repeatable).')
@click.option('--retry-all', is_flag=True, help='Requeue every failed job.')
@click.option('--limit', default=50, show_default=True, help='Jobs listed of each kind.')
@with_appcontext
def jobs_command(retry_ids, retry_all, limit):
  """List queued and failed jobs with counts; requeue failed ones with --retry/--retry-all."""
  require_queue()
  if retry_ids or retry_all:
    try:
      requeued = CommonJobs.retry_failed_jobs(None if retry_all else list(retry_ids))
    except Exception as error:
      raise click.ClickException(f'Cannot requeue: {error}') from None
    click.echo(f'Requeued {len(requeued)} failed job(s).')
    return
  summary = CommonJobs.queue_summary()
  click.echo(', '.join(f'{name}: {count}' for name, count in summary.items()))
  for kind in ('queued', 'failed'):
    jobs = CommonJobs.list_jobs(kind, limit)
    click.echo(f'{kind} jobs (first {len(jobs)} of {summary[kind]}):')
    for job in jobs:
      click.echo(f'  {describe_job(job)}')


@click.command('periodic')
@click.option('--only', 'names', multiple=True, help='Run only this periodic job (repeatable).')
@with_appcontext
def periodic_command(names):
  """Queue the periodic jobs (a systemd timer runs this every minute); in-process without
  Redis."""
  queued = CommonJobs.get_queue() is not None
  for name, function in sorted(CommonJobs.PERIODIC_JOBS.items()):
    if names and name not in names:
      continue
    job = CommonJobs.enqueue(function)
    if not queued:
      click.echo(f'{name}: ran in-process')
    else:
      click.echo(f'{name}: ' + (f'queued as {job.id}' if job else 'not queued (Redis unavailable)'))


JOB_COMMANDS = (worker_command, jobs_command, periodic_command)
