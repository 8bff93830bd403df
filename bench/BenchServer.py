"""gunicorn servers for the load: start on a free port, wait until they answer, read the peak
memory of their workers, stop."""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.RedisServer import RedisServer as TestRedisServer

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# When the project ships a gunicorn config, both servers use it. The command line still fixes
# the bind address and the worker count, so the two servers match, and turns off worker
# recycling, which would restart a worker mid-run and reset its peak memory.
GUNICORN_CONFIG_CANDIDATES = (
  PROJECT_ROOT / 'gunicorn.conf.py',
  PROJECT_ROOT / 'deploy' / 'gunicorn.conf.py',
)
START_TIMEOUT_SECONDS = 30


def free_port():
  """A TCP port on 127.0.0.1 that nobody listens on right now."""
  with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
    probe.bind(('127.0.0.1', 0))
    return probe.getsockname()[1]


def gunicorn_config():
  """The project's gunicorn config file, or None when it has none."""
  return next((path for path in GUNICORN_CONFIG_CANDIDATES if path.exists()), None)


class GunicornServer:
  """One gunicorn master with its workers, serving `target` (module:app) on 127.0.0.1."""

  def __init__(
    self,
    name,
    target,
    environment,
    workers,
    log_path,
    ready_path='/',
    config_path=None,
    extra_args=(),
  ):
    self.name = name
    # Another config than the project's (the event-stream process), and arguments that come
    # last and so win (another worker class).
    self.config_path = config_path
    self.extra_args = list(extra_args)
    self.target = target
    self.environment = environment
    self.workers = workers
    self.log_path = Path(log_path)
    self.ready_path = ready_path
    self.port = None
    self.process = None

  def command(self):
    command = [sys.executable, '-m', 'gunicorn', self.target]
    config = self.config_path or gunicorn_config()
    if config is not None:
      command += ['--config', str(config), '--max-requests', '0']
    return command + [
      '--bind',
      f'127.0.0.1:{self.port}',
      '--workers',
      str(self.workers),
      '--worker-class',
      'sync',
      '--log-level',
      'warning',
      '--error-logfile',
      str(self.log_path),
      *self.extra_args,
    ]

  def start(self):
    """Start the server and return once a worker answers `ready_path`."""
    self.port = free_port()
    environment = {**os.environ, **self.environment}
    # The app logs a JSON line per request to stderr: it goes to the log file, as in production.
    self.log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(self.log_path, 'ab') as log_file:
      self.process = subprocess.Popen(
        self.command(),
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
      )
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
      if self.process.poll() is not None:
        raise RuntimeError(f'{self.name} exited at start; see {self.log_path}')
      if self.answers():
        self.wait_for_workers(deadline)
        return self
      time.sleep(0.2)
    self.stop()
    raise RuntimeError(f'{self.name} did not answer within {START_TIMEOUT_SECONDS} s')

  def answers(self):
    try:
      connection = http.client.HTTPConnection('127.0.0.1', self.port, timeout=2)
      connection.request('GET', self.ready_path)
      connection.getresponse().read()
      connection.close()
      return True
    except OSError:
      return False

  def wait_for_workers(self, deadline):
    """Every worker booted, so none starts (and imports the app) during a measurement."""
    while len(self.worker_pids()) < self.workers and time.monotonic() < deadline:
      time.sleep(0.1)
    time.sleep(0.5)

  @property
  def base_url(self):
    return f'http://127.0.0.1:{self.port}'

  def worker_pids(self):
    """The pids of the master's children (its workers)."""
    children = Path(f'/proc/{self.process.pid}/task/{self.process.pid}/children')
    try:
      return [int(pid) for pid in children.read_text().split()]
    except OSError:
      return []

  def worker_memory_kilobytes(self, field='VmHWM'):
    """{worker pid: kB} of a /proc status field: VmHWM is the peak resident memory each
    worker reached, VmRSS what it holds now."""
    sizes = {}
    for pid in self.worker_pids():
      try:
        for line in Path(f'/proc/{pid}/status').read_text().splitlines():
          if line.startswith(f'{field}:'):
            sizes[pid] = int(line.split()[1])
      except OSError:
        continue
    return sizes

  def peak_worker_rss_kilobytes(self):
    return self.worker_memory_kilobytes('VmHWM')

  def stop(self):
    """Ask the master to stop its workers and exit; kill it when it takes too long."""
    if self.process is None or self.process.poll() is not None:
      return
    self.process.send_signal(signal.SIGTERM)
    try:
      self.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
      self.process.kill()
      self.process.wait()

  def __enter__(self):
    return self.start()

  def __exit__(self, *exc_info):
    self.stop()


class RedisServer:
  """A throwaway redis-server on a free loopback port (no persistence), as production's shared
  cache, started by the tests' own starter; `url` is None when redis-server is not installed
  (the app then caches nothing)."""

  def __init__(self):
    self.server = None
    self.url = None

  def start(self):
    if shutil.which('redis-server') is None:
      print('redis-server is not installed: the app runs without its shared cache.', flush=True)
      return self
    self.server = TestRedisServer().start()
    self.url = self.server.url
    return self

  def stop(self):
    if self.server is not None:
      self.server.stop()

  def __enter__(self):
    return self.start()

  def __exit__(self, *exc_info):
    self.stop()
