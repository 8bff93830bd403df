"""The rules of the users area: accounts, passwords, sessions, roles and resets."""

import hashlib
import secrets
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, session
from flask_login import login_user, logout_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import apply_changes, as_utc, get_or_404, utc_now
from app.common.CommonMail import send_mail
from app.extensions import db, login_manager
from app.users.UserConstants import (
  LOGIN_FAILED_MESSAGE,
  RESET_TOKEN_BYTES,
  ROLE_USER,
  SESSION_TOKEN_BYTES,
)
from app.users.UserModels import PasswordResetToken, User

# A hash of a random password, checked when the email is unknown so that a login for an
# unknown account takes as long as one with a wrong password.
_TIMING_DUMMY = {}


def password_hasher():
  """An argon2id hasher with the cost parameters of the current config."""
  config = current_app.config
  return PasswordHasher(
    time_cost=config['PASSWORD_HASH_TIME_COST'],
    memory_cost=config['PASSWORD_HASH_MEMORY_COST'],
    parallelism=config['PASSWORD_HASH_PARALLELISM'],
  )


def hash_password(password):
  """The argon2id hash of `password`."""
  return password_hasher().hash(password)


def verify_password(user, password):
  """Check `password` against the user's hash, rehashing it when the cost settings changed."""
  hasher = password_hasher()
  try:
    hasher.verify(user.password_hash, password)
  except (VerificationError, InvalidHashError):
    return False
  if hasher.check_needs_rehash(user.password_hash):
    user.password_hash = hasher.hash(password)
    db.session.commit()
  return True


def spend_verification_time(password):
  """Verify against a dummy hash, so unknown emails cost as much as wrong passwords."""
  hasher = password_hasher()
  key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
  if key not in _TIMING_DUMMY:
    _TIMING_DUMMY[key] = hasher.hash(secrets.token_hex(16))
  try:
    hasher.verify(_TIMING_DUMMY[key], password)
  except VerificationError:
    pass


def new_session_token():
  """A fresh random token; part of the session identity (User.get_id)."""
  return secrets.token_hex(SESSION_TOKEN_BYTES)


def normalize_email(email):
  """Emails compare without case: stored and looked up lower-cased."""
  return email.strip().lower()


def find_user_by_email(email):
  """The user with this email (any case), or None."""
  return db.session.execute(
    select(User).where(User.email == normalize_email(email))
  ).scalar_one_or_none()


def find_user_by_username(username):
  """The user with this username (any case), or None."""
  return db.session.execute(
    select(User).where(User.username == username.strip().lower())
  ).scalar_one_or_none()


def get_user_by_username(username):
  """The user with this username (any case), else 404."""
  return get_or_404(User, username=username.strip().lower())


def create_user(email, username, password, display_name=None, role=ROLE_USER):
  """Create an account; a taken email or username is a 409 decided by the unique constraints."""
  user = User(
    email=normalize_email(email),
    username=username,
    display_name=display_name or username,
    bio='',
    role=role,
    password_hash=hash_password(password),
    session_token=new_session_token(),
  )
  db.session.add(user)
  try:
    db.session.commit()
  except IntegrityError:
    db.session.rollback()
    raise account_conflict(email, username) from None
  return user


def account_conflict(email, username):
  """The 409 for a signup that lost to the unique constraints, naming what was taken."""
  if find_user_by_email(email) is not None:
    return ApiError(409, message='An account with this email already exists.')
  if find_user_by_username(username) is not None:
    return ApiError(409, message='That username is taken.')
  return ApiError(409, message='That account already exists.')


def start_session(user, remember=False):
  """Log `user` in on a fresh session, so nothing from before the login carries over."""
  session.clear()
  login_user(user, remember=remember)


def end_session():
  """Log out and drop everything the session held."""
  logout_user()
  session.clear()


def authenticate(email, password):
  """The user with this email and password, or a 401 that says the same for either mistake."""
  user = find_user_by_email(email)
  if user is None:
    spend_verification_time(password)
    raise ApiError(401, message=LOGIN_FAILED_MESSAGE)
  if not verify_password(user, password):
    raise ApiError(401, message=LOGIN_FAILED_MESSAGE)
  return user


def update_profile(user, changes):
  """Apply the profile fields the client sent; null clears bio and campus."""
  apply_changes(user, changes, null_values={'bio': '', 'campus': None})
  db.session.commit()
  return user


def set_password(user, new_password):
  """Store a new password and end every other session of the user."""
  user.password_hash = hash_password(new_password)
  user.session_token = new_session_token()


def change_password(user, current_password, new_password):
  """Change the password after checking the current one; this session stays logged in."""
  if not verify_password(user, current_password):
    raise ApiError(422, fields={'current_password': ['Is not correct.']})
  set_password(user, new_password)
  db.session.commit()
  login_user(user)


def hash_reset_token(token):
  """The SHA-256 digest stored for a reset token (the token itself is never stored)."""
  return hashlib.sha256(token.encode()).hexdigest()


def request_password_reset(email):
  """Mail a single-use reset link when the account exists; say nothing either way."""
  user = find_user_by_email(email)
  if user is None:
    return
  token = secrets.token_urlsafe(RESET_TOKEN_BYTES)
  max_age = current_app.config['PASSWORD_RESET_MAX_AGE_SECONDS']
  db.session.add(
    PasswordResetToken(
      user_id=user.id,
      token_hash=hash_reset_token(token),
      expires_at=utc_now() + timedelta(seconds=max_age),
    )
  )
  db.session.commit()
  link = f'{current_app.config["PUBLIC_BASE_URL"]}/reset-password?token={token}'
  send_mail(
    user.email,
    'Reset your Dibz password',
    f'Someone asked to reset the password of your Dibz account.\n\n'
    f'Open this link within an hour to choose a new one:\n{link}\n\n'
    f'If it was not you, ignore this mail.',
  )


def confirm_password_reset(token, new_password):
  """Set a new password with a live token, then spend every token of that user."""
  now = utc_now()
  reset = db.session.execute(
    select(PasswordResetToken).where(PasswordResetToken.token_hash == hash_reset_token(token))
  ).scalar_one_or_none()
  if reset is None or reset.used_at is not None or as_utc(reset.expires_at) <= now:
    raise ApiError(422, fields={'token': ['This reset link is invalid or has expired.']})
  set_password(reset.user, new_password)
  for other in db.session.execute(
    select(PasswordResetToken).where(
      PasswordResetToken.user_id == reset.user_id, PasswordResetToken.used_at.is_(None)
    )
  ).scalars():
    other.used_at = now
  db.session.commit()


@login_manager.user_loader
def load_user(session_id):
  """Find the user of a session id written by User.get_id; a stale token finds nobody."""
  user_id, _, token = session_id.partition(':')
  if not user_id.isdigit() or not token:
    return None
  user = db.session.get(User, int(user_id))
  if user is None or not secrets.compare_digest(user.session_token, token):
    return None
  return user


@login_manager.unauthorized_handler
def unauthorized():
  """Flask-Login's answer to a missing login: the JSON 401, never a redirect."""
  raise ApiError(401)


def public_endpoint(view):
  """Mark a view of the api blueprint as open to anonymous users (the rest require a login)."""
  view.is_public = True
  return view
