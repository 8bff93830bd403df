"""The JSON of moderation: a reporter's report, the queue grouped by target, the audit log."""

from collections import defaultdict

from sqlalchemy import select, tuple_

from app.chat.ChatModels import Message
from app.chat.ChatSerializers import message_to_json
from app.common.CommonHelpers import to_iso
from app.extensions import db
from app.moderation.ModerationConstants import MESSAGE_CONTEXT_SIZE, TARGET_MESSAGE
from app.moderation.ModerationModels import Report
from app.users.UserModels import User
from app.users.UserSerializers import user_summary_to_json


def report_to_json(report):
  """A report as its reporter sees it: what, why, and what was decided."""
  return {
    'id': report.id,
    'target_type': report.target_type,
    'target_id': report.target_id,
    'reason': report.reason,
    'note': report.note,
    'status': report.status,
    'decision': report.decision,
    'created_at': to_iso(report.created_at),
    'decided_at': to_iso(report.decided_at) if report.decided_at else None,
  }


def reports_to_json(reports):
  return [report_to_json(report) for report in reports]


def users_by_id(user_ids):
  """{id: User} for the ids, in one query."""
  if not user_ids:
    return {}
  rows = db.session.execute(select(User).where(User.id.in_(user_ids))).scalars()
  return {user.id: user for user in rows}


def message_context(message_id, conversation_id):
  """The reported message with MESSAGE_CONTEXT_SIZE messages before and after it."""
  before = db.session.execute(
    select(Message)
    .where(Message.conversation_id == conversation_id, Message.id < message_id)
    .order_by(Message.id.desc())
    .limit(MESSAGE_CONTEXT_SIZE)
  ).scalars()
  rest = db.session.execute(
    select(Message)
    .where(Message.conversation_id == conversation_id, Message.id >= message_id)
    .order_by(Message.id)
    .limit(MESSAGE_CONTEXT_SIZE + 1)
  ).scalars()
  return [message_to_json(message) for message in [*reversed(before.all()), *rest]]


def queue_to_json(rows):
  """Queue rows (target_type, target_id, report_count, first_reported_at) with their open
  reports, reasons counted, the snapshot as first reported, whom it is about, and for a message
  the conversation around it: two queries, plus two per reported message (a moderator's page)."""
  keys = [(row.target_type, row.target_id) for row in rows]
  reports_by_target = defaultdict(list)
  if keys:
    reports = db.session.execute(
      select(Report)
      .where(Report.status == 'open', tuple_(Report.target_type, Report.target_id).in_(keys))
      .order_by(Report.id)
    ).scalars()
    for report in reports:
      reports_by_target[(report.target_type, report.target_id)].append(report)
  user_ids = {
    user_id
    for reports in reports_by_target.values()
    for report in reports
    for user_id in (report.reporter_id, report.target_user_id)
  }
  users = users_by_id(user_ids)
  items = []
  for row in rows:
    reports = reports_by_target[(row.target_type, row.target_id)]
    first = reports[0]
    reasons = defaultdict(int)
    for report in reports:
      reasons[report.reason] += 1
    item = {
      'target_type': row.target_type,
      'target_id': row.target_id,
      'target_user': user_summary_to_json(users[first.target_user_id]),
      'report_count': row.report_count,
      'reasons': dict(reasons),
      'snapshot': first.snapshot,
      'reports': [
        {
          'id': report.id,
          'reporter': user_summary_to_json(users[report.reporter_id]),
          'reason': report.reason,
          'note': report.note,
          'created_at': to_iso(report.created_at),
        }
        for report in reports
      ],
      'context': None,
    }
    if row.target_type == TARGET_MESSAGE:
      item['context'] = message_context(row.target_id, first.snapshot['conversation_id'])
    items.append(item)
  return items


def audit_entry_to_json(entry):
  return {
    'id': entry.id,
    'moderator_id': entry.moderator_id,
    'action': entry.action,
    'target_type': entry.target_type,
    'target_id': entry.target_id,
    'reason': entry.reason,
    'created_at': to_iso(entry.created_at),
  }


def audit_entries_to_json(entries):
  return [audit_entry_to_json(entry) for entry in entries]
