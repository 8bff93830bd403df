"""The dibs queue through the API: call, cancel, view, accept, decline, sold, my dibs."""

from app.common.CommonErrors import ApiError
from app.posts.PostHelpers import transition_post
from tests.factories import make_post, make_user
from tests.posts.PostTestCase import PostTestCase


class CallDibsTest(PostTestCase):
  def test_buyers_queue_in_arrival_order(self):
    seller, post = self.make_post_with_seller()
    first, first_client = self.make_buyer()
    second, second_client = self.make_buyer()
    dib = self.call_dibs(post.id, first_client)
    self.assertEqual(dib['position'], 1)
    self.assertEqual(dib['status'], 'waiting')
    self.assertEqual(dib['post_id'], post.id)
    self.assertEqual(dib['user']['username'], first.username)
    self.assertEqual(self.call_dibs(post.id, second_client)['position'], 2)
    body = self.client.get(f'/api/posts/{post.id}').get_json()['post']
    self.assertEqual(body['dibs_count'], 2)

  def test_one_live_dib_per_buyer(self):
    seller, post = self.make_post_with_seller()
    buyer, buyer_client = self.make_buyer()
    self.call_dibs(post.id, buyer_client)
    response = self.api('post', f'/api/posts/{post.id}/dibs', client=buyer_client)
    self.assert_error(response, 409, 'conflict')
    self.assertEqual(len(self.dib_statuses(post.id)), 1)

  def test_a_buyer_who_cancelled_may_queue_again_at_the_end(self):
    seller, post = self.make_post_with_seller()
    buyer, buyer_client = self.make_buyer()
    other, other_client = self.make_buyer()
    self.call_dibs(post.id, buyer_client)
    self.call_dibs(post.id, other_client)
    self.api('delete', f'/api/posts/{post.id}/dibs', client=buyer_client)
    self.assertEqual(self.call_dibs(post.id, buyer_client)['position'], 2)

  def test_no_dibs_on_your_own_post(self):
    seller, post = self.make_post_with_seller()
    response = self.api('post', f'/api/posts/{post.id}/dibs')
    self.assert_error(response, 409, 'conflict')

  def test_no_dibs_on_sold_or_withdrawn_posts_but_pending_ones_queue(self):
    buyer, buyer_client = self.make_buyer()
    for status in ('sold', 'withdrawn'):
      post = make_post(status=status)
      response = self.api('post', f'/api/posts/{post.id}/dibs', client=buyer_client)
      self.assert_error(response, 409, 'conflict')
    pending = make_post(status='pending')
    self.assertEqual(self.call_dibs(pending.id, buyer_client)['position'], 1)

  def test_refusals(self):
    post = make_post()
    response = self.api('post', f'/api/posts/{post.id}/dibs')
    self.assert_error(response, 401, 'unauthorized')
    self.login_as(make_user())
    response = self.api('post', f'/api/posts/{post.id}/dibs', csrf=False)
    self.assert_error(response, 400, 'csrf')
    self.assert_error(self.api('post', '/api/posts/999/dibs'), 404, 'not_found')
    self.assertEqual(self.dib_statuses(post.id), {})


