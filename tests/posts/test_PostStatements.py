"""List, search and detail statements are built once per shape and reused (app/posts/PostHelpers
STATEMENTS_LIMIT): what changes from one run to the next (the page, the post's id, the time
suspensions are judged at) is bound when the statement runs, never frozen when it is built."""

from datetime import timedelta
from unittest.mock import patch

from app.common.CommonCache import clear_response_cache
from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostHelpers import list_page_statement, post_detail_statement
from app.users.UserModels import User
from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase


class PostStatementsTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller(title='Brass desk lamp')
    for number in range(2):
      make_post(seller=self.seller, title=f'Brass desk lamp {number}')
    self.other = make_post(seller=make_user(), title='Oak desk')

  def titles(self, path, **query):
    answer = self.client.get(path, query_string=query)
    self.assertEqual(answer.status_code, 200, answer.get_json())
    return sorted(item['title'] for item in answer.get_json()['items'])

  def test_a_suspension_is_judged_at_the_time_each_statement_runs(self):
    seller = db.session.get(User, self.seller.id)
    seller.suspended_at = utc_now()
    seller.suspended_until = utc_now() + timedelta(days=1)
    db.session.commit()
    self.assertEqual(self.titles('/api/posts'), ['Oak desk'])
    self.assertEqual(self.titles('/api/search/posts', q='desk'), ['Oak desk'])
    # Two days later the suspension is over: the same statements, run again, show the posts.
    later = utc_now() + timedelta(days=2)
    with patch('app.posts.PostHelpers.utc_now', lambda: later):
      clear_response_cache()
      self.assertEqual(len(self.titles('/api/posts')), 4)
      self.assertEqual(len(self.titles('/api/search/posts', q='desk')), 4)
    self.assertGreater(list_page_statement.cache_info().hits, 0)

  def test_each_page_and_post_binds_its_own_values(self):
    pages = [self.titles('/api/posts', per_page=2, page=page) for page in (1, 2, 3)]
    self.assertEqual(sum(len(page) for page in pages), 4)
    self.assertEqual(len({title for page in pages for title in page}), 4)
    for post in (self.post, self.other):
      answer = self.client.get(f'/api/posts/{post.id}')
      self.assertEqual(answer.get_json()['post']['id'], post.id)
    self.assertEqual(post_detail_statement.cache_info().currsize, 1)
