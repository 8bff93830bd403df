"""The rules of posts: filters and sorts of lists, access, editing, and the one state
machine (available → pending → sold, or withdrawn)."""

from functools import cache, lru_cache

from sqlalchemy import and_, bindparam, func, or_, select

from app.campuses.CampusConstants import ALL_CAMPUSES
from app.campuses.CampusHelpers import campus_id_for_slug
from app.campuses.CampusModels import Campus
from app.common.CommonCache import cached_value
from app.common.CommonErrors import ApiError
from app.common.CommonForms import read_query
from app.common.CommonHelpers import (
  apply_changes,
  get_or_404,
  paginate,
  utc_now,
  with_page_limits,
)
from app.events.EventConstants import EVENT_POST, HOLD_ACTION_ENDED, HOLD_ACTION_SOLD
from app.events.EventHelpers import queue_user_event
from app.extensions import db
from app.notifications.NotificationConstants import (
  KIND_POST_SOLD,
  KIND_POST_WITHDRAWN,
  KIND_WATCHED_PRICE_DROP,
  KIND_WATCHED_SOLD,
  KIND_WATCHED_WITHDRAWN,
)
from app.notifications.NotificationHelpers import notify
from app.posts.PostCacheTags import list_tag, price_tags
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
from app.posts.PostForms import PostCursorForm
from app.posts.PostHoldConstants import HOLD_ENDED, HOLD_SOLD
from app.posts.PostHoldState import end_active_hold
from app.posts.PostModels import Dib, Post
from app.posts.PostReviewHelpers import (
  hold_edit_for_review,
  hold_for_review,
  new_post_hold_reason,
  prohibited_terms_in,
)
from app.posts.PostSerializers import (
  posts_with_sellers_to_json,
  seller_columns,
  with_post_token,
  with_seller,
)
from app.posts.PostWatchNotices import price_text, tell_watchers
from app.users.UserBlockHelpers import is_hidden_between, not_hidden_from
from app.users.UserHelpers import require_campus_student
from app.users.UserModels import User, suspended_user_ids, suspension_holds

# --- Lists -----------------------------------------------------------------------------------


def visibility_time():
  """The time a list's visibility is decided at: now, when its statement runs."""
  return utc_now()


# The moment suspensions are judged at, bound when a statement runs (not when it is built):
# list and search statements are built once per shape and reused (STATEMENTS_LIMIT).
VISIBLE_AT = bindparam('visible_at', callable_=visibility_time)
# List statements each process keeps, one per filters and sort (and search pages', per words).
STATEMENTS_LIMIT = 1024


def post_visibility_conditions(filters):
  """What a list may show at all, whatever its filters: no post held back by moderation or of a
  suspended seller, and
  for a viewer with a block either way (`viewer_id`, set only for such a viewer), no post of
  the other side."""
  conditions = [
    Post.moderation_state.is_(None),
    Post.seller_id.not_in(suspended_user_ids(VISIBLE_AT).scalar_subquery()),
  ]
  if filters.get('viewer_id') is not None:
    conditions.append(not_hidden_from(filters['viewer_id'], Post.seller_id))
  return conditions


def apply_post_filters(statement, filters):
  """Add the WHERE clauses of `filters` (category, min_price, max_price, status, seller,
  campus, viewer_id) to a select(Post) statement. Without a status filter, withdrawn posts are
  left out; expired posts always are."""
  statement = listed_only(statement)
  statement = statement.where(*post_visibility_conditions(filters))
  if filters.get('category'):
    statement = statement.where(Post.category == filters['category'])
  if filters.get('min_price') is not None:
    statement = statement.where(Post.price_cents >= filters['min_price'])
  if filters.get('max_price') is not None:
    statement = statement.where(Post.price_cents <= filters['max_price'])
  if filters.get('campus') and filters['campus'] != ALL_CAMPUSES:
    # Like `seller`: a slug no campus has lists nothing (one statement, no lookup first).
    campus_ids = select(Campus.id).where(Campus.slug == filters['campus'].lower()).correlate(None)
    statement = statement.where(Post.campus_id.in_(campus_ids.scalar_subquery()))
  if filters.get('seller'):
    seller_ids = select(User.id).where(User.username == filters['seller'].lower()).correlate(None)
    statement = statement.where(Post.seller_id.in_(seller_ids.scalar_subquery()))
  if filters.get('status'):
    return statement.where(Post.status == filters['status'])
  return statement.where(Post.status.in_(DEFAULT_LIST_STATUSES))


def listed_only(statement):
  """Leave out expired posts (docs/HANDOVER.md): the expiry job marks them with a write, so a
  cached public answer never outlives an expiry."""
  return statement.where(Post.expired_at.is_(None))


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


