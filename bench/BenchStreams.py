"""`python -m bench --streams`: GET /api/posts under wrk, without and then with 500 idle
event streams held open, while chat messages make events; prints the list throughput of both,
whether every stream received each of its events, and the event latency (issue 14).

Modes: `separate` (the deployment: the app on sync workers, the streams on their own gunicorn
with gevent workers, deploy/gunicorn_events.conf.py), `gevent` (one gunicorn with gevent
workers serves both) and `gthread` (one gunicorn with gthread workers serves both).
"""

import argparse
import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import redis
from sqlalchemy import create_engine, text

from bench.BenchClient import http_request, login
from bench.BenchData import BENCH_EMAIL, BENCH_PASSWORD, build_database, server_environment
from bench.BenchLoad import LoadSettings, combine_results, require_wrk, run_wrk
from bench.BenchMain import stop_on_terminate
from bench.BenchServer import PROJECT_ROOT, GunicornServer, free_port
from bench.BenchStreamClient import StreamHolder

LIST_PATH = '/api/posts?per_page=20'
EVENTS_CONFIG = PROJECT_ROOT / 'deploy' / 'gunicorn_events.conf.py'
THROUGHPUT_FALL_TARGET = 0.20
LATENCY_P99_TARGET_MS = 1000.0
# After the load, streams get this long to receive the last events.
SETTLE_SECONDS = 3


def parse_args(argv):
  parser = argparse.ArgumentParser(prog='python -m bench --streams', description=__doc__)
  parser.add_argument('--mode', choices=('separate', 'gevent', 'gthread'), default='separate')
  parser.add_argument('--stream-count', type=int, default=500, help='event streams held open')
  parser.add_argument('--stream-users', type=int, default=100, help='users the streams belong to')
  parser.add_argument('--posts', type=int, default=5000)
  parser.add_argument('--duration', type=int, default=10, help='seconds of each wrk round')
  parser.add_argument('--rounds', type=int, default=2, help='rounds without and with streams')
  parser.add_argument('--connections', type=int, default=8)
  parser.add_argument('--threads', type=int, default=2)
  parser.add_argument('--workers', type=int, default=2, help='workers of the app server')
  parser.add_argument('--gthread-threads', type=int, default=300, help='threads per worker')
  parser.add_argument('--message-rate', type=float, default=10.0, help='messages a second')
  parser.add_argument('--database-url', default='', help='default: a SQLite file (wiped)')
  parser.add_argument('--json', dest='json_path')
  parser.add_argument('--strict', action='store_true', help='exit 1 when a target fails')
  return parser.parse_args(argv)


class RedisProcess:
  """A redis-server of the bench's own on a free port, without persistence."""

  def __enter__(self):
    self.folder = tempfile.mkdtemp(prefix='dibz-bench-redis-')
    self.port = free_port()
    self.url = f'redis://127.0.0.1:{self.port}/0'
    self.process = subprocess.Popen(
      [shutil.which('redis-server') or '/usr/bin/redis-server', '--port', str(self.port)]
      + ['--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', self.folder],
      stdout=subprocess.DEVNULL,
    )
    for _ in range(100):
      try:
        redis.Redis.from_url(self.url).ping()
        return self
      except redis.ConnectionError:
        time.sleep(0.05)
    raise RuntimeError('redis-server did not start')

  def __exit__(self, *exc_info):
    self.process.terminate()
    self.process.wait(timeout=10)
    shutil.rmtree(self.folder, ignore_errors=True)


def servers_for(args, environment, work_folder):
  """(app server, stream server): the same one unless the mode is `separate`."""
  if args.mode == 'gthread':
    extra = ['--worker-class', 'gthread', '--threads', str(args.gthread_threads)]
  elif args.mode == 'gevent':
    extra = ['--worker-class', 'gevent', '--worker-connections', '2000']
  else:
    extra = []
  app = GunicornServer(
    'app',
    'wsgi:app',
    environment,
    args.workers,
    work_folder / 'app.log',
    '/api/health',
    None,
    extra,
  )
  if args.mode != 'separate':
    return app, None
  streams = GunicornServer(
    'events', 'wsgi:app', environment, 1, work_folder / 'events.log', '/api/health', EVENTS_CONFIG
  )
  streams.extra_args = ['--worker-class', 'gevent']
  return app, streams


