"""Where image files live. The interface (save, delete, exists, url, plus path for serving) is
small on purpose: an object store (S3 and the like) can replace the local folder without the
rest of the area noticing."""

import re
import secrets
from pathlib import Path

from flask import current_app, url_for

# Keys are random and flat, so a key from a URL can never name a path outside the folder.
STORAGE_KEY_PATTERN = re.compile(r'^[a-f0-9]{32}(?:_thumb)?\.(?:jpg|png)$')


def new_storage_keys(extension):
  """A fresh pair of keys (image, thumbnail) for a file with this extension."""
  stem = secrets.token_hex(16)
  return f'{stem}.{extension}', f'{stem}_thumb.{extension}'


def is_storage_key(key):
  """Whether `key` has the shape of a key this module hands out."""
  return bool(STORAGE_KEY_PATTERN.match(key or ''))


class LocalFolderStorage:
  """Files in one local folder (config UPLOAD_FOLDER, under instance/ by default)."""

  def __init__(self, folder):
    self.folder = Path(folder)
    self.url_prefix = None

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

  def url(self, key):
    """The stable public URL of the file under `key`."""
    if self.url_prefix is None:
      # One url_for per storage (one per serialized page), not two per image: building a URL
      # is a tenth of a post list's time. Keys are hex, '_' and '.', which need no quoting.
      self.url_prefix = url_for('api.get_image_file', key='_')[:-1]
    return self.url_prefix + key


def get_storage():
  """The storage of the running app."""
  return LocalFolderStorage(current_app.config['UPLOAD_FOLDER'])
