"""Deleting my account: the password first; then sessions end, posts are withdrawn and their
photos leave storage, messages stay readable as "Deleted user", the email and username are
free again, no table holds the email, name or username, the audit log keeps that it happened,
and the account cannot log in."""

from sqlalchemy import MetaData, select

from app.common import CommonAccountHooks
from app.extensions import db
from app.moderation.ModerationModels import ModerationAction
from app.notifications.NotificationModels import Notification
from app.posts.PostModels import Dib, Post
from app.posts.PostStorage import get_storage
from app.users.UserModels import User
from tests.privacy.PrivacyTestCase import PASSWORD, PrivacyTestCase

NEEDLES = ('zelda.quasimodo@example.edu', 'zelda_gone', 'zelda quasimodo')


def stored_text(value):
  """A column's value as lower-cased text (bytes decoded), or None for other types."""
  if isinstance(value, memoryview):
    value = bytes(value)
  if isinstance(value, bytes):
    return value.decode('utf-8', 'replace').lower()
  if isinstance(value, str):
    return value.lower()
  if isinstance(value, dict | list):
    return repr(value).lower()
  return None


def personal_leftovers():
  """'table.column' for each stored value, in every table of the database (reflected, so
  tables outside the models count too), that holds one of NEEDLES."""
  metadata = MetaData()
  metadata.reflect(bind=db.engine)
  found = []
  with db.engine.connect() as connection:
    for table in metadata.sorted_tables:
      for row in connection.execute(table.select()).mappings():
        for column, value in row.items():
          text = stored_text(value)
          if text and any(needle in text for needle in NEEDLES):
            found.append(f'{table.name}.{column}: {text[:80]}')
  return found


