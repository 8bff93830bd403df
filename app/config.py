"""Configuration classes, one per environment, chosen by APP_ENV.

Nothing here reads the environment at import time: `load_config` builds the settings
when the factory asks for them, so importing this module never fails.
"""

import os
from datetime import timedelta
from pathlib import Path

from app.common.CommonConstants import MAX_REQUEST_BYTES, OWED_MAIL_AFTER_SECONDS
from app.common.CommonErrors import ConfigError
from app.common.CommonRedis import REDIS_TIMEOUT_SECONDS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = PROJECT_ROOT / 'instance'
TRUE_WORDS = {'1', 'true', 'yes', 'on'}
FALSE_WORDS = {'0', 'false', 'no', 'off', ''}
LOOPBACK_HOSTS = ('127.0.0.1', 'localhost', '[::1]')


# What MODERATION_PROHIBITED_TERMS holds when unset (docs/TRUST_AND_SAFETY.md).
DEFAULT_PROHIBITED_TERMS = ('weapon', 'weapons', 'gun', 'guns', 'drugs', 'alcohol')


def env_str(name, default=None, required=False):
  """Read a string setting; raise ConfigError naming it when required and missing."""
  value = os.environ.get(name, default)
  if required and not value:
    raise ConfigError(f'{name} must be set in the environment for this APP_ENV.')
  return value


def env_bool(name, default):
  """Read a boolean setting written as true/false, yes/no, on/off or 1/0."""
  value = os.environ.get(name)
  if value is None:
    return default
  if value.strip().lower() in TRUE_WORDS:
    return True
  if value.strip().lower() in FALSE_WORDS:
    return False
  raise ConfigError(f'{name} must be true or false, not {value!r}.')


def env_int(name, default):
  """Read an integer setting."""
  value = os.environ.get(name)
  if value is None or value == '':
    return default
  try:
    return int(value)
  except ValueError:
    raise ConfigError(f'{name} must be a whole number, not {value!r}.') from None


def env_list(name, default):
  """Read a comma-separated list setting (blank items dropped); unset gives `default`."""
  value = os.environ.get(name)
  if value is None:
    return list(default)
  return [item.strip() for item in value.split(',') if item.strip()]


def env_int_list(name, default):
  """Read a comma-separated list of whole numbers, e.g. 10,60,300."""
  value = os.environ.get(name)
  if value is None or not value.strip():
    return default
  try:
    return [int(part) for part in value.split(',')]
  except ValueError:
    raise ConfigError(f'{name} must be whole numbers separated by commas, not {value!r}.') from None


def normalize_database_url(url):
  """Pin PostgreSQL URLs to psycopg2 (SQLAlchemy 2.1 defaults to psycopg 3), and accept the
  postgres:// scheme some hosts hand out."""
  for scheme in ('postgres://', 'postgresql://'):
    if url and url.startswith(scheme):
      return 'postgresql+psycopg2://' + url[len(scheme) :]
  return url


