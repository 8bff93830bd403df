"""Cache-busting static URLs and the cache headers that go with them.

A versioned URL (`/static/js/main.js?v=<content hash>`) names one exact content, so browsers
may keep it for a year; everything else revalidates (`no-cache` plus an ETag).
"""

import gzip
import hashlib
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


# Scripts, styles, SVG and the shell shrink to a quarter gzipped: on a slow link that is most
# of the wait before the first page draws. Photos are compressed already; tiny files are not
# worth it. The API's JSON is left alone (small, and varied per request).
COMPRESSIBLE_TYPES = (
  'text/javascript',
  'application/javascript',
  'text/css',
  'image/svg+xml',
  'text/html',
)
COMPRESSED_ENDPOINTS = ('static', 'frontend.client_bundle', 'frontend.spa_shell')
COMPRESS_MIN_BYTES = 1024
_COMPRESSED = {}


def gzipped_bytes(data, cache=True):
  """`data` gzipped; an asset's (`cache`) is computed once per content."""
  if not cache:
    return gzip.compress(data, compresslevel=6, mtime=0)
  key = hashlib.sha256(data).digest()
  if key not in _COMPRESSED:
    _COMPRESSED[key] = gzip.compress(data, compresslevel=9, mtime=0)
  return _COMPRESSED[key]


def compress_static_response(response):
  """Gzip a static script, style or SVG, the bundle or the shell, for a client that accepts
  gzip."""
  if request.endpoint not in COMPRESSED_ENDPOINTS:
    return response
  response.vary.add('Accept-Encoding')
  if (
    response.status_code != 200
    or response.mimetype not in COMPRESSIBLE_TYPES
    or 'gzip' not in request.headers.get('Accept-Encoding', '')
    or 'Content-Encoding' in response.headers
  ):
    return response
  response.direct_passthrough = False
  data = response.get_data()
  if len(data) < COMPRESS_MIN_BYTES:
    return response
  # The shell carries per-session boot data: compressed afresh, never kept.
  response.set_data(gzipped_bytes(data, cache=request.endpoint != 'frontend.spa_shell'))
  response.headers['Content-Encoding'] = 'gzip'
  return response