def apply_keyset(statement, sort, anchor):
  """Only the posts after `anchor` (a row with created_at, price_cents, id) in `sort` order:
  a deep page costs what the first one does, where an OFFSET reads every row it skips."""
  ties_after = Post.id < anchor.id
  if sort == SORT_PRICE_ASC:
    column, value, later = (
      Post.price_cents,
      anchor.price_cents,
      Post.price_cents > anchor.price_cents,
    )
  elif sort == SORT_PRICE_DESC:
    column, value, later = (
      Post.price_cents,
      anchor.price_cents,
      Post.price_cents < anchor.price_cents,
    )
  else:
    column, value, later = Post.created_at, anchor.created_at, Post.created_at < anchor.created_at
  return statement.where(or_(later, and_(column == value, ties_after)))


def keyset_anchor(after_id):
  """The sort keys of the post a cursor names, else a 422 on `after`."""
  anchor = db.session.execute(
    select(Post.id, Post.created_at, Post.price_cents).where(Post.id == after_id)
  ).first()
  if anchor is None:
    raise ApiError(422, fields={'after': ['No post with that id.']})
  return anchor


def filter_items(filters):
  """A list's filters as sorted pairs: the key of the statements built once per filters."""
  return tuple(sorted(filters.items()))


@lru_cache(maxsize=STATEMENTS_LIMIT)
def count_statement(filters_key):
  """The count of a list's posts (`filters_key`: filter_items of its filters), built once."""
  return select(func.count()).select_from(
    apply_post_filters(select(Post.id), dict(filters_key)).subquery()
  )


def count_listed_posts(filters):
  """How many posts a list with `filters` has, counted once per cache generation: paging
  and scrolling reuse the count until a write changes posts."""
  statement = count_statement(filter_items(filters))
  if filters.get('viewer_id') is not None:
    # One viewer's own count: not worth a cache entry nobody else may read.
    return db.session.execute(statement).scalar_one()
  name = 'posts-count:' + repr(sorted(filters.items()))
  tags = (list_tag(filters.get('category')), *price_tags(filters))
  return cached_value(name, tags, lambda: db.session.execute(statement).scalar_one())


def list_page_rows(statement):
  """A list's statement reading the posts' columns with their sellers' and campuses' as Core
  rows and each post's cache token: posts_to_json reads them by name like entities, and a page
  is one query and its photos, no ORM object per post."""
  statement = with_seller(statement.with_only_columns(*Post.__table__.columns, *seller_columns()))
  return with_post_token(statement)


@lru_cache(maxsize=STATEMENTS_LIMIT)
def list_page_statement(filters_key, sort):
  """The statement of any page of a list (`filters_key`: filter_items of its filters), built
  once: its page and the time are bound when it runs."""
  return with_page_limits(list_page_rows(list_posts_statement(dict(filters_key), sort)))


def list_posts_page(filters, sort, args):
  """A list page as the envelope, by `page` or after the `after` cursor, with `next_after`
  (the cursor of the next page, null on the last one)."""
  after_id = read_query(PostCursorForm, args).after.data
  if after_id is None:
    statement = list_page_statement(filter_items(filters), sort)
  else:
    statement = apply_keyset(list_posts_statement(filters, sort), sort, keyset_anchor(after_id))
    statement = list_page_rows(statement)
  envelope = paginate(
    statement,
    args=args,
    serialize_all=posts_with_sellers_to_json,
    total=count_listed_posts(filters),
    keyset=after_id is not None,
    plain_rows=True,
    paged=after_id is None,
  )
  items = envelope['items']
  full_page = items and len(items) == envelope['per_page']
  envelope['next_after'] = items[-1]['id'] if full_page else None
  return envelope


# --- Access ----------------------------------------------------------------------------------


def get_post(post_id, viewer_id=None, viewer=None):
  """The post with this id, whatever its status, as a row of its columns, its seller's summary
  and suspension and its campus (one query, no ORM entity; `post_detail_json` serializes it): withdrawn posts stay
  readable by id (buyers who had dibs still find them), while the lists leave them out. A
  viewer with a block either way with its seller gets the 404 of a missing post; so does anyone
  but its seller and moderators (`viewer`, the logged-in user or None) for a post held back by
  moderation."""
  post = db.session.execute(post_detail_statement(), {'post_id': post_id}).first()
  if post is None or is_hidden_between(viewer_id, post.seller_id):
    raise ApiError(404, message=Post.not_found_message)
  if is_held_back(post) and not may_see_held_post(post, viewer):
    raise ApiError(404, message=Post.not_found_message)
  return post


@cache
def post_detail_statement():
  """get_post's statement, built once: the post's id is bound when it runs."""
  statement = select(
    *Post.__table__.columns,
    User.suspended_at.label('seller_suspended_at'),
    User.suspended_until.label('seller_suspended_until'),
    *seller_columns(),
  )
  return with_seller(statement).where(Post.id == bindparam('post_id'))


def post_detail_json(post):
  """The JSON of a post read by get_post (its seller and campus came with it: one query more,
  its photos)."""
  return posts_with_sellers_to_json([post])[0]


def is_held_back(post):
  """Whether moderation holds the post (a row of get_post) back: hidden, removed, or its
  seller suspended."""
  if post.moderation_state is not None:
    return True
  return suspension_holds(post.seller_suspended_at, post.seller_suspended_until)


