"""The base test case: one app per process, a clean database per test, SPA-like helpers."""

import contextvars
import os
import time
from contextlib import contextmanager

from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_testing import TestCase
from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.common.CommonCache import clear_response_cache
from app.common.CommonCacheStores import token_reader
from app.extensions import db, limiter
from tests import factories

_APP_CACHE = {}


class IsolatedClient(FlaskClient):
  """A test client whose requests run in their own context, as they do in production.

  Flask-Testing keeps an app context pushed for the whole test, and a request reuses an
  active app context, so `g` (Flask-Login's user, Flask-WTF's token) would leak from one
  request into the next. An empty contextvars.Context gives each request a fresh one.
  """

  def open(self, *args, **kwargs):
    return contextvars.Context().run(super().open, *args, **kwargs)


def get_test_app():
  """The app under TestConfig, built and migrated once per test process."""
  if 'app' not in _APP_CACHE:
    app = create_app('testing')
    app.test_client_class = IsolatedClient
    with app.app_context():
      skip_fsync_on_sqlite()
      reset_schema()
    _APP_CACHE['app'] = app
  return _APP_CACHE['app']


def is_postgresql():
  return db.engine.dialect.name == 'postgresql'


def turn_fsync_off(dbapi_connection, connection_record):
  """The suite's SQLite file is thrown away after the run: a commit need not wait for the disk."""
  dbapi_connection.execute('PRAGMA synchronous=OFF')


def skip_fsync_on_sqlite():
  """On SQLite, commits skip fsync (about a third of the fast tier's time on a busy disk);
  what a transaction sees and locks is unchanged. PostgreSQL is left as it is."""
  if not is_postgresql():
    event.listen(db.engine, 'connect', turn_fsync_off)
    db.engine.dispose()


def reset_schema():
  """Drop whatever an earlier run left, then build the schema with the migrations."""
  if is_postgresql():
    with db.engine.begin() as connection:
      connection.execute(text('DROP SCHEMA public CASCADE'))
      connection.execute(text('CREATE SCHEMA public'))
  else:
    db.engine.dispose()
    path = db.engine.url.database
    if path and os.path.exists(path):
      os.remove(path)
  upgrade()


# A browser test's live server may still be answering the previous test's last request when
# the next test empties the tables; PostgreSQL then aborts one side as a deadlock. Try again.
EMPTY_TABLES_ATTEMPTS = 5


def empty_all_tables():
  """Delete every row, leaving the migrated schema in place."""
  db.session.remove()
  tables = [table.name for table in reversed(db.metadata.sorted_tables)]
  for attempt in range(1, EMPTY_TABLES_ATTEMPTS + 1):
    try:
      with db.engine.begin() as connection:
        if is_postgresql():
          connection.execute(text(f'TRUNCATE {", ".join(tables)} RESTART IDENTITY CASCADE'))
        else:
          for table in tables:
            connection.execute(text(f'DELETE FROM {table}'))
      # The rows went behind the session's back: cached answers of the last test go too.
      clear_response_cache()
      return
    except OperationalError:
      if attempt == EMPTY_TABLES_ATTEMPTS:
        raise
      time.sleep(0.2 * attempt)


class ApiTestCase(TestCase):
  """Talks to the API as the SPA does: JSON bodies, a session cookie and the CSRF header."""

  render_templates = True

  def create_app(self):
    return get_test_app()

  def setUp(self):
    empty_all_tables()
    limiter.reset()

  def tearDown(self):
    db.session.remove()

  def new_client(self):
    """Another browser: its own cookie jar and CSRF token."""
    return self.app.test_client()

  def logged_in_client(self, user):
    """Another browser, logged in as `user` (a model from the factories) through the API."""
    client = self.new_client()
    self.login_as(user, client=client)
    return client

  def csrf_token(self, client=None):
    client = client or self.client
    return client.get('/api/auth/csrf').get_json()['csrf_token']

  def api(self, method, path, json=None, client=None, csrf=True, headers=None, **kwargs):
    """Send a request like the SPA: with a fresh CSRF token unless `csrf` is False."""
    client = client or self.client
    headers = dict(headers or {})
    if csrf and method.lower() not in ('get', 'head', 'options'):
      headers['X-CSRFToken'] = self.csrf_token(client)
    return getattr(client, method.lower())(path, json=json, headers=headers, **kwargs)

  def signup(
    self, username='alice', email=None, password=factories.DEFAULT_PASSWORD, client=None, **extra
  ):
    """Sign up through the API (which logs the client in); returns the user JSON."""
    payload = {
      'username': username,
      'email': email or f'{username}@example.edu',
      'password': password,
    }
    payload.update(extra)
    response = self.api('post', '/api/auth/signup', json=payload, client=client)
    self.assertEqual(response.status_code, 201, response.get_json())
    return response.get_json()['user']

  def login_as(self, user, password=factories.DEFAULT_PASSWORD, client=None):
    """Log the client in as `user` (a model from the factories) through the API."""
    response = self.api(
      'post', '/api/auth/login', json={'email': user.email, 'password': password}, client=client
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    return response.get_json()['user']

  @contextmanager
  def count_queries(self):
    """Count the SQL statements run inside the block: `with self.count_queries() as queries:`
    then `len(queries)`; `queries` lists the statements, to print when a budget is broken."""
    statements = []

    def record(connection, cursor, statement, parameters, context, executemany):
      statements.append(statement)

    # The app's engine, and the front's token reads (on the DBAPI, past SQLAlchemy's events).
    event.listen(db.engine, 'before_cursor_execute', record)
    listeners = token_reader(self.app).listeners
    listeners.append(statements.append)
    try:
      yield statements
    finally:
      event.remove(db.engine, 'before_cursor_execute', record)
      listeners.remove(statements.append)

  def assert_error(self, response, status, code, fields=None):
    """The response is the API's error envelope with this status and code (and these fields)."""
    self.assertEqual(response.status_code, status, response.get_data(as_text=True))
    self.assertTrue(response.is_json, response.get_data(as_text=True))
    error = response.get_json()['error']
    self.assertEqual(error['code'], code, error)
    self.assertTrue(error['message'])
    if fields is not None:
      self.assertEqual(sorted(error.get('fields', {})), sorted(fields), error)
    # Every envelope names its request; the rest of the envelope is returned for comparison.
    self.assertEqual(error.pop('request_id', None), response.headers.get('X-Request-ID'), error)
    return error
