"""Helpers shared by the hardening tests: the routes the app registers, in OpenAPI terms."""

import os
import re
from contextlib import contextmanager
from unittest import mock

from werkzeug.routing.converters import NumberConverter

from app.common.CommonConstants import API_PREFIX

IGNORED_METHODS = {'HEAD', 'OPTIONS'}
UNSAFE_METHODS = {'POST', 'PUT', 'PATCH', 'DELETE'}
RULE_ARGUMENT = re.compile(r'<(?:[^:<>]+:)?([^<>]+)>')


def openapi_path(rule):
  """/api/posts/<int:post_id> written as OpenAPI writes it: /api/posts/{post_id}."""
  return RULE_ARGUMENT.sub(r'{\1}', rule)


def registered_api_operations(app):
  """Every (METHOD, OpenAPI path) the app answers under /api, HEAD and OPTIONS aside."""
  operations = set()
  for rule in app.url_map.iter_rules():
    if rule.rule != API_PREFIX and not rule.rule.startswith(API_PREFIX + '/'):
      continue
    for method in rule.methods - IGNORED_METHODS:
      operations.add((method, openapi_path(rule.rule)))
  return operations


def example_url(path, values):
  """Fill the {name} placeholders of an OpenAPI path with `values`."""
  return re.sub(r'{([^}]+)}', lambda match: str(values[match.group(1)]), path)


@contextmanager
def separate_app(config_name, **environment):
  """A separately created app with extra environment variables (e.g. a prod app).

  Flask-Limiter's one `limiter` object takes the storage and switches of the last app bound
  to it, so the shared test app is bound again afterwards."""
  from app import create_app
  from app.extensions import limiter
  from tests.base import get_test_app

  shared_app = get_test_app()
  try:
    with mock.patch.dict(os.environ, environment):
      yield create_app(config_name)
  finally:
    limiter.init_app(shared_app)


def production_environment():
  """The variables a staging or prod app refuses to start without, pointing at the test
  database (the requests of these tests never reach it)."""
  from tests.base import get_test_app

  return {
    'SECRET_KEY': 'hardening-test-secret',
    'DATABASE_URL': get_test_app().config['SQLALCHEMY_DATABASE_URI'],
  }


def csrf_token(client):
  """A CSRF token for the client's session, fetched as the SPA does."""
  return client.get('/api/auth/csrf').get_json()['csrf_token']


def fill_rule(rule):
  """A URL for a werkzeug rule, with 1 for integer arguments and `x` for the others."""
  values = {}
  for name, converter in rule._converters.items():
    values[name] = 1 if isinstance(converter, NumberConverter) else 'x'
  return rule.build(values, append_unknown=False)[1]
