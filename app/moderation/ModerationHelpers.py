"""The rules of moderation: reports (who may file what, once while open, the automatic hide),
the queue, moderators' decisions and the append-only audit log. Access checks live here."""

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.chat.ChatHelpers import involves_user
from app.chat.ChatModels import Conversation, Message
from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404, to_iso, utc_now
from app.extensions import db
from app.moderation.ModerationConstants import (
  ACTION_AUTO_HIDE,
  ACTION_DISMISS,
  ACTION_HIDE_POST,
  ACTION_REMOVE_POST,
  POST_HIDDEN,
  POST_REMOVED,
  REPORT_DECIDED,
  REPORT_OPEN,
  TARGET_POST,
  TARGET_USER,
)
from app.moderation.ModerationModels import ModerationAction, Report
from app.notifications.NotificationConstants import KIND_POST_HIDDEN, KIND_REPORT_DECIDED
from app.notifications.NotificationHelpers import notify
from app.posts.PostModels import Post
from app.users.UserModels import User

DUPLICATE_REPORT_MESSAGE = 'You already reported this; a moderator will look at it.'
DECISION_WORDS = {
  ACTION_DISMISS: 'no action was needed',
  ACTION_HIDE_POST: 'the post was hidden',
  ACTION_REMOVE_POST: 'the post was removed',
}

# --- Access ----------------------------------------------------------------------------------


def require_verified_reporter(user):
  """403 unless the user's email address is verified: reports weigh, so they need a person."""
  if user.email_verified_at is None:
    raise ApiError(403, message='Verify your email address before reporting.')


def require_moderator(user):
  """403 unless the user is a moderator (or an admin)."""
  if not user.is_moderator:
    raise ApiError(403, message='Only moderators can do that.')


def require_admin(user):
  """403 unless the user is an admin."""
  if not user.is_admin:
    raise ApiError(403, message='Only admins can read the audit log.')


# --- Reports ---------------------------------------------------------------------------------


def post_snapshot(post):
  """The post as it is now, kept with a report (the seller may edit it later)."""
  return {
    'title': post.title,
    'description': post.description,
    'price_cents': post.price_cents,
    'category': post.category,
    'condition': post.condition,
    'status': post.status,
    'seller_id': post.seller_id,
  }


def resolve_target(target_type, target_id, reporter):
  """(whom the report is about, snapshot of the target); 404 for a target the reporter cannot
  see (a message of someone else's conversation), 422 for their own."""
  if target_type == TARGET_POST:
    post = get_or_404(Post, id=target_id)
    owner_id, snapshot, own = post.seller_id, post_snapshot(post), 'your own post'
  elif target_type == TARGET_USER:
    user = get_or_404(User, id=target_id)
    snapshot = {'username': user.username, 'display_name': user.display_name, 'bio': user.bio}
    owner_id, own = user.id, 'yourself'
  else:
    message = db.session.execute(
      select(Message)
      .join(Conversation, Conversation.id == Message.conversation_id)
      .where(Message.id == target_id, involves_user(reporter.id))
    ).scalar_one_or_none()
    if message is None:
      raise ApiError(404, message='No message with that id in your conversations.')
    snapshot = {
      'body': message.body,
      'conversation_id': message.conversation_id,
      'created_at': to_iso(message.created_at),
    }
    owner_id, own = message.sender_id, 'your own message'
  if owner_id == reporter.id:
    raise ApiError(422, fields={'target_id': [f'You cannot report {own}.']})
  return owner_id, snapshot


def create_report(reporter, target_type, target_id, reason, note):
  """File a report (a verified student, once per target while it is open); a post reported by
  MODERATION_AUTO_HIDE_REPORTS distinct reporters is hidden and its seller told why."""
  require_verified_reporter(reporter)
  owner_id, snapshot = resolve_target(target_type, target_id, reporter)
  report = Report(
    reporter_id=reporter.id,
    target_type=target_type,
    target_id=target_id,
    target_user_id=owner_id,
    reason=reason,
    note=note or '',
    snapshot=snapshot,
  )
  db.session.add(report)
  try:
    db.session.flush()
  except IntegrityError:
    db.session.rollback()
    raise ApiError(409, message=DUPLICATE_REPORT_MESSAGE) from None
  if target_type == TARGET_POST:
    hide_when_reported_enough(target_id)
  try:
    db.session.commit()
  except IntegrityError:
    db.session.rollback()
    raise ApiError(409, message=DUPLICATE_REPORT_MESSAGE) from None
  return report


def open_reasons(target_type, target_id):
  """{reason: how many open reports give it} for a target."""
  rows = db.session.execute(
    select(Report.reason, func.count())
    .where(
      Report.status == REPORT_OPEN, Report.target_type == target_type, Report.target_id == target_id
    )
    .group_by(Report.reason)
  )
  return dict(rows.all())


