"""The api blueprint: every JSON controller lives in this package, under /api.

Views are private by default: a view answers anonymous users only when it is marked with
`UserHelpers.public_endpoint`, so a new endpoint cannot be left open by accident.
"""

from flask import Blueprint, current_app, request
from flask_login import current_user
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from app.common.CommonConstants import API_PREFIX, MAX_ROW_ID
from app.common.CommonErrors import ApiError
from app.extensions import csrf

api_blueprint = Blueprint('api', __name__, url_prefix=API_PREFIX)


class RowIdConverter(IntegerConverter):
  """`<row_id:name>`: a positive id; larger than any row can have, it is a 404 right away.

  Refusing the value with int(max=...) instead makes werkzeug answer 405 when another rule
  has the same path with other methods, and an unchecked one overflows the database (500).
  """

  def to_python(self, value):
    number = super().to_python(value)
    if number > MAX_ROW_ID:
      raise NotFound()
    return number


@api_blueprint.before_request
def require_login_unless_public():
  """Refuse anonymous users everywhere except on views marked public, then check CSRF.

  The login check comes first, so an anonymous call to a private endpoint is told to log in
  (401) rather than that it lacks a token it could not have had (400 csrf)."""
  view = current_app.view_functions.get(request.endpoint)
  if not getattr(view, 'is_public', False) and not current_user.is_authenticated:
    raise ApiError(401)
  csrf.protect(apply_exemptions=True)


def register_controllers():
  """Import the controller modules, whose decorators add their routes to the blueprint."""
  from app.api import (  # noqa: F401
    AuthApi,
    ChatApi,
    DibApi,
    EventApi,
    HealthApi,
    ModerationApi,
    NotificationApi,
    OpenApi,
    PostApi,
    PostImageApi,
    SearchApi,
    UserApi,
    UserBlockApi,
  )
