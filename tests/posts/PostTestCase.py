"""Helpers shared by the tests of the posts area."""

import io

from PIL import Image

from app.extensions import db
from app.posts.PostModels import Dib, Post
from tests.base import ApiTestCase
from tests.factories import make_post, make_user


def post_payload(**overrides):
  """A valid body for POST /api/posts."""
  payload = {
    'title': 'TI-84 Plus graphing calculator',
    'description': 'Works perfectly, new batteries, slide cover included.',
    'price_cents': 4500,
    'category': 'electronics',
    'condition': 'good',
  }
  payload.update(overrides)
  return payload


def image_bytes(image_format='JPEG', size=(640, 480), mode='RGB', color=(200, 40, 40), **save):
  """A small picture encoded in `image_format`."""
  output = io.BytesIO()
  Image.new(mode, size, color).save(output, format=image_format, **save)
  return output.getvalue()


class PostTestCase(ApiTestCase):
  """ApiTestCase plus shortcuts for sellers, buyers, posts and dibs."""

  def make_post_with_seller(self, **fields):
    """A seller (logged in on self.client) and an available post of theirs."""
    seller = make_user()
    self.login_as(seller)
    return seller, make_post(seller=seller, **fields)

  def make_buyer(self):
    """A user and a client logged in as them."""
    buyer = make_user()
    return buyer, self.logged_in_client(buyer)

  def call_dibs(self, post_id, client):
    response = self.api('post', f'/api/posts/{post_id}/dibs', client=client)
    self.assertEqual(response.status_code, 201, response.get_json())
    return response.get_json()['dib']

  def upload(self, post_id, data, filename='photo.jpg', content_type='image/jpeg', client=None):
    """POST a file as the multipart field `image`."""
    return self.api(
      'post',
      f'/api/posts/{post_id}/images',
      client=client,
      data={'image': (io.BytesIO(data), filename, content_type)},
      content_type='multipart/form-data',
    )

  def reload_post(self, post_id):
    db.session.expire_all()
    return db.session.get(Post, post_id)

  def dib_statuses(self, post_id):
    """{dib_id: status} of a post, read from the database."""
    db.session.expire_all()
    rows = db.session.execute(db.select(Dib.id, Dib.status).where(Dib.post_id == post_id))
    return dict(rows.all())
