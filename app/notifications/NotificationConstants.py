"""Constants of the notifications area."""

KIND_DIB_RECEIVED = 'dib_received'
KIND_DIB_ACCEPTED = 'dib_accepted'
KIND_DIB_DECLINED = 'dib_declined'
KIND_POST_SOLD = 'post_sold'
KIND_POST_WITHDRAWN = 'post_withdrawn'
KIND_NEW_MESSAGE = 'new_message'
KIND_POST_HIDDEN = 'post_hidden'
KIND_REPORT_DECIDED = 'report_decided'
KIND_WARNING = 'moderation_warning'
NOTIFICATION_KINDS = (
  KIND_DIB_RECEIVED,
  KIND_DIB_ACCEPTED,
  KIND_DIB_DECLINED,
  KIND_POST_SOLD,
  KIND_POST_WITHDRAWN,
  KIND_NEW_MESSAGE,
  KIND_POST_HIDDEN,
  KIND_REPORT_DECIDED,
  KIND_WARNING,
)
KIND_MAX_LENGTH = 30
SUBJECT_KEY_MAX_LENGTH = 64

# A message unread this long makes a notification, at most one per conversation per interval.
UNREAD_MESSAGE_DELAY_SECONDS = 5 * 60
UNREAD_MESSAGE_INTERVAL_SECONDS = 60 * 60
# Messages older than this are not looked at again by the periodic job.
UNREAD_MESSAGE_LOOKBACK_SECONDS = 2 * 60 * 60
