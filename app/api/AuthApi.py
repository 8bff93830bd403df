"""Sign-up, login, logout, CSRF tokens, password resets, my login sessions and email
verification."""

import hashlib
import json

from flask import request
from flask_login import current_user
from flask_wtf.csrf import generate_csrf

from app.api import api_blueprint
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body, get_optional_json_body
from app.common.CommonRateLimits import is_anonymous_request, user_rate_limit_key
from app.common.CommonResponses import json_response, no_content
from app.extensions import db, limiter
from app.idempotency.IdempotencyHelpers import idempotency_exempt, on_idempotent_replay
from app.notifications.NotificationProfile import private_profile_to_json
from app.users import UserHelpers, UserSessionHelpers
from app.users.UserConstants import (
  LOGIN_FAILURE_LIMIT_PER_ACCOUNT,
  LOGIN_LIMIT_PER_ACCOUNT_AND_IP,
  LOGIN_LIMIT_PER_IP,
  PASSWORD_RESET_LIMIT_PER_ACCOUNT,
  PASSWORD_RESET_LIMIT_PER_IP,
  SIGNUP_LIMIT_PER_IP,
  VERIFICATION_MAIL_LIMIT_PER_USER,
)
from app.users.UserForms import (
  EmailVerificationForm,
  LoginForm,
  PasswordResetConfirmForm,
  PasswordResetRequestForm,
  SignupForm,
)
from app.users.UserHelpers import normalize_email, public_endpoint
from app.users.UserModels import User
from app.users.UserSerializers import user_private_to_json, user_session_to_json


def login_account_key():
  """The rate-limit key for an account: a digest of the email in the body, normalized."""
  payload = request.get_json(silent=True)
  email = payload.get('email') if isinstance(payload, dict) else None
  if not isinstance(email, str):
    return 'account:-'
  # surrogatepass: a lone surrogate must reach the form (a 422), not fail here (a 500).
  digest = hashlib.sha256(normalize_email(email).encode('utf-8', 'surrogatepass'))
  return 'account:' + digest.hexdigest()[:32]


def login_account_and_address_key():
  """The rate-limit key for one account tried from one client address."""
  return f'{login_account_key()}:{request.remote_addr or "-"}'


def is_failed_login(response):
  """Only refused logins count against the account's loose limit."""
  return response.status_code == 401


@api_blueprint.get('/auth/csrf')
@public_endpoint
def csrf_token():
  """The token the client sends back in X-CSRFToken on every state-changing request."""
  return json_response({'csrf_token': generate_csrf()})


@api_blueprint.get('/auth/session')
@public_endpoint
def current_session():
  """Who is logged in: the user, or null for a visitor (a normal answer, so 200, not 401)."""
  user = private_profile_to_json(current_user) if current_user.is_authenticated else None
  return json_response({'user': user})


def log_in_again_after_signup(status, body):
  """A replayed sign-up logs the browser in again: the first answer's cookie may be what got
  lost, and a stored answer never holds a session cookie. Only this anonymous browser (the key
  is scoped to its session) sending the same body (the same password) gets here."""
  if status != 201 or current_user.is_authenticated:
    return
  user = db.session.get(User, json.loads(body)['user']['id'])
  if user is not None:
    UserSessionHelpers.start_session(user)


@api_blueprint.post('/auth/signup')
@public_endpoint
@limiter.limit(SIGNUP_LIMIT_PER_IP)
@on_idempotent_replay(log_in_again_after_signup)
def signup():
  form = validate_form(SignupForm, get_json_body())
  user = UserHelpers.create_user(
    form.email.data, form.username.data, form.password.data, form.display_name.data
  )
  UserSessionHelpers.start_session(user)
  UserHelpers.request_email_verification(user, first=True)
  return json_response({'user': user_private_to_json(user)}, 201)


@api_blueprint.post('/auth/login')
@public_endpoint
@idempotency_exempt(
  'Creates only a login session, whose cookie a replay could not carry: a retry logs in again.'
)
@limiter.limit(LOGIN_LIMIT_PER_IP)
@limiter.limit(LOGIN_LIMIT_PER_ACCOUNT_AND_IP, key_func=login_account_and_address_key)
@limiter.limit(
  LOGIN_FAILURE_LIMIT_PER_ACCOUNT, key_func=login_account_key, deduct_when=is_failed_login
)
def login():
  form = validate_form(LoginForm, get_json_body())
  user = UserHelpers.authenticate(form.email.data, form.password.data)
  UserSessionHelpers.start_session(user, remember=bool(form.remember.data))
  return json_response({'user': user_private_to_json(user)})


@api_blueprint.post('/auth/logout')
@public_endpoint
@idempotency_exempt('Creates nothing, and ending a session twice is harmless.')
def logout():
  """Ends the session and its remember-me cookie; logging out when logged out is harmless,
  so it is public."""
  get_optional_json_body()
  if current_user.is_authenticated:
    UserSessionHelpers.end_current_session()
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


@api_blueprint.get('/auth/sessions')
def list_my_sessions():
  """Where I am logged in: created, last seen, user agent and coarse address of each session."""
  sessions = UserSessionHelpers.list_sessions(current_user)
  items = [
    user_session_to_json(each, current=UserSessionHelpers.is_current(each)) for each in sessions
  ]
  return json_response({'items': items})


@api_blueprint.delete('/auth/sessions/<row_id:session_id>')
def end_my_session(session_id):
  """End one of my sessions (this one too: that logs this client out)."""
  UserSessionHelpers.end_session(current_user, session_id)
  return no_content()


@api_blueprint.post('/auth/sessions/revoke-others')
def end_my_other_sessions():
  """End every session of mine except this one."""
  get_optional_json_body()
  ended = UserSessionHelpers.end_other_sessions(current_user)
  db.session.commit()
  return json_response({'ended': ended})


@api_blueprint.post('/auth/verify-email')
@limiter.limit(PASSWORD_RESET_LIMIT_PER_IP)
def verify_email():
  """Spend a verification token from the mailed link, logged in as its account (403 for
  another account's token: nothing changes)."""
  form = validate_form(EmailVerificationForm, get_json_body())
  user = UserHelpers.confirm_email_verification(form.token.data, current_user._get_current_object())
  return json_response({'verified_campus': user.verified_campus})


@api_blueprint.post('/auth/verify-email/resend')
@limiter.limit(
  VERIFICATION_MAIL_LIMIT_PER_USER, key_func=user_rate_limit_key, exempt_when=is_anonymous_request
)
def resend_verification_email():
  """Mail the current user a new verification link (409 once verified)."""
  get_optional_json_body()
  UserHelpers.resend_email_verification(current_user)
  return json_response({'status': 'accepted'}, 202)
