"""The test tiers hold: registered strictly, the same in pytest's settings, the Makefile and
tests/TestTiers.py, given by folder, and enforced where a test starts a redis-server."""

import re
import tomllib
import unittest
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

from tests import TestTiers
from tests.RedisServer import RedisServer
from tests.TestTiers import (
  FAST_EXPRESSION,
  TIERS,
  module_tiers,
  require_tier,
  tier_of_folder,
  tiers_leave_out_module,
)

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]


def pytest_settings():
  """[tool.pytest.ini_options] of pyproject.toml."""
  with (REPOSITORY_ROOT / 'pyproject.toml').open('rb') as settings:
    return tomllib.load(settings)['tool']['pytest']['ini_options']


def make_recipe(target):
  """The command lines of a Makefile target."""
  makefile = (REPOSITORY_ROOT / 'Makefile').read_text()
  match = re.search(rf'^{re.escape(target)}:.*\n((?:\t.*\n)+)', makefile, re.M)
  return match.group(1) if match else ''


class TestTiersTest(unittest.TestCase):
  def test_the_tiers_are_registered_with_strict_markers(self):
    settings = pytest_settings()
    self.assertIn('--strict-markers', settings['addopts'])
    registered = {line.split(':', 1)[0] for line in settings['markers']}
    self.assertEqual(registered, set(TIERS))

  def test_make_test_runs_everything_and_make_test_fast_leaves_out_every_tier(self):
    self.assertEqual(make_recipe('test'), '\t$(BIN)/python -m pytest\n')
    self.assertIn(f"-m '{FAST_EXPRESSION}'", make_recipe('test-fast'))
    self.assertEqual(FAST_EXPRESSION, 'not (browser or ops or redis or slow)')

  def test_a_module_is_left_uncollected_only_when_none_of_its_tests_can_match(self):
    def leaves_out(expression, whole, some=()):
      return tiers_leave_out_module(Expression.compile(expression), whole, set(some))

    self.assertTrue(leaves_out(FAST_EXPRESSION, 'slow'))
    self.assertTrue(leaves_out(FAST_EXPRESSION, 'browser'))
    self.assertFalse(leaves_out('slow', 'slow'))
    self.assertTrue(leaves_out('redis', 'slow'))
    # A slow module with a redis class: `-m redis` must still collect it, `-m "not redis"` too.
    self.assertFalse(leaves_out('redis', 'slow', {'redis'}))
    self.assertFalse(leaves_out('not redis', 'slow', {'redis'}))
    self.assertTrue(leaves_out('not slow', 'slow', {'redis'}))

  def test_a_module_tier_is_read_from_its_folder_or_its_pytestmark(self):
    folder = Path(__file__).resolve().parent
    fuzzing = folder / 'hardening' / 'test_ApiFuzzing.py'
    self.assertEqual(module_tiers(fuzzing, ('hardening', fuzzing.name))[0], 'slow')
    journey = folder / 'browser' / 'test_Journey.py'
    self.assertEqual(module_tiers(journey, ('browser', journey.name))[0], 'browser')
    whole, some = module_tiers(Path(__file__), (Path(__file__).name,))
    self.assertIsNone(whole)
    self.assertIn('slow', some)  # MarkedTest below

  def test_a_tiers_folder_gives_its_tests_the_tier(self):
    self.assertEqual(tier_of_folder(('browser', 'test_Journey.py')), 'browser')
    self.assertEqual(tier_of_folder(('ops', 'test_RollingDeploy.py')), 'ops')
    self.assertEqual(tier_of_folder(('bench', 'test_BenchHarness.py')), 'slow')
    self.assertIsNone(tier_of_folder(('posts', 'test_PostApi.py')))
    self.assertIsNone(tier_of_folder(('test_Config.py',)))

  def test_a_test_without_the_redis_marker_cannot_start_a_redis_server(self):
    server = RedisServer()
    with self.assertRaisesRegex(AssertionError, r"'redis' tier: mark .* pytest\.mark\.redis"):
      server.start()
    self.assertIsNone(server.process)

  def test_the_check_reads_the_markers_of_the_running_test(self):
    # This test carries none: the conftest hook told TestTiers so before it ran.
    self.assertEqual(TestTiers.running_test_markers, frozenset())
    with self.assertRaises(AssertionError):
      require_tier('slow', 'starts gunicorn')


@pytest.mark.slow
class MarkedTest(unittest.TestCase):
  def test_a_marked_test_passes_the_check_of_its_tier(self):
    self.assertIn('slow', TestTiers.running_test_markers)
    require_tier('slow', 'starts gunicorn')
    with self.assertRaises(AssertionError):
      require_tier('redis', 'starts a redis-server')
