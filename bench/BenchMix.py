"""Issue #22's mix: reads spread over the whole catalogue, with paced writes beside them.

wrk draws every request at random (bench/lua/ReadMix.lua, seeded per thread): 50 % one post by
a uniformly random id among all posts, 30 % a page (1 to 5) of a random category's list, 20 % a
search for one of ~30 common item words. The reads are anonymous, as a visitor browsing. While
wrk loads the app, a writer thread of the bench creates posts, edits its own posts and calls
dibs on others' posts through the HTTP API, logged in as a few seeded users, one write every
1/rate s. The baseline is bare Flask answering every request of the mix with one body of the
mean size of the app's answers to the same mix (sampled in the same run). Rounds alternate app
and baseline as in the rest of the bench; a row's ratio is the median of its rounds' ratios.
The cache hit rate is read from the app's own /metrics before and after each app round.

The cache-on rows measure a server in its steady state: before the first, every URL the mix
can draw is asked once (the warm-up, timed and reported apart). At the mix's own rate every
post is read about every 40 s, well within the cache's 300 s, so a server that has been up a
few minutes holds them all, less what the writes invalidate; a cold start is not what students
meet but once per deploy.
"""

import json
import random
import re
import statistics
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from bench.BaselineApp import FALLBACK_KEY
from bench.BenchClient import http_request, login
from bench.BenchData import BENCH_PASSWORD
from bench.BenchLoad import LUA_FOLDER, LoadSettings, run_wrk
from bench.BenchReport import MixReport, MixRow
from bench.BenchVocabulary import ADJECTIVES, CONDITIONS, ITEMS_BY_CATEGORY

MIX_SCRIPT = LUA_FOLDER / 'ReadMix.lua'
# Shares of the reads, in percent; searches take the rest.
DETAIL_SHARE = 50
LIST_SHARE = 30
LIST_PAGES = 5
SEARCH_WORD_COUNT = 30
# Answers asked of the app before the rounds, to size the baseline's body (and warm the app).
SIZE_SAMPLE_REQUESTS = 600
# Connections of the warm-up (every URL of the mix asked once).
WARM_UP_THREADS = 16
WRITER_USERS = 4
# Writes run on a small pool, so one slow answer does not hold back the next write.
WRITER_POOL_SIZE = 8
WRITE_KINDS = ('create', 'edit', 'dibs')
EDITABLE_STATUSES = ('available', 'pending')
LIVE_DIB_STATUSES = ('waiting', 'accepted')
CACHE_COUNTER = 'dibz_response_cache_total'
COUNTER_LINE = re.compile(r'^' + CACHE_COUNTER + r'\{(?P<labels>[^}]*)\}\s+(?P<value>\S+)')
RESULT_LABEL = re.compile(r'(?:^|,)result="(?P<result>[^"]*)"')


@dataclass(frozen=True)
class MixRowPlan:
  """One row of the issue's table: the writes beside the reads, and whether the cache is on."""

  key: str
  label: str
  writes_per_second: float
  cache_enabled: bool


MIX_ROW_PLANS = (
  MixRowPlan('mix_reads', 'reads only, cache on', 0, True),
  MixRowPlan('mix_writes_2', 'reads + 2 writes/s, cache on', 2, True),
  MixRowPlan('mix_writes_10', 'reads + 10 writes/s, cache on', 10, True),
  MixRowPlan('mix_writes_2_no_cache', 'reads + 2 writes/s, cache off', 2, False),
)


# --- The reads --------------------------------------------------------------------------------


def common_item_words(count=SEARCH_WORD_COUNT):
  """`count` words of the items the data builder writes into titles and descriptions: those
  shared by most items first, then one category after another, so searches cover them all."""
  words_in_order = []
  items = [list(category_items) for category_items in ITEMS_BY_CATEGORY.values()]
  for position in range(max(len(category_items) for category_items in items)):
    for category_items in items:
      if position < len(category_items):
        words_in_order += category_items[position].split()
  frequency = Counter(words_in_order)
  first_seen = {}
  for place, word in enumerate(words_in_order):
    first_seen.setdefault(word, place)
  candidates = [word for word in first_seen if len(word) >= 4]
  candidates.sort(key=lambda word: (-frequency[word], first_seen[word]))
  return tuple(candidates[:count])