class CancelDibsTest(PostTestCase):
  def test_cancelling_closes_the_gap(self):
    seller, post = self.make_post_with_seller()
    clients = [self.make_buyer()[1] for _ in range(3)]
    dibs = [self.call_dibs(post.id, client) for client in clients]
    response = self.api('delete', f'/api/posts/{post.id}/dibs', client=clients[0])
    self.assertEqual(response.status_code, 204)
    self.assertEqual(self.dib_statuses(post.id)[dibs[0]['id']], 'cancelled')
    view = self.api('get', f'/api/posts/{post.id}/dibs', client=clients[2]).get_json()
    self.assertEqual(view, {'count': 2, 'my_position': 2, 'my_status': 'waiting'})
    queue = self.client.get(f'/api/posts/{post.id}/dibs').get_json()['items']
    self.assertEqual(
      [(dib['id'], dib['position']) for dib in queue], [(dibs[1]['id'], 1), (dibs[2]['id'], 2)]
    )

  def test_cancelling_the_accepted_dib_makes_the_post_available(self):
    seller, post = self.make_post_with_seller()
    buyer, buyer_client = self.make_buyer()
    dib = self.call_dibs(post.id, buyer_client)
    self.api('post', f'/api/dibs/{dib["id"]}/accept')
    self.assertEqual(self.reload_post(post.id).status, 'pending')
    self.api('delete', f'/api/posts/{post.id}/dibs', client=buyer_client)
    self.assertEqual(self.reload_post(post.id).status, 'available')

  def test_refusals(self):
    seller, post = self.make_post_with_seller()
    anonymous = self.new_client()
    response = self.api('delete', f'/api/posts/{post.id}/dibs', client=anonymous)
    self.assert_error(response, 401, 'unauthorized')
    buyer, buyer_client = self.make_buyer()
    response = self.api('delete', f'/api/posts/{post.id}/dibs', client=buyer_client)
    self.assert_error(response, 404, 'not_found')
    self.call_dibs(post.id, buyer_client)
    response = self.api('delete', f'/api/posts/{post.id}/dibs', client=buyer_client, csrf=False)
    self.assert_error(response, 400, 'csrf')
    self.assertEqual(list(self.dib_statuses(post.id).values()), ['waiting'])

  def test_the_buyer_of_a_sold_post_cannot_cancel(self):
    seller, post = self.make_post_with_seller()
    buyer, buyer_client = self.make_buyer()
    dib = self.call_dibs(post.id, buyer_client)
    self.api('post', f'/api/dibs/{dib["id"]}/accept')
    self.assertEqual(self.api('post', f'/api/posts/{post.id}/sold').status_code, 200)
    response = self.api('delete', f'/api/posts/{post.id}/dibs', client=buyer_client)
    self.assert_error(response, 409, 'conflict')


class QueueViewTest(PostTestCase):
  def test_seller_sees_the_queue_and_others_their_place(self):
    seller, post = self.make_post_with_seller()
    first, first_client = self.make_buyer()
    second, second_client = self.make_buyer()
    self.call_dibs(post.id, first_client)
    self.call_dibs(post.id, second_client)
    queue = self.client.get(f'/api/posts/{post.id}/dibs').get_json()
    self.assertEqual(
      [(dib['user']['username'], dib['position']) for dib in queue['items']],
      [(first.username, 1), (second.username, 2)],
    )
    view = second_client.get(f'/api/posts/{post.id}/dibs').get_json()
    self.assertEqual(view, {'count': 2, 'my_position': 2, 'my_status': 'waiting'})
    stranger_client = self.make_buyer()[1]
    view = stranger_client.get(f'/api/posts/{post.id}/dibs').get_json()
    self.assertEqual(view, {'count': 2, 'my_position': None, 'my_status': None})

  def test_refusals(self):
    post = make_post()
    self.assert_error(self.client.get(f'/api/posts/{post.id}/dibs'), 401, 'unauthorized')
    self.login_as(make_user())
    self.assert_error(self.client.get('/api/posts/999/dibs'), 404, 'not_found')


