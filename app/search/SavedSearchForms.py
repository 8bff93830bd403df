"""Input forms of saved searches: a new one (the search page's words and filters, and the
alert), and a change of its alert."""

from wtforms.validators import AnyOf, Length, NumberRange, StopValidation

from app.common.CommonForms import IfPresent, JsonForm, JsonIntegerField, JsonStringField
from app.posts.PostConstants import CAMPUS_MAX_LENGTH, CATEGORIES, PRICE_MAX_CENTS
from app.posts.PostForms import PRICE_RANGE_MESSAGE, one_of_message
from app.search.SavedSearchConstants import ALERTS
from app.search.SearchConstants import QUERY_MAX_LENGTH


class SavedSearchForm(JsonForm):
  """POST /api/users/me/saved-searches: `q` and the filters are each optional (null or
  absent: no condition), but one of them must be given; `alert` defaults to instant."""

  q = JsonStringField(validators=[IfPresent(nullable=True), Length(max=QUERY_MAX_LENGTH)])
  category = JsonStringField(
    validators=[IfPresent(nullable=True), AnyOf(CATEGORIES, message=one_of_message(CATEGORIES))]
  )
  campus = JsonStringField(validators=[IfPresent(nullable=True), Length(max=CAMPUS_MAX_LENGTH)])
  min_price = JsonIntegerField(
    validators=[IfPresent(nullable=True), NumberRange(0, PRICE_MAX_CENTS, PRICE_RANGE_MESSAGE)]
  )
  max_price = JsonIntegerField(
    validators=[IfPresent(nullable=True), NumberRange(0, PRICE_MAX_CENTS, PRICE_RANGE_MESSAGE)]
  )
  alert = JsonStringField(validators=[IfPresent(), AnyOf(ALERTS, message=one_of_message(ALERTS))])

  def validate_max_price(self, field):
    minimum = self.min_price.data
    if field.data is not None and isinstance(minimum, int) and field.data < minimum:
      raise StopValidation('Must not be less than min_price.')

  def validate(self, extra_validators=None):
    if not super().validate(extra_validators):
      return False
    given = (self.q, self.category, self.campus, self.min_price, self.max_price)
    if all(field.data in (None, '') for field in given):
      self.q.errors = ['Give words to search for, or at least one filter.']
      return False
    return True


class SavedSearchAlertForm(JsonForm):
  """PATCH /api/saved-searches/<id>: the alert."""

  alert = JsonStringField(validators=[AnyOf(ALERTS, message=one_of_message(ALERTS))])
