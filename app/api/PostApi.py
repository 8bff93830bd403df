"""Posts: browse (public), create, edit, withdraw, mark sold, and a user's posts."""

from flask import request
from flask_login import current_user

from app.api import api_blueprint
from app.api.ApiViewer import personal_viewer_id, with_viewer
from app.common.CommonCache import answer_is_personal, cached_read
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body, get_optional_json_body
from app.common.CommonRateLimits import is_anonymous_request, user_rate_limit_key
from app.common.CommonResponses import json_response, no_content
from app.extensions import limiter
from app.posts import PostHelpers
from app.posts.PostCacheTags import post_tag
from app.posts.PostConstants import POST_CREATE_LIMIT
from app.posts.PostForms import (
  USER_POST_LIST_QUERY_NAMES,
  PostCreateForm,
  PostUpdateForm,
  post_list_cache_query,
  post_list_cache_tags,
  read_post_list_query,
  user_post_list_cache_query,
  user_post_list_cache_tags,
)
from app.posts.PostSerializers import post_to_json
from app.search.SavedSearchJobs import queue_saved_search_matching
from app.users.UserHelpers import get_user_by_username, public_endpoint


@api_blueprint.get('/posts')
@public_endpoint
@cached_read(query=post_list_cache_query, tags=post_list_cache_tags)
def list_posts():
  """Browse posts, filtered and sorted, a page at a time (anyone)."""
  filters, sort = read_post_list_query(request.args)
  return json_response(PostHelpers.list_posts_page(with_viewer(filters), sort, request.args))


@api_blueprint.post('/posts')
@limiter.limit(POST_CREATE_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request)
def create_post():
  """Put something up for sale."""
  form = validate_form(PostCreateForm, get_json_body())
  post = PostHelpers.create_post(current_user, form.present_data())
  queue_saved_search_matching(post)
  return json_response({'post': post_to_json(post)}, 201)


@api_blueprint.get('/posts/<row_id:post_id>')
@public_endpoint
@cached_read(tags=lambda view_args, query: (post_tag(view_args['post_id']),))
def get_post(post_id):
  """One post, whatever its status (anyone)."""
  viewer = current_user._get_current_object() if current_user.is_authenticated else None
  post = PostHelpers.get_post(post_id, viewer_id=personal_viewer_id(), viewer=viewer)
  if PostHelpers.is_held_back(post):
    # Its seller or a moderator reads it: never an answer for the shared cache.
    answer_is_personal()
  return json_response({'post': PostHelpers.post_detail_json(post)})


@api_blueprint.patch('/posts/<row_id:post_id>')
def update_post(post_id):
  """Edit the fields sent (the seller only, while for sale)."""
  post = PostHelpers.update_post(post_id, current_user, read_post_changes)
  queue_saved_search_matching(post)
  return json_response({'post': post_to_json(post)})


def read_post_changes():
  """The validated fields of an edit's body."""
  return validate_form(PostUpdateForm, get_json_body()).present_data()


@api_blueprint.delete('/posts/<row_id:post_id>')
def withdraw_post(post_id):
  """Withdrawing keeps the row (dibs and chats refer to it); the post leaves the lists."""
  PostHelpers.withdraw_post(post_id, current_user)
  return no_content()


@api_blueprint.post('/posts/<row_id:post_id>/sold')
def mark_post_sold(post_id):
  """Close the sale to the accepted buyer (the seller only)."""
  get_optional_json_body()
  post = PostHelpers.mark_sold(post_id, current_user)
  return json_response({'post': post_to_json(post)})


@api_blueprint.get('/users/<username>/posts')
@public_endpoint
@cached_read(query=user_post_list_cache_query, tags=user_post_list_cache_tags)
def list_user_posts(username):
  """One user's posts, with the list filters but `seller` (anyone)."""
  user = get_user_by_username(username)
  filters, sort = read_post_list_query(request.args, allowed=USER_POST_LIST_QUERY_NAMES)
  filters['seller'] = user.username
  return json_response(PostHelpers.list_posts_page(with_viewer(filters), sort, request.args))
