"""The keys clients sent with POSTs, and the first answer each one got."""

from datetime import datetime

from sqlalchemy import Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.idempotency.IdempotencyConstants import IDEMPOTENCY_KEY_MAX_LENGTH

SCOPE_MAX_LENGTH = 80
PATH_MAX_LENGTH = 2048


class IdempotencyKey(db.Model):
  """One key of one scope (a user, or an anonymous browser): the fingerprint of the request
  that claimed it, and, once answered, that answer. No answer yet: the request is running."""

  __tablename__ = 'idempotency_keys'
  __table_args__ = (
    UniqueConstraint('scope', 'idempotency_key'),
    Index('ix_idempotency_keys_created_at', 'created_at'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  scope: Mapped[str] = mapped_column(String(SCOPE_MAX_LENGTH))
  idempotency_key: Mapped[str] = mapped_column(String(IDEMPOTENCY_KEY_MAX_LENGTH))
  # HMAC-SHA256 (keyed by SECRET_KEY) of the method, path and body: a body holding a password
  # cannot be guessed back from a stolen table.
  request_fingerprint: Mapped[str] = mapped_column(String(64))
  method: Mapped[str] = mapped_column(String(10))
  path: Mapped[str] = mapped_column(String(PATH_MAX_LENGTH))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  completed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  # Set in the transaction of the view's first commit: a claim with work done and no answer
  # lost its answer (the worker died in between) and must not run again.
  work_committed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  response_status: Mapped[int | None]
  response_headers: Mapped[str | None] = mapped_column(Text)
  response_body: Mapped[bytes | None] = mapped_column(LargeBinary)