def conversation_pairs(database_url, stream_users):
  """[(buyer id, post id)]: each buyer among users 2.. asks about an available post of a
  seller among the other half of the stream users."""
  half = stream_users // 2
  engine = create_engine(database_url.replace('postgresql://', 'postgresql+psycopg2://', 1))
  pairs = []
  with engine.connect() as connection:
    for buyer_id in range(2, 2 + half):
      seller_id = buyer_id + half
      post_id = connection.execute(
        text("SELECT id FROM posts WHERE seller_id = :s AND status = 'available' LIMIT 1"),
        {'s': seller_id},
      ).scalar()
      if post_id is not None:
        pairs.append((buyer_id, seller_id, post_id))
  engine.dispose()
  return pairs


def user_email(user_id):
  return f'student{user_id:06d}@bench.test'


def prepare_chats(port, pairs):
  """Log in each buyer and seller; open each buyer's conversation. Returns (sessions by user
  id, [(buyer session, conversation id, buyer id, seller id)])."""
  sessions, chats = {}, []
  for buyer_id, seller_id, post_id in pairs:
    for user_id in (buyer_id, seller_id):
      sessions[user_id] = login(port, user_email(user_id), BENCH_PASSWORD)
    buyer = sessions[buyer_id]
    answer = http_request(
      port, 'POST', f'/api/posts/{post_id}/conversations', buyer.headers(with_csrf=True), {}
    )
    chats.append((buyer, answer.json()['conversation']['id'], buyer_id, seller_id))
  return sessions, chats


class MessageSender:
  """Sends chat messages at a steady rate in a thread; notes when each request started."""

  def __init__(self, port, chats, rate):
    self.port, self.chats, self.interval = port, chats, 1.0 / rate
    self.sent = []  # (message id, buyer id, seller id, time.monotonic() before the request)
    self.failures = 0
    self.stopping = threading.Event()
    self.thread = threading.Thread(target=self.run, daemon=True)

  def run(self):
    number = 0
    while not self.stopping.is_set():
      session, conversation_id, buyer_id, seller_id = self.chats[number % len(self.chats)]
      started = time.monotonic()
      answer = http_request(
        self.port,
        'POST',
        f'/api/conversations/{conversation_id}/messages',
        session.headers(with_csrf=True),
        {'body': f'Bench message {number}'},
      )
      if answer.status == 201:
        self.sent.append((answer.json()['message']['id'], buyer_id, seller_id, started))
      else:
        self.failures += 1
      number += 1
      self.stopping.wait(max(0.0, self.interval - (time.monotonic() - started)))


def idle_round(app, streams_port, settings, session, stream_sessions):
  """One wrk round while the streams are open and idle; returns (LoadResult, open streams)."""
  holder = StreamHolder(streams_port, stream_sessions).start()
  connected = sum(record.connected for record in holder.records)
  failures = sorted({record.failure for record in holder.records if not record.connected})
  print(f'  {connected}/{len(holder.records)} streams open {failures[:3] or ""}', flush=True)
  try:
    return run_wrk(app.base_url + LIST_PATH, settings, session.headers()), connected
  finally:
    holder.stop()


def event_round(app, streams_port, args, settings, session, chats, stream_sessions):
  """One wrk round with the streams open and messages flowing; returns (LoadResult, sender,
  stream records)."""
  holder = StreamHolder(streams_port, stream_sessions).start()
  sender = MessageSender(app.port, chats, args.message_rate)
  sender.thread.start()
  try:
    result = run_wrk(app.base_url + LIST_PATH, settings, session.headers())
  finally:
    sender.stopping.set()
    sender.thread.join(timeout=30)
  time.sleep(SETTLE_SECONDS)
  holder.stop()
  return result, sender, holder.records


