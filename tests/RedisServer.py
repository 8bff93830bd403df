"""A redis-server of the test's own, on a free loopback port, that the test may kill or hang:
the one way the suite starts Redis (limits, outages, jobs, events, the cache).

The shared Redis on 6379 belongs to every engineer and CI job; tests never touch it.
"""

import os
import shutil
import signal
import socket
import subprocess  # nosec B404 # starts redis-server with a fixed argument list
import tempfile
import time

import redis

from tests.TestTiers import require_tier


def free_port():
  """A TCP port on 127.0.0.1 that nothing listens on right now."""
  with socket.socket() as probe:
    probe.bind(('127.0.0.1', 0))
    return probe.getsockname()[1]


def redis_server_path():
  """The redis-server binary; CI installs it (.ci/run), so a missing one is a failure."""
  path = shutil.which('redis-server') or '/usr/bin/redis-server'
  if not os.path.exists(path):
    raise RuntimeError('redis-server is not installed (apt-get install -y redis-server).')
  return path


class RedisServer:
  """`with RedisServer() as server:` a fresh, empty Redis at `server.url`; `kill()`, `hang()`
  and `resume()` play an outage, `start()` brings it back on the same port."""

  def __init__(self, database=0):
    self.port = free_port()
    self.url = f'redis://127.0.0.1:{self.port}/{database}'
    self.folder = tempfile.mkdtemp(prefix='dibz-redis-')
    self.process = None

  def start(self):
    require_tier('redis', 'starts a redis-server')
    self.process = subprocess.Popen(  # nosec B603
      [
        redis_server_path(),
        '--port',
        str(self.port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--appendonly',
        'no',
        '--dir',
        self.folder,
      ],
      stdout=subprocess.DEVNULL,
      stderr=subprocess.DEVNULL,
    )
    client = redis.Redis.from_url(self.url, socket_timeout=0.5, socket_connect_timeout=0.5)
    deadline = time.monotonic() + 10
    while True:
      try:
        client.ping()
        return self
      except redis.exceptions.ConnectionError:
        if time.monotonic() > deadline or self.process.poll() is not None:
          raise RuntimeError(f'redis-server did not start on port {self.port}.') from None
        time.sleep(0.05)

  def kill(self):
    """Redis is gone: connections are refused."""
    if self.process is not None:
      self.resume()
      self.process.kill()
      self.process.wait(timeout=10)
      self.process = None

  def stop(self):
    """The server is gone and its folder removed."""
    self.kill()
    shutil.rmtree(self.folder, ignore_errors=True)

  def client(self):
    """A client of this server's database."""
    return redis.Redis.from_url(self.url, socket_timeout=2)

  def hang(self):
    """Redis accepts connections but never answers (SIGSTOP)."""
    self.process.send_signal(signal.SIGSTOP)

  def resume(self):
    if self.process is not None and self.process.poll() is None:
      self.process.send_signal(signal.SIGCONT)

  def __enter__(self):
    return self.start()

  def __exit__(self, *exc_info):
    self.stop()
