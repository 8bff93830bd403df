"""A write is visible to the next read: for every write path that public reads show, read
through the API (filling the cache), write through the API, read again, see the write."""

from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase, image_bytes, post_payload


class CachedReadsSeeWritesTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller(title='Walnut desk lamp')
    self.reader = self.new_client()

  def read_post(self):
    """The post's page, as an anonymous reader sees it (twice: the second from the cache)."""
    first = self.reader.get(f'/api/posts/{self.post.id}')
    second = self.reader.get(f'/api/posts/{self.post.id}')
    self.assertEqual(first.status_code, 200)
    self.assertEqual(first.get_data(), second.get_data())
    return second.get_json()['post']

  def read_list_ids(self, path='/api/posts'):
    response = self.reader.get(path)
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(self.reader.get(path).get_data(), response.get_data())
    return [item['id'] for item in response.get_json()['items']]

  def buyer_dib(self):
    """A buyer in the post's queue; returns (buyer client, dib JSON)."""
    _, buyer_client = self.make_buyer()
    return buyer_client, self.call_dibs(self.post.id, buyer_client)

  def test_create_post_shows_in_the_list_and_the_sellers_posts(self):
    own_posts = f'/api/users/{self.seller.username}/posts'
    self.assertEqual(self.read_list_ids(), [self.post.id])
    self.assertEqual(self.read_list_ids(own_posts), [self.post.id])
    created = self.api('post', '/api/posts', json=post_payload())
    self.assertEqual(created.status_code, 201)
    new_id = created.get_json()['post']['id']
    self.assertEqual(self.read_list_ids(), [new_id, self.post.id])
    self.assertEqual(self.read_list_ids(own_posts), [new_id, self.post.id])
    self.assertEqual(self.reader.get('/api/posts').get_json()['total'], 2)

  def test_edit_post_shows_in_the_page_the_list_and_search(self):
    self.assertEqual(self.read_post()['title'], 'Walnut desk lamp')
    self.assertEqual(self.read_list_ids('/api/search/posts?q=bicycle'), [])
    response = self.api('patch', f'/api/posts/{self.post.id}', json={'title': 'Red bicycle'})
    self.assertEqual(response.status_code, 200)
    self.assertEqual(self.read_post()['title'], 'Red bicycle')
    self.assertEqual(self.read_list_ids('/api/search/posts?q=bicycle'), [self.post.id])
    listed = self.reader.get('/api/posts').get_json()['items']
    self.assertEqual(listed[0]['title'], 'Red bicycle')

  def test_withdraw_leaves_the_list(self):
    self.assertEqual(self.read_list_ids(), [self.post.id])
    self.assertEqual(self.api('delete', f'/api/posts/{self.post.id}').status_code, 204)
    self.assertEqual(self.read_list_ids(), [])
    self.assertEqual(self.read_post()['status'], 'withdrawn')
    self.assertEqual(self.reader.get('/api/posts').get_json()['total'], 0)

  def test_call_dibs_and_cancel_change_the_count(self):
    self.assertEqual(self.read_post()['dibs_count'], 0)
    buyer_client, _ = self.buyer_dib()
    self.assertEqual(self.read_post()['dibs_count'], 1)
    response = self.api('delete', f'/api/posts/{self.post.id}/dibs', client=buyer_client)
    self.assertEqual(response.status_code, 204)
    self.assertEqual(self.read_post()['dibs_count'], 0)

  def test_accept_decline_and_sold_change_the_post(self):
    _, first = self.buyer_dib()
    _, second = self.buyer_dib()
    self.assertEqual(self.read_post()['dibs_count'], 2)
    declined = self.api('post', f'/api/dibs/{second["id"]}/decline')
    self.assertEqual(declined.status_code, 200)
    self.assertEqual(self.read_post()['dibs_count'], 1)
    self.assertEqual(self.api('post', f'/api/dibs/{first["id"]}/accept').status_code, 200)
    self.assertEqual(self.read_post()['status'], 'pending')
    self.assertEqual(self.api('post', f'/api/posts/{self.post.id}/sold').status_code, 200)
    self.assertEqual(self.read_post()['status'], 'sold')

  def test_images_added_and_removed(self):
    self.assertEqual(self.read_post()['images'], [])
    uploaded = self.upload(self.post.id, image_bytes())
    self.assertEqual(uploaded.status_code, 201)
    image_id = uploaded.get_json()['image']['id']
    self.assertEqual([image['id'] for image in self.read_post()['images']], [image_id])
    removed = self.api('delete', f'/api/posts/{self.post.id}/images/{image_id}')
    self.assertEqual(removed.status_code, 204)
    self.assertEqual(self.read_post()['images'], [])

  def test_profile_edit_shows_in_the_profile_and_on_posts(self):
    profile = f'/api/users/{self.seller.username}'
    self.assertEqual(self.reader.get(profile).get_json()['user']['bio'], '')
    self.read_post()
    changes = {'bio': 'Moving out in May.', 'display_name': 'Walnut Seller'}
    self.assertEqual(self.api('patch', '/api/users/me', json=changes).status_code, 200)
    self.assertEqual(self.reader.get(profile).get_json()['user']['bio'], 'Moving out in May.')
    self.assertEqual(self.read_post()['seller']['display_name'], 'Walnut Seller')

  def test_signup_makes_the_profile_appear(self):
    self.assertEqual(self.reader.get('/api/users/newcomer').status_code, 404)
    self.signup('newcomer', client=self.new_client())
    self.assertEqual(self.reader.get('/api/users/newcomer').status_code, 200)

  def test_a_write_outside_the_api_through_the_session_is_seen(self):
    self.assertEqual(self.read_post()['price_cents'], self.post.price_cents)
    other = make_post(seller=make_user(), price_cents=100)
    self.post.price_cents = 12300
    from app.extensions import db

    db.session.commit()
    self.assertEqual(self.read_post()['price_cents'], 12300)
    self.assertIn(other.id, self.read_list_ids())
