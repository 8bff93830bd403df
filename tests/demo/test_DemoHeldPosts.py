"""The demo seed of held for review: one post of carmen's waiting for a moderator, once."""

from sqlalchemy import func, select

from app.demo.DemoHeldPosts import HELD_TITLE, seed_held_posts
from app.extensions import db
from app.posts.PostModels import Post
from tests import factories
from tests.base import ApiTestCase


class HeldPostsSeedTest(ApiTestCase):
  def test_one_held_post_once_seen_waiting_by_its_seller_and_moderators_only(self):
    carmen = factories.make_user('carmen')
    admin = factories.make_user('admin', admin=True)
    self.assertIn('1 post of carmen waiting', seed_held_posts([carmen, admin]))
    self.assertIn('already seeded', seed_held_posts([carmen, admin]))
    posts = db.session.execute(select(Post).where(Post.title == HELD_TITLE)).scalars().all()
    self.assertEqual(len(posts), 1)
    self.assertEqual(posts[0].moderation_state, 'in_review')
    self.assertEqual(posts[0].moderation_reason, 'it mentions alcohol')
    self.assertEqual(self.client.get('/api/posts').get_json()['total'], 0)
    held = self.logged_in_client(admin).get('/api/moderation/held-posts').get_json()
    self.assertEqual([item['title'] for item in held['items']], [HELD_TITLE])
    mine = self.logged_in_client(carmen).get('/api/users/me/moderated-posts').get_json()
    self.assertEqual([item['moderation_state'] for item in mine['items']], ['in_review'])
    self.assertEqual(db.session.execute(select(func.count()).select_from(Post)).scalar(), 1)

  def test_nothing_to_do_without_carmen(self):
    self.assertIn('nothing to do', seed_held_posts([factories.make_user('someone')]))
