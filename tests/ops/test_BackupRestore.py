"""`fab backup` → wipe → `fab restore` over real SSH: every table and every photo comes back.

The "server" is this machine (the test's own sshd on 127.0.0.1). Its `current` release is this
working tree (links to app/, alembic/, manage.py, deploy/ and this test run's virtualenv), its
database a scratch PostgreSQL database, its photos a temporary UPLOAD_FOLDER.
"""

import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

from tests.ops.OpsDatabases import ScratchDatabase, folder_fingerprint, require_postgresql_and
from tests.ops.OpsFab import PROJECT_FOLDER, run_fab, write_fab_config
from tests.ops.OpsFigures import report_figure
from tests.ops.OpsSshServer import SshServer

RELEASE_ENTRIES = ('app', 'alembic', 'deploy', 'manage.py', 'wsgi.py')
FAB_TIMEOUT_SECONDS = 120


class BackupRestoreTest(unittest.TestCase):
  def setUp(self):
    require_postgresql_and(self, ['pg_dump', 'pg_restore', 'psql', 'sha256sum'])
    self.folder = Path(tempfile.mkdtemp(prefix='dibz-backup-'))
    self.addCleanup(shutil.rmtree, self.folder, True)
    self.ssh = SshServer(self.folder)
    if not self.ssh.start():
      self.fail(f'sshd cannot run here: {self.ssh.unavailable_reason}')
    self.addCleanup(self.ssh.stop)
    self.database = ScratchDatabase('backup').create()
    self.addCleanup(self.database.drop)
    self.root = self.folder / 'srv'
    self.uploads = self.root / 'shared' / 'uploads'
    self.make_current_release()
    self.write_env()
    self.config_file = self.write_fab_config()

  def make_current_release(self):
    release = self.root / 'releases' / '20260101000000'
    release.mkdir(parents=True)
    for entry in RELEASE_ENTRIES:
      (release / entry).symlink_to(PROJECT_FOLDER / entry)
    (release / '.venv').symlink_to(Path(sys.prefix))
    (self.root / 'current').symlink_to(release)

  def write_env(self):
    self.environment = {
      'APP_ENV': 'staging',
      'SECRET_KEY': 'backup-test-secret-key-of-32-characters',
      'DATABASE_URL': self.database.url,
      'UPLOAD_FOLDER': str(self.uploads),
      'RATELIMIT_STORAGE_URI': 'memory://',
    }
    lines = [f'{name}={value}' for name, value in self.environment.items()]
    (self.root / 'shared').mkdir(parents=True, exist_ok=True)
    (self.root / 'shared' / 'env').write_text('\n'.join(lines) + '\n')

  def write_fab_config(self):
    return write_fab_config(
      self.folder,
      [self.ssh.client_key],
      [f'root: {self.root}', 'use_sudo: false', 'reload_with: pidfile', 'backup_keep: 1'],
    )

  def manage(self, *arguments):
    """Run manage.py of the project with the server's environment."""
    completed = subprocess.run(
      [sys.executable, 'manage.py', *arguments],
      cwd=PROJECT_FOLDER,
      env={**os.environ, **self.environment},
      capture_output=True,
      text=True,
      timeout=120,
    )
    self.assertEqual(completed.returncode, 0, completed.stdout + completed.stderr)
    return completed.stdout

  def fab(self, *arguments, ok=True):
    host = f'{self.ssh.user}@127.0.0.1:{self.ssh.port}'
    returncode, output = run_fab(
      self.config_file, [host], self.folder, arguments, FAB_TIMEOUT_SECONDS
    )
    self.assertEqual(returncode == 0, ok, f'fab {" ".join(arguments)}:\n{output}')
    return output

  def assert_private(self, backup):
    """Every folder of a backup is 0700 and every file 0600 (it holds emails and chats)."""
    self.assertEqual(stat.S_IMODE((self.root / 'backups').stat().st_mode), 0o700)
    for folder, _, files in os.walk(backup):
      self.assertEqual(stat.S_IMODE(os.stat(folder).st_mode), 0o700, folder)
      for name in files:
        self.assertEqual(stat.S_IMODE(os.stat(Path(folder) / name).st_mode), 0o600, name)

  def test_backup_wipe_restore_gives_back_every_row_and_photo(self):
    self.manage('db', 'upgrade')
    self.manage('seed', '--posts', '24')
    database_before = self.database.fingerprint()
    photos_before = folder_fingerprint(self.uploads)
    self.assertGreater(len(photos_before), 0)
    self.assertGreater(database_before['posts'][0], 0)

    names = []
    for _ in range(2):
      output = self.fab('backup')
      self.assertIn('backup written to', output)
      names.append(output.split('backup written to ')[1].split()[0].rsplit('/', 1)[-1])
      # Backup names are UTC seconds; the next one must get a new name.
      time.sleep(1.1)
    self.assert_private(self.root / 'backups' / names[-1])
    # Rotation keeps the newest one (backup_keep: 1).
    self.assertEqual(self.fab('backups').split(), names[1:])
    self.assertEqual(sorted(os.listdir(self.root / 'backups')), names[1:])

    # Wipe: the database becomes a new empty one, the photos are gone.
    self.database.create()
    shutil.rmtree(self.uploads)
    self.assertEqual(self.database.fingerprint(), {})

    output = self.fab('restore', f'--backup-name={names[-1]}')
    self.assertIn(f'restored backup {names[-1]}', output)
    self.assertIn('missing from the local storage: 0', output)
    restored, before = self.database.fingerprint(), dict(database_before)
    # The restore ends with `manage.py cache clear` (docs/CACHE.md): the cache's generations
    # are new, every other row is the backup's.
    self.assertNotEqual(restored.pop('cache_generations'), before.pop('cache_generations'))
    self.assertEqual(restored, before)
    self.assertEqual(folder_fingerprint(self.uploads), photos_before)
    tables = {name: value for name, value in database_before.items() if isinstance(value, tuple)}
    report_figure(
      f'backup/restore: {len(tables)} tables, {sum(count for count, _ in tables.values())} rows '
      f'and {len(photos_before)} photos identical after restore (row counts, md5 of every '
      'table, sequences, sha256 of every photo)'
    )

  def test_restore_refuses_a_database_with_tables_and_a_damaged_backup(self):
    self.manage('db', 'upgrade')
    self.manage('seed', '--posts', '4')
    name = self.fab('backup').split('backup written to ')[1].split()[0].rsplit('/', 1)[-1]
    before = self.database.fingerprint()
    refused = self.fab('restore', f'--backup-name={name}', ok=False)
    self.assertIn('already has', refused)
    self.assertIn('Nothing was changed', refused)
    self.assertEqual(self.database.fingerprint(), before)

    dump = self.root / 'backups' / name / 'database.dump'
    dump.write_bytes(dump.read_bytes() + b'tampered')
    self.database.create()
    damaged = self.fab('restore', f'--backup-name={name}', ok=False)
    self.assertIn('SHA256SUMS', damaged)
    self.assertEqual(self.database.fingerprint(), {})

    missing = self.fab('restore', '--backup-name=20200101000000', ok=False)
    self.assertIn('There is no complete backup 20200101000000', missing)
    self.assertIn('missing setting', self.fab('restore', ok=False))
