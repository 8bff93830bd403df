"""The committed bundle (app/frontend/bundle/main.js) is what the pinned esbuild builds from the
sources in app/static/js/, and esbuild keeps code that a hand-written transpiler broke.

The rebuilding tests need esbuild (`make esbuild`); without it they skip with the reason, except
where DIBZ_REQUIRE_ESBUILD is set (CI), where a missing esbuild fails them.
"""

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path
from unittest import mock

from app import create_app
from app.frontend import FrontendBundleBuild
from app.frontend.FrontendBundle import BUNDLE_PATH
from app.frontend.FrontendBundleBuild import (
  BANNER_PREFIX,
  CLIENT_SOURCES,
  ESBUILD_OPTIONS,
  BundleError,
  build_bundle,
  build_client_bundle,
  bundle_banner,
  esbuild_unavailable_reason,
  pinned_esbuild_version,
  run_esbuild,
  sources_digest,
)

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PACKAGE_LOCK = PROJECT_ROOT / 'package-lock.json'

# A module whose template literal holds lines that look like comments: the regex transpiler
# this replaced dropped the `//cdn…` line (issue 21, item 2).
TRICKY_MODULE = """// A real comment.
export const markup = `<p>
  //cdn.example.com/x.png
  /* not a comment */
</p>`;
export const url = 'http://example.com/a//b'; // a comment after code
/* A real block comment. */
export const regex = /\\/\\/[a-z]+/.source;
"""
TRICKY_ENTRY = """import {markup, url, regex} from './tricky.js';
console.log(JSON.stringify({markup, url, regex}));
"""
TRICKY_VALUES = {
  'markup': '<p>\n  //cdn.example.com/x.png\n  /* not a comment */\n</p>',
  'url': 'http://example.com/a//b',
  'regex': '\\/\\/[a-z]+',
}


def require_esbuild(test_case):
  """Skip `test_case` when the pinned esbuild is missing, unless CI requires it."""
  reason = esbuild_unavailable_reason()
  if reason is None:
    return
  if os.environ.get('DIBZ_REQUIRE_ESBUILD'):
    test_case.fail(f'DIBZ_REQUIRE_ESBUILD is set but {reason}')
  raise unittest.SkipTest(reason)


class ClientBundleSourcesTest(unittest.TestCase):
  """What holds without esbuild: the committed bundle names the sources it was built from."""

  def test_the_committed_bundle_was_built_from_the_current_sources(self):
    first_line = BUNDLE_PATH.read_text().splitlines()[0]
    self.assertTrue(first_line.startswith(BANNER_PREFIX), first_line)
    self.assertEqual(
      first_line,
      bundle_banner(),
      'app/static/js/ changed since app/frontend/bundle/main.js was built: run `make bundle`.',
    )

  def test_the_digest_changes_with_any_source_file(self):
    with tempfile.TemporaryDirectory() as folder:
      sources = Path(folder)
      (sources / 'pages').mkdir()
      (sources / 'main.js').write_text('export const a = 1;\n')
      before = sources_digest(sources)
      (sources / 'pages' / 'new.js').write_text('export const b = 2;\n')
      added = sources_digest(sources)
      (sources / 'pages' / 'new.js').write_text('export const b = 3;\n')
      edited = sources_digest(sources)
    self.assertEqual(len({before, added, edited}), 3)

  def test_esbuild_is_pinned_exactly_in_package_json_and_its_lock(self):
    version = pinned_esbuild_version()
    self.assertRegex(version, r'^\d+\.\d+\.\d+$')
    lock = json.loads(PACKAGE_LOCK.read_text())
    self.assertEqual(lock['packages']['']['devDependencies']['esbuild'], version)
    self.assertEqual(lock['packages']['node_modules/esbuild']['version'], version)
    self.assertTrue(lock['packages']['node_modules/esbuild']['integrity'].startswith('sha512-'))

  def test_a_missing_esbuild_is_named_with_what_to_run(self):
    missing = PROJECT_ROOT / 'no-such-folder' / 'esbuild'
    reason = esbuild_unavailable_reason(missing)
    self.assertIn('make esbuild', reason)
    before = BUNDLE_PATH.read_bytes()
    runner = create_app('testing').test_cli_runner()
    with mock.patch.object(FrontendBundleBuild, 'ESBUILD_PATH', missing):
      result = runner.invoke(args=['bundle'])
    self.assertEqual(result.exit_code, 1, result.output)
    self.assertIn('make esbuild', result.output)
    # Refused before esbuild runs: the committed bundle is untouched.
    self.assertEqual(BUNDLE_PATH.read_bytes(), before)


class ClientBundleBuildTest(unittest.TestCase):
  """What the pinned esbuild proves: the bundle's bytes, and code the old transpiler broke."""

  def setUp(self):
    require_esbuild(self)

  def test_the_committed_bundle_is_exactly_what_the_sources_build_to(self):
    with tempfile.TemporaryDirectory() as folder:
      rebuilt = Path(folder) / 'main.js'
      build_client_bundle(rebuilt)
      self.assertEqual(
        rebuilt.read_bytes(),
        BUNDLE_PATH.read_bytes(),
        'app/frontend/bundle/main.js is not what the sources build to: run `make bundle`.',
      )

  def test_every_client_module_is_in_the_bundle(self):
    """esbuild's own account of its inputs: every module but the API docs page's entry."""
    with tempfile.TemporaryDirectory() as folder:
      metafile = Path(folder) / 'meta.json'
      arguments = ['app/static/js/main.js', *ESBUILD_OPTIONS, f'--metafile={metafile}']
      run_esbuild([*arguments, f'--outfile={Path(folder) / "main.js"}'])
      inputs = set(json.loads(metafile.read_text())['inputs'])
    modules = {
      f'app/static/js/{path.relative_to(CLIENT_SOURCES).as_posix()}'
      for path in CLIENT_SOURCES.rglob('*.js')
    } - {'app/static/js/api-docs.js'}
    self.assertEqual(inputs, modules)

  def test_a_template_literal_with_comment_like_lines_survives_bundling(self):
    node = shutil.which('node')
    if node is None:
      self.skipTest('node is not installed (it comes with npm, which installs esbuild).')
    with tempfile.TemporaryDirectory() as folder:
      sources = Path(folder)
      (sources / 'tricky.js').write_text(TRICKY_MODULE)
      (sources / 'entry.js').write_text(TRICKY_ENTRY)
      bundled = sources / 'bundle.mjs'
      build_bundle(sources / 'entry.js', bundled, bundle_banner(sources))
      # The bundle, run: node's own fixed argv on a file this test wrote.
      completed = subprocess.run(
        [node, str(bundled)], capture_output=True, text=True, timeout=30, check=True
      )
    self.assertEqual(json.loads(completed.stdout), TRICKY_VALUES)

  def test_esbuild_refuses_what_it_cannot_resolve_with_its_message(self):
    with tempfile.TemporaryDirectory() as folder:
      entry = Path(folder) / 'entry.js'
      entry.write_text("import {gone} from './missing.js';\nconsole.log(gone);\n")
      with self.assertRaises(BundleError) as raised:
        build_bundle(entry, Path(folder) / 'out.js', '// a banner')
    self.assertIn('missing.js', str(raised.exception))
