"""Input forms of the reviews area: a review of the other side of a sale."""

from wtforms.validators import Length, NumberRange

from app.common.CommonConstants import MAX_ROW_ID
from app.common.CommonForms import (
  IfPresent,
  JsonField,
  JsonForm,
  JsonIntegerField,
  JsonStringField,
  Required,
)
from app.posts.PostForms import one_of_message
from app.reviews.ReviewConstants import (
  REVIEW_TAGS,
  REVIEW_TEXT_MAX_LENGTH,
  STARS_MAX,
  STARS_MIN,
)


class JsonTagListField(JsonField):
  """A JSON array of tags from REVIEW_TAGS, each at most once (the order is kept)."""

  type_message = 'Must be a list of tags.'

  def convert(self, value):
    if not isinstance(value, list) or not all(isinstance(tag, str) for tag in value):
      raise ValueError
    unknown = [tag for tag in value if tag not in REVIEW_TAGS]
    if unknown:
      raise ValueError(f'Unknown tag {unknown[0][:40]!r}: {one_of_message(REVIEW_TAGS)}')
    if len(set(value)) != len(value):
      raise ValueError('Each tag at most once.')
    return list(value)


class ReviewForm(JsonForm):
  post_id = JsonIntegerField(
    validators=[Required(), NumberRange(min=1, max=MAX_ROW_ID, message='Must be an id.')]
  )
  stars = JsonIntegerField(
    validators=[
      Required(),
      NumberRange(
        min=STARS_MIN, max=STARS_MAX, message=f'Must be from {STARS_MIN} to {STARS_MAX} stars.'
      ),
    ]
  )
  text = JsonStringField(validators=[IfPresent(nullable=True), Length(max=REVIEW_TEXT_MAX_LENGTH)])
  tags = JsonTagListField(validators=[IfPresent(nullable=True)])
