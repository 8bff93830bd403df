"""Deleting an account (docs/TRUST_AND_SAFETY.md, "My data"): after the password, in one
transaction, every session ends, the student's posts are withdrawn and their photos leave
storage (after the commit), their live dibs are cancelled, the rows that are only theirs go,
their name is scrubbed from what others hold (notifications, reports, stored idempotent
answers), and their user row stays, scrubbed, so their messages read "Deleted user" to the
other side. The audit log keeps that it happened (no name). Areas plug in through
CommonAccountHooks.deletion_listeners."""

import json

from sqlalchemy import String, cast, delete, or_, select

from app.common.CommonAccountHooks import deletion_listeners
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import utc_now
from app.common.CommonTransaction import after_commit
from app.extensions import db
from app.idempotency.IdempotencyModels import IdempotencyKey
from app.moderation.ModerationConstants import ACTION_DELETE_ACCOUNT, TARGET_USER
from app.moderation.ModerationHelpers import audit
from app.moderation.ModerationModels import Report
from app.notifications.NotificationModels import Notification, NotificationPreference
from app.posts.PostConstants import EDITABLE_STATUSES, LIVE_DIB_STATUSES
from app.posts.PostDibHelpers import cancel_live_dib
from app.posts.PostHelpers import withdraw_locked_post
from app.posts.PostModels import Dib, Post, PostImage
from app.posts.PostStorage import get_storage
from app.posts.PostWatchModels import Watch
from app.privacy.PrivacyConstants import DELETED_DISPLAY_NAME, DELETED_REASON
from app.search.SavedSearchModels import SavedSearch, SavedSearchDigest, SavedSearchMatch
from app.users.UserConstants import ROLE_USER
from app.users.UserHelpers import verify_password
from app.users.UserModels import (
  EmailVerificationToken,
  PasswordResetToken,
  UserBlock,
  UserSession,
)

# A password hash no password matches (argon2 refuses to read it).
UNUSABLE_PASSWORD_HASH = '!deleted'  # nosec B105 # a hash nothing matches, not a password


def deleted_username(user_id):
  """The username of a deleted account: a hyphen no signup may use, so it never collides."""
  return f'deleted-{user_id}'


def delete_account(user, password):
  """Delete `user`'s account after checking `password` (422 when wrong); one commit."""
  if not verify_password(user, password):
    raise ApiError(422, fields={'password': ['Is not correct.']})
  scrubbed = tuple(value for value in (user.email, user.username, user.display_name) if value)
  replacements = {
    user.email: deleted_username(user.id),
    user.username: deleted_username(user.id),
    user.display_name: DELETED_DISPLAY_NAME,
  }
  scrub_user_row(user)
  storage_keys = withdraw_posts(user)
  cancel_dibs(user)
  delete_own_rows(user)
  scrub_notifications(replacements)
  scrub_reports(user, replacements)
  scrub_idempotent_answers(user, replacements)
  for listener in deletion_listeners():
    listener(user, scrubbed)
  audit(None, ACTION_DELETE_ACCOUNT, TARGET_USER, user.id, DELETED_REASON)
  after_commit(delete_stored_files, storage_keys)
  db.session.commit()


def scrub_user_row(user):
  """Keep the row (messages and past sales point at it) with nothing personal left: the
  email and username are free to sign up with again, the name reads "Deleted user"."""
  user.email = deleted_username(user.id)
  user.username = deleted_username(user.id)
  user.display_name = DELETED_DISPLAY_NAME
  user.bio = ''
  user.campus_id = None
  user.legacy_campus = None
  user.role = ROLE_USER
  user.password_hash = UNUSABLE_PASSWORD_HASH
  user.email_verified_at = None
  user.suspended_at = None
  user.suspended_until = None
  user.suspension_reason = None
  user.deleted_at = utc_now()
  # The new names must be written before the posts' notifications read them.
  db.session.flush()


def withdraw_posts(user):
  """Withdraw the user's posts still for sale (their buyers and watchers are told), and drop
  the photos of all their posts; returns the storage keys to delete after the commit."""
  posts = db.session.execute(
    select(Post).where(Post.seller_id == user.id).order_by(Post.id).with_for_update()
  ).scalars()
  for post in posts.all():
    if post.status in EDITABLE_STATUSES:
      withdraw_locked_post(post, user)
  images = db.session.execute(
    select(PostImage).join(Post, Post.id == PostImage.post_id).where(Post.seller_id == user.id)
  ).scalars()
  keys = []
  for image in images.all():
    keys.extend((image.storage_key, image.thumb_key))
    db.session.delete(image)
  return keys


