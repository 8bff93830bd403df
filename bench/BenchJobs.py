"""Issue 13's "done when", measured: gunicorn + a job worker + Redis + a real SMTP server.

`python -m bench.BenchJobs` builds a fresh SQLite database, starts its own redis-server,
an SMTP server that captures mail (aiosmtpd), a socket that accepts and never answers,
gunicorn (sync workers) and `manage.py worker`, then prints:
- dib → notification and dib → captured mail latencies (the seller's side, as a user sees it);
- password-reset request times for known and unknown emails (medians and the largest), with
  the SMTP server working, hung and down, and the slowest GET /api/posts served meanwhile.
It prints figures, it asserts nothing: speed belongs here, not in the tests.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

from tests.jobs.JobServers import (
  CapturingSmtpServer,
  HungSocketServer,
  RedisServer,
  WorkerProcess,
  free_port,
  port_is_open,
  wait_until,
)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PASSWORD = 'bench password 123'


def base_environment(folder, redis_url, smtp_port):
  """The app's environment: local config on a fresh SQLite file, mail over SMTP, no limits."""
  return {
    **os.environ,
    'APP_ENV': 'local',
    'FLASK_DEBUG': 'false',
    'DATABASE_URL': f'sqlite:///{folder}/bench.sqlite3',
    'UPLOAD_FOLDER': f'{folder}/uploads',
    'REDIS_URL': redis_url,
    'RATELIMIT_ENABLED': 'false',
    'MAIL_BACKEND': 'smtp',
    'MAIL_SERVER': '127.0.0.1',
    'MAIL_PORT': str(smtp_port),
    'MAIL_USE_TLS': 'false',
    'MAIL_TIMEOUT_SECONDS': '10',
    'LOG_LEVEL': 'WARNING',
  }


class Gunicorn:
  """gunicorn serving wsgi:app on a free port with sync workers."""

  def __init__(self, environment, workers):
    self.port = free_port()
    self.url = f'http://127.0.0.1:{self.port}'
    self.process = subprocess.Popen(  # noqa: S603 # this interpreter, a fixed argv
      [
        sys.executable,
        '-m',
        'gunicorn',
        '--bind',
        f'127.0.0.1:{self.port}',
        '--workers',
        str(workers),
        '--worker-class',
        'sync',
        '--log-level',
        'warning',
        'wsgi:app',
      ],
      cwd=PROJECT_ROOT,
      env=environment,
      stdout=subprocess.DEVNULL,
      stderr=subprocess.DEVNULL,
    )
    if not wait_until(lambda: port_is_open(self.port), timeout=60):
      raise RuntimeError('gunicorn did not start')

  def stop(self):
    self.process.terminate()
    self.process.wait(timeout=30)


class Browser:
  """A requests session that talks like the SPA (CSRF header on unsafe methods)."""

  def __init__(self, base_url):
    self.base_url = base_url
    self.session = requests.Session()

  def call(self, method, path, **kwargs):
    """(response, seconds) of one request."""
    headers = {}
    if method != 'GET':
      token = self.session.get(self.base_url + '/api/auth/csrf').json()['csrf_token']
      headers['X-CSRFToken'] = token
    started = time.perf_counter()
    response = self.session.request(method, self.base_url + path, headers=headers, **kwargs)
    return response, time.perf_counter() - started

  def signup(self, username):
    body = {'email': f'{username}@bench.example.edu', 'username': username, 'password': PASSWORD}
    response, _ = self.call('POST', '/api/auth/signup', json=body)
    assert response.status_code == 201, response.text
    return response.json()['user']


def milliseconds(seconds):
  return f'{seconds * 1000:.1f} ms'


