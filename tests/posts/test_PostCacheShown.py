"""List, search and review pages in the response cache depend on the posts they show
(docs/CACHE.md): a write to a post that changes only what pages show (a dib, a photo, its
price, its title) empties the pages showing it and its page, not every list of its category;
a new post, a status change or a deletion empties the lists it enters or leaves; a price
change empties the pages filtered or ordered by price. Each post's token is read in the same
statement as its row, so a write that commits while a page is being built is never hidden."""

from unittest import mock

from sqlalchemy import update

from app.common.CommonCacheStores import bump_tags
from app.extensions import db
from app.posts import PostSerializers
from app.posts.PostModels import Post
from tests.factories import make_post
from tests.posts.PostTestCase import PostTestCase, image_bytes

LIST_FIRST_PAGE = '/api/posts?category=furniture&per_page=2&page=1'
LIST_SECOND_PAGE = '/api/posts?category=furniture&per_page=2&page=2'
LIST_BY_PRICE = '/api/posts?category=furniture&sort=price_asc'


class PostCacheShownTest(PostTestCase):
  def setUp(self):
    super().setUp()
    # Newest first: page 1 shows "Floor lamp" and "Study desk", page 2 "Desk lamp".
    self.seller, self.old_post = self.make_post_with_seller(
      title='Desk lamp', category='furniture', price_cents=3000
    )
    make_post(seller=self.seller, title='Study desk', category='furniture', price_cents=2000)
    self.new_post = make_post(
      seller=self.seller, title='Floor lamp', category='furniture', price_cents=1000
    )
    self.anonymous = self.app.test_client()

  def read(self, path):
    answer = self.anonymous.get(path)
    self.assertEqual(answer.status_code, 200, answer.get_json())
    return answer.get_json()

  def served_from_cache(self, path):
    """Whether the read is answered with its tokens' one query only."""
    with self.count_queries() as queries:
      self.read(path)
    return len(queries) == 1

  def titles(self, path):
    return [item['title'] for item in self.read(path)['items']]

  def warm(self, *paths):
    for path in paths:
      self.read(path)
      self.assertTrue(self.served_from_cache(path), path)

  def test_a_dib_empties_the_pages_showing_its_post_only(self):
    self.warm(LIST_FIRST_PAGE, LIST_SECOND_PAGE)
    _, buyer_client = self.make_buyer()
    self.call_dibs(self.old_post.id, buyer_client)
    self.assertTrue(self.served_from_cache(LIST_FIRST_PAGE))
    self.assertEqual(self.read(LIST_SECOND_PAGE)['items'][0]['dibs_count'], 1)

  def test_a_photo_empties_the_pages_showing_its_post_only(self):
    self.warm(LIST_FIRST_PAGE, LIST_SECOND_PAGE)
    self.assertEqual(self.upload(self.old_post.id, image_bytes()).status_code, 201)
    self.assertTrue(self.served_from_cache(LIST_FIRST_PAGE))
    self.assertEqual(len(self.read(LIST_SECOND_PAGE)['items'][0]['images']), 1)

  def test_a_rename_empties_the_pages_showing_the_post_only(self):
    self.warm(LIST_FIRST_PAGE, LIST_SECOND_PAGE)
    answer = self.api('patch', f'/api/posts/{self.old_post.id}', json={'title': 'Brass lamp'})
    self.assertEqual(answer.status_code, 200, answer.get_json())
    self.assertTrue(self.served_from_cache(LIST_FIRST_PAGE))
    self.assertEqual(self.titles(LIST_SECOND_PAGE), ['Brass lamp'])

  def test_a_price_change_empties_the_pages_ordered_or_filtered_by_price(self):
    filtered = '/api/posts?category=furniture&max_price=2500'
    self.warm(LIST_FIRST_PAGE, LIST_BY_PRICE, filtered)
    self.assertEqual(self.titles(LIST_BY_PRICE), ['Floor lamp', 'Study desk', 'Desk lamp'])
    self.assertEqual(self.titles(filtered), ['Floor lamp', 'Study desk'])
    answer = self.api('patch', f'/api/posts/{self.old_post.id}', json={'price_cents': 500})
    self.assertEqual(answer.status_code, 200, answer.get_json())
    # Page 1 of the newest shows neither the post nor any price order.
    self.assertTrue(self.served_from_cache(LIST_FIRST_PAGE))
    self.assertEqual(self.titles(LIST_BY_PRICE), ['Desk lamp', 'Floor lamp', 'Study desk'])
    self.assertEqual(self.titles(filtered), ['Floor lamp', 'Study desk', 'Desk lamp'])

  def test_a_new_post_empties_every_page_of_its_category(self):
    self.warm(LIST_FIRST_PAGE, LIST_SECOND_PAGE)
    make_post(seller=self.seller, title='Bean bag', category='furniture')
    self.assertEqual(self.titles(LIST_FIRST_PAGE), ['Bean bag', 'Floor lamp'])
    self.assertEqual(self.titles(LIST_SECOND_PAGE), ['Study desk', 'Desk lamp'])

  def test_a_withdrawn_or_deleted_post_leaves_every_page_of_its_category(self):
    self.warm(LIST_FIRST_PAGE, LIST_SECOND_PAGE)
    answer = self.api('delete', f'/api/posts/{self.new_post.id}')
    self.assertEqual(answer.status_code, 204, answer.get_data(as_text=True))
    self.assertEqual(self.titles(LIST_FIRST_PAGE), ['Study desk', 'Desk lamp'])
    self.assertEqual(self.read(LIST_SECOND_PAGE)['items'], [])
    db.session.delete(db.session.get(Post, self.old_post.id))
    db.session.commit()
    self.assertEqual(self.titles(LIST_FIRST_PAGE), ['Study desk'])

  def test_a_search_page_sees_a_dib_on_a_post_it_shows(self):
    path = '/api/search/posts?q=lamp'
    make_post(seller=self.seller, title='Lava lamp', category='other')
    self.warm(path)
    _, buyer_client = self.make_buyer()
    self.call_dibs(self.old_post.id, buyer_client)
    counts = {item['title']: item['dibs_count'] for item in self.read(path)['items']}
    self.assertEqual(counts['Desk lamp'], 1)

  def test_a_write_committed_while_the_page_is_built_is_seen_by_the_next_read(self):
    """The page's rows are read, then (before it is stored) another process changes a post it
    shows and bumps its tag: the entry holds the token read with the row, so it is never
    served again."""
    original = PostSerializers.images_by_post
    written = []

    def write_meanwhile(post_ids):
      if not written:
        written.append(True)
        with db.engine.begin() as connection:
          connection.execute(
            update(Post).where(Post.id == self.old_post.id).values(price_cents=4200)
          )
          bump_tags(connection, [f'post:{self.old_post.id}'])
      return original(post_ids)

    with mock.patch.object(PostSerializers, 'images_by_post', write_meanwhile):
      # Built with the old price: the write committed after its rows were read.
      self.assertEqual(self.read(LIST_SECOND_PAGE)['items'][0]['price_cents'], 3000)
    self.assertEqual(self.read(LIST_SECOND_PAGE)['items'][0]['price_cents'], 4200)
