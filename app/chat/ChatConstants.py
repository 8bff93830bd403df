"""Constants of the chat area."""

MESSAGE_BODY_MAX_LENGTH = 2000

# Per logged-in user (not per IP), so students behind one campus NAT do not share a budget.
MESSAGE_SEND_LIMIT = '30 per minute'
CONVERSATION_OPEN_LIMIT = '30 per hour'

DEFAULT_MESSAGE_PAGE_SIZE = 50
MAX_MESSAGE_PAGE_SIZE = 100

# A message unread this long makes a notification, at most one per conversation per interval.
UNREAD_MESSAGE_DELAY_SECONDS = 5 * 60
UNREAD_MESSAGE_INTERVAL_SECONDS = 60 * 60
# Messages older than this are not looked at again by the periodic job.
UNREAD_MESSAGE_LOOKBACK_SECONDS = 2 * 60 * 60
