"""Where image files live: the local folder (default) or an S3-compatible object store.

Both backends have the same small interface (save, delete, exists, read, keys, url, send), so
the rest of the area never knows which one runs. Reads are proxied through
`GET /api/images/<key>` for both: the URL stays on our origin (the CSP allows images from
'self' only), stays stable when the backend changes, and is cached by browsers for a year.
"""

from pathlib import Path

from flask import current_app, send_file

from app.posts.PostStorageBase import ImageUrls, is_storage_key
from app.posts.PostStorageS3 import s3_storage_from_config


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

  def stored_at(self, key):
    """When the file under `key` was written, as a Unix time."""
    return self.path(key).stat().st_mtime

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
    return s3_storage_from_config(config)
  return LocalFolderStorage(config['UPLOAD_FOLDER'])


def get_storage():
  """The storage of the running app."""
  return storage_from_config(current_app.config)
