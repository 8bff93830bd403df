"""The OpenAPI 3.1 document of the API, for clients and the contract tests, and the
interactive reference page drawn from it."""

from flask import make_response, render_template

from app.api import api_blueprint
from app.api.openapi.OpenApiDocument import build_openapi_document
from app.common.CommonResponses import json_response
from app.frontend.FrontendAssets import REVALIDATE_CACHE_CONTROL
from app.users.UserHelpers import public_endpoint


@api_blueprint.get('/openapi.json')
@public_endpoint
def openapi_document():
  """The document describing every endpoint of the API."""
  return json_response(build_openapi_document())


@api_blueprint.get('/docs')
@public_endpoint
def api_docs():
  """The interactive API reference: Swagger UI (vendored in app/static) drawing the document."""
  response = make_response(render_template('api-docs.html'))
  response.headers['Cache-Control'] = REVALIDATE_CACHE_CONTROL
  return response