class AccountDeletionTest(PrivacyTestCase):
  def delete_me(self, password=PASSWORD, user=None):
    client = self.client_of(user or self.zelda)
    return self.api('delete', '/api/users/me', json={'password': password}, client=client)

  def test_the_seeded_student_is_found_everywhere_before(self):
    # The check below can fail: before the deletion it finds her in many tables.
    self.seed_everywhere()
    tables = {place.split('.')[0] for place in personal_leftovers()}
    for table in ('users', 'notifications', 'reports', 'idempotency_keys'):
      self.assertIn(table, tables)

  def test_nothing_personal_remains_in_any_table(self):
    self.seed_everywhere()
    self.seed_reviews()
    self.assertEqual(self.delete_me().status_code, 204)
    db.session.expire_all()
    self.assertEqual(personal_leftovers(), [])
    user = db.session.get(User, self.zelda.id)
    self.assertEqual((user.username, user.display_name), (f'deleted-{user.id}', 'Deleted user'))
    self.assertIsNotNone(user.deleted_at)

  def test_posts_are_withdrawn_photos_removed_dibs_cancelled_and_the_audit_log_keeps_it(self):
    self.seed_everywhere()
    storage = get_storage()
    self.assertTrue(self.image_keys)
    self.assertTrue(all(storage.exists(key) for key in self.image_keys))
    self.assertEqual(self.delete_me().status_code, 204)
    db.session.expire_all()
    self.assertFalse(any(storage.exists(key) for key in self.image_keys))
    self.assertEqual(db.session.get(Post, self.zelda_post['id']).status, 'withdrawn')
    post = self.client.get(f'/api/posts/{self.zelda_post["id"]}').get_json()['post']
    self.assertEqual(post['images'], [])
    self.assertEqual(post['seller']['display_name'], 'Deleted user')
    # Her accepted dib on Bob's post is cancelled: the post is for sale again.
    self.assertEqual(db.session.get(Post, self.bob_post['id']).status, 'available')
    statuses = db.session.execute(select(Dib.status).where(Dib.user_id == self.zelda.id))
    self.assertEqual(set(statuses.scalars()), {'cancelled'})
    # Bob, whose dib was on her post, is told it was withdrawn.
    kinds = db.session.execute(
      select(Notification.kind).where(Notification.user_id == self.bob.id)
    ).scalars()
    self.assertIn('post_withdrawn', set(kinds))
    entry = db.session.execute(
      select(ModerationAction).where(ModerationAction.action == 'delete_account')
    ).scalar_one()
    self.assertEqual(
      (entry.target_type, entry.target_id, entry.moderator_id), ('user', self.zelda.id, None)
    )

  def test_messages_stay_readable_to_the_other_side_as_deleted_user(self):
    self.seed_everywhere()
    self.assertEqual(self.delete_me().status_code, 204)
    bob = self.client_of(self.bob)
    messages = self.ok(bob.get(f'/api/conversations/{self.conversation_id}/messages'))['items']
    self.assertIn('Yes, come by at noon.', [message['body'] for message in messages])
    conversation = self.ok(bob.get(f'/api/conversations/{self.conversation_id}'))['conversation']
    self.assertIn('Deleted user', repr(conversation))
    self.assertNotIn('zelda', repr(conversation).lower())

  def test_reviews_stay_with_their_author_shown_as_deleted_user(self):
    self.seed_everywhere()
    self.seed_reviews()
    self.assertEqual(self.delete_me().status_code, 204)
    reviews = self.ok(self.new_client().get('/api/users/bob_buyer/reviews'))
    self.assertEqual([review['text'] for review in reviews['items']], ['Quick and kind.'])
    self.assertEqual(reviews['items'][0]['reviewer']['display_name'], 'Deleted user')
    self.assertNotIn('zelda', repr(reviews).lower())

  def test_the_session_ends_login_is_refused_and_the_address_signs_up_again(self):
    other_browser = self.logged_in_client(self.zelda)
    self.assertEqual(self.delete_me().status_code, 204)
    self.assert_error(self.client_of(self.zelda).get('/api/users/me'), 401, 'unauthorized')
    self.assert_error(other_browser.get('/api/users/me'), 401, 'unauthorized')
    login = {'email': 'zelda.quasimodo@example.edu', 'password': PASSWORD}
    response = self.api('post', '/api/auth/login', json=login, client=self.new_client())
    self.assert_error(response, 401, 'unauthorized')
    login = {'email': f'deleted-{self.zelda.id}', 'password': PASSWORD}
    response = self.api('post', '/api/auth/login', json=login, client=self.new_client())
    self.assertIn(response.status_code, (401, 422))
    again = self.signup('zelda_gone', email='zelda.quasimodo@example.edu', client=self.new_client())
    self.assertNotEqual(again['id'], self.zelda.id)

  def test_a_wrong_or_missing_password_deletes_nothing(self):
    self.assert_error(self.delete_me('not my password'), 422, 'validation_error', ['password'])
    response = self.api('delete', '/api/users/me', json={}, client=self.client_of(self.zelda))
    self.assert_error(response, 422, 'validation_error', ['password'])
    self.assert_error(
      self.api('delete', '/api/users/me', json={'password': PASSWORD}), 401, 'unauthorized'
    )
    db.session.expire_all()
    self.assertIsNone(db.session.get(User, self.zelda.id).deleted_at)
    self.assertEqual(self.client_of(self.zelda).get('/api/users/me').status_code, 200)

  def test_an_area_plugs_in_with_a_deletion_listener(self):
    heard = []

    def listener(user, scrubbed):
      heard.append((user.id, user.username, scrubbed))

    CommonAccountHooks.account_deletion_listener(listener)
    try:
      self.assertEqual(self.delete_me().status_code, 204)
    finally:
      CommonAccountHooks.DELETION_LISTENERS.remove(listener)
    self.assertEqual(
      heard,
      [
        (
          self.zelda.id,
          f'deleted-{self.zelda.id}',
          ('zelda.quasimodo@example.edu', 'zelda_gone', 'Zelda Quasimodo'),
        )
      ],
    )
