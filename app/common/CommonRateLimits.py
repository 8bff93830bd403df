"""Keys and exemptions of rate limits that follow the logged-in user rather than the address."""

from flask_login import current_user


def user_rate_limit_key():
  """The rate-limit key of the logged-in user, wherever they connect from."""
  return f'user:{current_user.id}'


def is_anonymous_request():
  """Anonymous requests skip a per-user limit; the login check answers them with 401."""
  return not current_user.is_authenticated