def cancel_dibs(user):
  """Cancel the user's live dibs: an accepted one frees the post for the next buyer."""
  dibs = db.session.execute(
    select(Dib).where(Dib.user_id == user.id, Dib.status.in_(LIVE_DIB_STATUSES)).order_by(Dib.id)
  ).scalars()
  for dib in dibs.all():
    post = db.session.get(Post, dib.post_id, with_for_update=True)
    cancel_live_dib(post, dib)


def delete_own_rows(user):
  """Delete what only the user had: sessions (they end now), tokens, notifications and their
  settings, blocks either way, watches, saved searches and their matches."""
  for model, condition in (
    (UserSession, UserSession.user_id == user.id),
    (PasswordResetToken, PasswordResetToken.user_id == user.id),
    (EmailVerificationToken, EmailVerificationToken.user_id == user.id),
    (Notification, Notification.user_id == user.id),
    (NotificationPreference, NotificationPreference.user_id == user.id),
    (UserBlock, or_(UserBlock.blocker_id == user.id, UserBlock.blocked_id == user.id)),
    (Watch, Watch.user_id == user.id),
    (SavedSearchMatch, SavedSearchMatch.user_id == user.id),
    (SavedSearchDigest, SavedSearchDigest.user_id == user.id),
    (SavedSearch, SavedSearch.user_id == user.id),
    (IdempotencyKey, IdempotencyKey.scope == f'user:{user.id}'),
  ):
    db.session.execute(delete(model).where(condition))


def scrub_value(value, replacements):
  """`value` (JSON) with every string equal to a key of `replacements` replaced."""
  if isinstance(value, str):
    return replacements.get(value, value)
  if isinstance(value, list):
    return [scrub_value(item, replacements) for item in value]
  if isinstance(value, dict):
    return {key: scrub_value(item, replacements) for key, item in value.items()}
  return value


def text_forms(value):
  """How `value` may be spelled inside stored JSON: as typed, and escaped to ASCII."""
  return {value, json.dumps(value)[1:-1]}


def mentioning(column, replacements):
  """The condition: the JSON column's text mentions one of the scrubbed strings."""
  forms = {form for value in replacements for form in text_forms(value)}
  return or_(*(cast(column, String).contains(form, autoescape=True) for form in forms))


def scrub_notifications(replacements):
  """Others' notifications that name the user (an actor, a buyer) name "Deleted user"."""
  rows = db.session.execute(
    select(Notification).where(mentioning(Notification.payload, replacements))
  ).scalars()
  for notification in rows.all():
    notification.payload = scrub_value(notification.payload, replacements)


def scrub_reports(user, replacements):
  """Reports about the user keep that they were about this account, not its profile; other
  snapshots that name the user name the replacement."""
  about_user = (Report.target_type == TARGET_USER) & (Report.target_id == user.id)
  rows = db.session.execute(
    select(Report).where(or_(about_user, mentioning(Report.snapshot, replacements)))
  ).scalars()
  for report in rows.all():
    if report.target_type == TARGET_USER and report.target_id == user.id:
      report.snapshot = {'username': user.username, 'display_name': user.display_name, 'bio': ''}
    else:
      report.snapshot = scrub_value(report.snapshot, replacements)


def scrub_idempotent_answers(user, replacements):
  """Stored answers of others' requests (kept a day for their retries) that name the user,
  as a JSON string value, name the replacement instead: a retry still replays, without them."""
  pairs = []
  for old, new in replacements.items():
    for form in text_forms(old) | {json.dumps(old, ensure_ascii=False)[1:-1]}:
      pairs.append((f'"{form}"'.encode(), json.dumps(new).encode()))
  rows = db.session.execute(
    select(IdempotencyKey).where(IdempotencyKey.response_body.is_not(None))
  ).scalars()
  for record in rows.all():
    body = bytes(record.response_body)
    for old, new in pairs:
      body = body.replace(old, new)
    if body != bytes(record.response_body):
      record.response_body = body


def delete_stored_files(keys):
  """After the commit: the photos of the deleted account's posts leave storage."""
  storage = get_storage()
  for key in keys:
    storage.delete(key)
