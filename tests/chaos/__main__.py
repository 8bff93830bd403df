"""`python -m tests.chaos` (make chaos): the chaos run of docs/RELIABILITY.md. Needs root
(network namespaces), nginx, socat, redis-server and PostgreSQL 15's binaries. Exits 1 when an
invariant breaks."""

import argparse
import sys

from tests.chaos.ChaosRun import run_chaos


def main():
  parser = argparse.ArgumentParser(prog='python -m tests.chaos', description=__doc__)
  parser.add_argument('--seconds', type=int, default=600, help='how long the traffic runs')
  parser.add_argument('--short', action='store_true', help="CI's schedule: fewer faults")
  parser.add_argument('--students', type=int, default=300)
  parser.add_argument('--threads', type=int, default=24, help='threads acting for students')
  parser.add_argument('--streams', type=int, default=40, help='students holding a live stream')
  arguments = parser.parse_args()
  result = run_chaos(
    arguments.seconds,
    short=arguments.short,
    students=arguments.students,
    threads=arguments.threads,
    streams=arguments.streams,
  )
  print(result.report(), flush=True)
  return 1 if result.violations else 0


if __name__ == '__main__':
  sys.exit(main())
