"""Constants of the notifications area."""

KIND_DIB_RECEIVED = 'dib_received'
KIND_DIB_ACCEPTED = 'dib_accepted'
KIND_DIB_DECLINED = 'dib_declined'
KIND_POST_SOLD = 'post_sold'
KIND_POST_WITHDRAWN = 'post_withdrawn'
KIND_NEW_MESSAGE = 'new_message'
# Holds and meet-ups (docs/HANDOVER.md).
KIND_MEETUP_PROPOSED = 'meetup_proposed'
KIND_MEETUP_CONFIRMED = 'meetup_confirmed'
KIND_MEETUP_REMINDER = 'meetup_reminder'
KIND_HOLD_LAPSED = 'hold_lapsed'
KIND_HOLD_ENDED = 'hold_ended'
KIND_YOUR_TURN = 'your_turn'
KIND_NO_SHOW = 'no_show'
KIND_POST_EXPIRING = 'post_expiring'
KIND_POST_EXPIRED = 'post_expired'
KIND_WATCHED_PRICE_DROP = 'watched_price_drop'
KIND_WATCHED_AVAILABLE = 'watched_available'
KIND_WATCHED_SOLD = 'watched_sold'
KIND_WATCHED_WITHDRAWN = 'watched_withdrawn'
KIND_SAVED_SEARCH_MATCH = 'saved_search_match'
KIND_SAVED_SEARCH_DIGEST = 'saved_search_digest'
NOTIFICATION_KINDS = (
  KIND_DIB_RECEIVED,
  KIND_DIB_ACCEPTED,
  KIND_DIB_DECLINED,
  KIND_POST_SOLD,
  KIND_POST_WITHDRAWN,
  KIND_NEW_MESSAGE,
  KIND_MEETUP_PROPOSED,
  KIND_MEETUP_CONFIRMED,
  KIND_MEETUP_REMINDER,
  KIND_HOLD_LAPSED,
  KIND_HOLD_ENDED,
  KIND_YOUR_TURN,
  KIND_NO_SHOW,
  KIND_POST_EXPIRING,
  KIND_POST_EXPIRED,
  KIND_WATCHED_PRICE_DROP,
  KIND_WATCHED_AVAILABLE,
  KIND_WATCHED_SOLD,
  KIND_WATCHED_WITHDRAWN,
  KIND_SAVED_SEARCH_MATCH,
  KIND_SAVED_SEARCH_DIGEST,
)
KIND_MAX_LENGTH = 30
SUBJECT_KEY_MAX_LENGTH = 64

# A message unread this long makes a notification, at most one per conversation per interval.
UNREAD_MESSAGE_DELAY_SECONDS = 5 * 60
UNREAD_MESSAGE_INTERVAL_SECONDS = 60 * 60
# Messages older than this are not looked at again by the periodic job.
UNREAD_MESSAGE_LOOKBACK_SECONDS = 2 * 60 * 60
