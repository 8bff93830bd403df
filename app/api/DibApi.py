"""Dibs: join or leave a post's queue, the seller's answers, and my dibs."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonHelpers import get_optional_json_body, paginate
from app.common.CommonResponses import json_response, no_content
from app.posts import PostDibHelpers
from app.posts.PostSerializers import dib_to_json, dibs_with_posts_to_json, queue_to_json


@api_blueprint.post('/posts/<row_id:post_id>/dibs')
def call_dibs(post_id):
  """Join the end of the post's queue."""
  get_optional_json_body()
  dib = PostDibHelpers.call_dibs(post_id, current_user)
  return json_response({'dib': dib_to_json(dib)}, 201)


@api_blueprint.delete('/posts/<row_id:post_id>/dibs')
def cancel_dibs(post_id):
  """Leave the queue; the ones behind move up."""
  PostDibHelpers.cancel_my_dib(post_id, current_user)
  return no_content()


@api_blueprint.get('/posts/<row_id:post_id>/dibs')
def get_post_dibs(post_id):
  """The queue for the seller; its length and my place for anyone else."""
  post, dibs = PostDibHelpers.get_queue(post_id)
  return json_response(queue_to_json(post, dibs, current_user))


@api_blueprint.post('/dibs/<row_id:dib_id>/accept')
def accept_dib(dib_id):
  """The seller picks this buyer; the post becomes pending."""
  get_optional_json_body()
  dib = PostDibHelpers.accept_dib(dib_id, current_user)
  return json_response({'dib': dib_to_json(dib)})


@api_blueprint.post('/dibs/<row_id:dib_id>/decline')
def decline_dib(dib_id):
  """The seller turns this buyer down."""
  get_optional_json_body()
  dib = PostDibHelpers.decline_dib(dib_id, current_user)
  return json_response({'dib': dib_to_json(dib)})


@api_blueprint.get('/users/me/dibs')
def list_my_dibs():
  """My dibs, newest first, each with its post."""
  statement = PostDibHelpers.my_dibs_statement(current_user)
  return json_response(paginate(statement, dibs_with_posts_to_json))
