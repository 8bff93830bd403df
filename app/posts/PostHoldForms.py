"""Input forms of holds: a meet-up proposal."""

from datetime import datetime

from wtforms.validators import Length, NumberRange

from app.common.CommonConstants import MAX_ROW_ID
from app.common.CommonForms import IfPresent, JsonForm, JsonIntegerField, JsonStringField, Required
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
  """POST /api/holds/<id>/meetups: when, and where: one of the pickup spots of the post's
  campus (`pickup_spot_id`, whose name becomes the place) or a free-text `place`."""

  meet_at = JsonDateTimeField(validators=[Required()])
  pickup_spot_id = JsonIntegerField(
    validators=[IfPresent(nullable=True), NumberRange(1, MAX_ROW_ID, message='Must be an id.')]
  )
  place = JsonStringField(validators=[IfPresent(nullable=True), Length(max=PLACE_MAX_LENGTH)])

  def validate(self, extra_validators=None):
    valid = super().validate(extra_validators)
    no_spot = self.pickup_spot_id.data is None and not self.pickup_spot_id.errors
    if no_spot and not self.place.data and not self.place.errors:
      self.place.errors = ['Give a place, or one of the pickup spots (pickup_spot_id).']
      return False
    return valid
