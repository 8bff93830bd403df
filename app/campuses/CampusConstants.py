"""Constants of the campuses area."""

# A slug names a campus in URLs and query strings (`?campus=berkeley`).
SLUG_PATTERN = r'^[a-z0-9]+(?:-[a-z0-9]+)*$'
SLUG_MAX_LENGTH = 40
# The query value that asks for every campus (`?campus=all`); no campus may take it as a slug.
ALL_CAMPUSES = 'all'
RESERVED_SLUGS = (ALL_CAMPUSES, 'me', 'mine', 'none')
NAME_MAX_LENGTH = 100
DOMAIN_MAX_LENGTH = 253
DOMAIN_PATTERN = (
  r'^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$'
)
MAX_DOMAINS_PER_CAMPUS = 20
TIMEZONE_MAX_LENGTH = 64
# Where a campus has no time zone of its own (a user without a campus): the digest's zone.
DEFAULT_TIMEZONE = 'UTC'
SPOT_NAME_MAX_LENGTH = 100
SPOT_NOTES_MAX_LENGTH = 500
MAX_SPOTS_PER_CAMPUS = 50
# Operators' writes are few; the bound only stops a script gone wrong.
CAMPUS_ADMIN_WRITE_LIMIT = '60 per minute'
