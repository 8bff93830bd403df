"""The benchmark harness keeps working: its data builder, its baseline and its wrk parsing.

No timing here: the figures come from `make bench`, never from the test suite.
"""

import shutil
import sqlite3
import tempfile
import unittest
from datetime import UTC, datetime
from pathlib import Path

from bench.BaselineApp import create_baseline_app, request_key
from bench.BenchData import BENCH_EMAIL, BENCH_PASSWORD, build_database, copy_line, create_bench_app
from bench.BenchEndpoints import build_endpoints
from bench.BenchLoad import parse_wrk_output
from bench.BenchProfile import logged_in_client


class BenchDataTest(unittest.TestCase):
  """Builds a small bench database with the project's migrations and bulk inserts."""

  def setUp(self):
    self.folder = Path(tempfile.mkdtemp(prefix='dibz-bench-test-'))
    self.database_url = f'sqlite:///{self.folder}/bench.sqlite3'

  def tearDown(self):
    shutil.rmtree(self.folder, ignore_errors=True)

  def count_rows(self, table):
    with sqlite3.connect(self.folder / 'bench.sqlite3') as connection:
      return connection.execute(f'SELECT count(*) FROM {table}').fetchone()[0]

  def test_builds_users_and_posts_the_app_serves(self):
    dataset = build_database(self.database_url, 50, user_count=60)
    self.assertEqual(self.count_rows('posts'), 50)
    self.assertEqual(self.count_rows('users'), 60)
    self.assertEqual(dataset.row_counts['posts'], 50)
    self.assertGreater(dataset.row_counts['dibs'], 0)
    self.assertGreater(dataset.row_counts['post_images'], 0)
    with sqlite3.connect(self.folder / 'bench.sqlite3') as connection:
      version = connection.execute('SELECT version_num FROM alembic_version').fetchone()[0]
    self.assertTrue(version)
    # The bench user logs in under the production config, as the load does.
    app = create_bench_app(self.database_url)
    client, _ = logged_in_client(app)
    me = client.get('/api/users/me').get_json()['user']
    self.assertEqual(me['email'], BENCH_EMAIL)
    # The limiter is shared by every app in the process: building must leave it on for them.
    from app.extensions import limiter

    self.assertTrue(limiter.enabled)
    profile = client.get('/api/users/student000002')
    self.assertEqual(profile.status_code, 200)
    self.assertEqual(profile.get_json()['user']['username'], 'student000002')

  def test_chat_rows_follow_the_schema(self):
    dataset = build_database(self.database_url, 50, user_count=60)
    keys = [endpoint.key for endpoint in build_endpoints(dataset)]
    if 'conversations' not in dataset.row_counts:
      self.assertNotIn('conversations', keys)
      self.assertIsNone(dataset.polled_conversation_id)
      return
    self.assertIn('post_message', keys)
    self.assertEqual(self.count_rows('conversations'), dataset.row_counts['conversations'])
    self.assertGreater(self.count_rows('messages'), dataset.messages_after_id)

  def test_login_password_is_the_bench_password(self):
    build_database(self.database_url, 10, user_count=10)
    app = create_bench_app(self.database_url)
    client = app.test_client()
    client.environ_base.update({'wsgi.url_scheme': 'https', 'HTTP_REFERER': 'https://localhost/'})
    token = client.get('/api/auth/csrf').get_json()['csrf_token']
    wrong = client.post(
      '/api/auth/login',
      json={'email': BENCH_EMAIL, 'password': BENCH_PASSWORD + 'x'},
      headers={'X-CSRFToken': token},
    )
    self.assertEqual(wrong.status_code, 401)


class BaselineAppTest(unittest.TestCase):
  """The baseline answers each captured request with exactly the captured bytes."""

  def test_serves_captured_bytes(self):
    body = '{"items": [{"id": 1, "title": "Caf\u00e9 desk lamp"}], "total": 1}\n'
    app = create_baseline_app(
      {
        request_key('GET', '/api/posts', 'per_page=20'): {
          'status': 200,
          'content_type': 'application/json',
          'body': body,
        },
        request_key('POST', '/api/conversations/2/messages'): {
          'status': 201,
          'content_type': 'application/json',
          'body': '{"message": {}}',
        },
      }
    )
    client = app.test_client()
    answer = client.get('/api/posts?per_page=20')
    self.assertEqual(answer.status_code, 200)
    self.assertEqual(answer.get_data(), body.encode())
    self.assertEqual(answer.content_type, 'application/json')
    self.assertEqual(client.post('/api/conversations/2/messages').status_code, 201)
    self.assertEqual(client.get('/api/posts').status_code, 404)
    self.assertEqual(client.get('/api/posts?per_page=21').status_code, 404)


class WrkOutputTest(unittest.TestCase):
  """The harness reads the figures its Lua `done` hook prints."""

  def test_parses_the_report_line(self):
    output = (
      'Running 5s test @ http://127.0.0.1:1234/api/posts\n'
      'BENCH_JSON {"requests": 500, "duration_us": 5000000, "bytes": 1000, '
      '"connect_errors": 0, "read_errors": 1, "write_errors": 0, "status_errors": 2, '
      '"timeout_errors": 3, "p50_us": 1500, "p99_us": 9000, "max_us": 12000}\n'
    )
    result = parse_wrk_output(output)
    self.assertEqual(result.requests_per_second, 100.0)
    self.assertEqual(result.p99_ms, 9.0)
    self.assertEqual(result.errors, 6)

  def test_refuses_output_without_the_report_line(self):
    with self.assertRaises(RuntimeError):
      parse_wrk_output('unable to connect to 127.0.0.1:1 Connection refused\n')


