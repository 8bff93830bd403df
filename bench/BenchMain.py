"""`python -m bench`: build, serve, load, compare with the baseline, print the targets."""

import argparse
import json
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from bench.BaselineApp import CAPTURE_FILE_VARIABLE
from bench.BenchClient import login
from bench.BenchData import BENCH_EMAIL, BENCH_PASSWORD, build_database, server_environment
from bench.BenchEndpoints import (
  DEFAULT_SEARCH_QUERY,
  build_endpoints,
  capture_responses,
  check_write_visibility,
  warm_up,
)
from bench.BenchLoad import LoadSettings, require_wrk, run_pair
from bench.BenchMix import measure_mix, mix_settings
from bench.BenchReport import (
  LATENCY_TARGETS_MS,
  DatabaseReport,
  EndpointMeasurement,
  ScalePoint,
  check_targets,
  render_report,
  report_to_json,
)
from bench.BenchServer import GunicornServer, RedisServer, gunicorn_config

DEFAULT_POSTGRESQL_URL = 'postgresql://postgres@127.0.0.1:5432/dibz_bench'
BASELINE_TARGET = 'bench.BaselineApp:create_app_from_environment()'
APP_TARGET = 'wsgi:app'


def parse_args(argv):
  parser = argparse.ArgumentParser(prog='python -m bench', description=__doc__)
  parser.add_argument('--posts', type=int, default=20_000, help='posts in the main database')
  parser.add_argument(
    '--skip-scale', action='store_true', help='leave out the list at 10x the posts (200,000)'
  )
  parser.add_argument(
    '--duration', type=int, default=3, help='seconds of load per endpoint, server and round'
  )
  parser.add_argument(
    '--rounds', type=int, default=3, help='alternating rounds of app and baseline (A B, B A)'
  )
  parser.add_argument('--connections', type=int, default=8, help='wrk connections')
  parser.add_argument('--threads', type=int, default=2, help='wrk threads')
  parser.add_argument('--workers', type=int, default=2, help='gunicorn workers per server')
  parser.add_argument(
    '--databases', default='sqlite,postgresql', help='engines to measure, comma-separated'
  )
  parser.add_argument(
    '--postgresql-url',
    default=DEFAULT_POSTGRESQL_URL,
    help='a PostgreSQL database the bench may wipe (skipped when unreachable)',
  )
  parser.add_argument('--search-query', default=DEFAULT_SEARCH_QUERY)
  parser.add_argument('--only', default='', help='measure only these endpoint keys (comma list)')
  parser.add_argument('--json', dest='json_path', help='also write the results as JSON here')
  parser.add_argument('--strict', action='store_true', help='exit 1 when a target fails')
  mix = parser.add_mutually_exclusive_group()
  mix.add_argument('--only-mix', action='store_true', help="measure only issue 22's read/write mix")
  mix.add_argument('--skip-mix', action='store_true', help="leave out issue 22's mix")
  parser.add_argument(
    '--mix-duration', type=int, default=10, help='seconds of load per mix row, server and round'
  )
  parser.add_argument('--mix-connections', type=int, default=16, help='wrk connections (mix)')
  return parser.parse_args(argv)


def postgresql_reachable(url):
  """Whether the bench database answers (the run skips PostgreSQL otherwise)."""
  import psycopg2

  try:
    psycopg2.connect(url, connect_timeout=3).close()
    return True
  except psycopg2.Error:
    return False


def database_locations(args, work_folder):
  """[(engine name, function from post count to database URL)] for the engines to measure."""
  engines = [name.strip() for name in args.databases.split(',') if name.strip()]
  locations = []
  if 'sqlite' in engines:
    locations.append(('SQLite', lambda posts: f'sqlite:///{work_folder}/bench-{posts}.sqlite3'))
  if 'postgresql' in engines:
    if postgresql_reachable(args.postgresql_url):
      # One database, rebuilt for each size: the bench owns it.
      locations.append(('PostgreSQL', lambda posts: args.postgresql_url))
    else:
      print(f'PostgreSQL at {args.postgresql_url} is not reachable: skipped.', flush=True)
  return locations


def timed_build(url, posts):
  started = time.monotonic()
  dataset = build_database(url, posts)
  return dataset, time.monotonic() - started


