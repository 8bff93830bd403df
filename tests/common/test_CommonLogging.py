"""JSON request logs, request ids in headers and error envelopes, and no secrets in logs."""

import io
import json
import logging
from unittest.mock import patch

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app import create_app
from app.common.CommonLogging import JsonLogFormatter, redact_text
from app.extensions import db
from tests.base import ApiTestCase
from tests.factories import make_post, make_user


class LogCapture:
  """Collects what the app's JSON handler writes, and every record (as raw JSON) at the root."""

  def __init__(self, app):
    self.app_handler = next(each for each in app.logger.handlers if each.is_dibz_json)
    self.app_stream = io.StringIO()
    self.raw_stream = io.StringIO()
    self.raw_handler = logging.StreamHandler(self.raw_stream)
    self.raw_handler.setFormatter(JsonLogFormatter(redact=False))

  def __enter__(self):
    self.previous_stream = self.app_handler.setStream(self.app_stream)
    logging.getLogger().addHandler(self.raw_handler)
    return self

  def __exit__(self, *exc_info):
    self.app_handler.setStream(self.previous_stream)
    logging.getLogger().removeHandler(self.raw_handler)

  def entries(self):
    return [json.loads(line) for line in self.app_stream.getvalue().splitlines()]

  def of_event(self, event):
    return [entry for entry in self.entries() if entry.get('event') == event]

  def all_text(self):
    return self.app_stream.getvalue() + self.raw_stream.getvalue()


