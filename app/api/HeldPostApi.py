"""Posts held for review: the moderators' list and decision, and the seller's own held posts."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body, paginate
from app.common.CommonResponses import json_response
from app.moderation import ModerationHeldHelpers
from app.moderation.ModerationForms import HeldDecisionForm
from app.moderation.ModerationHelpers import require_moderator
from app.posts.PostReviewHelpers import my_moderated_posts_statement
from app.posts.PostSerializers import post_to_json, posts_to_json
from app.search.SavedSearchJobs import queue_saved_search_matching


@api_blueprint.get('/moderation/held-posts')
def list_held_posts():
  """The posts waiting for review, oldest first (moderators)."""
  statement = ModerationHeldHelpers.held_posts_statement(current_user)
  return json_response(paginate(statement, posts_to_json))


@api_blueprint.post('/moderation/held-posts/<row_id:post_id>/decision')
def decide_held_post(post_id):
  """Approve or remove a post held for review (moderators, never their own post)."""
  require_moderator(current_user)
  form = validate_form(HeldDecisionForm, get_json_body())
  post = ModerationHeldHelpers.decide_held_post(
    current_user, post_id, form.action.data, form.reason.data
  )
  if post.moderation_state is None:
    # Listed only now: saved searches hear of it now.
    queue_saved_search_matching(post)
  return json_response({'post': post_to_json(post)})


@api_blueprint.get('/users/me/moderated-posts')
def list_my_moderated_posts():
  """My posts held back by moderation (waiting for review, hidden, removed), newest first."""
  return json_response(paginate(my_moderated_posts_statement(current_user), posts_to_json))
