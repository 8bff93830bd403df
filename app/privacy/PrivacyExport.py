"""My data: everything Dibz holds about a student, as one JSON document. Each section lists
the rows of one table that are the student's, every column but secrets (SECRET_COLUMNS), in
id order; posts come as the API shows them (with their photo links). Areas this one cannot
import add sections through CommonAccountHooks."""

from datetime import date, datetime

from sqlalchemy import or_, select

from app.chat.ChatModels import Message
from app.common.CommonAccountHooks import export_sections
from app.common.CommonHelpers import to_iso, utc_now
from app.extensions import db
from app.moderation.ModerationModels import Report
from app.notifications.NotificationModels import Notification, NotificationPreference
from app.posts.PostHoldModels import Hold, Meetup
from app.posts.PostModels import Dib, Post
from app.posts.PostSerializers import posts_to_json
from app.posts.PostWatchModels import Watch
from app.privacy.PrivacyConstants import EXPORT_VERSION, SECRET_COLUMNS
from app.reviews.ReviewModels import Review
from app.search.SavedSearchModels import SavedSearch
from app.users.UserModels import UserBlock, UserSession


def column_value(value):
  """A column's value as JSON: times as ISO 8601, bytes left out."""
  if isinstance(value, datetime):
    return to_iso(value)
  if isinstance(value, date):
    return value.isoformat()
  if isinstance(value, bytes):
    return None
  return value


def row_to_json(row):
  """Every column of an ORM row but the secrets."""
  return {
    column.key: column_value(getattr(row, column.key))
    for column in row.__table__.columns
    if column.key not in SECRET_COLUMNS
  }


def rows_of(model, *conditions):
  """The rows of `model` matching `conditions`, in primary-key order, as JSON."""
  order = model.__table__.primary_key.columns.values()
  rows = db.session.execute(select(model).where(*conditions).order_by(*order)).scalars()
  return [row_to_json(row) for row in rows]


def my_posts(user):
  """My posts as the API shows them, photo links included, newest first."""
  posts = db.session.execute(
    select(Post).where(Post.seller_id == user.id).order_by(Post.id.desc())
  ).scalars()
  return posts_to_json(posts)


def export_user_data(user):
  """The whole export of `user`: profile, posts, dibs, messages sent, reports filed, sessions,
  notifications and their settings, blocks, watches, saved searches, holds and meet-ups, then
  the sections other areas registered (reviews)."""
  data = {
    'format': 'dibz-my-data',
    'version': EXPORT_VERSION,
    'exported_at': to_iso(utc_now()),
    'profile': row_to_json(user),
    'posts': my_posts(user),
    'dibs': rows_of(Dib, Dib.user_id == user.id),
    'messages_sent': rows_of(Message, Message.sender_id == user.id),
    'reports_filed': rows_of(Report, Report.reporter_id == user.id),
    'sessions': rows_of(UserSession, UserSession.user_id == user.id),
    'notifications': rows_of(Notification, Notification.user_id == user.id),
    'notification_settings': rows_of(
      NotificationPreference, NotificationPreference.user_id == user.id
    ),
    'blocks': rows_of(UserBlock, UserBlock.blocker_id == user.id),
    'watches': rows_of(Watch, Watch.user_id == user.id),
    'saved_searches': rows_of(SavedSearch, SavedSearch.user_id == user.id),
    'holds': rows_of(Hold, or_(Hold.buyer_id == user.id, Hold.seller_id == user.id)),
    'meetups_proposed': rows_of(Meetup, Meetup.proposer_id == user.id),
    # Reviews I wrote, and those of me once published (double-blind: never one still hidden).
    'reviews_given': rows_of(Review, Review.reviewer_id == user.id),
    'reviews_received': rows_of(
      Review, Review.reviewee_id == user.id, Review.published_at.is_not(None)
    ),
  }
  for name, section in sorted(export_sections().items()):
    data[name] = section(user)
  return data
