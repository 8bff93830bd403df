"""The system under the chaos run, every part a process of its own on this machine.

- PostgreSQL (its own cluster) and Redis (its own server, append-only file) on 127.0.0.1;
- two app hosts, network namespaces of tests/ops/OpsNetwork.py, each running gunicorn on its
  private address with deploy/gunicorn.conf.py; socat forwards their PostgreSQL and Redis;
- the events process (deploy/gunicorn_events.conf.py), one job worker (`manage.py worker`),
  the periodic timer's work (`manage.py periodic`, every PERIODIC_SECONDS) and an SMTP server
  that captures mail, all on 127.0.0.1;
- nginx with the site of deploy/templates/nginx-site.conf.j2 in front of all of them.

Each app process is supervised: when it dies it is started again after a pause, as systemd's
Restart= does. `stop()` tears everything down, whatever state the faults left it in.
"""

import os
import shutil
import subprocess  # nosec B404 # manage.py of this checkout
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from deploy.DeploySettings import settings_from_config
from deploy.DeploySetup import render_template
from tests.chaos.ChaosServices import (
  PROJECT_ROOT,
  PostgresCluster,
  RedisProcess,
  SmtpCapture,
  Supervised,
  wait_for,
)
from tests.ops.OpsNetwork import Forwarder, NamespaceHost, Nginx, new_subnet_octet
from tests.ops.OpsSshServer import free_port

# `manage.py periodic` every minute, as systemd's timer runs it (dibz-periodic.timer).
PERIODIC_SECONDS = 60
# Retries of failed jobs (seconds): they outlast every fault of the schedule.
JOB_RETRY_INTERVALS = '3,10,20,40'
# Mail still unsent this late is queued again (120 s in production).
OWED_MAIL_AFTER_SECONDS = 30


def ready(url):
  """Whether `url` answers 200 within 2 s."""
  try:
    with urllib.request.urlopen(url, timeout=2) as answer:  # nosec B310 # http to our own host
      return answer.status == 200
  except OSError:
    return False


