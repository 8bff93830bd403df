"""Test tiers (tests/TestTiers.py): each test of a tier's folder gets its marker, and the
markers of the test being set up are known to helpers that check them (tests/RedisServer.py)."""

from pathlib import Path

import pytest

from tests.TestTiers import set_running_test_markers, tier_of_folder

TESTS_FOLDER = Path(__file__).resolve().parent


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