@dataclass(frozen=True)
class MixCatalogue:
  """What the reads draw from: every post id, every category, the search words."""

  post_count: int
  categories: tuple = tuple(ITEMS_BY_CATEGORY)
  words: tuple = common_item_words()
  pages: int = LIST_PAGES

  def every_path(self):
    """Every URL the mix can draw, each once."""
    paths = [f'/api/posts/{post_id}' for post_id in range(1, self.post_count + 1)]
    for category in self.categories:
      paths += [f'/api/posts?category={category}&page={page}' for page in range(1, self.pages + 1)]
    return paths + [f'/api/search/posts?q={quote_plus(word)}' for word in self.words]

  def random_path(self, rng):
    """One read drawn as ReadMix.lua draws it (for the size sample in Python)."""
    roll = rng.randint(1, 100)
    if roll <= DETAIL_SHARE:
      return f'/api/posts/{rng.randint(1, self.post_count)}'
    if roll <= DETAIL_SHARE + LIST_SHARE:
      return f'/api/posts?category={rng.choice(self.categories)}&page={rng.randint(1, self.pages)}'
    return f'/api/search/posts?q={quote_plus(rng.choice(self.words))}'


def lua_list(values):
  """A Lua table of strings (JSON's quoting of plain ASCII is Lua's)."""
  return '{' + ', '.join(json.dumps(value) for value in values) + '}'


def mix_script_text(catalogue, seed):
  """ReadMix.lua after the catalogue's values as Lua globals."""
  header = [
    '-- Written by bench/BenchMix.py for this run.',
    f'mix_seed = {int(seed)}',
    f'mix_post_count = {catalogue.post_count}',
    f'mix_pages = {catalogue.pages}',
    f'mix_detail_share = {DETAIL_SHARE}',
    f'mix_list_share = {LIST_SHARE}',
    f'mix_categories = {lua_list(quote_plus(name) for name in catalogue.categories)}',
    f'mix_words = {lua_list(quote_plus(word) for word in catalogue.words)}',
  ]
  return '\n'.join(header) + '\n' + MIX_SCRIPT.read_text()


def write_mix_script(catalogue, seed, folder):
  """The round's script in `folder`; returns its path (for run_wrk's `extra_script`)."""
  path = folder / f'mix-{seed}.lua'
  path.write_text(mix_script_text(catalogue, seed))
  return path


def sample_mean_body_bytes(port, catalogue, requests=SIZE_SAMPLE_REQUESTS, seed=22):
  """Ask the app `requests` reads of the mix; returns (mean body size in bytes, how many were
  not answered with a 2xx)."""
  rng = random.Random(seed)
  sizes, failures = [], 0
  for _ in range(requests):
    answer = http_request(port, 'GET', catalogue.random_path(rng))
    if 200 <= answer.status < 300:
      sizes.append(len(answer.body))
    else:
      failures += 1
  return (round(statistics.mean(sizes)) if sizes else 0), failures


def warm_up(port, catalogue, threads=WARM_UP_THREADS):
  """Ask every URL of the mix once, `threads` at a time; returns a line saying how long it took
  and how fast the cold app answered."""
  paths = catalogue.every_path()
  started = time.monotonic()
  with ThreadPoolExecutor(threads) as pool:
    statuses = list(pool.map(lambda path: http_request(port, 'GET', path).status, paths))
  seconds = time.monotonic() - started
  failures = sum(1 for status in statuses if not 200 <= status < 300)
  return (
    f'warm-up before the cache-on rows: every URL of the mix once, {len(paths):,} requests in '
    f'{seconds:.1f} s ({len(paths) / seconds:.0f} req/s cold, {threads} connections), '
    f'{failures} not 2xx'
  )


def fallback_capture(body_bytes):
  """The baseline's answer to any request of the mix: a JSON body of exactly `body_bytes`."""
  prefix, suffix = '{"items": [], "padding": "', '"}\n'
  body = prefix + 'x' * max(0, body_bytes - len(prefix) - len(suffix)) + suffix
  return {FALLBACK_KEY: {'status': 200, 'content_type': 'application/json', 'body': body}}


# --- The hit rate -----------------------------------------------------------------------------


