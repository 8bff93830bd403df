"""`manage.py campus …`: list, add, edit, remove, add-spot and remove-spot, with their refusals."""

from app.campuses.CampusHelpers import find_campus
from app.extensions import db
from app.users.UserModels import User
from tests.base import ApiTestCase
from tests.factories import make_user


class CampusCommandsTest(ApiTestCase):
  def campus(self, *args, input=None):
    return self.app.test_cli_runner().invoke(args=['campus', *args], input=input)

  def test_add_list_edit_and_remove_campuses_and_spots(self):
    ana = make_user('ana', email='ana@berkeley.edu')
    self.assertIn('No campus yet', self.campus('list').output)
    result = self.campus(
      'add',
      'berkeley',
      '--name',
      'UC Berkeley',
      '--domains',
      'berkeley.edu, cs.berkeley.edu',
      '--timezone',
      'America/Los_Angeles',
    )
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertIn(
      'berkeley: UC Berkeley (America/Los_Angeles); berkeley.edu, cs.berkeley.edu', result.output
    )
    db.session.expire_all()
    self.assertEqual(db.session.get(User, ana.id).campus_id, find_campus('berkeley').id)
    result = self.campus('add-spot', 'berkeley', 'Sather Gate', '--notes', 'By the bears')
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertIn('(By the bears)', self.campus('list').output)
    result = self.campus('edit', 'berkeley', '--new-slug', 'cal', '--name', 'Cal')
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertEqual(find_campus('cal').name, 'Cal')
    result = self.campus('remove-spot', 'cal', 'sather gate')
    self.assertEqual(result.exit_code, 0, result.output)
    self.assertEqual(find_campus('cal').spots, [])
    self.assertNotEqual(self.campus('remove', 'cal', input='n\n').exit_code, 0)
    self.assertIsNotNone(find_campus('cal'))
    self.assertEqual(self.campus('remove', 'cal', '--yes').exit_code, 0)
    db.session.expire_all()
    self.assertIsNone(find_campus('cal'))
    self.assertIsNone(db.session.get(User, ana.id).campus_id)

  def test_refusals_name_the_problem_and_change_nothing(self):
    self.assertEqual(self.campus('add', 'north', '--name', 'North').exit_code, 0)
    for args, message in (
      (('add', 'North Campus', '--name', 'X'), 'slug: Must be lower-case'),
      (
        ('add', 'east', '--name', 'East', '--timezone', 'Nowhere/Here'),
        'timezone: Must be an IANA',
      ),
      (('add', 'east', '--name', 'East', '--domains', 'not a domain'), 'email_domains'),
      (('add', 'north', '--name', 'Again'), 'Another campus already has'),
      (('edit', 'nowhere', '--name', 'X'), 'No campus with that slug.'),
      (('edit', 'north'), 'Nothing to change'),
      (('add-spot', 'nowhere', 'Gym'), 'No campus with that slug.'),
      (('remove-spot', 'north', 'Gym'), 'No pickup spot'),
      (('remove', 'nowhere', '--yes'), 'No campus with that slug.'),
    ):
      with self.subTest(args=args):
        result = self.campus(*args)
        self.assertEqual(result.exit_code, 1, result.output)
        self.assertIn(message, result.output)
    self.assertIsNone(find_campus('east'))
