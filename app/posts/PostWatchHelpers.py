"""The rules of the watchlist: watch and unwatch a post, my watchlist, and how many watch a
post (its seller only)."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import get_or_404
from app.extensions import db
from app.posts.PostConstants import RENEWABLE_STATUSES
from app.posts.PostModels import Post
from app.posts.PostWatchModels import Watch


def find_watch(post_id, user_id):
  """The user's watch of the post, or None."""
  return db.session.get(Watch, (user_id, post_id))


def watch_post(post_id, user):
  """Watch a post (not my own; available or pending). Watching twice changes nothing;
  returns whether a new watch was made."""
  post = get_or_404(Post, id=post_id)
  if post.seller_id == user.id:
    raise ApiError(409, message='You cannot watch your own post.')
  if find_watch(post.id, user.id) is not None:
    return False
  if post.status not in RENEWABLE_STATUSES:
    raise ApiError(409, message=f'This post is {post.status}: there is nothing left to watch.')
  db.session.add(Watch(user_id=user.id, post_id=post.id))
  try:
    db.session.commit()
  except IntegrityError:
    # A twin request made the same watch first (the primary key refused ours): same result.
    db.session.rollback()
    if find_watch(post.id, user.id) is None:
      raise
    return False
  return True


def unwatch_post(post_id, user):
  """Stop watching a post (nothing happens when I was not watching it)."""
  get_or_404(Post, id=post_id)
  watch = find_watch(post_id, user.id)
  if watch is not None:
    db.session.delete(watch)
    db.session.commit()


def watch_state(post_id, user):
  """{'watching': whether I watch the post, 'watchers': how many do (the seller only)}."""
  post = get_or_404(Post, id=post_id)
  watchers = None
  if post.seller_id == user.id:
    watchers = db.session.execute(
      select(func.count()).select_from(Watch).where(Watch.post_id == post.id)
    ).scalar_one()
  return {'watching': find_watch(post.id, user.id) is not None, 'watchers': watchers}


def my_watchlist_statement(user):
  """The posts I watch, the latest watched first; expired ones stay until I unwatch them."""
  return (
    select(Post)
    .join(Watch, Watch.post_id == Post.id)
    .where(Watch.user_id == user.id)
    .order_by(Watch.created_at.desc(), Post.id.desc())
  )


def watched_post_ids(user, post_ids):
  """Which of `post_ids` I watch, in one query (a list page's hearts)."""
  rows = db.session.execute(
    select(Watch.post_id).where(Watch.user_id == user.id, Watch.post_id.in_(post_ids))
  ).scalars()
  return sorted(rows)
