"""Issue 15: photos in the seller's order (the first is the cover), the campus filter, prices
refused in dollars, and the buyer's own dib status in the queue view."""

from app.extensions import db
from app.posts.PostModels import PostImage
from tests.factories import make_campus, make_post, make_user
from tests.posts.PostTestCase import PostTestCase, image_bytes, post_payload


class PhotoOrderTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.seller, self.post = self.make_post_with_seller()
    self.image_ids = [
      self.upload(self.post.id, image_bytes(size=(20 + number, 20))).get_json()['image']['id']
      for number in range(3)
    ]

  def reorder(self, image_ids, client=None):
    return self.api(
      'put', f'/api/posts/{self.post.id}/images/order', json={'image_ids': image_ids}, client=client
    )

  def listed_ids(self):
    return [
      image['id']
      for image in self.client.get(f'/api/posts/{self.post.id}').get_json()['post']['images']
    ]

  def test_new_photos_go_last_and_the_order_is_the_sellers(self):
    self.assertEqual(self.listed_ids(), self.image_ids)
    new_order = [self.image_ids[2], self.image_ids[0], self.image_ids[1]]
    response = self.reorder(new_order)
    self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
    self.assertEqual([image['id'] for image in response.get_json()['images']], new_order)
    self.assertEqual(self.listed_ids(), new_order)
    # The list and the cover in a conversation summary follow it too.
    listed = self.client.get('/api/posts').get_json()['items'][0]['images']
    self.assertEqual([image['id'] for image in listed], new_order)
    added = self.upload(self.post.id, image_bytes()).get_json()['image']['id']
    self.assertEqual(self.listed_ids(), [*new_order, added])

  def test_refusals_leave_the_order_untouched(self):
    for bad in (
      [self.image_ids[0], self.image_ids[1]],  # one missing
      [*self.image_ids, self.image_ids[0]],  # one twice
      [*self.image_ids[:2], 999999],  # not this post's
      ['1', '2', '3'],
      [True, False, True],
      None,
      'first',
    ):
      with self.subTest(image_ids=bad):
        self.assert_error(self.reorder(bad), 422, 'validation_error', fields=['image_ids'])
    self.assert_error(
      self.api('put', f'/api/posts/{self.post.id}/images/order', json=[1]), 400, 'bad_request'
    )
    stranger_client = self.make_buyer()[1]
    self.assert_error(
      self.reorder(list(reversed(self.image_ids)), stranger_client), 403, 'forbidden'
    )
    self.assert_error(
      self.api('put', '/api/posts/999999/images/order', json={'image_ids': []}), 404, 'not_found'
    )
    self.assertEqual(self.listed_ids(), self.image_ids)
    positions = db.session.execute(db.select(PostImage.position).order_by(PostImage.id)).scalars()
    self.assertEqual(list(positions), [0, 1, 2])

  def test_a_sold_post_keeps_its_photos_as_they_were(self):
    self.reload_post(self.post.id).status = 'sold'
    db.session.commit()
    self.assert_error(self.reorder(list(reversed(self.image_ids))), 409, 'conflict')


class CampusAndPriceTest(PostTestCase):
  def test_campus_filters_lists_by_slug_and_all_lists_every_campus(self):
    north, south = make_campus('north'), make_campus('south')
    seller = make_user(campus_id=north.id)
    in_north = make_post(seller=seller, campus_id=north.id)
    make_post(seller=seller, campus_id=south.id)
    make_post(seller=seller, campus_id=None)
    body = self.client.get('/api/posts', query_string={'campus': 'north'}).get_json()
    self.assertEqual([item['id'] for item in body['items']], [in_north.id])
    self.assertEqual(self.client.get('/api/posts?campus=').get_json()['total'], 3)
    self.assertEqual(self.client.get('/api/posts?campus=all').get_json()['total'], 3)
    self.assertEqual(self.client.get('/api/posts?campus=nowhere').get_json()['total'], 0)
    for value in ('x' * 101, 'North campus'):
      self.assert_error(
        self.client.get('/api/posts', query_string={'campus': value}),
        422,
        'validation_error',
        fields=['campus'],
      )

  def test_a_new_post_takes_the_sellers_campus_unless_given_one(self):
    north, _south = make_campus('north'), make_campus('south')
    seller = make_user(campus_id=north.id)
    self.login_as(seller)
    body = self.api('post', '/api/posts', json=post_payload()).get_json()
    self.assertEqual(body['post']['campus'], {'slug': 'north', 'name': 'North Campus'})
    body = self.api('post', '/api/posts', json=post_payload(campus='south')).get_json()
    self.assertEqual(body['post']['campus'], {'slug': 'south', 'name': 'South Campus'})
    response = self.api('post', '/api/posts', json=post_payload(campus='medical'))
    self.assert_error(response, 422, 'validation_error', fields=['campus'])

  def test_price_errors_speak_dollars(self):
    self.login_as(make_user())
    for price, message in (
      (-5, 'Must be between $0 and $1,000,000.'),
      (100_000_001, 'Must be between $0 and $1,000,000.'),
      (12.345, 'Must be a price in dollars with at most two decimals, like 12 or 12.50.'),
      ('twelve bucks', 'Must be a price in dollars with at most two decimals, like 12 or 12.50.'),
    ):
      with self.subTest(price=price):
        error = self.assert_error(
          self.api('post', '/api/posts', json=post_payload(price_cents=price)),
          422,
          'validation_error',
          fields=['price_cents'],
        )
        self.assertEqual(error['fields']['price_cents'], [message])
    error = self.assert_error(self.client.get('/api/posts?min_price=abc'), 422, 'validation_error')
    self.assertNotIn('whole number', error['message'])

  def test_the_queue_view_names_my_dib_status(self):
    seller, post = self.make_post_with_seller()
    buyer, buyer_client = self.make_buyer()
    dib = self.call_dibs(post.id, buyer_client)
    view = buyer_client.get(f'/api/posts/{post.id}/dibs').get_json()
    self.assertEqual(view['my_status'], 'waiting')
    self.assertEqual(self.api('post', f'/api/dibs/{dib["id"]}/accept').status_code, 200)
    self.assertEqual(self.api('post', f'/api/posts/{post.id}/sold').status_code, 200)
    view = buyer_client.get(f'/api/posts/{post.id}/dibs').get_json()
    self.assertEqual(view, {'count': 1, 'my_position': 1, 'my_status': 'accepted'})