def hide_when_reported_enough(post_id):
  """Hide the post once enough distinct verified students have an open report on it; notify
  its seller with the reasons (in this transaction)."""
  post = db.session.get(Post, post_id, with_for_update=True)
  if post.moderation_state is not None:
    return
  reporters = db.session.execute(
    select(func.count(func.distinct(Report.reporter_id)))
    .join(User, User.id == Report.reporter_id)
    .where(
      Report.status == REPORT_OPEN,
      Report.target_type == TARGET_POST,
      Report.target_id == post.id,
      User.email_verified_at.is_not(None),
    )
  ).scalar_one()
  if reporters < current_app.config['MODERATION_AUTO_HIDE_REPORTS']:
    return
  reasons = ', '.join(sorted(open_reasons(TARGET_POST, post.id)))
  why = f'reported by {reporters} students ({reasons})'
  post.moderation_state = POST_HIDDEN
  post.moderation_reason = why
  audit(None, ACTION_AUTO_HIDE, TARGET_POST, post.id, why)
  notify(
    post.seller_id, KIND_POST_HIDDEN, {'post_id': post.id, 'post_title': post.title, 'reason': why}
  )


def my_reports_statement(user):
  """The user's reports, newest first."""
  return select(Report).where(Report.reporter_id == user.id).order_by(Report.id.desc())


# --- The queue and decisions -----------------------------------------------------------------


def queue_statement(moderator):
  """Open reports grouped by target, most reported first (moderators only)."""
  require_moderator(moderator)
  return (
    select(
      Report.target_type,
      Report.target_id,
      func.count().label('report_count'),
      func.min(Report.created_at).label('first_reported_at'),
    )
    .where(Report.status == REPORT_OPEN)
    .group_by(Report.target_type, Report.target_id)
    .order_by(func.count().desc(), func.min(Report.id))
  )


def queue_count_statement(moderator):
  """How many targets have open reports."""
  require_moderator(moderator)
  targets = (
    select(Report.target_type, Report.target_id)
    .where(Report.status == REPORT_OPEN)
    .group_by(Report.target_type, Report.target_id)
    .subquery()
  )
  return select(func.count()).select_from(targets)


def decide(moderator, target_type, target_id, action, reason):
  """Decide every open report about a target: dismiss, hide the post or remove it. Logged in
  the audit log; each reporter is told, and the seller of a hidden or removed post why."""
  require_moderator(moderator)
  reports = (
    db.session.execute(
      select(Report)
      .where(
        Report.status == REPORT_OPEN,
        Report.target_type == target_type,
        Report.target_id == target_id,
      )
      .with_for_update()
    )
    .scalars()
    .all()
  )
  if not reports:
    raise ApiError(404, message='No open reports about that.')
  if any(report.target_user_id == moderator.id for report in reports):
    raise ApiError(403, message='You cannot decide a report about yourself or your own content.')
  if action != ACTION_DISMISS and target_type != TARGET_POST:
    raise ApiError(422, fields={'action': ['Only a post can be hidden or removed.']})
  reason = reason or DECISION_WORDS[action]
  now = utc_now()
  for report in reports:
    report.status = REPORT_DECIDED
    report.decision = action
    report.decided_at = now
  audit(moderator.id, action, target_type, target_id, reason)
  if action in (ACTION_HIDE_POST, ACTION_REMOVE_POST):
    post = get_or_404(Post, id=target_id, for_update=True)
    post.moderation_state = POST_HIDDEN if action == ACTION_HIDE_POST else POST_REMOVED
    post.moderation_reason = reason
    payload = {'post_id': post.id, 'post_title': post.title, 'reason': reason}
    notify(post.seller_id, KIND_POST_HIDDEN, payload)
  for reporter_id in sorted({report.reporter_id for report in reports}):
    notify(
      reporter_id,
      KIND_REPORT_DECIDED,
      {'target_type': target_type, 'target_id': target_id, 'reason': DECISION_WORDS[action]},
    )
  db.session.commit()
  return reports


# --- The audit log ---------------------------------------------------------------------------


def audit(moderator_id, action, target_type, target_id, reason):
  """Add a line to the audit log (in the caller's transaction)."""
  db.session.add(
    ModerationAction(
      moderator_id=moderator_id,
      action=action,
      target_type=target_type,
      target_id=target_id,
      reason=reason or '',
    )
  )


def audit_statement(admin, filters):
  """The audit log, newest first, filtered by action, moderator id and target type (admins)."""
  require_admin(admin)
  statement = select(ModerationAction).order_by(ModerationAction.id.desc())
  if filters.get('action'):
    statement = statement.where(ModerationAction.action == filters['action'])
  if filters.get('moderator_id'):
    statement = statement.where(ModerationAction.moderator_id == filters['moderator_id'])
  if filters.get('target_type'):
    statement = statement.where(ModerationAction.target_type == filters['target_type'])
  return statement