def app_server(url, args, work_folder, name, redis_url, extra_environment=None):
  """The app under gunicorn as deploy/ runs it, with its shared cache in `redis_url`."""
  environment = server_environment(url)
  if redis_url:
    environment['REDIS_URL'] = redis_url
  environment.update(extra_environment or {})
  return GunicornServer(
    name,
    APP_TARGET,
    environment,
    args.workers,
    work_folder / f'{name}.log',
    ready_path='/api/health',
  )


def baseline_server(name, capture_path, args, work_folder):
  return GunicornServer(
    name,
    BASELINE_TARGET,
    {CAPTURE_FILE_VARIABLE: str(capture_path)},
    args.workers,
    work_folder / f'{name}.log',
  )


def chosen_endpoints(dataset, args):
  endpoints = build_endpoints(dataset, args.search_query)
  if args.only:
    wanted = set(args.only.split(','))
    endpoints = [endpoint for endpoint in endpoints if endpoint.key in wanted]
  return endpoints


def capture_for_baseline(server, session, endpoints, path):
  """Each endpoint's real answer, written for the baseline; returns (answered endpoints,
  answers, unavailable)."""
  captures, answers, unavailable = capture_responses(server.port, session, endpoints)
  path.write_text(json.dumps(captures))
  return [endpoint for endpoint in endpoints if endpoint.key in answers], answers, unavailable


def measure_pairs(engine, server, baseline, session, endpoints, settings, args):
  """[(endpoint, app LoadResult, baseline LoadResult)] in alternating rounds."""
  results = []
  for endpoint in endpoints:
    print(f'[{engine}] {endpoint.label}', flush=True)
    app_result, base_result = run_pair(
      server.base_url + endpoint.path,
      baseline.base_url + endpoint.path,
      settings,
      args.rounds,
      endpoint.headers(session),
      endpoint.script,
    )
    results.append((endpoint, app_result, base_result))
  return results


def measure_main_database(report, dataset, args, settings, work_folder):
  """All endpoints against their baseline at the main size, the latencies and the write
  check, into `report` (a DatabaseReport)."""
  engine = report.engine
  endpoints = chosen_endpoints(dataset, args)
  with RedisServer() as redis_server:
    server = app_server(dataset.database_url, args, work_folder, f'{engine}-app', redis_server.url)
    with server:
      session = login(server.port, BENCH_EMAIL, BENCH_PASSWORD)
      capture_path = work_folder / f'{engine}-captures.json'
      endpoints, answers, report.unavailable = capture_for_baseline(
        server, session, endpoints, capture_path
      )
      warm_up(server.port, session, endpoints)
      with baseline_server(f'{engine}-baseline', capture_path, args, work_folder) as baseline:
        for endpoint, app_result, base_result in measure_pairs(
          engine, server, baseline, session, endpoints, settings, args
        ):
          size = len(answers[endpoint.key].body)
          report.measurements.append(
            EndpointMeasurement(endpoint.key, endpoint.label, app_result, base_result, size)
          )
        for endpoint in endpoints:
          if endpoint.key in LATENCY_TARGETS_MS:
            print(f'[{engine}] {endpoint.label}: latency', flush=True)
            log_offset = server.log_path.stat().st_size
            report.latencies[endpoint.key], report.baseline_latencies[endpoint.key] = (
              measure_latency(server, baseline, endpoint, args, settings, session)
            )
            report.app_durations[endpoint.key] = logged_durations(
              server.log_path, log_offset, endpoint.path.partition('?')[0]
            )
      report.write_check = check_write_visibility(server.port, session)
      report.peak_rss_kilobytes = server.peak_worker_rss_kilobytes()


def logged_durations(log_path, offset, path):
  """The `duration_ms` of the app's own request lines for `path` written after `offset`: the
  time from the request reaching the app to its answer, without wrk, gunicorn or queueing."""
  durations = []
  with open(log_path, 'rb') as log_file:
    log_file.seek(offset)
    for line in log_file:
      if not line.startswith(b'{'):
        continue
      try:
        entry = json.loads(line)
      except ValueError:
        continue
      if entry.get('event') == 'request' and entry.get('path') == path:
        durations.append(entry['duration_ms'])
  return sorted(durations)


def latency_settings(args, settings):
  """One connection per worker: a request never queues behind another, so the latency is
  the app's own time to answer (the endpoint table's p99 includes queueing at 8 connections)."""
  return LoadSettings(settings.duration_seconds, args.workers, min(args.threads, args.workers))


