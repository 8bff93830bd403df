"""Posts through the API: create, read, edit, withdraw, and the user's posts."""

from app.posts.PostConstants import CATEGORIES
from tests.factories import make_campus, make_post, make_user
from tests.posts.PostTestCase import PostTestCase, post_payload


class CreatePostTest(PostTestCase):
  def test_creates_an_available_post_of_the_seller(self):
    north = make_campus('north')
    seller = make_user(display_name='Ada L', campus_id=north.id)
    self.login_as(seller)
    response = self.api('post', '/api/posts', json=post_payload())
    self.assertEqual(response.status_code, 201, response.get_json())
    post = response.get_json()['post']
    self.assertEqual(post['title'], 'TI-84 Plus graphing calculator')
    self.assertEqual(post['price_cents'], 4500)
    self.assertEqual(post['status'], 'available')
    self.assertEqual(post['campus'], {'slug': 'north', 'name': 'North Campus'})
    self.assertEqual(
      post['seller'],
      {
        'id': seller.id,
        'username': seller.username,
        'display_name': 'Ada L',
        'verified_campus': None,
        'rating': {'average': None, 'count': 0},
      },
    )
    self.assertEqual(post['images'], [])
    self.assertEqual(post['dibs_count'], 0)
    self.assertTrue(post['created_at'].endswith('Z'))
    fetched = self.client.get(f'/api/posts/{post["id"]}').get_json()['post']
    self.assertEqual(fetched, post)

  def test_ignores_unknown_fields_and_a_status_sent_by_the_client(self):
    self.login_as(make_user())
    response = self.api('post', '/api/posts', json=post_payload(status='sold', colour='red'))
    self.assertEqual(response.status_code, 201)
    self.assertEqual(response.get_json()['post']['status'], 'available')

  def test_refuses_anonymous_users(self):
    response = self.api('post', '/api/posts', json=post_payload())
    self.assert_error(response, 401, 'unauthorized')

  def test_refuses_a_missing_csrf_token(self):
    self.login_as(make_user())
    response = self.api('post', '/api/posts', json=post_payload(), csrf=False)
    self.assert_error(response, 400, 'csrf')
    self.assertEqual(self.client.get('/api/posts').get_json()['total'], 0)

  def test_refuses_a_body_that_is_not_json(self):
    self.login_as(make_user())
    response = self.api('post', '/api/posts', data='title=x', content_type='text/plain')
    self.assert_error(response, 415, 'unsupported_media_type')
    response = self.api('post', '/api/posts', data='{"title":', content_type='application/json')
    self.assert_error(response, 400, 'bad_request')

  def test_names_every_bad_field(self):
    self.login_as(make_user())
    bad = {
      'title': '',
      'description': 5,
      'price_cents': -1,
      'category': 'spaceships',
      'condition': 'mint',
      'campus': 'x' * 101,
    }
    response = self.api('post', '/api/posts', json=bad)
    self.assert_error(response, 422, 'validation_error', fields=bad.keys())

  def test_refuses_prices_that_are_not_whole_cents(self):
    self.login_as(make_user())
    for price in ('12', 12.5, True, None, 100_000_001):
      response = self.api('post', '/api/posts', json=post_payload(price_cents=price))
      self.assert_error(response, 422, 'validation_error', fields=['price_cents'])

  def test_requires_every_field_but_campus(self):
    self.login_as(make_user())
    response = self.api('post', '/api/posts', json={})
    self.assert_error(
      response,
      422,
      'validation_error',
      fields=['title', 'description', 'price_cents', 'category', 'condition'],
    )


class GetPostTest(PostTestCase):
  def test_anonymous_users_may_read_a_post(self):
    post = make_post(title='Desk lamp')
    response = self.client.get(f'/api/posts/{post.id}')
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.get_json()['post']['title'], 'Desk lamp')

  def test_unknown_post_is_404(self):
    self.assert_error(self.client.get('/api/posts/999'), 404, 'not_found')
    self.assert_error(self.client.get('/api/posts/99999999999999999999'), 404, 'not_found')
    self.assert_error(self.client.get('/api/posts/-1'), 404, 'not_found')

  def test_a_withdrawn_post_stays_readable_by_id(self):
    post = make_post(status='withdrawn')
    response = self.client.get(f'/api/posts/{post.id}')
    self.assertEqual(response.status_code, 200)
    self.assertEqual(response.get_json()['post']['status'], 'withdrawn')


