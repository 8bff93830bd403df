"""orjson as Flask's JSON provider: the same JSON documents, serialized several times faster.

Anything orjson refuses (integers beyond 64 bits, for one) goes through Flask's default
provider, so no input or payload behaves differently, only faster. Times: the API writes them
as strings with `to_iso`; a datetime that reaches the provider still becomes Flask's HTTP date,
as before (OPT_PASSTHROUGH_DATETIME hands it to `default`).
"""

import orjson
from flask.json.provider import DefaultJSONProvider

ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


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
    """Parse JSON; what orjson refuses is given to the standard library, which decides."""
    try:
      return orjson.loads(text)
    except orjson.JSONDecodeError:
      return super().loads(text, **kwargs)

  def response(self, *args, **kwargs):
    """A JSON response, compact like the default provider's outside debug mode."""
    if self._app.debug and self.compact is None:
      return super().response(*args, **kwargs)
    payload = self._prepare_response_obj(args, kwargs)
    return self._app.response_class(self.dumps_bytes(payload) + b'\n', mimetype=self.mimetype)