class BaseConfig:
  """Settings shared by every environment."""

  ENV_NAME = 'base'
  DEBUG = False
  TESTING = False
  MAX_CONTENT_LENGTH = MAX_REQUEST_BYTES
  SQLALCHEMY_TRACK_MODIFICATIONS = False
  # hide_parameters keeps bound values (emails, hashes, tokens) out of exception texts and logs.
  SQLALCHEMY_ENGINE_OPTIONS = {'pool_pre_ping': True, 'hide_parameters': True}
  SESSION_COOKIE_HTTPONLY = True
  SESSION_COOKIE_SAMESITE = 'Lax'
  SESSION_COOKIE_SECURE = True
  REMEMBER_COOKIE_HTTPONLY = True
  REMEMBER_COOKIE_SAMESITE = 'Lax'
  REMEMBER_COOKIE_SECURE = True
  # The CSRF token lives as long as the session; the SPA fetches a new one after login.
  WTF_CSRF_TIME_LIMIT = None
  WTF_CSRF_HEADERS = ['X-CSRFToken']
  # CSRF is checked by the api blueprint after its login check, and by CommonSecurity for
  # every other blueprint, instead of by Flask-WTF's hook, which would run before the login
  # check and answer 400 csrf where a login is missing (401).
  WTF_CSRF_CHECK_DEFAULT = False
  # Strict-Transport-Security only in prod, where TLS is certain (CommonSecurity).
  HSTS_MAX_AGE = None
  RATELIMIT_HEADERS_ENABLED = True
  RATELIMIT_STRATEGY = 'moving-window'
  # Redis is a soft dependency: while it is down or hung each process counts limits in its own
  # memory (one warning per outage), trying Redis again now and then (Flask-Limiter backs off
  # up to 32 s) until it answers. The first request of a worker to meet a hung Redis waits for
  # the failed call and for one retry check: half of REDIS_TIMEOUT_SECONDS each keeps that
  # request within 200 ms. (A healthy Redis answers in well under a millisecond.)
  RATELIMIT_STORAGE_OPTIONS = {
    'socket_timeout': REDIS_TIMEOUT_SECONDS / 2,
    'socket_connect_timeout': REDIS_TIMEOUT_SECONDS / 2,
  }
  RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
  # Redis failing between a request's check and its deduction must not turn into a 500.
  RATELIMIT_SWALLOW_ERRORS = True
  # argon2id at OWASP's recommended setting (19 MiB, 2 passes, 1 lane): argon2-cffi's default
  # of 64 MiB raised every gunicorn worker that served a login ~60 MB above its steady size.
  PASSWORD_HASH_TIME_COST = 2
  PASSWORD_HASH_MEMORY_COST = 19456
  PASSWORD_HASH_PARALLELISM = 1
  PASSWORD_RESET_MAX_AGE_SECONDS = 3600
  EMAIL_VERIFICATION_MAX_AGE_SECONDS = 7 * 24 * 3600
  MAIL_BACKEND = 'log'
  PREFERRED_URL_SCHEME = 'https'
  # Without REDIS_URL, live events stay within the process; only right where one process
  # serves both the requests and the streams (make run, the tests), never in a deployment.
  EVENTS_IN_PROCESS_BROKER = False

  # Only local and testing have defaults: staging and prod must be told their secrets.
  DEFAULT_SECRET_KEY = None
  DATABASE_URL_VARIABLE = 'DATABASE_URL'

  def __init__(self):
    self.SECRET_KEY = env_str('SECRET_KEY', self.DEFAULT_SECRET_KEY, required=True)
    self.SQLALCHEMY_DATABASE_URI = normalize_database_url(
      env_str(self.DATABASE_URL_VARIABLE, self.default_database_url(), required=True)
    )
    self.RATELIMIT_ENABLED = env_bool('RATELIMIT_ENABLED', True)
    # One variable for Redis (limits, jobs, events); limits may keep their own override.
    self.REDIS_URL = env_str('REDIS_URL')
    self.RATELIMIT_STORAGE_URI = env_str('RATELIMIT_STORAGE_URI', self.REDIS_URL or 'memory://')
    # Whole answers of public reads (CommonCache): shared in Redis, or per process where one
    # process serves (local, testing); the seconds bound an entry's life in Redis.
    self.RESPONSE_CACHE_ENABLED = env_bool('RESPONSE_CACHE_ENABLED', True)
    self.RESPONSE_CACHE_SECONDS = env_int('RESPONSE_CACHE_SECONDS', 300)
    # Each process keeps copies of the most recently used entries in front of Redis, checked
    # against the database's tokens like the originals: enough for a campus's whole catalogue.
    self.RESPONSE_CACHE_PROCESS_ENTRIES = env_int('RESPONSE_CACHE_PROCESS_ENTRIES', 32768)
    self.RESPONSE_CACHE_PROCESS_MB = env_int('RESPONSE_CACHE_PROCESS_MB', 48)
    self.TRUSTED_PROXY_COUNT = env_int('TRUSTED_PROXY_COUNT', 0)
    # Live-update streams one user may hold at once (each holds a connection of the events
    # process and checks its login at every heartbeat); one more closes the oldest.
    self.EVENTS_MAX_STREAMS_PER_USER = env_int('EVENTS_MAX_STREAMS_PER_USER', 5)
    if self.EVENTS_MAX_STREAMS_PER_USER < 1:
      raise ConfigError('EVENTS_MAX_STREAMS_PER_USER must be 1 or more.')
    # A process that exits holding live-update events Redis refused (a gunicorn worker recycled
    # after max_requests, or stopped by a deploy, while Redis is away) waits this long for Redis
    # to take them: under gunicorn's 30-s worker timeout, longer than a Redis restart.
    self.EVENTS_EXIT_FLUSH_SECONDS = env_int('EVENTS_EXIT_FLUSH_SECONDS', 20)
    self.PUBLIC_BASE_URL = env_str('PUBLIC_BASE_URL', 'http://127.0.0.1:5000')
    self.MAIL_SERVER = env_str('MAIL_SERVER')
    self.MAIL_PORT = env_int('MAIL_PORT', 587)
    self.MAIL_USERNAME = env_str('MAIL_USERNAME')
    self.MAIL_PASSWORD = env_str('MAIL_PASSWORD')
    self.MAIL_USE_TLS = env_bool('MAIL_USE_TLS', True)
    self.MAIL_DEFAULT_SENDER = env_str('MAIL_DEFAULT_SENDER', 'Dibz <no-reply@dibz.local>')
    # Workers send mail; the backend may be overridden (a worker under test sends over SMTP).
    self.MAIL_BACKEND = env_str('MAIL_BACKEND', self.MAIL_BACKEND)
    self.MAIL_TIMEOUT_SECONDS = env_int('MAIL_TIMEOUT_SECONDS', 10)
    # Seconds between a failed job's retries; each job is tried once more per entry.
    self.JOB_RETRY_INTERVALS = env_int_list('JOB_RETRY_INTERVALS', [10, 60, 300])
    self.OWED_MAIL_AFTER_SECONDS = env_int('OWED_MAIL_AFTER_SECONDS', OWED_MAIL_AFTER_SECONDS)
    # How long an accepted dib holds a post before it lapses by itself (docs/HANDOVER.md).
    self.HOLD_HOURS = env_int('HOLD_HOURS', 48)
    if self.HOLD_HOURS < 1:
      raise ConfigError('HOLD_HOURS must be at least 1.')
    # Posts leave browse and search this long after they were listed, unless renewed.
    self.POST_EXPIRY_DAYS = env_int('POST_EXPIRY_DAYS', 30)
    if self.POST_EXPIRY_DAYS < 1:
      raise ConfigError('POST_EXPIRY_DAYS must be at least 1.')
    # Distinct verified reporters whose open reports hide a post until a moderator decides.
    self.MODERATION_AUTO_HIDE_REPORTS = env_int('MODERATION_AUTO_HIDE_REPORTS', 3)
    # Words (case-insensitive, whole words) that hold a new or edited post for review.
    self.MODERATION_PROHIBITED_TERMS = env_list(
      'MODERATION_PROHIBITED_TERMS', DEFAULT_PROHIBITED_TERMS
    )
    self.UPLOAD_FOLDER = env_str('UPLOAD_FOLDER', str(INSTANCE_PATH / 'uploads'))
    self.read_storage_settings()
    self.read_metrics_settings()
    self.LOG_LEVEL = env_str('LOG_LEVEL', 'INFO')
    # Login sessions (UserSessionHelpers): idle and absolute expiry, and how often a request
    # may write the last-seen time.
    self.SESSION_IDLE_TIMEOUT_SECONDS = env_int('SESSION_IDLE_TIMEOUT_SECONDS', 7 * 24 * 3600)
    self.SESSION_MAX_AGE_SECONDS = env_int('SESSION_MAX_AGE_SECONDS', 30 * 24 * 3600)
    self.SESSION_TOUCH_INTERVAL_SECONDS = env_int('SESSION_TOUCH_INTERVAL_SECONDS', 300)
    self.REMEMBER_COOKIE_DURATION = timedelta(seconds=self.SESSION_MAX_AGE_SECONDS)
    # Host names the app answers to (Flask 3.1); any other Host header is a 400.
    self.TRUSTED_HOSTS = self.trusted_hosts()

  def default_database_url(self):
    return None

  def trusted_hosts(self):
    """The host names from TRUSTED_HOSTS plus loopback and gunicorn's bind address, so that a
    deploy's readiness check on the server itself (`http://<GUNICORN_BIND>/api/health/ready`)
    is answered; None (every host) when unset."""
    hosts = env_list('TRUSTED_HOSTS', [])
    if not hosts:
      return None
    bind = env_str('GUNICORN_BIND', '')
    bind_host = bind.rpartition(':')[0] if ':' in bind and not bind.startswith('unix:') else ''
    extra = [*LOOPBACK_HOSTS, bind_host] if bind_host else list(LOOPBACK_HOSTS)
    return hosts + [host for host in extra if host not in hosts]

  def read_storage_settings(self):
    """Photos: the local folder (default) or an S3-compatible bucket (STORAGE_BACKEND=s3)."""
    self.STORAGE_BACKEND = env_str('STORAGE_BACKEND', 'local')
    if self.STORAGE_BACKEND not in ('local', 's3'):
      raise ConfigError(f'STORAGE_BACKEND must be local or s3, not {self.STORAGE_BACKEND!r}.')
    required = self.STORAGE_BACKEND == 's3'
    self.S3_BUCKET = env_str('S3_BUCKET', required=required)
    # Empty for AWS itself; the server's address for MinIO, Ceph, Garage and the like.
    self.S3_ENDPOINT_URL = env_str('S3_ENDPOINT_URL', '')
    self.S3_REGION = env_str('S3_REGION', 'us-east-1')
    # Unset: boto3's own chain (instance role, ~/.aws) finds the credentials.
    self.S3_ACCESS_KEY_ID = env_str('S3_ACCESS_KEY_ID', '')
    self.S3_SECRET_ACCESS_KEY = env_str('S3_SECRET_ACCESS_KEY', '')
    self.S3_KEY_PREFIX = env_str('S3_KEY_PREFIX', '')

  def read_metrics_settings(self):
    """/metrics: on by default, answered only to METRICS_ALLOWED_ADDRESSES or the token."""
    self.METRICS_ENABLED = env_bool('METRICS_ENABLED', True)
    self.METRICS_TOKEN = env_str('METRICS_TOKEN', '')
    self.METRICS_ALLOWED_ADDRESSES = env_list('METRICS_ALLOWED_ADDRESSES', ['127.0.0.1', '::1'])


