"""Saved searches, their words (the inverted index matching a new post reads), the matches
found (each at most once per saved search and post) and the digests sent."""

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.campuses.CampusModels import Campus
from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostConstants import CAMPUS_MAX_LENGTH
from app.search.SavedSearchConstants import ALERT_INSTANT, WORD_MAX_LENGTH
from app.search.SearchConstants import QUERY_MAX_LENGTH


class SavedSearch(db.Model):
  """A student's search (words and filters) with how they want to hear of new matches."""

  __tablename__ = 'saved_searches'
  not_found_message = 'No saved search with that id.'
  __table_args__ = (
    CheckConstraint("alert IN ('instant', 'daily', 'off')", name='alert_known'),
    Index('ix_saved_searches_user_id_id', 'user_id', 'id'),
    # Searches without words match by their filters alone.
    Index('ix_saved_searches_word_count', 'word_count'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  query: Mapped[str] = mapped_column(String(QUERY_MAX_LENGTH), default='')
  category: Mapped[str | None] = mapped_column(String(30))
  # Only posts of this campus; null: every campus. legacy_campus: the free text of a filter
  # saved before campuses were data that named no campus (0020_campuses).
  campus_id: Mapped[int | None] = mapped_column(ForeignKey('campuses.id'))
  legacy_campus: Mapped[str | None] = mapped_column(String(CAMPUS_MAX_LENGTH))
  min_price: Mapped[int | None] = mapped_column(Integer)
  max_price: Mapped[int | None] = mapped_column(Integer)
  alert: Mapped[str] = mapped_column(String(10), default=ALERT_INSTANT)
  # How many rows of saved_search_words a post must match (all of them).
  word_count: Mapped[int] = mapped_column(Integer, default=0)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  # Loaded with its searches (a list of them reads the campuses in one more query).
  campus: Mapped[Campus | None] = relationship(lazy='selectin')


class SavedSearchWord(db.Model):
  """One word of a saved search, case-folded; the last one may match as a prefix."""

  __tablename__ = 'saved_search_words'
  __table_args__ = (Index('ix_saved_search_words_word', 'word', 'is_prefix'),)

  saved_search_id: Mapped[int] = mapped_column(
    ForeignKey('saved_searches.id', ondelete='CASCADE'), primary_key=True
  )
  word: Mapped[str] = mapped_column(String(WORD_MAX_LENGTH), primary_key=True)
  is_prefix: Mapped[bool] = mapped_column(Boolean, default=False)


class SavedSearchMatch(db.Model):
  """A post a saved search matched: at most one row per pair, so never two alerts."""

  __tablename__ = 'saved_search_matches'
  __table_args__ = (Index('ix_saved_search_matches_user_id_digested_at', 'user_id', 'digested_at'),)

  saved_search_id: Mapped[int] = mapped_column(
    ForeignKey('saved_searches.id', ondelete='CASCADE'), primary_key=True
  )
  post_id: Mapped[int] = mapped_column(ForeignKey('posts.id', ondelete='CASCADE'), primary_key=True)
  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  alert: Mapped[str] = mapped_column(String(10))
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  # Daily matches wait here until a digest names (or passes over) them.
  digested_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))


class SavedSearchDigest(db.Model):
  """The daily digest of one user on one local day: its row is the claim that sends it once."""

  __tablename__ = 'saved_search_digests'

  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'), primary_key=True)
  local_date: Mapped[date] = mapped_column(db.Date, primary_key=True)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
