"""A property of every endpoint that takes a body: whatever JSON value or byte string it is
sent, the answer is never a 5xx, and every error is the JSON envelope.

Hypothesis draws the endpoint and the body together; the run is bounded (MAX_EXAMPLES) and
derandomized, so CI sees the same cases every time."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing.converters import NumberConverter

from app.common.CommonConstants import API_PREFIX
from app.extensions import limiter
from tests import factories
from tests.base import ApiTestCase

BODY_METHODS = ('POST', 'PUT', 'PATCH')
MAX_EXAMPLES = 300
PROPERTY_SETTINGS = settings(
  max_examples=MAX_EXAMPLES,
  derandomize=True,
  deadline=None,
  database=None,
  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Strings with what breaks encoders and databases: lone surrogates, NUL, controls, bidi.
HOSTILE_CHARACTERS = st.sampled_from(['\ud800', '\udfff', '\x00', '\u202e', '\ufeff', '\U0010ffff'])
JSON_TEXT = st.text(st.one_of(st.characters(), HOSTILE_CHARACTERS), max_size=40)
JSON_SCALARS = st.one_of(
  st.none(),
  st.booleans(),
  st.integers(min_value=-(2**70), max_value=2**70),
  st.floats(allow_nan=False, allow_infinity=False),
  JSON_TEXT,
)
JSON_VALUES = st.recursive(
  JSON_SCALARS,
  lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(JSON_TEXT, children, max_size=4)
  ),
  max_leaves=12,
)
FIELD_NAMES = st.sampled_from(
  [
    'email',
    'username',
    'password',
    'display_name',
    'remember',
    'token',
    'new_password',
    'current_password',
    'bio',
    'campus',
    'title',
    'description',
    'price_cents',
    'category',
    'condition',
    'body',
    'up_to',
  ]
)
# Objects keyed by the field names the forms know, so the values reach every validator.
FORM_OBJECTS = st.dictionaries(FIELD_NAMES, JSON_VALUES, max_size=5)
RAW_BODIES = st.one_of(
  st.binary(max_size=200),
  st.sampled_from(
    [
      b'[' * 5000 + b']' * 5000,
      b'{"price_cents": 1' + b'0' * 400 + b'}',
      b'{"email": "\\ud800"}',
      b'{"title": NaN}',
      b'\xff\xfe\x00',
    ]
  ),
)

pytestmark = pytest.mark.slow


def body_routes(app):
  """(method, rule) of every route under /api that takes a body."""
  routes = []
  for rule in app.url_map.iter_rules():
    if not rule.rule.startswith(API_PREFIX + '/'):
      continue
    for method in sorted(rule.methods & set(BODY_METHODS)):
      routes.append((method, rule))
  return sorted(routes, key=lambda route: (route[1].rule, route[0]))


class BodyPropertyTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.user = factories.make_user()
    self.login_as(self.user)
    seller = factories.make_user()
    self.own_post = factories.make_post(self.user)
    self.other_post = factories.make_post(seller)
    self.ids = {'post_id': self.other_post.id}
    opened = self.api('post', f'/api/posts/{self.other_post.id}/conversations')
    self.ids['conversation_id'] = opened.get_json()['conversation']['id']
    self.ids['dib_id'] = self.api('post', f'/api/posts/{self.other_post.id}/dibs').get_json()[
      'dib'
    ]['id']
    self.routes = body_routes(self.app)

  def url_for_rule(self, method, rule):
    """A URL that reaches the body parsing: my post where only the seller may act."""
    values = {}
    for name, converter in rule._converters.items():
      if name == 'post_id' and method == 'PATCH':
        values[name] = self.own_post.id
      elif isinstance(converter, NumberConverter) or name.endswith('_id'):
        values[name] = self.ids.get(name, 1)
      else:
        values[name] = 'x'
    return rule.build(values, append_unknown=False)[1]

  def keep_logged_in(self):
    """A drawn body may log the client out (an empty logout); log in again."""
    if self.client.get('/api/users/me').status_code != 200:
      limiter.reset()
      self.login_as(self.user)

  def assert_envelope_or_success(self, response, description):
    self.assertLess(response.status_code, 500, description)
    if response.status_code >= 400:
      self.assertTrue(response.is_json, description)
      error = response.get_json()['error']
      self.assertTrue(error['code'] and error['message'], description)

  @PROPERTY_SETTINGS
  @given(
    route_index=st.integers(min_value=0, max_value=10_000),
    body=st.one_of(
      FORM_OBJECTS.map(lambda value: json.dumps(value).encode()),
      JSON_VALUES.map(lambda value: json.dumps(value).encode()),
      RAW_BODIES,
    ),
  )
  def test_no_body_gives_a_5xx_and_every_error_is_the_envelope(self, route_index, body):
    method, rule = self.routes[route_index % len(self.routes)]
    self.keep_logged_in()
    # The limits have their own tests; here they would only hide what comes after them.
    limiter.reset()
    url = self.url_for_rule(method, rule)
    response = self.api(method, url, data=body, headers={'Content-Type': 'application/json'})
    self.assert_envelope_or_success(response, f'{method} {url} {body[:80]!r}')

  def test_the_property_covers_every_route_that_takes_a_body(self):
    """Guards the run above against testing nothing: the routes it draws from."""
    paths = {rule.rule for _, rule in self.routes}
    for expected in ('/api/auth/signup', '/api/auth/login', '/api/users/me', '/api/posts'):
      self.assertIn(expected, paths)
    self.assertGreaterEqual(len(self.routes), 15)
