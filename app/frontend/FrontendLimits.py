"""The bounds the SPA's forms enforce (maxlength, min, max), handed to it by the shell in
`<meta name="dibz-limits">` as JSON, so each bound is written once, in the areas' constants.

Each key is the lower-cased name of the constant (DISPLAY_NAME_MAX_LENGTH is
`display_name_max_length`): the client reads those names, so renaming a constant listed here
renames a key of the contract (OpenAPI components.schemas.ClientLimits).
"""

from app.chat import ChatConstants
from app.moderation import ModerationConstants
from app.posts import PostConstants, PostHoldConstants
from app.reviews import ReviewConstants
from app.search import SearchConstants
from app.users import UserConstants

CLIENT_LIMIT_CONSTANTS = (
  (
    UserConstants,
    (
      'USERNAME_MIN_LENGTH',
      'USERNAME_MAX_LENGTH',
      'EMAIL_MAX_LENGTH',
      'PASSWORD_MIN_LENGTH',
      'PASSWORD_MAX_LENGTH',
      'DISPLAY_NAME_MAX_LENGTH',
      'BIO_MAX_LENGTH',
      'CAMPUS_MAX_LENGTH',
    ),
  ),
  (
    PostConstants,
    (
      'TITLE_MAX_LENGTH',
      'DESCRIPTION_MAX_LENGTH',
      'PRICE_MAX_CENTS',
      'MAX_IMAGES_PER_POST',
      'MAX_IMAGE_BYTES',
    ),
  ),
  (PostHoldConstants, ('PLACE_MAX_LENGTH',)),
  (ChatConstants, ('MESSAGE_BODY_MAX_LENGTH', 'MAX_MESSAGE_PAGE_SIZE')),
  (SearchConstants, ('QUERY_MIN_LENGTH', 'QUERY_MAX_LENGTH')),
  (ReviewConstants, ('REVIEW_TEXT_MAX_LENGTH',)),
  (
    ModerationConstants,
    ('REPORT_NOTE_MAX_LENGTH', 'DECISION_REASON_MAX_LENGTH', 'SUSPENSION_MAX_DAYS'),
  ),
)


def client_limits():
  """{lower-cased constant name: value} of every bound the SPA's forms enforce."""
  return {
    name.lower(): getattr(module, name)
    for module, names in CLIENT_LIMIT_CONSTANTS
    for name in names
  }
