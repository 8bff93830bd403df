"""Campuses, the email domains whose verified addresses belong to them, and their pickup spots.

Uniqueness lives in the database: a slug, a name and an email domain each name one campus,
and a spot's name is unique on its campus.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.campuses.CampusConstants import (
  DEFAULT_TIMEZONE,
  DOMAIN_MAX_LENGTH,
  NAME_MAX_LENGTH,
  SLUG_MAX_LENGTH,
  SPOT_NAME_MAX_LENGTH,
  TIMEZONE_MAX_LENGTH,
)
from app.common.CommonCache import ShownInEveryRead
from app.common.CommonHelpers import utc_now
from app.extensions import db


class Campus(ShownInEveryRead, db.Model):
  """A campus: students of its email domains belong to it; its posts and spots are its own."""

  __tablename__ = 'campuses'
  not_found_message = 'No campus with that slug.'

  id: Mapped[int] = mapped_column(primary_key=True)
  slug: Mapped[str] = mapped_column(String(SLUG_MAX_LENGTH), unique=True)
  name: Mapped[str] = mapped_column(String(NAME_MAX_LENGTH), unique=True)
  # An IANA zone name (checked when written): the daily digest goes out in it.
  timezone: Mapped[str] = mapped_column(String(TIMEZONE_MAX_LENGTH), default=DEFAULT_TIMEZONE)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  domains: Mapped[list['CampusDomain']] = relationship(
    back_populates='campus',
    order_by='CampusDomain.domain',
    cascade='all, delete-orphan',
    lazy='raise_on_sql',
  )
  spots: Mapped[list['PickupSpot']] = relationship(
    back_populates='campus',
    order_by='PickupSpot.name',
    cascade='all, delete-orphan',
    lazy='raise_on_sql',
  )

  def __repr__(self):
    return f'<Campus {self.slug}>'


class CampusDomain(ShownInEveryRead, db.Model):
  """An email domain of a campus (lower-case); its subdomains belong to the campus too."""

  __tablename__ = 'campus_domains'

  id: Mapped[int] = mapped_column(primary_key=True)
  campus_id: Mapped[int] = mapped_column(ForeignKey('campuses.id', ondelete='CASCADE'), index=True)
  domain: Mapped[str] = mapped_column(String(DOMAIN_MAX_LENGTH), unique=True)

  campus: Mapped[Campus] = relationship(back_populates='domains', lazy='raise_on_sql')


class PickupSpot(ShownInEveryRead, db.Model):
  """A place on a campus where students hand things over (a meet-up may pick one)."""

  __tablename__ = 'pickup_spots'
  not_found_message = 'No pickup spot with that id on this campus.'
  __table_args__ = (UniqueConstraint('campus_id', 'name', name='uq_pickup_spots_campus_id_name'),)

  id: Mapped[int] = mapped_column(primary_key=True)
  campus_id: Mapped[int] = mapped_column(ForeignKey('campuses.id', ondelete='CASCADE'))
  name: Mapped[str] = mapped_column(String(SPOT_NAME_MAX_LENGTH))
  notes: Mapped[str] = mapped_column(Text, default='')
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  campus: Mapped[Campus] = relationship(back_populates='spots', lazy='raise_on_sql')
