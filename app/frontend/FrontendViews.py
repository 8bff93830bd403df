"""The SPA shell: one HTML page for `/` and every client-side route (history routing)."""

from flask import Blueprint, make_response, render_template, request
from werkzeug.routing import PathConverter

from app.frontend.FrontendAssets import (
  LONG_CACHE_CONTROL,
  REVALIDATE_CACHE_CONTROL,
  compress_static_response,
  set_static_cache_headers,
  static_url,
)
from app.frontend.FrontendBoot import boot_data
from app.frontend.FrontendBundle import bundle, client_script_url
from app.frontend.FrontendLimits import client_limits
from app.frontend.FrontendRoutes import is_client_route
from app.moderation.ModerationConstants import AUDIT_ACTIONS, REPORT_REASONS
from app.posts.PostConstants import CATEGORIES, CONDITIONS

frontend_blueprint = Blueprint('frontend', __name__)


class ClientRouteConverter(PathConverter):
  """A path that is not under /api or /static: those answer JSON 404s, not the shell."""

  regex = r'(?!(?:api|static)(?:/|$))[^/].*?'


@frontend_blueprint.app_context_processor
def template_helpers():
  """`static_url(filename)` and `client_script_url()` in every template."""
  return {'static_url': static_url, 'client_script_url': client_script_url}


frontend_blueprint.after_app_request(set_static_cache_headers)
frontend_blueprint.after_app_request(compress_static_response)


@frontend_blueprint.get('/bundle/main.js')
def client_bundle():
  """The client's modules as one script (built by esbuild, committed: FrontendBundle); a year
  of caching when asked for by its version."""
  source, version = bundle()
  response = make_response(source)
  response.mimetype = 'text/javascript'
  current = request.args.get('v') == version
  response.headers['Cache-Control'] = LONG_CACHE_CONTROL if current else REVALIDATE_CACHE_CONTROL
  response.set_etag(version)
  return response.make_conditional(request)


@frontend_blueprint.get('/')
@frontend_blueprint.get('/<client_route:client_path>')
def spa_shell(client_path=''):
  """The SPA shell with the fixed lists, the forms' limits and its boot data (FrontendBoot);
  the client reads the path and draws the page. A path that is no client route answers 404
  (the shell still comes, to draw the not-found page). The shell is never cached without
  revalidation, so a deploy's new asset versions reach every browser."""
  status = 200 if is_client_route(request.path) else 404
  boot = boot_data(request.path, request.query_string) if status == 200 else {'user': None}
  page = render_template(
    'app.html',
    categories=CATEGORIES,
    conditions=CONDITIONS,
    report_reasons=REPORT_REASONS,
    audit_actions=AUDIT_ACTIONS,
    limits=client_limits(),
    boot=boot,
  )
  response = make_response(page, status)
  # The boot data names the logged-in user: no shared cache may keep the page.
  response.headers['Cache-Control'] = f'private, {REVALIDATE_CACHE_CONTROL}'
  response.vary.add('Cookie')
  return response
