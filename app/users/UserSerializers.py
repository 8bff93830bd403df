"""The JSON of users: a summary beside posts and messages, a public profile, and the private
view of oneself (the only one with the email and the role)."""

from app.common.CommonHelpers import to_iso


def user_summary_to_json(user):
  """The few fields shown beside a post or a message."""
  return {'id': user.id, 'username': user.username, 'display_name': user.display_name}


def user_public_to_json(user):
  """What anyone may see of a user: never the email or the role."""
  return {
    'id': user.id,
    'username': user.username,
    'display_name': user.display_name,
    'bio': user.bio,
    'campus': user.campus,
    'created_at': to_iso(user.created_at),
  }


def user_private_to_json(user):
  """What the user sees of themselves."""
  return {**user_public_to_json(user), 'email': user.email, 'role': user.role}
