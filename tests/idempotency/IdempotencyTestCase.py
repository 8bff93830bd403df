"""Helpers shared by the Idempotency-Key tests."""

import uuid

from sqlalchemy import func, select

from app.extensions import db
from app.idempotency.IdempotencyModels import IdempotencyKey
from tests.posts.PostTestCase import PostTestCase


def new_key():
  """A fresh key, as the SPA makes one per user action."""
  return str(uuid.uuid4())


class IdempotencyTestCase(PostTestCase):
  def post_with_key(self, path, key, client=None, **kwargs):
    """POST like the SPA, with an Idempotency-Key header."""
    headers = {'Idempotency-Key': key, **kwargs.pop('headers', {})}
    return self.api('post', path, client=client, headers=headers, **kwargs)

  def count_rows(self, model, *conditions):
    db.session.expire_all()
    return db.session.execute(select(func.count()).select_from(model).where(*conditions)).scalar()

  def key_rows(self):
    db.session.expire_all()
    return db.session.execute(select(IdempotencyKey).order_by(IdempotencyKey.id)).scalars().all()

  def assert_replay_of(self, replay, first):
    """`replay` is `first` again: status, body and headers, marked as a replay."""
    self.assertEqual(replay.status_code, first.status_code, replay.get_data(as_text=True))
    self.assertEqual(replay.get_json(), first.get_json())
    self.assertEqual(replay.headers.get('Content-Type'), first.headers.get('Content-Type'))
    self.assertEqual(replay.headers.get('Idempotent-Replayed'), 'true')
    self.assertIsNone(first.headers.get('Idempotent-Replayed'))