class LocalConfig(BaseConfig):
  """A developer's machine: SQLite under instance/, a throwaway secret, debug tools on."""

  ENV_NAME = 'local'
  DEBUG = True
  EVENTS_IN_PROCESS_BROKER = True
  SESSION_COOKIE_SECURE = False
  REMEMBER_COOKIE_SECURE = False
  PREFERRED_URL_SCHEME = 'http'

  DEFAULT_SECRET_KEY = 'local-development-only-not-a-secret'  # nosec B105 # local only; staging and prod require SECRET_KEY

  def __init__(self):
    super().__init__()
    self.DEBUG = env_bool('FLASK_DEBUG', True)

  def default_database_url(self):
    return f'sqlite:///{INSTANCE_PATH / "dibz.sqlite3"}'


class TestConfig(LocalConfig):
  """The test suite: SQLite in a temporary folder unless TEST_DATABASE_URL names another."""

  ENV_NAME = 'testing'
  TESTING = True
  DEBUG = False
  # Cheap hashing keeps the suite fast; production cost is set in BaseConfig.
  PASSWORD_HASH_TIME_COST = 1
  PASSWORD_HASH_MEMORY_COST = 1024
  PASSWORD_HASH_PARALLELISM = 1
  MAIL_BACKEND = 'log'

  DEFAULT_SECRET_KEY = 'test-only-not-a-secret'  # nosec B105 # the test suite's own key
  # The suite never reads DATABASE_URL, so a developer's own database is safe from it.
  DATABASE_URL_VARIABLE = 'TEST_DATABASE_URL'

  def __init__(self):
    super().__init__()
    self.DEBUG = False
    self.UPLOAD_FOLDER = str(Path(test_sqlite_path()).parent / 'uploads')
    # The suite's outage tests leave events for Redis servers they stopped: no wait at exit.
    self.EVENTS_EXIT_FLUSH_SECONDS = 0

  def default_database_url(self):
    return f'sqlite:///{test_sqlite_path()}'


