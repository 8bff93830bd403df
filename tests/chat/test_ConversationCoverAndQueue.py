"""Issue 15: a conversation's post summary carries the cover thumbnail, and the seller can
open a conversation with anyone who called dibs (from the queue)."""

import io

from PIL import Image

from tests import factories
from tests.chat.ChatTestCase import ChatTestCase


def png(width):
  """A small PNG `width` pixels wide (so each upload differs)."""
  output = io.BytesIO()
  Image.new('RGB', (width, 30), (20, 120, 200)).save(output, format='PNG')
  return output.getvalue()


class ConversationCoverTest(ChatTestCase):
  def upload(self, width):
    response = self.api(
      'post',
      f'/api/posts/{self.post.id}/images',
      client=self.seller_client,
      data={'image': (io.BytesIO(png(width)), 'photo.png')},
      content_type='multipart/form-data',
    )
    self.assertEqual(response.status_code, 201, response.get_json())
    return response.get_json()['image']

  def test_summary_has_no_cover_without_photos_and_the_first_photo_after(self):
    conversation = self.open_conversation()
    self.assertIsNone(conversation['post']['cover'])
    first, second = self.upload(40), self.upload(50)
    listed = self.buyer_client.get('/api/conversations').get_json()['items'][0]
    self.assertEqual(listed['post']['cover'], first)
    reordered = self.api(
      'put',
      f'/api/posts/{self.post.id}/images/order',
      json={'image_ids': [second['id'], first['id']]},
      client=self.seller_client,
    )
    self.assertEqual(reordered.status_code, 200, reordered.get_json())
    one = self.seller_client.get(f'/api/conversations/{conversation["id"]}').get_json()
    self.assertEqual(one['conversation']['post']['cover'], second)
    self.assertEqual(self.buyer_client.get(second['thumb_url']).status_code, 200)


class SellerOpensFromTheQueueTest(ChatTestCase):
  def open_as_seller(self, buyer_id):
    return self.api(
      'post',
      f'/api/posts/{self.post.id}/conversations',
      json={'buyer_id': buyer_id},
      client=self.seller_client,
    )

  def test_the_seller_writes_to_someone_in_the_queue(self):
    self.assertEqual(
      self.api('post', f'/api/posts/{self.post.id}/dibs', client=self.buyer_client).status_code,
      201,
    )
    response = self.open_as_seller(self.buyer.id)
    self.assertEqual(response.status_code, 201, response.get_json())
    conversation = response.get_json()['conversation']
    self.assertEqual(conversation['buyer']['id'], self.buyer.id)
    self.assertEqual(conversation['other_user']['id'], self.buyer.id)
    # The buyer finds the same conversation, and it is theirs too.
    self.assertEqual(self.open_conversation()['id'], conversation['id'])
    self.assertEqual(self.open_as_seller(self.buyer.id).status_code, 200)

  def test_refusals(self):
    stranger = factories.make_user('stan_stranger')
    # Not in the queue.
    self.assert_error(
      self.open_as_seller(stranger.id), 422, 'validation_error', fields=['buyer_id']
    )
    for bad in ('1', True, 0, -3, 2**40):
      with self.subTest(buyer_id=bad):
        self.assert_error(self.open_as_seller(bad), 422, 'validation_error', fields=['buyer_id'])
    # Only the seller names a buyer.
    response = self.api(
      'post',
      f'/api/posts/{self.post.id}/conversations',
      json={'buyer_id': self.seller.id},
      client=self.buyer_client,
    )
    self.assert_error(response, 403, 'forbidden')
    # Without a buyer, the seller still cannot talk to themselves.
    self.assert_error(
      self.api('post', f'/api/posts/{self.post.id}/conversations', client=self.seller_client),
      409,
      'conflict',
    )
