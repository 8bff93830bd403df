"""Campuses through the API: the public list, the admin endpoints and their refusals, who
belongs where (the address's domain), the campus filter of browse and search, and the cache."""

from app.campuses.CampusModels import Campus
from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostModels import Post
from app.users.UserModels import User
from tests.factories import make_campus, make_post, make_user
from tests.posts.PostTestCase import PostTestCase, post_payload


class CampusAdminTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.login_as(make_user('root', admin=True))

  def test_an_admin_adds_edits_and_removes_a_campus_and_its_spots(self):
    body = {
      'slug': 'berkeley',
      'name': 'UC Berkeley',
      'email_domains': ['Berkeley.EDU', '@cs.berkeley.edu'],
      'timezone': 'America/Los_Angeles',
    }
    response = self.api('post', '/api/admin/campuses', json=body)
    self.assertEqual(response.status_code, 201, response.get_json())
    self.assertEqual(
      response.get_json()['campus'],
      {
        'slug': 'berkeley',
        'name': 'UC Berkeley',
        'timezone': 'America/Los_Angeles',
        'email_domains': ['berkeley.edu', 'cs.berkeley.edu'],
        'pickup_spots': [],
      },
    )
    spot = self.api(
      'post', '/api/admin/campuses/berkeley/spots', json={'name': 'Sather Gate', 'notes': 'South'}
    )
    self.assertEqual(spot.status_code, 201, spot.get_json())
    spot_id = spot.get_json()['pickup_spot']['id']
    listed = self.new_client().get('/api/campuses').get_json()['items']
    self.assertEqual(
      listed[0]['pickup_spots'], [{'id': spot_id, 'name': 'Sather Gate', 'notes': 'South'}]
    )
    response = self.api('patch', '/api/admin/campuses/berkeley', json={'slug': 'cal'})
    self.assertEqual(response.get_json()['campus']['slug'], 'cal')
    self.assert_error(self.client.get('/api/campuses/berkeley'), 404, 'not_found')
    response = self.api('delete', f'/api/admin/campuses/cal/spots/{spot_id}')
    self.assertEqual(response.status_code, 204)
    self.assertEqual(self.client.get('/api/campuses/cal').get_json()['campus']['pickup_spots'], [])
    self.assertEqual(self.api('delete', '/api/admin/campuses/cal').status_code, 204)
    self.assertEqual(self.client.get('/api/campuses').get_json()['items'], [])

  def test_bad_campuses_are_422_and_duplicates_409(self):
    make_campus('north', domains=['north.example.edu'], spots=['Library'])
    cases = [
      ({}, ['slug', 'name']),
      ({'slug': 'North Campus', 'name': 'N'}, ['slug']),
      ({'slug': 'all', 'name': 'Everything'}, ['slug']),
      ({'slug': 'east', 'name': 'East', 'timezone': 'Mars/Olympus'}, ['timezone']),
      ({'slug': 'east', 'name': 'East', 'email_domains': 'east.edu'}, ['email_domains']),
      ({'slug': 'east', 'name': 'East', 'email_domains': ['not a domain']}, ['email_domains']),
      ({'slug': 'east', 'name': 'East', 'email_domains': ['a.edu', 'A.edu']}, ['email_domains']),
      ({'slug': 'east', 'name': 'Line\nbreak'}, ['name']),
    ]
    for body, fields in cases:
      with self.subTest(body=body):
        response = self.api('post', '/api/admin/campuses', json=body)
        self.assert_error(response, 422, 'validation_error', fields)
    for body in (
      {'slug': 'north', 'name': 'Another'},
      {'slug': 'east', 'name': 'North Campus'},
      {'slug': 'east', 'name': 'East', 'email_domains': ['north.example.edu']},
    ):
      with self.subTest(body=body):
        self.assert_error(self.api('post', '/api/admin/campuses', json=body), 409, 'conflict')
    response = self.api('post', '/api/admin/campuses/north/spots', json={'name': 'library'})
    self.assert_error(response, 409, 'conflict')
    response = self.api('post', '/api/admin/campuses/north/spots', json={'name': ''})
    self.assert_error(response, 422, 'validation_error', ['name'])
    response = self.api('post', '/api/admin/campuses/nowhere/spots', json={'name': 'Gym'})
    self.assert_error(response, 404, 'not_found')
    self.assert_error(self.api('delete', '/api/admin/campuses/north/spots/999'), 404, 'not_found')
    self.assertEqual(db.session.query(Campus).count(), 1)

  def test_students_and_visitors_may_not_change_campuses(self):
    make_campus('north')
    student = self.logged_in_client(make_user('student'))
    for method, path, body in (
      ('post', '/api/admin/campuses', {'slug': 'east', 'name': 'East'}),
      ('patch', '/api/admin/campuses/north', {'name': 'Mine now'}),
      ('delete', '/api/admin/campuses/north', None),
      ('post', '/api/admin/campuses/north/spots', {'name': 'Gym'}),
    ):
      with self.subTest(method=method, path=path):
        self.assert_error(self.api(method, path, json=body, client=student), 403, 'forbidden')
        anonymous = self.new_client()
        self.assert_error(self.api(method, path, json=body, client=anonymous), 401, 'unauthorized')
    self.assertEqual(
      self.client.get('/api/campuses/north').get_json()['campus']['name'], 'North Campus'
    )


