"""Constants of the posts area: the fixed lists and the state machine's names."""

CATEGORIES = (
  'textbooks',
  'electronics',
  'furniture',
  'clothing',
  'kitchen',
  'sports',
  'bikes',
  'tickets',
  'other',
)

CONDITIONS = ('new', 'like_new', 'good', 'fair', 'for_parts')

STATUS_AVAILABLE = 'available'
STATUS_PENDING = 'pending'
STATUS_SOLD = 'sold'
STATUS_WITHDRAWN = 'withdrawn'
POST_STATUSES = (STATUS_AVAILABLE, STATUS_PENDING, STATUS_SOLD, STATUS_WITHDRAWN)

DIB_WAITING = 'waiting'
DIB_ACCEPTED = 'accepted'
DIB_DECLINED = 'declined'
DIB_CANCELLED = 'cancelled'
DIB_STATUSES = (DIB_WAITING, DIB_ACCEPTED, DIB_DECLINED, DIB_CANCELLED)
# A live dib holds a place in the queue; one live dib per buyer per post.
LIVE_DIB_STATUSES = (DIB_WAITING, DIB_ACCEPTED)

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 5000
CAMPUS_MAX_LENGTH = 100
PRICE_MAX_CENTS = 100_000_000