def may_see_held_post(post, viewer):
  """Whether `viewer` may read a post held back by moderation: its seller and moderators."""
  return viewer is not None and (viewer.id == post.seller_id or viewer.is_moderator)


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
  require_campus_student(seller)
  post = Post(
    seller_id=seller.id,
    title=fields['title'],
    description=fields['description'],
    price_cents=fields['price_cents'],
    category=fields['category'],
    condition=fields['condition'],
    campus_id=campus_id_for_slug(fields.get('campus')) or seller.campus_id,
  )
  reason = new_post_hold_reason(seller, post.title, post.description)
  if reason is not None:
    hold_for_review(post, reason)
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
  old_price = post.price_cents
  terms_before = prohibited_terms_in(post.title, post.description)
  if 'campus' in changes:
    post.campus_id = campus_id_for_slug(changes.pop('campus'))
  apply_changes(post, changes)
  hold_edit_for_review(post, terms_before)
  if post.price_cents < old_price:
    tell_watchers(post, KIND_WATCHED_PRICE_DROP, {'price': price_text(post.price_cents)})
  db.session.commit()
  return post


def transition_post(post, new_status):
  """Move `post` to `new_status` when the state machine allows it, else 409 (no commit)."""
  if new_status not in POST_TRANSITIONS[post.status]:
    raise ApiError(409, message=f'A {post.status} post cannot become {new_status}.')
  post.status = new_status
  queue_post_event(post)


def queue_post_event(post):
  """After the commit: the post's new status to its seller and to everyone who called dibs."""
  # Without autoflush: the caller's pending changes may break a unique index, which its own
  # commit reports as a 409, not this query as a 500.
  with db.session.no_autoflush:
    dib_holders = db.session.execute(select(Dib.user_id).where(Dib.post_id == post.id).distinct())
  payload = {'post_id': post.id, 'status': post.status, 'title': post.title}
  for user_id in {post.seller_id, *dib_holders.scalars()}:
    queue_user_event(user_id, EVENT_POST, payload)


def close_queue(post, statuses):
  """Decline the post's dibs in `statuses`: the queue ends when the post is sold or withdrawn.
  Returns the ids of the buyers whose dibs were closed."""
  dibs = db.session.execute(
    select(Dib).where(Dib.post_id == post.id, Dib.status.in_(statuses))
  ).scalars()
  buyer_ids = []
  for dib in dibs:
    dib.status = DIB_DECLINED
    buyer_ids.append(dib.user_id)
  return buyer_ids


def notification_payload(post, actor):
  """What a notification about `post` done by `actor` names (read before the commit)."""
  return {'post_id': post.id, 'post_title': post.title, 'actor': actor.username}


def withdraw_post(post_id, user):
  """Withdraw a post (seller or admin): it leaves the lists and its queue is declined."""
  post = get_or_404(Post, id=post_id, for_update=True)
  require_seller_or_admin(post, user)
  withdraw_locked_post(post, user)
  db.session.commit()
  return post


def withdraw_locked_post(post, actor):
  """Withdraw a post whose row the caller locked, done by `actor`: its queue is declined, its
  hold ends, buyers and watchers are told (no commit: the caller's transaction)."""
  transition_post(post, STATUS_WITHDRAWN)
  buyer_ids = close_queue(post, LIVE_DIB_STATUSES)
  end_active_hold(post.id, HOLD_ENDED, HOLD_ACTION_ENDED)
  payload = notification_payload(post, actor)
  for buyer_id in buyer_ids:
    notify(buyer_id, KIND_POST_WITHDRAWN, payload)
  tell_watchers(post, KIND_WATCHED_WITHDRAWN, exclude=buyer_ids)


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
  buyer_ids = close_queue(post, (DIB_WAITING,))
  buyer_id = db.session.execute(select(Dib.user_id).where(Dib.id == accepted.id)).scalar_one()
  # The sale ends the buyer's hold, even past its deadline when the lapse job has not run:
  # whichever of the two takes the post's lock first wins (docs/HANDOVER.md).
  end_active_hold(post.id, HOLD_SOLD, HOLD_ACTION_SOLD)
  payload = notification_payload(post, user)
  for waiting_id in buyer_ids:
    notify(waiting_id, KIND_POST_SOLD, payload)
  tell_watchers(post, KIND_WATCHED_SOLD, exclude=[*buyer_ids, buyer_id])
  for listener in SALE_LISTENERS:
    listener(post, buyer_id)
  db.session.commit()
  return post


# --- Sale listeners --------------------------------------------------------------------------

# What areas above posts do when a post is sold (reviews opens its window), without posts
# importing them: each is called as listener(post, buyer_id) in mark_sold's transaction, before
# its one commit, and must not commit itself.
SALE_LISTENERS = []


def on_post_sold(listener):
  """Register `listener(post, buyer_id)` to run inside every sale's transaction."""
  if listener not in SALE_LISTENERS:
    SALE_LISTENERS.append(listener)
  return listener
