"""Constants shared by every area."""

# The largest request body accepted anywhere (an image upload plus its multipart framing).
# nginx's client_max_body_size in deploy/ is set to the same figure.
MAX_REQUEST_BYTES = 6 * 1024 * 1024
# Seconds after which a mail that should have gone (a notification's, a new account's
# verification) and has not is queued again (OWED_MAIL_AFTER_SECONDS; docs/JOBS.md).
OWED_MAIL_AFTER_SECONDS = 120

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
# Past this page every list is empty; a bound keeps the OFFSET (and its cost) finite.
MAX_PAGE_NUMBER = 100_000

API_PREFIX = '/api'

# The largest id an integer column holds (PostgreSQL's 32-bit integer): a larger id in a URL
# names nothing, and would make PostgreSQL raise instead of answering 404.
MAX_ROW_ID = 2**31 - 1

ERROR_CODES_BY_STATUS = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_error',
  429: 'rate_limited',
  500: 'internal_error',
  503: 'service_unavailable',
}

DEFAULT_ERROR_MESSAGES = {
  400: 'The request could not be understood.',
  401: 'You need to log in first.',
  403: 'You are not allowed to do that.',
  404: 'There is nothing here.',
  405: 'That method is not allowed on this path.',
  409: 'That conflicts with the current state.',
  413: 'The request body is too large.',
  415: 'The request body must be JSON.',
  422: 'Some fields are not valid.',
  429: 'Too many requests; try again later.',
  500: 'Something went wrong on our side.',
  503: 'The service is not ready.',
}

# Characters that end or break a line, or that a terminal or mail reader acts on: C0 and C1
# controls (newline, CR, tab, escape, NEL...), DEL, and Unicode's line and paragraph separators.
# Names and titles refuse them (CommonForms.OneLine); mails fold them (CommonMail.mail_line).
LINE_BREAKING_CHARACTERS = '\x00-\x1f\x7f-\x9f\u2028\u2029'
