"""Every notification opens a page the client draws: its link is one of the client's routes."""

import unittest

from app.frontend.FrontendRoutes import is_client_route
from app.notifications.NotificationConstants import (
  KIND_POST_HIDDEN,
  KIND_REPORT_DECIDED,
  KIND_WARNING,
  NOTIFICATION_KINDS,
)
from app.notifications.NotificationTexts import notification_link

PAYLOAD = {'post_id': 7, 'conversation_id': 3, 'target_type': 'post', 'target_id': 7}


class NotificationLinksTest(unittest.TestCase):
  def test_every_kind_links_to_a_client_route(self):
    for kind in NOTIFICATION_KINDS:
      link = notification_link(kind, PAYLOAD)
      self.assertTrue(is_client_route(link.split('?')[0]), f'{kind}: {link}')

  def test_trust_and_safety_links(self):
    self.assertEqual(notification_link(KIND_REPORT_DECIDED, PAYLOAD), '/my-reports')
    self.assertEqual(notification_link(KIND_POST_HIDDEN, PAYLOAD), '/posts/7')
    self.assertEqual(notification_link(KIND_WARNING, PAYLOAD), '/profile')
    self.assertFalse(is_client_route('/my-report'))
