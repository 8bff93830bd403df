"""JSON responses shared by every controller."""

from flask import jsonify


def json_response(payload, status=200, headers=None):
  """Serialize `payload` as the JSON body of a response with `status`."""
  response = jsonify(payload)
  response.status_code = status
  for name, value in (headers or {}).items():
    response.headers[name] = value
  return response


def no_content():
  """An empty 204 answer."""
  return '', 204