def percentiles_ms(seconds):
  """(p50, p99, max) in milliseconds of a list of durations in seconds."""
  if not seconds:
    return 0.0, 0.0, 0.0
  ordered = sorted(seconds)
  p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
  return tuple(round(value * 1000, 1) for value in (ordered[len(ordered) // 2], p99, ordered[-1]))


def event_figures(rounds):
  """Delivery and latency over every (stream, message it should receive) of every round."""
  expected = received = incomplete_streams = 0
  since_commit, since_request = [], []
  for sender, records in rounds:
    for record in records:
      wanted = [item for item in sender.sent if record.user_id in (item[1], item[2])]
      got = [item for item in wanted if item[0] in record.messages]
      incomplete_streams += len(got) < len(wanted) or not record.connected
      expected += len(wanted)
      received += len(got)
      for message_id, _, _, request_started in got:
        receipt, after_commit = record.messages[message_id]
        since_commit.append(after_commit)
        since_request.append(receipt - request_started)
  p50, p99, worst = percentiles_ms(since_commit)
  request_p50, request_p99, _ = percentiles_ms(since_request)
  return {
    'expected_deliveries': expected,
    'received_deliveries': received,
    'incomplete_streams': incomplete_streams,
    'latency_p50_ms': p50,
    'latency_p99_ms': p99,
    'latency_max_ms': worst,
    'request_to_receipt_p50_ms': request_p50,
    'request_to_receipt_p99_ms': request_p99,
  }


def measure(args, work_folder):
  database_url = args.database_url or f'sqlite:///{work_folder}/streams.sqlite3'
  print(f'Building {args.posts:,} posts…', flush=True)
  build_database(database_url, args.posts, user_count=max(args.stream_users + 2, 50))
  settings = LoadSettings(args.duration, args.connections, args.threads)
  with RedisProcess() as redis_process:
    environment = {**server_environment(database_url), 'REDIS_URL': redis_process.url}
    app, streams = servers_for(args, environment, work_folder)
    with contextlib.ExitStack() as running:
      for server in (app, streams) if streams else (app,):
        running.enter_context(server)
      session = login(app.port, BENCH_EMAIL, BENCH_PASSWORD)
      for _ in range(20):
        http_request(app.port, 'GET', LIST_PATH, headers=session.headers())
      sessions, chats = prepare_chats(app.port, conversation_pairs(database_url, args.stream_users))
      users = sorted(sessions)
      stream_sessions = [
        (users[number % len(users)], sessions[users[number % len(users)]].cookie)
        for number in range(args.stream_count)
      ]
      streams_port = (streams or app).port
      quiet, idle, opened = [], [], []
      for number in range(args.rounds):
        # Alternating (A B, B A, …), so load from elsewhere on the machine falls on both.
        for with_streams in (False, True) if number % 2 == 0 else (True, False):
          if with_streams:
            print(f'Round {number + 1}: {args.stream_count} idle streams', flush=True)
            result, connected = idle_round(app, streams_port, settings, session, stream_sessions)
            idle.append(result)
            opened.append(connected)
          else:
            print(f'Round {number + 1}: no streams', flush=True)
            quiet.append(run_wrk(app.base_url + LIST_PATH, settings, session.headers()))
      print(f'Events: {args.stream_count} streams, {args.message_rate:g} messages/s', flush=True)
      events = event_round(app, streams_port, args, settings, session, chats, stream_sessions)
  return summarize(args, combine_results(quiet), combine_results(idle), opened, events)


def summarize(args, quiet, loaded, opened, events):
  events_result, sender, records = events
  rounds = [(sender, records)]
  figures = {
    'mode': args.mode,
    'streams': args.stream_count,
    'stream_users': args.stream_users,
    'wrk': settings_text(args),
    'quiet_rps': round(quiet.requests_per_second, 1),
    'loaded_rps': round(loaded.requests_per_second, 1),
    'quiet_p99_ms': quiet.p99_ms,
    'loaded_p99_ms': loaded.p99_ms,
    'list_errors': quiet.errors + loaded.errors,
    'streams_opened': min(opened),
    'events_round_rps': round(events_result.requests_per_second, 1),
    'load_average': round(os.getloadavg()[0], 1),
    'messages_sent': sum(len(sender.sent) for sender, _ in rounds),
    'message_failures': sum(sender.failures for sender, _ in rounds),
  }
  figures['throughput_fall'] = round(1 - figures['loaded_rps'] / max(figures['quiet_rps'], 1), 3)
  figures.update(event_figures(rounds))
  return figures


def settings_text(args):
  return f'wrk -t{args.threads} -c{args.connections} -d{args.duration}s; {args.workers} workers'


def render(figures):
  checks = [
    (
      f'list throughput falls by at most {THROUGHPUT_FALL_TARGET:.0%}',
      f'{figures["quiet_rps"]} → {figures["loaded_rps"]} req/s '
      f'({figures["throughput_fall"]:+.1%} fall)',
      figures['throughput_fall'] <= THROUGHPUT_FALL_TARGET
      and not figures['list_errors']
      and figures['streams_opened'] == figures['streams'],
    ),
    (
      'every stream gets its events',
      f'{figures["received_deliveries"]}/{figures["expected_deliveries"]} deliveries, '
      f'{figures["incomplete_streams"]} incomplete streams',
      figures['incomplete_streams'] == 0 and figures['expected_deliveries'] > 0,
    ),
    (
      f'event latency (commit to receipt) p99 < {LATENCY_P99_TARGET_MS:.0f} ms',
      f'p50 {figures["latency_p50_ms"]} ms, p99 {figures["latency_p99_ms"]} ms, '
      f'max {figures["latency_max_ms"]} ms (from the start of the sending request: '
      f'p50 {figures["request_to_receipt_p50_ms"]}, p99 {figures["request_to_receipt_p99_ms"]} ms)',
      figures['latency_p99_ms'] < LATENCY_P99_TARGET_MS and figures['expected_deliveries'] > 0,
    ),
  ]
  lines = [
    f'Live updates: mode {figures["mode"]}, {figures["streams"]} streams of '
    f'{figures["stream_users"]} users; {figures["wrk"]}; GET {LIST_PATH}',
    f'list p99 without streams {figures["quiet_p99_ms"]} ms, with idle streams '
    f'{figures["loaded_p99_ms"]} ms; streams open {figures["streams_opened"]}; '
    f'machine load average {figures["load_average"]}',
    f'events round: list {figures["events_round_rps"]} req/s while '
    f'{figures["messages_sent"]} messages were sent ({figures["message_failures"]} failed)',
  ]
  lines += [f'  {"PASS" if ok else "FAIL"}  {name}: {measured}' for name, measured, ok in checks]
  return '\n'.join(lines), all(ok for _, _, ok in checks)


def main(argv=None):
  args = parse_args(sys.argv[1:] if argv is None else argv)
  require_wrk()
  signal.signal(signal.SIGTERM, stop_on_terminate)
  work_folder = Path(tempfile.mkdtemp(prefix='dibz-bench-streams-'))
  try:
    figures = measure(args, work_folder)
  finally:
    shutil.rmtree(work_folder, ignore_errors=True)
  text_report, passed = render(figures)
  print(f'\nDibz benchmark: python -m bench --streams {" ".join(argv or sys.argv[1:])}')
  print(text_report)
  if args.json_path:
    Path(args.json_path).write_text(json.dumps(figures, indent=2))
  return 1 if args.strict and not passed else 0


if __name__ == '__main__':
  sys.exit(main())
