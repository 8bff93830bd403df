"""The SPA shell: one HTML page for `/` and every client-side route (history routing)."""

from flask import Blueprint, make_response, render_template, request
from werkzeug.routing import PathConverter

from app.frontend.FrontendAssets import (
  REVALIDATE_CACHE_CONTROL,
  module_preload_urls,
  set_static_cache_headers,
  static_url,
)
from app.frontend.FrontendRoutes import is_client_route
from app.posts.PostConstants import CATEGORIES, CONDITIONS

frontend_blueprint = Blueprint('frontend', __name__)


class ClientRouteConverter(PathConverter):
  """A path that is not under /api or /static: those answer JSON 404s, not the shell."""

  regex = r'(?!(?:api|static)(?:/|$))[^/].*?'


@frontend_blueprint.app_context_processor
def template_helpers():
  """`static_url(filename)` and `module_preload_urls(entry)` in every template."""
  return {'static_url': static_url, 'module_preload_urls': module_preload_urls}


frontend_blueprint.after_app_request(set_static_cache_headers)


@frontend_blueprint.get('/')
@frontend_blueprint.get('/<client_route:client_path>')
def spa_shell(client_path=''):
  """The SPA shell; the client reads the path and draws the page. A path that is no client
  route answers 404 (the shell still comes, to draw the not-found page). The shell itself is
  never cached without revalidation, so a deploy's new asset versions reach every browser."""
  status = 200 if is_client_route(request.path) else 404
  response = make_response(
    render_template('app.html', categories=CATEGORIES, conditions=CONDITIONS), status
  )
  response.headers['Cache-Control'] = REVALIDATE_CACHE_CONTROL
  return response
