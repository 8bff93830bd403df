"""manage.py commands, run through Flask's click CLI against the test database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.extensions import db
from app.users.UserModels import User
from tests.base import ApiTestCase

pytestmark = pytest.mark.slow

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args):
  """Run manage.py in a child process under the testing config."""
  return subprocess.run(
    [sys.executable, 'manage.py', *args],
    cwd=PROJECT_ROOT,
    capture_output=True,
    text=True,
    check=True,
    env={**os.environ, 'APP_ENV': 'testing'},
  )


class ManageCommandsTest(ApiTestCase):
  def invoke(self, *args, input=None):
    return self.app.test_cli_runner().invoke(args=list(args), input=input)

  def test_help_lists_every_command(self):
    result = run_manage('--help')
    for command in (
      'run',
      'initdb',
      'seed',
      'create-user',
      'routes',
      'shell',
      'test',
      'db',
      'check',
      'worker',
      'jobs',
      'periodic',
      'bundle',
    ):
      self.assertRegex(result.stdout, rf'\n  {command} ', command)

  def test_create_user_and_admin(self):
    result = self.invoke(
      'create-user', '--email', 'Root@Example.edu', '--username', 'boss',
      '--password', 'a long password', '--admin',
    )  # fmt: skip
    self.assertEqual(result.exit_code, 0, result.output)
    user = db.session.execute(db.select(User).filter_by(username='boss')).scalar_one()
    self.assertEqual((user.email, user.role), ('root@example.edu', 'admin'))
    self.login_as(user, password='a long password')

  def test_create_user_refuses_bad_input_and_duplicates(self):
    result = self.invoke(
      'create-user', '--email', 'x', '--username', 'B A D', '--password', 'short'
    )
    self.assertNotEqual(result.exit_code, 0)
    self.assertIn('email', result.output)
    self.assertIn('password', result.output)
    args = ('create-user', '--email', 'a@example.edu', '--username', 'anna', '--password', 'p' * 12)
    self.assertEqual(self.invoke(*args).exit_code, 0)
    duplicate = self.invoke(*args)
    self.assertNotEqual(duplicate.exit_code, 0)
    self.assertIn('already exists', duplicate.output)

  def test_seed_is_idempotent(self):
    first = self.invoke('seed')
    self.assertEqual(first.exit_code, 0, first.output)
    count = db.session.execute(db.select(db.func.count(User.id))).scalar()
    self.assertGreater(count, 3)
    second = self.invoke('seed')
    self.assertEqual(second.exit_code, 0, second.output)
    self.assertEqual(db.session.execute(db.select(db.func.count(User.id))).scalar(), count)

  def test_check_passes_on_a_migrated_database(self):
    result = self.invoke('check')
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertIn('migrations: head', result.output)

  def test_routes_lists_the_api(self):
    result = run_manage('routes')
    for path in ('/api/auth/signup', '/api/users/me', '/api/health/ready'):
      self.assertIn(path, result.stdout)
