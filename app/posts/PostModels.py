"""Posts, their images and the dibs queue.

The database holds the rules that must survive concurrent requests: one live dib per buyer
per post, and at most one accepted dib per post, are partial unique indexes.
"""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import (
  CheckConstraint,
  ForeignKey,
  Index,
  Integer,
  String,
  Text,
  inspect,
  text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.common.CommonHelpers import utc_now
from app.extensions import db
from app.posts.PostCacheTags import LISTS_TAG, PRICES_TAG, list_tag, post_tag, search_text_tags
from app.posts.PostConstants import (
  CAMPUS_MAX_LENGTH,
  DIB_WAITING,
  STATUS_AVAILABLE,
  TITLE_MAX_LENGTH,
)
from app.users.UserModels import User

LIVE_DIB_CONDITION = text("status IN ('waiting', 'accepted')")
ACCEPTED_DIB_CONDITION = text("status = 'accepted'")


def default_expires_at(context):
  """A new post's expiry: POST_EXPIRY_DAYS after it was posted (docs/HANDOVER.md)."""
  posted_at = context.get_current_parameters().get('created_at') or utc_now()
  return posted_at + timedelta(days=current_app.config['POST_EXPIRY_DAYS'])


class Post(db.Model):
  """Something a student sells."""

  __tablename__ = 'posts'
  not_found_message = 'No post with that id.'
  __table_args__ = (
    CheckConstraint('price_cents >= 0', name='price_not_negative'),
    CheckConstraint("status IN ('available', 'pending', 'sold', 'withdrawn')", name='status_known'),
    Index('ix_posts_status_created_at', 'status', 'created_at'),
    # The default list (newest first, nearly every status) reads this index backwards and
    # stops after a page; without it PostgreSQL sorts every listed post for each page.
    Index('ix_posts_created_at_id', 'created_at', 'id'),
    Index('ix_posts_seller_id_created_at', 'seller_id', 'created_at'),
    # A category's list page walks this index newest first and stops after the page; without
    # it each page sorted every post of the category.
    Index('ix_posts_category_created_at_id', 'category', 'created_at', 'id'),
    # A category's count reads only this index: every column its conditions test is in it.
    Index(
      'ix_posts_category_listed',
      'category',
      'status',
      'expired_at',
      'moderation_state',
      'seller_id',
    ),
    Index('ix_posts_price_cents', 'price_cents'),
    # The expiry job reads the posts whose time is up.
    Index('ix_posts_expires_at', 'expires_at'),
    # Moderators list the posts held for review (PostReviewHelpers).
    Index('ix_posts_moderation_state', 'moderation_state'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  seller_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  # active_history: a change loads the old value first, so the cache bumps the search pages
  # and lists the post leaves (cache_tags), even when the row was expired by a commit.
  title: Mapped[str] = mapped_column(String(TITLE_MAX_LENGTH), active_history=True)
  description: Mapped[str] = mapped_column(Text, active_history=True)
  price_cents: Mapped[int] = mapped_column(Integer)
  category: Mapped[str] = mapped_column(String(30), active_history=True)
  condition: Mapped[str] = mapped_column(String(30))
  # The campus the post is on (the seller's unless they chose one); null: no campus.
  # legacy_campus: the free text it had before campuses were data, kept when it named no
  # campus (0020_campuses, docs/CAMPUSES.md).
  # No ON DELETE: removing a campus clears it first (CampusHelpers.delete_campus).
  campus_id: Mapped[int | None] = mapped_column(ForeignKey('campuses.id'), index=True)
  legacy_campus: Mapped[str | None] = mapped_column(String(CAMPUS_MAX_LENGTH))
  status: Mapped[str] = mapped_column(String(20), default=STATUS_AVAILABLE)
  # Null while nothing holds the post back; 'hidden' or 'removed' by moderation (app/moderation),
  # 'in_review' while held for review (PostReviewHelpers):
  # such a post leaves every list, and only its seller and moderators may read it, with why.
  moderation_state: Mapped[str | None] = mapped_column(String(20))
  moderation_reason: Mapped[str | None] = mapped_column(Text)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  updated_at: Mapped[datetime] = mapped_column(
    db.DateTime(timezone=True), default=utc_now, onupdate=utc_now
  )
  # Expiry (docs/HANDOVER.md): the post leaves browse and search once the expiry job has set
  # expired_at (a write, so the cache of public reads forgets it); renewing lists it anew.
  # Every post has an expires_at; the column is nullable only so that SQLite could add it
  # without rebuilding the table and its search triggers (0012_post_expiry).
  expires_at: Mapped[datetime | None] = mapped_column(
    db.DateTime(timezone=True), default=default_expires_at
  )
  expired_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  renewed_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))
  expiry_reminded_at: Mapped[datetime | None] = mapped_column(db.DateTime(timezone=True))

  seller: Mapped[User] = relationship(lazy='raise_on_sql')
  images: Mapped[list['PostImage']] = relationship(
    back_populates='post',
    order_by='(PostImage.position, PostImage.id)',
    cascade='all, delete-orphan',
    lazy='raise_on_sql',
  )

  def __repr__(self):
    return f'<Post {self.id} {self.title!r}>'

  def cache_tags(self, connection):
    """Its page's tag, which every cached page showing the post carries (answer_shows). A new
    or deleted post, or a change to what lists and searches filter or order by (status,
    category, campus, moderation, expiry), also bumps the lists of its category before and
    after, every list, and the search pages of its words. A change to what they only show
    bumps the search pages of the words of a changed title or description (before and after:
    a search matches and ranks by them) and PRICES_TAG for a new price."""
    state = inspect(self)
    attributes = state.attrs
    changed = {attribute.key for attribute in attributes if attribute.history.has_changes()}
    deleted = state.session is not None and self in state.session.deleted
    shown_only = changed and changed <= SHOWN_ONLY_COLUMNS and not (state.pending or deleted)
    texts_changed = ('title', 'description') if not shown_only else sorted(changed & TEXT_COLUMNS)
    texts = [
      text
      for name in texts_changed
      for text in (getattr(self, name), *attributes[name].history.deleted)
    ]
    tags = {post_tag(self.id), *search_text_tags(*texts)}
    if not shown_only:
      categories = {self.category, *attributes.category.history.deleted}
      tags |= {LISTS_TAG, *map(list_tag, categories)}
    elif 'price_cents' in changed:
      tags.add(PRICES_TAG)
    return tags


# What a post's cached pages show but no list or search filters or orders by, beside its text
# (whose words' search pages its change bumps): a change to them alone bumps the post's tag.
SHOWN_ONLY_COLUMNS = frozenset(
  {
    'title',
    'description',
    'price_cents',
    'condition',
    'updated_at',
    'moderation_reason',
    'expires_at',
    'renewed_at',
    'expiry_reminded_at',
  }
)
TEXT_COLUMNS = frozenset({'title', 'description'})


class PostImage(db.Model):
  """An uploaded image, stored re-encoded with a thumbnail under two storage keys."""

  __tablename__ = 'post_images'
  not_found_message = 'No photo with that id on this post.'

  id: Mapped[int] = mapped_column(primary_key=True)
  post_id: Mapped[int] = mapped_column(ForeignKey('posts.id', ondelete='CASCADE'), index=True)
  storage_key: Mapped[str] = mapped_column(String(200))
  thumb_key: Mapped[str] = mapped_column(String(200))
  content_type: Mapped[str] = mapped_column(String(50))
  width: Mapped[int] = mapped_column(Integer)
  height: Mapped[int] = mapped_column(Integer)
  byte_size: Mapped[int] = mapped_column(Integer)
  # The seller's order; the first photo is the cover. Ties (older rows) go by upload order.
  position: Mapped[int] = mapped_column(Integer, default=0, server_default='0')
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)

  post: Mapped[Post] = relationship(back_populates='images', lazy='raise_on_sql')

  def cache_tags(self, connection):
    """The tag of its post, which every cached page showing the post carries."""
    return (post_tag(self.post_id),)


