"""`fab backup` / `fab restore` logic against invoke's MockContext: commands, rotation, refusals;
and the database commands run for real in a local shell against a recording pg_dump/pg_restore:
private files, and no password on any command line."""

import os
import stat
import subprocess
import tempfile
import unittest
from pathlib import Path

from invoke import Result

from deploy.DeployBackup import backup_host, dump_command, restore_command, restore_host
from deploy.DeployTasks import DeployError
from tests.ops.test_DeployTasks import ROOT, commands_run, mock_connection, settings

BACKUPS = f'{ROOT}/backups'


class BackupHostTest(unittest.TestCase):
  def test_dumps_exports_checksums_completes_then_keeps_the_newest(self):
    listing = '20260101000000\n20260102000000\n20260103000000\n20260104000000.partial\n'
    c = mock_connection(answers=[(r'^ls -1 ', Result(stdout=listing))])
    folder, removed = backup_host(c, settings(backup_keep=2), '20260103000000')
    self.assertEqual(folder, f'{BACKUPS}/20260103000000')
    self.assertEqual(removed, ['20260101000000'])
    commands = commands_run(c)
    partial = f'{BACKUPS}/20260103000000.partial'
    dump = next(command for command in commands if 'pg_dump' in command)
    self.assertIn(
      f'--format=custom --no-owner --no-privileges --file={partial}/database.dump', dump
    )
    self.assertIn('. /srv/dibz/shared/env', dump)
    self.assertTrue(any(f'manage.py export-photos {partial}/photos' in each for each in commands))
    self.assertTrue(any('sha256sum > SHA256SUMS' in each for each in commands))
    self.assertIn(f'mv -T {partial} {BACKUPS}/20260103000000', commands)
    self.assertEqual(commands[-1], f'rm -rf {BACKUPS}/20260101000000')

  def test_a_failed_step_removes_the_partial_backup(self):
    c = mock_connection(answers=[(r'.*pg_dump', Result(stderr='connection refused', exited=1))])
    with self.assertRaisesRegex(DeployError, 'Dumping the database.*connection refused'):
      backup_host(c, settings(), '20260105000000')
    self.assertEqual(commands_run(c)[-1], f'rm -rf {BACKUPS}/20260105000000.partial')
    self.assertFalse(any('mv -T' in each for each in commands_run(c)))


def stdin_of(c, marker):
  """The text sent on standard input to the command containing `marker` (None: nothing)."""
  for call in c.run.call_args_list:
    if marker in call.args[0]:
      stream = call.kwargs.get('in_stream')
      return stream.getvalue() if stream else None
  raise AssertionError(f'no command with {marker}')


class BackupPrivacyTest(unittest.TestCase):
  def test_every_writing_step_runs_under_umask_077(self):
    c = mock_connection()
    backup_host(c, settings(), '20260106000000')
    commands = commands_run(c)
    for marker in ('mkdir -p', 'pg_dump', 'export-photos', 'sha256sum >'):
      command = next(each for each in commands if marker in each)
      self.assertIn('umask 077 && ', command, marker)
    mkdir = next(each for each in commands if 'mkdir -p' in each)
    self.assertIn(f'chmod 0700 {BACKUPS} {BACKUPS}/20260106000000.partial', mkdir)


# Stands in for pg_dump/pg_restore: records its arguments and PGPASSWORD, writes --file.
RECORDING_TOOL = """#!/bin/sh
printf '%s\\n' "$@" > "$RECORD_FOLDER/$(basename "$0").arguments"
printf '%s' "$PGPASSWORD" > "$RECORD_FOLDER/$(basename "$0").password"
for argument in "$@"; do
  case "$argument" in --file=*) printf 'dump' > "${argument#--file=}" ;; esac
done
"""


