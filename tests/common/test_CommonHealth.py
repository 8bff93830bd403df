"""Readiness and `manage.py check` when the database is unreachable or behind; ProxyFix."""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest.mock import patch

import pytest
from flask import jsonify, request

from app import create_app
from app.common.CommonHealth import config_problems
from tests.base import ApiTestCase

PROJECT_FOLDER = Path(__file__).resolve().parent.parent.parent
UNREACHABLE_POSTGRESQL = 'postgresql://postgres@127.0.0.1:1/dibz_nowhere'
STAGING_SECRET = 'staging-secret-for-tests-only-0123456789'


def app_with_environment(config_name, **variables):
  """A fresh app built while the environment holds `variables`."""
  with patch.dict(os.environ, variables):
    return create_app(config_name)


def empty_sqlite_url(test_case):
  folder = tempfile.TemporaryDirectory()
  test_case.addCleanup(folder.cleanup)
  return f'sqlite:///{Path(folder.name) / "empty.sqlite3"}'


@pytest.mark.slow
class ReadinessFailuresTest(unittest.TestCase):
  def test_a_database_without_migrations_is_behind(self):
    app = app_with_environment(
      'staging', SECRET_KEY=STAGING_SECRET, DATABASE_URL=empty_sqlite_url(self)
    )
    response = app.test_client().get('/api/health/ready')
    self.assertEqual(response.status_code, 503)
    self.assertEqual(
      response.get_json(),
      {
        'status': 'unavailable',
        'database': 'ok',
        'migrations': 'behind',
        'redis': 'not_configured',
      },
    )

  def test_an_unreachable_database_is_named(self):
    app = app_with_environment(
      'staging', SECRET_KEY=STAGING_SECRET, DATABASE_URL=UNREACHABLE_POSTGRESQL
    )
    response = app.test_client().get('/api/health/ready')
    self.assertEqual(response.status_code, 503)
    self.assertEqual(
      response.get_json(),
      {
        'status': 'unavailable',
        'database': 'unreachable',
        'migrations': 'unknown',
        'redis': 'not_configured',
      },
    )

  def test_check_exits_non_zero_when_behind(self):
    app = app_with_environment(
      'staging', SECRET_KEY=STAGING_SECRET, DATABASE_URL=empty_sqlite_url(self)
    )
    result = app.test_cli_runner().invoke(args=['check'])
    self.assertEqual(result.exit_code, 1, result.output)
    self.assertIn('database: ok', result.output)
    self.assertIn('migrations: behind', result.output)

  def test_manage_py_check_exits_non_zero_when_the_database_is_unreachable(self):
    environment = {
      key: value for key, value in os.environ.items() if not key.startswith(('APP_', 'DATABASE'))
    }
    environment.update(
      APP_ENV='prod',
      SECRET_KEY=STAGING_SECRET,
      DATABASE_URL=UNREACHABLE_POSTGRESQL,
      TRUSTED_HOSTS='dibz.example.edu',
    )
    completed = subprocess.run(
      [sys.executable, 'manage.py', 'check'],
      cwd=PROJECT_FOLDER,
      env=environment,
      capture_output=True,
      text=True,
      timeout=60,
    )
    self.assertEqual(completed.returncode, 1, completed.stdout + completed.stderr)
    self.assertIn('database: unreachable', completed.stdout)
    self.assertIn('migrations: unknown', completed.stdout)
    self.assertIn('config: problem (prod)', completed.stdout)
    self.assertIn('RATELIMIT_STORAGE_URI is memory://', completed.stdout)


class ConfigProblemsTest(unittest.TestCase):
  GOOD_PROD = {
    'ENV_NAME': 'prod',
    'SECRET_KEY': 'x' * 40,
    'SQLALCHEMY_DATABASE_URI': 'postgresql+psycopg2://dibz@db/dibz',
    'RATELIMIT_ENABLED': True,
    'RATELIMIT_STORAGE_URI': 'redis://redis:6379/0',
    'REDIS_URL': 'redis://redis:6379/0',
    'MAIL_BACKEND': 'smtp',
    'MAIL_SERVER': 'smtp.example.edu',
    'PUBLIC_BASE_URL': 'https://dibz.example.edu',
  }

  def test_a_sound_prod_config_has_no_problem(self):
    self.assertEqual(config_problems(self.GOOD_PROD), [])

  def test_each_multi_server_hazard_is_named(self):
    hazards = {
      'SECRET_KEY': ('short', 'SECRET_KEY is shorter'),
      'SQLALCHEMY_DATABASE_URI': ('sqlite:///x', 'DATABASE_URL is SQLite'),
      'RATELIMIT_STORAGE_URI': ('memory://', 'each worker counts alone'),
      'MAIL_SERVER': (None, 'MAIL_SERVER is not set'),
      'REDIS_URL': (None, 'jobs (mail) run inside requests'),
      'PUBLIC_BASE_URL': ('http://dibz.example.edu', 'https://'),
    }
    for name, (value, sentence) in hazards.items():
      [problem] = config_problems({**self.GOOD_PROD, name: value})
      self.assertIn(sentence, problem)

  def test_local_and_testing_are_not_judged(self):
    self.assertEqual(
      config_problems({**self.GOOD_PROD, 'ENV_NAME': 'local', 'SECRET_KEY': 'x'}), []
    )


class ReleaseHeaderTest(ApiTestCase):
  def test_the_release_that_answers_is_named_when_deployed(self):
    self.assertNotIn(
      'X-Dibz-Release', create_app('testing').test_client().get('/api/health/ready').headers
    )
    with tempfile.TemporaryDirectory() as folder:
      release_file = Path(folder) / 'RELEASE'
      release_file.write_text('20260105103000 0123abcd\n')
      with patch('app.common.CommonHealth.RELEASE_FILE', release_file):
        response = create_app('testing').test_client().get('/api/health/ready')
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.headers['X-Dibz-Release'], '20260105103000')


class ProxyFixTest(ApiTestCase):
  FORWARDED = {
    'X-Forwarded-For': '198.51.100.66, 203.0.113.9',
    'X-Forwarded-Proto': 'https',
    'X-Forwarded-Host': 'dibz.example.edu',
  }

  def client_seen_through(self, proxy_count):
    app = app_with_environment('testing', TRUSTED_PROXY_COUNT=str(proxy_count))
    app.add_url_rule(
      '/proxy-view',
      'proxy_view',
      lambda: jsonify(addr=request.remote_addr, scheme=request.scheme, host=request.host),
    )
    return app.test_client().get('/proxy-view', headers=self.FORWARDED).get_json()

  def test_one_trusted_proxy_gives_the_address_it_saw(self):
    self.assertEqual(
      self.client_seen_through(1),
      {'addr': '203.0.113.9', 'scheme': 'https', 'host': 'dibz.example.edu'},
    )

  def test_without_trusted_proxies_forwarded_headers_are_ignored(self):
    self.assertEqual(
      self.client_seen_through(0), {'addr': '127.0.0.1', 'scheme': 'http', 'host': 'localhost'}
    )
