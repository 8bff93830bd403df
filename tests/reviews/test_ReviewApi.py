"""Reviews after a sale through the API: the window a sale opens, double-blind publication,
ratings on profiles and post cards, and every refusal (no sale, a second review, oneself, a
closed window, bad input)."""

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.reviews.ReviewHelpers import submit_review
from app.users.UserModels import User
from tests.factories import make_post, make_user
from tests.posts.HoldTestCase import Side
from tests.reviews.ReviewTestCase import ReviewTestCase


class ReviewWindowTest(ReviewTestCase):
  def test_a_sale_opens_a_window_and_invites_both_sides(self):
    self.make_sale()
    self.assertEqual(self.kinds_of(self.buyer.id).count('review_invite'), 1)
    self.assertEqual(self.kinds_of(self.seller.id).count('review_invite'), 1)
    invite = self.notifications(self.buyer.client)['items'][0]
    self.assertEqual(invite['kind'], 'review_invite')
    self.assertEqual(invite['link'], f'/posts/{self.post.id}/review')
    self.assertIn(self.seller.user.username, invite['text'])
    subjects = [subject for subject, _ in self.mails_to(self.buyer.user.email)]
    self.assertIn('Review your sale on Dibz', subjects)
    mine = self.window(self.buyer)
    self.assertEqual(mine['role'], 'buyer')
    self.assertEqual(mine['other_user']['username'], self.seller.user.username)
    self.assertTrue(mine['can_review'])
    self.assertFalse(mine['published'])
    self.assertIsNone(mine['my_review'])
    self.assertEqual(self.window(self.seller)['role'], 'seller')
    row = self.window_row()
    self.assertEqual((row.closes_at - row.opened_at).days, 14)

  def test_the_invite_mail_follows_the_users_settings(self):
    self.make_queue(buyers=1)
    self.buyer = self.buyers[0]
    response = self.api(
      'patch',
      '/api/users/me',
      json={'notification_settings': {'review_invite': False}},
      client=self.buyer.client,
    )
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(self.api('post', f'/api/posts/{self.post.id}/sold').status_code, 200)
    subjects = [subject for subject, _ in self.mails_to(self.buyer.user.email)]
    self.assertNotIn('Review your sale on Dibz', subjects)
    self.assertEqual(self.kinds_of(self.buyer.id).count('review_invite'), 1)

  def test_only_the_two_sides_of_a_sale_see_its_window(self):
    self.make_sale(buyers=2)
    stranger = self.buyers[1]
    error = self.assert_error(
      stranger.client.get(f'/api/posts/{self.post.id}/review-window'), 404, 'not_found'
    )
    self.assertIn('no sale of yours', error['message'])
    unsold = make_post(seller=self.seller.user)
    self.assert_error(
      self.seller.client.get(f'/api/posts/{unsold.id}/review-window'), 404, 'not_found'
    )
    self.assert_error(self.seller.client.get('/api/posts/999999/review-window'), 404, 'not_found')
    self.assert_error(
      self.new_client().get(f'/api/posts/{self.post.id}/review-window'), 401, 'unauthorized'
    )


