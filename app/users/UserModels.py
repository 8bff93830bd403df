"""User accounts and password-reset tokens."""

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
  # Part of the session identity: changing it logs out every other session of this user.
  session_token: Mapped[str] = mapped_column(String(64))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  def get_id(self):
    """Flask-Login's id: user id and session token, so a password change ends old sessions."""
    return f'{self.id}:{self.session_token}'

  @property
  def is_admin(self):
    return self.role == ROLE_ADMIN

  def __repr__(self):
    return f'<User {self.username}>'


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