class StagingConfig(BaseConfig):
  """A production-like deployment for rehearsals: secrets required, mail over SMTP."""

  ENV_NAME = 'staging'
  MAIL_BACKEND = 'smtp'


class ProdConfig(BaseConfig):
  """Production: secrets required, Secure cookies, never DEBUG."""

  ENV_NAME = 'prod'
  MAIL_BACKEND = 'smtp'
  HSTS_MAX_AGE = 365 * 24 * 3600

  def trusted_hosts(self):
    """Prod answers only the host names it is told (a Host header is the client's to forge)."""
    if not env_list('TRUSTED_HOSTS', []):
      raise ConfigError('TRUSTED_HOSTS must be set in the environment for this APP_ENV.')
    return super().trusted_hosts()


CONFIG_CLASSES = {
  'local': LocalConfig,
  'testing': TestConfig,
  'staging': StagingConfig,
  'prod': ProdConfig,
}


def test_sqlite_path():
  """One SQLite file per test process, in a temporary folder that outlives the process's tests."""
  import tempfile

  folder = os.environ.get('DIBZ_TEST_TMPDIR')
  if not folder:
    folder = tempfile.mkdtemp(prefix='dibz-test-')
    os.environ['DIBZ_TEST_TMPDIR'] = folder
  return str(Path(folder) / 'test.sqlite3')


def load_config(config_name=None):
  """Build the config object for `config_name`, or for APP_ENV (default: local)."""
  config_name = config_name or os.environ.get('APP_ENV', 'local')
  if config_name not in CONFIG_CLASSES:
    raise ConfigError(
      f'APP_ENV must be one of {", ".join(sorted(CONFIG_CLASSES))}, not {config_name!r}.'
    )
  return CONFIG_CLASSES[config_name]()
