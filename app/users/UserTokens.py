"""Single-use, hashed, expiring tokens mailed as links: password resets and email
verification share this one machinery (only a token's SHA-256 digest is stored)."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete, or_, select

from app.common.CommonHelpers import as_utc, utc_now
from app.extensions import db
from app.users.UserConstants import RESET_TOKEN_BYTES


def hash_token(token):
  """The stored digest of a token."""
  return hashlib.sha256(token.encode()).hexdigest()


def issue_token(model, user_id, max_age_seconds):
  """Add a new token row of `model` for the user (the caller commits); return the token."""
  token = secrets.token_urlsafe(RESET_TOKEN_BYTES)
  db.session.add(
    model(
      user_id=user_id,
      token_hash=hash_token(token),
      expires_at=utc_now() + timedelta(seconds=max_age_seconds),
    )
  )
  return token


def find_live_token(model, token):
  """The unused, unexpired row of `model` for `token`, or None."""
  row = db.session.execute(
    select(model).where(model.token_hash == hash_token(token))
  ).scalar_one_or_none()
  if row is None or row.used_at is not None or as_utc(row.expires_at) <= utc_now():
    return None
  return row


def spend_user_tokens(model, user_id):
  """Mark every unused token of `model` of the user as used (the caller commits)."""
  now = utc_now()
  for row in db.session.execute(
    select(model).where(model.user_id == user_id, model.used_at.is_(None))
  ).scalars():
    row.used_at = now


def purge_spent_tokens(model):
  """Delete the used or expired rows of `model`; return how many went."""
  result = db.session.execute(
    delete(model).where(or_(model.used_at.is_not(None), model.expires_at <= utc_now()))
  )
  db.session.commit()
  return result.rowcount
