"""Input forms and query arguments of the chat area."""

from wtforms.validators import Length, NumberRange

from app.chat.ChatConstants import (
  DEFAULT_MESSAGE_PAGE_SIZE,
  MAX_MESSAGE_PAGE_SIZE,
  MESSAGE_BODY_MAX_LENGTH,
)
from app.common.CommonConstants import MAX_ROW_ID
from app.common.CommonForms import IfPresent, JsonForm, JsonIntegerField, JsonStringField, Required
from app.common.CommonHelpers import parse_int_arg, raise_if_errors

# Ids are 32-bit integers in both databases; a larger number can name no row, and SQLite
# refuses to bind integers past 64 bits, so bounds are checked before any query.


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


def parse_message_query(args):
  """`after`, `before` and `limit` of a messages request; a 422 naming each bad one."""
  errors = {}
  after = parse_int_arg(args, 'after', minimum=0, maximum=MAX_ROW_ID, errors=errors)
  before = parse_int_arg(args, 'before', minimum=1, maximum=MAX_ROW_ID, errors=errors)
  limit = parse_int_arg(
    args,
    'limit',
    DEFAULT_MESSAGE_PAGE_SIZE,
    minimum=1,
    maximum=MAX_MESSAGE_PAGE_SIZE,
    errors=errors,
  )
  if after is not None and before is not None and not errors:
    errors['before'] = ['Cannot be combined with after.']
  raise_if_errors(errors)
  return after, before, limit
