"""Telling the watchers of a post what changed: a lower price, available again, sold or
withdrawn (notification, and mail per their settings). Called by the posts' and the queue's
rules at the end of their change, before their one commit."""

from sqlalchemy import select

from app.extensions import db
from app.notifications.NotificationHelpers import notify
from app.posts.PostWatchModels import Watch


def watcher_ids(post_id):
  """The ids of the users watching the post, in the order they started."""
  with db.session.no_autoflush:
    return (
      db.session.execute(
        select(Watch.user_id).where(Watch.post_id == post_id).order_by(Watch.created_at)
      )
      .scalars()
      .all()
    )


def tell_watchers(post, kind, extra=None, exclude=()):
  """Notify every watcher of `post` (but those in `exclude`, told otherwise) of `kind`."""
  payload = {'post_id': post.id, 'post_title': post.title, **(extra or {})}
  skipped = {post.seller_id, *exclude}
  for user_id in watcher_ids(post.id):
    if user_id not in skipped:
      notify(user_id, kind, payload)


def price_text(price_cents):
  """A price as people read it: $12 or $12.50."""
  dollars, cents = divmod(price_cents, 100)
  return f'${dollars:,}' if cents == 0 else f'${dollars:,}.{cents:02d}'
