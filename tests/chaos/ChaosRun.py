"""One chaos run: start the cluster, drive the students for the run's length while the faults
play, let the system heal (jobs drain, owed mail is re-sent), then check every invariant.

`run_chaos(...)` returns a ChaosResult: the fault table, the figures and the violations; the
command (`make chaos`) and the CI test (tests/ops/test_Chaos.py) both fail on any violation.
"""

import re
import time
from dataclasses import dataclass, field

from tests.chaos import ChaosChecks
from tests.chaos.ChaosCluster import OWED_MAIL_AFTER_SECONDS, ChaosCluster
from tests.chaos.ChaosFaults import FaultRunner, full_schedule, short_schedule
from tests.chaos.ChaosHttp import RequestLog
from tests.chaos.ChaosStudents import Campus

# After the traffic: how long the queue has to drain (retries included) and the owed mail to go.
DRAIN_SECONDS = 150
SETTLED_CHECKS = 3
DRAIN_POLL_SECONDS = 3


@dataclass
class ChaosResult:
  table: str = ''
  figures: list = field(default_factory=list)
  violations: list = field(default_factory=list)

  def report(self):
    lines = [self.table, '', *self.figures]
    if self.violations:
      lines += ['', f'INVARIANTS BROKEN ({len(self.violations)}):']
      lines += [f'  - {violation}' for violation in self.violations[:200]]
    else:
      lines += ['', 'Every invariant holds.']
    return '\n'.join(lines)


def job_summary(cluster):
  """{'queued': n, 'started': n, 'scheduled': n, 'failed': n} and the listing of `manage.py jobs`."""
  output = cluster.manage('jobs')
  summary = {
    name: int(count) for name, count in re.findall(r'(\w+): (\d+)', output.splitlines()[0])
  }
  return summary, output


def drain(cluster, campus, result):
  """Wait until the queue is empty and the mail count stops moving; the periodic timer keeps
  running meanwhile (its re-send of owed mail included)."""
  deadline = time.time() + DRAIN_SECONDS
  # The timer fires once the last writes' mail is owed (the timer's minute could fall later).
  time.sleep(OWED_MAIL_AFTER_SECONDS + 2)
  cluster.manage('periodic')
  settled, last_mails = 0, -1
  summary, listing = {}, ''
  while time.time() < deadline:
    try:
      summary, listing = job_summary(cluster)
    except RuntimeError as error:
      listing = str(error)
      time.sleep(2)
      continue
    mails = len(cluster.smtp.mails())
    busy = summary.get('queued') or summary.get('started') or summary.get('scheduled')
    settled = settled + 1 if not busy and mails == last_mails else 0
    last_mails = mails
    if settled >= SETTLED_CHECKS:
      break
    time.sleep(DRAIN_POLL_SECONDS)
  result.figures.append(f'drained in {DRAIN_SECONDS - max(0, deadline - time.time()):.0f} s')
  return summary, listing


def run_chaos(run_seconds, short=False, students=300, threads=24, streams=40):
  """The whole run; the cluster is always torn down."""
  result = ChaosResult()
  cluster = ChaosCluster()
  try:
    cluster.start()
    log = RequestLog()
    campus = Campus('127.0.0.1', cluster.nginx.port, log, students, threads, streams)
    schedule = (short_schedule if short else full_schedule)(run_seconds)
    started = time.time()
    campus.start(signup_spread_seconds=run_seconds * 0.4)
    faults = FaultRunner(cluster, schedule, started, campus.stopping)
    faults.start()
    time.sleep(max(0.0, started + run_seconds - time.time()))
    faults.join()
    campus.stop()
    summary, listing = drain(cluster, campus, result)
    campus.close_streams()
    attempts = log.snapshot()
    database = cluster.postgresql
    result.table = ChaosChecks.format_table(ChaosChecks.fault_table(attempts, faults.windows))
    writes = {kind: len(campus.acknowledged.get(kind)) for kind in campus.acknowledged.writes}
    result.figures += [
      f'run {run_seconds} s, {students} students, {len(campus.streams())} live streams',
      f'requests {len(attempts)}, 5xx {sum(1 for each in attempts if each.status >= 500)}, '
      f'no answer {sum(1 for each in attempts if each.status == 0)}',
      f'acknowledged writes {writes}',
      f'mails captured {len(cluster.smtp.mails())}, jobs {summary}',
      f'restarts: worker {cluster.worker.restarts}, events {cluster.events.restarts}, '
      f'app1 {cluster.apps[0].restarts}, app2 {cluster.apps[1].restarts}',
    ]
    result.violations += faults.errors
    result.violations += ChaosChecks.check_5xx(attempts, faults.windows)
    result.violations += ChaosChecks.check_writes(database, campus.acknowledged)
    result.violations += ChaosChecks.check_dib_queues(database)
    result.violations += ChaosChecks.check_notifications(database, campus.acknowledged)
    result.violations += ChaosChecks.check_mails(
      database, cluster.smtp.mails(), campus.acknowledged
    )
    result.violations += ChaosChecks.check_events(
      database, campus.streams(), faults.windows, result.figures
    )
    result.violations += ChaosChecks.check_jobs(summary, listing)
  finally:
    cluster.stop()
  if result.violations:
    result.figures.append(f'kept for a look: {cluster.folder}')
  else:
    cluster.remove_folder()
  return result
