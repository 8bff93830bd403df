"""The JSON of users: a summary beside posts and messages, a public profile, the private
view of oneself (the only one with the email and the role), and one's login sessions."""

from decimal import ROUND_HALF_UP, Decimal

from app.campuses.CampusSerializers import campus_summary_to_json
from app.common.CommonHelpers import to_iso


def user_summary_to_json(user):
  """The few fields shown beside a post or a message."""
  return {'id': user.id, 'username': user.username, 'display_name': user.display_name}


def rating_to_json(count, stars_total):
  """A user's rating from their published reviews: the average to one decimal (half up; null
  without reviews) and how many there are."""
  if not count:
    return {'average': None, 'count': 0}
  average = (Decimal(stars_total) / Decimal(count)).quantize(Decimal('0.1'), ROUND_HALF_UP)
  return {'average': float(average), 'count': count}


def user_public_to_json(user):
  """What anyone may see of a user: never the email or the role."""
  return {
    'id': user.id,
    'username': user.username,
    'display_name': user.display_name,
    'bio': user.bio,
    # The campus of the user's address ({slug, name}), or null (docs/CAMPUSES.md).
    'campus': campus_summary_to_json(user.campus),
    'verified_campus': user.verified_campus,
    'created_at': to_iso(user.created_at),
    'rating': rating_to_json(user.review_count, user.review_stars_total),
  }


def user_private_to_json(user):
  """What the user sees of themselves."""
  return {
    **user_public_to_json(user),
    'email': user.email,
    'email_verified': user.email_verified_at is not None,
    'role': user.role,
  }


def user_session_to_json(user_session, current=False):
  """What the owner sees of a login session (never its digest); `current` marks the one
  making the request."""
  return {
    'id': user_session.id,
    'created_at': to_iso(user_session.created_at),
    'last_seen_at': to_iso(user_session.last_seen_at),
    'user_agent': user_session.user_agent,
    'address': user_session.address,
    'remember': user_session.remember,
    'current': current,
  }


def user_block_to_json(block):
  """One of my blocks (its blocked user loaded): whom, and since when."""
  return {'user': user_summary_to_json(block.blocked), 'created_at': to_iso(block.created_at)}


def user_blocks_to_json(blocks):
  """My blocks, loaded with my_blocks_statement."""
  return [user_block_to_json(block) for block in blocks]
