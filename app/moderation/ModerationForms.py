"""Input forms of the moderation area: a report, a decision, and the audit log's filters."""

from wtforms import Form, StringField
from wtforms.validators import AnyOf, Length, NumberRange

from app.common.CommonConstants import MAX_ROW_ID
from app.common.CommonForms import (
  BlankIsAbsent,
  Bounds,
  IfPresent,
  JsonBooleanField,
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
  HELD_DECISIONS,
  REPORT_NOTE_MAX_LENGTH,
  REPORT_REASONS,
  SUSPENSION_MAX_DAYS,
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


class SuspensionForm(JsonForm):
  """A suspension for `days` days, or a ban (`ban: true`, no `days`), with a reason."""

  days = JsonIntegerField(
    validators=[IfPresent(nullable=True), NumberRange(min=1, max=SUSPENSION_MAX_DAYS)]
  )
  ban = JsonBooleanField(validators=[IfPresent(nullable=True)])
  reason = JsonStringField(validators=[Required(), Length(min=1, max=DECISION_REASON_MAX_LENGTH)])

  def validate(self, extra_validators=None):
    """The fields, then: exactly one of `days` and `ban: true`."""
    if not super().validate(extra_validators):
      return False
    if bool(self.ban.data) == (self.days.data is not None):
      self.days.errors = ['Give either days (1 to 365) or ban: true.']
      return False
    return True


class ReasonForm(JsonForm):
  """A moderator's reason (a warning's text, why a suspension is lifted)."""

  reason = JsonStringField(validators=[Required(), Length(min=1, max=DECISION_REASON_MAX_LENGTH)])


class HeldDecisionForm(JsonForm):
  """A moderator's decision about a post held for review, and an optional reason."""

  action = JsonStringField(
    validators=[Required(), AnyOf(HELD_DECISIONS, message=one_of_message(HELD_DECISIONS))]
  )
  reason = JsonStringField(
    validators=[IfPresent(nullable=True), Length(max=DECISION_REASON_MAX_LENGTH)]
  )