class LocalShellDatabaseCommandsTest(unittest.TestCase):
  """The commands fab sends, run by a local shell (the server's /bin/sh -c)."""

  PASSWORD = 'p@ss word/s3cret'
  URL = 'postgresql+psycopg2://dibz:p%40ss%20word%2Fs3cret@127.0.0.1:5432/dibz?sslmode=disable'
  BARE_URL = 'postgresql://dibz@127.0.0.1:5432/dibz?sslmode=disable'

  def setUp(self):
    self.folder = Path(tempfile.mkdtemp(prefix='dibz-backup-shell-'))
    self.addCleanup(subprocess.run, ['rm', '-rf', str(self.folder)], check=False)
    self.tools = self.folder / 'bin'
    self.tools.mkdir()
    for tool in ('pg_dump', 'pg_restore'):
      (self.tools / tool).write_text(RECORDING_TOOL)
      (self.tools / tool).chmod(0o755)
    (self.folder / 'shared').mkdir()
    (self.folder / 'shared' / 'env').write_text(f'DATABASE_URL={self.URL}\n')
    self.settings = settings(root=str(self.folder))

  def run_shell(self, command, stdin=None):
    environment = {
      **os.environ,
      'PATH': f'{self.tools}:{os.environ["PATH"]}',
      'RECORD_FOLDER': str(self.folder),
    }
    environment.pop('PGPASSWORD', None)
    completed = subprocess.run(
      ['sh', '-c', command],
      input=stdin,
      env=environment,
      capture_output=True,
      text=True,
      timeout=30,
    )
    self.assertEqual(completed.returncode, 0, completed.stderr)

  def recorded(self, tool):
    arguments = (self.folder / f'{tool}.arguments').read_text()
    return arguments, (self.folder / f'{tool}.password').read_text()

  def test_pg_dump_gets_the_password_in_its_environment_and_writes_a_private_file(self):
    backup = self.folder / 'backups' / 'one.partial'
    backup.mkdir(parents=True, mode=0o700)
    self.run_shell(dump_command(self.settings, str(backup)))
    arguments, password = self.recorded('pg_dump')
    self.assertEqual(password, self.PASSWORD)
    self.assertIn(self.BARE_URL, arguments.splitlines())
    for secret in ('s3cret', 'p%40ss', 'p@ss'):
      self.assertNotIn(secret, arguments)
      self.assertNotIn(secret, dump_command(self.settings, str(backup)))
    self.assertEqual(stat.S_IMODE((backup / 'database.dump').stat().st_mode), 0o600)

  def test_pg_restore_reads_a_restore_url_on_standard_input(self):
    restore_url = 'postgresql://restorer:other%20s3cret@db.internal/dibz_new'
    command = restore_command(self.settings, str(self.folder), restore_url)
    self.assertNotIn('s3cret', command)
    self.run_shell(command, stdin=f'{restore_url}\n')
    arguments, password = self.recorded('pg_restore')
    self.assertEqual(password, 'other s3cret')
    self.assertIn('--dbname=postgresql://restorer@db.internal/dibz_new', arguments.splitlines())
    self.assertNotIn('s3cret', arguments)

  def test_a_url_without_password_leaves_pgpassword_unset(self):
    (self.folder / 'shared' / 'env').write_text('DATABASE_URL=postgresql://dibz@db/dibz\n')
    self.run_shell(restore_command(self.settings, str(self.folder), ''))
    arguments, password = self.recorded('pg_restore')
    self.assertEqual(password, '')
    self.assertIn('--dbname=postgresql://dibz@db/dibz', arguments.splitlines())


class RestoreHostTest(unittest.TestCase):
  def listing(self):
    return (r'^ls -1 ', Result(stdout='20260101000000\n'))

  def test_restores_into_an_empty_database_then_copies_the_photos(self):
    c = mock_connection(
      answers=[
        self.listing(),
        (r'.*pg_tables', Result(stdout='0\n')),
        (r'.*import-photos', Result(stdout='copied 4')),
      ]
    )
    url = 'postgresql://dibz@db/dibz_restored'
    report = restore_host(c, settings(backup_name='20260101000000', restore_database_url=url))
    self.assertEqual(report, 'copied 4')
    commands = commands_run(c)
    self.assertTrue(
      any('sha256sum --check --quiet --strict SHA256SUMS' in each for each in commands)
    )
    restore = next(command for command in commands if 'pg_restore' in command)
    self.assertIn('--exit-on-error --single-transaction --dbname="$DIBZ_LIBPQ_URL"', restore)
    photos = next(command for command in commands if 'import-photos' in command)
    self.assertIn('IFS= read -r DATABASE_URL', photos)
    self.assertEqual(stdin_of(c, 'import-photos'), f'{url}\n')
    self.assertEqual(stdin_of(c, 'pg_restore'), f'{url}\n')
    self.assertEqual(stdin_of(c, 'pg_tables'), f'{url}\n')

  def test_no_password_is_on_any_command_line(self):
    c = mock_connection(answers=[self.listing(), (r'.*pg_tables', Result(stdout='0\n'))])
    url = 'postgresql://dibz:restore-s3cret@db/dibz_restored'
    restore_host(c, settings(backup_name='20260101000000', restore_database_url=url))
    for command in commands_run(c):
      self.assertNotIn('restore-s3cret', command)

  def test_refuses_a_database_with_tables_and_an_unknown_backup(self):
    c = mock_connection(answers=[self.listing(), (r'.*pg_tables', Result(stdout='12\n'))])
    with self.assertRaisesRegex(DeployError, 'already has 12 tables.*Nothing was changed'):
      restore_host(c, settings(backup_name='20260101000000'))
    self.assertFalse(any('pg_restore' in each for each in commands_run(c)))
    with self.assertRaisesRegex(DeployError, 'no complete backup 20250101000000'):
      restore_host(
        mock_connection(answers=[self.listing()]), settings(backup_name='20250101000000')
      )
