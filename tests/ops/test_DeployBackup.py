"""`fab backup` / `fab restore` logic against invoke's MockContext: commands, rotation, refusals."""

import unittest

from invoke import Result

from deploy.DeployBackup import backup_host, restore_host
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
    self.assertIn(f'--exit-on-error --single-transaction --dbname={url}', restore)
    photos = next(command for command in commands if 'import-photos' in command)
    self.assertIn(f'DATABASE_URL={url} ', photos)

  def test_refuses_a_database_with_tables_and_an_unknown_backup(self):
    c = mock_connection(answers=[self.listing(), (r'.*pg_tables', Result(stdout='12\n'))])
    with self.assertRaisesRegex(DeployError, 'already has 12 tables.*Nothing was changed'):
      restore_host(c, settings(backup_name='20260101000000'))
    self.assertFalse(any('pg_restore' in each for each in commands_run(c)))
    with self.assertRaisesRegex(DeployError, 'no complete backup 20250101000000'):
      restore_host(
        mock_connection(answers=[self.listing()]), settings(backup_name='20250101000000')
      )
