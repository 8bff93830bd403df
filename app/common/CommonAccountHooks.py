"""Where areas plug into "my data" (app/privacy) without privacy importing them: an area that
holds something about a student adds a section to their export and a step to the deletion of
their account. The privacy area sits above the areas it knows (users, posts, chat, search,
moderation) and reads those itself; an area it cannot import (one built later, or above it)
registers here, in a module its controller imports, so the registration runs when create_app
imports the controllers (docs/TRUST_AND_SAFETY.md, "My data").

    @account_export_section('reviews')
    def export_reviews(user): ...          # JSON-ready data: given and received

    @account_deletion_listener
    def anonymize_reviews(user, scrubbed): ...   # in the deletion's transaction; no commit

A deletion listener runs inside the one transaction of the deletion, after the user's row is
scrubbed; `scrubbed` is the tuple of the strings that were personal (email, username, display
name) for the listener to remove from rows of its own. It must not commit.
"""

EXPORT_SECTIONS = {}
DELETION_LISTENERS = []


def account_export_section(name):
  """Register `function(user)` as the section `name` of a student's data export."""

  def register(function):
    if name in EXPORT_SECTIONS and EXPORT_SECTIONS[name] is not function:
      raise ValueError(f'The export section {name!r} is registered twice.')
    EXPORT_SECTIONS[name] = function
    return function

  return register


def account_deletion_listener(function):
  """Register `function(user, scrubbed)` to run when a student deletes their account."""
  if function not in DELETION_LISTENERS:
    DELETION_LISTENERS.append(function)
  return function


def export_sections():
  """{name: function(user)} of the registered export sections."""
  return dict(EXPORT_SECTIONS)


def deletion_listeners():
  """The registered deletion listeners, in the order they registered."""
  return list(DELETION_LISTENERS)
