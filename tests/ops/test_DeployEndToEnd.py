"""`fab deploy` and `fab rollback` over real SSH, against an sshd this test starts.

The "server" is this machine: sshd on 127.0.0.1, the deploy root in a temporary folder, the
app under gunicorn (pidfile mode) on a free port with a SQLite database. New virtualenvs reuse
this test run's installed packages (dibz.seed_site_packages), so nothing is downloaded.
"""

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
import unittest
from pathlib import Path

from tests.ops.OpsFab import PROJECT_FOLDER, release_answer, run_fab, write_fab_config
from tests.ops.OpsSshServer import SshServer, free_port

FAB_TIMEOUT_SECONDS = 150


def git(folder, *arguments):
  """Run git in `folder` as a throwaway identity; return stdout."""
  completed = subprocess.run(
    ['git', '-c', 'user.name=Deploy Test', '-c', 'user.email=deploy@example.edu', *arguments],
    cwd=folder,
    capture_output=True,
    text=True,
    check=True,
  )
  return completed.stdout.strip()


def copy_project_into_repository(destination):
  """A git repository holding this working tree's files (committed or not): what CI tests."""
  listing = git(PROJECT_FOLDER, 'ls-files', '-co', '--exclude-standard', '-z')
  destination.mkdir()
  for relative in filter(None, listing.split('\0')):
    source = PROJECT_FOLDER / relative
    if source.is_file():
      target = destination / relative
      target.parent.mkdir(parents=True, exist_ok=True)
      target.write_bytes(source.read_bytes())
  git(destination, 'init', '-q')
  git(destination, 'add', '-A')
  git(destination, 'commit', '-q', '-m', 'First release')
  first = git(destination, 'rev-parse', 'HEAD')
  (destination / 'CHANGES.txt').write_text('The second release.\n')
  git(destination, 'add', '-A')
  git(destination, 'commit', '-q', '-m', 'Second release')
  return first, git(destination, 'rev-parse', 'HEAD')


def readiness(port):
  """(status, release header) of /api/health/ready, or (None, None) when nothing answers."""
  return release_answer(f'http://127.0.0.1:{port}/api/health/ready', timeout=5)


class DeployEndToEndTest(unittest.TestCase):
  """Deploy two refs, then roll back, checking which release answers each time."""

  def setUp(self):
    self.folder = Path(tempfile.mkdtemp(prefix='dibz-e2e-'))
    self.addCleanup(shutil.rmtree, self.folder, True)
    self.ssh = SshServer(self.folder)
    if not self.ssh.start():
      reason = f'The real-SSH deploy test cannot run: {self.ssh.unavailable_reason}'
      # CI installs openssh-server and sets this, so there a missing sshd is a failure.
      if os.environ.get('DIBZ_REQUIRE_SSH_TEST'):
        self.fail(reason)
      print(f'Skipping. {reason}')
      self.skipTest(reason)
    self.addCleanup(self.ssh.stop)
    self.root = self.folder / 'srv'
    self.app_port = free_port()
    self.addCleanup(self.stop_gunicorn)
    self.first_commit, self.second_commit = copy_project_into_repository(self.folder / 'src')
    self.write_shared_env()
    self.config_file = self.write_fab_config()

  def write_shared_env(self):
    shared = self.root / 'shared'
    shared.mkdir(parents=True)
    (shared / 'env').write_text(
      '\n'.join(
        [
          'APP_ENV=staging',
          'SECRET_KEY=end-to-end-test-secret',
          f'DATABASE_URL=sqlite:///{shared / "dibz.sqlite3"}',
          f'UPLOAD_FOLDER={shared / "uploads"}',
          f'GUNICORN_BIND=127.0.0.1:{self.app_port}',
          'GUNICORN_WORKERS=1',
          'GUNICORN_GRACEFUL_TIMEOUT=5',
          'RATELIMIT_STORAGE_URI=memory://',
          '',
        ]
      )
    )

  def write_fab_config(self):
    return write_fab_config(
      self.folder,
      [self.ssh.client_key],
      [
        f'root: {self.root}',
        f'repo: {self.folder / "src"}',
        f'python: {sys._base_executable}',
        f'seed_site_packages: {sysconfig.get_paths()["purelib"]}',
        'reload_with: pidfile',
        'use_sudo: false',
        f'bind: 127.0.0.1:{self.app_port}',
        'health_timeout: 40',
      ],
    )

  def fab(self, *arguments):
    """Run fab from the project folder against the test's sshd; return its output."""
    host = f'{self.ssh.user}@127.0.0.1:{self.ssh.port}'
    returncode, output = run_fab(
      self.config_file, [host], self.folder, arguments, FAB_TIMEOUT_SECONDS
    )
    if returncode != 0:
      log = self.root / 'shared' / 'log' / 'gunicorn.log'
      server_log = log.read_text()[-3000:] if log.exists() else 'no gunicorn log'
      self.fail(f'fab {" ".join(arguments)} failed:\n{output}\ngunicorn log:\n{server_log}')
    return output

  def current_release(self):
    return Path(os.readlink(self.root / 'current')).name

  def stop_gunicorn(self):
    pid_file = self.root / 'shared' / 'gunicorn.pid'
    if not pid_file.exists():
      return
    pid = int(pid_file.read_text().strip())
    try:
      os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
      return
    for _ in range(100):
      try:
        os.kill(pid, 0)
      except ProcessLookupError:
        return
      time.sleep(0.1)
    os.kill(pid, signal.SIGKILL)

  def test_deploy_two_refs_then_roll_back(self):
    self.fab('deploy', f'--ref={self.first_commit}')
    first_release = self.current_release()
    self.assertEqual(readiness(self.app_port), (200, first_release))
    release_file = self.root / 'releases' / first_release / 'RELEASE'
    self.assertEqual(release_file.read_text().split(), [first_release, self.first_commit])

    # Release names are timestamps to the second; the next deploy must get a new one.
    time.sleep(1.1)
    self.fab('deploy', f'--ref={self.second_commit}')
    second_release = self.current_release()
    self.assertGreater(second_release, first_release)
    self.assertEqual(readiness(self.app_port), (200, second_release))
    self.assertTrue((self.root / 'releases' / second_release / 'CHANGES.txt').exists())
    self.assertFalse((self.root / 'releases' / first_release / 'CHANGES.txt').exists())

    output = self.fab('rollback')
    self.assertIn(f'Rolled back to {first_release}', output)
    self.assertEqual(self.current_release(), first_release)
    self.assertEqual(readiness(self.app_port), (200, first_release))

    # The app's JSON request lines reach gunicorn's log, tagged with their request id.
    logs = self.fab('logs', '--lines=400')
    # (orjson writes the lines compact; the test does not depend on the spacing.)
    self.assertRegex(logs, r'"path": ?"/api/health/ready", ?"status": ?200')
    self.assertRegex(logs, r'"request_id": ?"[0-9a-f]{32}"')

    status = self.fab('status')
    self.assertIn(f'current release {first_release}', status)
    self.assertIn(f'releases {first_release}, {second_release}', status)
