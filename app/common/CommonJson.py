"""orjson as Flask's JSON provider: the same JSON documents, serialized several times faster.

Anything orjson refuses to write goes through Flask's default provider. Parsing is bounded:
what orjson refuses to read is given to the standard library with limits (no integer beyond 64
bits, no NaN or infinity, no nesting past the recursion limit), so every refusal is a
ValueError (a 400 envelope), never a RecursionError or OverflowError (a 500). The standard
library still reads lone surrogates ("\\ud800"), which the string fields refuse with a 422.
Times: the API writes them as strings with `to_iso`; a datetime that reaches the provider
still becomes Flask's HTTP date, as before (OPT_PASSTHROUGH_DATETIME hands it to `default`).
"""

import json
import math

import orjson
from flask.json.provider import DefaultJSONProvider

ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME
# What fits a signed 64-bit integer, the widest column any id or amount is stored in.
MAX_JSON_INTEGER = 2**63 - 1
MAX_JSON_INTEGER_DIGITS = 19


class JsonBoundsError(ValueError):
  """A JSON text refused for its shape (depth, size of a number); the message says why."""


def bounded_int(digits):
  """An integer literal of the body, refused past 64 bits before Python builds a huge int."""
  if len(digits.lstrip('-')) > MAX_JSON_INTEGER_DIGITS or abs(int(digits)) > MAX_JSON_INTEGER:
    raise JsonBoundsError('The request body holds an integer larger than 64 bits.')
  return int(digits)


def finite_float(text):
  """A number with a fraction or exponent; infinity (1e400) is refused."""
  value = float(text)
  if not math.isfinite(value):
    raise JsonBoundsError('The request body holds a number too large to represent.')
  return value


def refuse_constant(name):
  raise JsonBoundsError(f'{name} is not JSON.')


def strict_loads(text):
  """The standard library's parser with the limits above; RecursionError becomes a refusal."""
  try:
    return json.loads(
      text, parse_int=bounded_int, parse_float=finite_float, parse_constant=refuse_constant
    )
  except RecursionError:
    raise JsonBoundsError('The request body is nested too deeply.') from None


class OrjsonProvider(DefaultJSONProvider):
  """Flask's JSON provider on orjson, falling back to the default one for what orjson refuses."""

  # Keys stay in the order the serializers write them, as with the default provider here.
  sort_keys = False

  def dumps(self, obj, **kwargs):
    """JSON text of `obj`; keyword options (indent, ...) are the standard library's."""
    if kwargs:
      return super().dumps(obj, **kwargs)
    return self.dumps_bytes(obj).decode()

  def dumps_bytes(self, obj):
    try:
      return orjson.dumps(obj, default=self.default, option=ORJSON_OPTIONS)
    except orjson.JSONEncodeError:
      return super().dumps(obj).encode()

  def loads(self, text, **kwargs):
    """Parse JSON; what orjson refuses is given to the bounded standard-library parser."""
    try:
      return orjson.loads(text)
    except orjson.JSONDecodeError:
      return strict_loads(text)

  def response(self, *args, **kwargs):
    """A JSON response, compact like the default provider's outside debug mode."""
    if self._app.debug and self.compact is None:
      return super().response(*args, **kwargs)
    payload = self._prepare_response_obj(args, kwargs)
    return self._app.response_class(self.dumps_bytes(payload) + b'\n', mimetype=self.mimetype)
