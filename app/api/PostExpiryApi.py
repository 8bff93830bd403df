"""Expiry of posts: renewing my post, and my expired posts (docs/HANDOVER.md)."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonHelpers import get_optional_json_body, paginate
from app.common.CommonResponses import json_response
from app.posts import PostExpiryHelpers
from app.posts.PostSerializers import post_to_json, posts_to_json


@api_blueprint.post('/posts/<row_id:post_id>/renew')
def renew_post(post_id):
  """List my post anew: back on top, expiring POST_EXPIRY_DAYS from now (once a week)."""
  get_optional_json_body()
  post = PostExpiryHelpers.renew_post(post_id, current_user)
  return json_response({'post': post_to_json(post)})


@api_blueprint.get('/users/me/expired-posts')
def list_my_expired_posts():
  """My expired posts (the "Expired" part of My posts), each one click from renewal."""
  statement = PostExpiryHelpers.my_expired_posts_statement(current_user)
  return json_response(paginate(statement, posts_to_json))
