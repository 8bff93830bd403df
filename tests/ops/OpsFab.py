"""What the operations tests share to drive fab against sshd servers of their own: the
deploy.yaml they write, one fab run, and the release a server answers with."""

import os
import subprocess  # nosec B404 # runs fab with a fixed argument list
import sys
import urllib.error
import urllib.request
from pathlib import Path

PROJECT_FOLDER = Path(__file__).resolve().parent.parent.parent
RELEASE_HEADER = 'X-Dibz-Release'


def release_answer(url, timeout=10):
  """(status, X-Dibz-Release) of a GET, or (None, None) when nothing answers."""
  try:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 # a test server
      return response.status, response.headers.get(RELEASE_HEADER)
  except urllib.error.HTTPError as error:
    return error.code, error.headers.get(RELEASE_HEADER)
  except OSError:
    return None, None


def write_fab_config(folder, client_keys, dibz_lines):
  """Write `folder`/deploy.yaml: SSH with these client keys only (no agent, no ssh config of
  this machine), and the `dibz:` settings given as 'name: value' lines. Returns its path."""
  keys = ', '.join(f'"{key}"' for key in client_keys)
  config_file = Path(folder) / 'deploy.yaml'
  lines = [
    'load_ssh_configs: false',
    'connect_kwargs:',
    f'  key_filename: [{keys}]',
    '  look_for_keys: false',
    '  allow_agent: false',
    'dibz:',
    *(f'  {line}' for line in dibz_lines),
    '',
  ]
  config_file.write_text('\n'.join(lines))
  return config_file


def run_fab(config_file, hosts, home, arguments, timeout):
  """Run fab from the project folder against `hosts` (user@address:port, ...) with a HOME of
  its own, so no ~/.ssh/config or known_hosts of this machine gets in the way. Returns
  (exit code, stdout and stderr)."""
  completed = subprocess.run(  # nosec B603
    [sys.executable, '-m', 'fabric', '-f', str(config_file), '-H', ','.join(hosts), *arguments],
    cwd=PROJECT_FOLDER,
    env={**os.environ, 'HOME': str(home)},
    capture_output=True,
    text=True,
    timeout=timeout,
  )
  return completed.returncode, completed.stdout + completed.stderr
