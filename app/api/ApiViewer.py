"""Who is looking, for public reads whose answer depends on it: a logged-in viewer with a block
either way sees no post of the other side, and such an answer never enters the shared cache."""

from flask import session
from flask_login import current_user

from app.common.CommonCache import PERSONAL_SESSION_KEY, answer_is_personal


def personal_viewer_id():
  """The id of a logged-in viewer whose public reads are their own (the login's loader keeps
  the session's mark in step with their blocks), with the answer marked personal; else None."""
  # is_authenticated first: it runs the login's loader, which refreshes the mark.
  if current_user.is_authenticated and session.get(PERSONAL_SESSION_KEY):
    answer_is_personal()
    return current_user.id
  return None


def with_viewer(filters):
  """The list filters plus `viewer_id` when the viewer's lists are their own."""
  viewer_id = personal_viewer_id()
  if viewer_id is not None:
    filters['viewer_id'] = viewer_id
  return filters
