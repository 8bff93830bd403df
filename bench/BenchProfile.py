"""`python -m bench.BenchProfile`: profile each measured endpoint in-process with pyinstrument.

The app runs under the production config on a freshly built bench database, driven by the
Flask test client (no server, no load generator), so the profile holds only the app's own
work. Per endpoint it prints the wall and CPU time per request, the Python function calls per
request (exact, whatever the load on the machine: the figure to compare two versions by) and
the SQL statements per request, and writes pyinstrument's call tree to the output folder.
"""

import argparse
import cProfile
import logging
import os
import pstats
import tempfile
import time
from pathlib import Path

from pyinstrument import Profiler
from sqlalchemy import event

from bench.BenchData import BENCH_EMAIL, BENCH_PASSWORD, build_database, create_bench_app
from bench.BenchEndpoints import DEFAULT_SEARCH_QUERY, build_endpoints

# Production sets WTF_CSRF_SSL_STRICT: over HTTPS a state-changing request needs a Referer
# from the same host, which the SPA's browser sends.
HTTPS_ENVIRON = {'wsgi.url_scheme': 'https', 'HTTP_REFERER': 'https://localhost/'}


def parse_args(argv=None):
  parser = argparse.ArgumentParser(prog='python -m bench.BenchProfile', description=__doc__)
  parser.add_argument('--posts', type=int, default=20_000)
  parser.add_argument(
    '--database-url', help='database to build into (default: a temporary SQLite file)'
  )
  parser.add_argument('--requests', type=int, default=300, help='requests per endpoint')
  parser.add_argument('--only', default='', help='endpoint keys, comma-separated')
  parser.add_argument('--search-query', default=DEFAULT_SEARCH_QUERY)
  parser.add_argument('--output', default='bench/profiles', help='folder for the call trees')
  return parser.parse_args(argv)


class QueryCounter:
  """Counts the SQL statements an engine runs."""

  def __init__(self, engine):
    self.count = 0
    event.listen(engine, 'before_cursor_execute', self.on_execute)

  def on_execute(self, *args):
    self.count += 1


def logged_in_client(app):
  """A test client logged in as the bench user, over HTTPS like production."""
  client = app.test_client()
  client.environ_base.update(HTTPS_ENVIRON)
  token = client.get('/api/auth/csrf').get_json()['csrf_token']
  answer = client.post(
    '/api/auth/login',
    json={'email': BENCH_EMAIL, 'password': BENCH_PASSWORD},
    headers={'X-CSRFToken': token},
  )
  if answer.status_code != 200:
    raise RuntimeError(f'Bench login failed: {answer.status_code} {answer.get_data()[:200]!r}')
  return client, client.get('/api/auth/csrf').get_json()['csrf_token']


def send(client, endpoint, csrf_token):
  headers = {'X-CSRFToken': csrf_token} if endpoint.is_write else {}
  return client.open(endpoint.path, method=endpoint.method, json=endpoint.body, headers=headers)


def python_calls_per_request(client, csrf_token, endpoint, request_count=20):
  """Python function calls per request, counted by cProfile: unlike times, the count does
  not move with the load on the machine, so it compares two versions of the code exactly."""
  profile = cProfile.Profile()
  profile.enable()
  for _ in range(request_count):
    send(client, endpoint, csrf_token)
  profile.disable()
  return pstats.Stats(profile).total_calls / request_count


def profile_endpoint(client, csrf_token, endpoint, counter, request_count, output_folder):
  """Time, count queries and profile `request_count` requests; returns a summary line."""
  answer = send(client, endpoint, csrf_token)
  if not 200 <= answer.status_code < 300:
    return f'{endpoint.label:<44} not profiled: the app answered {answer.status_code}'
  for _ in range(10):
    send(client, endpoint, csrf_token)
  counter.count = 0
  started, cpu_started = time.perf_counter(), time.process_time()
  for _ in range(request_count):
    send(client, endpoint, csrf_token)
  wall_ms = (time.perf_counter() - started) * 1000 / request_count
  cpu_ms = (time.process_time() - cpu_started) * 1000 / request_count
  queries = counter.count / request_count
  calls = python_calls_per_request(client, csrf_token, endpoint)
  profiler = Profiler(interval=0.0005)
  with profiler:
    for _ in range(request_count):
      send(client, endpoint, csrf_token)
  path = Path(output_folder) / f'{endpoint.key}.txt'
  path.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
  return f'{endpoint.label:<44}{wall_ms:>8.2f}{cpu_ms:>8.2f}{calls:>9.0f}{queries:>9.1f}   {path}'


def main(argv=None):
  args = parse_args(argv)
  output_folder = Path(args.output)
  output_folder.mkdir(parents=True, exist_ok=True)
  with tempfile.TemporaryDirectory(prefix='dibz-profile-') as folder:
    profile_all(args, args.database_url or f'sqlite:///{folder}/bench.sqlite3', output_folder)


def silence_log_output(app):
  """Send the request log lines to /dev/null: still formatted and written (that cost is the
  app's), but not onto the profile's output."""
  sink = open(os.devnull, 'w')  # Open for the life of the process, like the handlers.
  for logger in (app.logger, logging.getLogger()):
    for handler in logger.handlers:
      if isinstance(handler, logging.StreamHandler):
        handler.setStream(sink)


def profile_all(args, database_url, output_folder):
  """Build the bench database at `database_url` and profile every chosen endpoint on it."""
  dataset = build_database(database_url, args.posts)
  app = create_bench_app(database_url, rate_limits=False)
  silence_log_output(app)
  endpoints = build_endpoints(dataset, args.search_query)
  if args.only:
    endpoints = [endpoint for endpoint in endpoints if endpoint.key in args.only.split(',')]
  from app.extensions import db

  with app.app_context():
    counter = QueryCounter(db.engine)
  client, csrf_token = logged_in_client(app)
  print(f'\nIn-process profile, {args.posts:,} posts on {database_url.split(":")[0]}:')
  print(f'{"endpoint":<44}{"wall ms":>8}{"CPU ms":>8}{"calls":>9}{"queries":>9}   call tree')
  for endpoint in endpoints:
    print(profile_endpoint(client, csrf_token, endpoint, counter, args.requests, output_folder))
  with app.app_context():
    db.engine.dispose()


if __name__ == '__main__':
  main()