class RequestLogTest(ApiTestCase):
  def test_one_json_line_per_request_with_its_fields(self):
    with LogCapture(self.app) as logs:
      response = self.client.get('/api/health', headers={'X-Request-ID': 'edge-42.a:b_c-d'})
    self.assertEqual(response.headers['X-Request-ID'], 'edge-42.a:b_c-d')
    [entry] = logs.of_event('request')
    self.assertEqual(entry['method'], 'GET')
    self.assertEqual(entry['path'], '/api/health')
    self.assertEqual(entry['status'], 200)
    self.assertIsInstance(entry['duration_ms'], float)
    self.assertIsNone(entry['user_id'])
    self.assertEqual(entry['request_id'], 'edge-42.a:b_c-d')
    self.assertEqual(entry['remote_addr'], '127.0.0.1')
    self.assertEqual(entry['level'], 'INFO')
    self.assertEqual(logs.of_event('error'), [])

  def test_a_request_id_is_generated_when_missing_or_unsafe(self):
    seen = set()
    for header in (None, 'x' * 129, 'has space', 'quote"d', '{"json":1}', '-leading-dash'):
      headers = {'X-Request-ID': header} if header else {}
      response = self.client.get('/api/health', headers=headers)
      request_id = response.headers['X-Request-ID']
      self.assertRegex(request_id, r'^[0-9a-f]{32}$')
      self.assertNotEqual(request_id, header)
      seen.add(request_id)
    self.assertEqual(len(seen), 6)

  def test_the_logged_in_user_is_in_the_line(self):
    user = make_user()
    self.login_as(user)
    with LogCapture(self.app) as logs:
      self.client.get('/api/users/me')
    [entry] = logs.of_event('request')
    self.assertEqual(entry['user_id'], user.id)

  def test_logging_the_user_after_a_commit_reads_no_row(self):
    seller, buyer = make_user(), make_user()
    post = make_post(seller=seller)
    self.login_as(buyer)
    opened = self.api('post', f'/api/posts/{post.id}/conversations')
    conversation_id = opened.get_json()['conversation']['id']
    token = self.csrf_token()
    with LogCapture(self.app) as logs, self.count_queries() as queries:
      response = self.client.post(
        f'/api/conversations/{conversation_id}/messages',
        json={'body': 'Still available?'},
        headers={'X-CSRFToken': token},
      )
    self.assertEqual(response.status_code, 201, response.get_json())
    [entry] = logs.of_event('request')
    self.assertEqual(entry['user_id'], buyer.id)
    # The commit expired the user; the log line reads its id without loading it again (the
    # one load is the session's, which joins its user).
    user_loads = [query for query in queries if 'FROM users' in query or 'JOIN users' in query]
    self.assertEqual(len(user_loads), 1, queries)

  def test_error_envelopes_carry_the_request_id_and_one_warning_line(self):
    cases = [
      (lambda: self.client.get('/api/no-such-thing', headers={'X-Request-ID': 'r-404'}), 404),
      (lambda: self.client.get('/api/users/me', headers={'X-Request-ID': 'r-401'}), 401),
      (
        lambda: self.client.post(
          '/api/auth/login', json={'email': 'a@example.edu'}, headers={'X-Request-ID': 'r-400'}
        ),
        400,
      ),
      (
        lambda: self.api(
          'post', '/api/auth/signup', json={'email': 'nope'}, headers={'X-Request-ID': 'r-422'}
        ),
        422,
      ),
    ]
    for send, status in cases:
      with LogCapture(self.app) as logs:
        response = send()
      request_id = f'r-{status}'
      self.assertEqual(response.status_code, status)
      self.assertEqual(response.headers['X-Request-ID'], request_id)
      self.assertEqual(response.get_json()['error']['request_id'], request_id)
      # One line for the request (a CSRF token fetched first has its own request id).
      [error_line] = [
        entry for entry in logs.of_event('request') if entry['request_id'] == request_id
      ]
      self.assertEqual(error_line['status'], status)
      self.assertEqual(error_line['error_code'], response.get_json()['error']['code'])
      self.assertEqual(error_line['request_id'], request_id)
      self.assertEqual(error_line['level'], 'WARNING')

  def test_unexpected_errors_log_a_traceback_that_the_client_never_sees(self):
    app = create_app('testing')

    def explode():
      raise RuntimeError('kaboom while using password=hunter2-in-exception')

    app.add_url_rule('/api/explode', 'explode', explode)
    with LogCapture(app) as logs:
      response = app.test_client().get('/api/explode', headers={'X-Request-ID': 'boom-1'})
    self.assertEqual(response.status_code, 500)
    body = response.get_data(as_text=True)
    self.assertEqual(response.get_json()['error']['code'], 'internal_error')
    self.assertEqual(response.get_json()['error']['request_id'], 'boom-1')
    self.assertNotIn('kaboom', body)
    self.assertNotIn('Traceback', body)
    [exception] = logs.of_event('exception')
    self.assertEqual(exception['level'], 'ERROR')
    self.assertEqual(exception['request_id'], 'boom-1')
    self.assertIn('Traceback (most recent call last)', exception['traceback'])
    self.assertIn('RuntimeError: kaboom', exception['traceback'])
    self.assertIn('password=[redacted]', exception['traceback'])
    self.assertNotIn('hunter2', logs.app_stream.getvalue())
    [error_line] = logs.of_event('request')
    self.assertEqual((error_line['status'], error_line['level']), (500, 'ERROR'))
    self.assertEqual(error_line['error_code'], 'internal_error')


