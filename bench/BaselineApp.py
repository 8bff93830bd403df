"""The baseline: a bare Flask app that answers each captured request with the captured bytes.

It does what Flask alone costs for the same response (routing, a request and a response
object, the same body size) and nothing Dibz adds: no session, no database, no serialization.
gunicorn loads it with `bench.BaselineApp:create_app_from_environment()`.
"""

import json
import os

from flask import Flask, Response, request

CAPTURE_FILE_VARIABLE = 'BENCH_CAPTURE_FILE'
# A capture under this key answers every request that has no capture of its own (the mix of
# bench/BenchMix.py: one body of the mean size of the app's answers, whatever the URL).
FALLBACK_KEY = '*'


def request_key(method, path, query_string=''):
  """How a captured response is looked up: method, path and query string."""
  return f'{method} {path}?{query_string}' if query_string else f'{method} {path}'


def create_baseline_app(captures):
  """A Flask app serving `captures`: {request_key: {'status', 'content_type', 'body'}}."""
  app = Flask(__name__)
  responses = {
    key: (capture['body'].encode(), capture['status'], capture['content_type'])
    for key, capture in captures.items()
  }

  @app.route('/', defaults={'path': ''}, methods=['GET', 'POST'])
  @app.route('/<path:path>', methods=['GET', 'POST'])
  def serve_captured(path):
    key = request_key(request.method, request.path, request.query_string.decode())
    if key not in responses:
      key = FALLBACK_KEY
    if key not in responses:
      return Response(b'{"error": "not captured"}', 404, content_type='application/json')
    body, status, content_type = responses[key]
    return Response(body, status, content_type=content_type)

  return app


def load_captures(path):
  """The captures written by the runner."""
  with open(path, encoding='utf-8') as capture_file:
    return json.load(capture_file)


def create_app_from_environment():
  """The gunicorn entry point: captures from the file named by BENCH_CAPTURE_FILE."""
  return create_baseline_app(load_captures(os.environ[CAPTURE_FILE_VARIABLE]))