class UpdatePostTest(PostTestCase):
  def test_seller_edits_the_fields_sent(self):
    downtown = make_campus('downtown')
    seller, post = self.make_post_with_seller(title='Old title', campus_id=downtown.id)
    response = self.api(
      'patch', f'/api/posts/{post.id}', json={'title': 'New title', 'price_cents': 0}
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    body = response.get_json()['post']
    self.assertEqual((body['title'], body['price_cents']), ('New title', 0))
    self.assertEqual(body['campus'], {'slug': 'downtown', 'name': 'Downtown Campus'})
    self.assertEqual(body['description'], post.description)
    response = self.api('patch', f'/api/posts/{post.id}', json={'campus': None})
    self.assertIsNone(response.get_json()['post']['campus'])

  def test_status_cannot_be_edited(self):
    seller, post = self.make_post_with_seller()
    response = self.api('patch', f'/api/posts/{post.id}', json={'status': 'sold'})
    self.assertEqual(response.status_code, 200)
    self.assertEqual(self.reload_post(post.id).status, 'available')

  def test_another_user_may_not_edit(self):
    post = make_post(title='Mine')
    self.login_as(make_user())
    response = self.api('patch', f'/api/posts/{post.id}', json={'title': 'Yours'})
    self.assert_error(response, 403, 'forbidden')
    self.assertEqual(self.reload_post(post.id).title, 'Mine')

  def test_admins_may_not_edit_either(self):
    post = make_post(title='Mine')
    self.login_as(make_user(admin=True))
    response = self.api('patch', f'/api/posts/{post.id}', json={'title': 'Yours'})
    self.assert_error(response, 403, 'forbidden')

  def test_anonymous_users_may_not_edit(self):
    post = make_post(title='Kept')
    response = self.api('patch', f'/api/posts/{post.id}', json={'title': 'x'})
    self.assert_error(response, 401, 'unauthorized')
    self.assertEqual(self.reload_post(post.id).title, 'Kept')

  def test_bad_values_are_422_and_change_nothing(self):
    seller, post = self.make_post_with_seller(title='Kept')
    response = self.api(
      'patch', f'/api/posts/{post.id}', json={'title': 'Changed', 'price_cents': 'free'}
    )
    self.assert_error(response, 422, 'validation_error', fields=['price_cents'])
    response = self.api('patch', f'/api/posts/{post.id}', json={'title': None})
    self.assert_error(response, 422, 'validation_error', fields=['title'])
    self.assertEqual(self.reload_post(post.id).title, 'Kept')

  def test_missing_csrf_and_unknown_post(self):
    seller, post = self.make_post_with_seller()
    response = self.api('patch', f'/api/posts/{post.id}', json={'title': 'x'}, csrf=False)
    self.assert_error(response, 400, 'csrf')
    self.assert_error(self.api('patch', '/api/posts/999', json={}), 404, 'not_found')

  def test_sold_or_withdrawn_posts_cannot_change(self):
    seller = make_user()
    self.login_as(seller)
    for status in ('sold', 'withdrawn'):
      post = make_post(seller=seller, status=status)
      response = self.api('patch', f'/api/posts/{post.id}', json={'title': 'x'})
      self.assert_error(response, 409, 'conflict')


def db_seller(post):
  from app.extensions import db
  from app.users.UserModels import User

  return db.session.get(User, post.seller_id)


class WithdrawPostTest(PostTestCase):
  def test_seller_withdraws_and_the_post_leaves_the_lists(self):
    seller, post = self.make_post_with_seller()
    response = self.api('delete', f'/api/posts/{post.id}')
    self.assertEqual(response.status_code, 204)
    self.assertEqual(self.reload_post(post.id).status, 'withdrawn')
    anonymous = self.new_client()
    self.assertEqual(anonymous.get('/api/posts').get_json()['total'], 0)
    self.assertEqual(anonymous.get('/api/posts?status=withdrawn').get_json()['total'], 1)

  def test_admin_may_withdraw_any_post(self):
    post = make_post()
    self.login_as(make_user(admin=True))
    self.assertEqual(self.api('delete', f'/api/posts/{post.id}').status_code, 204)
    self.assertEqual(self.reload_post(post.id).status, 'withdrawn')

  def test_another_user_may_not_withdraw(self):
    post = make_post()
    self.login_as(make_user())
    self.assert_error(self.api('delete', f'/api/posts/{post.id}'), 403, 'forbidden')
    self.assertEqual(self.reload_post(post.id).status, 'available')

  def test_refusals(self):
    post = make_post()
    self.assert_error(self.api('delete', f'/api/posts/{post.id}'), 401, 'unauthorized')
    self.login_as(db_seller(post))
    self.assert_error(self.api('delete', f'/api/posts/{post.id}', csrf=False), 400, 'csrf')
    self.assert_error(self.api('delete', '/api/posts/999'), 404, 'not_found')
    self.assertEqual(self.reload_post(post.id).status, 'available')

  def test_withdrawing_twice_or_a_sold_post_is_409(self):
    seller, post = self.make_post_with_seller()
    self.api('delete', f'/api/posts/{post.id}')
    self.assert_error(self.api('delete', f'/api/posts/{post.id}'), 409, 'conflict')
    sold = make_post(seller=seller, status='sold')
    self.assert_error(self.api('delete', f'/api/posts/{sold.id}'), 409, 'conflict')
    self.assertEqual(self.reload_post(sold.id).status, 'sold')

  def test_withdrawing_declines_the_queue(self):
    seller, post = self.make_post_with_seller()
    buyer, buyer_client = self.make_buyer()
    dib = self.call_dibs(post.id, buyer_client)
    self.assertEqual(self.api('delete', f'/api/posts/{post.id}').status_code, 204)
    self.assertEqual(self.dib_statuses(post.id), {dib['id']: 'declined'})


class UserPostsTest(PostTestCase):
  def test_lists_one_users_posts_to_anyone(self):
    seller = make_user(username='sam_sells')
    make_post(seller=seller, title='First')
    make_post(seller=seller, title='Second', category='bikes')
    make_post(title='Somebody else')
    response = self.client.get('/api/users/sam_sells/posts')
    self.assertEqual(response.status_code, 200)
    body = response.get_json()
    self.assertEqual([item['title'] for item in body['items']], ['Second', 'First'])
    self.assertEqual(body['total'], 2)
    filtered = self.client.get('/api/users/sam_sells/posts?category=bikes').get_json()
    self.assertEqual([item['title'] for item in filtered['items']], ['Second'])

  def test_unknown_user_is_404_and_bad_filters_422(self):
    self.assert_error(self.client.get('/api/users/nobody_here/posts'), 404, 'not_found')
    make_user(username='sam_sells')
    response = self.client.get('/api/users/sam_sells/posts?category=boats')
    self.assert_error(response, 422, 'validation_error', fields=['category'])

  def test_every_category_can_be_posted(self):
    self.login_as(make_user())
    for category in CATEGORIES:
      response = self.api('post', '/api/posts', json=post_payload(category=category))
      self.assertEqual(response.status_code, 201, category)
