"""Input forms of the moderation area: a report, a decision, and the audit log's filters."""

from wtforms import Form, StringField
from wtforms.validators import AnyOf, Length, NumberRange

from app.common.CommonConstants import MAX_ROW_ID
from app.common.CommonForms import (
  BlankIsAbsent,
  Bounds,
  IfPresent,
  JsonForm,
  JsonIntegerField,
  JsonStringField,
  QueryIntegerField,
  Required,
)
from app.moderation.ModerationConstants import (
  AUDIT_ACTIONS,
  DECISION_REASON_MAX_LENGTH,
  DECISIONS,
  REPORT_NOTE_MAX_LENGTH,
  REPORT_REASONS,
  TARGET_TYPES,
)
from app.posts.PostForms import one_of_message


class ReportForm(JsonForm):
  target_type = JsonStringField(
    validators=[Required(), AnyOf(TARGET_TYPES, message=one_of_message(TARGET_TYPES))]
  )
  target_id = JsonIntegerField(
    validators=[Required(), NumberRange(min=1, max=MAX_ROW_ID, message='Must be an id.')]
  )
  reason = JsonStringField(
    validators=[Required(), AnyOf(REPORT_REASONS, message=one_of_message(REPORT_REASONS))]
  )
  note = JsonStringField(validators=[IfPresent(nullable=True), Length(max=REPORT_NOTE_MAX_LENGTH)])


class DecisionForm(JsonForm):
  action = JsonStringField(
    validators=[Required(), AnyOf(DECISIONS, message=one_of_message(DECISIONS))]
  )
  reason = JsonStringField(
    validators=[IfPresent(nullable=True), Length(max=DECISION_REASON_MAX_LENGTH)]
  )


class AuditQueryForm(Form):
  """Filters of the audit log: an action, a moderator's id, a target type."""

  action = StringField(
    validators=[BlankIsAbsent(), AnyOf(AUDIT_ACTIONS, message=one_of_message(AUDIT_ACTIONS))]
  )
  moderator_id = QueryIntegerField(validators=[BlankIsAbsent(), Bounds(1, MAX_ROW_ID)])
  target_type = StringField(
    validators=[BlankIsAbsent(), AnyOf(TARGET_TYPES, message=one_of_message(TARGET_TYPES))]
  )
