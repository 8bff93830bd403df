"""Constants of the users area."""

ROLE_USER = 'user'
ROLE_ADMIN = 'admin'
ROLES = (ROLE_USER, ROLE_ADMIN)

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
BIO_MAX_LENGTH = 500
CAMPUS_MAX_LENGTH = 100

SESSION_TOKEN_BYTES = 16
RESET_TOKEN_BYTES = 32
# A reset token as typed back: the URL-safe text of RESET_TOKEN_BYTES is 43 characters.
RESET_TOKEN_MAX_LENGTH = 200

# Abuse limits, per client IP and per account (the email typed).
LOGIN_LIMIT_PER_IP = '20 per minute'
LOGIN_LIMIT_PER_ACCOUNT = '5 per minute'
SIGNUP_LIMIT_PER_IP = '10 per hour'
PASSWORD_RESET_LIMIT_PER_IP = '10 per hour'  # nosec B105 # a rate limit, not a password
PASSWORD_RESET_LIMIT_PER_ACCOUNT = '3 per hour'  # nosec B105 # a rate limit, not a password

LOGIN_FAILED_MESSAGE = 'The email or password is not correct.'
