"""Wait until /api/health/ready answers 200 from the expected release; run on each server.

Standard library only, so it runs with the host's python3 before any virtualenv exists:
  python3 deploy/DeployProbe.py --url http://127.0.0.1:8000/api/health/ready --release NAME
Exit status 0 when ready, 1 when the time is up (the last answer is printed either way).
"""

import argparse
import json
import sys
import time
import urllib.error
import urllib.request

RELEASE_HEADER = 'X-Dibz-Release'
PAUSE_SECONDS = 0.5


def probe_once(url):
  """One GET: (status, release header, body text), or (None, None, reason) when no answer."""
  try:
    with urllib.request.urlopen(url, timeout=5) as response:
      return response.status, response.headers.get(RELEASE_HEADER), response.read().decode()
  except urllib.error.HTTPError as error:
    return error.code, error.headers.get(RELEASE_HEADER), error.read().decode()
  except (OSError, ValueError) as error:
    return None, None, str(error)


def wait_until_ready(url, release, timeout):
  """Poll until a 200 from `release` (any release when empty), or until `timeout` seconds."""
  deadline = time.monotonic() + timeout
  while True:
    status, answered_by, body = probe_once(url)
    ready = status == 200 and (not release or answered_by == release)
    if ready or time.monotonic() >= deadline:
      return ready, {'status': status, 'release': answered_by, 'body': body[:500]}
    time.sleep(PAUSE_SECONDS)


def main(argv=None):
  """Parse the arguments, wait, print the last answer as JSON and exit 0 or 1."""
  parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
  parser.add_argument('--url', required=True)
  parser.add_argument('--release', default='')
  parser.add_argument('--timeout', type=float, default=30)
  arguments = parser.parse_args(argv)
  ready, answer = wait_until_ready(arguments.url, arguments.release, arguments.timeout)
  print(json.dumps(answer))
  return 0 if ready else 1


if __name__ == '__main__':
  sys.exit(main())
