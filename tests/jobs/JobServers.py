"""Real servers for the job tests, each on a free port of 127.0.0.1 and stopped by the test:
a redis-server of our own, an SMTP server that captures mail (aiosmtpd), a socket that
accepts and never answers, and `manage.py worker` as a subprocess on the test database."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

from aiosmtpd.controller import Controller

from tests.ops.OpsSshServer import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 20


def wait_until(condition, timeout=WAIT_SECONDS, interval=0.05):
  """Poll `condition` until it returns something truthy; return it, or None after `timeout`."""
  deadline = time.monotonic() + timeout
  while time.monotonic() < deadline:
    result = condition()
    if result:
      return result
    time.sleep(interval)
  return None


class CapturingHandler:
  """Keeps every message the SMTP server receives."""

  def __init__(self):
    self.messages = []
    self.lock = threading.Lock()

  async def handle_DATA(self, server, session, envelope):  # noqa: N802 # aiosmtpd names the hook
    message = message_from_bytes(envelope.content, policy=default_policy)
    with self.lock:
      self.messages.append(message)
    return '250 OK'


class CapturingSmtpServer:
  """A real SMTP server (aiosmtpd) on a free port that keeps what it receives."""

  def __init__(self):
    self.handler = CapturingHandler()
    self.port = free_port()
    self.controller = Controller(self.handler, hostname='127.0.0.1', port=self.port)

  def start(self):
    self.controller.start()
    return self

  def stop(self):
    self.controller.stop()

  def clear(self):
    with self.handler.lock:
      self.handler.messages.clear()

  @property
  def messages(self):
    with self.handler.lock:
      return list(self.handler.messages)

  def mails_to(self, address):
    """(subject, body) of the mails received for `address`."""
    return [
      (message['Subject'], message.get_body().get_content())
      for message in self.messages
      if message['To'] == address
    ]


class HungSocketServer:
  """Accepts connections and never says a word: an SMTP server that hangs."""

  def __init__(self):
    self.listener = socket.socket()
    self.listener.bind(('127.0.0.1', 0))
    self.listener.listen(50)
    self.port = self.listener.getsockname()[1]
    self.connections = []
    self.thread = threading.Thread(target=self.accept_forever, daemon=True)

  def accept_forever(self):
    while True:
      try:
        connection, _ = self.listener.accept()
      except OSError:
        return
      self.connections.append(connection)

  def start(self):
    self.thread.start()
    return self

  def stop(self):
    self.listener.close()
    for connection in self.connections:
      connection.close()


def worker_environment(redis_url, smtp_port, **extra):
  """The environment of a worker subprocess on the suite's own test database."""
  environment = dict(os.environ)
  environment.update(
    {
      'APP_ENV': 'testing',
      'REDIS_URL': redis_url,
      'MAIL_BACKEND': 'smtp',
      'MAIL_SERVER': '127.0.0.1',
      'MAIL_PORT': str(smtp_port),
      'MAIL_USE_TLS': 'false',
      'MAIL_TIMEOUT_SECONDS': '1',
      'JOB_RETRY_INTERVALS': '1',
      **extra,
    }
  )
  return environment


class WorkerProcess:
  """`python manage.py worker` in its own process group, stopped (with its scheduler) by
  the test."""

  def __init__(self, environment):
    self.environment = environment
    self.process = None
    self.log = tempfile.TemporaryFile()

  def start(self):
    self.process = subprocess.Popen(  # noqa: S603 # this interpreter, a fixed argv
      [sys.executable, 'manage.py', 'worker'],
      cwd=PROJECT_ROOT,
      env=self.environment,
      stdout=self.log,
      stderr=subprocess.STDOUT,
      start_new_session=True,
    )
    return self

  def output(self):
    self.log.seek(0)
    return self.log.read().decode(errors='replace')

  def stop(self):
    if self.process is None:
      return
    try:
      os.killpg(self.process.pid, signal.SIGTERM)
      self.process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
      os.killpg(self.process.pid, signal.SIGKILL)
      self.process.wait(timeout=10)
    self.process = None
