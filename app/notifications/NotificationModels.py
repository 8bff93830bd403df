"""Notifications of a user and which kinds they want by email."""

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.common.CommonCache import ShownInPrivateReads
from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.notifications.NotificationConstants import KIND_MAX_LENGTH, SUBJECT_KEY_MAX_LENGTH


class Notification(ShownInPrivateReads, db.Model):
  """Something that happened to the user; `payload` holds the ids and titles it names."""

  __tablename__ = 'notifications'
  __table_args__ = (Index('ix_notifications_user_id_id', 'user_id', 'id'),)

  id: Mapped[int] = mapped_column(primary_key=True)
  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  kind: Mapped[str] = mapped_column(String(KIND_MAX_LENGTH))
  payload: Mapped[dict] = mapped_column(JSON, default=dict)
  # What the notification is about, when later ones must find it ('conversation:12').
  subject_key: Mapped[str | None] = mapped_column(String(SUBJECT_KEY_MAX_LENGTH))
  read_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)


class NotificationPreference(ShownInPrivateReads, db.Model):
  """A user's choice for one kind; without a row the kind is mailed."""

  __tablename__ = 'notification_preferences'

  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
  kind: Mapped[str] = mapped_column(String(KIND_MAX_LENGTH), primary_key=True)
  email: Mapped[bool] = mapped_column(Boolean, default=True)