def parse_cache_counters(metrics_text):
  """(hits, misses) summed over every other label of `dibz_response_cache_total`, or None
  when the text has no such counter."""
  totals = {'hit': 0.0, 'miss': 0.0}
  found = False
  for line in metrics_text.splitlines():
    matched = COUNTER_LINE.match(line)
    if matched is None:
      continue
    result = RESULT_LABEL.search(matched['labels'])
    if result is None or result['result'] not in totals:
      continue
    found = True
    totals[result['result']] += float(matched['value'])
  return (totals['hit'], totals['miss']) if found else None


def read_cache_counters(port):
  """(the app's (hits, misses) from its /metrics, asked from 127.0.0.1, or None; why not)."""
  try:
    answer = http_request(port, 'GET', '/metrics')
  except OSError as error:
    return None, f'/metrics not answered ({type(error).__name__})'
  if answer.status != 200:
    return None, f'/metrics answered {answer.status}'
  counters = parse_cache_counters(answer.body.decode(errors='replace'))
  return counters, None if counters else f'/metrics has no {CACHE_COUNTER}{{result=...}}'


# --- The writes -------------------------------------------------------------------------------


@dataclass
class WriterAccount:
  """A seeded user the writer logs in as: its session, the posts it may edit and the posts
  it may still call dibs on (in a shuffled order)."""

  user_id: int
  session: object
  editable_post_ids: list
  dib_post_ids: list
  next_dib: int = 0


def writer_accounts(port, database_url, count=WRITER_USERS, seed=22):
  """Log in `count` seeded users (student000002, …) and read from the database which posts
  each may edit and call dibs on."""
  from sqlalchemy import create_engine, text

  from app.config import normalize_database_url

  rng = random.Random(seed)
  user_ids = list(range(2, 2 + count))
  engine = create_engine(normalize_database_url(database_url))
  try:
    with engine.connect() as connection:
      posts = connection.execute(text('SELECT id, seller_id, status FROM posts')).all()
      dibs = connection.execute(text('SELECT post_id, user_id, status FROM dibs')).all()
  finally:
    engine.dispose()
  live_dib_pairs = {(dib.post_id, dib.user_id) for dib in dibs if dib.status in LIVE_DIB_STATUSES}
  available = [post for post in posts if post.status == 'available']
  accounts = []
  for user_id in user_ids:
    session = login(port, f'student{user_id:06d}@bench.test', BENCH_PASSWORD)
    editable = [p.id for p in posts if p.seller_id == user_id and p.status in EDITABLE_STATUSES]
    dibbable = [
      post.id
      for post in available
      if post.seller_id != user_id and (post.id, user_id) not in live_dib_pairs
    ]
    rng.shuffle(dibbable)
    accounts.append(WriterAccount(user_id, session, editable, dibbable))
  return accounts


@dataclass
class WriteTally:
  """What a writer did during its window (or several windows, added up)."""

  asked_per_second: float
  seconds: float = 0.0
  attempted: int = 0
  succeeded: dict = field(default_factory=lambda: dict.fromkeys(WRITE_KINDS, 0))
  # {'create 500': count, 'dibs ConnectionResetError': count}
  failures: dict = field(default_factory=dict)
  durations_ms: list = field(default_factory=list)

  @property
  def succeeded_total(self):
    return sum(self.succeeded.values())

  @property
  def failed_total(self):
    return sum(self.failures.values())

  @property
  def achieved_per_second(self):
    return self.succeeded_total / self.seconds if self.seconds else 0.0

  def percentile_ms(self, share):
    durations = sorted(self.durations_ms)
    if not durations:
      return None
    return durations[min(len(durations) - 1, int(len(durations) * share))]

  def add(self, other):
    self.seconds += other.seconds
    self.attempted += other.attempted
    for kind, count in other.succeeded.items():
      self.succeeded[kind] = self.succeeded.get(kind, 0) + count
    for reason, count in other.failures.items():
      self.failures[reason] = self.failures.get(reason, 0) + count
    self.durations_ms += other.durations_ms


