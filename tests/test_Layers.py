"""The layers of app/: no cycle between files, and areas that depend in one direction only.

The test reads the import graph of app/ (every import, at the top of a file or inside a
function) with `ast`, and checks it against AREA_LAYERS, the order the README states.
"""

import ast
import unittest
from pathlib import Path

APP_FOLDER = Path(__file__).resolve().parent.parent / 'app'
COMMON_FOLDER = APP_FOLDER / 'common'
# What app/common may import from app/: itself and the extensions. Anything else under app/ is
# an area (users, posts, chat, search, and every future one) or sits above them.
COMMON_MAY_IMPORT = ('app.common', 'app.extensions')

# The areas of app/ from the bottom up: a file may import its own area and the areas of lower
# layers, never an area of its own layer or above. Every package and top-level module of app/
# is placed here: a new area is one more name in the right layer (the test fails until it is).
AREA_LAYERS = (
  ('extensions',),  # the unbound Flask extensions
  ('common',),  # what every area shares
  ('config',),  # the config classes (they read common's constants)
  ('campuses',),  # campuses, their email domains and pickup spots (users and posts read them)
  ('users', 'idempotency'),  # idempotency: Idempotency-Key claims and replays (imports only common)
  ('events',),  # live updates (a stream checks its user's login)
  ('notifications',),
  ('posts',),
  ('chat', 'search', 'reviews'),  # reviews: after a sale (posts, users, notifications)
  ('moderation',),  # reports, decisions, suspensions (reads chat's messages for context)
  ('privacy',),  # my data: the export and the deletion of an account (reads every area below)
  ('frontend', 'demo'),  # the SPA shell and its boot data; demo data of every area
  ('api',),  # the JSON controllers (the OpenAPI page reuses the frontend's cache rules)
  ('models', 'jobs'),  # app/models.py and app/jobs.py import every area's models or jobs
  ('app',),  # app/__init__.py: the factory
)
LAYER_OF = {area: index for index, layer in enumerate(AREA_LAYERS) for area in layer}


def module_name(path):
  """The dotted module name of a file under app/ (a package is its __init__.py)."""
  parts = list(path.relative_to(APP_FOLDER.parent).with_suffix('').parts)
  if parts[-1] == '__init__':
    parts.pop()
  return '.'.join(parts)


def app_modules():
  """{module name: path} of every Python file under app/."""
  return {module_name(path): path for path in sorted(APP_FOLDER.rglob('*.py'))}


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


def file_of(name, modules):
  """The module of app/ that an imported name lives in (`app.posts.PostModels.Post` is
  `app.posts.PostModels`), or None outside app/."""
  while name and name not in modules:
    name = name.rpartition('.')[0]
  return name or None


def import_graph(modules):
  """{module: the other modules of app/ it imports}."""
  graph = {}
  for name, path in modules.items():
    targets = {file_of(imported, modules) for imported in imported_modules(path)}
    graph[name] = {target for target in targets if target and target != name}
  return graph


def find_cycles(graph):
  """The strongly connected groups of more than one module (Tarjan), each sorted."""
  index, low, stack, on_stack, cycles = {}, {}, [], set(), []

  def visit(module):
    index[module] = low[module] = len(index)
    stack.append(module)
    on_stack.add(module)
    for target in sorted(graph.get(module, ())):
      if target not in index:
        visit(target)
        low[module] = min(low[module], low[target])
      elif target in on_stack:
        low[module] = min(low[module], index[target])
    if low[module] == index[module]:
      group = []
      while True:
        member = stack.pop()
        on_stack.discard(member)
        group.append(member)
        if member == module:
          break
      if len(group) > 1:
        cycles.append(sorted(group))

  for module in sorted(graph):
    if module not in index:
      visit(module)
  return sorted(cycles)


def area_of(module):
  """The area of a module: `app.posts.PostModels` is posts, `app.config` config, `app` app."""
  parts = module.split('.')
  return parts[1] if len(parts) > 1 else 'app'


def upward_imports(graph):
  """'importer -> imported' for every import of another area that is not in a lower layer."""
  found = []
  for importer, targets in sorted(graph.items()):
    for target in sorted(targets):
      source_area, target_area = area_of(importer), area_of(target)
      if source_area == target_area:
        continue
      if LAYER_OF.get(target_area, len(AREA_LAYERS)) >= LAYER_OF.get(source_area, -1):
        found.append(f'{importer} ({source_area}) -> {target} ({target_area})')
  return found


