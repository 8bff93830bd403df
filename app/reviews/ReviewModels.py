"""Review windows (one per sale) and the reviews buyer and seller write of each other.

The database keeps one window per sold post and one review per reviewer per window (unique
indexes), so two racing requests cannot write a second one; a review's `published_at` stays
null until both sides have reviewed or the window closed (double-blind).
"""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.common.CommonCache import ShownInEveryRead
from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.reviews.ReviewConstants import STARS_MAX, STARS_MIN


class ReviewWindow(db.Model):
  """The time after a sale in which its buyer and seller may review each other."""

  __tablename__ = 'review_windows'
  not_found_message = 'No review window with that id.'
  __table_args__ = (
    # The publication job reads the open windows whose time is up, the reminder job those
    # not yet reminded.
    Index('ix_review_windows_published_at_closes_at', 'published_at', 'closes_at'),
    Index('ix_review_windows_reminded_at_opened_at', 'reminded_at', 'opened_at'),
    Index('ix_review_windows_buyer_id', 'buyer_id'),
    Index('ix_review_windows_seller_id', 'seller_id'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  post_id: Mapped[int] = mapped_column(ForeignKey('posts.id', ondelete='CASCADE'), unique=True)
  buyer_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  seller_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  opened_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  closes_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True))
  # Claimed by a conditional UPDATE in the transaction that sends the day-7 reminder.
  reminded_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  # Set once, when its reviews were published (both wrote, or the window closed).
  published_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))


class Review(ShownInEveryRead, db.Model):
  """One side's review of the other after a sale: stars, an optional text and tags."""

  __tablename__ = 'reviews'
  not_found_message = 'No review with that id.'
  __table_args__ = (
    Index('uq_reviews_window_id_reviewer_id', 'window_id', 'reviewer_id', unique=True),
    CheckConstraint(f'stars BETWEEN {STARS_MIN} AND {STARS_MAX}', name='stars_in_range'),
    CheckConstraint("role IN ('buyer', 'seller')", name='role_known'),
    # A profile lists the published reviews of one user, newest first.
    Index('ix_reviews_reviewee_id_published_at', 'reviewee_id', 'published_at', 'id'),
    Index('ix_reviews_reviewer_id', 'reviewer_id'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  window_id: Mapped[int] = mapped_column(ForeignKey('review_windows.id', ondelete='CASCADE'))
  # User FKs on purpose: a deleted account is anonymised, its reviews stay.
  reviewer_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  reviewee_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  # The reviewer's side of the sale: 'buyer' reviews the seller, 'seller' the buyer.
  role: Mapped[str] = mapped_column(String(10))
  stars: Mapped[int] = mapped_column(Integer)
  text: Mapped[str] = mapped_column(Text, default='')
  tags: Mapped[list] = mapped_column(JSON, default=list)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  published_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
