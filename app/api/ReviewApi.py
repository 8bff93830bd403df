"""Reviews after a sale: write one, read my window of a sale, and a user's published reviews."""

from flask_login import current_user

from app.api import api_blueprint
from app.common.CommonCache import cached_read
from app.common.CommonForms import page_cache_query, validate_form
from app.common.CommonHelpers import get_json_body, paginate
from app.common.CommonRateLimits import is_anonymous_request, user_rate_limit_key
from app.common.CommonResponses import json_response
from app.extensions import limiter
from app.reviews import ReviewHelpers
from app.reviews.ReviewConstants import REVIEW_CREATE_LIMIT
from app.reviews.ReviewForms import ReviewForm
from app.reviews.ReviewSerializers import review_to_json, reviews_to_json, window_to_json
from app.users.UserHelpers import get_user_by_username, public_endpoint
from app.users.UserSerializers import rating_to_json


@api_blueprint.get('/users/<username>/reviews')
@public_endpoint
@cached_read(query=page_cache_query)
def list_user_reviews(username):
  """A user's published reviews, newest first, with their rating (anyone)."""
  user = get_user_by_username(username)
  envelope = paginate(ReviewHelpers.published_reviews_statement(user), reviews_to_json)
  envelope['rating'] = rating_to_json(user.review_count, user.review_stars_total)
  return json_response(envelope)


@api_blueprint.post('/users/<username>/reviews')
@limiter.limit(REVIEW_CREATE_LIMIT, key_func=user_rate_limit_key, exempt_when=is_anonymous_request)
def create_review(username):
  """Review the buyer or seller of a sale I took part in (once, within 14 days)."""
  form = validate_form(ReviewForm, get_json_body())
  review = ReviewHelpers.submit_review(
    current_user._get_current_object(),
    username,
    form.post_id.data,
    form.stars.data,
    form.text.data,
    form.tags.data,
  )
  return json_response({'review': review_to_json(review)}, 201)


@api_blueprint.get('/posts/<row_id:post_id>/review-window')
def get_review_window(post_id):
  """The review window of a sold post, as its buyer or seller sees it (404 for others)."""
  window = ReviewHelpers.get_my_window(post_id, current_user)
  reviews = ReviewHelpers.window_reviews(window.id)
  return json_response(
    {'window': window_to_json(window, current_user, reviews, ReviewHelpers.review_now())}
  )