class CopyFormatTest(unittest.TestCase):
  """PostgreSQL COPY text lines escape what would break a row."""

  def test_escapes_tabs_newlines_backslashes_and_nulls(self):
    moment = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    line = copy_line({'a': 'x\ty\nz\\', 'b': None, 'c': moment, 'd': 7}, ['a', 'b', 'c', 'd'])
    self.assertEqual(line, 'x\\ty\\nz\\\\\t\\N\t2026-01-02T03:04:05+00:00\t7\n')


class CombineResultsTest(unittest.TestCase):
  """Rounds add up: requests over time, the median p50 and the worst p99."""

  def test_combines_rounds(self):
    from bench.BenchLoad import LoadResult, combine_results

    rounds = [
      LoadResult(100, 1_000_000, 1000, 5000, 6000, 0, 0),
      LoadResult(300, 1_000_000, 3000, 9000, 9500, 1, 2),
      LoadResult(200, 2_000_000, 2000, 7000, 8000, 0, 0),
    ]
    combined = combine_results(rounds)
    self.assertEqual(combined.requests_per_second, 150.0)
    self.assertEqual(combined.p50_us, 2000)
    self.assertEqual(combined.p99_us, 9000)
    self.assertEqual(combined.errors, 3)


class TargetChecksTest(unittest.TestCase):
  """Every row of issue 16's table gets a verdict from the figures, never a fixed one."""

  def result(self, requests, p99_us=5000):
    from bench.BenchLoad import LoadResult

    return LoadResult(requests, 1_000_000, 1000, p99_us, p99_us, 0, 0)

  def report(self, app_requests):
    from bench.BenchReport import RATIO_TARGETS, DatabaseReport, EndpointMeasurement

    report = DatabaseReport('SQLite', 20_000)
    for key in RATIO_TARGETS:
      report.measurements.append(
        EndpointMeasurement(key, key, self.result(app_requests), self.result(1000), 100)
      )
    return report

  def verdicts(self, report):
    from bench.BenchReport import check_targets

    return {check.description: check.passed for check in check_targets(report)}

  def test_ratios_pass_above_their_targets_and_fail_below(self):
    from bench.BenchReport import ScalePoint

    fast = self.report(900)
    fast.scale = ScalePoint(200_000, self.result(850), self.result(1000))
    fast.write_check = (True, 'create seen')
    fast.latencies = {'posts_list': self.result(900, 90_000)}
    fast.baseline_latencies = {'posts_list': self.result(900, 90_000)}
    fast.app_durations = {'posts_list': [0.1] * 99 + [2.0]}
    verdicts = self.verdicts(fast)
    ratio_rows = [passed for text, passed in verdicts.items() if 'throughput >=' in text]
    self.assertEqual(ratio_rows, [True] * 6)
    self.assertTrue(verdicts['list throughput at 10x posts >= 0.8 x at 20,000'])
    self.assertTrue(verdicts['a write is visible to the next read (through the API)'])
    self.assertTrue(verdicts['posts_list: app p99 < 10 ms, one connection per worker'])

    slow = self.report(400)
    slow.scale = ScalePoint(200_000, self.result(100), self.result(1000))
    slow.write_check = (False, 'edit NOT seen')
    slow.latencies = {'posts_list': self.result(900)}
    slow.baseline_latencies = {'posts_list': self.result(900)}
    slow.app_durations = {'posts_list': [0.1] * 50 + [12.0] * 50}
    verdicts = self.verdicts(slow)
    self.assertFalse(verdicts['health: throughput >= 0.85 x baseline'])
    self.assertTrue(verdicts['posts_list: throughput >= 0.50 x baseline'] is False)
    self.assertFalse(verdicts['list throughput at 10x posts >= 0.8 x at 20,000'])
    self.assertFalse(verdicts['a write is visible to the next read (through the API)'])
    self.assertFalse(verdicts['posts_list: app p99 < 10 ms, one connection per worker'])

  def test_logged_durations_reads_the_apps_own_lines_after_the_offset(self):
    import json

    from bench.BenchMain import logged_durations

    folder = Path(tempfile.mkdtemp(prefix='dibz-bench-log-'))
    self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
    log = folder / 'app.log'
    early = json.dumps({'event': 'request', 'path': '/api/posts', 'duration_ms': 50.0})
    log.write_text(early + '\n')
    offset = log.stat().st_size
    lines = [
      {'event': 'request', 'path': '/api/posts', 'duration_ms': 0.4},
      {'event': 'request', 'path': '/api/health', 'duration_ms': 9.0},
      {'event': 'error', 'path': '/api/posts', 'duration_ms': 8.0},
      {'event': 'request', 'path': '/api/posts', 'duration_ms': 0.2},
    ]
    with open(log, 'a') as log_file:
      log_file.write('[gunicorn] a plain line\n')
      for line in lines:
        log_file.write(json.dumps(line) + '\n')
    self.assertEqual(logged_durations(log, offset, '/api/posts'), [0.2, 0.4])
