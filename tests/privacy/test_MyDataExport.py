"""Downloading my data: one JSON file with everything Dibz holds about me (never a secret),
rate-limited, sections added by other areas through CommonAccountHooks."""

from app.common import CommonAccountHooks
from app.privacy.PrivacyConstants import EXPORT_LIMIT
from tests.posts.PostTestCase import post_payload
from tests.privacy.PrivacyTestCase import PrivacyTestCase


class MyDataExportTest(PrivacyTestCase):
  def export(self, user=None):
    return self.client_of(user or self.zelda).get('/api/users/me/export')

  def test_the_export_holds_everything_about_me_as_one_file(self):
    self.seed_everywhere()
    response = self.export()
    self.assertEqual(response.status_code, 200, response.get_data(as_text=True))
    self.assertEqual(
      response.headers['Content-Disposition'], 'attachment; filename="dibz-my-data-zelda_gone.json"'
    )
    self.assertEqual(response.headers['Cache-Control'], 'no-store')
    data = response.get_json()
    self.assertEqual(data['format'], 'dibz-my-data')
    profile = data['profile']
    self.assertEqual(
      (profile['email'], profile['username'], profile['display_name'], profile['bio']),
      (
        'zelda.quasimodo@example.edu',
        'zelda_gone',
        'Zelda Quasimodo',
        'Zelda Quasimodo sells books.',
      ),
    )
    (post,) = data['posts']
    self.assertEqual(post['id'], self.zelda_post['id'])
    self.assertEqual(len(post['images']), 1)
    self.assertTrue(post['images'][0]['url'])
    self.assertEqual([dib['post_id'] for dib in data['dibs']], [self.bob_post['id']])
    self.assertEqual(
      [message['body'] for message in data['messages_sent']], ['Yes, come by at noon.']
    )
    self.assertEqual(
      [report['target_id'] for report in data['reports_filed']], [self.bob_post['id']]
    )
    self.assertEqual(len(data['sessions']), 1)
    self.assertTrue(data['sessions'][0]['user_agent'] is not None)
    kinds = {notification['kind'] for notification in data['notifications']}
    self.assertTrue({'dib_received', 'moderation_warning', 'dib_accepted'} <= kinds, kinds)
    self.assertEqual([block['blocked_id'] for block in data['blocks']], [self.carl.id])
    self.assertEqual([watch['post_id'] for watch in data['watches']], [self.bob_post['id']])
    self.assertEqual([search['query'] for search in data['saved_searches']], ['lamp'])
    self.assertEqual(len(data['holds']), 1)
    text = response.get_data(as_text=True)
    for secret in ('password_hash', 'id_hash', 'token_hash', '$argon2'):
      self.assertNotIn(secret, text)
    # Nothing of another student's private rows: Bob's messages and notifications stay out.
    self.assertNotIn('Is it still for sale?', text)

  def test_reviews_given_and_received_but_never_one_still_hidden(self):
    self.seed_everywhere()
    self.seed_reviews()
    data = self.export().get_json()
    self.assertEqual(
      [(review['stars'], review['text']) for review in data['reviews_given']],
      [(4, 'Quick and kind.')],
    )
    self.assertEqual(
      [(review['stars'], review['text']) for review in data['reviews_received']],
      [(5, 'Paid on time.')],
    )
    # Double-blind: a review of me written before I reviewed back stays out, even here.
    bob = self.client_of(self.bob)
    chair = self.ok(
      self.api('post', '/api/posts', json=post_payload(title='Chair'), client=bob), 201
    )['post']
    zelda = self.client_of(self.zelda)
    dib = self.ok(self.api('post', f'/api/posts/{chair["id"]}/dibs', client=zelda), 201)['dib']
    self.ok(self.api('post', f'/api/dibs/{dib["id"]}/accept', client=bob))
    self.ok(self.api('post', f'/api/posts/{chair["id"]}/sold', client=bob))
    review = {'post_id': chair['id'], 'stars': 2, 'text': 'Late.'}
    self.ok(self.api('post', '/api/users/zelda_gone/reviews', json=review, client=bob), 201)
    data = self.export().get_json()
    self.assertEqual([review['text'] for review in data['reviews_received']], ['Paid on time.'])

  def test_the_export_is_private_and_rate_limited(self):
    self.assert_error(self.client.get('/api/users/me/export'), 401, 'unauthorized')
    allowed = int(EXPORT_LIMIT.split()[0])
    for _ in range(allowed):
      self.assertEqual(self.export().status_code, 200)
    self.assert_error(self.export(), 429, 'rate_limited')
    # Per account: another student still downloads theirs.
    self.assertEqual(self.export(self.bob).status_code, 200)

  def test_an_area_adds_a_section_through_the_hook(self):
    def reviews_section(user):
      return {'given': [], 'received': [], 'user_id': user.id}

    CommonAccountHooks.account_export_section('reviews')(reviews_section)
    try:
      data = self.export().get_json()
    finally:
      del CommonAccountHooks.EXPORT_SECTIONS['reviews']
    self.assertEqual(data['reviews'], {'given': [], 'received': [], 'user_id': self.zelda.id})
