"""Holds (the accepted buyer's time to collect) and the meet-ups they agree.

The database keeps one active hold per post even when requests race (a partial unique
index), and every change to a hold happens under its post's row lock, like the queue's.
"""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostHoldConstants import HOLD_ACTIVE, MEETUP_PROPOSED, PLACE_MAX_LENGTH

ACTIVE_HOLD_CONDITION = text("status = 'active'")


class Hold(db.Model):
  """The accepted dib's hold on a post, until the sale, a lapse, a release or a no-show."""

  __tablename__ = 'holds'
  not_found_message = 'No hold with that id.'
  __table_args__ = (
    CheckConstraint(
      "status IN ('active', 'sold', 'lapsed', 'released', 'no_show', 'ended')",
      name='status_known',
    ),
    Index(
      'uq_holds_active_post',
      'post_id',
      unique=True,
      postgresql_where=ACTIVE_HOLD_CONDITION,
      sqlite_where=ACTIVE_HOLD_CONDITION,
    ),
    # The lapse job reads the active holds past their deadline.
    Index('ix_holds_status_deadline_at', 'status', 'deadline_at'),
    Index('ix_holds_buyer_id_id', 'buyer_id', 'id'),
    Index('ix_holds_seller_id_id', 'seller_id', 'id'),
    Index('ix_holds_post_id_id', 'post_id', 'id'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  dib_id: Mapped[int] = mapped_column(ForeignKey('dibs.id', ondelete='CASCADE'), unique=True)
  post_id: Mapped[int] = mapped_column(ForeignKey('posts.id', ondelete='CASCADE'))
  buyer_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  seller_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  status: Mapped[str] = mapped_column(String(20), default=HOLD_ACTIVE)
  deadline_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))
  ended_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)


class Meetup(db.Model):
  """A proposed time and place to hand the thing over; the other side confirms or proposes
  another (which supersedes this one)."""

  __tablename__ = 'meetups'
  not_found_message = 'No meet-up with that id.'
  __table_args__ = (
    CheckConstraint("status IN ('proposed', 'confirmed', 'superseded')", name='status_known'),
    Index('ix_meetups_hold_id_id', 'hold_id', 'id'),
    # The reminder job reads the confirmed meet-ups coming up.
    Index('ix_meetups_status_meet_at', 'status', 'meet_at'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  hold_id: Mapped[int] = mapped_column(ForeignKey('holds.id', ondelete='CASCADE'))
  proposer_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  meet_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))
  place: Mapped[str] = mapped_column(String(PLACE_MAX_LENGTH))
  status: Mapped[str] = mapped_column(String(20), default=MEETUP_PROPOSED)
  confirmed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  # Each reminder is claimed by writing its time, in the transaction that notifies.
  reminded_day_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  reminded_hour_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
