"""Constants of the posts area: the fixed lists and the state machine's names."""

# One bound for a campus, whether a user's or a post's.
from app.users.UserConstants import CAMPUS_MAX_LENGTH  # noqa: F401

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
PRICE_MAX_CENTS = 100_000_000
# Prices are typed in dollars: errors say dollars, never cents.
PRICE_MAX_DOLLARS = PRICE_MAX_CENTS // 100

# The state machine of a post: each status and the statuses it may move to. Sold and
# withdrawn are final.
POST_TRANSITIONS = {
  STATUS_AVAILABLE: (STATUS_PENDING, STATUS_WITHDRAWN),
  STATUS_PENDING: (STATUS_AVAILABLE, STATUS_SOLD, STATUS_WITHDRAWN),
  STATUS_SOLD: (),
  STATUS_WITHDRAWN: (),
}
# Buyers may join the queue while the post is for sale or held for someone else.
DIBBABLE_STATUSES = (STATUS_AVAILABLE, STATUS_PENDING)
# The seller may edit and add photos until the post is sold or withdrawn.
EDITABLE_STATUSES = (STATUS_AVAILABLE, STATUS_PENDING)
# Lists show these when the client asks for no status; withdrawn posts are gone for others.
DEFAULT_LIST_STATUSES = (STATUS_AVAILABLE, STATUS_PENDING, STATUS_SOLD)

# Expiry and renewal (docs/HANDOVER.md). Posts in these statuses can be renewed and are
# reminded before they expire; every post but a withdrawn one expires.
RENEWABLE_STATUSES = (STATUS_AVAILABLE, STATUS_PENDING)
EXPIRING_STATUSES = (STATUS_AVAILABLE, STATUS_PENDING, STATUS_SOLD)
RENEW_INTERVAL_DAYS = 7
EXPIRY_REMINDER_DAYS = 3

SORT_NEWEST = 'newest'
SORT_PRICE_ASC = 'price_asc'
SORT_PRICE_DESC = 'price_desc'
POST_SORTS = (SORT_NEWEST, SORT_PRICE_ASC, SORT_PRICE_DESC)
FILTER_NAMES = ('category', 'min_price', 'max_price', 'status', 'seller', 'campus')

# Per logged-in user (not per address: a campus NAT shares one), against scripted flooding.
POST_CREATE_LIMIT = '20 per hour'
IMAGE_UPLOAD_LIMIT = '60 per hour'
DIB_CALL_LIMIT = '60 per hour'

MAX_IMAGES_PER_POST = 8
MAX_IMAGE_BYTES = 5 * 1024 * 1024
# Decoding a small file can allocate gigabytes (a decompression bomb); refuse big canvases
# from the header, before any pixel is decoded.
# The largest canvas decoded per format, so that the worst accepted upload costs at most
# 150 MB of peak RSS and 1 s of CPU (docs/BAD_INPUT.md; `python -m bench.BenchImages`). A
# baseline JPEG is decoded at reduced scale, so its canvas may be large; PNG and WebP are
# decoded whole, and a progressive JPEG holds the coefficients of its whole canvas.
MAX_JPEG_PIXELS = 40_000_000
MAX_PROGRESSIVE_JPEG_PIXELS = 16_000_000
MAX_LOSSLESS_PIXELS = 12_000_000
# Pillow decodes WebP through libwebp's animation decoder: a canvas and a copy of it.
MAX_WEBP_PIXELS = 6_000_000
MAX_PIXELS_BY_FORMAT = {
  'JPEG': MAX_JPEG_PIXELS,
  'PNG': MAX_LOSSLESS_PIXELS,
  'WEBP': MAX_WEBP_PIXELS,
}
# Pillow's names of the formats accepted; whatever comes in is stored as JPEG or PNG.
ACCEPTED_IMAGE_FORMATS = ('JPEG', 'PNG', 'WEBP')
IMAGE_MAX_SIDE = 2000
THUMB_MAX_SIDE = 400
JPEG_QUALITY = 85
# Stored files never change under a key, so browsers and proxies may keep them for a year.
IMAGE_CACHE_SECONDS = 365 * 24 * 3600

# Held for review (docs/TRUST_AND_SAFETY.md): a post with a prohibited term, or beyond the
# YOUNG_ACCOUNT_FREE_POSTS-th of an account younger than YOUNG_ACCOUNT_HOURS, waits for a
# moderator (Post.moderation_state), seen only by its seller and moderators.
POST_IN_REVIEW = 'in_review'
YOUNG_ACCOUNT_HOURS = 24
YOUNG_ACCOUNT_FREE_POSTS = 3
