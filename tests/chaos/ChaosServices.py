"""The chaos run's own services, each a child process it may kill, hang or stop: a PostgreSQL
cluster (initdb/pg_ctl in a temporary folder), a redis-server, an SMTP server that captures
every mail to a file, and supervised app processes restarted the way systemd would.

Nothing here touches the machine's shared PostgreSQL or Redis.
"""

import json
import os
import signal
import subprocess  # nosec B404 # starts fixed server programs
import sys
import threading
import time
from pathlib import Path

import psycopg2

from tests.ops.OpsSshServer import free_port, port_is_open

POSTGRESQL_BIN = Path('/usr/lib/postgresql/15/bin')
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def wait_for(condition, seconds, what):
  """Poll `condition` until true; raise naming `what` after `seconds`."""
  deadline = time.monotonic() + seconds
  while time.monotonic() < deadline:
    if condition():
      return
    time.sleep(0.1)
  raise RuntimeError(f'{what} did not happen within {seconds} s')


class PostgresCluster:
  """A cluster of its own on 127.0.0.1:<free port> (trust), owned by the `postgres` user."""

  def __init__(self, folder):
    self.folder = Path(folder) / 'postgresql'
    self.data = self.folder / 'data'
    self.port = free_port()
    self.url = f'postgresql://postgres@127.0.0.1:{self.port}/dibz_chaos'

  def as_postgres(self, *arguments):
    command = [str(POSTGRESQL_BIN / arguments[0]), *arguments[1:]]
    if os.geteuid() == 0:
      command = ['runuser', '-u', 'postgres', '--', *command]
    return subprocess.run(command, capture_output=True, text=True, check=False)  # nosec B603

  def start_fresh(self):
    """initdb, start, create the database."""
    self.folder.mkdir(parents=True)
    if os.geteuid() == 0:
      subprocess.run(['chown', '-R', 'postgres:postgres', str(self.folder)], check=True)  # nosec
    done = self.as_postgres('initdb', '-D', str(self.data), '-U', 'postgres', '-A', 'trust')
    if done.returncode != 0:
      raise RuntimeError(f'initdb: {done.stderr}')
    with open(self.data / 'postgresql.conf', 'a') as config:
      config.write(
        f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nmax_connections = 200\n"
        f"unix_socket_directories = '{self.folder}'\nfsync = off\nlog_min_messages = fatal\n"
      )
    self.start()
    self.admin('CREATE DATABASE dibz_chaos')
    return self

  def start(self):
    log = self.folder / 'postgresql.log'
    done = self.as_postgres('pg_ctl', '-D', str(self.data), '-l', str(log), '-w', 'start')
    if done.returncode != 0:
      raise RuntimeError(f'pg_ctl start: {done.stderr} {log.read_text()[-2000:]}')

  def stop(self, mode='fast'):
    self.as_postgres('pg_ctl', '-D', str(self.data), '-m', mode, '-w', 'stop')

  def is_up(self):
    return port_is_open(self.port)

  def admin(self, statement):
    connection = psycopg2.connect(self.url.rsplit('/', 1)[0] + '/postgres', connect_timeout=5)
    connection.autocommit = True
    try:
      with connection.cursor() as cursor:
        cursor.execute(statement)
    finally:
      connection.close()

  def terminate_connections(self):
    """Every client connection of the app's database is killed at once."""
    self.admin(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity '
      "WHERE datname = 'dibz_chaos' AND pid <> pg_backend_pid()"
    )

  def query(self, statement, parameters=None):
    connection = psycopg2.connect(self.url, connect_timeout=5)
    try:
      with connection.cursor() as cursor:
        cursor.execute(statement, parameters)
        return cursor.fetchall()
    finally:
      connection.close()


class Supervised:
  """A child process restarted `restart_seconds` after it dies (systemd's Restart=), with its
  output in a log file. `kill()` is a crash (SIGKILL of its process group)."""

  def __init__(self, name, command, environment, log_folder, restart_seconds=2, cwd=None):
    self.name = name
    self.command = command
    self.environment = environment
    self.log_path = Path(log_folder) / f'{name}.log'
    self.restart_seconds = restart_seconds
    self.cwd = cwd or PROJECT_ROOT
    self.process = None
    self.stopping = threading.Event()
    self.restarts = 0
    self.watcher = threading.Thread(target=self.watch, daemon=True)

  def spawn(self):
    with open(self.log_path, 'ab') as log:
      self.process = subprocess.Popen(  # nosec B603 # fixed argv of the run
        self.command,
        cwd=self.cwd,
        env=self.environment,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
      )

  def start(self):
    self.spawn()
    self.watcher.start()
    return self

  def watch(self):
    while not self.stopping.is_set():
      if self.process.poll() is not None:
        self.stopping.wait(self.restart_seconds)
        if self.stopping.is_set():
          return
        self.restarts += 1
        self.spawn()
      self.stopping.wait(0.2)

  def signal_group(self, number):
    try:
      os.killpg(self.process.pid, number)
    except ProcessLookupError:
      pass

  def kill(self):
    self.signal_group(signal.SIGKILL)

  def hang(self):
    self.signal_group(signal.SIGSTOP)

  def resume(self):
    self.signal_group(signal.SIGCONT)

  def stop(self):
    self.stopping.set()
    if self.process is None:
      return
    self.signal_group(signal.SIGCONT)
    self.signal_group(signal.SIGTERM)
    try:
      self.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
      self.kill()
      self.process.wait(timeout=10)


class RedisProcess(Supervised):
  """A redis-server with an append-only file (as a production Redis for jobs has): killed, it
  comes back with what it had; not restarted by itself (the fault restarts it)."""

  def __init__(self, folder, environment):
    self.port = free_port()
    self.folder = Path(folder) / 'redis'
    self.folder.mkdir()
    self.url = f'redis://127.0.0.1:{self.port}/0'
    command = [
      'redis-server',
      '--port',
      str(self.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--dir',
      str(self.folder),
    ]
    super().__init__('redis', command, environment, folder)

  def start(self):
    self.spawn()
    wait_for(lambda: port_is_open(self.port), 15, 'redis-server listening')
    return self

  def restart(self):
    self.spawn()
    wait_for(lambda: port_is_open(self.port), 15, 'redis-server listening again')

  def kill(self):
    super().kill()
    self.process.wait(timeout=10)


class SmtpCapture(Supervised):
  """tests/chaos/ChaosSmtpServer.py: every mail received becomes a line of `mails.jsonl`."""

  def __init__(self, folder, environment):
    self.port = free_port()
    self.mail_file = Path(folder) / 'mails.jsonl'
    command = [
      sys.executable,
      '-m',
      'tests.chaos.ChaosSmtpServer',
      str(self.port),
      str(self.mail_file),
    ]
    super().__init__('smtp', command, environment, folder)

  def start(self):
    super().start()
    wait_for(lambda: port_is_open(self.port), 15, 'the SMTP capture listening')
    return self

  def mails(self):
    """Every captured mail: {'to', 'subject', 'key'}."""
    if not self.mail_file.exists():
      return []
    return [json.loads(line) for line in self.mail_file.read_text().splitlines() if line]
