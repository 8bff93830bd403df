"""Input forms of holds: a meet-up proposal."""

from datetime import datetime

from wtforms.validators import Length

from app.common.CommonForms import JsonForm, JsonStringField, Required
from app.posts.PostHoldConstants import PLACE_MAX_LENGTH

MEET_AT_MESSAGE = 'Must be a date and time with a time zone, like 2026-12-04T15:00:00Z.'


class JsonDateTimeField(JsonStringField):
  """An ISO 8601 date and time with its offset (or Z), as an aware datetime."""

  type_message = MEET_AT_MESSAGE

  def convert(self, value):
    text = super().convert(value)
    try:
      moment = datetime.fromisoformat(text)
    except ValueError:
      raise ValueError(MEET_AT_MESSAGE) from None
    # A time without an offset means a different instant on each side: refused.
    if moment.tzinfo is None:
      raise ValueError(MEET_AT_MESSAGE)
    return moment


class MeetupForm(JsonForm):
  """POST /api/holds/<id>/meetups: when and where (a pickup spot's name or free text)."""

  meet_at = JsonDateTimeField(validators=[Required()])
  place = JsonStringField(validators=[Required(), Length(max=PLACE_MAX_LENGTH)])
