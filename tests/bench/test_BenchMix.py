"""Issue #22's mix keeps its shape: the reads it draws, the baseline's body, the hit rate it
reads, the writer's pacing and the verdicts. No timing of the app here: the figures come from
`make bench`."""

import http.server
import json
import random
import threading
import time
import unittest
from collections import Counter

from bench.BaselineApp import create_baseline_app
from bench.BenchClient import BenchSession
from bench.BenchLoad import LoadResult
from bench.BenchMix import (
  CACHE_COUNTER,
  MixCatalogue,
  MixWriter,
  WriterAccount,
  WriteTally,
  common_item_words,
  fallback_capture,
  mix_script_text,
  parse_cache_counters,
)
from bench.BenchReport import DatabaseReport, MixReport, MixRow, check_targets, render_report
from bench.BenchVocabulary import ITEMS_BY_CATEGORY


class MixReadsTest(unittest.TestCase):
  """The reads: the words, the shares of the three requests, the script wrk runs."""

  def test_search_words_are_common_item_words(self):
    words = common_item_words()
    self.assertEqual(len(words), 30)
    self.assertEqual(len(set(words)), 30)
    item_words = {
      word for items in ITEMS_BY_CATEGORY.values() for item in items for word in item.split()
    }
    self.assertTrue(set(words) <= item_words)
    # Words several items share come first.
    self.assertEqual(set(words[:3]), {'textbook', 'bike', 'ticket'})

  def test_draws_follow_the_shares(self):
    catalogue = MixCatalogue(20_000)
    rng = random.Random(1)
    paths = [catalogue.random_path(rng) for _ in range(20_000)]
    kinds = Counter(
      'search' if path.startswith('/api/search/') else 'list' if '?' in path else 'detail'
      for path in paths
    )
    self.assertAlmostEqual(kinds['detail'] / len(paths), 0.5, delta=0.02)
    self.assertAlmostEqual(kinds['list'] / len(paths), 0.3, delta=0.02)
    self.assertAlmostEqual(kinds['search'] / len(paths), 0.2, delta=0.02)
    ids = [int(path.rsplit('/', 1)[1]) for path in paths if '?' not in path]
    self.assertGreaterEqual(min(ids), 1)
    self.assertLessEqual(max(ids), 20_000)
    # ~10,000 uniform draws of 20,000 ids: about 20,000 x (1 - e^-0.5) = 7,869 distinct ones.
    self.assertGreater(len(set(ids)), 7500)
    pages = {path.rsplit('page=', 1)[1] for path in paths if 'page=' in path}
    self.assertEqual(pages, {'1', '2', '3', '4', '5'})

  def test_the_warm_up_asks_every_url_a_draw_can_make_once(self):
    catalogue = MixCatalogue(300)
    paths = catalogue.every_path()
    self.assertEqual(len(paths), len(set(paths)))
    self.assertEqual(len(paths), 300 + len(catalogue.categories) * 5 + len(catalogue.words))
    rng = random.Random(2)
    self.assertLessEqual({catalogue.random_path(rng) for _ in range(5_000)}, set(paths))

  def test_script_defines_the_catalogue_before_the_requests(self):
    text = mix_script_text(MixCatalogue(1234), seed=3)
    self.assertIn('mix_seed = 3\n', text)
    self.assertIn('mix_post_count = 1234\n', text)
    self.assertIn('mix_categories = {"textbooks", "electronics"', text)
    self.assertLess(text.index('mix_words = {'), text.index('function request()'))


class MixBaselineTest(unittest.TestCase):
  """The baseline answers any request of the mix with one body of the mean size."""

  def test_fallback_body_has_the_size_asked_for_any_path(self):
    app = create_baseline_app(fallback_capture(8246))
    client = app.test_client()
    for path in ('/api/posts/17', '/api/posts?category=bikes&page=2', '/api/search/posts?q=lamp'):
      answer = client.get(path)
      self.assertEqual(answer.status_code, 200)
      self.assertEqual(len(answer.get_data()), 8246)
      json.loads(answer.get_data())


class CacheCountersTest(unittest.TestCase):
  """The hit rate comes from the Prometheus text; no counter is n/a, never 0 %."""

  def test_sums_hits_and_misses_over_other_labels(self):
    text = '\n'.join(
      [
        f'# TYPE {CACHE_COUNTER} counter',
        f'{CACHE_COUNTER}{{result="hit",scope="public"}} 30.0',
        f'{CACHE_COUNTER}{{scope="private",result="hit"}} 5.0',
        f'{CACHE_COUNTER}{{result="miss",scope="public"}} 15.0',
        f'{CACHE_COUNTER}{{result="bypass"}} 99.0',
        'dibz_response_cache_created{result="hit"} 1.7e9',
        'dibz_http_requests_total{endpoint="api.get_post",method="GET",status="200"} 10.0',
      ]
    )
    self.assertEqual(parse_cache_counters(text), (35.0, 15.0))
    self.assertIsNone(parse_cache_counters('dibz_http_requests_total{status="200"} 10.0\n'))


