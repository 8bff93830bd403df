"""Server-side login sessions: one row per login, found by the digest of the cookie's random id.

The session cookie and the remember-me cookie carry only that random id (Flask-Login's user
id), so deleting the row ends both at once: logout, a revoked session, a password change or
reset. A request without a cookie never reaches this module; one with a cookie costs one
indexed query, and a write at most every SESSION_TOUCH_INTERVAL_SECONDS.
"""

import hashlib
import ipaddress
import secrets
from datetime import timedelta

from flask import current_app, g, has_request_context, request, session
from flask_login import login_user, logout_user
from sqlalchemy import delete, exists, or_, select
from sqlalchemy.orm import joinedload

from app.common.CommonCache import PERSONAL_SESSION_KEY
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import as_utc, utc_now
from app.extensions import db, login_manager
from app.users.UserConstants import SESSION_ID_BYTES, USER_AGENT_MAX_LENGTH
from app.users.UserModels import UserBlock, UserSession

CURRENT_SESSION_KEY = 'dibz_user_session'
SESSION_ID_LENGTH = SESSION_ID_BYTES * 2
HEX_DIGITS = frozenset('0123456789abcdef')


def hash_session_id(raw_session_id):
  """The SHA-256 digest stored for a session id (the id itself is 256 random bits)."""
  return hashlib.sha256(raw_session_id.encode()).hexdigest()


def coarse_address(address):
  """The /24 (IPv4) or /48 (IPv6) network of a client address, or '' when there is none."""
  try:
    parsed = ipaddress.ip_address(address or '')
  except ValueError:
    return ''
  prefix = 24 if parsed.version == 4 else 48
  return str(ipaddress.ip_network(f'{parsed}/{prefix}', strict=False))


def clean_user_agent(user_agent):
  """The User-Agent header, printable and bounded, for the list of sessions."""
  printable = ''.join(character for character in user_agent or '' if character.isprintable())
  return printable[:USER_AGENT_MAX_LENGTH]


def start_session(user, remember=False):
  """Log `user` in on a fresh session row and a fresh cookie, so nothing from before the
  login carries over (no session fixation)."""
  session.clear()
  raw_session_id = secrets.token_hex(SESSION_ID_BYTES)
  user_session = UserSession(
    user_id=user.id,
    id_hash=hash_session_id(raw_session_id),
    remember=remember,
    user_agent=clean_user_agent(request.headers.get('User-Agent')),
    address=coarse_address(request.remote_addr),
  )
  db.session.add(user_session)
  db.session.commit()
  user.login_session_id = raw_session_id
  setattr(g, CURRENT_SESSION_KEY, user_session)
  duration = timedelta(seconds=current_app.config['SESSION_MAX_AGE_SECONDS'])
  login_user(user, remember=remember, duration=duration)
  user.has_blocks = db.session.execute(select(has_block_of(user.id))).scalar_one()
  mark_personal_session(user.has_blocks)
  return user_session


def current_session():
  """The UserSession row of the request's login, or None for an anonymous request."""
  return g.get(CURRENT_SESSION_KEY)


def end_current_session():
  """Log out: delete this login's row, then drop the cookie session and the remember-me
  cookie (Flask-Login clears that one when its flag survives the session.clear)."""
  user_session = current_session()
  if user_session is not None:
    db.session.execute(delete(UserSession).where(UserSession.id == user_session.id))
    db.session.commit()
    g.pop(CURRENT_SESSION_KEY, None)
  session.clear()
  logout_user()


def end_session(user, session_id):
  """End one of `user`'s sessions by its row id (404 for anyone else's); ending the current
  one logs this client out."""
  user_session = db.session.get(UserSession, session_id)
  if user_session is None or user_session.user_id != user.id:
    raise ApiError(404, message='No session with that id.')
  current = current_session()
  if current is not None and current.id == user_session.id:
    end_current_session()
    return
  db.session.delete(user_session)
  db.session.commit()


def end_other_sessions(user):
  """End every session of `user` but the current one; returns how many ended. Does not commit
  (a password change commits it with the new hash)."""
  statement = delete(UserSession).where(UserSession.user_id == user.id)
  current = current_session()
  if current is not None and current.user_id == user.id:
    statement = statement.where(UserSession.id != current.id)
  return db.session.execute(statement).rowcount


def end_all_sessions(user):
  """End every session of `user` (a password reset, an account closed); does not commit."""
  return db.session.execute(delete(UserSession).where(UserSession.user_id == user.id)).rowcount


