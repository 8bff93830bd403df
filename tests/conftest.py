"""Test tiers (tests/TestTiers.py): each test of a tier's folder gets its marker, and the
markers of the test being set up are known to helpers that check them (tests/RedisServer.py)."""

import re
from pathlib import Path

import pytest
from _pytest.mark.expression import Expression

from tests.TestTiers import (
  TIERS,
  module_tiers,
  set_running_test_markers,
  tier_of_folder,
  tiers_leave_out_module,
)

TESTS_FOLDER = Path(__file__).resolve().parent


def pytest_ignore_collect(collection_path, config):
  """A module whose tier `-m` leaves out is not even imported: `make test-fast` skips building
  the browser tests (Playwright) and the fuzzer's cases (schemathesis) at collection, not only
  running them. None (decide as usual) for anything else, or for an expression naming other
  markers than the tiers."""
  expression = config.getoption('markexpr')
  path = Path(str(collection_path)).resolve()
  if not expression or path.suffix != '.py' or not path.name.startswith('test_'):
    return None
  if TESTS_FOLDER not in path.parents:
    return None
  if set(re.findall(r'\w+', expression)) - {'and', 'or', 'not'} - set(TIERS):
    return None
  whole, some = module_tiers(path, path.relative_to(TESTS_FOLDER).parts)
  if whole and tiers_leave_out_module(Expression.compile(expression), whole, some):
    return True
  return None


def pytest_collection_modifyitems(config, items):
  """Mark every test of tests/browser/, tests/ops/ and tests/bench/ with its folder's tier."""
  for item in items:
    path = Path(str(item.path)).resolve()
    if TESTS_FOLDER in path.parents:
      tier = tier_of_folder(path.relative_to(TESTS_FOLDER).parts)
      if tier:
        item.add_marker(tier)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
  """Before the test's fixtures (and setUpClass) run, remember which tiers it carries."""
  set_running_test_markers(marker.name for marker in item.iter_markers())
