"""Reports of posts, users and messages, and the append-only audit log of moderation.

The database keeps one open report per reporter per target (a partial unique index); the audit
log refuses updates and deletes in the ORM (a moderator's action is never rewritten).
"""

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, event, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.moderation.ModerationConstants import REPORT_OPEN
from app.users.UserModels import User

OPEN_REPORT_CONDITION = text("status = 'open'")


class Report(db.Model):
  """A verified student's report of a post, a user or a message. `target_user_id` is whom the
  report is about (the seller, the user, the sender), so a moderator never decides their own
  case; `snapshot` is the target as it was reported."""

  __tablename__ = 'reports'
  not_found_message = 'No report with that id.'
  __table_args__ = (
    Index(
      'uq_reports_open_reporter_target',
      'reporter_id',
      'target_type',
      'target_id',
      unique=True,
      postgresql_where=OPEN_REPORT_CONDITION,
      sqlite_where=OPEN_REPORT_CONDITION,
    ),
    Index('ix_reports_status_target', 'status', 'target_type', 'target_id'),
    Index('ix_reports_reporter_id_created_at', 'reporter_id', 'created_at'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  reporter_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  target_type: Mapped[str] = mapped_column(String(20))
  target_id: Mapped[int] = mapped_column(Integer)
  target_user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  reason: Mapped[str] = mapped_column(String(30))
  note: Mapped[str] = mapped_column(Text, default='')
  snapshot: Mapped[dict] = mapped_column(JSON)
  status: Mapped[str] = mapped_column(String(20), default=REPORT_OPEN)
  decision: Mapped[str | None] = mapped_column(String(30))
  decided_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  reporter: Mapped[User] = relationship(foreign_keys=[reporter_id], lazy='raise_on_sql')


class ModerationAction(db.Model):
  """One line of the audit log: who did what to which target, why, and when."""

  __tablename__ = 'moderation_actions'
  __table_args__ = (Index('ix_moderation_actions_created_at', 'created_at'),)

  id: Mapped[int] = mapped_column(primary_key=True)
  # Null for what the system did by itself (an automatic hide).
  moderator_id: Mapped[int | None] = mapped_column(ForeignKey('users.id', ondelete='SET NULL'))
  action: Mapped[str] = mapped_column(String(30))
  target_type: Mapped[str] = mapped_column(String(20))
  target_id: Mapped[int] = mapped_column(Integer)
  reason: Mapped[str] = mapped_column(Text, default='')
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  moderator: Mapped[User | None] = relationship(lazy='raise_on_sql')


@event.listens_for(ModerationAction, 'before_update')
@event.listens_for(ModerationAction, 'before_delete')
def refuse_audit_rewrite(mapper, connection, target):
  """The audit log is append-only."""
  raise RuntimeError('The moderation audit log is append-only.')
