"""The current user's profile and password, and other users' public profiles."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body
from app.common.CommonResponses import json_response, no_content
from app.users import UserHelpers
from app.users.UserForms import PasswordChangeForm, ProfileForm
from app.users.UserHelpers import public_endpoint
from app.users.UserSerializers import user_private_to_json, user_public_to_json


@api_blueprint.get('/users/me')
def get_me():
  return json_response({'user': user_private_to_json(current_user)})


@api_blueprint.patch('/users/me')
def update_me():
  form = validate_form(ProfileForm, get_json_body())
  user = UserHelpers.update_profile(current_user, form.present_data())
  return json_response({'user': user_private_to_json(user)})


@api_blueprint.put('/users/me/password')
def change_my_password():
  form = validate_form(PasswordChangeForm, get_json_body())
  UserHelpers.change_password(
    current_user._get_current_object(), form.current_password.data, form.new_password.data
  )
  return no_content()


@api_blueprint.get('/users/<username>')
@public_endpoint
def get_user(username):
  user = UserHelpers.get_user_by_username(username)
  return json_response({'user': user_public_to_json(user)})
