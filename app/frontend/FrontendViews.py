"""The SPA shell: one HTML page for `/` and every client-side route (history routing)."""

from flask import Blueprint, render_template
from werkzeug.routing import PathConverter

frontend_blueprint = Blueprint('frontend', __name__)


class ClientRouteConverter(PathConverter):
  """A path that is not under /api or /static: those answer JSON 404s, not the shell."""

  regex = r'(?!(?:api|static)(?:/|$))[^/].*?'


@frontend_blueprint.get('/')
@frontend_blueprint.get('/<client_route:client_path>')
def spa_shell(client_path=''):
  """The SPA shell; the client reads the path and draws the page."""
  return render_template('app.html')