class SecretsStayOutOfLogsTest(ApiTestCase):
  SIGNUP_PASSWORD = 'Signup-Secret-Pw-111'
  WRONG_PASSWORD = 'Wrong-Secret-Pw-222'
  CHANGED_PASSWORD = 'Changed-Secret-Pw-333'
  RESET_PASSWORD = 'Reset-Secret-Pw-444'
  QUERY_TOKEN = 'Query-Secret-Token-555'

  def test_passwords_tokens_and_cookies_never_reach_the_log(self):
    sent_mail = []
    with (
      LogCapture(self.app) as logs,
      patch('app.common.CommonMail.send_mail', side_effect=lambda *args: sent_mail.append(args)),
    ):
      self.signup('carol', password=self.SIGNUP_PASSWORD)
      self.api('post', '/api/auth/logout')
      login = {'email': 'carol@example.edu', 'password': self.WRONG_PASSWORD}
      self.assertEqual(self.api('post', '/api/auth/login', json=login).status_code, 401)
      login['password'] = self.SIGNUP_PASSWORD
      self.assertEqual(self.api('post', '/api/auth/login', json=login).status_code, 200)
      change = {'current_password': self.SIGNUP_PASSWORD, 'new_password': self.CHANGED_PASSWORD}
      self.assertEqual(self.api('put', '/api/users/me/password', json=change).status_code, 204)
      reset = {'email': 'carol@example.edu'}
      self.assertEqual(self.api('post', '/api/auth/password-reset', json=reset).status_code, 202)
      [reset_mail] = [mail for mail in sent_mail if 'reset-password?token=' in mail[2]]
      token = reset_mail[2].split('token=')[1].split()[0]
      confirm = {'token': token, 'new_password': self.RESET_PASSWORD}
      response = self.api('post', '/api/auth/password-reset/confirm', json=confirm)
      self.assertEqual(response.status_code, 204)
      self.client.get(f'/reset-password?token={self.QUERY_TOKEN}&password={self.WRONG_PASSWORD}')
      self.client.get(f'/api/health?token={self.QUERY_TOKEN}')
    text = logs.all_text()
    paths = [entry['path'] for entry in logs.of_event('request')]
    self.assertIn('/api/auth/password-reset/confirm', paths)
    self.assertIn('/reset-password', paths)
    for secret in (
      self.SIGNUP_PASSWORD,
      self.WRONG_PASSWORD,
      self.CHANGED_PASSWORD,
      self.RESET_PASSWORD,
      self.QUERY_TOKEN,
      token,
    ):
      self.assertNotIn(secret, text)
    for cookie in self.client._cookies.values():
      self.assertNotIn(cookie.value, text)


class RedactionTest(ApiTestCase):
  def test_database_errors_are_logged_without_their_values(self):
    with self.assertRaises(SQLAlchemyError) as raised:
      db.session.execute(text('SELECT * FROM no_such_table WHERE name = :name'), {'name': 'Pw-77'})
    db.session.rollback()
    error = raised.exception
    record = logging.makeLogRecord(
      {'msg': 'Unhandled', 'exc_info': (type(error), error, error.__traceback__)}
    )
    logged = JsonLogFormatter().format(record)
    self.assertIn('no_such_table', logged)
    self.assertNotIn('Pw-77', logged)

  def test_values_a_database_echoes_are_masked(self):
    message = (
      'duplicate key value violates unique constraint "uq_users_email"\n'
      'DETAIL:  Key (lower(email::text))=(carol@example.edu) already exists.\n'
      "LINE 1: INSERT INTO users (email) VALUES ('carol@example.edu')"
    )
    masked = redact_text(message)
    self.assertNotIn('carol@example.edu', masked)
    self.assertIn('Key (lower(email::text))=([redacted])', masked)
    self.assertIn('LINE 1: [statement with values hidden]', masked)

  def test_secret_looking_pairs_are_masked_in_free_text(self):
    self.assertEqual(
      redact_text('login password=abc token: "xyz" api_key=k1 user=bob'),
      'login password=[redacted] token: "[redacted]" api_key=[redacted] user=bob',
    )

  def test_only_a_developers_machine_logs_unmasked(self):
    # The local mail backend writes reset links to the log for the developer to click.
    self.addCleanup(create_app, 'testing')
    for config_name, redacts in (('local', False), ('testing', True)):
      app = create_app(config_name)
      handler = next(each for each in app.logger.handlers if each.is_dibz_json)
      record = logging.makeLogRecord({'msg': 'Open /reset-password?token=abc123'})
      self.assertEqual('token=abc123' not in handler.format(record), redacts, config_name)
