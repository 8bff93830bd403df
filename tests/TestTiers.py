"""The test tiers: pytest markers for the tests that need more than the process they run in.

`make test` runs every tier; `make test-fast` runs the tests that carry none of them. A test
gets its tier from its folder (`tier_of_folder`, applied by tests/conftest.py) or from an
explicit `pytest.mark.<tier>` on its module or class; tests/RedisServer.py refuses to start a
redis-server for a test that is not marked `redis`, so that tier cannot be forgotten.
"""

import ast

TIERS = {
  'browser': 'drives headless Chromium against a served app (tests/browser/)',
  'ops': 'deploys over SSH, network namespaces, nginx, pg_dump (tests/ops/)',
  'redis': 'starts a redis-server of its own (tests/RedisServer.py)',
  'slow': 'starts other processes (gunicorn, a job worker, moto, manage.py) or runs for seconds',
}
# Folders of tests/ whose every test belongs to a tier.
FOLDER_TIERS = {'browser': 'browser', 'ops': 'ops', 'bench': 'slow'}
FAST_EXPRESSION = 'not (' + ' or '.join(TIERS) + ')'

# The marker names of the test being run, set by tests/conftest.py; None outside pytest (the
# bench starts RedisServer too).
running_test_markers = None


def tier_of_folder(relative_parts):
  """The tier of a test file from its path's parts under tests/ (('ops', 'test_X.py')), or None."""
  if len(relative_parts) < 2:
    return None
  return FOLDER_TIERS.get(relative_parts[0])


def set_running_test_markers(marker_names):
  """Remember the markers of the test pytest is setting up."""
  global running_test_markers
  running_test_markers = frozenset(marker_names)


def require_tier(tier, what):
  """Fail the running test when it does `what` without carrying the marker of `tier`."""
  if running_test_markers is not None and tier not in running_test_markers:
    raise AssertionError(
      f'This test {what}, so it belongs to the {tier!r} tier: mark its class or module '
      f'with pytest.mark.{tier} (see tests/TestTiers.py).'
    )


def module_tiers(path, relative_parts):
  """The tier every test of a module carries (its folder's, or its own `pytestmark =
  pytest.mark.<tier>`), and the tiers some of its tests may add (`pytest.mark.<tier>` anywhere),
  read from the source without importing it. `relative_parts`: its path's parts under tests/."""
  tree = ast.parse(path.read_text(), filename=str(path))
  whole = tier_of_folder(relative_parts)
  some = set()
  for node in ast.walk(tree):
    if isinstance(node, ast.Attribute) and node.attr in TIERS:
      if isinstance(node.value, ast.Attribute) and node.value.attr == 'mark':
        some.add(node.attr)
  for node in tree.body:
    if isinstance(node, ast.Assign) and any(
      isinstance(target, ast.Name) and target.id == 'pytestmark' for target in node.targets
    ):
      if isinstance(node.value, ast.Attribute) and node.value.attr in TIERS:
        whole = whole or node.value.attr
  return whole, some - {whole}


def tiers_leave_out_module(expression, whole, some):
  """Whether `-m expression` (tier names only) deselects every test of a module whose tests all
  carry `whole` and may each add any of `some`."""
  combinations = [set()]
  for tier in some:
    combinations += [chosen | {tier} for chosen in combinations]
  return not any(
    expression.evaluate(lambda name, chosen=chosen: name == whole or name in chosen)
    for chosen in combinations
  )