class ChaosCluster:
  """Start with `start()`; `stop()` always cleans up."""

  def __init__(self):
    self.folder = Path(tempfile.mkdtemp(prefix='dibz-chaos-'))
    # PostgreSQL runs as the postgres user, which must reach its folder inside.
    self.folder.chmod(0o755)
    self.logs = self.folder / 'logs'
    self.logs.mkdir()
    self.uploads = self.folder / 'uploads'
    self.uploads.mkdir()
    self.cleanups = []
    self.app_port = free_port()
    self.events_port = free_port()
    self.hosts = []
    self.apps = []
    self.periodic_stopping = threading.Event()

  def base_environment(self, database_url, redis_url):
    environment = {
      key: value
      for key, value in os.environ.items()
      if not key.startswith(('GUNICORN_', 'TEST_', 'DATABASE_', 'REDIS_', 'MAIL_'))
    }
    environment.update(
      {
        'APP_ENV': 'staging',
        'SECRET_KEY': 'chaos-run-secret-key-of-more-than-32-characters',
        'DATABASE_URL': database_url,
        'REDIS_URL': redis_url,
        'RATELIMIT_STORAGE_URI': redis_url,
        # A few hundred students from one address: the per-address limits have their tests.
        'RATELIMIT_ENABLED': 'false',
        'TRUSTED_PROXY_COUNT': '1',
        'PUBLIC_BASE_URL': 'https://dibz.example.edu',
        'UPLOAD_FOLDER': str(self.uploads),
        'METRICS_ALLOWED_ADDRESSES': '127.0.0.1',
        'MAIL_BACKEND': 'smtp',
        'MAIL_SERVER': '127.0.0.1',
        'MAIL_PORT': str(self.smtp.port),
        'MAIL_USE_TLS': 'false',
        'MAIL_TIMEOUT_SECONDS': '3',
        'JOB_RETRY_INTERVALS': JOB_RETRY_INTERVALS,
        # Compressed like the timer: the lost mails of the last faults go before the checks.
        'OWED_MAIL_AFTER_SECONDS': str(OWED_MAIL_AFTER_SECONDS),
        'GUNICORN_TIMEOUT': '30',
        'GUNICORN_GRACEFUL_TIMEOUT': '5',
        'PYTHONDONTWRITEBYTECODE': '1',
      }
    )
    return environment

  def start(self):
    """Everything, in dependency order; returns nginx's base URL."""
    self.postgresql = PostgresCluster(self.folder).start_fresh()
    self.cleanups.append(lambda: self.postgresql.stop('immediate'))
    self.redis = RedisProcess(self.folder, dict(os.environ)).start()
    self.cleanups.append(self.redis.stop)
    self.smtp = SmtpCapture(self.folder, dict(os.environ)).start()
    self.cleanups.append(self.smtp.stop)
    self.environment = self.base_environment(self.postgresql.url, self.redis.url)
    self.manage('initdb')
    self.start_hosts()
    self.start_local_processes()
    self.nginx = Nginx(self.folder)
    self.cleanups.append(self.nginx.stop)
    self.nginx.start(self.nginx_site())
    self.base_url = f'http://127.0.0.1:{self.nginx.port}'
    for host in self.hosts:
      wait_for(lambda host=host: ready(self.host_url(host)), 60, f'{host.label} ready')
    wait_for(lambda: ready(f'{self.base_url}/api/health/ready'), 30, 'nginx ready')
    return self.base_url

  def manage(self, *arguments):
    completed = subprocess.run(  # nosec B603 # this interpreter, fixed argv
      [sys.executable, 'manage.py', *arguments],
      cwd=PROJECT_ROOT,
      env=self.environment,
      capture_output=True,
      text=True,
      timeout=120,
    )
    if completed.returncode != 0:
      raise RuntimeError(f'manage.py {" ".join(arguments)}: {completed.stderr[-3000:]}')
    return completed.stdout

  def host_url(self, host):
    return f'http://{host.address}:{self.app_port}/api/health/ready'

  def start_hosts(self):
    octet = new_subnet_octet()
    for index, label in enumerate(('app1', 'app2')):
      host = NamespaceHost(label, index, octet, self.folder, '/nonexistent')
      self.cleanups.append(host.destroy)
      self.hosts.append(host.create())
      database = Forwarder(host.address_here, self.postgresql.port).start()
      redis = Forwarder(host.address_here, self.redis.port).start()
      self.cleanups += [database.stop, redis.stop]
      redis_url = f'redis://{host.address_here}:{redis.port}/0'
      environment = self.base_environment(
        f'postgresql://postgres@{host.address_here}:{database.port}/dibz_chaos', redis_url
      )
      metrics = self.folder / label / 'metrics'
      metrics.mkdir(parents=True)
      environment.update(
        {
          'GUNICORN_BIND': f'{host.address}:{self.app_port}',
          'GUNICORN_WORKERS': '3',
          'PROMETHEUS_MULTIPROC_DIR': str(metrics),
        }
      )
      command = ['ip', 'netns', 'exec', host.namespace, sys.executable, '-m', 'gunicorn']
      command += ['-c', 'deploy/gunicorn.conf.py', 'wsgi:app']
      app = Supervised(f'gunicorn-{label}', command, environment, self.logs).start()
      self.cleanups.append(app.stop)
      self.apps.append(app)

  def start_local_processes(self):
    events_environment = dict(self.environment)
    events_environment['GUNICORN_EVENTS_BIND'] = f'127.0.0.1:{self.events_port}'
    events_environment['GUNICORN_ACCESS_LOG'] = '/dev/null'
    command = [sys.executable, '-m', 'gunicorn', '-c', 'deploy/gunicorn_events.conf.py']
    self.events = Supervised('events', [*command, 'wsgi:app'], events_environment, self.logs)
    self.events.start()
    self.cleanups.append(self.events.stop)
    worker_command = [sys.executable, 'manage.py', 'worker']
    # dibz-worker.service: Restart=always, RestartSec=5.
    self.worker = Supervised('worker', worker_command, self.environment, self.logs, 5).start()
    self.cleanups.append(self.worker.stop)
    self.periodic = threading.Thread(target=self.run_periodic, daemon=True)
    self.periodic.start()
    self.cleanups.append(self.periodic_stopping.set)

  def run_periodic(self):
    """`manage.py periodic` on a timer (its failures are the timer's: the next run comes)."""
    while not self.periodic_stopping.wait(PERIODIC_SECONDS):
      try:
        self.manage('periodic')
      except Exception as error:  # noqa: BLE001 # a failed timer run is logged, not fatal
        with open(self.logs / 'periodic.log', 'a') as log:
          log.write(f'{time.strftime("%H:%M:%S")} {error}\n')

  def nginx_site(self):
    values = {
      'root': str(self.folder),
      'server_name': 'localhost',
      'upstreams': [f'{host.address}:{self.app_port}' for host in self.hosts],
      'events_bind': f'127.0.0.1:{self.events_port}',
      'listen': f'127.0.0.1:{self.nginx.port}',
      'nginx_log_folder': str(self.nginx.folder),
      'metrics_allowed': ['127.0.0.1'],
    }
    return render_template('nginx-site.conf.j2', settings_from_config(values))

  def stop(self):
    for cleanup in reversed(self.cleanups):
      try:
        cleanup()
      except Exception as error:  # noqa: BLE001 # tear down the rest whatever one did
        print(f'chaos: cleanup {cleanup}: {error}', file=sys.stderr)
    self.cleanups = []

  def remove_folder(self):
    shutil.rmtree(self.folder, ignore_errors=True)
