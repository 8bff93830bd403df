"""Reports (any verified student) and moderation: the queue, decisions, the audit log."""

from flask import request
from flask_login import current_user
from werkzeug.exceptions import NotFound

from app.api import api_blueprint
from app.common.CommonForms import read_query, validate_form
from app.common.CommonHelpers import get_json_body, get_optional_json_body, paginate, to_iso
from app.common.CommonRateLimits import is_anonymous_request, user_rate_limit_key
from app.common.CommonResponses import json_response
from app.extensions import limiter
from app.moderation import ModerationAccountHelpers, ModerationHelpers
from app.moderation.ModerationConstants import REPORT_CREATE_LIMIT, TARGET_TYPES
from app.moderation.ModerationForms import (
  AuditQueryForm,
  DecisionForm,
  ReasonForm,
  ReportForm,
  SuspensionForm,
)
from app.moderation.ModerationSerializers import (
  audit_entries_to_json,
  queue_to_json,
  report_to_json,
  reports_to_json,
)


@api_blueprint.post('/reports')
@limiter.limit(REPORT_CREATE_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request)
def create_report():
  """Report a post, a user or a message."""
  form = validate_form(ReportForm, get_json_body())
  report = ModerationHelpers.create_report(
    current_user, form.target_type.data, form.target_id.data, form.reason.data, form.note.data
  )
  return json_response({'report': report_to_json(report)}, 201)


@api_blueprint.get('/users/me/reports')
def list_my_reports():
  """The reports I filed, newest first, with what was decided."""
  return json_response(
    paginate(ModerationHelpers.my_reports_statement(current_user), reports_to_json)
  )


@api_blueprint.get('/moderation/queue')
def moderation_queue():
  """Open reports grouped by target (moderators)."""
  user = current_user._get_current_object()
  return json_response(
    paginate(
      ModerationHelpers.queue_statement(user),
      queue_to_json,
      count_statement=ModerationHelpers.queue_count_statement(user),
      plain_rows=True,
    )
  )


@api_blueprint.post('/moderation/targets/<target_type>/<row_id:target_id>/decision')
def decide_target(target_type, target_id):
  """Decide every open report about a target (moderators, never on their own case)."""
  if target_type not in TARGET_TYPES:
    raise NotFound()
  ModerationHelpers.require_moderator(current_user)
  form = validate_form(DecisionForm, get_json_body())
  reports = ModerationHelpers.decide(
    current_user, target_type, target_id, form.action.data, form.reason.data
  )
  return json_response({'decided': len(reports)})


@api_blueprint.get('/moderation/audit')
def moderation_audit():
  """The audit log, newest first, filtered by action, moderator_id and target_type (admins)."""
  ModerationHelpers.require_admin(current_user)
  query = read_query(AuditQueryForm, request.args)
  filters = {name: field.data for name, field in query._fields.items() if field.data}
  return json_response(
    paginate(ModerationHelpers.audit_statement(current_user, filters), audit_entries_to_json)
  )


def account_to_json(user):
  """What a moderator sees of an account they acted on."""
  return {
    'id': user.id,
    'username': user.username,
    'suspended': user.is_suspended(),
    'suspended_until': to_iso(user.suspended_until) if user.suspended_until else None,
    'suspension_reason': user.suspension_reason,
  }


def accounts_to_json(users):
  return [account_to_json(user) for user in users]


@api_blueprint.get('/moderation/suspensions')
def list_suspended_accounts():
  """The accounts suspended or banned now, to lift from the console (moderators)."""
  statement = ModerationAccountHelpers.suspended_accounts_statement(current_user)
  return json_response(paginate(statement, accounts_to_json))


@api_blueprint.post('/moderation/users/<row_id:user_id>/warning')
def warn_user(user_id):
  """Warn a user (a notification), logged (moderators)."""
  ModerationHelpers.require_moderator(current_user)
  form = validate_form(ReasonForm, get_json_body())
  user = ModerationAccountHelpers.warn_user(current_user, user_id, form.reason.data)
  return json_response({'user': account_to_json(user)})


@api_blueprint.post('/moderation/users/<row_id:user_id>/suspension')
def suspend_user(user_id):
  """Suspend a user for `days` days or ban them: every session ends at once (moderators)."""
  ModerationHelpers.require_moderator(current_user)
  form = validate_form(SuspensionForm, get_json_body())
  user = ModerationAccountHelpers.suspend_user(
    current_user, user_id, None if form.ban.data else form.days.data, form.reason.data
  )
  return json_response({'user': account_to_json(user)})


@api_blueprint.delete('/moderation/users/<row_id:user_id>/suspension')
def lift_suspension(user_id):
  """Lift a suspension or ban (moderators); the body may give a reason."""
  ModerationHelpers.require_moderator(current_user)
  form = validate_form(ReasonForm, get_optional_json_body() or {'reason': 'lifted'})
  user = ModerationAccountHelpers.lift_suspension(current_user, user_id, form.reason.data)
  return json_response({'user': account_to_json(user)})
