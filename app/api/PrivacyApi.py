"""My data: download everything Dibz holds about me, and delete my account."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonForms import validate_form
from app.common.CommonHelpers import get_json_body
from app.common.CommonRateLimits import is_anonymous_request, user_rate_limit_key
from app.common.CommonResponses import json_response, no_content
from app.extensions import limiter
from app.privacy.PrivacyConstants import DELETE_ACCOUNT_LIMIT, EXPORT_LIMIT
from app.privacy.PrivacyExport import export_user_data
from app.privacy.PrivacyForms import AccountDeletionForm
from app.privacy.PrivacyHelpers import delete_account
from app.users.UserSessionHelpers import end_current_session


@api_blueprint.get('/users/me/export')
@limiter.limit(EXPORT_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request)
def export_my_data():
  """Everything Dibz holds about me, as one JSON file to download."""
  user = current_user._get_current_object()
  filename = f'dibz-my-data-{user.username}.json'
  return json_response(
    export_user_data(user),
    headers={
      'Content-Disposition': f'attachment; filename="{filename}"',
      'Cache-Control': 'no-store',
    },
  )


@api_blueprint.delete('/users/me')
@limiter.limit(DELETE_ACCOUNT_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request)
def delete_my_account():
  """Delete my account after my password: I am logged out, and cannot log in again."""
  form = validate_form(AccountDeletionForm, get_json_body())
  delete_account(current_user._get_current_object(), form.password.data)
  # The session's row went with the others: clear the cookies too.
  end_current_session()
  return no_content()
