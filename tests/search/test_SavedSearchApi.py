"""Saved searches with alerts through the API: saving (at most 20), the alerts of a new or
edited post (instant: once per saved search and post; daily: a digest of up to 10, once a day
in the campus's time zone, with a moved clock), and the refusals."""

from contextlib import contextmanager
from datetime import datetime, timedelta
from unittest.mock import patch
from zoneinfo import ZoneInfo

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.notifications.NotificationHelpers import notify
from app.search.SavedSearchConstants import MAX_SAVED_SEARCHES_PER_USER
from app.search.SavedSearchJobs import match_saved_searches, send_saved_search_digests
from app.users.UserModels import User
from tests.factories import make_campus, make_user
from tests.posts.HoldTestCase import HoldTestCase

POST = {
  'title': 'Oak writing desk',
  'description': 'Solid oak, two drawers, fits a dorm room.',
  'price_cents': 4000,
  'category': 'furniture',
  'condition': 'good',
}


class SavedSearchTestCase(HoldTestCase):
  def setUp(self):
    super().setUp()
    self.searcher = make_user()
    self.searcher_client = self.logged_in_client(self.searcher)
    # An established account: a new one's posts beyond the third wait for review.
    self.poster = make_user(created_at=utc_now() - timedelta(days=30))
    self.poster_client = self.logged_in_client(self.poster)

  def save(self, status=201, client=None, **body):
    response = self.api(
      'post', '/api/users/me/saved-searches', json=body, client=client or self.searcher_client
    )
    self.assertEqual(response.status_code, status, response.get_json())
    return response.get_json()

  def publish(self, **overrides):
    response = self.api('post', '/api/posts', json={**POST, **overrides}, client=self.poster_client)
    self.assertEqual(response.status_code, 201, response.get_json())
    return response.get_json()['post']

  def alerts(self, user=None):
    return self.kinds_of((user or self.searcher).id).count('saved_search_match')

  @contextmanager
  def campus_clock(self, moment):
    with patch('app.search.SavedSearchHelpers.utc_now', return_value=moment):
      yield moment


class SavedSearchApiTest(SavedSearchTestCase):
  def test_save_list_change_and_delete(self):
    saved = self.save(q='oak desk', category='furniture', max_price=5000)['saved_search']
    self.assertEqual(
      {key: saved[key] for key in ('q', 'category', 'campus', 'min_price', 'max_price', 'alert')},
      {
        'q': 'oak desk',
        'category': 'furniture',
        'campus': None,
        'min_price': None,
        'max_price': 5000,
        'alert': 'instant',
      },
    )
    listing = self.searcher_client.get('/api/users/me/saved-searches').get_json()
    self.assertEqual([item['id'] for item in listing['items']], [saved['id']])
    path = f'/api/saved-searches/{saved["id"]}'
    response = self.api('patch', path, json={'alert': 'daily'}, client=self.searcher_client)
    self.assertEqual(response.get_json()['saved_search']['alert'], 'daily')
    # Another student's saved search is not there for them.
    self.assert_error(
      self.api('patch', path, json={'alert': 'off'}, client=self.poster_client), 404, 'not_found'
    )
    self.assert_error(self.api('delete', path, client=self.poster_client), 404, 'not_found')
    self.assertEqual(self.api('delete', path, client=self.searcher_client).status_code, 204)
    self.assertEqual(
      self.searcher_client.get('/api/users/me/saved-searches').get_json()['total'], 0
    )

  def test_bad_bodies(self):
    cases = [
      ({}, ['q']),
      ({'q': '   '}, ['q']),
      ({'q': 'x' * 201}, ['q']),
      ({'q': 5}, ['q']),
      ({'q': 'desk', 'alert': 'hourly'}, ['alert']),
      ({'q': 'desk', 'category': 'boats'}, ['category']),
      ({'q': 'desk', 'min_price': -1}, ['min_price']),
      ({'q': 'desk', 'min_price': 500, 'max_price': 100}, ['max_price']),
      ({'q': 'desk', 'max_price': '100'}, ['max_price']),
    ]
    for body, fields in cases:
      with self.subTest(body=body):
        response = self.api(
          'post', '/api/users/me/saved-searches', json=body, client=self.searcher_client
        )
        self.assert_error(response, 422, 'validation_error', fields)
    saved = self.save(category='bikes')['saved_search']
    self.assert_error(
      self.api('patch', f'/api/saved-searches/{saved["id"]}', json={}, client=self.searcher_client),
      422,
      'validation_error',
      ['alert'],
    )
    self.assertEqual(
      self.searcher_client.get('/api/users/me/saved-searches').get_json()['total'], 1
    )

  def test_at_most_twenty_per_student(self):
    for number in range(MAX_SAVED_SEARCHES_PER_USER):
      self.save(q=f'desk {number}')
    self.assert_error(
      self.api(
        'post', '/api/users/me/saved-searches', json={'q': 'one more'}, client=self.searcher_client
      ),
      409,
      'conflict',
    )
    self.save(client=self.poster_client, q='desk')


