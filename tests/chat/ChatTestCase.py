"""What the chat tests share: a seller, a buyer and an outsider, each in their own browser."""

from tests import factories
from tests.base import ApiTestCase


class ChatTestCase(ApiTestCase):
  """A post by `seller`; `buyer_client` and `seller_client` are logged in, `self.client` is
  anonymous."""

  def setUp(self):
    super().setUp()
    self.seller = factories.make_user('sam_seller')
    self.buyer = factories.make_user('bea_buyer')
    self.post = factories.make_post(self.seller, title='Desk lamp', price_cents=1500)
    self.seller_client = self.logged_in_client(self.seller)
    self.buyer_client = self.logged_in_client(self.buyer)

  def open_conversation(self, client=None, post=None):
    """Open (or find) the conversation of the client's user about the post; return its JSON."""
    post = post or self.post
    response = self.api(
      'post', f'/api/posts/{post.id}/conversations', client=client or self.buyer_client
    )
    self.assertIn(response.status_code, (200, 201), response.get_json())
    return response.get_json()['conversation']

  def send(self, conversation_id, body, client):
    """Send a message; return its JSON."""
    response = self.api(
      'post',
      f'/api/conversations/{conversation_id}/messages',
      json={'body': body},
      client=client,
    )
    self.assertEqual(response.status_code, 201, response.get_json())
    return response.get_json()['message']

  def messages(self, conversation_id, client, query=''):
    """The items of GET .../messages with the query string `query`."""
    response = client.get(f'/api/conversations/{conversation_id}/messages{query}')
    self.assertEqual(response.status_code, 200, response.get_json())
    return response.get_json()['items']

  def unread(self, client):
    """The client's user's total from GET /api/users/me/unread."""
    response = client.get('/api/users/me/unread')
    self.assertEqual(response.status_code, 200, response.get_json())
    return response.get_json()['unread']

  def mark_read(self, conversation_id, client, up_to=None):
    """POST .../read, with `up_to` when given; expect 204."""
    payload = {} if up_to is None else {'up_to': up_to}
    response = self.api(
      'post', f'/api/conversations/{conversation_id}/read', json=payload, client=client
    )
    self.assertEqual(response.status_code, 204, response.get_data(as_text=True))
