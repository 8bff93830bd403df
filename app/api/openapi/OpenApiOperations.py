"""Builders for the operations of the OpenAPI document, adding the errors every rule implies.

An operation states what it takes and what it answers on success; the builder adds the
error responses that follow from the API's conventions (401 when private, 400 and 413 on
unsafe methods, 415 and 422 for a JSON body, 404 for a path id, 429 when rate-limited, 409
and 422 for the Idempotency-Key every POST takes unless `idempotent=False`), so no area can
forget one.
"""

from app.api.openapi.OpenApiComponents import ERROR_RESPONSES, ref

UNSAFE_METHODS = ('post', 'put', 'patch', 'delete')


def json_content(schema):
  """A JSON media type holding `schema`."""
  return {'application/json': {'schema': schema}}


def wrapped(key, schema_name):
  """An object with one key holding a component schema, e.g. {"user": {...}}."""
  return {'type': 'object', 'properties': {key: ref(schema_name)}, 'required': [key]}


def json_body(properties, required=()):
  """A JSON object request body; unknown keys are ignored by the API, so they are allowed."""
  schema = {'type': 'object', 'properties': properties}
  if required:
    schema['required'] = list(required)
  return {'required': True, 'content': json_content(schema)}


def multipart_body(field_name, description):
  """A multipart/form-data body with one required file field."""
  schema = {
    'type': 'object',
    'properties': {field_name: {'type': 'string', 'contentMediaType': 'application/octet-stream'}},
    'required': [field_name],
  }
  return {
    'required': True,
    'description': description,
    'content': {'multipart/form-data': {'schema': schema}},
  }


def query_parameter(name, schema, required=False, description=None):
  """A query-string parameter."""
  parameter = {'name': name, 'in': 'query', 'required': required, 'schema': schema}
  if description:
    parameter['description'] = description
  return parameter


def path_parameter(name, schema):
  """A path parameter (always required)."""
  return {'name': name, 'in': 'path', 'required': True, 'schema': schema}


def success_response(description, schema=None, headers=None):
  """A success response; without a schema it has no body (204)."""
  response = {'description': description}
  if schema is not None:
    response['content'] = json_content(schema)
  if headers:
    response['headers'] = headers
  return response


def implied_error_statuses(method, public, body, query, path, rate_limited, errors, idempotent):
  """The error statuses an operation can answer, from the conventions of API.md."""
  statuses = set(errors)
  if idempotent:
    # 409 while the key's first request runs, 422 for a malformed or reused key.
    statuses.update({409, 422})
  if not public:
    statuses.add(401)
  if method in UNSAFE_METHODS:
    statuses.update({400, 413})
  if body is not None:
    statuses.update({400, 413, 415, 422})
  if query:
    # 400 for a NUL character, 422 for a wrong value.
    statuses.update({400, 422})
  if path:
    statuses.add(404)
  if rate_limited:
    statuses.add(429)
  return sorted(statuses)


def operation(
  method,
  operation_id,
  summary,
  tag,
  responses,
  public=False,
  body=None,
  query=(),
  path=(),
  errors=(),
  rate_limited=False,
  description=None,
  cached=False,
  idempotent=None,
):
  """One operation object: `responses` maps success statuses to success_response() objects.
  A `cached` read (CommonCache) answers 200 with an ETag, and 304 to a matching If-None-Match.
  Every POST takes an Idempotency-Key (app/idempotency) unless `idempotent` is False, as the
  views marked `idempotency_exempt` are."""
  if idempotent is None:
    idempotent = method == 'post'
  if idempotent:
    responses = {
      status: with_replayed_header(response) if 200 <= status < 300 else response
      for status, response in responses.items()
    }
  parameters = [path_parameter(name, schema) for name, schema in path]
  parameters += list(query)
  if cached:
    parameters.append({'$ref': '#/components/parameters/IfNoneMatch'})
    ok = responses[200]
    responses = {
      **responses,
      200: {
        **ok,
        'headers': {**ok.get('headers', {}), 'ETag': {'$ref': '#/components/headers/ETag'}},
      },
      304: {'$ref': '#/components/responses/NotModified'},
    }
  if method in UNSAFE_METHODS:
    parameters.append({'$ref': '#/components/parameters/CsrfToken'})
  if idempotent:
    parameters.append({'$ref': '#/components/parameters/IdempotencyKey'})
  result = {'operationId': operation_id, 'summary': summary, 'tags': [tag]}
  if description:
    result['description'] = description
  if public:
    result['security'] = []
  if parameters:
    result['parameters'] = parameters
  if body is not None:
    result['requestBody'] = body
  all_responses = {str(status): response for status, response in responses.items()}
  implied = implied_error_statuses(
    method, public, body, query, path, rate_limited, errors, idempotent
  )
  for status in implied:
    all_responses[str(status)] = {'$ref': f'#/components/responses/{ERROR_RESPONSES[status][0]}'}
  result['responses'] = all_responses
  return result


def with_replayed_header(response):
  """A success response that may be the replay of a key's first answer."""
  headers = {**response.get('headers', {}), 'Idempotent-Replayed': {'$ref': REPLAYED_HEADER_REF}}
  return {**response, 'headers': headers}


REPLAYED_HEADER_REF = '#/components/headers/IdempotentReplayed'


def paths_from_table(tag, table):
  """The paths object of an area from its table. Each row is (`METHOD /path`, operationId,
  summary, {success status: (description, JSON schema) or (description,) when there is no
  body, or a whole response object}, the other arguments of operation() as a dict)."""
  paths = {}
  for route, operation_id, summary, successes, options in table:
    method, path = route.split(' ', 1)
    method = method.lower()
    responses = {
      status: response if isinstance(response, dict) else success_response(*response)
      for status, response in successes.items()
    }
    paths.setdefault(path, {})[method] = operation(
      method, operation_id, summary, tag, responses, **options
    )
  return paths


AFTER_QUERY = {'$ref': '#/components/parameters/After'}
PAGE_QUERY = (
  {'$ref': '#/components/parameters/Page'},
  {'$ref': '#/components/parameters/PerPage'},
)
