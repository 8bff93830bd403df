"""The chaos run's short version (docs/RELIABILITY.md), in CI's PostgreSQL pass: two minutes of
students' traffic through nginx to two app hosts while Redis is killed, a gunicorn is killed,
PostgreSQL is stopped, and SMTP hangs while the events process is killed. Fails the build if any
invariant breaks (acknowledged writes exactly once, dibs queues, events, notifications and mail
owed, no stuck job, 5xx only inside a fault's window). `make chaos` runs the 10-minute one."""

import os
import shutil
import time
import unittest

from tests.chaos.ChaosRun import run_chaos
from tests.chaos.ChaosServices import POSTGRESQL_BIN
from tests.ops.OpsDatabases import require_postgresql_and
from tests.ops.OpsFigures import report_figure

SHORT_RUN_SECONDS = 120


class ChaosShortRunTest(unittest.TestCase):
  def setUp(self):
    require_postgresql_and(self, ['ip', 'nginx', 'socat', 'redis-server', 'runuser'])
    missing = [] if (POSTGRESQL_BIN / 'initdb').exists() else [str(POSTGRESQL_BIN / 'initdb')]
    if os.geteuid() != 0 or missing or shutil.which('ip') is None:
      reason = f'needs root (network namespaces) and PostgreSQL 15 binaries {missing}'
      if os.environ.get('CI') == 'true':
        self.fail(reason)
      self.skipTest(reason)

  def test_two_minutes_of_faults_break_no_invariant(self):
    started = time.monotonic()
    result = run_chaos(SHORT_RUN_SECONDS, short=True, students=80, threads=12, streams=16)
    for line in result.report().splitlines():
      report_figure(f'chaos: {line}')
    report_figure(f'chaos short run: {time.monotonic() - started:.0f} s in all')
    self.assertEqual(result.violations, [], result.report())
