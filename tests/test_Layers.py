"""The layers of app/: shared code depends on no area, so any area can use it."""

import ast
import unittest
from pathlib import Path

APP_FOLDER = Path(__file__).resolve().parent.parent / 'app'
COMMON_FOLDER = APP_FOLDER / 'common'
# What app/common may import from app/: itself, the extensions and the config. Anything else
# under app/ is an area (users, posts, chat, search, and every future one) or sits above them.
COMMON_MAY_IMPORT = ('app.common', 'app.extensions', 'app.config')


def imported_modules(path):
  """Every module a Python file imports (at the top or inside functions), absolute names."""
  modules = []
  for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
    if isinstance(node, ast.Import):
      modules.extend(alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom) and node.module:
      if node.level:
        raise AssertionError(f'{path}: relative import of {node.module}; write it absolute')
      modules.extend([node.module, *(f'{node.module}.{alias.name}' for alias in node.names)])
  return modules


def is_allowed_in_common(module):
  """Whether app/common may import `module`: anything outside app/, or its own layer."""
  if module != 'app' and not module.startswith('app.'):
    return True
  return any(module == name or module.startswith(name + '.') for name in COMMON_MAY_IMPORT)


class CommonLayerTest(unittest.TestCase):
  def test_app_common_imports_no_area(self):
    offending = {
      f'{path.relative_to(APP_FOLDER.parent)}: {module}'
      for path in sorted(COMMON_FOLDER.rglob('*.py'))
      for module in imported_modules(path)
      if not is_allowed_in_common(module)
    }
    self.assertEqual(offending, set(), 'app/common must not import an area')

  def test_the_check_sees_an_area_import(self):
    # An import of `app` itself (from app import posts) names an area too.
    for module in (
      'app.users.UserHelpers',
      'app.posts',
      'app.search',
      'app.chat',
      'app.jobs',
      'app',
    ):
      self.assertFalse(is_allowed_in_common(module), module)
    for module in ('app.common.CommonForms', 'app.extensions', 'app.config', 'flask', 'sqlalchemy'):
      self.assertTrue(is_allowed_in_common(module), module)
