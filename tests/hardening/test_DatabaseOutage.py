"""Found by the chaos run (docs/RELIABILITY.md): while the database cannot be reached (stopped,
restarting, its connections terminated) every request answered 500 with a traceback in the
log. It is a 503 in the JSON envelope with Retry-After, a write retried with its
Idempotency-Key afterwards runs once, and the app serves again as soon as the database is back."""

from sqlalchemy import event, func, select

from app.extensions import db
from app.posts.PostModels import Post
from tests.base import ApiTestCase
from tests.posts.PostTestCase import post_payload


class DatabaseOutageTest(ApiTestCase):
  def refuse_connections(self):
    """New connections fail the way a stopped server's do; pooled ones are dropped."""

    def refuse(dialect, connection_record, cargs, cparams):
      raise dialect.loaded_dbapi.OperationalError('connection refused (database stopped)')

    db.session.remove()
    db.engine.dispose()
    event.listen(db.engine, 'do_connect', refuse)
    return lambda: event.remove(db.engine, 'do_connect', refuse)

  def test_public_read_is_503_json_while_down_and_200_after(self):
    restore = self.refuse_connections()
    try:
      with self.assertLogs(self.app.logger, level='WARNING') as logs:
        response = self.client.get('/api/posts')
    finally:
      restore()
    error = self.assert_error(response, 503, 'service_unavailable')
    self.assertEqual(response.headers['Retry-After'], '5')
    self.assertIn('database', error['message'])
    self.assertNotIn('Traceback', '\n'.join(logs.output))
    self.assertIn('Database unavailable: connection refused', '\n'.join(logs.output))
    self.assertEqual(self.client.get('/api/posts').status_code, 200)

  def test_a_write_refused_during_the_outage_runs_once_when_retried_with_its_key(self):
    self.signup('carol')
    token = self.csrf_token()
    headers = {'X-CSRFToken': token, 'Idempotency-Key': 'chaos-outage-key-1'}
    restore = self.refuse_connections()
    try:
      with self.assertLogs(self.app.logger, level='WARNING'):
        response = self.client.post('/api/posts', json=post_payload(), headers=headers)
    finally:
      restore()
    self.assert_error(response, 503, 'service_unavailable')
    first = self.client.post('/api/posts', json=post_payload(), headers=headers)
    again = self.client.post('/api/posts', json=post_payload(), headers=headers)
    self.assertEqual(first.status_code, 201, first.get_json())
    self.assertEqual(again.status_code, 201)
    self.assertEqual(again.headers.get('Idempotent-Replayed'), 'true')
    self.assertEqual(db.session.execute(select(func.count(Post.id))).scalar_one(), 1)
