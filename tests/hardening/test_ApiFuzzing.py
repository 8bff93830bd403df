"""Property-based fuzzing of the whole OpenAPI document with schemathesis, in-process (WSGI).

Every documented operation whose route is registered runs with schemathesis's built-in checks,
logged in as a user and sending the CSRF token of that session. Operations of areas not merged
yet are filtered out by app.url_map, so they join the run as soon as their routes exist.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import select

from app.extensions import db, limiter
from app.users.UserModels import User, UserSession
from tests import factories
from tests.base import empty_all_tables, get_test_app
from tests.hardening.HardeningHelpers import csrf_token

# Schemathesis calls every operation many times: a minute or more on a busy machine.
pytestmark = pytest.mark.slow

CSRF_HEADER = 'X-CSRFToken'
SESSION_COOKIE = 'session'
FUZZ_SETTINGS = settings(
  max_examples=25,
  derandomize=True,
  deadline=None,
  database=None,
  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Schema-valid requests the API must still refuse, so this one check cannot apply: a wrong
# current password or an unknown reset token is a 422 on its field, email addresses that
# `format: email` allows (e.g. `x@y.test`) are refused by email-validator's rules, and random
# bytes in an image upload are not an image (415). No schema can state those. Every other
# built-in check runs (server errors, status codes, content types, response schemas and
# headers, negative data, missing headers, ignored auth, unsupported methods, ...).
NOT_APPLICABLE_CHECKS = [positive_data_acceptance]

# The shared test app, built (and migrated) once per process. Every documented operation is
# fuzzed: one the app does not answer fails (a 404 where the document promises otherwise).
APP = get_test_app()
# The event stream never ends by itself, so a valid call would never return; its refusals
# and its stream have their own tests (tests/events).
STREAMING_PATHS = {'/api/events'}
schema = schemathesis.openapi.from_wsgi('/api/openapi.json', APP).include(
  lambda ctx: ctx.operation.path not in STREAMING_PATHS
)


def fuzz_users():
  """The fuzzer and alice (the document's example username), each with a post."""
  fuzzer = db.session.execute(select(User).where(User.username == 'fuzzer')).scalar_one_or_none()
  if fuzzer is None:
    fuzzer = factories.make_user('fuzzer')
    seller = factories.make_user('alice')
    factories.make_post(seller)
    factories.make_post(fuzzer)
  return fuzzer


def log_in(email):
  """Log in through the API; the session cookie and the CSRF token of that session."""
  client = APP.test_client()
  response = client.post(
    '/api/auth/login',
    json={'email': email, 'password': factories.DEFAULT_PASSWORD},
    headers={CSRF_HEADER: csrf_token(client)},
  )
  assert response.status_code == 200, response.get_json()
  # The token is stored in the session, so the cookie is read after the token is issued.
  token = csrf_token(client)
  return client.get_cookie(SESSION_COOKIE).value, token


class FuzzIdentity:
  """The fuzzer's live session cookie and CSRF token, logged in again whenever its session row
  is gone: other tests empty the database, and the fuzzer itself may log out or end its own
  session (DELETE /api/auth/sessions/{id})."""

  def __init__(self):
    self.session_id_hash = None
    self.credentials = None

  def current(self):
    with APP.app_context():
      email = fuzz_users().email
      alive = (
        self.session_id_hash is not None
        and db.session.execute(
          select(UserSession.id).where(UserSession.id_hash == self.session_id_hash)
        ).first()
      )
    # Outside the app context: requests made inside it would share its `g`, where Flask-WTF
    # keeps the token of the first request.
    if not alive:
      # Logging in again and again would hit the login limits, which have their own tests.
      limiter.reset()
      self.credentials = log_in(email)
      with APP.app_context():
        self.session_id_hash = db.session.execute(
          select(UserSession.id_hash).order_by(UserSession.id.desc()).limit(1)
        ).scalar_one()
    return self.credentials


IDENTITY = FuzzIdentity()
COOKIE_PLACEHOLDER = 'fuzzer-session-cookie'
TOKEN_PLACEHOLDER = 'fuzzer-csrf-token'


@schema.auth(refresh_interval=None)
class SessionAndCsrfAuth:
  """Marks where the fuzzer's session cookie and CSRF token go.

  Credentials go only where schemathesis put a generated one: a case that leaves the cookie or
  the header out on purpose (to test that absence) is sent without it. Public operations always
  carry the session, which their CSRF check needs. Schemathesis builds some cases while
  collecting, before other tests empty the database, so this sets placeholders and the test
  swaps in the live credentials just before the call."""

  def get(self, case, context):
    return COOKIE_PLACEHOLDER, TOKEN_PLACEHOLDER

  def set(self, case, credentials, context):
    cookie, token = credentials
    is_public = case.operation.definition.raw.get('security') == []
    if is_public or SESSION_COOKIE in case.cookies:
      case.cookies[SESSION_COOKIE] = cookie
    if CSRF_HEADER in case.headers:
      case.headers[CSRF_HEADER] = token


def use_live_credentials(case):
  """Replace the placeholders of SessionAndCsrfAuth with the fuzzer's live credentials."""
  session_cookie, token = IDENTITY.current()
  if case.cookies.get(SESSION_COOKIE) == COOKIE_PLACEHOLDER:
    case.cookies[SESSION_COOKIE] = session_cookie
  if case.headers.get(CSRF_HEADER) == TOKEN_PLACEHOLDER:
    case.headers[CSRF_HEADER] = token


@pytest.fixture(scope='module', autouse=True)
def clean_database():
  """Start from an empty database; the auth provider makes the fuzzer's rows."""
  with APP.app_context():
    empty_all_tables()


@schema.parametrize()
@FUZZ_SETTINGS
def test_every_registered_operation_honours_the_document(case):
  # Hundreds of calls from one address would hit the abuse limits of the rate-limited
  # operations (those documenting a 429); the limits have their own tests.
  if '429' in case.operation.definition.raw['responses']:
    limiter.reset()
  use_live_credentials(case)
  case.call_and_validate(excluded_checks=NOT_APPLICABLE_CHECKS)


def test_the_fuzzer_credentials_are_a_live_session_with_its_csrf_token():
  """Guards the run above against fuzzing anonymously: the credentials it swaps in work."""
  session_cookie, token = IDENTITY.current()
  client = APP.test_client()
  client.set_cookie(SESSION_COOKIE, session_cookie)
  me = client.get('/api/users/me')
  assert me.status_code == 200
  assert me.get_json()['user']['username'] == 'fuzzer'
  response = client.patch('/api/users/me', json={'bio': 'fuzzing'}, headers={CSRF_HEADER: token})
  assert response.status_code == 200, response.get_json()
