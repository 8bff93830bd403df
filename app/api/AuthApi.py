"""Sign-up, login, logout, CSRF tokens and password resets."""

import hashlib

from flask import request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.api import api_blueprint
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body, get_optional_json_body
from app.common.CommonResponses import json_response, no_content
from app.extensions import limiter
from app.users import UserHelpers
from app.users.UserConstants import (
  LOGIN_LIMIT_PER_ACCOUNT,
  LOGIN_LIMIT_PER_IP,
  PASSWORD_RESET_LIMIT_PER_ACCOUNT,
  PASSWORD_RESET_LIMIT_PER_IP,
  SIGNUP_LIMIT_PER_IP,
)
from app.users.UserForms import (
  LoginForm,
  PasswordResetConfirmForm,
  PasswordResetRequestForm,
  SignupForm,
)
from app.users.UserHelpers import normalize_email, public_endpoint
from app.users.UserSerializers import user_private_to_json


def login_account_key():
  """The rate-limit key for an account: the email in the body, lower-cased and hashed."""
  payload = request.get_json(silent=True)
  email = payload.get('email') if isinstance(payload, dict) else None
  if not isinstance(email, str):
    return 'account:-'
  return 'account:' + hashlib.sha256(normalize_email(email).encode()).hexdigest()[:32]


@api_blueprint.get('/auth/csrf')
@public_endpoint
def csrf_token():
  """The token the client sends back in X-CSRFToken on every state-changing request."""
  return json_response({'csrf_token': generate_csrf()})


@api_blueprint.get('/auth/session')
@public_endpoint
def current_session():
  """Who is logged in: the user, or null for a visitor (a normal answer, so 200, not 401)."""
  user = user_private_to_json(current_user) if current_user.is_authenticated else None
  return json_response({'user': user})


@api_blueprint.post('/auth/signup')
@public_endpoint
@limiter.limit(SIGNUP_LIMIT_PER_IP)
def signup():
  form = validate_form(SignupForm, get_json_body())
  user = UserHelpers.create_user(
    form.email.data, form.username.data, form.password.data, form.display_name.data
  )
  UserHelpers.start_session(user)
  return json_response({'user': user_private_to_json(user)}, 201)


@api_blueprint.post('/auth/login')
@public_endpoint
@limiter.limit(LOGIN_LIMIT_PER_IP)
@limiter.limit(LOGIN_LIMIT_PER_ACCOUNT, key_func=login_account_key)
def login():
  form = validate_form(LoginForm, get_json_body())
  user = UserHelpers.authenticate(form.email.data, form.password.data)
  UserHelpers.start_session(user, remember=bool(form.remember.data))
  return json_response({'user': user_private_to_json(user)})


@api_blueprint.post('/auth/logout')
@public_endpoint
def logout():
  """Ends the session; logging out when logged out is harmless, so it is public."""
  get_optional_json_body()
  if current_user.is_authenticated:
    UserHelpers.end_session()
  return no_content()


@api_blueprint.post('/auth/password-reset')
@public_endpoint
@limiter.limit(PASSWORD_RESET_LIMIT_PER_IP)
@limiter.limit(PASSWORD_RESET_LIMIT_PER_ACCOUNT, key_func=login_account_key)
def password_reset():
  """Always 202, whether or not the account exists, so emails cannot be enumerated."""
  form = validate_form(PasswordResetRequestForm, get_json_body())
  UserHelpers.request_password_reset(form.email.data)
  return json_response({'status': 'accepted'}, 202)


@api_blueprint.post('/auth/password-reset/confirm')
@public_endpoint
@limiter.limit(PASSWORD_RESET_LIMIT_PER_IP)
def password_reset_confirm():
  form = validate_form(PasswordResetConfirmForm, get_json_body())
  UserHelpers.confirm_password_reset(form.token.data, form.new_password.data)
  return no_content()
