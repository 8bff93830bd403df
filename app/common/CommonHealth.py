"""Checks of the database, its schema and Redis, shared by /api/health/ready and
`manage.py check`."""

from pathlib import Path

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.common.CommonRedis import get_redis, redis_client_for
from app.extensions import db

PROJECT_FOLDER = Path(__file__).resolve().parent.parent.parent
MIGRATIONS_FOLDER = PROJECT_FOLDER / 'alembic'
PRODUCTION_LIKE_ENVS = ('staging', 'prod')
MIN_SECRET_KEY_LENGTH = 32
# Written by `fab deploy` into each release: its name and the commit it was built from.
RELEASE_FILE = PROJECT_FOLDER / 'RELEASE'


def script_heads():
  """The head revisions of the migration scripts, read once per process (they never change)."""
  heads = current_app.extensions.get('dibz_migration_heads')
  if heads is None:
    config = Config()
    config.set_main_option('script_location', str(MIGRATIONS_FOLDER))
    heads = frozenset(ScriptDirectory.from_config(config).get_heads())
    current_app.extensions['dibz_migration_heads'] = heads
  return heads


def database_status():
  """'ok' when the database answers a trivial query, else a short reason."""
  try:
    db.session.execute(text('SELECT 1'))
    return 'ok'
  except SQLAlchemyError as error:
    db.session.rollback()
    current_app.logger.warning('Database check failed: %s', error.__class__.__name__)
    return 'unreachable'


def migration_status():
  """'head' when the database is at the newest migration, 'behind' or 'unknown' otherwise."""
  try:
    with db.engine.connect() as connection:
      current = frozenset(MigrationContext.configure(connection).get_current_heads())
  except SQLAlchemyError:
    return 'unknown'
  return 'head' if current == script_heads() else 'behind'


def redis_status():
  """'ok' when Redis answers a ping within its 200 ms timeout, 'unavailable' when it does not,
  'not_configured' when neither REDIS_URL nor the rate-limit storage names one. Never fails
  readiness: without Redis each process counts limits in memory."""
  client = get_redis() or rate_limit_redis()
  if client is None:
    return 'not_configured'
  try:
    client.ping()
    return 'ok'
  except (RedisError, OSError):
    return 'unavailable'


def rate_limit_redis():
  """A client for RATELIMIT_STORAGE_URI when it is a Redis that REDIS_URL does not name."""
  if 'dibz_rate_limit_redis' not in current_app.extensions:
    uri = current_app.config.get('RATELIMIT_STORAGE_URI') or ''
    client = redis_client_for(uri) if uri.startswith(('redis://', 'rediss://')) else None
    current_app.extensions['dibz_rate_limit_redis'] = client
  return current_app.extensions['dibz_rate_limit_redis']


def release_name():
  """The name of the deployed release this process runs (None outside a deploy), read once."""
  if 'dibz_release' not in current_app.extensions:
    try:
      words = RELEASE_FILE.read_text().split()
    except OSError:
      words = []
    current_app.extensions['dibz_release'] = words[0] if words else None
  return current_app.extensions['dibz_release']


def config_problems(config):
  """What in a staging or prod config would break a deploy on several servers, as sentences."""
  if config['ENV_NAME'] not in PRODUCTION_LIKE_ENVS:
    return []
  problems = []
  if len(config['SECRET_KEY']) < MIN_SECRET_KEY_LENGTH:
    problems.append(f'SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters.')
  if config['SQLALCHEMY_DATABASE_URI'].startswith('sqlite'):
    problems.append('DATABASE_URL is SQLite, which several servers cannot share.')
  if config['RATELIMIT_ENABLED'] and config['RATELIMIT_STORAGE_URI'].startswith('memory'):
    problems.append(
      'RATELIMIT_STORAGE_URI is memory://, so each worker counts alone: use redis://.'
    )
  if config['MAIL_BACKEND'] == 'smtp' and not config.get('MAIL_SERVER'):
    problems.append('MAIL_SERVER is not set, so password-reset mail cannot be sent.')
  if not config['PUBLIC_BASE_URL'].startswith('https://'):
    problems.append('PUBLIC_BASE_URL should start with https:// (links in mail use it).')
  return problems