class MixWriter:
  """Writes at a fixed rate through the app's HTTP API from start() to stop(): a create, an
  edit, a dib, in turn, each by the next account. The pacing thread hands write n to a pool at
  start + (n + 1/2) / rate (at once when late), so a window of d seconds holds d × rate writes
  and a slow answer never delays the next write; stop() waits for the writes handed out and
  returns their WriteTally."""

  def __init__(self, port, accounts, writes_per_second, rng):
    self.port = port
    self.accounts = accounts
    self.interval = 1 / writes_per_second
    self.rng = rng
    self.tally = WriteTally(writes_per_second)
    self.lock = threading.Lock()
    self.stopping = threading.Event()
    self.pool = ThreadPoolExecutor(WRITER_POOL_SIZE, thread_name_prefix='bench-writer')
    self.thread = threading.Thread(target=self.schedule, name='bench-write-pacer', daemon=True)
    self.started = None

  def start(self):
    self.started = time.monotonic()
    self.thread.start()
    return self

  def stop(self):
    self.stopping.set()
    self.thread.join()
    self.tally.seconds = time.monotonic() - self.started
    self.pool.shutdown(wait=True)
    return self.tally

  def schedule(self):
    number = 0
    while True:
      due = self.started + (number + 0.5) * self.interval
      if self.stopping.wait(max(0.0, due - time.monotonic())):
        return
      kind = WRITE_KINDS[number % len(WRITE_KINDS)]
      account = self.accounts[number % len(self.accounts)]
      kind, method, path, body = self.plan_write(kind, account, number)
      with self.lock:
        self.tally.attempted += 1
      self.pool.submit(self.perform, kind, account, method, path, body)
      number += 1

  def plan_write(self, kind, account, number):
    """(kind, method, path, body) of the next write; a create when nothing is left to edit or
    call dibs on."""
    with self.lock:
      editable = list(account.editable_post_ids)
    if kind == 'edit' and editable:
      item = self.rng.choice(ITEMS_BY_CATEGORY[self.rng.choice(list(ITEMS_BY_CATEGORY))])
      body = {
        'title': f'{self.rng.choice(ADJECTIVES).capitalize()} {item}, edited ({number})',
        'price_cents': self.rng.randint(1, 500) * 100,
      }
      return kind, 'PATCH', f'/api/posts/{self.rng.choice(editable)}', body
    if kind == 'dibs' and account.next_dib < len(account.dib_post_ids):
      post_id = account.dib_post_ids[account.next_dib]
      account.next_dib += 1
      return kind, 'POST', f'/api/posts/{post_id}/dibs', None
    return 'create', 'POST', '/api/posts', self.new_post(number)

  def new_post(self, number):
    category = self.rng.choice(list(ITEMS_BY_CATEGORY))
    item = self.rng.choice(ITEMS_BY_CATEGORY[category])
    return {
      'title': f'{self.rng.choice(ADJECTIVES).capitalize()} {item}',
      'description': f'Selling my {item}: written by the bench mix ({number}).',
      'price_cents': self.rng.randint(1, 500) * 100,
      'category': category,
      'condition': self.rng.choice(CONDITIONS)[0],
    }

  def perform(self, kind, account, method, path, body):
    started = time.monotonic()
    headers = account.session.headers(with_csrf=True)
    try:
      answer = http_request(self.port, method, path, headers=headers, body=body)
      failure = None if 200 <= answer.status < 300 else f'{kind} {answer.status}'
    except OSError as error:
      answer, failure = None, f'{kind} {type(error).__name__}'
    elapsed_ms = (time.monotonic() - started) * 1000
    with self.lock:
      self.tally.durations_ms.append(elapsed_ms)
      if failure is not None:
        self.tally.failures[failure] = self.tally.failures.get(failure, 0) + 1
        return
      self.tally.succeeded[kind] += 1
      if kind == 'create':
        account.editable_post_ids.append(answer.json()['post']['id'])


# --- The rows ---------------------------------------------------------------------------------


def mix_settings(args):
  return LoadSettings(args.mix_duration, args.mix_connections, args.threads)


