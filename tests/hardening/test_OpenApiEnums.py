"""Every enum of the OpenAPI document is one entry of components/schemas that every use refers
to, so a generated client (openapi-python-client) gets one type per enum, not one per operation."""

import copy
import json

from openapi_spec_validator import validate

from app.notifications.NotificationConstants import NOTIFICATION_KINDS
from app.posts.PostConstants import CATEGORIES, CONDITIONS, DIB_STATUSES, POST_SORTS, POST_STATUSES
from app.search.SearchConstants import SEARCH_SORTS
from tests.base import ApiTestCase

SCHEMAS_PREFIX = '#/components/schemas/'


def walk(node, path=()):
  """(path, mapping) for every mapping of the document, depth first."""
  if isinstance(node, dict):
    yield path, node
    for key, value in node.items():
      yield from walk(value, (*path, key))
  elif isinstance(node, list):
    for index, value in enumerate(node):
      yield from walk(value, (*path, index))


def inline_enums(document):
  """'/a/b/c' for every `enum` that is not a whole entry of components/schemas."""
  return [
    '/' + '/'.join(map(str, path))
    for path, mapping in walk(document)
    if 'enum' in mapping and not (len(path) == 3 and path[:2] == ('components', 'schemas'))
  ]


def referenced_schemas(document):
  """The names of components/schemas that some $ref of the document points at."""
  return {
    mapping['$ref'].removeprefix(SCHEMAS_PREFIX)
    for _, mapping in walk(document)
    if isinstance(mapping.get('$ref'), str) and mapping['$ref'].startswith(SCHEMAS_PREFIX)
  }


class OpenApiEnumsTest(ApiTestCase):
  def document(self):
    response = self.client.get('/api/openapi.json')
    self.assertEqual(response.status_code, 200)
    return response.get_json()

  def enum_schemas(self, document):
    return {
      name: schema for name, schema in document['components']['schemas'].items() if 'enum' in schema
    }

  def test_no_enum_is_written_inline_and_the_document_still_validates(self):
    document = self.document()
    self.assertEqual(inline_enums(document), [])
    validate(document)

  def test_each_enum_is_written_once_and_used(self):
    document = self.document()
    enums = self.enum_schemas(document)
    self.assertGreaterEqual(len(enums), 10)
    value_lists = [json.dumps(schema['enum']) for schema in enums.values()]
    self.assertEqual(len(value_lists), len(set(value_lists)), 'two schemas list the same values')
    self.assertEqual(set(enums) - referenced_schemas(document), set(), 'enums nobody refers to')

  def test_the_enums_are_the_constants_the_forms_validate_with(self):
    enums = self.enum_schemas(self.document())
    for name, values in {
      'Category': CATEGORIES,
      'Condition': CONDITIONS,
      'PostStatus': POST_STATUSES,
      'DibStatus': DIB_STATUSES,
      'PostSort': POST_SORTS,
      'SearchSort': SEARCH_SORTS,
      'NotificationKind': NOTIFICATION_KINDS,
    }.items():
      with self.subTest(name=name):
        self.assertEqual(enums[name]['enum'], list(values))

  def test_the_category_of_every_operation_is_the_one_shared_schema(self):
    document = self.document()
    category = {'$ref': SCHEMAS_PREFIX + 'Category'}
    uses = []
    for path, mapping in walk(document['paths']):
      if mapping.get('name') == 'category' and mapping.get('in') == 'query':
        uses.append(path)
        self.assertIn(category, mapping['schema']['anyOf'])
      if path[-1:] == ('properties',) and 'category' in mapping:
        uses.append(path)
        # The category itself, or a nullable one (a saved search may have none).
        schema = mapping['category']
        self.assertIn(category, [schema, *schema.get('oneOf', [])])
    self.assertEqual(document['components']['schemas']['Post']['properties']['category'], category)
    # The post list, search, creating and editing a post: each refers to the one schema.
    self.assertGreaterEqual(len(uses), 4, uses)

  def test_the_checker_finds_an_enum_written_inline(self):
    document = copy.deepcopy(self.document())
    post = document['components']['schemas']['Post']['properties']
    post['category'] = {'type': 'string', 'enum': list(CATEGORIES)}
    self.assertEqual(inline_enums(document), ['/components/schemas/Post/properties/category'])
