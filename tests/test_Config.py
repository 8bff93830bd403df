"""Config classes: chosen by APP_ENV, secrets only from the environment."""

import unittest
from unittest import mock

from app import create_app
from app.config import ConfigError, load_config

PROD_ENVIRONMENT = {
  'SECRET_KEY': 'a-real-secret',
  'DATABASE_URL': 'postgres://dibz@db.internal/dibz',
  'TRUSTED_HOSTS': 'dibz.example.edu, www.dibz.example.edu',
}


class ConfigTest(unittest.TestCase):
  def test_local_is_the_default_and_uses_sqlite_under_instance(self):
    with mock.patch.dict('os.environ', {}, clear=True):
      config = load_config()
    self.assertEqual(config.ENV_NAME, 'local')
    self.assertTrue(config.SQLALCHEMY_DATABASE_URI.startswith('sqlite:///'))
    self.assertIn('instance', config.SQLALCHEMY_DATABASE_URI)

  def test_staging_and_prod_refuse_to_start_without_secrets(self):
    for name in ('staging', 'prod'):
      with mock.patch.dict('os.environ', {'DATABASE_URL': 'sqlite://'}, clear=True):
        with self.assertRaisesRegex(ConfigError, 'SECRET_KEY'):
          create_app(name)
      with mock.patch.dict('os.environ', {'SECRET_KEY': 'x'}, clear=True):
        with self.assertRaisesRegex(ConfigError, 'DATABASE_URL'):
          create_app(name)

  def test_prod_never_debugs_and_uses_secure_cookies(self):
    with mock.patch.dict('os.environ', {**PROD_ENVIRONMENT, 'FLASK_DEBUG': '1'}, clear=True):
      app = create_app('prod')
    self.assertFalse(app.debug)
    self.assertTrue(app.config['SESSION_COOKIE_SECURE'])
    self.assertTrue(app.config['SESSION_COOKIE_HTTPONLY'])
    self.assertEqual(app.config['SESSION_COOKIE_SAMESITE'], 'Lax')
    self.assertTrue(app.config['SQLALCHEMY_DATABASE_URI'].startswith('postgresql+psycopg2://'))

  def test_prod_answers_only_the_trusted_hosts_from_the_environment(self):
    with mock.patch.dict('os.environ', PROD_ENVIRONMENT, clear=True):
      config = load_config('prod')
    self.assertEqual(
      config.TRUSTED_HOSTS[:2], ['dibz.example.edu', 'www.dibz.example.edu'], config.TRUSTED_HOSTS
    )
    # The deploy's readiness check runs on the server itself, at gunicorn's bind address.
    self.assertIn('127.0.0.1', config.TRUSTED_HOSTS)
    with mock.patch.dict('os.environ', {**PROD_ENVIRONMENT, 'GUNICORN_BIND': '10.0.0.5:8000'}):
      self.assertIn('10.0.0.5', load_config('prod').TRUSTED_HOSTS)
    environment = {key: value for key, value in PROD_ENVIRONMENT.items() if key != 'TRUSTED_HOSTS'}
    with mock.patch.dict('os.environ', environment, clear=True):
      with self.assertRaisesRegex(ConfigError, 'TRUSTED_HOSTS'):
        load_config('prod')
      self.assertIsNone(load_config('staging').TRUSTED_HOSTS)

  def test_unknown_app_env_is_named(self):
    with mock.patch.dict('os.environ', {'APP_ENV': 'production'}, clear=True):
      with self.assertRaisesRegex(ConfigError, 'APP_ENV'):
        load_config()

  def test_malformed_settings_are_named(self):
    environment = {**PROD_ENVIRONMENT, 'RATELIMIT_ENABLED': 'maybe'}
    with mock.patch.dict('os.environ', environment, clear=True):
      with self.assertRaisesRegex(ConfigError, 'RATELIMIT_ENABLED'):
        load_config('prod')

  def test_testing_never_reads_database_url(self):
    environment = {'DATABASE_URL': 'postgresql://precious/production'}
    with mock.patch.dict('os.environ', environment, clear=True):
      config = load_config('testing')
    self.assertNotIn('precious', config.SQLALCHEMY_DATABASE_URI)