def measure_mix_row(plan, app, baseline, catalogue, accounts, settings, args, folder):
  """One row: `args.rounds` rounds of app and baseline under the same random reads (A B,
  B A, …), the writer running beside each app run; returns a MixRow."""
  row = MixRow(plan.key, plan.label, plan.writes_per_second, plan.cache_enabled)
  if plan.writes_per_second:
    row.writes = WriteTally(plan.writes_per_second)
  counted = True
  rng = random.Random(f'{plan.key}-writes')
  for round_number in range(args.rounds):
    script = write_mix_script(catalogue, round_number + 1, folder)
    sides = ['app', 'baseline'] if round_number % 2 == 0 else ['baseline', 'app']
    for side in sides:
      if side == 'baseline':
        row.baseline_rounds.append(run_wrk(baseline.base_url + '/', settings, None, script))
        continue
      before, row.hit_rate_note = read_cache_counters(app.port)
      writer = None
      if plan.writes_per_second:
        writer = MixWriter(app.port, accounts, plan.writes_per_second, rng).start()
      try:
        row.app_rounds.append(run_wrk(app.base_url + '/', settings, None, script))
      finally:
        if writer is not None:
          row.writes.add(writer.stop())
      after, note = read_cache_counters(app.port)
      row.hit_rate_note = row.hit_rate_note or note
      if before is None or after is None:
        counted = False
      elif counted:
        row.hits = (row.hits or 0) + after[0] - before[0]
        row.misses = (row.misses or 0) + after[1] - before[1]
  if not counted:
    row.hits = row.misses = None
  return row


def measure_mix(engine, dataset, args, work_folder, app_server, baseline_server):
  """Every row of the mix on `dataset`'s database, with its own redis-server: the cache-on
  rows against one app server, then the cache-off row against another; `app_server(name,
  redis_url, extra_environment)` and `baseline_server(name, capture_path)` make the servers.
  Returns a MixReport."""
  from contextlib import ExitStack

  from bench.BenchServer import RedisServer

  settings = mix_settings(args)
  catalogue = MixCatalogue(dataset.post_count)
  report = MixReport(
    f'{settings.describe()} x {args.rounds} rounds', catalogue_description(catalogue)
  )
  folder = work_folder / f'{engine}-mix'
  folder.mkdir(parents=True, exist_ok=True)
  capture_path = folder / 'captures.json'
  with RedisServer() as redis_server, ExitStack() as servers:
    accounts = None
    app = None
    for plan in MIX_ROW_PLANS:
      if app is None or app.cache_enabled != plan.cache_enabled:
        if app is not None:
          app.stop()
        app = start_mix_app(engine, plan.cache_enabled, folder, redis_server, app_server, servers)
        mean_bytes, failures = sample_mean_body_bytes(app.port, catalogue)
        if report.mean_body_bytes is None:
          # The cache-on app's answers size the baseline's body for every row.
          report.mean_body_bytes, report.sampled_requests = mean_bytes, SIZE_SAMPLE_REQUESTS
          capture_path.write_text(json.dumps(fallback_capture(mean_bytes)))
          baseline = servers.enter_context(baseline_server(f'{engine}-mix-baseline', capture_path))
        report.sample_errors += failures
        if plan.cache_enabled:
          print(f'[{engine}] mix: warm-up', flush=True)
          report.warm_up = warm_up(app.port, catalogue)
      if accounts is None:
        # Sessions live in the database: they outlast the app server they were made on.
        accounts = writer_accounts(app.port, dataset.database_url)
      print(f'[{engine}] mix: {plan.label}', flush=True)
      report.rows.append(
        measure_mix_row(plan, app, baseline, catalogue, accounts, settings, args, folder)
      )
  return report


def start_mix_app(engine, cache_enabled, folder, redis_server, app_server, servers):
  """The app as deployed, its workers' metrics added up in a multiprocess folder (as
  PROMETHEUS_MULTIPROC_DIR is set on servers), its response cache on or off."""
  state = 'on' if cache_enabled else 'off'
  environment = {
    'PROMETHEUS_MULTIPROC_DIR': str(folder / f'metrics-cache-{state}'),
    'RESPONSE_CACHE_ENABLED': 'true' if cache_enabled else 'false',
  }
  server = app_server(f'{engine}-mix-app-cache-{state}', redis_server.url, environment)
  app = servers.enter_context(server)
  app.cache_enabled = cache_enabled
  return app


def catalogue_description(catalogue):
  return (
    f'{DETAIL_SHARE} % GET /api/posts/<id> of {catalogue.post_count:,} ids, {LIST_SHARE} % '
    f'GET /api/posts?category=<{len(catalogue.categories)}>&page=<1..{catalogue.pages}>, '
    f'{100 - DETAIL_SHARE - LIST_SHARE} % GET /api/search/posts?q=<{len(catalogue.words)} '
    f'words>, anonymous'
  )
