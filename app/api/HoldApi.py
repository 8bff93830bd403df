"""Holds and meet-ups: a post's hold for its two sides, my holds, proposing and confirming a
meet-up, the buyer's release and the seller's no-show report (docs/HANDOVER.md). The sale
itself stays POST /api/posts/<id>/sold."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body, get_optional_json_body, paginate
from app.common.CommonResponses import json_response
from app.posts import PostHoldHelpers
from app.posts.PostHoldForms import MeetupForm
from app.posts.PostHoldSerializers import hold_to_json, holds_to_json


@api_blueprint.get('/posts/<row_id:post_id>/hold')
def get_post_hold(post_id):
  """The post's newest hold, for its buyer or seller."""
  hold = PostHoldHelpers.get_post_hold(post_id, current_user)
  return json_response({'hold': hold_to_json(hold)})


@api_blueprint.get('/users/me/holds')
def list_my_holds():
  """My holds as buyer or seller, the active ones first."""
  statement = PostHoldHelpers.my_holds_statement(current_user)
  return json_response(paginate(statement, holds_to_json))


@api_blueprint.post('/holds/<row_id:hold_id>/meetups')
def propose_meetup(hold_id):
  """Propose (or counter-propose) a time and place."""

  def read_meetup():
    form = validate_form(MeetupForm, get_json_body())
    return form.meet_at.data, form.place.data, form.pickup_spot_id.data

  hold = PostHoldHelpers.propose_meetup(hold_id, current_user, read_meetup)
  return json_response({'hold': hold_to_json(hold)}, 201)


@api_blueprint.post('/meetups/<row_id:meetup_id>/confirm')
def confirm_meetup(meetup_id):
  """Confirm the other side's proposal."""
  get_optional_json_body()
  hold = PostHoldHelpers.confirm_meetup(meetup_id, current_user)
  return json_response({'hold': hold_to_json(hold)})


@api_blueprint.post('/holds/<row_id:hold_id>/release')
def release_hold(hold_id):
  """The buyer gives the post up; the next buyer's turn."""
  get_optional_json_body()
  hold = PostHoldHelpers.release_hold(hold_id, current_user)
  return json_response({'hold': hold_to_json(hold)})


@api_blueprint.post('/holds/<row_id:hold_id>/no-show')
def report_no_show(hold_id):
  """The seller reports the buyer missed the confirmed meet-up."""
  get_optional_json_body()
  hold = PostHoldHelpers.report_no_show(hold_id, current_user)
  return json_response({'hold': hold_to_json(hold)})
