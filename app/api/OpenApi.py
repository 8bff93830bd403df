"""The OpenAPI 3.1 document of the API, for clients, docs and the contract tests."""

from app.api import api_blueprint
from app.api.openapi.OpenApiDocument import build_openapi_document
from app.common.CommonResponses import json_response
from app.users.UserHelpers import public_endpoint


@api_blueprint.get('/openapi.json')
@public_endpoint
def openapi_document():
  """The document describing every endpoint of the API."""
  return json_response(build_openapi_document())
