"""Watches: a student's heart on a post, to hear when its price drops, when it is available
again, and when it is sold or withdrawn."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index
from sqlalchemy.orm import Mapped, mapped_column

from app.common.CommonHelpers import utc_now
from app.extensions import db


class Watch(db.Model):
  """One user watching one post."""

  __tablename__ = 'watches'
  __table_args__ = (
    # Whom to tell about a post; my watchlist reads the primary key.
    Index('ix_watches_post_id', 'post_id'),
    Index('ix_watches_user_id_created_at', 'user_id', 'created_at'),
  )

  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
  post_id: Mapped[int] = mapped_column(ForeignKey('posts.id', ondelete='CASCADE'), primary_key=True)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
