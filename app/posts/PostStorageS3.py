"""Image files in an S3-compatible object store (AWS S3, MinIO, Ceph, Garage, ...), via boto3.

Bucket, endpoint, region and keys come from the config (S3_* variables). Reads are proxied by
the app (see PostStorage), so the bucket stays private and needs no CORS or public policy.
"""

import io
import threading

from flask import send_file

from app.posts.PostStorageBase import ImageUrls, content_type_of, is_storage_key

# boto3 clients are thread-safe and slow to build (tens of ms): one per process and settings.
_CLIENTS = {}
_CLIENTS_LOCK = threading.Lock()


def s3_client(endpoint_url, region, access_key_id, secret_access_key):
  """The boto3 S3 client for these settings, built once per process."""
  cache_key = (endpoint_url, region, access_key_id, secret_access_key)
  with _CLIENTS_LOCK:
    if cache_key not in _CLIENTS:
      import boto3
      from botocore.config import Config

      _CLIENTS[cache_key] = boto3.client(
        's3',
        endpoint_url=endpoint_url or None,
        region_name=region,
        aws_access_key_id=access_key_id or None,
        aws_secret_access_key=secret_access_key or None,
        # Path-style addressing works with every S3-compatible server; short timeouts and
        # few retries keep a slow store from holding a worker for long.
        config=Config(
          s3={'addressing_style': 'path'},
          connect_timeout=3,
          read_timeout=10,
          retries={'max_attempts': 3, 'mode': 'standard'},
        ),
      )
    return _CLIENTS[cache_key]


def is_missing(error):
  """Whether a botocore ClientError says the object does not exist."""
  code = error.response.get('Error', {}).get('Code', '')
  return code in ('404', 'NoSuchKey', 'NotFound')


class S3Storage(ImageUrls):
  """Objects `<prefix><key>` in one bucket."""

  name = 's3'

  def __init__(self, client, bucket, prefix=''):
    self.client = client
    self.bucket = bucket
    self.prefix = prefix

  def object_name(self, key):
    """The object name of a key; refuses anything that is not a key of ours."""
    if not is_storage_key(key):
      raise ValueError(f'Not a storage key: {key!r}')
    return self.prefix + key

  def save(self, key, data):
    """Store `data` (bytes) under `key` (a PUT is atomic: readers see all or nothing)."""
    self.client.put_object(
      Bucket=self.bucket,
      Key=self.object_name(key),
      Body=data,
      ContentType=content_type_of(key),
    )

  def delete(self, key):
    """Remove the object under `key`; an object already gone is fine (S3 says so too)."""
    self.client.delete_object(Bucket=self.bucket, Key=self.object_name(key))

  def exists(self, key):
    """Whether an object is stored under `key`."""
    from botocore.exceptions import ClientError

    if not is_storage_key(key):
      return False
    try:
      self.client.head_object(Bucket=self.bucket, Key=self.object_name(key))
    except ClientError as error:
      if is_missing(error):
        return False
      raise
    return True

  def read(self, key):
    """The bytes stored under `key`."""
    answer = self.client.get_object(Bucket=self.bucket, Key=self.object_name(key))
    return answer['Body'].read()

  def stored_at(self, key):
    """When the object under `key` was written, as a Unix time."""
    answer = self.client.head_object(Bucket=self.bucket, Key=self.object_name(key))
    return answer['LastModified'].timestamp()

  def keys(self):
    """Every stored key under the prefix, sorted."""
    paginator = self.client.get_paginator('list_objects_v2')
    found = []
    for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
      for item in page.get('Contents', []):
        key = item['Key'][len(self.prefix) :]
        if is_storage_key(key):
          found.append(key)
    return sorted(found)

  def send(self, key, max_age):
    """A response with the object's bytes (one GET to the store; images are at most a few
    MB), or None when there is no object under `key`."""
    from botocore.exceptions import ClientError

    try:
      answer = self.client.get_object(Bucket=self.bucket, Key=self.object_name(key))
    except ClientError as error:
      if is_missing(error):
        return None
      raise
    # Keys are never reused for other content, so the key itself is a strong ETag.
    return send_file(
      io.BytesIO(answer['Body'].read()),
      mimetype=content_type_of(key),
      conditional=True,
      etag=key,
      last_modified=answer.get('LastModified'),
      max_age=max_age,
    )


def s3_storage_from_config(config):
  """The S3 storage described by the S3_* settings."""
  client = s3_client(
    config['S3_ENDPOINT_URL'],
    config['S3_REGION'],
    config['S3_ACCESS_KEY_ID'],
    config['S3_SECRET_ACCESS_KEY'],
  )
  return S3Storage(client, config['S3_BUCKET'], config['S3_KEY_PREFIX'])
