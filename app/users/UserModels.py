"""User accounts, their login sessions and password-reset tokens."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.users.UserConstants import (
  CAMPUS_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  ROLE_ADMIN,
  ROLE_USER,
  USER_AGENT_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
)


class User(UserMixin, db.Model):
  """A student with an account. Emails are stored lower-cased, so uniqueness ignores case."""

  __tablename__ = 'users'
  not_found_message = 'No user with that username.'

  id: Mapped[int] = mapped_column(primary_key=True)
  email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
  username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH), unique=True)
  display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX_LENGTH))
  bio: Mapped[str] = mapped_column(Text, default='')
  campus: Mapped[str | None] = mapped_column(String(CAMPUS_MAX_LENGTH))
  role: Mapped[str] = mapped_column(String(20), default=ROLE_USER)
  password_hash: Mapped[str] = mapped_column(String(255))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  # The random id of the login session being started or served; never stored (only its hash).
  login_session_id = None

  def get_id(self):
    """Flask-Login's id, written into the session and remember-me cookies: the random id of
    this login's UserSession row, so ending the row ends both cookies."""
    return self.login_session_id

  @property
  def is_admin(self):
    return self.role == ROLE_ADMIN

  def __repr__(self):
    return f'<User {self.username}>'


class UserSession(db.Model):
  """One login: the cookie carries a random id, the row only its SHA-256 digest."""

  __tablename__ = 'user_sessions'

  id: Mapped[int] = mapped_column(primary_key=True)
  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
  id_hash: Mapped[str] = mapped_column(String(64), unique=True)
  remember: Mapped[bool] = mapped_column(default=False)
  user_agent: Mapped[str] = mapped_column(String(USER_AGENT_MAX_LENGTH), default='')
  # Coarse on purpose (a /24 or /48 network): enough to recognise a place, not a person.
  address: Mapped[str] = mapped_column(String(64), default='')
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  last_seen_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  user: Mapped[User] = db.relationship()


class PasswordResetToken(db.Model):
  """A single-use reset token; only its SHA-256 digest is stored."""

  __tablename__ = 'password_reset_tokens'

  id: Mapped[int] = mapped_column(primary_key=True)
  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
  token_hash: Mapped[str] = mapped_column(String(64), unique=True)
  expires_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))
  used_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  user: Mapped[User] = db.relationship()
