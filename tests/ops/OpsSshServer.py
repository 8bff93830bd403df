"""A throwaway OpenSSH server on 127.0.0.1 for the end-to-end deploy test.

Its host key, the client key and its config live in a temporary folder; sshd runs as a
non-daemon child on a free port and is stopped by the test. `unavailable_reason` says why it
cannot run (no sshd binary, or it refused to start), which is the only reason to skip.
"""

import getpass
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

SSHD_CANDIDATES = ('/usr/sbin/sshd', '/usr/local/sbin/sshd')


def free_port():
  """A TCP port nobody listens on right now."""
  with socket.socket() as probe:
    probe.bind(('127.0.0.1', 0))
    return probe.getsockname()[1]


def port_is_open(port, address='127.0.0.1'):
  with socket.socket() as probe:
    probe.settimeout(0.5)
    return probe.connect_ex((address, port)) == 0


def find_sshd():
  """The absolute path of sshd (it refuses to start from a relative one), or None."""
  found = shutil.which('sshd')
  if found:
    return found
  return next((path for path in SSHD_CANDIDATES if os.access(path, os.X_OK)), None)


class SshServer:
  """sshd with its own config, keys and port, for the current user only."""

  def __init__(self, folder, address='127.0.0.1', launcher=()):
    """`launcher` prefixes sshd's command line, e.g. to start it in a network namespace."""
    self.folder = Path(folder)
    self.address = address
    self.launcher = list(launcher)
    self.port = free_port()
    self.user = getpass.getuser()
    self.client_key = self.folder / 'client_key'
    self.process = None
    self.unavailable_reason = None

  def write_keys_and_config(self):
    for name in ('host_key', 'client_key'):
      subprocess.run(
        ['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-f', str(self.folder / name)],
        check=True,
      )
    shutil.copy(self.folder / 'client_key.pub', self.folder / 'authorized_keys')
    config = self.folder / 'sshd_config'
    config.write_text(
      '\n'.join(
        [
          f'Port {self.port}',
          f'ListenAddress {self.address}',
          f'HostKey {self.folder / "host_key"}',
          f'PidFile {self.folder / "sshd.pid"}',
          f'AuthorizedKeysFile {self.folder / "authorized_keys"}',
          f'AllowUsers {self.user}',
          'UsePAM no',
          'StrictModes no',
          'PubkeyAuthentication yes',
          'PasswordAuthentication no',
          'KbdInteractiveAuthentication no',
          'PermitRootLogin prohibit-password',
          'Subsystem sftp internal-sftp',
          'LogLevel ERROR',
          '',
        ]
      )
    )
    return config

  def start(self, wait_seconds=15):
    """Start sshd; returns False (with `unavailable_reason` set) when it cannot run here."""
    sshd = find_sshd()
    if sshd is None or shutil.which('ssh-keygen') is None:
      self.unavailable_reason = 'OpenSSH server (sshd, ssh-keygen) is not installed'
      return False
    config = self.write_keys_and_config()
    if os.geteuid() == 0:
      # sshd started by root insists on its privilege-separation folder.
      os.makedirs('/run/sshd', mode=0o755, exist_ok=True)
    log = open(self.folder / 'sshd.log', 'wb')  # noqa: SIM115 - closed in stop()
    self.log = log
    self.process = subprocess.Popen(
      [*self.launcher, sshd, '-D', '-e', '-f', str(config)], stderr=log, stdout=log
    )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
      if self.process.poll() is not None:
        self.unavailable_reason = f'sshd exited at start: {self.read_log()}'
        return False
      if port_is_open(self.port, self.address):
        return True
      time.sleep(0.1)
    self.unavailable_reason = f'sshd did not listen within {wait_seconds} s: {self.read_log()}'
    self.stop()
    return False

  def read_log(self):
    return (self.folder / 'sshd.log').read_text(errors='replace').strip()[-2000:]

  def stop(self):
    """Stop sshd (sessions it forked end with it)."""
    if self.process and self.process.poll() is None:
      self.process.terminate()
      try:
        self.process.wait(timeout=10)
      except subprocess.TimeoutExpired:
        self.process.kill()
        self.process.wait()
    if getattr(self, 'log', None):
      self.log.close()
