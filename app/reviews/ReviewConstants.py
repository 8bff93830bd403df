"""Constants of the reviews area: the window after a sale, stars, text, tags and limits."""

# After a sale, buyer and seller may review each other for this long (docs/REVIEWS.md).
REVIEW_WINDOW_DAYS = 14
# One reminder to whoever has not reviewed yet, this long after the sale.
REVIEW_REMINDER_DAYS = 7
STARS_MIN = 1
STARS_MAX = 5
REVIEW_TEXT_MAX_LENGTH = 500

# The fixed list of tags a review may carry (each at most once).
TAG_ON_TIME = 'on_time'
TAG_AS_DESCRIBED = 'as_described'
TAG_FRIENDLY = 'friendly'
TAG_EASY_TO_DEAL_WITH = 'easy_to_deal_with'
TAG_GOOD_COMMUNICATION = 'good_communication'
TAG_FAIR_PRICE = 'fair_price'
REVIEW_TAGS = (
  TAG_ON_TIME,
  TAG_AS_DESCRIBED,
  TAG_FRIENDLY,
  TAG_EASY_TO_DEAL_WITH,
  TAG_GOOD_COMMUNICATION,
  TAG_FAIR_PRICE,
)
REVIEW_TAG_MAX_LENGTH = 30

# Which side of the sale wrote a review.
ROLE_BUYER = 'buyer'
ROLE_SELLER = 'seller'
REVIEW_ROLES = (ROLE_BUYER, ROLE_SELLER)

# Writing a review is cheap: bounded per account.
REVIEW_CREATE_LIMIT = '30 per hour'
