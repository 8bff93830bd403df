"""The current user's profile and password, and other users' public profiles."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonCache import cache_answer_until, cached_private_read, cached_read
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body
from app.common.CommonResponses import json_response, no_content
from app.notifications import NotificationSettingHelpers
from app.notifications.NotificationForms import read_email_settings
from app.notifications.NotificationProfile import private_profile_to_json
from app.users import UserHelpers, UserSessionHelpers
from app.users.UserForms import PasswordChangeForm, ProfileForm
from app.users.UserHelpers import public_endpoint
from app.users.UserSerializers import user_public_to_json


@api_blueprint.get('/users/me')
@cached_private_read
def get_me():
  """My profile: cached per login session until its next last-seen touch or its end; a write to
  me, my sessions or my notifications bumps a generation that ends it sooner (CommonCache)."""
  cache_answer_until(UserSessionHelpers.cacheable_until(UserSessionHelpers.current_session()))
  return json_response({'user': private_profile_to_json(current_user)})


@api_blueprint.patch('/users/me')
def update_me():
  payload = get_json_body()
  form = validate_form(ProfileForm, payload)
  email_settings = read_email_settings(payload)
  if email_settings:
    NotificationSettingHelpers.update_email_settings(current_user, email_settings)
  # update_profile's commit stores the settings too: one transaction for the whole change.
  user = UserHelpers.update_profile(current_user, form.present_data())
  return json_response({'user': private_profile_to_json(user)})


@api_blueprint.put('/users/me/password')
def change_my_password():
  form = validate_form(PasswordChangeForm, get_json_body())
  UserHelpers.change_password(
    current_user._get_current_object(), form.current_password.data, form.new_password.data
  )
  return no_content()


@api_blueprint.get('/users/<username>')
@public_endpoint
@cached_read()
def get_user(username):
  user = UserHelpers.get_user_by_username(username)
  return json_response({'user': user_public_to_json(user)})
