"""What both image storages share: the shape of keys, their content types and public URLs."""

import re
import secrets

from flask import url_for

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