class CampusMembershipTest(PostTestCase):
  def test_sign_up_puts_a_student_on_the_campus_of_their_address(self):
    make_campus('berkeley', domains=['berkeley.edu'])
    user = self.signup('ana', email='ana@eecs.berkeley.edu')
    self.assertEqual(user['campus'], {'slug': 'berkeley', 'name': 'Berkeley Campus'})
    other = self.signup('ben', email='ben@stanford.edu', client=self.new_client())
    self.assertIsNone(other['campus'])

  def test_a_new_domain_moves_its_students_and_removing_a_campus_leaves_them_none(self):
    ana = make_user('ana', email='ana@mills.edu')
    seller_post = make_post(seller=ana)
    make_campus('berkeley', domains=['berkeley.edu'])
    self.login_as(make_user('root', admin=True))
    body = {'email_domains': ['berkeley.edu', 'mills.edu']}
    self.assertEqual(self.api('patch', '/api/admin/campuses/berkeley', json=body).status_code, 200)
    campus_id = db.session.execute(db.select(Campus.id)).scalar_one()
    db.session.expire_all()
    self.assertEqual(db.session.get(User, ana.id).campus_id, campus_id)
    db.session.get(Post, seller_post.id).campus_id = campus_id
    db.session.commit()
    self.assertEqual(self.api('delete', '/api/admin/campuses/berkeley').status_code, 204)
    db.session.expire_all()
    self.assertIsNone(db.session.get(User, ana.id).campus_id)
    self.assertIsNone(db.session.get(Post, seller_post.id).campus_id)


class CampusBrowseTest(PostTestCase):
  def setUp(self):
    super().setUp()
    self.north = make_campus('north', domains=['north.example.edu'])
    self.south = make_campus('south', domains=['south.example.edu'])
    self.north_post = make_post(title='North lamp', campus_id=self.north.id)
    self.south_post = make_post(title='South lamp', campus_id=self.south.id)

  def listed(self, path, client=None):
    response = (client or self.client).get(path)
    self.assertEqual(response.status_code, 200, response.get_json())
    return [item['id'] for item in response.get_json()['items']]

  def test_browse_and_search_take_a_campus_or_all_and_default_to_all_for_everyone(self):
    both = sorted([self.north_post.id, self.south_post.id])
    self.assertEqual(self.listed('/api/posts?campus=north'), [self.north_post.id])
    self.assertEqual(self.listed('/api/search/posts?q=lamp&campus=south'), [self.south_post.id])
    self.assertEqual(sorted(self.listed('/api/posts?campus=all')), both)
    self.assertEqual(sorted(self.listed('/api/search/posts?q=lamp&campus=all')), both)
    # The answer depends on the query string alone (it is cached for everyone): a logged-in
    # student of north gets every campus without the parameter; the SPA sends their campus.
    student = make_user('nia', email='nia@north.example.edu', campus_id=self.north.id)
    client = self.logged_in_client(student)
    self.assertEqual(sorted(self.listed('/api/posts', client)), both)
    self.assertEqual(sorted(self.listed('/api/posts')), both)
    post = self.client.get(f'/api/posts/{self.north_post.id}').get_json()['post']
    self.assertEqual(post['campus'], {'slug': 'north', 'name': 'North Campus'})

  def test_the_cache_keeps_campus_answers_apart_and_sees_campus_changes(self):
    reader = self.new_client()
    self.assertEqual(self.listed('/api/posts?campus=north', reader), [self.north_post.id])
    self.assertEqual(self.listed('/api/posts?campus=south', reader), [self.south_post.id])
    self.login_as(make_user('root', admin=True))
    self.api('patch', '/api/admin/campuses/north', json={'name': 'North Side'})
    post = reader.get(f'/api/posts/{self.north_post.id}').get_json()['post']
    self.assertEqual(post['campus']['name'], 'North Side')
    self.api('patch', '/api/admin/campuses/north', json={'slug': 'uptown'})
    self.assertEqual(self.listed('/api/posts?campus=north', reader), [])
    self.assertEqual(self.listed('/api/posts?campus=uptown', reader), [self.north_post.id])

  def test_a_post_lands_on_the_sellers_campus_or_the_one_named(self):
    seller = make_user(
      'sam', email='sam@north.example.edu', campus_id=self.north.id, email_verified_at=utc_now()
    )
    self.login_as(seller)
    created = self.api('post', '/api/posts', json=post_payload()).get_json()['post']
    self.assertEqual(created['campus']['slug'], 'north')
    moved = self.api('patch', f'/api/posts/{created["id"]}', json={'campus': 'south'})
    self.assertEqual(moved.get_json()['post']['campus']['slug'], 'south')
    cleared = self.api('patch', f'/api/posts/{created["id"]}', json={'campus': None})
    self.assertIsNone(cleared.get_json()['post']['campus'])
    response = self.api('patch', f'/api/posts/{created["id"]}', json={'campus': 'atlantis'})
    self.assert_error(response, 422, 'validation_error', ['campus'])
