"""The shell hands the SPA the bounds of its forms, named after the areas' constants, and the
OpenAPI document describes that object."""

import json
from html.parser import HTMLParser

from app.chat import ChatConstants
from app.moderation import ModerationConstants
from app.posts import PostConstants, PostHoldConstants
from app.reviews import ReviewConstants
from app.search import SearchConstants
from app.users import UserConstants
from tests import factories
from tests.base import ApiTestCase

AREA_CONSTANTS = (
  UserConstants,
  PostConstants,
  PostHoldConstants,
  ChatConstants,
  SearchConstants,
  ReviewConstants,
  ModerationConstants,
)


class MetaReader(HTMLParser):
  """The content of every <meta name=...> of a page."""

  def __init__(self):
    super().__init__()
    self.meta = {}

  def handle_starttag(self, tag, attrs):
    attributes = dict(attrs)
    if tag == 'meta' and 'name' in attributes:
      self.meta[attributes['name']] = attributes.get('content')


def constant_named(key):
  """The value of the area constant whose lower-cased name is `key`."""
  values = {
    getattr(module, key.upper()) for module in AREA_CONSTANTS if hasattr(module, key.upper())
  }
  assert len(values) == 1, f'{key}: no area constant, or several that disagree: {values}'
  return values.pop()


class ClientLimitsTest(ApiTestCase):
  def shell_limits(self, path='/'):
    """The JSON object in the shell's dibz-limits meta tag."""
    response = self.client.get(path)
    self.assertEqual(response.status_code, 200)
    reader = MetaReader()
    reader.feed(response.get_data(as_text=True))
    return json.loads(reader.meta['dibz-limits'])

  def test_every_limit_is_an_area_constant_under_its_lower_cased_name(self):
    limits = self.shell_limits()
    for key in (
      'display_name_max_length',
      'username_min_length',
      'username_max_length',
      'password_min_length',
      'password_max_length',
      'bio_max_length',
      'campus_max_length',
      'title_max_length',
      'description_max_length',
      'price_max_cents',
      'message_body_max_length',
      'query_max_length',
    ):
      self.assertIn(key, limits)
    for key, value in limits.items():
      self.assertEqual(value, constant_named(key), key)
    self.assertEqual(limits['display_name_max_length'], 50)
    # Every client route gets the same shell.
    self.assertEqual(self.shell_limits('/posts/new'), limits)

  def test_the_openapi_document_describes_the_limits(self):
    limits = self.shell_limits()
    schema = self.client.get('/api/openapi.json').get_json()['components']['schemas']
    properties = schema['ClientLimits']['properties']
    self.assertEqual({key: value['const'] for key, value in properties.items()}, limits)
    self.assertEqual(sorted(schema['ClientLimits']['required']), sorted(limits))

  def test_the_server_enforces_the_limits_it_hands_out(self):
    limits = self.shell_limits()
    self.login_as(factories.make_user())
    longest = 'x' * limits['display_name_max_length']
    response = self.api('patch', '/api/users/me', json={'display_name': longest})
    self.assertEqual(response.status_code, 200, response.get_json())
    response = self.api('patch', '/api/users/me', json={'display_name': longest + 'x'})
    self.assert_error(response, 422, 'validation_error', fields=['display_name'])
    query = 'q' * limits['query_max_length']
    self.assertEqual(self.client.get(f'/api/search/posts?q={query}').status_code, 200)
    response = self.client.get(f'/api/search/posts?q={query}q')
    self.assert_error(response, 422, 'validation_error', fields=['q'])
