"""Hosts as network namespaces, TCP forwarders and an nginx, for the rolling-deploy test.

Each app host is a network namespace joined to this machine by a veth pair (a /30 of its own)
with its own sshd; inside it, the host's deploy root is a private bind mount, so two hosts use
the same paths (as real servers do) without sharing files. PostgreSQL and Redis listen on
127.0.0.1 only and their configuration is left alone: a socat on this machine, bound to the
host end of each veth, forwards the namespace's connections to them (PostgreSQL sees
127.0.0.1, where trust applies). Everything is torn down by `stop`/`destroy`, even after a
failure: the test registers each with addCleanup as soon as it exists.
"""

import os
import random
import signal
import subprocess
import time
from pathlib import Path
from shlex import quote

from tests.ops.OpsSshServer import SshServer, free_port, port_is_open


def run(*arguments, check=True):
  """Run a command; returns its stdout."""
  completed = subprocess.run(arguments, capture_output=True, text=True, check=False)
  if check and completed.returncode != 0:
    raise RuntimeError(f'{" ".join(arguments)} failed: {completed.stderr.strip()}')
  return completed.stdout


def new_subnet_octet():
  """A third octet for 10.237.X.0/29 nobody on this machine uses yet."""
  taken = run('ip', '-o', '-4', 'addr', 'show')
  while True:
    octet = random.randint(1, 254)  # nosec B311 # a test's address, not a secret
    if f'10.237.{octet}.' not in taken:
      return octet


class NamespaceHost:
  """One app host: namespace `name`, veth pair, addresses 10.237.X.(4i+1) here and .(4i+2)
  inside; `root_inside` (a path) shows `root_here` (a folder of the test) inside it."""

  def __init__(self, label, index, octet, folder, root_inside):
    tag = f'{os.getpid() % 100000}{index}'
    self.label = label
    self.namespace = f'dibz{tag}'
    self.veth_here = f'dzh{tag}'
    self.veth_inside = f'dzn{tag}'
    self.address_here = f'10.237.{octet}.{4 * index + 1}'
    self.address = f'10.237.{octet}.{4 * index + 2}'
    self.folder = Path(folder) / label
    self.root_here = self.folder / 'srv'
    self.root_inside = root_inside
    self.ssh = None

  def create(self):
    """The namespace, its veth pair, addresses and loopback."""
    run('ip', 'netns', 'add', self.namespace)
    run('ip', 'link', 'add', self.veth_here, 'type', 'veth', 'peer', 'name', self.veth_inside)
    run('ip', 'link', 'set', self.veth_inside, 'netns', self.namespace)
    run('ip', 'addr', 'add', f'{self.address_here}/30', 'dev', self.veth_here)
    run('ip', 'link', 'set', self.veth_here, 'up')
    inside = ('ip', 'netns', 'exec', self.namespace)
    run(*inside, 'ip', 'addr', 'add', f'{self.address}/30', 'dev', self.veth_inside)
    run(*inside, 'ip', 'link', 'set', self.veth_inside, 'up')
    run(*inside, 'ip', 'link', 'set', 'lo', 'up')
    self.root_here.mkdir(parents=True)
    return self

  def start_sshd(self):
    """sshd inside the namespace, in a mount namespace where root_inside is root_here."""
    mount = f'mount --bind {quote(str(self.root_here))} {quote(self.root_inside)} && exec "$@"'
    launcher = ['ip', 'netns', 'exec', self.namespace, 'sh', '-c', mount, 'sh']
    ssh_folder = self.folder / 'ssh'
    ssh_folder.mkdir()
    self.ssh = SshServer(ssh_folder, address=self.address, launcher=launcher)
    if not self.ssh.start():
      raise RuntimeError(f'sshd in {self.namespace}: {self.ssh.unavailable_reason}')
    return self.ssh

  def pids(self):
    """Every process inside the namespace."""
    listing = run('ip', 'netns', 'pids', self.namespace, check=False)
    return [int(pid) for pid in listing.split()]

  def gunicorn_pids(self):
    """The gunicorn master and workers of this host."""
    found = []
    for pid in self.pids():
      try:
        command = Path(f'/proc/{pid}/cmdline').read_bytes().replace(b'\0', b' ')
      except OSError:
        continue
      if b'gunicorn' in command:
        found.append(pid)
    return found

  def kill_gunicorn(self):
    """SIGKILL the host's gunicorn master and workers at once (a crash, not a stop)."""
    pids = self.gunicorn_pids()
    for pid in pids:
      try:
        os.kill(pid, signal.SIGKILL)
      except ProcessLookupError:
        pass
    return pids

  def destroy(self):
    """Kill whatever runs inside, then delete the namespace (which deletes the veth pair)."""
    if self.ssh:
      self.ssh.stop()
    for pid in self.pids():
      try:
        os.kill(pid, signal.SIGKILL)
      except ProcessLookupError:
        pass
    run('ip', 'netns', 'del', self.namespace, check=False)
    run('ip', 'link', 'del', self.veth_here, check=False)


