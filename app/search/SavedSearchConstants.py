"""Constants of saved searches and their alerts (docs/SAVED_SEARCHES.md)."""

ALERT_INSTANT = 'instant'
ALERT_DAILY = 'daily'
ALERT_OFF = 'off'
ALERTS = (ALERT_INSTANT, ALERT_DAILY, ALERT_OFF)

MAX_SAVED_SEARCHES_PER_USER = 20
# The daily digest names at most this many new matches.
DIGEST_MAX_MATCHES = 10
# The digest goes out once a day, from this hour on in the campus's time zone.
DIGEST_HOUR = 8
WORD_MAX_LENGTH = 100
# A post's text gives at most this many distinct words to match with.
MAX_POST_WORDS = 400
