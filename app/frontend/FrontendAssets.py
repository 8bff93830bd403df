"""Cache-busting static URLs and the cache headers that go with them.

A versioned URL (`/static/js/main.js?v=<content hash>`) names one exact content, so browsers
may keep it for a year; everything else revalidates (`no-cache` plus an ETag).
"""

import hashlib
import posixpath
import re
from pathlib import Path

from flask import current_app, request, url_for

STATIC_VERSION_LENGTH = 12
LONG_CACHE_CONTROL = 'public, max-age=31536000, immutable'
REVALIDATE_CACHE_CONTROL = 'no-cache'

# Content hashes by absolute path. Each process computes a file's hash once: static files only
# change with a deploy, which starts new processes. Debug mode skips the cache for live edits.
_STATIC_VERSIONS = {}


def static_version(filename):
  """The short content hash of a file under the static folder, or None when it is missing."""
  path = Path(current_app.static_folder, filename).resolve()
  static_root = Path(current_app.static_folder).resolve()
  if static_root not in path.parents or not path.is_file():
    return None
  if current_app.debug or path not in _STATIC_VERSIONS:
    _STATIC_VERSIONS[path] = hashlib.sha256(path.read_bytes()).hexdigest()[:STATIC_VERSION_LENGTH]
  return _STATIC_VERSIONS[path]


def static_url(filename):
  """The URL of a static file with `?v=<content hash>`, for templates."""
  version = static_version(filename)
  if version is None:
    return url_for('static', filename=filename)
  return url_for('static', filename=filename, v=version)


# `import … from './x.js'`, `import './x.js'` and `export … from './x.js'`: the static imports
# of the client's modules (it has no dynamic ones), relative to the importing file.
STATIC_IMPORT_PATTERN = re.compile(
  r"""^\s*(?:import|export)\b[^'";]*?(?:from\s*)?['"](\.{1,2}/[^'"]+)['"]""", re.MULTILINE
)
_MODULE_GRAPHS = {}


def module_graph(entry_filename):
  """Every module `entry_filename` (under the static folder) imports, directly or not, in
  the order a breadth-first walk meets them; the entry itself is left out."""
  if not current_app.debug and entry_filename in _MODULE_GRAPHS:
    return _MODULE_GRAPHS[entry_filename]
  static_root = Path(current_app.static_folder)
  seen = [entry_filename]
  queue = [entry_filename]
  while queue:
    filename = queue.pop(0)
    path = static_root / filename
    if not path.is_file():
      continue
    for imported in STATIC_IMPORT_PATTERN.findall(path.read_text(encoding='utf-8')):
      target = posixpath.normpath(posixpath.join(posixpath.dirname(filename), imported))
      if target not in seen:
        seen.append(target)
        queue.append(target)
  _MODULE_GRAPHS[entry_filename] = seen[1:]
  return _MODULE_GRAPHS[entry_filename]


def module_preload_urls(entry_filename):
  """The URLs to `<link rel="modulepreload">` so the browser fetches the whole module graph
  at once instead of one import level per round trip. Unversioned, as the modules import
  each other, so the preloaded responses are the ones the imports use."""
  return [url_for('static', filename=filename) for filename in module_graph(entry_filename)]


def set_static_cache_headers(response):
  """Year-long caching for a static file asked for by its current version; revalidation else."""
  if request.endpoint != 'static' or response.status_code not in (200, 304):
    return response
  filename = (request.view_args or {}).get('filename', '')
  requested_version = request.args.get('v')
  if requested_version and requested_version == static_version(filename):
    response.headers['Cache-Control'] = LONG_CACHE_CONTROL
  else:
    response.headers['Cache-Control'] = REVALIDATE_CACHE_CONTROL
  return response