def dib_latencies(server, smtp, rounds):
  """Seconds from each dib's 201 to the seller's notification, and to the captured mail."""
  to_notification, to_mail = [], []
  seller = Browser(server.url)
  seller_user = seller.signup('bench_seller')
  for number in range(rounds):
    post = {
      'title': f'Bench lamp {number}',
      'description': 'A lamp.',
      'price_cents': 1000,
      'category': 'other',
      'condition': 'good',
    }
    response, _ = seller.call('POST', '/api/posts', json=post)
    post_id = response.json()['post']['id']
    buyer = Browser(server.url)
    buyer.signup(f'bench_buyer{number}')
    mails_before = len(smtp.mails_to(seller_user['email']))
    response, _ = buyer.call('POST', f'/api/posts/{post_id}/dibs')
    assert response.status_code == 201, response.text
    dibbed_at = time.perf_counter()

    def notified(post_id=post_id):
      items = seller.session.get(server.url + '/api/notifications').json()['items']
      return any(item['payload'].get('post_id') == post_id for item in items)

    wait_until(notified, timeout=30, interval=0.01)
    to_notification.append(time.perf_counter() - dibbed_at)
    wait_until(
      lambda before=mails_before: len(smtp.mails_to(seller_user['email'])) > before,
      timeout=30,
      interval=0.01,
    )
    to_mail.append(time.perf_counter() - dibbed_at)
  return to_notification, to_mail


def reset_timings(server, known_email, requests_each):
  """Request times of resets for a known and an unknown email, interleaved, plus the slowest
  GET /api/posts between them."""
  client = Browser(server.url)
  known, unknown, lists = [], [], []
  for number in range(requests_each):
    for email, times in ((known_email, known), (f'nobody{number}@bench.example.edu', unknown)):
      response, seconds = client.call('POST', '/api/auth/password-reset', json={'email': email})
      assert response.status_code == 202, response.text
      times.append(seconds)
    response, seconds = client.call('GET', '/api/posts')
    lists.append(seconds)
  return known, unknown, lists


def print_resets(label, known, unknown, lists):
  difference = abs(statistics.median(known) - statistics.median(unknown))
  print(
    f'reset, SMTP {label}: median known {milliseconds(statistics.median(known))}, '
    f'unknown {milliseconds(statistics.median(unknown))} (difference {milliseconds(difference)}); '
    f'max reset {milliseconds(max(known + unknown))}; max GET /api/posts {milliseconds(max(lists))}'
  )


def main():
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument('--rounds', type=int, default=10, help='dibs measured')
  parser.add_argument('--resets', type=int, default=30, help='reset requests per email kind')
  parser.add_argument('--workers', type=int, default=2, help='gunicorn sync workers')
  args = parser.parse_args()
  folder = tempfile.mkdtemp(prefix='dibz-bench-jobs-')
  redis_server = RedisServer().start()
  smtp = CapturingSmtpServer().start()
  hung = HungSocketServer().start()
  environment = base_environment(folder, redis_server.url, smtp.port)
  subprocess.run(  # noqa: S603 # this interpreter, a fixed argv
    [sys.executable, 'manage.py', 'initdb'], cwd=PROJECT_ROOT, env=environment, check=True
  )
  server = Gunicorn(environment, args.workers)
  worker = WorkerProcess(environment).start()
  try:
    to_notification, to_mail = dib_latencies(server, smtp, args.rounds)
    print(
      f'dib -> seller notification: median {milliseconds(statistics.median(to_notification))}, '
      f'max {milliseconds(max(to_notification))}; dib -> captured mail: median '
      f'{milliseconds(statistics.median(to_mail))}, max {milliseconds(max(to_mail))} '
      f'({args.rounds} dibs)'
    )
    known_email = 'bench_seller@bench.example.edu'
    print_resets('working', *reset_timings(server, known_email, args.resets))
    worker.stop()
    for label, port in (('hung', hung.port), ('down', free_port())):
      worker = WorkerProcess({**environment, 'MAIL_PORT': str(port)}).start()
      print_resets(label, *reset_timings(server, known_email, args.resets))
      worker.stop()
  finally:
    worker.stop()
    server.stop()
    smtp.stop()
    hung.stop()
    redis_server.stop()


if __name__ == '__main__':
  main()
