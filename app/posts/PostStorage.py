"""Where image files live: the local folder (default) or an S3-compatible object store.

Both backends have the same small interface (save, delete, exists, read, keys, url, send), so
the rest of the area never knows which one runs. Reads are proxied through
`GET /api/images/<key>` for both: the URL stays on our origin (the CSP allows images from
'self' only), stays stable when the backend changes, and is cached by browsers for a year.
"""

import re
import secrets
from pathlib import Path

from flask import current_app, send_file, url_for

# Keys are random and flat, so a key from a URL can never name a path outside the folder.
STORAGE_KEY_PATTERN = re.compile(r'^[a-f0-9]{32}(?:_thumb)?\.(?:jpg|png)$')
CONTENT_TYPES = {'jpg': 'image/jpeg', 'png': 'image/png'}
STORAGE_BACKENDS = ('local', 's3')


def new_storage_keys(extension):
  """A fresh pair of keys (image, thumbnail) for a file with this extension."""
  stem = secrets.token_hex(16)
  return f'{stem}.{extension}', f'{stem}_thumb.{extension}'


def is_storage_key(key):
  """Whether `key` has the shape of a key this module hands out."""
  return bool(STORAGE_KEY_PATTERN.match(key or ''))


def content_type_of(key):
  """The MIME type of a stored file, from its key's extension."""
  return CONTENT_TYPES[key.rsplit('.', 1)[-1]]


class ImageUrls:
  """The public URL of a key: the same `/api/images/<key>` route for every backend."""

  url_prefix = None

  def url(self, key):
    """The stable public URL of the file under `key`."""
    if self.url_prefix is None:
      # One url_for per storage (one per serialized page), not two per image: building a URL
      # is a tenth of a post list's time. Keys are hex, '_' and '.', which need no quoting.
      self.url_prefix = url_for('api.get_image_file', key='_')[:-1]
    return self.url_prefix + key


class LocalFolderStorage(ImageUrls):
  """Files in one local folder (config UPLOAD_FOLDER, under instance/ by default)."""

  name = 'local'

  def __init__(self, folder):
    self.folder = Path(folder)

  def path(self, key):
    """The file path of a key; refuses anything that is not a key of ours."""
    if not is_storage_key(key):
      raise ValueError(f'Not a storage key: {key!r}')
    return self.folder / key

  def save(self, key, data):
    """Store `data` (bytes) under `key`, atomically: a reader never sees half a file."""
    self.folder.mkdir(parents=True, exist_ok=True)
    target = self.path(key)
    partial = target.with_name(f'.{key}.partial')
    partial.write_bytes(data)
    partial.replace(target)

  def delete(self, key):
    """Remove the file under `key`; a file already gone is fine."""
    self.path(key).unlink(missing_ok=True)

  def exists(self, key):
    """Whether a file is stored under `key` (anything not shaped like a key is not)."""
    return is_storage_key(key) and self.path(key).is_file()

  def read(self, key):
    """The bytes stored under `key`."""
    return self.path(key).read_bytes()

  def keys(self):
    """Every stored key, sorted (files that are not keys of ours are left out)."""
    if not self.folder.is_dir():
      return []
    return sorted(path.name for path in self.folder.iterdir() if is_storage_key(path.name))

  def send(self, key, max_age):
    """A response serving the file (conditional GET: ETag, Last-Modified), or None when there
    is no file under `key`."""
    if not self.exists(key):
      return None
    return send_file(self.path(key), conditional=True, etag=True, max_age=max_age)


def storage_from_config(config):
  """The storage the config asks for (STORAGE_BACKEND), built once per process and config."""
  if config.get('STORAGE_BACKEND', 'local') == 's3':
    from app.posts.PostStorageS3 import s3_storage_from_config

    return s3_storage_from_config(config)
  return LocalFolderStorage(config['UPLOAD_FOLDER'])


def get_storage():
  """The storage of the running app."""
  return storage_from_config(current_app.config)