def measure_latency(server, baseline, endpoint, args, settings, session):
  """Rounds at one connection per worker, alternating with the baseline (whose p99 shows what
  the machine itself adds); returns the combined (app, baseline) results."""
  return run_pair(
    server.base_url + endpoint.path,
    baseline.base_url + endpoint.path,
    latency_settings(args, settings),
    args.rounds,
    endpoint.headers(session),
  )


def measure_scale(engine, url_for_size, args, settings, work_folder):
  """The list against its baseline on ten times the posts (the bulk builder); a ScalePoint."""
  posts = args.posts * 10
  print(f'[{engine}] building {posts:,} posts for the list at scale…', flush=True)
  dataset, _ = timed_build(url_for_size(posts), posts)
  endpoints = [e for e in build_endpoints(dataset, args.search_query) if e.key == 'posts_list']
  with RedisServer() as redis_server:
    name = f'{engine}-scale-{posts}'
    with app_server(dataset.database_url, args, work_folder, name, redis_server.url) as server:
      session = login(server.port, BENCH_EMAIL, BENCH_PASSWORD)
      capture_path = work_folder / f'{name}-captures.json'
      endpoints, _, unavailable = capture_for_baseline(server, session, endpoints, capture_path)
      if unavailable:
        return None
      warm_up(server.port, session, endpoints)
      with baseline_server(f'{name}-baseline', capture_path, args, work_folder) as baseline:
        [(_, app_result, base_result)] = measure_pairs(
          engine, server, baseline, session, endpoints, settings, args
        )
  return ScalePoint(posts, app_result, base_result)


def measure_engine_mix(engine, dataset, args, work_folder):
  """Issue #22's mix on the main database (after issue #16's rows, whose one write check
  leaves a withdrawn post behind); a MixReport."""

  def mix_app_server(name, redis_url, extra_environment):
    return app_server(dataset.database_url, args, work_folder, name, redis_url, extra_environment)

  def mix_baseline_server(name, capture_path):
    return baseline_server(name, capture_path, args, work_folder)

  return measure_mix(engine, dataset, args, work_folder, mix_app_server, mix_baseline_server)


def measure_engine(engine, url_for_size, args, settings, work_folder):
  print(f'[{engine}] building {args.posts:,} posts…', flush=True)
  dataset, build_seconds = timed_build(url_for_size(args.posts), args.posts)
  report = DatabaseReport(
    engine, args.posts, build_seconds=build_seconds, endpoints_run=not args.only_mix
  )
  if report.endpoints_run:
    measure_main_database(report, dataset, args, settings, work_folder)
  if not args.skip_mix:
    report.mix = measure_engine_mix(engine, dataset, args, work_folder)
  if report.endpoints_run and not args.skip_scale and report.measurement('posts_list') is not None:
    report.scale = measure_scale(engine, url_for_size, args, settings, work_folder)
  return report


def stop_on_terminate(signal_number, frame):
  """SIGTERM unwinds like Ctrl-C, so the servers' `with` blocks stop them."""
  raise KeyboardInterrupt


def main(argv=None):
  args = parse_args(sys.argv[1:] if argv is None else argv)
  require_wrk()
  signal.signal(signal.SIGTERM, stop_on_terminate)
  settings = LoadSettings(args.duration, args.connections, args.threads)
  config = gunicorn_config()
  config_name = config.relative_to(config.parents[1]) if config else 'no config file'
  load = mix_settings(args) if args.only_mix else settings
  description = (
    f'{load.describe()} x {args.rounds} rounds; gunicorn {args.workers} sync workers per '
    f'server ({config_name})'
  )
  work_folder = Path(tempfile.mkdtemp(prefix='dibz-bench-'))
  reports = []
  try:
    for engine, url_for_size in database_locations(args, work_folder):
      reports.append(measure_engine(engine, url_for_size, args, settings, work_folder))
  finally:
    shutil.rmtree(work_folder, ignore_errors=True)
  print(f'\nDibz benchmark: python -m bench {" ".join(sys.argv[1:] if argv is None else argv)}')
  for report in reports:
    print(render_report(report, description))
  if args.json_path:
    Path(args.json_path).write_text(json.dumps([report_to_json(r) for r in reports], indent=2))
  failed = any(check.passed is False for report in reports for check in check_targets(report))
  return 1 if failed and args.strict else 0
