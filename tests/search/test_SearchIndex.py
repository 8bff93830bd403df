"""The database keeps the search index in step with posts, and 0003_search migrates both ways."""

from types import SimpleNamespace

from flask_migrate import downgrade, upgrade
from sqlalchemy import column, inspect, table, text

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostModels import Post
from app.users.UserModels import User
from tests.base import is_postgresql
from tests.factories import make_post, make_user
from tests.search.SearchTestCase import SearchTestCase

SEARCH_VECTOR_EXPRESSION = (
  "setweight(to_tsvector('english', title), 'A') || "
  "setweight(to_tsvector('simple', title), 'A') || "
  "setweight(to_tsvector('english', description), 'B') || "
  "setweight(to_tsvector('simple', description), 'B')"
)


class SearchIndexTestCase(SearchTestCase):
  def assert_index_matches_posts(self):
    """Every post is indexed exactly as it reads now, and nothing else is."""
    db.session.remove()
    with db.engine.connect() as connection:
      post_count = connection.execute(text('SELECT count(*) FROM posts')).scalar_one()
      if is_postgresql():
        stale = connection.execute(
          text(
            f'SELECT count(*) FROM posts WHERE search_vector IS DISTINCT FROM '
            f'({SEARCH_VECTOR_EXPRESSION})'
          )
        ).scalar_one()
        self.assertEqual(stale, 0)
      else:
        # With rank 1, FTS5 compares its index with the content table, row by row.
        connection.execute(
          text("INSERT INTO posts_fts(posts_fts, rank) VALUES ('integrity-check', 1)")
        )
        indexed = connection.execute(text('SELECT count(*) FROM posts_fts_docsize')).scalar_one()
        self.assertEqual(indexed, post_count)

  def found_ids(self, q, **params):
    return [item['id'] for item in self.search_ok(q, **params)['items']]


class SearchIndexSyncTest(SearchIndexTestCase):
  def setUp(self):
    super().setUp()
    self.seller = make_user()
    self.login_as(self.seller)

  def create_post(self, title, description):
    payload = {
      'title': title,
      'description': description,
      'price_cents': 1000,
      'category': 'electronics',
      'condition': 'good',
    }
    response = self.api('post', '/api/posts', json=payload)
    self.assertEqual(response.status_code, 201, response.get_json())
    return response.get_json()['post']['id']

  def test_a_post_created_through_the_api_is_found_at_once(self):
    post_id = self.create_post('Graphing calculator', 'Solar powered.')
    self.assertEqual(self.found_ids('calc'), [post_id])
    self.assertEqual(self.found_ids('solar'), [post_id])
    self.assert_index_matches_posts()

  def test_an_edit_reindexes_the_title_and_description(self):
    post_id = self.create_post('Graphing calculator', 'Solar powered.')
    response = self.api('patch', f'/api/posts/{post_id}', json={'title': 'Scientific abacus'})
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(self.found_ids('calculator'), [])
    self.assertEqual(self.found_ids('abacus'), [post_id])
    self.assertEqual(self.found_ids('solar'), [post_id])
    response = self.api('patch', f'/api/posts/{post_id}', json={'description': 'Wooden beads.'})
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(self.found_ids('solar'), [])
    self.assertEqual(self.found_ids('wooden beads'), [post_id])
    self.assert_index_matches_posts()

  def test_an_edit_of_other_fields_keeps_the_post_found(self):
    post_id = self.create_post('Graphing calculator', 'Solar powered.')
    response = self.api('patch', f'/api/posts/{post_id}', json={'price_cents': 900})
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(self.found_ids('calculator', max_price=900), [post_id])
    self.assert_index_matches_posts()

  def test_a_withdrawn_post_leaves_the_results(self):
    post_id = self.create_post('Graphing calculator', 'Solar powered.')
    self.assertEqual(self.api('delete', f'/api/posts/{post_id}').status_code, 204)
    self.assertEqual(self.found_ids('calculator'), [])
    self.assertEqual(self.found_ids('calculator', status='withdrawn'), [post_id])
    self.assert_index_matches_posts()

  def test_a_deleted_post_leaves_the_index(self):
    kept_id = self.create_post('Graphing calculator', 'Solar powered.')
    deleted_id = self.create_post('Pocket calculator', 'Basic.')
    db.session.delete(db.session.get(Post, deleted_id))
    db.session.commit()
    self.assertEqual(self.found_ids('calculator'), [kept_id])
    self.assert_index_matches_posts()

  def test_posts_deleted_with_their_seller_leave_the_index(self):
    self.create_post('Graphing calculator', 'Solar powered.')
    other = make_user()
    other_post = make_post(other, title='Pocket calculator')
    db.session.delete(db.session.get(User, self.seller.id))
    db.session.commit()
    self.assertEqual(self.found_ids('calculator'), [other_post.id])
    self.assert_index_matches_posts()


class SearchMigrationTest(SearchIndexTestCase):
  def tearDown(self):
    # Whatever happened, the next test finds the schema at the newest migration.
    db.session.remove()
    upgrade()
    super().tearDown()

  def search_objects(self):
    """The names of the search objects 0003_search creates, as the database lists them."""
    db.session.remove()
    if is_postgresql():
      inspector = inspect(db.engine)
      columns = {column['name'] for column in inspector.get_columns('posts')}
      indexes = {index['name'] for index in inspector.get_indexes('posts')}
      return sorted((columns | indexes) & {'search_vector', 'ix_posts_search_vector'})
    with db.engine.connect() as connection:
      rows = connection.execute(
        text("SELECT name FROM sqlite_master WHERE name LIKE 'posts\\_fts%' ESCAPE '\\'")
      )
      return sorted(row.name for row in rows)

  def test_downgrade_removes_the_index_and_upgrade_backfills_it(self):
    before_id = make_post(title='Graphing calculator', description='Solar powered.').id
    # Made before the downgrade: the users table of 0002 lacks the columns of later migrations.
    seller = SimpleNamespace(id=make_user().id)
    expected = self.search_objects()
    self.assertTrue(expected)
    db.session.remove()
    downgrade(revision='0002_posts')
    self.assertEqual(self.search_objects(), [])
    # Written with 0002's columns only: the model has columns of later migrations.
    during_id = insert_post_of_0002(seller.id, 'Pocket calculator', 'Solar powered.')
    db.session.remove()
    upgrade()
    self.assertEqual(self.search_objects(), expected)
    self.assertEqual(sorted(self.found_ids('calculator')), [before_id, during_id])
    self.assert_index_matches_posts()
    after_id = make_post(title='Desk calculator').id
    self.assertEqual(self.found_ids('desk calc'), [after_id])
    self.assert_index_matches_posts()


POSTS_OF_0002 = table(
  'posts',
  *(
    column(name)
    for name in (
      'id',
      'seller_id',
      'title',
      'description',
      'price_cents',
      'category',
      'condition',
      'status',
      'created_at',
      'updated_at',
    )
  ),
)


def insert_post_of_0002(seller_id, title, description):
  """A post inserted as the schema of 0002_posts takes it (outside the session, as a data
  migration would: the schema of 0002 has no cache generations to bump); returns its id."""
  now = utc_now()
  with db.engine.begin() as connection:
    result = connection.execute(
      POSTS_OF_0002.insert()
      .values(
        seller_id=seller_id,
        title=title,
        description=description,
        price_cents=1000,
        category='other',
        condition='good',
        status='available',
        created_at=now,
        updated_at=now,
      )
      .returning(POSTS_OF_0002.c.id)
    )
    return result.scalar_one()
