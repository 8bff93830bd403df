"""The rules of Idempotency-Key (docs/IDEMPOTENCY.md): the header, its bounds, how long a key
lives, and what a replay carries."""

IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key'
# Stripe's bound; a UUID (what the SPA sends) has 36 characters.
IDEMPOTENCY_KEY_MAX_LENGTH = 255
# Visible ASCII only: no spaces, no control characters, nothing a log or a header could mangle.
IDEMPOTENCY_KEY_PATTERN = '^[!-~]+$'
# A key and its first answer are kept this long; after it the key is new again.
IDEMPOTENCY_KEY_LIFETIME_SECONDS = 24 * 3600
# A claim still without an answer after this long belongs to a request whose worker died
# (gunicorn's timeout is 30 s): the next request with the key runs again.
IDEMPOTENCY_ABANDONED_AFTER_SECONDS = 120
# What a replay carries besides the status and the body.
REPLAYED_RESPONSE_HEADERS = ('Content-Type', 'Location')
# The header that marks an answer as a replay of the first one (Stripe's name).
REPLAYED_HEADER = 'Idempotent-Replayed'
# Seconds a client should wait before asking again about a key whose request is still running.
IN_PROGRESS_RETRY_AFTER_SECONDS = 1

IDEMPOTENCY_ERROR_CODES = (
  'idempotency_key_invalid',
  'idempotency_key_reused',
  'idempotency_request_in_progress',
  'idempotency_answer_lost',
)
