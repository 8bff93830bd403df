"""The api blueprint: every JSON controller lives in this package, under /api.

Views are private by default: a view answers anonymous users only when it is marked with
`UserHelpers.public_endpoint`, so a new endpoint cannot be left open by accident.
"""

from flask import Blueprint, current_app, request
from flask_login import current_user

from app.common.CommonConstants import API_PREFIX
from app.common.CommonErrors import ApiError

api_blueprint = Blueprint('api', __name__, url_prefix=API_PREFIX)


@api_blueprint.before_request
def require_login_unless_public():
  """Refuse anonymous users everywhere except on views marked public."""
  view = current_app.view_functions.get(request.endpoint)
  if getattr(view, 'is_public', False):
    return
  if not current_user.is_authenticated:
    raise ApiError(401)


def register_controllers():
  """Import the controller modules, whose decorators add their routes to the blueprint."""
  from app.api import (  # noqa: F401
    AuthApi,
    ChatApi,
    DibApi,
    HealthApi,
    PostApi,
    PostImageApi,
    SearchApi,
    UserApi,
  )