class DoubleBlindTest(ReviewTestCase):
  def test_one_review_stays_hidden_and_the_other_side_is_told_only_that(self):
    self.make_sale()
    body = self.review(
      self.buyer, self.seller, stars=4, text='Smooth handover.', tags=['on_time', 'friendly']
    )
    review = body['review']
    self.assertEqual(review['stars'], 4)
    self.assertEqual(review['tags'], ['on_time', 'friendly'])
    self.assertEqual(review['role'], 'buyer')
    self.assertIsNone(review['published_at'])
    listed = self.public_reviews(self.seller.user.username)
    self.assertEqual(listed['items'], [])
    self.assertEqual(listed['rating'], {'average': None, 'count': 0})
    seller_view = self.window(self.seller)
    self.assertTrue(seller_view['other_has_reviewed'])
    self.assertIsNone(seller_view['their_review'])
    received = self.notifications(self.seller.client)['items'][0]
    self.assertEqual(received['kind'], 'review_received')
    self.assertNotIn('Smooth', received['text'])
    self.assertNotIn('stars', received['payload'])
    self.assertEqual(self.rating_columns(self.seller), (0, 0))

  def test_both_reviews_are_published_together_on_both_profiles(self):
    self.make_sale()
    seller_name, buyer_name = self.seller.user.username, self.buyer.user.username
    # Read (and cache) the public answers before: the publication must reach them.
    self.assertEqual(self.public_reviews(seller_name)['total'], 0)
    self.assertEqual(self.public_reviews(buyer_name)['total'], 0)
    self.review(self.buyer, self.seller, stars=4, text='Good lamp.')
    second = self.review(self.seller, self.buyer, stars=5, tags=['easy_to_deal_with'])
    self.assertIsNotNone(second['review']['published_at'])
    of_seller = self.public_reviews(seller_name)
    self.assertEqual(of_seller['rating'], {'average': 4.0, 'count': 1})
    self.assertEqual(of_seller['items'][0]['text'], 'Good lamp.')
    self.assertEqual(of_seller['items'][0]['reviewer']['username'], buyer_name)
    self.assertEqual(of_seller['items'][0]['post'], {'id': self.post.id, 'title': self.post.title})
    of_buyer = self.public_reviews(buyer_name)
    self.assertEqual(of_buyer['rating'], {'average': 5.0, 'count': 1})
    self.assertEqual(of_buyer['items'][0]['role'], 'seller')
    profile = self.new_client().get(f'/api/users/{seller_name}').get_json()['user']
    self.assertEqual(profile['rating'], {'average': 4.0, 'count': 1})
    self.assertNotIn('email', profile)
    seller_view = self.window(self.seller)
    self.assertTrue(seller_view['published'])
    self.assertFalse(seller_view['can_review'])
    self.assertEqual(seller_view['their_review']['stars'], 4)
    self.assertEqual(self.kinds_of(self.seller.id).count('review_published'), 1)
    self.assertEqual(self.kinds_of(self.buyer.id).count('review_published'), 1)
    self.assertEqual(self.rating_columns(self.seller), (1, 4))
    self.assertIsNotNone(self.window_row().published_at)

  def test_post_cards_and_the_post_page_show_the_sellers_rating(self):
    self.make_sale()
    self.review(self.buyer, self.seller, stars=3)
    self.review(self.seller, self.buyer, stars=5)
    other = make_post(seller=self.seller.user, title='Another lamp')
    detail = self.new_client().get(f'/api/posts/{self.post.id}').get_json()['post']
    self.assertEqual(detail['seller']['rating'], {'average': 3.0, 'count': 1})
    cards = self.new_client().get('/api/posts').get_json()['items']
    card = next(item for item in cards if item['id'] == other.id)
    self.assertEqual(card['seller']['rating'], {'average': 3.0, 'count': 1})
    found = self.new_client().get('/api/search/posts', query_string={'q': 'lamp'}).get_json()
    self.assertTrue(all('rating' in item['seller'] for item in found['items']))

  def test_the_average_has_one_decimal_rounded_half_up(self):
    seller = make_user()
    seller.review_count, seller.review_stars_total = 3, 13  # 4.333…
    db.session.commit()
    self.assertEqual(self.public_reviews(seller.username)['rating'], {'average': 4.3, 'count': 3})
    seller.review_count, seller.review_stars_total = 4, 15  # 3.75
    db.session.commit()
    self.assertEqual(self.public_reviews(seller.username)['rating']['average'], 3.8)


