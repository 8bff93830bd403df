"""Constants of the users area."""

ROLE_USER = 'user'
ROLE_MODERATOR = 'moderator'
ROLE_ADMIN = 'admin'
ROLES = (ROLE_USER, ROLE_MODERATOR, ROLE_ADMIN)
# Who may act on reports (admins too).
MODERATOR_ROLES = (ROLE_MODERATOR, ROLE_ADMIN)

USERNAME_PATTERN = r'^[a-z0-9_]{3,30}$'
# Words that are paths of the API or would mislead other students.
RESERVED_USERNAMES = ('me', 'admin', 'api', 'dibz', 'root', 'support', 'staff')
USERNAME_MIN_LENGTH = 3
USERNAME_MAX_LENGTH = 30
EMAIL_MAX_LENGTH = 254
PASSWORD_MIN_LENGTH = 10
# Bounded so a megabyte "password" cannot make hashing a denial of service.
PASSWORD_MAX_LENGTH = 256
DISPLAY_NAME_MAX_LENGTH = 50
# Characters that reorder text (bidi controls) or show nothing (zero-width and fillers): a name
# with them can read as someone else's, or as nothing at all.
DISPLAY_NAME_REFUSED_CHARACTERS = (
  '\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e'
  '\u2060-\u2064\u2066-\u2069\u3164\ufeff\uffa0'
)
# A display name may not pose as the service or carry a "verified" badge.
DISPLAY_NAME_REFUSED_MARKS = '\u2713\u2714\u2611\u2705\U0001f5f8'
DISPLAY_NAME_RESERVED_WORDS = ('dibz',)
BIO_MAX_LENGTH = 500
CAMPUS_MAX_LENGTH = 100

# A login session's random id (the cookie holds it, the database its SHA-256 digest).
SESSION_ID_BYTES = 32
USER_AGENT_MAX_LENGTH = 200
RESET_TOKEN_BYTES = 32
# A reset or verification token as typed back: the URL-safe text of RESET_TOKEN_BYTES is 43
# characters.
RESET_TOKEN_MAX_LENGTH = 200

# Abuse limits, per client IP and per account (the email typed). A login is limited tightly
# per (account, address), so a stranger's guesses lock out the stranger only; per account the
# limit is loose and counts failures only, so the owner still gets in while it is attacked.
LOGIN_LIMIT_PER_IP = '20 per minute'
LOGIN_LIMIT_PER_ACCOUNT_AND_IP = '5 per minute'
LOGIN_FAILURE_LIMIT_PER_ACCOUNT = '50 per hour'
SIGNUP_LIMIT_PER_IP = '10 per hour'
PASSWORD_RESET_LIMIT_PER_IP = '10 per hour'  # nosec B105 # a rate limit, not a password
PASSWORD_RESET_LIMIT_PER_ACCOUNT = '3 per hour'  # nosec B105 # a rate limit, not a password
VERIFICATION_MAIL_LIMIT_PER_USER = '5 per hour'

LOGIN_FAILED_MESSAGE = 'The email or password is not correct.'
VERIFICATION_OF_ANOTHER_ACCOUNT_MESSAGE = (
  'This link verifies the address of another account, not the one you are logged in to. If '
  'the mail was for you, log out and log in to the account you signed up with, then open the '
  'link again. If you did not sign up with this address, ignore the mail: nothing was changed.'
)

# Blocks (UserBlockHelpers): cheap to repeat, so bounded per account.
BLOCK_CHANGE_LIMIT = '60 per hour'
