"""Held for review: a post with a prohibited term, or beyond the third of an account younger
than a day, waits for a moderator; only its seller (who sees it waiting) and moderators read
it, the cached public reads never show it; moderators approve or remove it (logged); an edit
that adds a prohibited term holds the post again."""

from datetime import timedelta
from unittest.mock import patch

from sqlalchemy import select

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.moderation.ModerationModels import ModerationAction
from app.posts.PostModels import Post
from tests import factories
from tests.moderation.test_ReportApi import ReportTestCase, verified_user
from tests.posts.PostTestCase import post_payload

OLD_ENOUGH = {'created_at': utc_now() - timedelta(days=3)}


class HeldPostTestCase(ReportTestCase):
  def setUp(self):
    super().setUp()
    self.student = verified_user('stan_student', **OLD_ENOUGH)
    self.student_client = self.logged_in_client(self.student)

  def create(self, client=None, **fields):
    response = self.api('post', '/api/posts', json=post_payload(**fields), client=client)
    self.assertEqual(response.status_code, 201, response.get_data(as_text=True))
    return response.get_json()['post']

  def listed_ids(self, path='/api/posts'):
    return [post['id'] for post in self.client.get(path).get_json()['items']]

  def decide(self, post_id, action, user=None, reason=None):
    body = {'action': action}
    if reason is not None:
      body['reason'] = reason
    client = self.logged_in_client(user or self.moderator)
    return self.api(
      'post', f'/api/moderation/held-posts/{post_id}/decision', json=body, client=client
    )


class ProhibitedTermsTest(HeldPostTestCase):
  def test_a_prohibited_term_holds_the_post_for_its_seller_and_moderators_only(self):
    post = self.create(self.student_client, title='Vintage hunting GUNS display case')
    self.assertEqual(post['moderation_state'], 'in_review')
    self.assertEqual(post['moderation_reason'], 'it mentions guns')
    self.assertNotIn(post['id'], self.listed_ids())
    self.assertNotIn(post['id'], self.listed_ids('/api/users/stan_student/posts'))
    self.assertNotIn(post['id'], self.listed_ids('/api/search/posts?q=display'))
    self.assert_error(self.client.get(f'/api/posts/{post["id"]}'), 404, 'not_found')
    stranger = self.logged_in_client(self.reporters[0])
    self.assert_error(stranger.get(f'/api/posts/{post["id"]}'), 404, 'not_found')
    # A buyer who guesses the id cannot call dibs on it either.
    response = self.api('post', f'/api/posts/{post["id"]}/dibs', client=stranger)
    self.assert_error(response, 404, 'not_found')
    mine = self.student_client.get(f'/api/posts/{post["id"]}')
    self.assertEqual(mine.get_json()['post']['moderation_state'], 'in_review')
    self.assertNotIn('ETag', mine.headers)
    held = self.student_client.get('/api/users/me/moderated-posts').get_json()
    self.assertEqual([item['id'] for item in held['items']], [post['id']])
    moderator = self.logged_in_client(self.moderator)
    self.assertEqual(moderator.get(f'/api/posts/{post["id"]}').status_code, 200)

  def test_only_whole_words_of_the_configured_list_hold_a_post(self):
    for title in ('Gunther’s desk lamp', 'Begun knitting kit', 'Drugstore gift card'):
      post = self.create(self.student_client, title=title)
      self.assertIsNone(post['moderation_state'], title)
    post = self.create(self.student_client, description='Unopened alcohol-free wine.')
    self.assertEqual(post['moderation_state'], 'in_review')
    original = self.app.config['MODERATION_PROHIBITED_TERMS']
    self.app.config['MODERATION_PROHIBITED_TERMS'] = ['fireworks', 'rc car']
    try:
      self.assertIsNone(
        self.create(self.student_client, title='Gun-shaped lighter')['moderation_state']
      )
      held = self.create(self.student_client, title='Fast RC Car, barely used')
      self.assertEqual(held['moderation_reason'], 'it mentions rc car')
    finally:
      self.app.config['MODERATION_PROHIBITED_TERMS'] = original

  def test_an_edit_that_adds_a_prohibited_term_holds_the_post_again(self):
    post = self.create(self.student_client, title='Camping stove')
    self.assertIn(post['id'], self.listed_ids())
    path = f'/api/posts/{post["id"]}'
    response = self.api(
      'patch', path, json={'description': 'Comes with alcohol burner.'}, client=self.student_client
    )
    self.assertEqual(response.get_json()['post']['moderation_state'], 'in_review')
    self.assertNotIn(post['id'], self.listed_ids())
    self.assertEqual(self.decide(post['id'], 'approve').status_code, 200)
    self.assertIn(post['id'], self.listed_ids())
    # The approved term again (and a price change) holds nothing; a new term does.
    response = self.api('patch', path, json={'price_cents': 100}, client=self.student_client)
    self.assertIsNone(response.get_json()['post']['moderation_state'])
    response = self.api(
      'patch', path, json={'title': 'Camping stove and drugs'}, client=self.student_client
    )
    self.assertEqual(response.get_json()['post']['moderation_reason'], 'it mentions drugs')
    self.assertNotIn(post['id'], self.listed_ids())

  def test_the_cached_public_reads_never_show_a_held_post(self):
    listed = self.create(self.student_client, title='Desk lamp')
    first = self.client.get('/api/posts')
    self.assertTrue(first.headers.get('ETag'))
    self.assertEqual(self.client.get('/api/posts').headers['ETag'], first.headers['ETag'])
    held = self.create(self.student_client, title='Weapon replica')
    again = self.client.get('/api/posts')
    again_ids = [item['id'] for item in again.get_json()['items']]
    self.assertIn(listed['id'], again_ids)
    self.assertNotIn(held['id'], again_ids)
    self.assert_error(self.client.get(f'/api/posts/{held["id"]}'), 404, 'not_found')
    # The seller's personal read was not stored for the others.
    self.student_client.get(f'/api/posts/{held["id"]}')
    self.assert_error(self.client.get(f'/api/posts/{held["id"]}'), 404, 'not_found')
    self.decide(held['id'], 'approve')
    self.assertEqual(self.listed_ids()[:2], [held['id'], listed['id']])
    self.assertEqual(self.client.get(f'/api/posts/{held["id"]}').status_code, 200)