class Dib(db.Model):
  """A buyer's place in a post's queue. Position is derived from id order among live dibs,
  so cancelling closes the gap without renumbering rows."""

  __tablename__ = 'dibs'
  not_found_message = 'No dib with that id.'
  __table_args__ = (
    CheckConstraint(
      "status IN ('waiting', 'accepted', 'declined', 'cancelled')", name='status_known'
    ),
    Index(
      'uq_dibs_live_post_user',
      'post_id',
      'user_id',
      unique=True,
      postgresql_where=LIVE_DIB_CONDITION,
      sqlite_where=LIVE_DIB_CONDITION,
    ),
    Index(
      'uq_dibs_accepted_post',
      'post_id',
      unique=True,
      postgresql_where=ACCEPTED_DIB_CONDITION,
      sqlite_where=ACCEPTED_DIB_CONDITION,
    ),
    Index('ix_dibs_post_id_status_id', 'post_id', 'status', 'id'),
    Index('ix_dibs_user_id_created_at', 'user_id', 'created_at'),
  )

  id: Mapped[int] = mapped_column(primary_key=True)
  post_id: Mapped[int] = mapped_column(ForeignKey('posts.id', ondelete='CASCADE'))
  user_id: Mapped[int] = mapped_column(ForeignKey('users.id', ondelete='CASCADE'))
  status: Mapped[str] = mapped_column(String(20), default=DIB_WAITING)
  created_at: Mapped[datetime] = mapped_column(db.DateTime(timezone=True), default=utc_now)
  updated_at: Mapped[datetime] = mapped_column(
    db.DateTime(timezone=True), default=utc_now, onupdate=utc_now
  )

  post: Mapped[Post] = relationship(lazy='raise_on_sql')
  user: Mapped[User] = relationship(lazy='raise_on_sql')

  def cache_tags(self, connection):
    """The tag of its post, which every cached page showing the post carries."""
    return (post_tag(self.post_id),)
