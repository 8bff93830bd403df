"""`python -m bench.BenchMetrics`: what the Prometheus instrumentation adds to each request.

Two apps under the prod config (SQLite in a temporary folder, nothing migrated: GET
/api/health touches no database), one with METRICS_ENABLED=false, served in-process by the
Flask test client in alternating rounds so machine noise hits both alike. Metrics are kept in
multiprocess mode (files under a temporary PROMETHEUS_MULTIPROC_DIR), as under gunicorn. Prints the median
time per request of each and the difference; the ratio is the figure to compare, not a target.
"""

import argparse
import logging
import os
import statistics
import tempfile
import time
from unittest import mock


def build_app(metrics_enabled, folder):
  """A prod app with metrics on or off."""
  from app import create_app

  environment = {
    'SECRET_KEY': 'bench-metrics-secret-key-of-32-characters',
    'DATABASE_URL': f'sqlite:///{folder}/bench-metrics.sqlite3',
    'METRICS_ENABLED': 'true' if metrics_enabled else 'false',
    'RATELIMIT_ENABLED': 'false',
  }
  with mock.patch.dict(os.environ, environment):
    app = create_app('prod')
  # The request log line costs the same in both; silenced so the terminal stays readable.
  logging.getLogger('app.request').disabled = True
  return app


def time_round(client, requests):
  """CPU seconds of this process per GET /api/health over `requests` requests (CPU time,
  so other processes on a shared machine disturb the figure less than wall time would)."""
  environ = {'wsgi.url_scheme': 'https'}
  started = time.process_time()
  for _ in range(requests):
    client.get('/api/health', environ_base=environ)
  return (time.process_time() - started) / requests


def main(argv=None):
  """Alternate rounds with metrics off and on; print the medians and their ratio."""
  parser = argparse.ArgumentParser(prog='python -m bench.BenchMetrics', description=__doc__)
  parser.add_argument('--requests', type=int, default=2000, help='requests per round')
  parser.add_argument('--rounds', type=int, default=7)
  arguments = parser.parse_args(argv)
  folder = tempfile.mkdtemp(prefix='dibz-bench-metrics-')
  # Read by prometheus-client when it is first imported, which is below.
  os.environ['PROMETHEUS_MULTIPROC_DIR'] = folder
  clients = {enabled: build_app(enabled, folder).test_client() for enabled in (False, True)}
  for client in clients.values():
    time_round(client, 200)
  timings = {False: [], True: []}
  for _ in range(arguments.rounds):
    for enabled, client in clients.items():
      timings[enabled].append(time_round(client, arguments.requests))
  off, on = (statistics.median(timings[enabled]) * 1e6 for enabled in (False, True))
  print(f'GET /api/health in-process, median of {arguments.rounds} rounds of {arguments.requests}:')
  print(f'  metrics off: {off:8.1f} µs CPU/request')
  print(f'  metrics on:  {on:8.1f} µs CPU/request')
  print(f'  added:       {on - off:8.1f} µs CPU/request (ratio on/off {on / off:.3f})')


if __name__ == '__main__':
  main()