class YoungAccountTest(HeldPostTestCase):
  def test_a_new_account_posts_three_then_waits_for_review_until_a_day_old(self):
    newcomer = factories.make_user('nina_new')
    client = self.logged_in_client(newcomer)
    posts = [self.create(client, title=f'Book {number}') for number in range(3)]
    self.assertEqual([post['moderation_state'] for post in posts], [None, None, None])
    fourth = self.create(client, title='Book 4')
    self.assertEqual(fourth['moderation_state'], 'in_review')
    self.assertIn('first 24 hours', fourth['moderation_reason'])
    self.assertNotIn(fourth['id'], self.listed_ids())
    later = utc_now() + timedelta(hours=24, minutes=1)
    with patch('app.posts.PostReviewHelpers.utc_now', return_value=later):
      fifth = self.create(client, title='Book 5')
    self.assertIsNone(fifth['moderation_state'])

  def test_an_account_older_than_a_day_is_not_held(self):
    for number in range(5):
      self.assertIsNone(self.create(self.student_client, title=f'Mug {number}')['moderation_state'])


class HeldDecisionTest(HeldPostTestCase):
  def setUp(self):
    super().setUp()
    self.held = self.create(self.student_client, title='Bottle of alcohol, sealed')

  def audit_actions(self):
    rows = db.session.execute(select(ModerationAction).order_by(ModerationAction.id)).scalars()
    return [(row.action, row.target_type, row.target_id, row.moderator_id) for row in rows]

  def test_moderators_list_held_posts_and_students_are_refused(self):
    response = self.logged_in_client(self.moderator).get('/api/moderation/held-posts')
    self.assertEqual([post['id'] for post in response.get_json()['items']], [self.held['id']])
    self.assert_error(self.student_client.get('/api/moderation/held-posts'), 403, 'forbidden')
    self.assert_error(self.decide(self.held['id'], 'approve', self.reporters[0]), 403, 'forbidden')
    self.assert_error(self.new_client().get('/api/moderation/held-posts'), 401, 'unauthorized')

  def test_approving_lists_the_post_and_is_logged(self):
    response = self.decide(self.held['id'], 'approve')
    self.assertEqual(response.status_code, 200, response.get_json())
    self.assertIsNone(response.get_json()['post']['moderation_state'])
    self.assertIn(self.held['id'], self.listed_ids())
    self.assertEqual(
      self.audit_actions(), [('approve_post', 'post', self.held['id'], self.moderator.id)]
    )
    empty = self.student_client.get('/api/users/me/moderated-posts').get_json()
    self.assertEqual(empty['items'], [])
    self.assert_error(self.decide(self.held['id'], 'approve'), 409, 'conflict')

  def test_removing_tells_the_seller_why_and_is_logged(self):
    response = self.decide(self.held['id'], 'remove', reason='Alcohol cannot be sold here.')
    self.assertEqual(response.get_json()['post']['moderation_state'], 'removed')
    self.assertNotIn(self.held['id'], self.listed_ids())
    (notice,) = self.notifications_of(self.student, 'post_hidden')
    self.assertEqual(notice.payload['reason'], 'Alcohol cannot be sold here.')
    self.assertEqual(
      self.audit_actions(), [('remove_post', 'post', self.held['id'], self.moderator.id)]
    )
    mine = self.student_client.get('/api/users/me/moderated-posts').get_json()['items']
    self.assertEqual(
      [(item['id'], item['moderation_state']) for item in mine], [(self.held['id'], 'removed')]
    )
    admin = self.logged_in_client(self.admin)
    audit = admin.get('/api/moderation/audit?action=remove_post').get_json()['items']
    self.assertEqual([entry['target_id'] for entry in audit], [self.held['id']])

  def test_refusals(self):
    own = self.create(self.logged_in_client(self.moderator), title='My spare guns')
    self.assert_error(self.decide(own['id'], 'approve'), 403, 'forbidden')
    self.assertEqual(self.decide(own['id'], 'approve', self.admin).status_code, 200)
    self.assert_error(self.decide(self.held['id'], 'hide'), 422, 'validation_error', ['action'])
    self.assert_error(self.decide(999999, 'approve'), 404, 'not_found')
    listed = self.create(self.student_client, title='Plain chair')
    self.assert_error(self.decide(listed['id'], 'remove'), 409, 'conflict')
    self.assertEqual(db.session.get(Post, listed['id']).moderation_state, None)
