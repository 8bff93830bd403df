"""Building the client's bundle with esbuild: `make bundle` (`manage.py bundle`), and the tests
that prove the committed bundle is what the sources build to.

One list of esbuild options, used by both. esbuild is the version package.json pins (installed
by `make esbuild` into node_modules/); any other version is refused, because another version may
print other bytes. The bundle's first line names the digest of every file under app/static/js/,
so a test finds a bundle older than its sources even where esbuild is not installed.
"""

import hashlib
import json
import subprocess  # nosec B404 # runs the pinned esbuild with a fixed argv, no shell
from pathlib import Path

import click

from app.config import PROJECT_ROOT
from app.frontend.FrontendBundle import BUNDLE_PATH

CLIENT_SOURCES = PROJECT_ROOT / 'app' / 'static' / 'js'
CLIENT_ENTRY_PATH = CLIENT_SOURCES / 'main.js'
PACKAGE_JSON = PROJECT_ROOT / 'package.json'
ESBUILD_PATH = PROJECT_ROOT / 'node_modules' / '.bin' / 'esbuild'
# An ES module (the shell loads it with type="module": deferred, strict), every import inlined,
# minified (a third of the bytes of the sources; gzip does the rest), the syntax the sources
# use (no --target: browsers run what they ran as modules).
ESBUILD_OPTIONS = ('--bundle', '--format=esm', '--minify', '--charset=ascii', '--log-level=warning')
BANNER_PREFIX = '// Built by esbuild from app/static/js/ (make bundle). Sources sha256: '
BUILD_TIMEOUT_SECONDS = 60


class BundleError(Exception):
  """esbuild is missing, of another version than the pinned one, or refused the sources."""


def pinned_esbuild_version():
  """The esbuild version package.json pins (exactly: no range)."""
  return json.loads(PACKAGE_JSON.read_text())['devDependencies']['esbuild']


def sources_digest(folder=CLIENT_SOURCES):
  """sha256 of every .js file under `folder`: its path and its bytes, in path order."""
  digest = hashlib.sha256()
  for path in sorted(folder.rglob('*.js')):
    digest.update(path.relative_to(folder).as_posix().encode() + b'\0')
    digest.update(hashlib.sha256(path.read_bytes()).digest())
  return digest.hexdigest()


def bundle_banner(folder=CLIENT_SOURCES):
  """The bundle's first line: how it was built, and from which sources."""
  return f'{BANNER_PREFIX}{sources_digest(folder)}'


def run_esbuild(arguments, esbuild=ESBUILD_PATH):
  """esbuild's output for `arguments`; BundleError with esbuild's message when it fails."""
  try:
    # A fixed program (node_modules/.bin/esbuild) and argv, no shell.
    completed = subprocess.run(  # nosec B603
      [str(esbuild), *arguments],
      cwd=PROJECT_ROOT,
      capture_output=True,
      text=True,
      timeout=BUILD_TIMEOUT_SECONDS,
    )
  except OSError as error:
    raise BundleError(f'esbuild cannot run ({error}): run `make esbuild`.') from error
  if completed.returncode != 0:
    raise BundleError(f'esbuild failed:\n{completed.stderr.strip()}')
  return completed.stdout


def esbuild_unavailable_reason(esbuild=ESBUILD_PATH):
  """Why the pinned esbuild cannot build here, or None when it can."""
  if not Path(esbuild).exists():
    return f'esbuild is not installed at {esbuild} (make esbuild: npm, from package.json).'
  try:
    version = run_esbuild(['--version'], esbuild).strip()
  except BundleError as error:
    return str(error)
  if version != pinned_esbuild_version():
    return f'esbuild {version} is installed, package.json pins {pinned_esbuild_version()}.'
  return None


def build_bundle(entry, outfile, banner, esbuild=ESBUILD_PATH):
  """Bundle the module `entry` and everything it imports into `outfile`, under `banner`."""
  reason = esbuild_unavailable_reason(esbuild)
  if reason:
    raise BundleError(reason)
  arguments = [str(entry), *ESBUILD_OPTIONS, f'--banner:js={banner}', f'--outfile={outfile}']
  run_esbuild(arguments, esbuild)


def build_client_bundle(outfile=BUNDLE_PATH):
  """Build the client from app/static/js/main.js into `outfile` (the committed bundle)."""
  # Relative to the project (esbuild's working folder): no checkout's path reaches the bytes.
  entry = CLIENT_ENTRY_PATH.relative_to(PROJECT_ROOT)
  build_bundle(entry, outfile, bundle_banner(), esbuild=ESBUILD_PATH)


@click.command('bundle')
def bundle_command():
  """Rebuild the client's one script (app/frontend/bundle/main.js) with the pinned esbuild."""
  try:
    build_client_bundle()
  except BundleError as error:
    raise click.ClickException(str(error)) from error
  click.echo(f'{BUNDLE_PATH.relative_to(PROJECT_ROOT)}: {BUNDLE_PATH.stat().st_size} bytes.')


def register_frontend_commands(app):
  """Attach `bundle` to the app's CLI."""
  app.cli.add_command(bundle_command)