class StubApi(http.server.BaseHTTPRequestHandler):
  """Answers every write with a created post, counting what it was asked."""

  asked = []

  def answer(self):
    length = int(self.headers.get('Content-Length') or 0)
    self.rfile.read(length)
    StubApi.asked.append((self.command, self.path, self.headers.get('X-CSRFToken')))
    body = json.dumps({'post': {'id': 900 + len(StubApi.asked)}}).encode()
    self.send_response(201)
    self.send_header('Content-Type', 'application/json')
    self.send_header('Content-Length', str(len(body)))
    self.end_headers()
    self.wfile.write(body)

  def do_POST(self):  # noqa: N802 (http.server's name)
    self.answer()

  def do_PATCH(self):  # noqa: N802 (http.server's name)
    self.answer()

  def log_message(self, *args):
    pass


class MixWriterTest(unittest.TestCase):
  """The writer keeps its rate through the API, in turn create, edit, dibs, with CSRF."""

  def test_paces_and_counts_writes(self):
    server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), StubApi)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    self.addCleanup(server.shutdown)
    StubApi.asked = []
    accounts = [
      WriterAccount(2, BenchSession('cookie-2', 'token-2'), [11], [21, 22]),
      WriterAccount(3, BenchSession('cookie-3', 'token-3'), [], [31]),
    ]
    writer = MixWriter(server.server_address[1], accounts, 10, random.Random(1)).start()
    time.sleep(1.0)
    tally = writer.stop()
    self.assertIn(tally.attempted, (9, 10, 11))
    self.assertEqual(tally.succeeded_total, tally.attempted)
    self.assertEqual(tally.failed_total, 0)
    methods = [(method, path.split('/')[-1]) for method, path, _ in StubApi.asked]
    self.assertEqual(methods[0], ('POST', 'posts'))
    # Account 3 had nothing to edit: its first edit turned into a create.
    self.assertEqual(methods[1], ('POST', 'posts'))
    self.assertTrue(any(method == 'PATCH' for method, _ in methods))
    self.assertIn(('POST', 'dibs'), methods)
    self.assertTrue(all(token in ('token-2', 'token-3') for _, _, token in StubApi.asked))


class MixChecksTest(unittest.TestCase):
  """Every mix row gets its verdict from the figures."""

  def result(self, requests, p99_ms=20.0, status_errors=0):
    return LoadResult(requests, 1_000_000, 5000, int(p99_ms * 1000), 90_000, status_errors, 0)

  def row(self, key, app_requests, writes_per_second=0, hits=None, p99_ms=20.0):
    row = MixRow(key, key, writes_per_second, True, hits=hits, misses=None if hits is None else 10)
    row.app_rounds = [self.result(app_requests, p99_ms) for _ in range(3)]
    row.baseline_rounds = [self.result(1000) for _ in range(3)]
    if writes_per_second:
      row.writes = WriteTally(writes_per_second, seconds=30, attempted=int(30 * writes_per_second))
      row.writes.succeeded['create'] = int(30 * writes_per_second)
    return row

  def verdicts(self, rows):
    report = DatabaseReport('SQLite', 20_000, endpoints_run=False)
    report.mix = MixReport('wrk -t2 -c16 -d10s', 'reads', rows=rows, mean_body_bytes=8000)
    render_report(report, 'settings')
    return {check.description: check.passed for check in check_targets(report)}, report

  def test_rows_pass_and_fail_on_their_targets(self):
    verdicts, report = self.verdicts(
      [
        self.row('mix_reads', 700, hits=90),
        self.row('mix_writes_2', 450, 2, p99_ms=60.0),
        self.row('mix_writes_10', 410, 10),
        self.row('mix_writes_2_no_cache', 100, 2),
      ]
    )
    self.assertTrue(verdicts['mix mix_reads: throughput >= 0.60 x baseline'])
    self.assertFalse(verdicts['mix mix_writes_2: throughput >= 0.50 x baseline'])
    self.assertTrue(verdicts['mix mix_writes_10: throughput >= 0.40 x baseline'])
    self.assertFalse(verdicts['mix mix_writes_2_no_cache: throughput >= 0.25 x baseline'])
    self.assertFalse(verdicts['mix mix_writes_2: wrk p99 < 50 ms'])
    self.assertTrue(verdicts['mix reads: zero errors (HTTP >= 400 and socket errors)'])
    self.assertTrue(verdicts['mix writes: all 2xx, >= 90% of the asked rate'])
    # Issue #16's rows are not part of a mix-only run.
    self.assertFalse(any('x baseline' in text and 'mix' not in text for text in verdicts))
    self.assertEqual(report.mix.row('mix_reads').describe_hit_rate(), '90%')
    self.assertEqual(report.mix.row('mix_writes_2').describe_hit_rate(), 'n/a')

  def test_writes_short_of_their_rate_fail(self):
    slow = self.row('mix_writes_2', 600, 2)
    slow.writes.succeeded['create'] = 40
    slow.writes.failures['dibs 409'] = 1
    verdicts, _ = self.verdicts([slow])
    self.assertFalse(verdicts['mix writes: all 2xx, >= 90% of the asked rate'])
    self.assertIsNone(verdicts['mix mix_reads: throughput >= 0.60 x baseline'])

  def test_ratio_is_the_median_of_the_rounds(self):
    row = MixRow('mix_reads', 'reads', 0, True)
    row.app_rounds = [self.result(100), self.result(900), self.result(500)]
    row.baseline_rounds = [self.result(1000), self.result(1000), self.result(500)]
    self.assertEqual(row.round_ratios, [0.1, 0.9, 1.0])
    self.assertEqual(row.ratio, 0.9)
