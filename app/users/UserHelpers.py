"""The rules of the users area: accounts, passwords, sessions, roles, resets, email verification
and the campus gate."""

import secrets
import unicodedata

import idna
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.campuses.CampusHelpers import any_campus_domains, campus_id_for_domain
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import apply_changes, as_utc, get_or_404, utc_now
from app.common.CommonJobs import enqueue
from app.extensions import db, login_manager
from app.users import UserJobs
from app.users.UserConstants import (
  EMAIL_MAX_LENGTH,
  LOGIN_FAILED_MESSAGE,
  ROLE_USER,
  VERIFICATION_OF_ANOTHER_ACCOUNT_MESSAGE,
)
from app.users.UserModels import EmailVerificationToken, PasswordResetToken, User
from app.users.UserSessionHelpers import end_all_sessions, end_other_sessions
from app.users.UserTokens import find_live_token, spend_user_tokens

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


def normalize_email(email):
  """One spelling per address, stored and looked up: trimmed, NFC, lower-cased, the domain in
  its ASCII (IDNA) form, so josé@… typed composed or decomposed is one account."""
  email = unicodedata.normalize('NFC', email.strip()).lower()
  local_part, at_sign, domain = email.rpartition('@')
  if not at_sign:
    return email
  return f'{local_part}@{ascii_domain(domain)}'


def ascii_domain(domain):
  """bücher.example as xn--bcher-kva.example; a domain IDNA refuses is kept as typed (the
  form's email check has refused it already where it matters)."""
  if domain.isascii():
    return domain
  try:
    return idna.encode(domain, uts46=True).decode('ascii')
  except (idna.IDNAError, UnicodeError):
    return domain


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
  email = normalize_email(email)
  # The ASCII form of a domain can be longer than what was typed.
  if len(email) > EMAIL_MAX_LENGTH:
    raise ApiError(422, fields={'email': [f'Must be at most {EMAIL_MAX_LENGTH} characters.']})
  user = User(
    email=email,
    username=username,
    display_name=display_name or username,
    bio='',
    role=role,
    password_hash=hash_password(password),
    # The campus of the address's domain: the default of browse and search from the start;
    # posting and dibs still wait for the address to be verified (require_campus_student).
    campus_id=campus_id_for_domain(email.rpartition('@')[2]),
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


def authenticate(email, password):
  """The user with this email and password, or a 401 that says the same for either mistake."""
  user = find_user_by_email(email)
  if user is None:
    spend_verification_time(password)
    raise ApiError(401, message=LOGIN_FAILED_MESSAGE)
  if not verify_password(user, password):
    raise ApiError(401, message=LOGIN_FAILED_MESSAGE)
  require_not_suspended(user)
  return user


def require_not_suspended(user):
  """403 for a suspended or banned account, saying why and until when (only after the right
  password, so the refusal tells a stranger nothing)."""
  if not user.is_suspended():
    return
  reason = user.suspension_reason or 'no reason given'
  if user.suspended_until is None:
    raise ApiError(403, message=f'Your account is banned: {reason}')
  until = as_utc(user.suspended_until).strftime('%Y-%m-%d %H:%M UTC')
  raise ApiError(403, message=f'Your account is suspended until {until}: {reason}')


def update_profile(user, changes):
  """Apply the profile fields the client sent; null clears the bio. The campus is not the
  user's to choose: it follows the verified address."""
  apply_changes(user, changes, null_values={'bio': ''})
  db.session.commit()
  return user


def change_password(user, current_password, new_password):
  """Change the password after checking the current one; this session stays logged in, every
  other session of the user ends, and every outstanding reset link is spent (a link mailed
  before the change must not undo it)."""
  if not verify_password(user, current_password):
    raise ApiError(422, fields={'current_password': ['Is not correct.']})
  user.password_hash = hash_password(new_password)
  end_other_sessions(user)
  spend_user_tokens(PasswordResetToken, user.id)
  db.session.commit()


def request_password_reset(email):
  """Queue the reset mail job for this address, known or not: the worker looks the account up,
  so the request does the same work (and takes the same time) either way."""
  enqueue(UserJobs.send_password_reset_mail, normalize_email(email))


def confirm_password_reset(token, new_password):
  """Set a new password with a live token, then spend every token of that user."""
  reset = find_live_token(PasswordResetToken, token)
  if reset is None:
    raise ApiError(422, fields={'token': ['This reset link is invalid or has expired.']})
  reset.user.password_hash = hash_password(new_password)
  end_all_sessions(reset.user)
  spend_user_tokens(PasswordResetToken, reset.user_id)
  db.session.commit()


def request_email_verification(user, first=False):
  """Queue a mail with a fresh verification link for the user's address (`first`: the
  sign-up's own, sent once per account)."""
  enqueue(UserJobs.send_verification_mail, user.id, first)


def resend_email_verification(user):
  """Queue another verification mail; 409 when the address is already verified."""
  if user.email_verified_at is not None:
    raise ApiError(409, message='Your email address is already verified.')
  request_email_verification(user)


def confirm_email_verification(token, user):
  """Mark `user` (the one logged in) verified with a live token of theirs and spend their
  verification tokens; returns the user. A token of another account is a 403 that changes
  nothing: whoever signed up with someone else's address cannot get it verified by them."""
  verification = find_live_token(EmailVerificationToken, token)
  if verification is None:
    raise ApiError(422, fields={'token': ['This verification link is invalid or has expired.']})
  if verification.user_id != user.id:
    raise ApiError(403, message=VERIFICATION_OF_ANOTHER_ACCOUNT_MESSAGE)
  user.email_verified_at = user.email_verified_at or utc_now()
  # The verified address decides the campus a student belongs to (docs/CAMPUSES.md).
  user.campus_id = campus_id_for_domain(user.verified_campus)
  spend_user_tokens(EmailVerificationToken, user.id)
  db.session.commit()
  return user


def is_campus_email(user, domains):
  """Whether the user's verified address is in one of `domains` (or a subdomain of one)."""
  domain = user.verified_campus
  if domain is None:
    return False
  return any(domain == allowed or domain.endswith('.' + allowed) for allowed in domains)


def require_campus_student(user):
  """403 when campuses list email domains and the user has no verified address in them."""
  domains = any_campus_domains()
  if domains and not is_campus_email(user, domains):
    raise ApiError(
      403,
      message=(
        'Only students with a verified campus email address '
        f'({", ".join(domains)}) can post or call dibs. Verify your address first.'
      ),
    )


@login_manager.unauthorized_handler
def unauthorized():
  """Flask-Login's answer to a missing login: the JSON 401, never a redirect."""
  raise ApiError(401)


def public_endpoint(view):
  """Mark a view of the api blueprint as open to anonymous users (the rest require a login)."""
  view.is_public = True
  return view
