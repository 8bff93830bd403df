"""Input forms of the chat area: message bodies, read markers, and the messages query string."""

from wtforms import Form
from wtforms.validators import Length, NumberRange

from app.chat.ChatConstants import (
  DEFAULT_MESSAGE_PAGE_SIZE,
  MAX_MESSAGE_PAGE_SIZE,
  MESSAGE_BODY_MAX_LENGTH,
)
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


class MessageForm(JsonForm):
  # Stripped first, so a body of spaces is missing and the length counts what is stored.
  body = JsonStringField(validators=[Required(), Length(min=1, max=MESSAGE_BODY_MAX_LENGTH)])


class OpenConversationForm(JsonForm):
  """The optional body of opening a conversation: the seller names the buyer to write to."""

  buyer_id = JsonIntegerField(
    validators=[IfPresent(), NumberRange(min=1, max=MAX_ROW_ID, message='Must be a user id.')]
  )


class ReadForm(JsonForm):
  up_to = JsonIntegerField(
    validators=[
      IfPresent(nullable=True),
      NumberRange(min=1, max=MAX_ROW_ID, message='Must be a message id.'),
    ]
  )


class MessageQueryForm(Form):
  """`after` (poll for newer), `before` (scroll back) and `limit` of a messages request."""

  after = QueryIntegerField(validators=[BlankIsAbsent(), Bounds(0, MAX_ROW_ID)])
  before = QueryIntegerField(validators=[BlankIsAbsent(), Bounds(1, MAX_ROW_ID)])
  limit = QueryIntegerField(
    default=DEFAULT_MESSAGE_PAGE_SIZE,
    validators=[BlankIsAbsent(), Bounds(1, MAX_MESSAGE_PAGE_SIZE)],
  )

  def validate(self, extra_validators=None):
    """The fields, then: `after` and `before` read in opposite directions, so not both."""
    if not super().validate(extra_validators):
      return False
    if self.after.data is not None and self.before.data is not None:
      self.before.errors = ['Cannot be combined with after.']
      return False
    return True
