"""User accounts, their login sessions, password-reset tokens, email-verification tokens and
the blocks between users."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
  CheckConstraint,
  ForeignKey,
  Index,
  Integer,
  String,
  Text,
  UniqueConstraint,
  or_,
  select,
  text,
)
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.campuses.CampusModels import Campus
from app.common.CommonCache import ShownInEveryRead, ShownInPrivateReads
from app.common.CommonHelpers import as_utc, utc_now
from app.extensions import db
from app.users.UserConstants import (
  CAMPUS_MAX_LENGTH,
  DISPLAY_NAME_MAX_LENGTH,
  EMAIL_MAX_LENGTH,
  MODERATOR_ROLES,
  ROLE_ADMIN,
  ROLE_USER,
  USER_AGENT_MAX_LENGTH,
  USERNAME_MAX_LENGTH,
)


def verified_domain(email, verified_at):
  """The domain part of `email` when it was verified, else None."""
  if verified_at is None or not email:
    return None
  return email.rpartition('@')[2]


def suspension_holds(suspended_at, suspended_until, now=None):
  """Whether a suspension (or a ban: no end) with these columns holds at `now`."""
  if suspended_at is None:
    return False
  return suspended_until is None or as_utc(suspended_until) > (now or utc_now())


def suspended_user_ids(now):
  """The select of the ids of users suspended or banned at `now` (never correlated: the whole
  set, even inside a query that joins its posts' sellers)."""
  return (
    select(User.id)
    .where(
      User.suspended_at.is_not(None),
      or_(User.suspended_until.is_(None), User.suspended_until > now),
    )
    .correlate(None)
  )


class User(UserMixin, ShownInEveryRead, db.Model):
  """A student with an account. Emails are stored lower-cased, so uniqueness ignores case."""

  __tablename__ = 'users'
  not_found_message = 'No user with that username.'
  __table_args__ = (
    # The few suspended users: every list leaves their posts out (suspended_user_ids) and
    # reads them here instead of scanning every user.
    Index(
      'ix_users_suspended_at_set',
      'suspended_at',
      postgresql_where=text('suspended_at IS NOT NULL'),
      sqlite_where=text('suspended_at IS NOT NULL'),
    ),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  email: Mapped[str] = mapped_column(String(EMAIL_MAX_LENGTH), unique=True)
  username: Mapped[str] = mapped_column(String(USERNAME_MAX_LENGTH), unique=True)
  display_name: Mapped[str] = mapped_column(String(DISPLAY_NAME_MAX_LENGTH))
  bio: Mapped[str] = mapped_column(Text, default='')
  # The campus of the verified email address (set by verification and by operators' domain
  # changes, docs/CAMPUSES.md); null: no campus. legacy_campus: the free text a profile had
  # before campuses were data, kept when it named no campus (0020_campuses).
  # No ON DELETE: removing a campus clears it first (CampusHelpers.delete_campus).
  campus_id: Mapped[int | None] = mapped_column(ForeignKey('campuses.id'), index=True)
  legacy_campus: Mapped[str | None] = mapped_column(String(CAMPUS_MAX_LENGTH))
  role: Mapped[str] = mapped_column(String(20), default=ROLE_USER)
  password_hash: Mapped[str] = mapped_column(String(255))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  # When the user proved they read mail at `email` (a verification link); null: not yet.
  email_verified_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  # A suspension (moderation): since when, until when (null with suspended_at set: a ban), why.
  suspended_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  suspended_until: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  suspension_reason: Mapped[str | None] = mapped_column(Text)
  # The published reviews of the user (app/reviews), kept beside the profile so that a post
  # card shows its seller's rating without another query: how many, and their stars added up.
  review_count: Mapped[int] = mapped_column(Integer, default=0, server_default='0')
  review_stars_total: Mapped[int] = mapped_column(Integer, default=0, server_default='0')

  # When the student deleted their account (app/privacy): the row stays, scrubbed of anything
  # personal, so their messages still read "Deleted user" to the other side.
  deleted_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

  campus: Mapped[Campus | None] = db.relationship()

  # The random id of the login session being started or served; never stored (only its hash).
  login_session_id = None
  # Whether the user is on either side of a block, as the login's loader found it (None: not
  # known, ask the database).
  has_blocks = None

  def cache_tags_when_created(self, connection):
    """A new account shows in no cached answer yet: a sign-up empties no cache."""
    return ()

  def get_id(self):
    """Flask-Login's id, written into the session and remember-me cookies: the random id of
    this login's UserSession row, so ending the row ends both cookies."""
    return self.login_session_id

  @property
  def is_admin(self):
    return self.role == ROLE_ADMIN

  def is_suspended(self, now=None):
    """Whether a suspension or a ban holds now."""
    return suspension_holds(self.suspended_at, self.suspended_until, now)

  @property
  def is_moderator(self):
    """Moderators and admins act on reports."""
    return self.role in MODERATOR_ROLES

  @property
  def verified_campus(self):
    """The domain of the verified email address (never the address), or None."""
    return verified_domain(self.email, self.email_verified_at)

  def __repr__(self):
    return f'<User {self.username}>'


class UserSession(ShownInPrivateReads, db.Model):
  """One login: the cookie carries a random id, the row only its SHA-256 digest."""

  __tablename__ = 'user_sessions'
  # A touch of the last-seen time changes no cached answer: it bumps no cache generation
  # (CommonCache). A cached profile lives only until the next touch is due (cacheable_until).
  cache_ignored_columns = frozenset({'last_seen_at'})

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


class SingleUseToken:
  """The columns of a single-use, expiring token mailed to a user; only its SHA-256 digest is
  stored (the machinery that issues and spends them: UserTokens)."""

  id: Mapped[int] = mapped_column(primary_key=True)
  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), index=True)
  token_hash: Mapped[str] = mapped_column(String(64), unique=True)
  expires_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))
  used_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  @declared_attr
  def user(cls) -> Mapped[User]:
    """The user the token was mailed to."""
    return db.relationship(User)


class PasswordResetToken(SingleUseToken, db.Model):
  """A single-use password-reset link."""

  __tablename__ = 'password_reset_tokens'


class EmailVerificationToken(SingleUseToken, db.Model):
  """A single-use link proving the user reads mail at their address."""

  __tablename__ = 'email_verification_tokens'


class UserBlock(ShownInEveryRead, db.Model):
  """`blocker` blocked `blocked`: both ways at once, neither sees the other's posts, starts a
  conversation with, writes to, or calls dibs on the other (UserBlockHelpers)."""

  __tablename__ = 'user_blocks'
  __table_args__ = (
    UniqueConstraint('blocker_id', 'blocked_id', name='uq_user_blocks_blocker_id_blocked_id'),
    CheckConstraint('blocker_id <> blocked_id', name='not_self'),
    # The other direction: who blocked me (the pair's unique index serves "whom I blocked").
    Index('ix_user_blocks_blocked_id', 'blocked_id'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  blocker_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  blocked_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  blocked: Mapped[User] = db.relationship(foreign_keys=[blocked_id], lazy='raise_on_sql')
