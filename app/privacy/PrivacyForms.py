"""Input forms of the privacy area: the password that confirms an account's deletion."""

from wtforms.validators import Length

from app.common.CommonForms import JsonForm, JsonStringField, Required
from app.users.UserConstants import PASSWORD_MAX_LENGTH


class AccountDeletionForm(JsonForm):
  """The account's current password, typed again."""

  password = JsonStringField(strip=False, validators=[Required(), Length(max=PASSWORD_MAX_LENGTH)])
