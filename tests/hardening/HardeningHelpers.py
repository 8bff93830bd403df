"""Helpers shared by the hardening tests: the routes the app registers, in OpenAPI terms."""

import re

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


def is_registered(app, method, path):
  """True when the app has a route for METHOD and the OpenAPI `path` (skips unmerged areas)."""
  return (method.upper(), path) in registered_api_operations(app)


def example_url(path, values):
  """Fill the {name} placeholders of an OpenAPI path with `values`."""
  return re.sub(r'{([^}]+)}', lambda match: str(values[match.group(1)]), path)