class SavedSearchAlertTest(SavedSearchTestCase):
  def test_a_new_post_alerts_each_matching_search_once_with_the_words_of_search(self):
    self.save(q='oak desk')
    self.save(q='writing dra')  # the last word is a prefix: "drawers"
    self.save(q='OAK', category='furniture', max_price=4000)
    self.save(category='furniture')  # filters only
    self.save(q='desk', alert='off')
    self.save(q='oak dra', category='bikes')
    self.save(q='desk', max_price=3999)
    make_campus('berkeley')
    self.save(q='desk', campus='berkeley')  # the post has no campus
    self.save(q='walnut desk')
    self.save(q='desks')  # no stemming, and only the last word is a prefix
    self.save(client=self.poster_client, q='oak desk')  # my own post never alerts me
    post = self.publish()
    self.assertEqual(self.alerts(), 4)
    self.assertEqual(self.alerts(self.poster), 0)
    subject, body = self.mails_to(self.searcher.email)[-1]
    self.assertEqual(subject, 'A new post matches your saved search')
    self.assertIn('Oak writing desk', body)
    # An edit, and a retried job, alert nobody twice.
    response = self.api(
      'patch', f'/api/posts/{post["id"]}', json={'price_cents': 3900}, client=self.poster_client
    )
    self.assertEqual(response.status_code, 200)
    self.assertEqual(self.alerts(), 5)  # the edit made the 3999 search match
    self.assertEqual(match_saved_searches(post['id']), 0)
    self.assertEqual(self.alerts(), 5)

  def test_an_edit_that_makes_a_post_match_alerts(self):
    self.save(q='lamp')
    post = self.publish()
    self.assertEqual(self.alerts(), 0)
    self.api(
      'patch',
      f'/api/posts/{post["id"]}',
      json={'title': 'Oak desk with lamp'},
      client=self.poster_client,
    )
    self.assertEqual(self.alerts(), 1)
    self.api(
      'patch',
      f'/api/posts/{post["id"]}',
      json={'title': 'Oak desk with a lamp'},
      client=self.poster_client,
    )
    self.assertEqual(self.alerts(), 1)

  def test_a_failed_run_is_retried_and_alerts_once(self):
    self.save(q='oak')
    post = self.publish(title='Something else', description='Nothing.')
    self.api(
      'patch', f'/api/posts/{post["id"]}', json={'title': 'Oak shelf'}, client=self.poster_client
    )
    self.assertEqual(self.alerts(), 1)
    self.save(q='shelf')

    class FailOnce:
      failed = False

      def __call__(self, *args, **kwargs):
        if not self.failed:
          self.failed = True
          raise RuntimeError('The worker died.')
        return notify(*args, **kwargs)

    with patch('app.search.SavedSearchHelpers.notify', FailOnce()):
      with self.assertRaises(RuntimeError):
        match_saved_searches(post['id'])
      self.assertEqual(match_saved_searches(post['id']), 1)
      self.assertEqual(match_saved_searches(post['id']), 0)
    self.assertEqual(self.alerts(), 2)


class SavedSearchDigestTest(SavedSearchTestCase):
  def test_the_daily_digest_names_up_to_ten_once_a_day_in_the_campus_time_zone(self):
    # The digest goes out in the time zone of the searcher's campus.
    campus = make_campus('berkeley', timezone='America/Los_Angeles')
    db.session.get(User, self.searcher.id).campus_id = campus.id
    db.session.commit()
    self.save(q='desk', alert='daily')
    for number in range(12):
      self.publish(title=f'Desk number {number}')
    self.assertEqual(self.alerts(), 0)
    campus = ZoneInfo('America/Los_Angeles')
    tomorrow = (utc_now().astimezone(campus) + timedelta(days=1)).date()
    early = datetime(tomorrow.year, tomorrow.month, tomorrow.day, 7, 30, tzinfo=campus)
    with self.campus_clock(early):
      self.assertEqual(send_saved_search_digests(), 0)
    with self.campus_clock(early + timedelta(hours=1)):
      self.assertEqual(send_saved_search_digests(), 1)
      self.assertEqual(send_saved_search_digests(), 0)
    digests = [
      item
      for item in self.notifications(self.searcher_client)['items']
      if item['kind'] == 'saved_search_digest'
    ]
    self.assertEqual(len(digests), 1)
    self.assertEqual(digests[0]['payload']['count'], 10)
    self.assertEqual(digests[0]['payload']['matches'][0]['post_title'], 'Desk number 11')
    subject, body = self.mails_to(self.searcher.email)[-1]
    self.assertEqual(subject, 'New posts for your saved searches')
    self.assertIn('Desk number 11', body)
    # The next day: only what is new since.
    self.publish(title='Desk number 12')
    with self.campus_clock(early + timedelta(days=1, hours=2)):
      self.assertEqual(send_saved_search_digests(), 1)
    latest = self.notifications(self.searcher_client)['items'][0]
    self.assertEqual(latest['payload']['count'], 1)
