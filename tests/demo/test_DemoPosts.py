"""`manage.py seed --posts N`: a believable marketplace, consistent, and idempotent."""

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.demo.DemoPictures import demo_picture, drawing_for
from app.extensions import db
from app.posts.PostConstants import CATEGORIES, DIB_STATUSES, LIVE_DIB_STATUSES, POST_STATUSES
from app.posts.PostModels import Dib, Post, PostImage
from tests.posts.PostTestCase import PostTestCase


# Seeding draws a picture of each demo post: seconds per test.
@pytest.mark.slow
class SeedPostsTest(PostTestCase):
  def seed(self, post_count):
    result = self.app.test_cli_runner().invoke(args=['seed', '--posts', str(post_count)])
    self.assertEqual(result.exit_code, 0, result.output)
    return result.output

  def counts(self):
    """(listed demo posts, dibs, photos): the seed's held-for-review post (DemoHeldPosts) is
    one more, whatever --posts says."""
    db.session.expire_all()
    listed = select(func.count()).select_from(Post).where(Post.moderation_state.is_(None))
    return (
      db.session.execute(listed).scalar_one(),
      *(
        db.session.execute(select(func.count()).select_from(model)).scalar_one()
        for model in (Dib, PostImage)
      ),
    )

  def test_seeds_every_category_status_and_dib_state_consistently(self):
    output = self.seed(90)
    self.assertIn('posts: 90 created', output)
    # The seed's one post held for review (DemoHeldPosts) is not one of the 90.
    posts = db.session.execute(select(Post).where(Post.moderation_state.is_(None))).scalars().all()
    self.assertEqual(len(posts), 90)
    self.assertEqual({post.category for post in posts}, set(CATEGORIES))
    self.assertEqual({post.status for post in posts}, set(POST_STATUSES))
    dibs = db.session.execute(select(Dib)).scalars().all()
    self.assertEqual({dib.status for dib in dibs}, set(DIB_STATUSES))
    for post in posts:
      statuses = [dib.status for dib in dibs if dib.post_id == post.id]
      self.assertNotIn(post.seller_id, [dib.user_id for dib in dibs if dib.post_id == post.id])
      expected_accepted = 1 if post.status in ('pending', 'sold') else 0
      self.assertEqual(statuses.count('accepted'), expected_accepted, post)
      if post.status in ('sold', 'withdrawn'):
        self.assertFalse(set(statuses) & {'waiting'}, post)
      if post.status == 'withdrawn':
        self.assertFalse(set(statuses) & set(LIVE_DIB_STATUSES), post)

  def test_the_calculator_a_newcomer_looks_for_is_on_sale(self):
    self.seed(5)
    body = self.client.get('/api/posts?category=electronics&status=available').get_json()
    titles = [item['title'] for item in body['items']]
    self.assertIn('TI-84 Plus graphing calculator', titles)

  def test_nearly_every_post_has_a_picture_of_its_kind(self):
    self.seed(50)
    with_pictures = db.session.execute(
      select(func.count(func.distinct(PostImage.post_id)))
    ).scalar()
    self.assertEqual(with_pictures, 48)  # one post in twenty-five keeps the placeholder
    # The drawing follows the thing sold, not only its category.
    self.assertEqual(
      drawing_for('TI-84 Plus graphing calculator', 'electronics').__name__, 'calculator'
    )
    self.assertEqual(drawing_for('Adjustable dumbbells, 2 x 25 lb', 'sports').__name__, 'dumbbell')
    self.assertEqual(drawing_for('Desk plant (pothos) with pot', 'other').__name__, 'plant')
    self.assertEqual(drawing_for('Basketball season pass (student)', 'tickets').__name__, 'ticket')
    self.assertEqual(drawing_for('Something unheard of', 'other').__name__, 'parcel')
    # The same title always gets the same picture; different things get different ones.
    first = demo_picture('IKEA Malm desk, white', 'furniture').tobytes()
    self.assertEqual(first, demo_picture('IKEA Malm desk, white', 'furniture').tobytes())
    self.assertNotEqual(first, demo_picture('Road bike (Giant Contend), 54 cm', 'bikes').tobytes())

  def test_pictures_are_stored_and_served(self):
    self.seed(30)
    images = db.session.execute(select(PostImage)).scalars().all()
    self.assertGreater(len(images), 0)
    folder = Path(self.app.config['UPLOAD_FOLDER'])
    for image in images:
      self.assertTrue((folder / image.storage_key).is_file())
      self.assertTrue((folder / image.thumb_key).is_file())
    post = self.client.get(f'/api/posts/{images[0].post_id}').get_json()['post']
    response = self.client.get(post['images'][0]['thumb_url'])
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.mimetype, 'image/jpeg')

  def test_a_second_run_adds_nothing_and_a_bigger_run_only_the_difference(self):
    self.seed(40)
    first = self.counts()
    folder = Path(self.app.config['UPLOAD_FOLDER'])
    files = set(folder.iterdir())
    output = self.seed(40)
    self.assertIn('posts: 0 created', output)
    self.assertEqual(self.counts(), first)
    self.assertEqual(set(folder.iterdir()), files)
    self.seed(50)
    self.assertEqual(self.counts()[0], 50)

  def test_the_queue_of_a_seeded_post_reads_through_the_api(self):
    self.seed(40)
    post_id = (
      db.session.execute(select(Dib.post_id).where(Dib.status == 'waiting').order_by(Dib.post_id))
      .scalars()
      .first()
    )
    view = self.client.get(f'/api/posts/{post_id}').get_json()['post']
    live = db.session.execute(
      select(func.count(Dib.id)).where(Dib.post_id == post_id, Dib.status.in_(LIVE_DIB_STATUSES))
    ).scalar_one()
    self.assertEqual(view['dibs_count'], live)
