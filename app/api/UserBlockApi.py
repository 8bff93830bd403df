"""Blocks: block and unblock another user, and my block list."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonHelpers import get_optional_json_body, paginate
from app.common.CommonRateLimits import is_anonymous_request, user_rate_limit_key
from app.common.CommonResponses import json_response, no_content
from app.extensions import limiter
from app.users import UserBlockHelpers
from app.users.UserConstants import BLOCK_CHANGE_LIMIT
from app.users.UserSerializers import user_block_to_json, user_blocks_to_json
from app.users.UserSessionHelpers import mark_personal_session


@api_blueprint.get('/users/me/blocks')
def list_my_blocks():
  """The users I blocked, most recent first."""
  return json_response(
    paginate(UserBlockHelpers.my_blocks_statement(current_user), user_blocks_to_json)
  )


@api_blueprint.put('/users/<username>/block')
@limiter.limit(BLOCK_CHANGE_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request)
def block_user(username):
  """Block a user (201, or 200 when already blocked); they are not told."""
  get_optional_json_body()
  block, created = UserBlockHelpers.block_user(current_user, username)
  # From this answer on, this browser's lists are its own (CommonCache).
  current_user.has_blocks = True
  mark_personal_session(True)
  return json_response({'block': user_block_to_json(block)}, 201 if created else 200)


@api_blueprint.delete('/users/<username>/block')
@limiter.limit(BLOCK_CHANGE_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request)
def unblock_user(username):
  """Lift my block of a user (204 whether or not there was one)."""
  UserBlockHelpers.unblock_user(current_user, username)
  current_user.has_blocks = UserBlockHelpers.has_any_block(current_user.id)
  mark_personal_session(current_user.has_blocks)
  return no_content()
