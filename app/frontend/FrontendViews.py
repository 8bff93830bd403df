"""The SPA shell: one HTML page for `/` and every client-side route (history routing)."""

from functools import cache

from flask import Blueprint, make_response, render_template
from werkzeug.routing import PathConverter

from app.chat import ChatConstants
from app.frontend.FrontendAssets import (
  REVALIDATE_CACHE_CONTROL,
  set_static_cache_headers,
  static_url,
)
from app.posts import PostConstants
from app.posts.PostConstants import CATEGORIES, CONDITIONS
from app.search import SearchConstants
from app.users import UserConstants

LIMIT_CONSTANT_MODULES = (UserConstants, PostConstants, ChatConstants, SearchConstants)

frontend_blueprint = Blueprint('frontend', __name__)


class ClientRouteConverter(PathConverter):
  """A path that is not under /api or /static: those answer JSON 404s, not the shell."""

  regex = r'(?!(?:api|static)(?:/|$))[^/].*?'


@frontend_blueprint.app_context_processor
def template_helpers():
  """`static_url(filename)` in every template."""
  return {'static_url': static_url}


frontend_blueprint.after_app_request(set_static_cache_headers)


@cache
def client_limits():
  """The areas' numeric bounds (`*MAX*`, `*MIN*` constants) by lower-cased name, for the SPA's
  forms: DISPLAY_NAME_MAX_LENGTH → display_name_max_length."""
  return {
    name.lower(): value
    for module in LIMIT_CONSTANT_MODULES
    for name, value in vars(module).items()
    if name.isupper() and ('MAX' in name or 'MIN' in name) and type(value) is int
  }


@frontend_blueprint.get('/')
@frontend_blueprint.get('/<client_route:client_path>')
def spa_shell(client_path=''):
  """The SPA shell; the client reads the path and draws the page. The shell itself is never
  cached without revalidation, so a deploy's new asset versions reach every browser."""
  response = make_response(
    render_template(
      'app.html', categories=CATEGORIES, conditions=CONDITIONS, limits=client_limits()
    )
  )
  response.headers['Cache-Control'] = REVALIDATE_CACHE_CONTROL
  return response
