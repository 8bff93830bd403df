"""The README is a front door: small, the two commands first, a configuration table naming
every variable the app reads, and a link to every document of docs/."""

import os
import re
import unittest
from pathlib import Path
from unittest import mock

from app import create_app
from app.config import load_config

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
README = REPOSITORY_ROOT / 'README.md'
README_MAX_BYTES = 12 * 1024
PROD_SETTINGS = {
  'SECRET_KEY': 'a-real-secret',
  'DATABASE_URL': 'postgresql://dibz@db.internal/dibz',
  'TRUSTED_HOSTS': 'dibz.example.edu',
}
# The standard library's own lookups (tempfile, the first time it picks a folder).
NOT_SETTINGS = {'TMPDIR', 'TEMP', 'TMP'}


class RecordingEnvironment(dict):
  """os.environ that remembers every name the code looks up."""

  def __init__(self, values):
    super().__init__(values)
    self.read = set()

  def get(self, name, default=None):
    self.read.add(name)
    return super().get(name, default)

  def __getitem__(self, name):
    self.read.add(name)
    return super().__getitem__(name)

  def __contains__(self, name):
    self.read.add(name)
    return super().__contains__(name)


def variables_the_app_reads():
  """Every environment variable the config of each APP_ENV (and the S3 storage) and the app
  factory look up, recorded while they run rather than guessed from the source."""
  read = set()
  for name, values in (
    ('local', {}),
    ('testing', {'DIBZ_TEST_TMPDIR': os.environ.get('DIBZ_TEST_TMPDIR', '/tmp')}),
    ('staging', PROD_SETTINGS),
    ('prod', PROD_SETTINGS),
    ('prod', {**PROD_SETTINGS, 'STORAGE_BACKEND': 's3', 'S3_BUCKET': 'photos'}),
  ):
    environment = RecordingEnvironment(values)
    with mock.patch.object(os, 'environ', environment):
      load_config(name)
    read |= environment.read
  environment = RecordingEnvironment({'DIBZ_TEST_TMPDIR': os.environ.get('DIBZ_TEST_TMPDIR', '')})
  with mock.patch.object(os, 'environ', environment):
    create_app('testing')
  return (read | environment.read | {'APP_ENV'}) - NOT_SETTINGS


def section(markdown, title):
  """The text of the `## title` section, up to the next `## ` heading."""
  match = re.search(rf'^## {re.escape(title)}\n(.*?)(?=^## |\Z)', markdown, re.M | re.S)
  return match.group(1) if match else ''


class ReadmeTest(unittest.TestCase):
  def setUp(self):
    self.readme = README.read_text()

  def test_the_readme_is_a_front_door_of_at_most_12_kb(self):
    self.assertLessEqual(len(self.readme.encode()), README_MAX_BYTES)

  def test_what_dibz_is_and_the_two_commands_come_first(self):
    title, sentence, first_block = re.match(
      r'# (.+)\n\n(.+?)\n\n```sh\n(.+?)```', self.readme, re.S
    ).groups()
    self.assertIn('Dibz', title)
    self.assertIn('students', sentence)
    self.assertEqual(
      [line.split()[:2] for line in first_block.splitlines()], [['make', 'run'], ['make', 'test']]
    )
    self.assertRegex(self.readme, r'!\[[^\]]+\]\(docs/images/[\w-]+\.png\)')

  def test_every_make_target_the_readme_names_exists(self):
    makefile = (REPOSITORY_ROOT / 'Makefile').read_text()
    targets = set(re.findall(r'^([\w-]+):', makefile, re.M))
    named = set(re.findall(r'`make ([\w-]+)', self.readme))
    self.assertGreaterEqual(named, {'run', 'test', 'test-fast'})
    self.assertEqual(named - targets, set())

  def test_the_configuration_table_names_every_variable_the_app_reads(self):
    table = section(self.readme, 'Configuration')
    documented = set(re.findall(r'`([A-Z][A-Z0-9_]+)`', table))
    read = variables_the_app_reads()
    self.assertGreater(len(read), 30)
    self.assertEqual(read - documented, set(), 'variables missing from the README table')

  def test_every_document_of_docs_is_linked_from_the_readme(self):
    linked = {Path(target).name for target in re.findall(r'\]\(docs/([^)#]+)', self.readme)}
    documents = {path.name for path in (REPOSITORY_ROOT / 'docs').glob('*.md')}
    self.assertEqual(documents - linked, set(), 'add them to the "More docs" list')
