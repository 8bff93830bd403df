"""The rules of posts: filters and sorts of lists, serialization, editing, and the one state
machine (available → pending → sold, or withdrawn)."""

from collections import defaultdict

from sqlalchemy import func, select

from app.common.CommonErrors import ApiError
from app.common.CommonHelpers import apply_changes, to_iso
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
from app.posts.PostModels import Dib, Post, PostImage
from app.posts.PostStorage import get_storage
from app.users.UserModels import User

# --- Lists -----------------------------------------------------------------------------------


def apply_post_filters(statement, filters):
  """Add the WHERE clauses of `filters` (category, min_price, max_price, status, seller,
  campus) to a
  select(Post) statement. Without a status filter, withdrawn posts are left out."""
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


# --- Serialization ---------------------------------------------------------------------------


def users_by_id(user_ids):
  """{user_id: User} for these ids, in one query."""
  if not user_ids:
    return {}
  users = db.session.execute(select(User).where(User.id.in_(set(user_ids)))).scalars()
  return {user.id: user for user in users}


def images_by_post(post_ids):
  """{post_id: [image row (id, post_id, storage_key, thumb_key), ...] in the seller's order,
  cover first} for these posts, in one query."""
  grouped = defaultdict(list)
  if not post_ids:
    return grouped
  # Plain rows, not entities: serializing reads four columns and needs no identity map.
  images = db.session.execute(
    select(PostImage.id, PostImage.post_id, PostImage.storage_key, PostImage.thumb_key)
    .where(PostImage.post_id.in_(post_ids))
    .order_by(PostImage.position, PostImage.id)
  )
  for image in images:
    grouped[image.post_id].append(image)
  return grouped


def image_to_json(image, storage=None):
  """An image as the API shows it: id and the URLs of the file and its thumbnail."""
  storage = storage or get_storage()
  return {
    'id': image.id,
    'url': storage.url(image.storage_key),
    'thumb_url': storage.url(image.thumb_key),
  }


def covers_by_post(post_ids):
  """{post_id: the cover image's JSON} for these posts (absent when a post has no photo)."""
  storage = get_storage()
  return {
    post_id: image_to_json(images[0], storage)
    for post_id, images in images_by_post(post_ids).items()
    if images
  }


def sellers_and_dib_counts(post_ids):
  """{post_id: (seller summary JSON, number of live dibs)} for these posts, in one query."""
  if not post_ids:
    return {}
  live_dibs = (
    select(func.count(Dib.id))
    .where(Dib.post_id == Post.id, Dib.status.in_(LIVE_DIB_STATUSES))
    .scalar_subquery()
  )
  rows = db.session.execute(
    select(Post.id, User.id, User.username, User.display_name, live_dibs)
    .join(User, User.id == Post.seller_id)
    .where(Post.id.in_(post_ids))
  )
  return {
    post_id: ({'id': user_id, 'username': username, 'display_name': display_name}, dibs_count)
    for post_id, user_id, username, display_name, dibs_count in rows
  }


def posts_to_json(posts):
  """Serialize Post rows in two queries (sellers with dib counts, then images), however many."""
  posts = list(posts)
  post_ids = [post.id for post in posts]
  extras = sellers_and_dib_counts(post_ids)
  images = images_by_post(post_ids)
  storage = get_storage()
  return [
    {
      'id': post.id,
      'title': post.title,
      'description': post.description,
      'price_cents': post.price_cents,
      'category': post.category,
      'condition': post.condition,
      'campus': post.campus,
      'status': post.status,
      'seller': extras[post.id][0],
      'images': [image_to_json(image, storage) for image in images[post.id]],
      'dibs_count': extras[post.id][1],
      'created_at': to_iso(post.created_at),
      'updated_at': to_iso(post.updated_at),
    }
    for post in posts
  ]


def post_to_json(post):
  """Serialize one Post like posts_to_json."""
  return posts_to_json([post])[0]


# --- Access ----------------------------------------------------------------------------------


def get_post_or_404(post_id, for_update=False):
  """The post with this id, else 404; `for_update` locks its row until the commit.

  Withdrawn posts stay readable by id (buyers who had dibs still find them), while the lists
  leave them out.
  """
  statement = select(Post).where(Post.id == post_id)
  if for_update:
    # Concurrent dibs, accepts and withdrawals on one post queue up behind this lock
    # (PostgreSQL; SQLite serializes writers anyway and ignores it).
    statement = statement.with_for_update().execution_options(populate_existing=True)
  post = db.session.execute(statement).scalar_one_or_none()
  if post is None:
    raise ApiError(404, message='No post with that id.')
  return post


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


def update_post(post, changes):
  """Apply the fields the seller sent; null clears the campus."""
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
  post = get_post_or_404(post_id, for_update=True)
  require_seller_or_admin(post, user)
  transition_post(post, STATUS_WITHDRAWN)
  close_queue(post, LIVE_DIB_STATUSES)
  db.session.commit()
  return post


def mark_sold(post_id, user):
  """Mark a post sold (seller; it must be pending on an accepted dib); the rest of the queue
  is declined and the accepted dib stays as the record of the buyer."""
  post = get_post_or_404(post_id, for_update=True)
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
