"""The SPA shell: one HTML page for `/` and every client-side route (history routing)."""

from flask import Blueprint, make_response, render_template
from werkzeug.routing import PathConverter

from app.frontend.FrontendAssets import (
  REVALIDATE_CACHE_CONTROL,
  set_static_cache_headers,
  static_url,
)
from app.frontend.FrontendLimits import client_limits
from app.posts.PostConstants import CATEGORIES, CONDITIONS

frontend_blueprint = Blueprint('frontend', __name__)


class ClientRouteConverter(PathConverter):
  """A path that is not under /api or /static: those answer JSON 404s, not the shell."""

  regex = r'(?!(?:api|static)(?:/|$))[^/].*?'


@frontend_blueprint.app_context_processor
def template_helpers():
  """`static_url(filename)` in every template."""
  return {'static_url': static_url}


frontend_blueprint.after_app_request(set_static_cache_headers)


@frontend_blueprint.get('/')
@frontend_blueprint.get('/<client_route:client_path>')
def spa_shell(client_path=''):
  """The SPA shell, with the fixed lists and the forms' limits; the client reads the path and
  draws the page. The shell itself is never cached without revalidation, so a deploy's new
  asset versions reach every browser."""
  response = make_response(
    render_template(
      'app.html', categories=CATEGORIES, conditions=CONDITIONS, limits=client_limits()
    )
  )
  response.headers['Cache-Control'] = REVALIDATE_CACHE_CONTROL
  return response