def list_sessions(user):
  """`user`'s live sessions, most recently used first."""
  now = utc_now()
  rows = db.session.execute(
    select(UserSession)
    .where(UserSession.user_id == user.id)
    .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
  ).scalars()
  return [row for row in rows if not is_expired(row, now)]


def is_current(user_session):
  """True for the session making this request."""
  current = current_session()
  return current is not None and current.id == user_session.id


def is_expired(user_session, now):
  """True when the session was idle too long or is older than the absolute maximum."""
  config = current_app.config
  idle = now - as_utc(user_session.last_seen_at)
  age = now - as_utc(user_session.created_at)
  return idle > timedelta(seconds=config['SESSION_IDLE_TIMEOUT_SECONDS']) or age > timedelta(
    seconds=config['SESSION_MAX_AGE_SECONDS']
  )


def cacheable_until(user_session):
  """Seconds since the epoch until which an answer about this session may be served without
  asking the database: until its next last-seen touch is due, or it ends, whichever is first.
  Both are fixed by the row, so a cached answer ends by time exactly when the session could."""
  config = current_app.config
  last_seen = as_utc(user_session.last_seen_at)
  seconds_to_touch = min(
    config['SESSION_TOUCH_INTERVAL_SECONDS'], config['SESSION_IDLE_TIMEOUT_SECONDS']
  )
  touch_due = last_seen + timedelta(seconds=seconds_to_touch)
  ends = as_utc(user_session.created_at) + timedelta(seconds=config['SESSION_MAX_AGE_SECONDS'])
  return min(touch_due, ends).timestamp()


def delete_expired_sessions():
  """Delete the rows of every expired session (housekeeping); returns how many."""
  config = current_app.config
  now = utc_now()
  idle_cutoff = now - timedelta(seconds=config['SESSION_IDLE_TIMEOUT_SECONDS'])
  age_cutoff = now - timedelta(seconds=config['SESSION_MAX_AGE_SECONDS'])
  result = db.session.execute(
    delete(UserSession).where(
      (UserSession.last_seen_at < idle_cutoff) | (UserSession.created_at < age_cutoff)
    )
  )
  db.session.commit()
  return result.rowcount


def is_well_formed(raw_session_id):
  return (
    isinstance(raw_session_id, str)
    and len(raw_session_id) == SESSION_ID_LENGTH
    and HEX_DIGITS.issuperset(raw_session_id)
  )


def has_block_of(user_id):
  """The SQL condition: the user (an id or a column) blocked someone or was blocked."""
  return exists().where(or_(UserBlock.blocker_id == user_id, UserBlock.blocked_id == user_id))


def mark_personal_session(personal):
  """Keep the cookie session's mark of a viewer whose public reads are their own (a block
  either way) in step with the database, writing the cookie only when it changes. Outside a
  request (the events process's heartbeat checks a login after its request has ended) there is
  no cookie to keep in step."""
  if not has_request_context():
    return
  if bool(personal) == bool(session.get(PERSONAL_SESSION_KEY)):
    return
  if personal:
    session[PERSONAL_SESSION_KEY] = True
  else:
    session.pop(PERSONAL_SESSION_KEY, None)


@login_manager.user_loader
def load_session_user(raw_session_id):
  """Flask-Login's loader: the user of a live session, touching its last-seen time at most
  every SESSION_TOUCH_INTERVAL_SECONDS; an unknown, ended or expired session finds nobody."""
  if not is_well_formed(raw_session_id):
    return None
  # The same query tells whether the user has a block either way (no second round trip).
  row = db.session.execute(
    select(UserSession, has_block_of(UserSession.user_id))
    .options(joinedload(UserSession.user))
    .where(UserSession.id_hash == hash_session_id(raw_session_id))
  ).first()
  if row is None:
    return None
  user_session, has_blocks = row
  mark_personal_session(has_blocks)
  now = utc_now()
  # A suspension ends every session at once; this also refuses one that raced it.
  if is_expired(user_session, now) or user_session.user.is_suspended(now):
    db.session.delete(user_session)
    db.session.commit()
    return None
  touch_interval = timedelta(seconds=current_app.config['SESSION_TOUCH_INTERVAL_SECONDS'])
  if now - as_utc(user_session.last_seen_at) > touch_interval:
    user_session.last_seen_at = now
    db.session.commit()
  user = user_session.user
  user.login_session_id = raw_session_id
  user.has_blocks = bool(has_blocks)
  setattr(g, CURRENT_SESSION_KEY, user_session)
  return user
