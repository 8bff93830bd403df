"""Constants of the chat area."""

MESSAGE_BODY_MAX_LENGTH = 2000

# Per logged-in user (not per IP), so students behind one campus NAT do not share a budget.
MESSAGE_SEND_LIMIT = '30 per minute'
CONVERSATION_OPEN_LIMIT = '30 per hour'

DEFAULT_MESSAGE_PAGE_SIZE = 50
MAX_MESSAGE_PAGE_SIZE = 100