class AnswerDibsTest(PostTestCase):
  def queue_of_two(self):
    seller, post = self.make_post_with_seller()
    first_client = self.make_buyer()[1]
    second_client = self.make_buyer()[1]
    return post, self.call_dibs(post.id, first_client), self.call_dibs(post.id, second_client)

  def test_accepting_makes_the_post_pending(self):
    post, first, second = self.queue_of_two()
    response = self.api('post', f'/api/dibs/{second["id"]}/accept')
    self.assertEqual(response.status_code, 200, response.get_json())
    dib = response.get_json()['dib']
    self.assertEqual((dib['status'], dib['position']), ('accepted', 2))
    self.assertEqual(self.reload_post(post.id).status, 'pending')

  def test_only_one_accepted_dib(self):
    post, first, second = self.queue_of_two()
    self.api('post', f'/api/dibs/{first["id"]}/accept')
    response = self.api('post', f'/api/dibs/{second["id"]}/accept')
    self.assert_error(response, 409, 'conflict')
    self.assertEqual(self.dib_statuses(post.id), {first['id']: 'accepted', second['id']: 'waiting'})

  def test_declining_the_accepted_dib_makes_the_post_available_again(self):
    post, first, second = self.queue_of_two()
    self.api('post', f'/api/dibs/{first["id"]}/accept')
    response = self.api('post', f'/api/dibs/{first["id"]}/decline')
    self.assertEqual(response.status_code, 200)
    dib = response.get_json()['dib']
    self.assertEqual((dib['status'], dib['position']), ('declined', None))
    self.assertEqual(self.reload_post(post.id).status, 'available')
    queue = self.client.get(f'/api/posts/{post.id}/dibs').get_json()['items']
    self.assertEqual([(item['id'], item['position']) for item in queue], [(second['id'], 1)])
    self.assertEqual(self.api('post', f'/api/dibs/{second["id"]}/accept').status_code, 200)

  def test_declining_a_waiting_dib_leaves_the_post_as_it_was(self):
    post, first, second = self.queue_of_two()
    self.api('post', f'/api/dibs/{first["id"]}/accept')
    self.assertEqual(self.api('post', f'/api/dibs/{second["id"]}/decline').status_code, 200)
    self.assertEqual(self.reload_post(post.id).status, 'pending')

  def test_answered_dibs_cannot_be_answered_again(self):
    post, first, second = self.queue_of_two()
    self.api('post', f'/api/dibs/{first["id"]}/decline')
    self.assert_error(self.api('post', f'/api/dibs/{first["id"]}/decline'), 409, 'conflict')
    self.assert_error(self.api('post', f'/api/dibs/{first["id"]}/accept'), 409, 'conflict')

  def test_only_the_seller_answers(self):
    post, first, second = self.queue_of_two()
    buyer_client = self.logged_in_client(make_user(admin=True))
    for action in ('accept', 'decline'):
      response = self.api('post', f'/api/dibs/{first["id"]}/{action}', client=buyer_client)
      self.assert_error(response, 403, 'forbidden')
    self.assertEqual(self.dib_statuses(post.id)[first['id']], 'waiting')

  def test_refusals(self):
    post, first, second = self.queue_of_two()
    anonymous = self.new_client()
    response = self.api('post', f'/api/dibs/{first["id"]}/accept', client=anonymous)
    self.assert_error(response, 401, 'unauthorized')
    response = self.api('post', f'/api/dibs/{first["id"]}/accept', csrf=False)
    self.assert_error(response, 400, 'csrf')
    self.assert_error(self.api('post', '/api/dibs/999/accept'), 404, 'not_found')
    self.assert_error(self.api('post', '/api/dibs/999/decline'), 404, 'not_found')
    response = self.api('post', '/api/dibs/99999999999999999999/accept')
    self.assert_error(response, 404, 'not_found')
    response = self.api('post', '/api/posts/99999999999999999999/dibs')
    self.assert_error(response, 404, 'not_found')
    self.assertEqual(self.reload_post(post.id).status, 'available')


