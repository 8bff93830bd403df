"""Tables of shared machinery (no area's data): the record of mails sent by jobs."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.common.CommonHelpers import utc_now
from app.extensions import db

MAIL_KEY_MAX_LENGTH = 120


class SentMail(db.Model):
  """One mail a job sent (or is sending), keyed by the job's identity: a retried or requeued
  job finds its key taken and does not send again."""

  __tablename__ = 'sent_mails'

  id: Mapped[int] = mapped_column(primary_key=True)
  mail_key: Mapped[str] = mapped_column(String(MAIL_KEY_MAX_LENGTH), unique=True)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  sent_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