class RefusalTest(ReviewTestCase):
  def test_no_review_without_a_sale_between_the_two(self):
    self.make_sale(buyers=2)
    outsider = self.buyers[1]
    error = self.assert_error(
      self.api(
        'post',
        f'/api/users/{self.seller.user.username}/reviews',
        json={'post_id': self.post.id, 'stars': 1},
        client=outsider.client,
      ),
      403,
      'forbidden',
    )
    self.assertIn('sale you took part in', error['message'])
    # The buyer cannot aim the sale at someone else either.
    self.review(self.buyer, outsider, status=403)
    # A post with an accepted dib but no sale yet opens nothing.
    pending = make_post(seller=self.seller.user)
    dib = self.call_dibs(pending.id, outsider.client)
    self.assertEqual(self.api('post', f'/api/dibs/{dib["id"]}/accept').status_code, 200)
    self.review(outsider, self.seller, post_id=pending.id, status=403)
    self.review(self.buyer, self.seller, post_id=999999, status=403)
    self.assertEqual(self.review_rows(), [])

  def test_a_second_review_is_a_409(self):
    self.make_sale()
    self.review(self.buyer, self.seller, stars=2)
    body = self.review(self.buyer, self.seller, stars=5, status=409)
    self.assertIn('already reviewed', body['error']['message'])
    self.assertEqual([row.stars for row in self.review_rows()], [2])

  def test_nobody_reviews_themselves(self):
    self.make_sale()
    body = self.review(self.seller, self.seller, status=422)
    self.assertEqual(body['error']['message'], 'You cannot review yourself.')
    self.assertEqual(self.review_rows(), [])

  def test_a_closed_window_takes_no_review(self):
    self.make_sale()
    with self.review_clock(days=13, hours=23):
      self.review(self.buyer, self.seller, stars=4)
    with self.review_clock(days=14, seconds=1):
      body = self.review(self.seller, self.buyer, status=409)
      self.assertIn('14 days to review this sale ended', body['error']['message'])
      self.assertFalse(self.window(self.seller)['can_review'])
    self.assertEqual(len(self.review_rows()), 1)

  def test_an_unknown_user_is_a_404(self):
    self.make_sale()
    self.assert_error(
      self.api(
        'post',
        '/api/users/nobody-here/reviews',
        json={'post_id': self.post.id, 'stars': 4},
        client=self.buyer.client,
      ),
      404,
      'not_found',
    )
    self.assertEqual(self.new_client().get('/api/users/nobody-here/reviews').status_code, 404)

  def test_bad_bodies_name_each_field(self):
    self.make_sale()
    path = f'/api/users/{self.seller.user.username}/reviews'
    cases = [
      ({'post_id': self.post.id}, ['stars']),
      ({'post_id': self.post.id, 'stars': 0}, ['stars']),
      ({'post_id': self.post.id, 'stars': 6}, ['stars']),
      ({'post_id': self.post.id, 'stars': '5'}, ['stars']),
      ({'post_id': self.post.id, 'stars': True}, ['stars']),
      ({'post_id': self.post.id, 'stars': 4, 'text': 'x' * 501}, ['text']),
      ({'post_id': self.post.id, 'stars': 4, 'tags': ['rude']}, ['tags']),
      ({'post_id': self.post.id, 'stars': 4, 'tags': ['on_time', 'on_time']}, ['tags']),
      ({'post_id': self.post.id, 'stars': 4, 'tags': 'on_time'}, ['tags']),
      ({'stars': 4}, ['post_id']),
      ({'post_id': 'one', 'stars': 4}, ['post_id']),
    ]
    for body, fields in cases:
      with self.subTest(body=body):
        response = self.api('post', path, json=body, client=self.buyer.client)
        self.assert_error(response, 422, 'validation_error', fields)
    self.assertEqual(self.review_rows(), [])
    # At the limit: 500 characters and every tag once.
    self.review(
      self.buyer,
      self.seller,
      stars=1,
      text='y' * 500,
      tags=['on_time', 'as_described', 'friendly', 'easy_to_deal_with'],
    )

  def test_a_suspended_user_cannot_review(self):
    self.make_sale()
    user = db.session.get(User, self.buyer.id)
    user.suspended_at = utc_now()
    user.suspension_reason = 'Spam.'
    db.session.commit()
    # Their session ends with the suspension: the API answers 401 before anything else.
    self.assert_error(
      self.api(
        'post',
        f'/api/users/{self.seller.user.username}/reviews',
        json={'post_id': self.post.id, 'stars': 1},
        client=self.buyer.client,
      ),
      401,
      'unauthorized',
    )
    # And the rule holds without HTTP too.
    with self.assertRaises(ApiError) as raised:
      submit_review(user, self.seller.user.username, self.post.id, 1, '', [])
    self.assertEqual(raised.exception.status, 403)
    db.session.rollback()
    self.assertEqual(self.review_rows(), [])


class PaginationTest(ReviewTestCase):
  def sell_and_review_both(self, seller_side, stars):
    """A new sale by `seller_side`, both sides reviewed."""
    post = make_post(seller=seller_side.user)
    buyer_user = make_user()
    buyer = Side(buyer_user, self.logged_in_client(buyer_user))
    dib = self.call_dibs(post.id, buyer.client)
    for step in (f'/api/dibs/{dib["id"]}/accept', f'/api/posts/{post.id}/sold'):
      self.assertEqual(self.api('post', step, client=seller_side.client).status_code, 200)
    self.review(buyer, seller_side, post_id=post.id, stars=stars, text=f'{stars} stars')
    self.review(seller_side, buyer, post_id=post.id, stars=5)
    return post

  def test_published_reviews_are_paged_newest_first_in_constant_queries(self):
    seller_user = make_user()
    seller = Side(seller_user, self.logged_in_client(seller_user))
    for stars in (5, 4, 4):
      self.sell_and_review_both(seller, stars)
    first = self.public_reviews(seller_user.username, per_page=2)
    self.assertEqual((first['total'], first['page'], first['per_page']), (3, 1, 2))
    self.assertEqual([item['text'] for item in first['items']], ['4 stars', '4 stars'])
    second = self.public_reviews(seller_user.username, per_page=2, page=2)
    self.assertEqual([item['text'] for item in second['items']], ['5 stars'])
    self.assertEqual(first['rating'], {'average': 4.3, 'count': 3})
    bad = self.new_client().get(f'/api/users/{seller_user.username}/reviews?per_page=0')
    self.assert_error(bad, 422, 'validation_error', ['per_page'])
    self.app.config['RESPONSE_CACHE_ENABLED'] = False
    try:
      with self.count_queries() as one_page:
        self.public_reviews(seller_user.username, per_page=1)
      with self.count_queries() as three:
        self.public_reviews(seller_user.username, per_page=3)
    finally:
      self.app.config['RESPONSE_CACHE_ENABLED'] = True
    self.assertEqual(len(one_page), len(three), three)