class Forwarder:
  """socat: `address:port` on this machine → 127.0.0.1:`target_port`."""

  def __init__(self, address, target_port):
    self.address = address
    self.port = free_port()
    self.target_port = target_port
    self.process = None

  def start(self):
    self.process = subprocess.Popen(
      [
        'socat',
        f'TCP-LISTEN:{self.port},bind={self.address},reuseaddr,fork',
        f'TCP:127.0.0.1:{self.target_port}',
      ],
      stdout=subprocess.DEVNULL,
      stderr=subprocess.DEVNULL,
      # Its own process group: the children it forks per connection are stopped with it.
      start_new_session=True,
    )
    wait_for_port(self.address, self.port, self.process, 'socat')
    return self

  def stop(self):
    """Stop socat and every connection it forked."""
    if self.process is None:
      return
    try:
      os.killpg(self.process.pid, signal.SIGKILL)
    except ProcessLookupError:
      pass
    self.process.wait()


class Nginx:
  """nginx on 127.0.0.1:<free port> with one site (rendered from deploy/templates)."""

  def __init__(self, folder):
    self.folder = Path(folder) / 'nginx'
    self.port = free_port()
    self.process = None

  def main_config(self, site_file):
    temporary = self.folder / 'tmp'
    paths = ' '.join(
      f'{kind}_temp_path {temporary / kind};' for kind in ('proxy', 'fastcgi', 'uwsgi', 'scgi')
    )
    return (
      'worker_processes 1;\n'
      f'pid {self.folder / "nginx.pid"};\n'
      f'error_log {self.folder / "error.log"} warn;\n'
      'user root;\n'
      'events { worker_connections 1024; }\n'
      'http {\n'
      '  include /etc/nginx/mime.types;\n'
      f'  client_body_temp_path {temporary / "body"};\n'
      f'  {paths}\n'
      f'  include {site_file};\n'
      '}\n'
    )

  def start(self, site_text):
    (self.folder / 'tmp').mkdir(parents=True)
    site_file = self.folder / 'site.conf'
    site_file.write_text(site_text)
    config = self.folder / 'nginx.conf'
    config.write_text(self.main_config(site_file))
    command = ['nginx', '-c', str(config), '-p', str(self.folder), '-g', 'daemon off;']
    checked = subprocess.run([*command, '-t'], capture_output=True, text=True)
    if checked.returncode != 0:
      raise RuntimeError(f'nginx -t: {checked.stderr}')
    self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port('127.0.0.1', self.port, self.process, 'nginx')
    return self

  def error_log(self):
    path = self.folder / 'error.log'
    return path.read_text(errors='replace') if path.exists() else ''

  def stop(self):
    stop_process(self.process)


def wait_for_port(address, port, process, name, seconds=15):
  """Wait until `address:port` accepts connections; raise if `process` dies or time is up."""
  deadline = time.monotonic() + seconds
  while time.monotonic() < deadline:
    if process.poll() is not None:
      raise RuntimeError(f'{name} exited at start ({process.returncode})')
    if port_is_open(port, address):
      return
    time.sleep(0.1)
  raise RuntimeError(f'{name} did not listen on {address}:{port} within {seconds} s')


def stop_process(process):
  """Terminate a child process, then kill it if it lingers."""
  if process is None or process.poll() is not None:
    return
  process.terminate()
  try:
    process.wait(timeout=10)
  except subprocess.TimeoutExpired:
    process.kill()
    process.wait()