class SoldTest(PostTestCase):
  def test_sold_needs_an_accepted_dib(self):
    seller, post = self.make_post_with_seller()
    self.assert_error(self.api('post', f'/api/posts/{post.id}/sold'), 409, 'conflict')
    buyer_client = self.make_buyer()[1]
    waiting_client = self.make_buyer()[1]
    dib = self.call_dibs(post.id, buyer_client)
    waiting = self.call_dibs(post.id, waiting_client)
    self.assert_error(self.api('post', f'/api/posts/{post.id}/sold'), 409, 'conflict')
    self.api('post', f'/api/dibs/{dib["id"]}/accept')
    response = self.api('post', f'/api/posts/{post.id}/sold')
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertEqual(response.get_json()['post']['status'], 'sold')
    self.assertEqual(self.dib_statuses(post.id), {dib['id']: 'accepted', waiting['id']: 'declined'})
    self.assert_error(self.api('post', f'/api/posts/{post.id}/sold'), 409, 'conflict')
    self.assert_error(self.api('delete', f'/api/posts/{post.id}'), 409, 'conflict')
    self.assert_error(self.api('post', f'/api/dibs/{dib["id"]}/decline'), 409, 'conflict')
    response = self.api('post', f'/api/posts/{post.id}/dibs', client=self.make_buyer()[1])
    self.assert_error(response, 409, 'conflict')

  def test_refusals(self):
    seller, post = self.make_post_with_seller()
    dib = self.call_dibs(post.id, self.make_buyer()[1])
    self.api('post', f'/api/dibs/{dib["id"]}/accept')
    self.assert_error(self.api('post', f'/api/posts/{post.id}/sold', csrf=False), 400, 'csrf')
    other = self.logged_in_client(make_user(admin=True))
    response = self.api('post', f'/api/posts/{post.id}/sold', client=other)
    self.assert_error(response, 403, 'forbidden')
    response = self.api('post', f'/api/posts/{post.id}/sold', client=self.new_client())
    self.assert_error(response, 401, 'unauthorized')
    self.assert_error(self.api('post', '/api/posts/999/sold'), 404, 'not_found')
    self.assertEqual(self.reload_post(post.id).status, 'pending')


class StateMachineTest(PostTestCase):
  def test_only_the_allowed_transitions(self):
    allowed = {
      ('available', 'pending'),
      ('available', 'withdrawn'),
      ('pending', 'available'),
      ('pending', 'sold'),
      ('pending', 'withdrawn'),
    }
    statuses = ('available', 'pending', 'sold', 'withdrawn')
    for old in statuses:
      for new in statuses:
        post = make_post(status=old)
        with self.subTest(old=old, new=new):
          if (old, new) in allowed:
            transition_post(post, new)
            self.assertEqual(post.status, new)
          else:
            with self.assertRaises(ApiError) as caught:
              transition_post(post, new)
            self.assertEqual(caught.exception.status, 409)
            self.assertEqual(post.status, old)


class MyDibsTest(PostTestCase):
  def test_lists_my_dibs_newest_first_each_with_its_post(self):
    buyer, buyer_client = self.make_buyer()
    first_post = make_post(title='Kettle')
    second_post = make_post(title='Toaster')
    self.call_dibs(first_post.id, buyer_client)
    self.call_dibs(second_post.id, buyer_client)
    self.call_dibs(second_post.id, self.make_buyer()[1])
    body = buyer_client.get('/api/users/me/dibs').get_json()
    self.assertEqual(body['total'], 2)
    self.assertEqual([item['post']['title'] for item in body['items']], ['Toaster', 'Kettle'])
    self.assertEqual(body['items'][0]['post']['dibs_count'], 2)
    self.assertEqual(body['items'][0]['position'], 1)
    self.assertEqual(body['items'][0]['user']['username'], buyer.username)

  def test_statement_count_does_not_grow_with_the_page_size(self):
    buyer, buyer_client = self.make_buyer()
    for _ in range(5):
      self.call_dibs(make_post().id, buyer_client)

    def count(per_page):
      with self.count_queries() as queries:
        response = buyer_client.get(f'/api/users/me/dibs?per_page={per_page}')
      self.assertEqual(len(response.get_json()['items']), min(per_page, 5))
      return len(queries)

    self.assertEqual(count(1), count(50))

  def test_refusals(self):
    self.assert_error(self.client.get('/api/users/me/dibs'), 401, 'unauthorized')
    self.login_as(make_user())
    response = self.client.get('/api/users/me/dibs?per_page=500')
    self.assert_error(response, 422, 'validation_error', fields=['per_page'])
