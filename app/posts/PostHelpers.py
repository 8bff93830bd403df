"""The rules of posts: filters and sorts of lists, access, editing, and the one state
machine (available → pending → sold, or withdrawn)."""

from sqlalchemy import func, select

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import apply_changes, get_or_404
from app.extensions import db
from app.posts.PostConstants import (
  DEFAULT_LIST_STATUSES,
  DIB_ACCEPTED,
  DIB_DECLINED,
  DIB_WAITING,
  EDITABLE_STATUSES,
  LIVE_DIB_STATUSES,
  POST_TRANSITIONS,
  SORT_PRICE_ASC,
  SORT_PRICE_DESC,
  STATUS_SOLD,
  STATUS_WITHDRAWN,
)
from app.posts.PostModels import Dib, Post
from app.users.UserModels import User

# --- Lists -----------------------------------------------------------------------------------


def apply_post_filters(statement, filters):
  """Add the WHERE clauses of `filters` (category, min_price, max_price, status, seller,
  campus) to a select(Post) statement. Without a status filter, withdrawn posts are left out."""
  if filters.get('category'):
    statement = statement.where(Post.category == filters['category'])
  if filters.get('min_price') is not None:
    statement = statement.where(Post.price_cents >= filters['min_price'])
  if filters.get('max_price') is not None:
    statement = statement.where(Post.price_cents <= filters['max_price'])
  if filters.get('campus'):
    statement = statement.where(func.lower(Post.campus) == filters['campus'].lower())
  if filters.get('seller'):
    seller_ids = select(User.id).where(User.username == filters['seller'].lower())
    statement = statement.where(Post.seller_id.in_(seller_ids.scalar_subquery()))
  if filters.get('status'):
    return statement.where(Post.status == filters['status'])
  return statement.where(Post.status.in_(DEFAULT_LIST_STATUSES))


def apply_post_sort(statement, sort):
  """Order a select(Post) by `sort` (newest, price_asc, price_desc); ties newest first."""
  if sort == SORT_PRICE_ASC:
    return statement.order_by(Post.price_cents.asc(), Post.id.desc())
  if sort == SORT_PRICE_DESC:
    return statement.order_by(Post.price_cents.desc(), Post.id.desc())
  return statement.order_by(Post.created_at.desc(), Post.id.desc())


def list_posts_statement(filters, sort):
  """The select(Post) for a list page: filters, then sort."""
  return apply_post_sort(apply_post_filters(select(Post), filters), sort)


# --- Access ----------------------------------------------------------------------------------


def get_post(post_id):
  """The post with this id, whatever its status: withdrawn posts stay readable by id (buyers
  who had dibs still find them), while the lists leave them out."""
  return get_or_404(Post, id=post_id)


def require_seller(post, user, message='Only the seller can do that.'):
  """403 unless `user` sells `post`."""
  if post.seller_id != user.id:
    raise ApiError(403, message=message)


def require_seller_or_admin(post, user):
  """403 unless `user` sells `post` or is an admin."""
  if post.seller_id != user.id and not user.is_admin:
    raise ApiError(403, message='Only the seller or an admin can do that.')


def require_editable(post):
  """409 once the post is sold or withdrawn."""
  if post.status not in EDITABLE_STATUSES:
    raise ApiError(409, message=f'This post is {post.status} and can no longer change.')


# --- Changes ---------------------------------------------------------------------------------


def create_post(seller, fields):
  """A new available post by `seller` from the cleaned form fields."""
  post = Post(
    seller_id=seller.id,
    title=fields['title'],
    description=fields['description'],
    price_cents=fields['price_cents'],
    category=fields['category'],
    condition=fields['condition'],
    campus=fields.get('campus') or seller.campus,
  )
  db.session.add(post)
  db.session.commit()
  return post


def update_post(post_id, user, read_changes):
  """Apply the fields the seller sent (null clears the campus); `read_changes` returns them,
  called once access is settled, so an outsider learns nothing from a bad body."""
  post = get_or_404(Post, id=post_id)
  require_seller(post, user, 'Only the seller can edit this post.')
  changes = read_changes()
  require_editable(post)
  apply_changes(post, changes, null_values={'campus': None})
  db.session.commit()
  return post


def transition_post(post, new_status):
  """Move `post` to `new_status` when the state machine allows it, else 409 (no commit)."""
  if new_status not in POST_TRANSITIONS[post.status]:
    raise ApiError(409, message=f'A {post.status} post cannot become {new_status}.')
  post.status = new_status


def close_queue(post, statuses):
  """Decline the post's dibs in `statuses`: the queue ends when the post is sold or withdrawn."""
  dibs = db.session.execute(
    select(Dib).where(Dib.post_id == post.id, Dib.status.in_(statuses))
  ).scalars()
  for dib in dibs:
    dib.status = DIB_DECLINED


def withdraw_post(post_id, user):
  """Withdraw a post (seller or admin): it leaves the lists and its queue is declined."""
  post = get_or_404(Post, id=post_id, for_update=True)
  require_seller_or_admin(post, user)
  transition_post(post, STATUS_WITHDRAWN)
  close_queue(post, LIVE_DIB_STATUSES)
  db.session.commit()
  return post


def mark_sold(post_id, user):
  """Mark a post sold (seller; it must be pending on an accepted dib); the rest of the queue
  is declined and the accepted dib stays as the record of the buyer."""
  post = get_or_404(Post, id=post_id, for_update=True)
  require_seller(post, user)
  accepted = db.session.execute(
    select(Dib.id).where(Dib.post_id == post.id, Dib.status == DIB_ACCEPTED)
  ).first()
  if accepted is None:
    raise ApiError(409, message='Accept a dib before marking the post sold.')
  transition_post(post, STATUS_SOLD)
  close_queue(post, (DIB_WAITING,))
  db.session.commit()
  return post
