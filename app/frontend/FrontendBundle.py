"""The client's one script, as the app serves it.

`app/static/js/` holds the client as ES modules; esbuild (pinned in package.json) bundles them
into `app/frontend/bundle/main.js`, which is committed, so running Dibz needs no node: `make
bundle` rebuilds it (FrontendBundleBuild.py) and tests/frontend/test_ClientBundle.py proves the
committed file is what the pinned esbuild builds from the sources. Why a bundle and why esbuild:
docs/DECISIONS.md ("The client bundle").

In debug mode (`FLASK_DEBUG=true make run`) the shell loads the modules themselves instead, so
an edit shows on the next reload without a build.
"""

import hashlib

from flask import current_app, url_for

from app.config import PROJECT_ROOT
from app.frontend.FrontendAssets import STATIC_VERSION_LENGTH, static_url

BUNDLE_PATH = PROJECT_ROOT / 'app' / 'frontend' / 'bundle' / 'main.js'
# The entry module, under the static folder: what the bundle is built from and what debug mode
# loads as a module.
CLIENT_ENTRY = 'js/main.js'

_BUNDLE = {}


def bundle():
  """(bytes, content hash) of the committed bundle, read once per process (on every request
  in debug mode)."""
  if current_app.debug or 'bundle' not in _BUNDLE:
    source = BUNDLE_PATH.read_bytes()
    _BUNDLE['bundle'] = (source, hashlib.sha256(source).hexdigest()[:STATIC_VERSION_LENGTH])
  return _BUNDLE['bundle']


def client_script_url():
  """The shell's one script: the bundle at its versioned URL, or the entry module in debug mode."""
  if current_app.debug:
    return static_url(CLIENT_ENTRY)
  return url_for('frontend.client_bundle', v=bundle()[1])
