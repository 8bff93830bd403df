"""One script for the whole client, built in Python from its ES modules (no node, no build step).

Browsers open at most six HTTP/1.1 connections to a host, so twenty module files cost four
round trips one after the other; on a slow link (1.5 s each) that is most of the wait before
the first page draws. The bundle is one request. Each module becomes a function run once, in
dependency order, whose named exports land in a table the importing modules read:

  import {h, append} from './dom.js';   →   const {h, append} = dibzModules['js/dom.js'];
  export function h(…) {…}              →   function h(…) {…}   …and `return {h, …};`

Only what the client uses is supported: named imports, bare imports and `export` of a
function, class, const or let, or `export {a, b as c}`. Anything else (a default export, a
namespace or dynamic import) stops the build with an error naming the file, rather than
shipping a bundle that behaves differently from the modules. The files stay loadable one by
one (tests import them so).
"""

import hashlib
import posixpath
import re
from pathlib import Path

from flask import current_app

BUNDLE_TABLE = 'dibzModules'
NAMED_IMPORT = re.compile(r"""^import\s*\{([^}]*)\}\s*from\s*['"]([^'"]+)['"];?[ \t]*$""", re.M)
BARE_IMPORT = re.compile(r"""^import\s*['"]([^'"]+)['"];?[ \t]*$""", re.M)
EXPORT_DECLARATION = re.compile(
  r'^export\s+((?:async\s+)?function\*?|class|const|let)\s+([A-Za-z_$][\w$]*)', re.M
)
EXPORT_LIST = re.compile(r'^export\s*\{([^}]*)\};?[ \t]*$', re.M)
UNSUPPORTED = re.compile(r'^\s*(?:export\b|import\b)|\bimport\s*\(', re.M)
# Whole-line comments: a fifth of the bytes, none of the behaviour (a comment that shares a
# line with code stays, so no string can be cut).
LINE_COMMENT = re.compile(r'^[ \t]*//[^\n]*\n', re.M)
BLOCK_COMMENT = re.compile(r'^[ \t]*/\*[\s\S]*?\*/[ \t]*\n', re.M)

_BUNDLES = {}


class BundleError(Exception):
  """A module uses a form of import or export the bundler does not support."""


def module_key(filename):
  """The table key of a module: its path under the static folder, e.g. 'js/dom.js'."""
  return posixpath.normpath(filename)


def resolve(importer, specifier):
  """The static-folder path of `specifier` imported from `importer`."""
  if not specifier.startswith(('./', '../')):
    raise BundleError(f'{importer}: only relative imports can be bundled ({specifier}).')
  return module_key(posixpath.join(posixpath.dirname(importer), specifier))


def binding_pattern(names_text, exporting=False):
  """`a, b as c` as a destructuring (`a, b: c`) or, for exports, an object (`a, c: b`)."""
  parts = []
  for item in names_text.split(','):
    words = item.split()
    if not words:
      continue
    if len(words) == 3 and words[1] == 'as':
      parts.append(f'{words[2]}: {words[0]}' if exporting else f'{words[0]}: {words[2]}')
    elif len(words) == 1:
      parts.append(words[0])
    else:
      raise BundleError(f'Cannot bundle the binding list {{{names_text}}}.')
  return ', '.join(parts)


def transform_module(filename, source):
  """(dependencies, the module as a function body returning its exports)."""
  dependencies = []
  exports = []

  def replace_import(match):
    """A named import becomes a destructuring of the imported module's exports."""
    target = resolve(filename, match.group(2))
    dependencies.append(target)
    return f"const {{{binding_pattern(match.group(1))}}} = {BUNDLE_TABLE}['{target}'];"

  def replace_bare_import(match):
    """A bare import only orders the modules."""
    dependencies.append(resolve(filename, match.group(1)))
    return ''

  def replace_declaration(match):
    """An exported declaration stays, unexported, and is returned."""
    exports.append(match.group(2))
    return match.group(0)[len('export') :].lstrip()

  def replace_list(match):
    """An export list is returned as the object's entries."""
    exports.append(binding_pattern(match.group(1), exporting=True))
    return ''

  body = BLOCK_COMMENT.sub('', LINE_COMMENT.sub('', source))
  body = NAMED_IMPORT.sub(replace_import, body)
  body = BARE_IMPORT.sub(replace_bare_import, body)
  body = EXPORT_DECLARATION.sub(replace_declaration, body)
  body = EXPORT_LIST.sub(replace_list, body)
  leftover = UNSUPPORTED.search(body)
  if leftover:
    raise BundleError(f'{filename}: cannot bundle "{leftover.group(0).strip()}".')
  return dependencies, f'{body.rstrip()}\nreturn {{{", ".join(exports)}}};'


def build_bundle(entry_filename):
  """The bundle's source: every module reachable from the entry, dependencies first."""
  static_root = Path(current_app.static_folder)
  ordered = []
  visiting = set()
  transformed = {}

  def visit(filename):
    """Add `filename` after its dependencies (a depth-first walk)."""
    if filename in transformed:
      return
    if filename in visiting:
      raise BundleError(f'{filename}: circular imports cannot be bundled.')
    visiting.add(filename)
    path = static_root / filename
    if not path.is_file():
      raise BundleError(f'{filename}: no such module.')
    dependencies, body = transform_module(filename, path.read_text(encoding='utf-8'))
    for dependency in dependencies:
      visit(dependency)
    transformed[filename] = body
    ordered.append(filename)

  visit(module_key(entry_filename))
  parts = [f'// Built from app/static/{entry_filename} by FrontendBundle.py.\n']
  parts.append(f'const {BUNDLE_TABLE} = {{}};\n')
  for filename in ordered:
    parts.append(f"\n// --- {filename}\n{BUNDLE_TABLE}['{filename}'] = (() => {{\n")
    parts.append(transformed[filename])
    parts.append('\n})();\n')
  return ''.join(parts)


def bundle(entry_filename):
  """(source, content hash) of the bundle of `entry_filename`, built once per process (on
  every request in debug mode, for live edits)."""
  if current_app.debug or entry_filename not in _BUNDLES:
    source = build_bundle(entry_filename)
    version = hashlib.sha256(source.encode()).hexdigest()[:12]
    _BUNDLES[entry_filename] = (source, version)
  return _BUNDLES[entry_filename]