def function_imports_without_reason(source, label):
  """'label:line' of each import of app.* inside a function or class of `source` with no
  comment on the line above saying why it is not at the top."""
  lines = source.splitlines()
  found = set()
  for scope in ast.walk(ast.parse(source, filename=label)):
    if not isinstance(scope, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
      continue
    for node in ast.walk(scope):
      names = []
      if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
      elif isinstance(node, ast.ImportFrom):
        names = [node.module or '']
      if any(name == 'app' or name.startswith('app.') for name in names):
        above = lines[node.lineno - 2].strip() if node.lineno > 1 else ''
        if not above.startswith('#'):
          found.add(node.lineno)
  return [f'{label}:{line}' for line in sorted(found)]


def is_allowed_in_common(module):
  """Whether app/common may import `module`: anything outside app/, or its own layer."""
  if module != 'app' and not module.startswith('app.'):
    return True
  return any(module == name or module.startswith(name + '.') for name in COMMON_MAY_IMPORT)


class FileGraphTest(unittest.TestCase):
  def setUp(self):
    self.modules = app_modules()
    self.graph = import_graph(self.modules)

  def test_no_cycle_between_files(self):
    self.assertEqual(find_cycles(self.graph), [], 'files of app/ that import each other')

  def test_every_area_is_placed_in_the_order(self):
    areas = {area_of(module) for module in self.modules}
    self.assertEqual(sorted(areas - set(LAYER_OF)), [], 'place these areas in AREA_LAYERS')
    self.assertEqual(sorted(set(LAYER_OF) - areas), [], 'AREA_LAYERS names areas that are gone')

  def test_areas_import_only_lower_layers(self):
    self.assertEqual(upward_imports(self.graph), [], 'imports against AREA_LAYERS')

  def test_no_function_level_import_of_app_without_a_reason(self):
    found = [
      place
      for path in self.modules.values()
      for place in function_imports_without_reason(
        path.read_text(), str(path.relative_to(APP_FOLDER.parent))
      )
    ]
    self.assertEqual(found, [], 'move these imports to the top (or say above why they cannot)')


class TheChecksSeeWhatTheyLookFor(unittest.TestCase):
  def test_a_cycle_of_two_or_three_files_is_found(self):
    graph = {'a': {'b'}, 'b': {'a'}, 'c': {'d'}, 'd': {'e'}, 'e': {'c'}, 'f': {'a'}}
    self.assertEqual(find_cycles(graph), [['a', 'b'], ['c', 'd', 'e']])
    self.assertEqual(find_cycles({'a': {'b'}, 'b': set()}), [])

  def test_an_import_of_a_higher_sibling_or_unplaced_area_is_found(self):
    graph = {
      'app.posts.PostHelpers': {'app.chat.ChatModels', 'app.users.UserModels'},
      'app.chat.ChatHelpers': {'app.search.SearchHelpers', 'app.posts.PostModels'},
      'app.users.UserHelpers': {'app.ratings.RatingModels'},
      'app.ratings.RatingHelpers': {'app.users.UserModels'},
    }
    self.assertEqual(
      upward_imports(graph),
      [
        'app.chat.ChatHelpers (chat) -> app.search.SearchHelpers (search)',
        'app.posts.PostHelpers (posts) -> app.chat.ChatModels (chat)',
        'app.ratings.RatingHelpers (ratings) -> app.users.UserModels (users)',
        'app.users.UserHelpers (users) -> app.ratings.RatingModels (ratings)',
      ],
    )

  def test_an_imported_name_is_its_module(self):
    modules = {'app', 'app.posts', 'app.posts.PostModels'}
    self.assertEqual(file_of('app.posts.PostModels.Post', modules), 'app.posts.PostModels')
    self.assertEqual(file_of('app.posts.PostModels', modules), 'app.posts.PostModels')
    self.assertIsNone(file_of('flask.Flask', modules))
    self.assertEqual(area_of('app'), 'app')
    self.assertEqual(area_of('app.config'), 'config')

  def test_a_function_level_import_needs_a_comment_above(self):
    source = (
      'from app.extensions import db\n\n\n'
      'def late():\n  from app.extensions import db\n\n\n'
      'def explained():\n  # Imported here: the probe says why.\n  import app.extensions\n\n\n'
      'class Late:\n  def method(self):\n    from flask import g\n    from app import jobs\n'
    )
    self.assertEqual(
      function_imports_without_reason(source, 'probe.py'), ['probe.py:5', 'probe.py:16']
    )


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
      'app.config',
      'app',
    ):
      self.assertFalse(is_allowed_in_common(module), module)
    for module in ('app.common.CommonForms', 'app.extensions', 'flask', 'sqlalchemy'):
      self.assertTrue(is_allowed_in_common(module), module)
