"""0020_campuses moves the data: CAMPUS_EMAIL_DOMAINS becomes a campus, the free-text campus
of users, posts and saved searches maps onto it (legacy text kept, no match: no campus), and
the way down gives the text back."""

import os
from unittest.mock import patch

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app.extensions import db
from tests.base import ApiTestCase

BEFORE = '0019_held_for_review'
CAMPUSES = '0020_campuses'
NOW = '2026-12-01 10:00:00'


class CampusMigrationTest(ApiTestCase):
  def run_sql(self, statement, **values):
    with db.engine.begin() as connection:
      return connection.execute(text(statement), values)

  def add_user(self, username, email, campus, verified=True):
    self.run_sql(
      'INSERT INTO users (email, username, display_name, bio, campus, role, password_hash, '
      "created_at, email_verified_at) VALUES (:email, :username, :username, '', :campus, "
      "'user', 'x', :now, :verified)",
      email=email,
      username=username,
      campus=campus,
      now=NOW,
      verified=NOW if verified else None,
    )
    return self.run_sql('SELECT id FROM users WHERE username = :u', u=username).scalar_one()

  def add_post(self, seller_id, title, campus):
    self.run_sql(
      'INSERT INTO posts (seller_id, title, description, price_cents, category, condition, '
      "campus, status, created_at, updated_at) VALUES (:seller_id, :title, 'd', 100, 'other', "
      "'good', :campus, 'available', :now, :now)",
      seller_id=seller_id,
      title=title,
      campus=campus,
      now=NOW,
    )
    return self.run_sql('SELECT id FROM posts WHERE title = :t', t=title).scalar_one()

  def add_saved_search(self, user_id, campus):
    self.run_sql(
      'INSERT INTO saved_searches (user_id, query, campus, alert, word_count, created_at) '
      "VALUES (:user_id, 'desk', :campus, 'instant', 1, :now)",
      user_id=user_id,
      campus=campus,
      now=NOW,
    )

  def rows(self, table_name, columns):
    return self.run_sql(f'SELECT {columns} FROM {table_name} ORDER BY id').all()

  def test_settings_and_free_text_move_onto_campuses_and_come_back_down(self):
    db.session.remove()
    downgrade(revision=BEFORE)
    try:
      ana = self.add_user('ana', 'ana@cs.berkeley.edu', 'Somewhere else')
      ben = self.add_user('ben', 'ben@gmail.com', '  BERKELEY ')
      cai = self.add_user('cai', 'cai@gmail.com', 'North campus')
      self.add_user('dee', 'dee@gmail.com', None)
      self.add_post(ana, 'Matched by name', 'berkeley')
      self.add_post(ben, 'Matched by domain', 'Berkeley.edu')
      self.add_post(cai, 'Matches nothing', 'North campus')
      self.add_post(cai, 'No campus', None)
      self.add_saved_search(ben, 'Berkeley')
      self.add_saved_search(cai, 'Downtown')
      environment = {'CAMPUS_EMAIL_DOMAINS': 'Berkeley.edu, @berkeley.edu,cs.berkeley.edu'}
      environment['CAMPUS_TIMEZONE'] = 'America/Los_Angeles'
      with patch.dict(os.environ, environment):
        upgrade(revision=CAMPUSES)
      campuses = self.rows('campuses', 'id, slug, name, timezone')
      self.assertEqual(
        [tuple(row[1:]) for row in campuses], [('berkeley', 'Berkeley', 'America/Los_Angeles')]
      )
      campus_id = campuses[0][0]
      domains = self.rows('campus_domains', 'campus_id, domain')
      self.assertEqual(
        sorted(tuple(row) for row in domains),
        [(campus_id, 'berkeley.edu'), (campus_id, 'cs.berkeley.edu')],
      )
      # Users: the address first, then the text; text that matches nothing keeps no campus.
      self.assertEqual(
        [tuple(row) for row in self.rows('users', 'username, campus_id, legacy_campus')],
        [
          ('ana', campus_id, 'Somewhere else'),
          ('ben', campus_id, '  BERKELEY '),
          ('cai', None, 'North campus'),
          ('dee', None, None),
        ],
      )
      self.assertEqual(
        [tuple(row) for row in self.rows('posts', 'title, campus_id, legacy_campus')],
        [
          ('Matched by name', campus_id, 'berkeley'),
          ('Matched by domain', campus_id, 'Berkeley.edu'),
          ('Matches nothing', None, 'North campus'),
          ('No campus', None, None),
        ],
      )
      self.assertEqual(
        [tuple(row) for row in self.rows('saved_searches', 'campus_id, legacy_campus')],
        [(campus_id, 'Berkeley'), (None, 'Downtown')],
      )
      # A row written since names its campus only by id: down, it takes the campus's name.
      self.run_sql('UPDATE users SET campus_id = :c WHERE username = :u', c=campus_id, u='dee')
      downgrade(revision=BEFORE)
      self.assertEqual(
        [tuple(row) for row in self.rows('users', 'username, campus')],
        [
          ('ana', 'Somewhere else'),
          ('ben', '  BERKELEY '),
          ('cai', 'North campus'),
          ('dee', 'Berkeley'),
        ],
      )
      self.assertEqual(
        [row[0] for row in self.rows('posts', 'campus')],
        ['berkeley', 'Berkeley.edu', 'North campus', None],
      )
    finally:
      upgrade()
      db.session.remove()

  def test_without_the_setting_no_campus_is_made_and_every_text_is_kept(self):
    db.session.remove()
    downgrade(revision=BEFORE)
    try:
      ana = self.add_user('ana', 'ana@berkeley.edu', 'Berkeley')
      self.add_post(ana, 'A lamp', 'Berkeley')
      with patch.dict(os.environ, {'CAMPUS_EMAIL_DOMAINS': ''}):
        upgrade(revision=CAMPUSES)
      self.assertEqual(self.rows('campuses', 'id'), [])
      self.assertEqual(
        [tuple(row) for row in self.rows('users', 'campus_id, legacy_campus')], [(None, 'Berkeley')]
      )
      self.assertEqual(
        [tuple(row) for row in self.rows('posts', 'campus_id, legacy_campus')], [(None, 'Berkeley')]
      )
    finally:
      upgrade()
      db.session.remove()
