"""The watchlist: a heart on a post, my watchlist, and how many watch my post."""

from flask import request
from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonForms import read_query
from app.common.CommonHelpers import get_optional_json_body, paginate
from app.common.CommonResponses import json_response, no_content
from app.posts import PostWatchHelpers
from app.posts.PostSerializers import posts_to_json
from app.posts.PostWatchForms import WatchedPostIdsQueryForm


@api_blueprint.get('/posts/<row_id:post_id>/watch')
def get_watch(post_id):
  """Whether I watch the post; how many do, for its seller."""
  return json_response(PostWatchHelpers.watch_state(post_id, current_user))


@api_blueprint.put('/posts/<row_id:post_id>/watch')
def watch_post(post_id):
  """Watch the post (again: no change)."""
  get_optional_json_body()
  PostWatchHelpers.watch_post(post_id, current_user)
  return json_response(PostWatchHelpers.watch_state(post_id, current_user))


@api_blueprint.delete('/posts/<row_id:post_id>/watch')
def unwatch_post(post_id):
  """Stop watching the post."""
  PostWatchHelpers.unwatch_post(post_id, current_user)
  return no_content()


@api_blueprint.get('/users/me/watchlist')
def list_my_watchlist():
  """The posts I watch, the latest watched first."""
  statement = PostWatchHelpers.my_watchlist_statement(current_user)
  return json_response(paginate(statement, posts_to_json))


@api_blueprint.get('/users/me/watched-post-ids')
def list_my_watched_post_ids():
  """Which of the given posts I watch: a list page draws its hearts in one request."""
  query = read_query(WatchedPostIdsQueryForm, request.args)
  ids = PostWatchHelpers.watched_post_ids(current_user, query.post_ids.ids)
  return json_response({'post_ids': ids})
