"""Input of the watchlist: which posts a list page asks about (to draw its hearts)."""

from wtforms import Form, StringField, ValidationError

from app.common.CommonConstants import MAX_ROW_ID
from app.common.CommonForms import Required

# A list page shows at most this many posts at once (the capped page size is 100).
MAX_WATCHED_IDS_ASKED = 100
POST_IDS_MESSAGE = (
  f'Must be up to {MAX_WATCHED_IDS_ASKED} post ids separated by commas, like 3,5,8.'
)


def parse_post_ids(text):
  """[3, 5, 8] from '3,5,8', or None when the text is not such a list."""
  parts = text.split(',')
  if not parts or len(parts) > MAX_WATCHED_IDS_ASKED:
    return None
  if not all(part.isdigit() and len(part) <= 10 for part in parts):
    return None
  ids = [int(part) for part in parts]
  if not all(1 <= post_id <= MAX_ROW_ID for post_id in ids):
    return None
  return ids


class WatchedPostIdsQueryForm(Form):
  """`post_ids` of GET /api/users/me/watched-post-ids: the posts a page shows."""

  post_ids = StringField(validators=[Required()])

  def validate_post_ids(self, field):
    ids = parse_post_ids(field.data or '')
    if ids is None:
      raise ValidationError(POST_IDS_MESSAGE)
    field.ids = ids
