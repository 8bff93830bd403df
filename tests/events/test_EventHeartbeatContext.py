"""Found by the chaos run (docs/RELIABILITY.md): in the events process every stream died at its
first heartbeat with "Working outside of request context": the heartbeat's login check runs
after the request has ended (in an app context only), and the session loader kept the cookie
session's mark of a viewer with blocks in step, which needs a request. The suite never saw it
because Flask-Testing keeps a request context pushed for the whole test; the check below runs
in a thread of its own, with no context, like the stream's generator."""

import threading

from flask import has_request_context

from app.events.EventBroker import LocalBroker
from app.events.EventStream import _VALID_SESSIONS, UserStream
from app.users.UserSessionHelpers import load_session_user, start_session
from tests.base import ApiTestCase
from tests.factories import make_user


def in_a_bare_thread(function):
  """`function()` in a new thread (no Flask context at all); its result, or its exception."""
  outcome = {}

  def run():
    try:
      outcome['result'] = function()
    except Exception as error:  # noqa: BLE001 # handed back to the test
      outcome['error'] = error

  thread = threading.Thread(target=run)
  thread.start()
  thread.join(timeout=10)
  return outcome


class HeartbeatOutsideRequestTest(ApiTestCase):
  def setUp(self):
    super().setUp()
    self.user = make_user('hana')
    with self.app.test_request_context():
      start_session(self.user)
      self.session_id = self.user.login_session_id
    _VALID_SESSIONS.clear()

  def test_the_session_loader_works_in_an_app_context_without_a_request(self):
    def load():
      with self.app.app_context():
        assert not has_request_context()
        user = load_session_user(self.session_id)
        return user.id if user else None

    outcome = in_a_bare_thread(load)
    self.assertNotIn('error', outcome, outcome)
    self.assertEqual(outcome['result'], self.user.id)

  def test_a_heartbeat_finds_the_login_valid(self):
    broker = LocalBroker()
    subscription = broker.subscribe(self.user.id)
    stream = UserStream(self.app, broker, self.user.id, self.session_id, subscription, None)
    outcome = in_a_bare_thread(stream.login_is_valid)
    self.assertNotIn('error', outcome, outcome)
    self.assertIs(outcome['result'], True)
