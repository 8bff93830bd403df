"""A real S3-compatible HTTP server for the storage tests: moto's standalone server.

Debian has no MinIO, SeaweedFS or Garage package and nothing else may be downloaded here;
moto's server (PyPI) speaks the S3 REST protocol over HTTP, so boto3 talks to it exactly as it
would to MinIO or AWS (signing, paths, errors). It runs as a child process on a free port.
"""

import socket
import subprocess
import sys
import time
import urllib.request

ACCESS_KEY_ID = 'dibz-test-access-key'
SECRET_ACCESS_KEY = 'dibz-test-secret-key'  # nosec B105 # a throwaway server's key


def free_port():
  """A TCP port nobody listens on right now."""
  with socket.socket() as probe:
    probe.bind(('127.0.0.1', 0))
    return probe.getsockname()[1]


class S3Server:
  """moto_server on 127.0.0.1:<free port>, started and stopped by a test class."""

  def __init__(self):
    self.port = free_port()
    self.endpoint_url = f'http://127.0.0.1:{self.port}'
    self.process = None

  def start(self, wait_seconds=30):
    """Start the server and wait until it answers; raises when it does not."""
    self.process = subprocess.Popen(
      [sys.executable, '-m', 'moto.server', '-H', '127.0.0.1', '-p', str(self.port)],
      stdout=subprocess.DEVNULL,
      stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
      if self.process.poll() is not None:
        raise RuntimeError(f'moto_server exited at start ({self.process.returncode})')
      try:
        with urllib.request.urlopen(f'{self.endpoint_url}/moto-api/', timeout=2):
          return self
      except OSError:
        time.sleep(0.2)
    self.stop()
    raise RuntimeError(f'moto_server did not answer within {wait_seconds} s')

  def stop(self):
    """Stop the server (its buckets live in memory and go with it)."""
    if self.process and self.process.poll() is None:
      self.process.terminate()
      try:
        self.process.wait(timeout=10)
      except subprocess.TimeoutExpired:
        self.process.kill()
        self.process.wait()

  def client(self):
    """A boto3 client of this server, to look behind the app's back."""
    import boto3

    return boto3.client(
      's3',
      endpoint_url=self.endpoint_url,
      region_name='us-east-1',
      aws_access_key_id=ACCESS_KEY_ID,
      aws_secret_access_key=SECRET_ACCESS_KEY,
    )

  def app_settings(self, bucket, prefix=''):
    """The config values that point the app at `bucket` on this server."""
    return {
      'STORAGE_BACKEND': 's3',
      'S3_BUCKET': bucket,
      'S3_ENDPOINT_URL': self.endpoint_url,
      'S3_REGION': 'us-east-1',
      'S3_ACCESS_KEY_ID': ACCESS_KEY_ID,
      'S3_SECRET_ACCESS_KEY': SECRET_ACCESS_KEY,
      'S3_KEY_PREFIX': prefix,
    }
