"""GET /api/posts: filters and sorts that combine, refusals of bad values, the query budget."""

from datetime import timedelta

from app.common.CommonCache import clear_response_cache
from app.common.CommonHelpers import utc_now
from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase, image_bytes


class PostListTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.ana = make_user(username='ana')
    self.ben = make_user(username='ben')
    now = utc_now()
    rows = (
      ('Calculus textbook', 'textbooks', 3000, 'available', self.ana, 5),
      ('Physics textbook', 'textbooks', 1500, 'pending', self.ben, 4),
      ('Road bike', 'bikes', 12000, 'available', self.ben, 3),
      ('Old desk', 'furniture', 2500, 'sold', self.ana, 2),
      ('Broken lamp', 'furniture', 0, 'withdrawn', self.ana, 1),
    )
    for title, category, price, status, seller, days_ago in rows:
      make_post(
        seller=seller,
        title=title,
        category=category,
        price_cents=price,
        status=status,
        created_at=now - timedelta(days=days_ago),
      )

  def titles(self, query='', client=None):
    response = (client or self.client).get(f'/api/posts{query}')
    self.assertEqual(response.status_code, 200, response.get_json())
    return [item['title'] for item in response.get_json()['items']]

  def test_anonymous_users_browse_newest_first_without_withdrawn_posts(self):
    body = self.client.get('/api/posts').get_json()
    self.assertEqual(
      [item['title'] for item in body['items']],
      ['Old desk', 'Road bike', 'Physics textbook', 'Calculus textbook'],
    )
    self.assertEqual((body['page'], body['per_page'], body['total']), (1, 20, 4))

  def test_each_filter(self):
    self.assertEqual(self.titles('?category=textbooks'), ['Physics textbook', 'Calculus textbook'])
    self.assertEqual(self.titles('?min_price=2500'), ['Old desk', 'Road bike', 'Calculus textbook'])
    self.assertEqual(self.titles('?max_price=2500'), ['Old desk', 'Physics textbook'])
    self.assertEqual(self.titles('?status=available'), ['Road bike', 'Calculus textbook'])
    self.assertEqual(self.titles('?seller=ben'), ['Road bike', 'Physics textbook'])
    self.assertEqual(self.titles('?seller=nobody'), [])

  def test_filters_and_sort_combine(self):
    self.assertEqual(
      self.titles('?category=textbooks&min_price=1000&max_price=3000&sort=price_asc'),
      ['Physics textbook', 'Calculus textbook'],
    )
    self.assertEqual(
      self.titles('?seller=ana&status=available&category=textbooks'), ['Calculus textbook']
    )
    self.assertEqual(self.titles('?seller=ben&sort=price_desc'), ['Road bike', 'Physics textbook'])
    self.assertEqual(self.titles('?min_price=1500&max_price=1500'), ['Physics textbook'])

  def test_sorts(self):
    self.assertEqual(
      self.titles('?sort=price_asc'),
      ['Physics textbook', 'Old desk', 'Calculus textbook', 'Road bike'],
    )
    self.assertEqual(
      self.titles('?sort=price_desc'),
      ['Road bike', 'Calculus textbook', 'Old desk', 'Physics textbook'],
    )
    self.assertEqual(self.titles('?sort=newest'), self.titles(''))

  def test_blank_arguments_mean_no_filter(self):
    self.assertEqual(self.titles('?category=&min_price=&sort='), self.titles(''))

  def test_pages(self):
    body = self.client.get('/api/posts?per_page=3&page=2&sort=price_asc').get_json()
    self.assertEqual([item['title'] for item in body['items']], ['Road bike'])
    self.assertEqual((body['page'], body['per_page'], body['total']), (2, 3, 4))

  def test_bad_values_are_422_with_fields(self):
    cases = {
      '?category=boats': ['category'],
      '?min_price=cheap': ['min_price'],
      '?max_price=-5': ['max_price'],
      '?min_price=1.5': ['min_price'],
      '?min_price=3000&max_price=1000': ['max_price'],
      '?status=lost': ['status'],
      '?seller=Not%20A%20Name': ['seller'],
      '?sort=random': ['sort'],
      '?per_page=0': ['per_page'],
      '?per_page=101': ['per_page'],
      '?page=x': ['page'],
      '?category=boats&sort=random&min_price=x': ['category', 'sort', 'min_price'],
    }
    for query, fields in cases.items():
      with self.subTest(query=query):
        response = self.client.get(f'/api/posts{query}')
        self.assert_error(response, 422, 'validation_error', fields=fields)

  def test_withdrawn_posts_are_listed_only_when_asked_for(self):
    self.assertEqual(self.titles('?status=withdrawn'), ['Broken lamp'])
    self.assertEqual(self.titles('?status=withdrawn&seller=ben'), [])


class PostListQueryBudgetTest(PostTestCase):
  def test_statement_count_does_not_grow_with_the_page_size(self):
    sellers = [make_user() for _ in range(3)]
    buyer, buyer_client = self.make_buyer()
    posts = [make_post(seller=sellers[number % 3]) for number in range(6)]
    for post in posts[:3]:
      seller_client = self.logged_in_client(sellers[posts.index(post) % 3])
      response = self.upload(post.id, image_bytes(), client=seller_client)
      self.assertEqual(response.status_code, 201, response.get_json())
      self.call_dibs(post.id, buyer_client)

    def count(per_page):
      # Measure the uncached path: the cached one runs no statement at all.
      clear_response_cache()
      with self.count_queries() as queries:
        response = self.client.get(f'/api/posts?per_page={per_page}')
      self.assertEqual(response.status_code, 200)
      self.assertEqual(len(response.get_json()['items']), min(per_page, 6))
      return len(queries)

    self.assertEqual(count(1), count(50))
    logged_in = self.logged_in_client(buyer)
    clear_response_cache()
    with self.count_queries() as small:
      logged_in.get('/api/posts?per_page=1')
    clear_response_cache()
    with self.count_queries() as large:
      body = logged_in.get('/api/posts?per_page=50').get_json()
    self.assertEqual(len(small), len(large), large)
    with_images = [item for item in body['items'] if item['images']]
    self.assertEqual(len(with_images), 3)
    self.assertTrue(all(item['dibs_count'] == 1 for item in with_images))
